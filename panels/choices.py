from django.db import models


class MeetingState(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    IN_SESSION = "in_session", "In session"
    MINUTES_DRAFTED = "minutes_drafted", "Minutes drafted"
    MINUTES_APPROVED = "minutes_approved", "Minutes approved"


class Level(models.TextChoices):
    BELOW_THRESHOLD = "below_threshold", "Below threshold"
    EARLY_HELP = "early_help", "Universal / early help"
    CHILD_IN_NEED = "child_in_need", "Child in need"
    CHILD_PROTECTION = "child_protection", "Child protection"


class Pathway(models.TextChoices):
    MANAGE_INTERNALLY = "manage_internally", "School manages internally, with advice"
    SAFETY_SUMMIT = "safety_summit", "Student Safety Summit"
    PARTNERSHIP_MEETING = "partnership_meeting", "School Partnership Meeting"
    BEYOND_REFERRALS = "beyond_referrals", "Beyond Referrals self-assessment, supported"
    SCHOOL_ASSESSMENT = "school_assessment", "School Assessment by Children's Social Care"


# Which pathways fit which level (seed 002, "Thresholds"): below threshold, the school
# manages internally; early help, a summit or partnership meeting; child in need or child
# protection, a supported Beyond Referrals self-assessment or a School Assessment.
PATHWAYS_FOR_LEVEL = {
    Level.BELOW_THRESHOLD: [Pathway.MANAGE_INTERNALLY],
    Level.EARLY_HELP: [Pathway.SAFETY_SUMMIT, Pathway.PARTNERSHIP_MEETING],
    Level.CHILD_IN_NEED: [Pathway.BEYOND_REFERRALS, Pathway.SCHOOL_ASSESSMENT],
    Level.CHILD_PROTECTION: [Pathway.BEYOND_REFERRALS, Pathway.SCHOOL_ASSESSMENT],
}
