from django.urls import include, path

from referrals import allocation_views, exports, views

urlpatterns = [
    # Before the catch-all referrals/<pk>/<action>/ below.
    path("", include("referrals.risks.urls")),
    path("", include("referrals.plans.urls")),
    path("referrals/", views.referral_list, name="referral_list"),
    path(
        "referrals/export.<slug:extension>",
        exports.referral_list_export,
        name="referral_list_export",
    ),
    path("referrals/new/", views.referral_start, name="referral_start"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/edit/", views.referral_edit, name="referral_edit"),
    path("referrals/<int:pk>/check/", views.referral_check, name="referral_check"),
    path("referrals/<int:pk>/history/", views.referral_history, name="referral_history"),
    path(
        "referrals/<int:pk>/reallocate/",
        allocation_views.referral_reallocate,
        name="referral_reallocate",
    ),
    path("referrals/<int:pk>/<slug:action>/", views.referral_act, name="referral_act"),
    path("front-door/", views.front_door, name="front_door_queue"),
]
