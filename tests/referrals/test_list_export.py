"""The referral list as CSV and Excel: the list's filters carried over (a row filtered out
is absent), never a row visible_to hides, one ExportLog per export with its filters and row
count, a bad export refused without a log or a failure, the deadlines a chunk at a time and
the same queries for 2 rows as for more than a page."""

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from referrals import exports as referral_exports
from referrals import services
from referrals.models import ExportLog
from tests.accounts.factories import SchoolFactory, dsl_of, front_door_of
from tests.casework.bulk import copies_of
from tests.referrals.factories import draft, submitted

MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London"))

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(MONDAY, tick=False)]


@pytest.fixture
def world():
    """Two schools of one authority and one of another: submitted referrals, a draft and a
    withdrawn one at Riverside, one at Hilltop, one elsewhere."""
    w = type("World", (), {})()
    w.school = SchoolFactory(name="Riverside Academy")
    w.other_school = SchoolFactory(name="Hilltop School", authority=w.school.authority)
    w.elsewhere = SchoolFactory(name="Riverside Elsewhere")
    w.dsl = dsl_of(w.school)
    w.front_door = front_door_of(w.school.authority)
    w.riverside = submitted(w.school, w.dsl)
    w.hilltop = submitted(w.other_school)
    w.draft = draft(w.school, w.dsl)
    w.withdrawn = services.referral_withdraw(
        referral=submitted(w.school, w.dsl), by=w.dsl, reason="Sent in error."
    )
    w.foreign = submitted(w.elsewhere)
    return w


def _csv(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _references(rows):
    return [row[0] for row in rows[1:]]


def test_the_csv_has_the_columns_and_the_next_deadline_in_words(client, world):
    client.force_login(world.front_door)
    rows = _csv(client.get("/referrals/export.csv"))
    assert rows[0] == referral_exports.HEADER
    first = rows[1]
    assert first[:4] == [
        world.riverside.reference,
        "Riverside Academy",
        world.school.urn,
        "Submitted",
    ]
    assert first[4] == "2026-11-23 10:00"
    assert first[7] == "Screening decision"
    assert first[9] == "Green: on track"


def test_the_export_carries_the_lists_filters(client, world):
    client.force_login(world.front_door)
    default = _references(_csv(client.get("/referrals/export.csv")))
    assert sorted(default) == sorted([world.riverside.reference, world.hilltop.reference])
    only_hilltop = _csv(client.get(f"/referrals/export.csv?school={world.other_school.pk}"))
    assert _references(only_hilltop) == [world.hilltop.reference]
    closed = _csv(client.get("/referrals/export.csv?show=closed&q=riverside"))
    assert _references(closed) == [world.withdrawn.reference]


def test_a_dsl_never_gets_another_schools_referral_nor_a_front_door_another_authoritys(
    client, world
):
    client.force_login(world.dsl)
    theirs = _references(_csv(client.get("/referrals/export.csv?show=all")))
    assert sorted(theirs) == sorted([world.riverside.reference, world.withdrawn.reference, "Draft"])
    asked = _csv(client.get(f"/referrals/export.csv?school={world.other_school.pk}&show=all"))
    assert _references(asked) == []
    client.force_login(world.front_door)
    searched = _csv(client.get(f"/referrals/export.csv?show=all&q={world.elsewhere.urn}"))
    assert _references(searched) == []
    everything = _references(_csv(client.get("/referrals/export.csv?show=all")))
    assert world.foreign.reference not in everything


def test_the_excel_file_opens_with_its_header_and_rows(client, world):
    client.force_login(world.front_door)
    response = client.get("/referrals/export.xlsx?show=all")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "no-store" in response["Cache-Control"]
    sheet = load_workbook(io.BytesIO(response.content))["Referrals"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == referral_exports.HEADER
    assert sorted(r[0] for r in rows[1:]) == sorted(
        [world.riverside.reference, world.hilltop.reference, world.withdrawn.reference]
    )
    assert rows[1][4] == dt.datetime(2026, 11, 23, 10, 0)  # a date cell, in London time


def test_each_export_is_logged_once_with_its_filters_and_rows(client, world):
    client.force_login(world.front_door)
    _csv(client.get(f"/referrals/export.csv?school={world.school.pk}&show=all&page=3"))
    client.get("/referrals/export.xlsx?q=hilltop")
    first, second = ExportLog.objects.order_by("pk")
    assert (first.user, first.list_name, first.format, first.rows) == (
        world.front_door,
        "referral_list",
        "csv",
        2,
    )
    assert first.filters == f"school={world.school.pk}&show=all"  # without the page
    assert (second.format, second.filters, second.rows) == ("xlsx", "q=hilltop", 1)


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/referrals/export.pdf", 404),
        ("/referrals/export.csv?state=bogus", 302),
        ("/referrals/export.xlsx?show=everything", 302),
        ("/referrals/export.csv?q=%00", 302),
    ],
)
def test_a_bad_export_is_refused_without_a_log_or_a_failure(client, world, url, status):
    client.force_login(world.front_door)
    response = client.get(url)
    assert response.status_code == status
    if status == 302:
        # Back to the list, which shows the message at the field.
        assert response.url.startswith("/referrals/?")
        page = client.get(response.url).content.decode()
        assert "There is a problem" in page
    assert not ExportLog.objects.exists()


def test_signed_out_or_posting_is_refused_without_a_log(client, world):
    assert client.get("/referrals/export.csv").status_code == 302  # to sign in
    client.force_login(world.front_door)
    assert client.post("/referrals/export.csv").status_code == 405
    assert not ExportLog.objects.exists()


def test_the_list_links_to_its_exports_with_its_filters(client, world):
    client.force_login(world.front_door)
    page = client.get(f"/referrals/?school={world.school.pk}&show=all&page=1").content.decode()
    assert f'href="/referrals/export.csv?school={world.school.pk}&amp;show=all"' in page
    assert f'href="/referrals/export.xlsx?school={world.school.pk}&amp;show=all"' in page
    assert "Download as CSV" in page and "Download as Excel" in page


def _export_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200
    return captured, body


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_an_export_of_more_than_a_page_costs_the_same_queries_as_two_rows(client, world, extension):
    client.force_login(world.front_door)
    url = f"/referrals/export.{extension}"
    few, _ = _export_queries(client, url)
    copies_of(world.riverside, 60)
    many, body = _export_queries(client, url)
    assert len(many) <= len(few)
    if extension == "csv":
        assert body.decode("utf-8").count("CP-000") == 60
    else:
        sheet = load_workbook(io.BytesIO(body))["Referrals"]
        assert sheet.max_row == 1 + 62
    assert ExportLog.objects.order_by("-pk").first().rows == 62


def test_deadlines_are_fetched_a_chunk_at_a_time(client, world, monkeypatch):
    monkeypatch.setattr(referral_exports, "CHUNK", 20)
    copies_of(world.riverside, 58)  # 60 with Riverside's and Hilltop's
    client.force_login(world.front_door)
    captured, body = _export_queries(client, "/referrals/export.csv")
    deadline_reads = [q for q in captured if 'FROM "notifications_deadline"' in q["sql"]]
    assert len(deadline_reads) == 3  # 60 rows, 20 at a time: not one per row
    rows = list(csv.reader(io.StringIO(body.decode("utf-8")[1:])))
    assert len(rows) == 61
    assert all(row[7] == "Screening decision" for row in rows[1:])
