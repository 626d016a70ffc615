"""The agenda's school history: the few most recent of the school's other referrals, each
with its decision in force, and a link to the rest; bounded however long the past."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from panels import services
from panels.selectors import HISTORY_SHOWN, _school_history, agenda
from referrals.choices import ReferralState
from referrals.models import CaseAccessLog, SchoolReferral
from tests.accounts.factories import SchoolFactory
from tests.panels.factories import awaiting_panel, decision_args, meeting_for
from tests.panels.test_meetings import add_to_panel

# A weekday morning: meeting_for schedules the meeting a minute ahead and opens it, which
# works only on the meeting's own day (never across midnight).
MORNING = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London"))
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(MORNING, tick=False)]


def closed_history(referral, count, *, prefix):
    """`count` closed referrals of the referral's school sent to its panel, submitted a
    week apart before it, oldest last (bulk: the agenda reads them, never changes them)."""
    dsl = referral.people["dsl"]
    return SchoolReferral.objects.bulk_create(
        SchoolReferral(
            school=referral.school,
            created_by=dsl,
            reference=f"{prefix}-{n:03d}",
            state=ReferralState.CLOSED,
            panel=referral.people["panel"],
            submitted_at=MORNING - dt.timedelta(weeks=n + 1),
        )
        for n in range(count)
    )


def test_an_item_shows_the_most_recent_few_with_their_decision_in_force_and_a_link(client):
    first = awaiting_panel()
    panel, member = first.people["panel"], first.people["panel_member"]
    old = closed_history(first, HISTORY_SHOWN + 3, prefix="OLD")
    # The school's most recent other referral: decided, then stepped up.
    decided = add_to_panel(panel, school=first.school)
    meeting = meeting_for(first)
    args = decision_args(first)
    was = services.decision_record(referral=decided, by=member, meeting=meeting, **args)
    now = services.decision_step(
        previous=was,
        by=member,
        change_reason="A second incident on the bus.",
        **{**args, "level": "child_protection", "pathway": "school_assessment"},
    )

    items, _ = agenda(meeting, member)
    (item,) = items
    assert item.referral == first
    assert item.history == [decided, *old[: HISTORY_SHOWN - 1]]  # most recent first
    assert item.history_total == len(old) + 1 and item.history_more
    assert item.history[0].current == now  # the decision in force, not the superseded one
    assert all(h.current is None for h in item.history[1:])

    client.force_login(member)
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert f"{len(old) + 1} other referrals from this school, the {HISTORY_SHOWN} most" in page
    assert f'href="/referrals/{decided.pk}/">{decided.reference}</a>' in page
    assert old[HISTORY_SHOWN - 2].reference in page and old[-1].reference not in page
    assert f'href="/referrals/?school={first.school_id}&amp;show=all"' in page
    # The rest is one click away: the list filtered to the school shows every one.
    listed = client.get(f"/referrals/?school={first.school_id}&show=all").content.decode()
    assert all(r.reference in listed for r in old)
    # The agenda opens the meeting's cases only, never the history it lists.
    assert set(
        CaseAccessLog.objects.filter(page="meeting_detail").values_list("referral_id", flat=True)
    ) == {first.pk}


def test_a_school_with_no_other_referral_says_so(client):
    first = awaiting_panel()
    meeting = meeting_for(first, open_=False)
    (item,) = agenda(meeting, first.people["panel_member"])[0]
    assert item.history == [] and item.history_total == 0 and not item.history_more
    client.force_login(first.people["panel_member"])
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "No earlier referrals" in page


def test_two_items_of_one_school_each_show_the_other_not_themselves():
    first = awaiting_panel()
    closed_history(first, HISTORY_SHOWN + 2, prefix="OLD")
    second = add_to_panel(first.people["panel"], school=first.school)
    items, _ = agenda(meeting_for(first, open_=False), first.people["panel_member"])
    by_referral = {i.referral: i for i in items}
    assert len(by_referral[first].history) == HISTORY_SHOWN
    assert by_referral[first].history[0] == second and first not in by_referral[first].history
    assert second not in by_referral[second].history
    assert by_referral[first].history_total == by_referral[second].history_total
    assert by_referral[first].history_total == HISTORY_SHOWN + 3


def test_history_queries_do_not_grow_with_schools_or_their_past():
    first = awaiting_panel()
    panel, member = first.people["panel"], first.people["panel_member"]
    meeting = meeting_for(first, open_=False)
    agenda(meeting, member)  # the member's roles are read once, then kept
    with CaptureQueriesContext(connection) as few:
        agenda(meeting, member)
    # Far more history than is shown, across several schools, some with decisions.
    closed_history(first, HISTORY_SHOWN * 4, prefix="OLD")
    for n in range(3):
        other = add_to_panel(panel, school=SchoolFactory(authority=panel.authority))
        other.people = first.people
        closed_history(other, HISTORY_SHOWN + 2, prefix=f"S{n}")
        add_to_panel(panel, school=other.school)
    with CaptureQueriesContext(connection) as many:
        items, _ = agenda(meeting, member)
    assert len(items) == 7
    assert all(len(i.history) <= HISTORY_SHOWN for i in items)
    assert len(many) == len(few)
    # Bounded in the database: at most one more row per school than an item shows (an
    # item skips itself), never a school's whole past.
    rows = _school_history(SchoolReferral.objects.visible_to(member), [first.school_id])
    assert len(rows[first.school_id]) == HISTORY_SHOWN + 1
