"""Journeys on a pinned clock. A module using these pins it with
`pytest.mark.time_machine(...)` (before any fixture runs); each helper moves that same clock,
so every step of a journey happens at the moment it names, never in real time."""

import datetime as dt
from zoneinfo import ZoneInfo

from accounts.models import TeamRole
from notifications.digest import send_digests
from notifications.sweep import run_sweep
from tests.accounts.factories import TeamFactory, team_member_of
from tests.referrals.factories import in_state

LONDON = ZoneInfo("Europe/London")


def london(*args):
    return dt.datetime(*args, tzinfo=LONDON)


def submitted_at(clock, moment, **kwargs):
    """A submitted referral whose screening clock started at `moment`, with a front-door
    team manager in `referral.people["fd_manager"]`."""
    clock.move_to(moment, tick=False)
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


def sweep_at(clock, moment):
    """The sweep as the beat runs it when the clock reads `moment`."""
    clock.move_to(moment, tick=False)
    return run_sweep()


def digests_at(clock, moment):
    """The digests as the beat sends them when the clock reads `moment`."""
    clock.move_to(moment, tick=False)
    return send_digests()
