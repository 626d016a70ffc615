from django.urls import path

from panels import views

urlpatterns = [
    path("panels/", views.panels_home, name="panels_home"),
    path("panels/<int:panel_pk>/", views.panel_detail, name="panel_detail"),
    path("panels/<int:panel_pk>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("panels/conflicts/new/", views.conflict_new, name="conflict_new"),
    path(
        "panels/conflicts/schools/",
        views.conflict_school_search,
        name="conflict_school_search",
    ),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/open/", views.meeting_open, name="meeting_open"),
    path("meetings/<int:pk>/reschedule/", views.meeting_reschedule, name="meeting_reschedule"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path(
        "meetings/<int:pk>/minutes/draft/",
        views.meeting_minutes_draft,
        name="meeting_minutes_draft",
    ),
    path(
        "meetings/<int:pk>/minutes/approve/",
        views.meeting_minutes_approve,
        name="meeting_minutes_approve",
    ),
    path(
        "meetings/<int:pk>/minutes/amend/",
        views.meeting_minutes_amend,
        name="meeting_minutes_amend",
    ),
    path(
        "meetings/<int:pk>/agenda/<int:referral_pk>/<slug:kind>/",
        views.agenda_change,
        name="agenda_change",
    ),
    path("meetings/<int:pk>/decide/<int:referral_pk>/", views.decision_new, name="decision_new"),
    path("referrals/<int:referral_pk>/step/", views.decision_step, name="decision_step"),
]
