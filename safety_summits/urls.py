"""School Partnership Meeting pages. Included from config/urls.py (casework.pathways)
before referrals.urls, whose referrals/<pk>/<action>/ pattern would shadow a case path."""

from django.urls import path

from safety_summits import documents, views

P = "partnership-meetings/<int:pk>/"

urlpatterns = [
    path("partnership-meetings/", views.meeting_list, name="partnership_meeting_list"),
    path(P, views.meeting_detail, name="partnership_meeting_detail"),
    path(P + "schedule/", views.meeting_schedule, name="partnership_meeting_schedule"),
    path(P + "reschedule/", views.meeting_reschedule, name="partnership_meeting_reschedule"),
    path(P + "agenda/", views.meeting_agenda, name="partnership_meeting_agenda"),
    path(P + "cancel/", views.meeting_cancel, name="partnership_meeting_cancel"),
    path(P + "pre-meeting/", views.meeting_pre_meeting, name="partnership_meeting_pre_meeting"),
    path(P + "record/", views.meeting_record, name="partnership_meeting_record"),
    path(
        P + "<slug:kind>/<int:item_pk>/remove/",
        views.meeting_remove,
        name="partnership_meeting_remove",
    ),
    path(P + "held/", views.meeting_hold, name="partnership_meeting_hold"),
    path(P + "distribute/", views.meeting_distribute, name="partnership_meeting_distribute"),
    path(P + "invitation.ics", documents.meeting_ics, name="partnership_meeting_ics"),
    path(P + "safety-plan/", documents.safety_plan, name="partnership_meeting_plan"),
    path(P + "safety-plan.pdf", documents.safety_plan_pdf, name="partnership_meeting_plan_pdf"),
]
