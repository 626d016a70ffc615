"""A data protection officer reads the audit logs of their authority, by person, by case
and by date, and downloads them; nobody else reaches them, and they read no case content."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from accounts.models import AuthorityRole, SecurityEvent
from accounts.security import record
from audit.chain import append, verify
from referrals.models import CaseAccessLog, ExportLog, SchoolReferral
from tests.accounts.factories import SchoolFactory, authority_role, dsl_of, front_door_of
from tests.dates import date_parts
from tests.referrals.factories import submitted

LONDON = ZoneInfo("Europe/London")
MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(MONDAY, tick=False)]


@pytest.fixture
def world():
    school, elsewhere = SchoolFactory(), SchoolFactory()
    authority = school.authority
    dsl = dsl_of(school, full_name="Dana Lead")
    referral = submitted(school, dsl)
    theirs = submitted(elsewhere)
    return {
        "dpo": authority_role(authority, AuthorityRole.DATA_PROTECTION_OFFICER),
        "dsl": dsl,
        "front_door": front_door_of(authority, full_name="Fola Front"),
        "admin": authority_role(authority, AuthorityRole.ADMINISTRATOR, is_staff=True),
        "referral": referral,
        "theirs": theirs,
    }


def reads(referral, user, at, count=1):
    """`count` logged reads of `referral` by `user` at `at`."""
    rows = [
        CaseAccessLog(
            referral_id=referral.pk,
            reference=referral.reference,
            authority_id=referral.school.authority_id,
            user=user,
            at=at,
            page="referral_detail",
        )
        for _ in range(count)
    ]
    return append(rows)


def test_only_a_data_protection_officer_reaches_the_logs(client, world):
    for who in ("dsl", "front_door", "admin"):
        client.force_login(world[who])
        assert client.get("/audit/reads/").status_code == 404
    client.force_login(world["dpo"])
    for log in ("reads", "exports", "security"):
        assert client.get(f"/audit/{log}/").status_code == 200
    assert client.get("/audit/everything/").status_code == 404
    assert "Audit logs" in client.get("/").content.decode()


def test_the_officer_reads_no_case_content(client, world):
    client.force_login(world["dpo"])
    assert client.get(f"/referrals/{world['referral'].pk}/").status_code == 404
    listed = client.get("/referrals/")
    assert world["referral"].reference not in listed.content.decode()


def test_reads_by_person_by_case_and_by_date(client, world):
    referral, theirs = world["referral"], world["theirs"]
    reads(referral, world["dsl"], MONDAY - dt.timedelta(days=10))
    reads(referral, world["front_door"], MONDAY - dt.timedelta(days=1))
    reads(theirs, dsl_of(theirs.school), MONDAY)
    client.force_login(world["dpo"])

    def shown(**query):
        page = client.get("/audit/reads/", query)
        assert page.status_code == 200
        return [(row.user.full_name, row.reference) for row in page.context["page"].object_list]

    assert shown() == [("Fola Front", referral.reference), ("Dana Lead", referral.reference)]
    assert shown(person="fola") == [("Fola Front", referral.reference)]
    assert shown(reference=theirs.reference) == []  # another authority's case
    day = (MONDAY - dt.timedelta(days=1)).date()
    assert shown(**date_parts("start", day), **date_parts("end", day)) == [
        ("Fola Front", referral.reference)
    ]


def test_a_deleted_case_keeps_its_reads(client, world):
    referral = world["referral"]
    reads(referral, world["dsl"], MONDAY)
    SchoolReferral.objects.filter(pk=referral.pk).delete()
    client.force_login(world["dpo"])
    page = client.get("/audit/reads/", {"reference": referral.reference})
    assert [row.reference for row in page.context["page"].object_list] == [referral.reference]


def test_bad_filters_are_told_at_the_field_and_never_fail(client, world):
    client.force_login(world["dpo"])
    page = client.get(
        "/audit/reads/",
        {
            **date_parts("start", day="31", month="2", year="2026"),
            **date_parts("end", MONDAY.date()),
        },
    )
    assert page.status_code == 200
    assert "From must be a real date" in page.content.decode()
    page = client.get(
        "/audit/security/",
        {
            **date_parts("start", MONDAY.date()),
            **date_parts("end", MONDAY.date() - dt.timedelta(days=1)),
            "kind": "nonsense",
            "page": "abc",
        },
    )
    errors = page.context["form"].errors
    assert "To must be the same as or after from" in errors["end"][0]
    assert "Choose a kind of event" in errors["kind"][0]
    assert 'href="#id_end"' in page.content.decode()  # the summary links to the field


def test_the_security_log_by_kind(client, world):
    record(SecurityEvent.Kind.SIGN_IN_FAILED, subject=world["dsl"])
    record(SecurityEvent.Kind.ACCOUNT_CHANGED, subject=world["dsl"], detail="Changed: Email.")
    client.force_login(world["dpo"])
    page = client.get("/audit/security/", {"kind": "sign_in_failed"})
    assert [e.kind for e in page.context["page"].object_list] == ["sign_in_failed"]


def test_a_download_is_itself_logged(client, world):
    reads(world["referral"], world["dsl"], MONDAY, count=3)
    client.force_login(world["dpo"])
    response = client.get("/audit/reads/", {"format": "csv", "person": "dana"})
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Disposition"] == 'attachment; filename="audit-reads.csv"'
    assert body.count(world["referral"].reference) == 3 and "Dana Lead" in body
    export = ExportLog.objects.get()
    assert (export.list_name, export.rows, export.filters) == (
        "audit_reads",
        3,
        "format=csv&person=dana",
    )
    assert verify(ExportLog).intact
    page = client.get("/audit/exports/")
    assert [e.list_name for e in page.context["page"].object_list] == ["audit_reads"]


def test_a_long_log_is_paginated_in_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    reads(world["referral"], world["dsl"], MONDAY, count=120)  # more than two pages of 50
    client.force_login(world["dpo"])
    with django_assert_max_num_queries(11):
        page = client.get("/audit/reads/", {"page": "2"})
    assert page.context["page"].paginator.count == 120
    assert len(page.context["page"].object_list) == 50


def test_a_log_longer_than_the_count_cap_says_so(client, world):
    from casework.lists import COUNT_CAP

    reads(world["referral"], world["dsl"], MONDAY, count=COUNT_CAP + 1)
    client.force_login(world["dpo"])
    page = client.get("/audit/reads/")
    assert page.context["page"].paginator.more
    body = page.content.decode()
    assert "More than 1,000 entries" in body and "Download all these entries" in body
