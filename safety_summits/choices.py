"""The words of a School Partnership Meeting (seed 002, "School Partnership Meetings";
DESIGN section 3): led by Children's Social Care with the school as an active partner, at
Early Help level, to make a plan that increases safety around a peer group or a place."""

import re

from django.core.exceptions import ValidationError
from django.db import models


class MeetingState(models.TextChoices):
    PLANNED = "planned", "Planned"
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    PLAN_DISTRIBUTED = "plan_distributed", "Safety plan distributed"
    CANCELLED = "cancelled", "Cancelled"
    # The panel's new decision took the case to another pathway, or the case ended.
    STOPPED = "stopped", "Stopped"


M = MeetingState
# Open: the work is under way (one open meeting per case).
OPEN_STATES = [M.PLANNED, M.SCHEDULED, M.HELD]
# Before the meeting: the school's DSLs can still write the pre-meeting document.
BEFORE_STATES = [M.PLANNED, M.SCHEDULED]


class Format(models.TextChoices):
    AT_SCHOOL = "at_school", "At the school"
    ONLINE = "online", "Online"


class About(models.TextChoices):
    PEER_GROUP = "peer_group", "A peer group"
    LOCATION = "location", "A place or online space"


# A peer group is named by case-system identifiers or initials only, never a child's name:
# "Group A", "Y9 group", "JB, KL, MT", "C-10234, C-10240". Each part is initials (one to
# three capital letters) or an identifier with a digit in it.
_PART = re.compile(r"^(?:[A-Z]{1,3}|[A-Za-z]{0,4}[-/]?\d[\w/-]{0,14})$")
_GROUP_WORDS = {"group", "peer", "year", "the", "of", "and", "in", "boys", "girls", "pupils"}


def peer_group_name(value):
    """A peer group's name: identifiers or initials only (never a child's name)."""
    value = (value or "").strip()
    if not value:
        return
    if len(value) > 60:
        raise ValidationError(
            "Name the peer group in 60 characters or fewer, by case-system identifiers or "
            "initials only",
            code="peer_group_length",
        )
    parts = [p for p in re.split(r"[\s,;&+.()]+", value) if p]
    for part in parts:
        if part.lower() in _GROUP_WORDS or _PART.match(part):
            continue
        raise ValidationError(
            "Name the peer group by case-system identifiers or initials only, never by a "
            "child's name (for example “JB, KL, MT” or “Group A, Y9”): remove “%(part)s”",
            code="peer_group_name",
            params={"part": part[:30]},
        )


def peer_group_lines(value):
    """The pre-meeting document's peer groups: one a line, each named as peer_group_name
    says."""
    for line in (value or "").splitlines():
        peer_group_name(line)
