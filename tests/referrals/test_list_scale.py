"""The referral list with more rows than a page: the same number of queries for 2 matches
as for 60 with several filters and a sort on, and a count capped at lists.COUNT_CAP (the
figures behind the cap and the indexes are in migration 0006 and the branch's report)."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework import lists
from referrals.choices import ReferralState
from referrals.models import SchoolReferral
from tests.accounts.factories import (
    ContextPanelFactory,
    SchoolFactory,
    TeamFactory,
    dsl_of,
    front_door_of,
)
from tests.referrals.factories import submitted

MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London"))

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(MONDAY, tick=False)]


@pytest.fixture
def world():
    w = type("World", (), {})()
    w.school = SchoolFactory(name="Riverside Academy")
    w.other_school = SchoolFactory(name="Hilltop School", authority=w.school.authority)
    w.dsl = dsl_of(w.school)
    w.front_door = front_door_of(w.school.authority)
    w.panel = ContextPanelFactory(authority=w.school.authority)
    w.team = TeamFactory(authority=w.school.authority)
    w.elsewhere = SchoolFactory()
    return w


def _bulk(world, count, school=None, start=0):
    """`count` submitted referrals in one insert, matching the filters of FILTERED: grooming,
    the panel and team, submitted in November, red (overdue) or green by turns."""
    school = school or world.school
    SchoolReferral.objects.bulk_create(
        SchoolReferral(
            reference=f"SR-2026-{80000 + start + n}",
            school=school,
            created_by=world.dsl,
            state=ReferralState.AWAITING_PANEL,
            submitted_at=MONDAY - dt.timedelta(days=1 + n % 20),
            concern_types=["grooming", "bullying"],
            panel=world.panel,
            allocated_team=world.team,
            next_due_at=MONDAY + dt.timedelta(hours=(n % 7) - 3),
        )
        for n in range(count)
    )


def _filtered(world):
    return (
        f"/referrals/?concern=grooming&concern=online_harm&rag=red&rag=green&rag=amber"
        f"&panel={world.panel.pk}&team={world.team.pk}&submitted_from_day=1"
        f"&submitted_from_month=11&submitted_from_year=2026&submitted_to_day=23"
        f"&submitted_to_month=11&submitted_to_year=2026&q=SR-2026&sort=submitted&order=desc"
    )


def _get(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_same_queries_for_two_matches_as_for_sixty_with_filters_and_a_sort(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.front_door)
    submitted(world.school, world.dsl)  # real clocks on the page too
    _bulk(world, 2)
    few, body = _get(client, _filtered(world))
    assert "2 referrals" in body and "There is a problem" not in body
    _bulk(world, 60, start=100)
    _bulk(world, 5, school=world.elsewhere, start=500)  # another authority's: never shown
    with django_assert_max_num_queries(few):
        response = client.get(_filtered(world))
    body = response.content.decode()
    assert "62 referrals" in body and "Page 1 of 2" in body
    shown = re.findall(r'href="/referrals/(\d+)/"', body)
    assert len(shown) == 50
    with django_assert_max_num_queries(few):
        assert client.get(_filtered(world) + "&page=2").status_code == 200
    # The default view, the closed view and all cost no more either.
    for url in ("/referrals/", "/referrals/?show=all&page=2", "/referrals/?show=closed"):
        with django_assert_max_num_queries(few):
            assert client.get(url).status_code == 200


def test_the_count_stops_at_the_cap_and_says_there_are_more(client, world, monkeypatch):
    monkeypatch.setattr(lists, "COUNT_CAP", 55)
    _bulk(world, 60)
    client.force_login(world.front_door)
    count, body = _get(client, "/referrals/")
    assert "More than 55 referrals" in body and "Page 1 of 2" in body
    assert "These pages show the first 55" in body
    _, body = _get(client, "/referrals/?page=2")
    assert len(re.findall(r'href="/referrals/(\d+)/"', body)) == 5
    # Past the cap is the last page of the cap.
    _, body = _get(client, "/referrals/?page=3")
    assert "Page 2 of 2" in body
    # The other end is a reverse sort away.
    urgent_last = list(
        SchoolReferral.objects.visible_to(world.front_door)
        .order_by("-next_due_at", "-pk")
        .values_list("pk", flat=True)[:50]
    )
    _, body = _get(client, "/referrals/?sort=due&order=desc")
    assert [int(pk) for pk in re.findall(r'href="/referrals/(\d+)/"', body)] == urgent_last
    # Under the cap, the exact count.
    _, body = _get(client, f"/referrals/?school={world.other_school.pk}")
    assert "More than" not in body
    monkeypatch.setattr(lists, "COUNT_CAP", 60)
    _, body = _get(client, "/referrals/")
    assert "60 referrals" in body and "More than" not in body
