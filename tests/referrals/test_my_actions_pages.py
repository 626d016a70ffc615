"""My actions a page at a time: only the actions this person owns (never another's, nor
those of a case they can read), open ones by default with the soonest due first, done and
closed a filter away, RAG for the page's rows only, bad input answered with a message, and
the same queries for 3 actions as for more than a page."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.lists import PAGE_SIZE
from referrals.plans import services as plan_services
from tests.referrals.plan_factories import plan_with_actions

MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London"))

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(MONDAY, tick=False)]


def _on(days):
    return MONDAY.date() + dt.timedelta(days=days)


def _shown(client, url):
    """The actions the page links to, in its order, and the page."""
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    return [int(pk) for pk in re.findall(r'href="/actions/(\d+)/"', body)], body


@pytest.fixture
def world():
    """A police partner's actions due in 20, 3 and 10 days (added in that order), one due in
    5 days done and one due in 7 closed without being done; the DSL's action on the same
    plan; and a practitioner (the lead) who owns none."""
    case, plan, (dsl_action,) = plan_with_actions(owners=("dsl",))
    w = type("World", (), {})()
    w.case, w.plan, w.dsl_action = case, plan, dsl_action
    w.lead, w.police, w.dsl = case.people["practitioner"], case.people["police"], case.people["dsl"]

    def add(days, what):
        return plan_services.action_add(
            plan=plan,
            by=w.lead,
            what=what,
            why="Pupils said the bus feels unsafe",
            due_on=_on(days),
            owner=w.police,
        )

    w.late, w.soon, w.middle = add(20, "Patrol"), add(3, "Visit"), add(10, "Talk")
    w.done = plan_services.action_done(
        action=add(5, "Leaflets"), by=w.police, evidence_of_impact="Fewer incidents."
    )
    w.closed = plan_services.action_close(
        action=add(7, "Cameras"), by=w.lead, reason="Overtaken by events"
    )
    return w


def test_the_default_view_is_open_actions_soonest_due_first(client, world):
    client.force_login(world.police)
    shown, body = _shown(client, "/actions/")
    assert shown == [world.soon.pk, world.middle.pk, world.late.pk]
    assert "3 actions open, the soonest due first" in body
    assert "Green: on track" in body  # each open row's RAG, in words
    assert world.dsl_action.what not in body


@pytest.mark.parametrize(
    ("show", "expected"),
    [
        ("open", ["soon", "middle", "late"]),
        ("done", ["closed", "done"]),  # the latest due first
        ("all", ["soon", "middle", "late", "done", "closed"]),  # open first
    ],
)
def test_done_and_closed_are_a_filter_away(client, world, show, expected):
    client.force_login(world.police)
    shown, body = _shown(client, f"/actions/?show={show}")
    assert shown == [getattr(world, name).pk for name in expected]
    if show != "open":
        assert "Closed without being done" in body and ">Done<" in body


def test_each_person_sees_only_the_actions_they_own(client, world):
    client.force_login(world.dsl)
    assert _shown(client, "/actions/?show=all")[0] == [world.dsl_action.pk]
    # The lead reads the whole plan, but owns none of its actions: My actions is empty.
    client.force_login(world.lead)
    shown, body = _shown(client, "/actions/")
    assert shown == [] and "You have no open actions" in body
    assert _shown(client, "/actions/?show=all")[0] == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("show=closed", "Choose open, done or closed, or all"),
        ("show=%00", "Choose open, done or closed, or all"),
        ("page=abc", None),
        ("page=0", None),
        ("page=99999999999999999999", None),
        ("unknown=1", None),
    ],
)
def test_bad_input_shows_open_actions_with_a_message_never_a_failure(client, world, query, message):
    client.force_login(world.police)
    shown, body = _shown(client, f"/actions/?{query}")
    assert shown == [world.soon.pk, world.middle.pk, world.late.pk]
    if message:
        assert "There is a problem" in body and message in body
        assert 'href="#id_show_0"' in body
    else:
        assert "There is a problem" not in body


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_more_than_a_page_costs_the_same_queries_and_page_two_keeps_the_filter(client, world):
    client.force_login(world.police)
    few, _ = _queries(client, "/actions/?show=all")
    for n in range(PAGE_SIZE):
        plan_services.action_add(
            plan=world.plan,
            by=world.lead,
            what=f"More {n}",
            why="More work",
            due_on=_on(30 + n),
            owner=world.police,
        )
    many, body = _queries(client, "/actions/?show=all")
    assert many <= few
    assert "Page 1 of 2" in body and 'href="?show=all&amp;page=2"' in body
    first = [int(pk) for pk in re.findall(r'href="/actions/(\d+)/"', body)]
    assert len(first) == PAGE_SIZE
    again, body = _queries(client, "/actions/?show=all&page=2")
    assert again <= few and "Page 2 of 2" in body
    second = [int(pk) for pk in re.findall(r'href="/actions/(\d+)/"', body)]
    # The last open ones, then the finished: every action once.
    assert second[-2:] == [world.done.pk, world.closed.pk]
    assert len(set(first + second)) == PAGE_SIZE + 5
    # The default view pages the open ones alone.
    assert "53 actions open" in client.get("/actions/").content.decode()


def test_the_count_stops_at_the_cap(client, world, monkeypatch):
    """Past casework.lists.COUNT_CAP My actions says "More than", the soonest due first."""
    from casework import lists

    monkeypatch.setattr(lists, "COUNT_CAP", 2)
    client.force_login(world.police)
    body = client.get("/actions/").content.decode()
    assert "More than 2 actions open, the soonest due first" in body
    monkeypatch.setattr(lists, "COUNT_CAP", 1000)
    body = client.get("/actions/").content.decode()
    assert "More than" not in body
