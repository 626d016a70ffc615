"""The referral list and the caseload, a page at a time: the right rows for each person
(never one visible_to hides), open work most urgent first, filters and search, filters kept
across pages, bad input answered with a message, and the same number of queries for page 2
and for more rows."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework import lists
from referrals import services
from referrals.models import SchoolReferral
from referrals.selectors import BY_URGENCY
from tests.accounts.factories import SchoolFactory, dsl_of, front_door_of
from tests.referrals.factories import draft, submitted

MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London"))

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(MONDAY, tick=False)]


def _shown(client, url):
    """The referrals a list page links to, in its order."""
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    return [int(pk) for pk in re.findall(r'href="/referrals/(\d+)/"', body)], body


@pytest.fixture
def world(time_machine):
    """Two schools of one authority and a school of another; referrals submitted on
    Wednesday (screening due Thursday) before one submitted on Monday (due Tuesday), a
    draft, a withdrawn referral, and another authority's."""
    w = type("World", (), {})()
    w.school = SchoolFactory(name="Riverside Academy")
    w.other_school = SchoolFactory(name="Hilltop School", authority=w.school.authority)
    w.elsewhere = SchoolFactory(name="Riverside Elsewhere")
    w.dsl, w.other_dsl = dsl_of(w.school), dsl_of(w.other_school)
    w.front_door = front_door_of(w.school.authority)
    time_machine.move_to(MONDAY + dt.timedelta(days=2))
    w.later = submitted(w.school, w.dsl)
    w.hilltop = submitted(w.other_school, w.other_dsl)
    time_machine.move_to(MONDAY)
    w.sooner = submitted(w.school, w.dsl)
    w.draft = draft(w.school, w.dsl)
    w.withdrawn = services.referral_withdraw(
        referral=submitted(w.school, w.dsl), by=w.dsl, reason="Sent in error."
    )
    w.foreign = submitted(w.elsewhere)
    return w


def test_a_case_keeps_the_soonest_due_of_its_running_clocks(world):
    sooner = SchoolReferral.objects.get(pk=world.sooner.pk)
    assert sooner.next_due_at is not None
    assert sooner.next_due_at < SchoolReferral.objects.get(pk=world.later.pk).next_due_at
    assert SchoolReferral.objects.get(pk=world.draft.pk).next_due_at is None
    assert SchoolReferral.objects.get(pk=world.withdrawn.pk).next_due_at is None
    accepted = services.referral_start_screening(referral=sooner, by=world.front_door)
    assert SchoolReferral.objects.get(pk=accepted.pk).next_due_at == sooner.next_due_at


def test_the_default_view_is_open_work_most_urgent_first(client, world):
    client.force_login(world.front_door)
    shown, body = _shown(client, "/referrals/")
    # Screening due Tuesday, then the two due Thursday (oldest first); no draft, nothing
    # closed, nothing of another authority.
    assert shown == [world.sooner.pk, world.later.pk, world.hilltop.pk]
    assert "3 referrals, most urgent first" in body


def test_closed_work_is_a_filter_away(client, world):
    client.force_login(world.front_door)
    assert _shown(client, "/referrals/?show=closed")[0] == [world.withdrawn.pk]
    shown, body = _shown(client, "/referrals/?show=all")
    assert sorted(shown) == sorted(
        [world.sooner.pk, world.later.pk, world.hilltop.pk, world.withdrawn.pk]
    )
    assert "Remove this filter:</span> All" in body


def test_a_dsl_sees_their_own_schools_referrals_drafts_included_and_nothing_else(client, world):
    client.force_login(world.dsl)
    shown, _ = _shown(client, "/referrals/?show=all")
    assert sorted(shown) == sorted(
        [world.sooner.pk, world.later.pk, world.draft.pk, world.withdrawn.pk]
    )
    # Asking for another school's referrals, or searching for them, shows none of them.
    assert _shown(client, f"/referrals/?school={world.other_school.pk}")[0] == []
    assert _shown(client, "/referrals/?q=Hilltop")[0] == []
    assert _shown(client, f"/referrals/?q={world.hilltop.reference}")[0] == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("state=screening", []),
        ("state=submitted&state=withdrawn&show=all", ["sooner", "later", "hilltop", "withdrawn"]),
        ("school={hilltop_school}", ["hilltop"]),
        ("q={sooner_reference}", ["sooner"]),
        ("q=riverside", ["sooner", "later"]),
        ("q={hilltop_urn}", ["hilltop"]),
        ("q={elsewhere_urn}", []),  # another authority's school: never shown
        ("q=Riverside&show=closed", ["withdrawn"]),
    ],
)
def test_filters_and_search(client, world, query, expected):
    client.force_login(world.front_door)
    query = query.format(
        hilltop_school=world.other_school.pk,
        sooner_reference=world.sooner.reference,
        hilltop_urn=world.other_school.urn,
        elsewhere_urn=world.elsewhere.urn,
    )
    shown, _ = _shown(client, f"/referrals/?{query}")
    assert sorted(shown) == sorted(getattr(world, name).pk for name in expected)


def test_the_school_filter_offers_the_schools_of_the_visible_referrals(client, world):
    client.force_login(world.front_door)
    body = client.get("/referrals/").content.decode()
    assert f'<option value="{world.other_school.pk}">Hilltop School</option>' in body
    assert "Riverside Elsewhere" not in body


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("page=abc", None),
        ("page=99999", None),
        ("page=-1", None),
        ("state=bogus", "There is no status called “bogus”"),
        ("show=everything", "Choose open work, closed or all"),
        ("school=abc", "Choose a school from the list"),
        ("school=99999999999999999999", "Choose a school from the list"),
        ("q=" + "x" * 101, "Search must be 100 characters or fewer"),
        ("q=%00", "Null characters are not allowed"),
        ("unknown=1", None),
    ],
)
def test_bad_input_shows_the_list_with_a_message_never_a_failure(client, world, query, message):
    client.force_login(world.front_door)
    shown, body = _shown(client, f"/referrals/?{query}")
    assert sorted(shown) == sorted([world.sooner.pk, world.later.pk, world.hilltop.pk])
    if message:
        assert "There is a problem" in body and message in body
    else:
        assert "There is a problem" not in body


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_pages_keep_the_filters_and_cost_the_same_queries_however_many_rows(
    client, world, monkeypatch
):
    monkeypatch.setattr(lists, "PAGE_SIZE", 2)
    for _ in range(3):
        submitted(world.school, world.dsl)
    client.force_login(world.front_door)
    url = f"/referrals/?q=Riverside&state=submitted&school={world.school.pk}"
    first, body = _queries(client, url)
    assert "Page 1 of 3" in body
    assert (
        f'href="?q=Riverside&amp;state=submitted&amp;school={world.school.pk}&amp;page=2"' in body
    )
    second, body = _queries(client, url + "&page=2")
    assert "Page 2 of 3" in body and 'rel="prev"' in body
    assert second <= first
    for _ in range(4):
        submitted(world.school, world.dsl)
    more, body = _queries(client, url + "&page=3")
    assert "Page 3 of 5" in body and more <= first
    everything, _ = _queries(client, "/referrals/?show=all&page=2")
    assert everything <= first


def test_every_page_of_the_list_together_is_what_visible_to_gives(client, world, monkeypatch):
    monkeypatch.setattr(lists, "PAGE_SIZE", 2)
    client.force_login(world.front_door)
    seen = []
    for number in (1, 2):
        seen += _shown(client, f"/referrals/?show=all&page={number}")[0]
    assert _shown(client, "/referrals/?show=all&page=3")[0] == seen[2:]  # past the end: the last
    visible = SchoolReferral.objects.visible_to(world.front_door).values_list("pk", flat=True)
    assert sorted(seen) == sorted(visible)
    assert world.foreign.pk not in seen and world.draft.pk not in seen


def test_the_caseload_is_paged_most_urgent_first_in_the_same_queries(client, monkeypatch):
    from tests.referrals.plan_factories import decided_case

    monkeypatch.setattr(lists, "PAGE_SIZE", 2)
    first = decided_case()
    lead, team = first.people["practitioner"], first.people["team"]
    cases = [first] + [decided_case(lead_practitioner=lead, lead_team=team) for _ in range(2)]
    someone_elses = decided_case()
    client.force_login(lead)
    one, body = _queries(client, "/caseload/")
    assert "Page 1 of 2" in body
    two, body = _queries(client, "/caseload/?page=2")
    assert two <= one
    cases += [decided_case(lead_practitioner=lead, lead_team=team) for _ in range(2)]
    more, _ = _queries(client, "/caseload/?page=2")
    assert more <= one
    seen = []
    for number in (1, 2, 3):
        seen += _shown(client, f"/caseload/?page={number}")[0]
    expected = SchoolReferral.objects.filter(pk__in=[c.pk for c in cases]).order_by(*BY_URGENCY)
    assert seen == [c.pk for c in expected]
    assert someone_elses.pk not in seen


def test_a_row_shows_its_two_soonest_clocks_and_how_many_more(client):
    """A case running several clocks shows the two soonest in the list (so an overdue one is
    never hidden) and how many more."""
    from django.contrib.contenttypes.models import ContentType

    from accounts.models import LocalAuthority
    from notifications.models import Deadline, Timescale

    referral = submitted(SchoolFactory())
    clocks = Deadline.objects.filter(
        case_id=referral.pk, case_type__model="schoolreferral", status="running"
    )
    clock = clocks.get(timescale__key="screening_decision")
    other_type = ContentType.objects.get_for_model(LocalAuthority)  # any record but the case
    keys = ["panel_threshold_decision", "plan_review", "exploitation_risk_assessment"]
    for n, key in enumerate(keys, start=1):
        copy = Deadline.objects.get(pk=clock.pk)
        copy.pk, copy.subject_type, copy.subject_id = None, other_type, n
        copy.timescale = Timescale.objects.get(authority=clock.authority, key=key)
        copy.due_at = MONDAY - dt.timedelta(hours=n)  # overdue, the last one the most
        copy.save()
    client.force_login(front_door_of(referral.school.authority))
    _, body = _shown(client, "/referrals/")
    row = body[body.index(referral.reference) :]
    row = row[: row.index("</tr>")]
    more = clocks.count() - 2
    assert more >= 2
    assert row.count('class="app-deadline"') == 2 and f"and {more} more running" in row
    newest = Timescale.objects.get(authority=clock.authority, key=keys[-1]).name
    assert newest in row  # the most overdue is first
