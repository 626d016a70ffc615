"""The deadlines lists (mine, my team's): a page at a time, most urgent first, running by
default with met and stopped a filter away, filtered by RAG and by kind of deadline, bad
filters answered at the field; never a clock of a case the reader may not open; the same
queries for more than a page; CSV and Excel exports with the filters, logged once."""

import csv
import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from accounts.models import TeamRole
from notifications.models import Deadline, Timescale
from referrals import services
from referrals.models import ExportLog
from tests.accounts.factories import SchoolFactory, TeamFactory, team_member_of
from tests.casework.bulk import copies_of
from tests.referrals.factories import in_state, submitted

MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London"))

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(MONDAY, tick=False)]


@pytest.fixture
def world():
    """A front door with three running screening clocks of its authority, one red, one amber
    and one green (the amber one of another kind), one met and one stopped; a front-door
    team and its manager; another authority's running clock."""
    w = type("World", (), {})()
    w.red = in_state("submitted")
    w.school, w.front_door = w.red.school, w.red.people["front_door"]
    w.panel = w.red.people["panel"]
    w.amber, w.green = submitted(w.school), submitted(w.school)
    w.met = services.referral_accept_to_panel(
        referral=submitted(w.school), by=w.front_door, panel=w.panel, reason="Meets it."
    )
    dsl = w.red.people["dsl"]
    w.stopped = services.referral_withdraw(
        referral=submitted(w.school, dsl), by=dsl, reason="Sent in error."
    )
    w.foreign = submitted(SchoolFactory())
    hour = dt.timedelta(hours=1)
    _clock(w.red).update(due_at=MONDAY - hour, reminder_at=MONDAY - 2 * hour)
    _clock(w.amber).update(
        due_at=MONDAY + hour,
        reminder_at=MONDAY - hour,
        timescale=Timescale.objects.get(
            authority=w.school.authority, key="panel_threshold_decision"
        ),
    )
    _clock(w.green).update(due_at=MONDAY + 5 * hour, reminder_at=MONDAY + 2 * hour)
    w.team = TeamFactory(authority=w.school.authority, is_front_door=True)
    w.manager = team_member_of(w.team, role=TeamRole.MANAGER)
    Deadline.objects.filter(authority=w.school.authority, owner_role="front_door").update(
        team=w.team
    )
    return w


def _clock(referral):
    return Deadline.objects.filter(case_id=referral.pk, case_type__model="schoolreferral")


def _shown(client, url):
    """The case labels a deadlines page links to, in its order, and the page."""
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    return _labels(body), body


def _labels(body):
    labels = re.findall(r'<a class="govuk-link" href="/referrals/\d+/">([^<]+)</a>', body)
    return [label.split(" – ")[0] for label in labels]


def test_running_most_urgent_first_by_default_never_another_authoritys(client, world):
    client.force_login(world.front_door)
    shown, body = _shown(client, "/deadlines/mine/")
    assert shown == [world.red.reference, world.amber.reference, world.green.reference]
    assert world.foreign.reference not in body
    assert "3 deadlines, most urgent first" in body
    assert "Red: overdue" in body and "Amber: due soon" in body and "Green: on track" in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("rag=red", ["red"]),
        ("rag=amber&rag=green", ["amber", "green"]),
        ("clock=panel_threshold_decision", ["amber"]),
        ("clock=screening_decision&rag=green", ["green"]),
        ("show=met", ["met"]),
        ("show=cancelled", ["stopped"]),
        ("show=all", ["red", "amber", "green", "met", "stopped"]),
        ("show=met&rag=red", []),  # a RAG is of running clocks only
    ],
)
def test_filters(client, world, query, expected):
    client.force_login(world.front_door)
    shown, body = _shown(client, f"/deadlines/mine/?{query}")
    assert shown == [getattr(world, name).reference for name in expected]
    assert "Remove this filter:" in body
    if not expected:
        assert "No deadlines match these filters." in body


def test_the_team_list_has_the_teams_clocks_and_its_filters(client, world):
    client.force_login(world.manager)
    shown, _ = _shown(client, "/deadlines/team/?rag=red&rag=green")
    assert shown == [world.red.reference, world.green.reference]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("rag=purple", "There is no RAG status called “purple”"),
        ("show=everything", "Choose running, met, stopped or all"),
        ("clock=nonsense", "Choose a kind of deadline from the list"),
        ("page=abc", None),
        ("page=999", None),
    ],
)
def test_bad_filters_are_answered_at_the_field_never_a_failure(client, world, query, message):
    client.force_login(world.front_door)
    shown, body = _shown(client, f"/deadlines/mine/?{query}")
    assert shown == [world.red.reference, world.amber.reference, world.green.reference]
    if message:
        assert "There is a problem" in body and message in body
        assert "<title>Error:" in body


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.mark.parametrize("url", ["/deadlines/mine/", "/deadlines/team/"])
def test_pages_of_more_than_fifty_keep_the_filters_in_the_same_queries(client, world, url):
    who = world.front_door if "mine" in url else world.manager
    client.force_login(who)
    few, _ = _queries(client, f"{url}?clock=screening_decision")
    copies_of(world.green, 60)  # 62 screening clocks running, all green
    first, body = _queries(client, f"{url}?clock=screening_decision")
    assert "62 deadlines" in body and "Page 1 of 2" in body
    assert 'href="?clock=screening_decision&amp;page=2"' in body
    second, body = _queries(client, f"{url}?clock=screening_decision&page=2")
    assert "Page 2 of 2" in body and len(_labels(body)) == 12
    assert first <= few and second <= few


def _csv(response):
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_exports_carry_the_filters_and_are_logged_once(client, world):
    client.force_login(world.front_door)
    rows = _csv(client.get("/deadlines/mine/export.csv?rag=red&rag=amber&page=2"))
    assert rows[0][:3] == ["RAG", "Deadline", "Case"]
    assert [(r[0], r[2].split(" – ")[0]) for r in rows[1:]] == [
        ("Red: overdue", world.red.reference),
        ("Amber: due soon", world.amber.reference),
    ]
    own_team = client.get("/deadlines/team/export.xlsx?show=all")  # the front door's own
    assert own_team.status_code == 200
    client.force_login(world.manager)
    team = client.get("/deadlines/team/export.xlsx?show=all")
    sheet = load_workbook(io.BytesIO(team.content)).active
    cases = [row[2].split(" – ")[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(cases) == sorted(
        getattr(world, n).reference for n in ("red", "amber", "green", "met", "stopped")
    )
    assert world.foreign.reference not in cases
    words = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert words == {"Red: overdue", "Amber: due soon", "Green: on track", "Met", "Stopped"}
    logs = list(ExportLog.objects.order_by("pk").values_list("list_name", "format", "filters"))
    assert logs == [
        ("my_deadlines", "csv", "rag=red&rag=amber"),
        ("team_deadlines", "xlsx", "show=all"),
        ("team_deadlines", "xlsx", "show=all"),
    ]
    assert ExportLog.objects.order_by("pk").last().rows == 5


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/deadlines/mine/export.txt", 404),
        ("/deadlines/mine/export.csv?rag=purple", 302),
        ("/deadlines/team/export.xlsx?clock=nonsense", 302),
    ],
)
def test_a_bad_export_is_refused_without_a_log(client, world, url, status):
    client.force_login(world.front_door)
    response = client.get(url)
    assert response.status_code == status
    if status == 302:
        assert "There is a problem" in client.get(response.url).content.decode()
    assert not ExportLog.objects.exists()


def test_an_export_of_more_than_a_page_costs_the_same_queries(client, world):
    client.force_login(world.front_door)

    def export():
        with CaptureQueriesContext(connection) as captured:
            rows = _csv(client.get("/deadlines/mine/export.csv"))
        return len(captured), rows

    few, _ = export()
    copies_of(world.green, 60)
    many, rows = export()
    assert many <= few and len(rows) == 1 + 63
    assert ExportLog.objects.order_by("pk").last().rows == 63


def test_the_page_links_to_its_exports_with_its_filters(client, world):
    client.force_login(world.front_door)
    _, body = _shown(client, "/deadlines/mine/?rag=red&page=1")
    assert 'href="/deadlines/mine/export.csv?rag=red"' in body  # without the page
    assert 'href="/deadlines/mine/export.xlsx?rag=red"' in body
    assert "Download as CSV" in body and "Download as Excel" in body


@pytest.mark.parametrize("url", ["/deadlines/mine/", "/deadlines/team/"])
def test_the_count_stops_at_the_cap_and_the_downloads_hold_the_rest(
    client, world, url, monkeypatch
):
    """Past casework.lists.COUNT_CAP the page says "More than" and pages as far as the cap,
    most urgent first; the export still holds every deadline."""
    from casework import lists

    monkeypatch.setattr(lists, "COUNT_CAP", 55)
    who = world.front_door if "mine" in url else world.manager
    client.force_login(who)
    copies_of(world.green, 60)  # 63 running clocks
    _, body = _queries(client, url)
    assert "More than 55 deadlines, most urgent first" in body and "Page 1 of 2" in body
    assert "of the more than 55 deadlines these filters show" in body
    labels, body = _shown(client, f"{url}?page=2")
    assert len(labels) == 5 and "Page 2 of 2" in body
    assert len(_csv(client.get(url + "export.csv"))) == 1 + 63
    monkeypatch.setattr(lists, "COUNT_CAP", 63)
    _, body = _queries(client, url)
    assert "63 deadlines" in body and "More than" not in body
