from django.db import models


class MeetingState(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    IN_SESSION = "in_session", "In session"
    MINUTES_DRAFTED = "minutes_drafted", "Minutes drafted"
    MINUTES_APPROVED = "minutes_approved", "Minutes approved"
    CANCELLED = "cancelled", "Cancelled"


class Level(models.TextChoices):
    BELOW_THRESHOLD = "below_threshold", "Below threshold"
    EARLY_HELP = "early_help", "Universal / early help"
    CHILD_IN_NEED = "child_in_need", "Child in need"
    CHILD_PROTECTION = "child_protection", "Child protection"


# The pathways that fit each level (seed 002, "Thresholds") are declared by the pathway apps
# themselves (casework.pathways): below threshold the school manages internally (panels'
# own pathway, panels.apps); early help, a Student Safety Summit or a School Partnership
# Meeting; child in need or child protection, a supported Beyond Referrals self-assessment
# or a School Assessment.
