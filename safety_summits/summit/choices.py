"""The words of a Student Safety Summit (seed 002, "Student Safety Summit"; DESIGN section
3): an event run by the multi-agency partnership, usually hosted by a school for half a day,
to learn how young people feel about safety at school, online, in their community and with
friends and peers."""

from django.db import models


class SummitState(models.TextChoices):
    PLANNED = "planned", "Being planned"
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    REPORTED = "reported", "Report shared"
    CANCELLED = "cancelled", "Cancelled"
    # The panel's new decision took the case to another pathway, or the case ended.
    STOPPED = "stopped", "Stopped"


S = SummitState
# Open: the work is under way (one open summit per case). After the report is shared the
# "you said, we did" record goes on, but nothing else about the summit changes.
OPEN_STATES = [S.PLANNED, S.SCHEDULED, S.HELD]
BEFORE_STATES = [S.PLANNED, S.SCHEDULED]
AFTER_STATES = [S.HELD, S.REPORTED]


class Activity(models.TextChoices):
    """The seed's example activities."""

    SCHOOL_MAP = "school_map", "Safety mapping of the school"
    NEIGHBOURHOOD_MAP = "neighbourhood_map", "Safety mapping of the neighbourhood"
    ONLINE = "online", "Online spaces and platforms"
    FRIENDSHIPS = "friendships", "Friendships and peers"


class PlaceKind(models.TextChoices):
    """What a place on the safety map is: one shape for every summit, so places can be
    counted across schools (the patterns and scorecard work)."""

    SCHOOL_SPACE = "school_space", "A space in the school"
    NEIGHBOURHOOD = "neighbourhood", "A place in the neighbourhood"
    ONLINE = "online", "An online platform or space"


class Question(models.TextChoices):
    """What young people were asked (the seed's questions for the school activity)."""

    IF_HARM = "if_harm", "What they would do if harm happened"
    TALK_TO = "talk_to", "Who they would talk to"
    NOT_A_TEACHER = "not_a_teacher", "Why they might not talk to a teacher"
    MUST_CHANGE = "must_change", "What they think must change"
    OTHER = "other", "Anything else they said"


class Agency(models.TextChoices):
    """The practitioners and agencies the seed names for a summit."""

    SCHOOL = "school", "School or college (safeguarding lead, teacher)"
    SOCIAL_CARE = "social_care", "Children's social care"
    YOUTH_WORK = "youth_work", "Youth work"
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    VOLUNTARY = "voluntary", "Voluntary and community sector"
    OTHER = "other", "Another agency"
