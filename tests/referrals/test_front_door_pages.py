"""The front-door queue a page at a time: its authority's referrals only (never one
visible_to hides), waiting for a decision by default, oldest submitted first, the other
views a filter away, bad input answered with a message, and the same queries for 2 rows as
for more than a page."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.lists import PAGE_SIZE
from referrals import services
from tests.accounts.factories import ContextPanelFactory, SchoolFactory, dsl_of, front_door_of
from tests.referrals.factories import draft, submitted

MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London"))

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(MONDAY, tick=False)]


def _shown(client, url):
    """The referrals the page links to, in its order, and the page."""
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    return [int(pk) for pk in re.findall(r'href="/referrals/(\d+)/"', body)], body


@pytest.fixture
def world(time_machine):
    """One authority's referrals submitted on the Monday before (oldest), Wednesday and
    Friday; one being screened, one the front door asked the school about, one accepted to
    a panel, a withdrawn one, a draft; and a referral of another authority."""
    w = type("World", (), {})()
    w.school = SchoolFactory(name="Riverside Academy")
    w.dsl = dsl_of(w.school)
    w.front_door = front_door_of(w.school.authority)
    w.elsewhere = SchoolFactory(name="Hilltop Elsewhere")
    w.other_front_door = front_door_of(w.elsewhere.authority)
    time_machine.move_to(MONDAY - dt.timedelta(days=7))
    w.oldest = submitted(w.school, w.dsl)
    w.asked = services.referral_request_information(
        referral=services.referral_start_screening(
            referral=submitted(w.school, w.dsl), by=w.front_door
        ),
        by=w.front_door,
        message="How many pupils use the bus?",
    )
    time_machine.move_to(MONDAY - dt.timedelta(days=5))
    w.screening = services.referral_start_screening(
        referral=submitted(w.school, w.dsl), by=w.front_door
    )
    w.accepted = services.referral_accept_to_panel(
        referral=submitted(w.school, w.dsl),
        by=w.front_door,
        panel=ContextPanelFactory(authority=w.school.authority, region=w.school.locality),
        reason="Meets the school threshold.",
    )
    time_machine.move_to(MONDAY - dt.timedelta(days=3))
    w.newest = submitted(w.school, w.dsl)
    w.withdrawn = services.referral_withdraw(
        referral=submitted(w.school, w.dsl), by=w.dsl, reason="Sent in error."
    )
    w.foreign = submitted(w.elsewhere)
    time_machine.move_to(MONDAY)
    w.draft = draft(w.school, w.dsl)
    return w


def test_the_default_view_is_what_waits_for_a_decision_oldest_submitted_first(client, world):
    client.force_login(world.front_door)
    shown, body = _shown(client, "/front-door/")
    # No draft, nothing asked of the school, accepted or withdrawn; nothing of another
    # authority.
    assert shown == [world.oldest.pk, world.screening.pk, world.newest.pk]
    assert "3 referrals (all waiting for a decision), oldest submitted first" in body
    assert "Screening decision" in body  # the rows' running deadlines


@pytest.mark.parametrize(
    ("show", "expected"),
    [
        ("waiting", ["oldest", "screening", "newest"]),
        ("submitted", ["oldest", "newest"]),
        ("screening", ["screening"]),
        ("asked", ["asked"]),
    ],
)
def test_each_view_is_a_filter_away(client, world, show, expected):
    client.force_login(world.front_door)
    shown, body = _shown(client, f"/front-door/?show={show}")
    assert shown == [getattr(world, name).pk for name in expected]
    assert f'value="{show}" checked' in body


def test_another_authoritys_front_door_sees_only_its_own(client, world):
    client.force_login(world.other_front_door)
    for show in ("waiting", "submitted", "screening", "asked"):
        shown, _ = _shown(client, f"/front-door/?show={show}")
        assert shown == ([world.foreign.pk] if show in ("waiting", "submitted") else [])


def test_only_the_front_door_has_a_queue(client, world):
    client.force_login(world.dsl)
    assert client.get("/front-door/").status_code == 403
    assert client.get("/front-door/?show=asked").status_code == 403


def test_an_empty_view_says_so_and_leads_back(client, world):
    client.force_login(world.other_front_door)
    shown, body = _shown(client, "/front-door/?show=screening")
    assert shown == []
    assert "No referrals to show (being screened)" in body
    assert "See all waiting for a decision" in body


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("show=everything", "Choose which referrals to show from the list"),
        ("show=%00", "Choose which referrals to show from the list"),
        ("page=abc", None),
        ("page=-1", None),
        ("page=99999999999999999999", None),
        ("show=asked&show=", None),
        ("unknown=1", None),
    ],
)
def test_bad_input_shows_the_queue_with_a_message_never_a_failure(client, world, query, message):
    client.force_login(world.front_door)
    shown, body = _shown(client, f"/front-door/?{query}")
    if message:
        assert shown == [world.oldest.pk, world.screening.pk, world.newest.pk]
        assert "There is a problem" in body and message in body
        assert 'href="#id_show_0"' in body  # the error summary links to the field
        assert "<title>Error:" in body
    else:
        assert "There is a problem" not in body


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_more_than_a_page_costs_the_same_queries_and_page_two_keeps_the_filter(client, world):
    client.force_login(world.front_door)
    few, _ = _queries(client, "/front-door/?show=submitted")
    more = [submitted(world.school, world.dsl) for _ in range(PAGE_SIZE + 1)]
    many, body = _queries(client, "/front-door/?show=submitted")
    assert many <= few
    assert "Page 1 of 2" in body and 'href="?show=submitted&amp;page=2"' in body
    first = [int(pk) for pk in re.findall(r'href="/referrals/(\d+)/"', body)]
    assert len(first) == PAGE_SIZE
    second_count, body = _queries(client, "/front-door/?show=submitted&page=2")
    assert second_count <= few
    second = [int(pk) for pk in re.findall(r'href="/referrals/(\d+)/"', body)]
    # Every referral once, oldest submitted first (those submitted now, in the order made).
    assert first + second == [world.oldest.pk, world.newest.pk] + [r.pk for r in more]
    assert "Page 2 of 2" in body and 'rel="prev"' in body


def test_the_count_stops_at_the_cap(client, world, monkeypatch):
    """Past casework.lists.COUNT_CAP the queue says "More than" and pages as far as it."""
    from casework import lists

    monkeypatch.setattr(lists, "COUNT_CAP", PAGE_SIZE + 1)
    client.force_login(world.front_door)
    for _ in range(PAGE_SIZE + 1):
        submitted(world.school, world.dsl)
    _, body = _queries(client, "/front-door/?show=submitted")
    assert f"More than {PAGE_SIZE + 1} referrals (not started)" in body
    assert "Page 1 of 2" in body
    monkeypatch.setattr(lists, "COUNT_CAP", 1000)
    _, body = _queries(client, "/front-door/?show=submitted")
    assert "More than" not in body
