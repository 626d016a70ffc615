from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("", include("notifications.urls")),
    # Before referrals: its referrals/<pk>/<action>/ pattern would shadow these.
    path("", include("panels.urls")),
    path("", include("panels.document_urls")),
    path("", include("school_assessments.urls")),
    path("", include("self_assessments.urls")),
    path("", include("referrals.urls")),
]

admin.site.site_header = "School context referrals: configuration"
admin.site.site_title = "Configuration"
admin.site.index_title = "Schools, panels, teams, people and indicators"
