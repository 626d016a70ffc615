"""Student Safety Summit pages. Included from config/urls.py (casework.pathways)."""

from django.urls import path

from safety_summits.summit import documents, views

P = "safety-summits/<int:pk>/"

urlpatterns = [
    path("safety-summits/", views.summit_list, name="safety_summit_list"),
    path(P, views.summit_detail, name="safety_summit_detail"),
    path(P + "plan/", views.summit_plan, name="safety_summit_plan"),
    path(P + "schools/", views.summit_schools, name="safety_summit_schools"),
    path(
        P + "schools/<int:school_pk>/remove/",
        views.summit_school_remove,
        name="safety_summit_school_remove",
    ),
    path(P + "invitees/", views.summit_invitees, name="safety_summit_invitees"),
    path(
        P + "invitees/<int:invitee_pk>/remove/",
        views.summit_invitee_remove,
        name="safety_summit_invitee_remove",
    ),
    path(P + "schedule/", views.summit_schedule, name="safety_summit_schedule"),
    path(P + "reschedule/", views.summit_reschedule, name="safety_summit_reschedule"),
    path(P + "cancel/", views.summit_cancel, name="safety_summit_cancel"),
    path(P + "record/", views.summit_record, name="safety_summit_record"),
    path(
        P + "<slug:kind>/<int:item_pk>/remove/",
        views.summit_remove,
        name="safety_summit_remove",
    ),
    path(P + "held/", views.summit_hold, name="safety_summit_hold"),
    path(P + "you-said-we-did/", views.summit_response, name="safety_summit_response_add"),
    path(
        P + "you-said-we-did/<int:response_pk>/",
        views.summit_response,
        name="safety_summit_response_edit",
    ),
    path(P + "share/", views.summit_share, name="safety_summit_share"),
    path(P + "refer-back/", views.summit_refer_back, name="safety_summit_refer_back"),
    path(P + "invitation.ics", documents.summit_ics, name="safety_summit_ics"),
    path(P + "report/", documents.summit_report, name="safety_summit_report"),
    path(P + "report.pdf", documents.summit_report_pdf, name="safety_summit_report_pdf"),
]
