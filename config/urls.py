from django.contrib import admin
from django.urls import include, path

from accounts.views import admin_sign_in
from casework import pathways

urlpatterns = [
    # Before the admin's own: the configuration pages sign in through the service's sign-in.
    path("admin/login/", admin_sign_in, name="admin_sign_in"),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("", include("notifications.urls")),
    path("", include("audit.urls")),
    # Before referrals: its referrals/<pk>/<action>/ pattern would shadow these.
    path("", include("panels.urls")),
    path("", include("panels.document_urls")),
    # Each installed pathway app's pages (casework.pathways: removing the app removes them).
    *[path("", include(module)) for module in pathways.url_modules()],
    path("", include("referrals.urls")),
]

admin.site.site_header = "School context referrals: configuration"
admin.site.site_title = "Configuration"
admin.site.index_title = "Schools, panels, teams, people and indicators"
