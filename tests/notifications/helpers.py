import datetime as dt
from zoneinfo import ZoneInfo

import time_machine

from accounts.models import TeamRole
from tests.accounts.factories import TeamFactory, team_member_of
from tests.referrals.factories import in_state

LONDON = ZoneInfo("Europe/London")


def london(*args):
    return dt.datetime(*args, tzinfo=LONDON)


def submitted_at(moment, **kwargs):
    """A submitted referral whose screening clock started at `moment`, with a front-door
    team manager in `referral.people["fd_manager"]`."""
    with time_machine.travel(moment, tick=False):
        referral = in_state("submitted", **kwargs)
    team = TeamFactory(authority=referral.school.authority, is_front_door=True)
    referral.people["fd_manager"] = team_member_of(team, role=TeamRole.MANAGER)
    # Deadlines started before the team existed point at no team: attach it, as the
    # front door's team would have existed in real life.
    from notifications.models import Deadline

    Deadline.objects.filter(authority=referral.school.authority, team__isnull=True).update(
        team=team
    )
    return referral
