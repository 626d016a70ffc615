"""Case documents: outcome letters, minutes and calendar invitations (panels.documents).

Included from config/urls.py before referrals.urls, whose referrals/<pk>/<action>/ pattern
would otherwise shadow referrals/<pk>/outcome/."""

from django.urls import path

from panels import documents

urlpatterns = [
    path("referrals/<int:pk>/outcome/", documents.outcome_letter, name="outcome_letter"),
    path("referrals/<int:pk>/outcome.pdf", documents.outcome_letter_pdf, name="outcome_letter_pdf"),
    path("meetings/<int:pk>/minutes/", documents.meeting_minutes, name="meeting_minutes"),
    path(
        "meetings/<int:pk>/minutes.pdf", documents.meeting_minutes_pdf, name="meeting_minutes_pdf"
    ),
    path("meetings/<int:pk>/invite.ics", documents.meeting_ics, name="meeting_ics"),
]
