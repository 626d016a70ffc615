"""Partnership audits: both instruments completed and compared with the last one, charts whose
SVG carries the table's numbers, gaps into the improvement plan, exports and print, a new
instrument loaded from a file and completed with no code change, and the list's queries."""

import csv
import datetime as dt
import io
import json
import re
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from self_assessments import charts, services
from self_assessments.models import ImprovementAction, Instrument, SelfAssessment
from self_assessments.scoring import results
from tests.accounts.factories import LocalAuthorityFactory, SchoolFactory, dsl_of
from tests.dates import date_parts
from tests.self_assessments.factories import (
    answer_all,
    beyond_referrals,
    nspcc,
    partnership_people,
)
from tests.self_assessments.test_instruments import minimal

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership():
    authority = LocalAuthorityFactory()
    return authority, partnership_people(authority)


def completed(authority, by, instrument, choice, overrides=None):
    audit = services.partnership_audit_start(authority=authority, instrument=instrument, by=by)
    audit = answer_all(audit, by, choice=choice, overrides=overrides)
    return services.self_assessment_submit(assessment=audit, by=by)


def test_partnership_starts_audits_in_the_browser_and_others_cannot(client, partnership):
    authority, people = partnership
    client.force_login(people["police"])
    page = client.get("/self-assessments/new/")
    body = page.content.decode()
    assert "NSPCC" in body and "Contextual Safeguarding Network" in body
    response = client.post(
        "/self-assessments/new/", {"authority": authority.pk, "instrument": nspcc().pk}
    )
    assert response.status_code == 302
    audit = SelfAssessment.objects.get()
    assert audit.case is None and audit.authority == authority
    assert audit.title.startswith(f"{authority.name} partnership: NSPCC HSB framework audit")
    # A DSL of one of its schools is not a member of the partnership.
    outsider = dsl_of(SchoolFactory(authority=authority))
    client.force_login(outsider)
    assert client.get("/self-assessments/new/").status_code == 403
    assert client.get(f"/self-assessments/{audit.pk}/").status_code == 404
    # Nor is a member of another authority's partnership.
    other = partnership_people(LocalAuthorityFactory())["front_door"]
    client.force_login(other)
    assert client.get(f"/self-assessments/{audit.pk}/").status_code == 404


def test_reaudit_is_compared_with_the_last_one(client, partnership):
    authority, people = partnership
    first = completed(authority, people["front_door"], beyond_referrals(), "amber", {"1.1": "red"})
    second = services.partnership_audit_start(
        authority=authority, instrument=beyond_referrals(), by=people["police"]
    )
    assert second.previous == first
    second = answer_all(
        second, people["police"], choice="amber", overrides={"1.1": "green", "1.2": "red"}
    )
    got = results(second, previous=second.previous)
    assert [r.item.number for r in got.moved_up] == ["1.1"]
    assert [r.item.number for r in got.moved_down] == ["1.2"]
    assert got.sections[0].previous_score == 6 * 1 + 0
    assert got.sections[0].score == 2 + 0 + 5
    assert got.change == 1
    client.force_login(people["front_door"])
    body = client.get(f"/self-assessments/{second.pk}/").content.decode()
    assert "1 item moved up, 1 moved down." in body
    assert "Dashed line: the previous audit" in body
    assert 'class="app-chart__previous"' in body


def numbers_in(text):
    return re.sub(r"\s+", " ", text)


def test_charts_svg_carries_the_scores_of_its_table(partnership):
    authority, people = partnership
    audit = completed(
        authority, people["front_door"], beyond_referrals(), "green", {"1.1": "red", "2.2": "amber"}
    )
    drawn = charts.charts_for(results(audit))
    assert [c.kind for c in drawn] == ["radar"] * 5  # overall, then one per lever
    for chart in drawn:
        svg = str(chart.svg)
        assert 'role="img"' in svg and f'aria-labelledby="{chart.chart_id}-title' in svg
        assert f'<title id="{chart.chart_id}-title">' in svg and "<desc" in svg
        for row in chart.rows:
            assert row["shown"] in svg, (chart.chart_id, row)
    overall = drawn[0]
    assert [r["shown"] for r in overall.rows][:2] == ["12 of 14 (86%)", "7 of 8 (88%)"]
    assert "12 of 14 (86%)" in str(overall.svg)
    lever = drawn[1]
    assert lever.rows[0]["shown"] == "RED 0 of 2"
    assert "RED 0 of 2" in str(lever.svg)

    nspcc_audit = completed(authority, people["police"], nspcc(), "4", {"3.1": "0"})
    (bars,) = charts.charts_for(results(nspcc_audit))
    assert bars.kind == "bars"
    svg = str(bars.svg)
    for row in bars.rows:
        assert row["shown"] in svg
    assert "28 of 32 (88%)" in svg  # assessment and referral


def test_the_page_shows_each_chart_with_its_table(client, partnership):
    authority, people = partnership
    audit = completed(authority, people["front_door"], nspcc(), "2")
    client.force_login(people["front_door"])
    body = client.get(f"/self-assessments/{audit.pk}/").content.decode()
    assert body.count('<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img"') == 1
    assert 'data-chart="chart-overall"' in body
    assert "20 of 40 (50%)" in body  # in the table; the bar says 50%
    assert "NSPCC" in body and "Research in Practice" in body


def test_gaps_become_improvement_plan_actions(client, partnership):
    authority, people = partnership
    audit = completed(authority, people["front_door"], nspcc(), "3", {"2.4": "1"})
    item = audit.instrument.items.get(number="2.4")
    client.force_login(people["police"])
    url = f"/self-assessments/{audit.pk}/gaps/{item.pk}/"
    response = client.post(
        url, {"what": "", **date_parts("due_on", day="yesterday", month="", year="")}
    )
    assert response.status_code == 200
    assert "Enter what will be done" in response.content.decode()
    due = date_parts("due_on", timezone.localdate() + dt.timedelta(days=60))
    response = client.post(
        url,
        {
            "what": "Audit PSHE provision across schools",
            "owner": people["police"].pk,
            **due,
        },
    )
    assert response.status_code == 302
    action = ImprovementAction.objects.get()
    assert action.plan.authority == authority and action.item == item
    assert action.why.startswith("NSPCC HSB framework audit, statement 2.4")
    assert (
        client.get(
            f"/self-assessments/{audit.pk}/gaps/{audit.instrument.items.get(number='1.1').pk}/"
        ).status_code
        == 404
    )
    page = client.get("/self-assessments/improvement-plan/").content.decode()
    assert "Audit PSHE provision across schools" in page
    response = client.post(
        f"/self-assessments/improvement-plan/actions/{action.pk}/done/",
        {"version": action.version, "note": "Done in every secondary school."},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.state == "done"


def test_exports_hold_every_item_and_the_section_totals(client, partnership):
    authority, people = partnership
    audit = completed(authority, people["front_door"], beyond_referrals(), "green", {"4.5": "red"})
    client.force_login(people["police"])
    response = client.get(f"/self-assessments/{audit.pk}/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows.index(
        [
            "Section",
            "Number",
            "Item",
            "Answer",
            "Score",
            "Out of",
            "Evidence",
            "Note",
            "Answered by",
            "Answered at",
        ]
    )
    items = rows[header + 1 : header + 22]
    assert [r[1] for r in items][:3] == ["1.1", "1.2", "1.3"]
    assert items[-1][1:2] + items[-1][3:5] == ["4.5", "RED", "0"]
    assert items[0][6] == "Case reviews" and items[0][7] == "Seen in case files."
    assert ["Response and intervention", "8", "10", "80", "5", "5"] in rows
    assert ["Overall", "40", "42", "95", "21", "21"] in rows
    assert ["Published by", audit.instrument.publisher] in rows

    response = client.get(f"/self-assessments/{audit.pk}/export.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Answers", "Section totals", "About"]
    answers = list(book["Answers"].values)
    assert answers[0][:5] == ("Section", "Number", "Item", "Answer", "Score")
    assert len(answers) == 22
    totals = list(book["Section totals"].values)
    assert totals[-1] == ("Overall", 40, 42, 95, 21, 21)


def test_csv_never_starts_a_cell_with_a_formula(client, partnership):
    authority, people = partnership
    audit = services.partnership_audit_start(
        authority=authority, instrument=beyond_referrals(), by=people["front_door"]
    )
    item = audit.instrument.items.get(number="1.1")
    services.answers_save(
        assessment=audit,
        by=people["front_door"],
        answers={item: {"choice": "red", "note": '=HYPERLINK("http://x")'}},
    )
    client.force_login(people["front_door"])
    text = client.get(f"/self-assessments/{audit.pk}/export.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_print_views_of_an_audit_and_of_a_blank_instrument(client, partnership):
    authority, people = partnership
    audit = completed(authority, people["front_door"], beyond_referrals(), "amber")
    client.force_login(people["front_door"])
    body = client.get(f"/self-assessments/{audit.pk}/print/").content.decode()
    assert 'class="app-document"' in body and "css/print.css" in body
    assert "Contextual Safeguarding Network" in body and "21 of 42" in numbers_in(body)
    blank = client.get(f"/self-assessments/instruments/{nspcc().pk}/").content.decode()
    assert "5.8" in blank and "1.6a" in blank and "Published by NSPCC" in blank
    instruments_page = client.get("/self-assessments/instruments/").content.decode()
    assert "Beyond Referrals" in instruments_page and "NSPCC" in instruments_page


def test_a_new_instrument_loads_from_a_file_and_is_completed_with_no_code_change(
    tmp_path, client, partnership
):
    authority, people = partnership
    doc = minimal(audience="partnership", key="local-hsb-audit", family="local_hsb")
    path = tmp_path / "local.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    out = StringIO()
    call_command("load_instrument", str(path), "--authority", authority.code, stdout=out)
    assert "Loaded" in out.getvalue()
    instrument = Instrument.objects.get(key="local-hsb-audit")
    assert instrument.authority == authority and instrument.uses_descriptors
    # Another authority is not offered it.
    other = partnership_people(LocalAuthorityFactory())["front_door"]
    client.force_login(other)
    offered = f'value="{instrument.pk}"'
    assert offered not in client.get("/self-assessments/new/").content.decode()

    client.force_login(people["front_door"])
    assert offered in client.get("/self-assessments/new/").content.decode()
    response = client.post(
        "/self-assessments/new/", {"authority": authority.pk, "instrument": instrument.pk}
    )
    audit = SelfAssessment.objects.get(instrument=instrument)
    items = {i.number: i for i in instrument.items.all()}
    for position, version in ((1, 0), (2, 1)):
        data = {"version": version, "continue": "1"}
        for item in instrument.items.filter(section__position=position):
            data[f"item-{item.pk}-choice"] = "red" if item.number == "2.1" else "green"
        response = client.post(f"/self-assessments/{audit.pk}/sections/{position}/", data)
        assert response.status_code == 302
    response = client.post(f"/self-assessments/{audit.pk}/submit/", {"version": 2})
    assert response.status_code == 302
    audit.refresh_from_db()
    got = results(audit)
    assert audit.state == "submitted" and (got.score, got.maximum) == (4, 6)
    assert [r.item for r in got.gaps] == [items["2.1"]]
    body = client.get(f"/self-assessments/{audit.pk}/").content.decode()
    assert "Example" not in body and "Brought by the local authority" in body


def test_audit_list_queries_do_not_grow_with_audits(
    client, partnership, django_assert_max_num_queries
):
    authority, people = partnership
    for _ in range(2):
        completed(authority, people["front_door"], nspcc(), "2")
    client.force_login(people["front_door"])
    client.get("/self-assessments/")  # warm the per-user role cache of the session path
    # Two paginated sections (school and partnership audits): a count query each.
    with django_assert_max_num_queries(14) as few:
        client.get("/self-assessments/")
    for _ in range(4):
        completed(authority, people["front_door"], beyond_referrals(), "green")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/self-assessments/")
    assert response.content.decode().count("/export") == 0
    assert response.content.decode().count('href="/self-assessments/') >= 6


@pytest.mark.time_machine(
    dt.datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/London")), tick=False
)
@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (
            {"day": "1", "month": "13", "year": "2027"},
            "Due date must be a real date, like 27 3 2027",
        ),
        ({"day": "1", "month": "3", "year": ""}, "Due date must include a year"),
        (
            {"day": "1", "month": "1", "year": "9999"},
            "Due date must be no later than 31 December 2100",
        ),
        ({"day": "", "month": "", "year": ""}, "Enter the date it is due"),
    ],
)
def test_a_gaps_due_date_is_a_govuk_date_input_and_9999_is_refused_not_a_500(
    client, partnership, parts, message
):
    authority, people = partnership
    audit = completed(authority, people["front_door"], nspcc(), "3", {"2.4": "1"})
    item = audit.instrument.items.get(number="2.4")
    client.force_login(people["police"])
    url = f"/self-assessments/{audit.pk}/gaps/{item.pk}/"
    page = client.get(url).content.decode()
    assert 'class="govuk-date-input"' in page and 'name="due_on_day"' in page
    data = {"what": "Audit PSHE provision", "owner": people["police"].pk}
    response = client.post(url, {**data, **date_parts("due_on", **parts)})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_due_on"' in page
    assert f'<span class="govuk-visually-hidden">Error:</span> {message}</p>' in page
    assert not ImprovementAction.objects.exists()

    response = client.post(url, {**data, **date_parts("due_on", dt.date(2027, 3, 1))})
    assert response.status_code == 302
    assert ImprovementAction.objects.get().due_on == dt.date(2027, 3, 1)
