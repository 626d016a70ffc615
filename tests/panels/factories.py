import datetime as dt

from django.utils import timezone

from accounts.models import PanelRole, TeamRole
from panels import services
from referrals.choices import ReferralState
from tests.accounts.factories import TeamFactory, panel_member_of, team_member_of
from tests.referrals.factories import in_state


def awaiting_panel():
    """A referral awaiting its panel, with its chair, a member, a team and a practitioner."""
    referral = in_state(ReferralState.AWAITING_PANEL)
    people = referral.people
    team = TeamFactory(authority=referral.school.authority)
    people.update(
        team=team,
        practitioner=team_member_of(team),
        manager=team_member_of(team, role=TeamRole.MANAGER),
    )
    referral.people = people
    return referral


def meeting_for(referral, *, open_=True):
    """A meeting of the referral's panel starting in a minute (today, so it can be opened:
    a meeting opens on its own day only), in session unless `open_` is False."""
    people = referral.people
    start = timezone.now() + dt.timedelta(minutes=1)
    meeting = services.meeting_schedule(
        panel=people["panel"],
        by=people["panel_chair"],
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        place="Room 4, Civic Centre",
    )
    if open_:
        meeting = services.meeting_open(
            meeting=meeting,
            by=people["panel_chair"],
            attendees=[people["panel_chair"], people["panel_member"]],
            apologies=[],
        )
    return meeting


def decision_args(referral, **changes):
    people = referral.people
    args = {
        "level": "child_in_need",
        "pathway": "school_assessment",
        "rationale": "Pattern of harassment across a year group; guardianship gaps.",
        "advice": "Keep the corridor supervised at lunchtime.",
        "lead_practitioner": people["practitioner"],
        "lead_team": people["team"],
        "start_by": timezone.localdate() + dt.timedelta(days=10),
    }
    args.update(changes)
    return args


def chair_of(panel):
    return panel_member_of(panel, role=PanelRole.CHAIR)
