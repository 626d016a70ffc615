"""The logs an inspector relies on are append-only and tamper-evident: the chain verifies
while nothing is touched, and finds an edited, removed or truncated row; a case's read log
outlives the case."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import SecurityEvent
from accounts.security import record
from audit.chain import verify
from audit.models import AppendOnly
from referrals.models import CaseAccessLog, SchoolReferral
from tests.accounts.factories import SchoolFactory, dsl_of
from tests.referrals.factories import submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def reads(client):
    """Four reads of a submitted referral by its DSL."""
    school = SchoolFactory()
    dsl = dsl_of(school)
    referral = submitted(school, dsl)
    client.force_login(dsl)
    for _ in range(4):
        assert client.get(f"/referrals/{referral.pk}/").status_code == 200
    return referral


def test_reads_are_chained_and_verify(reads, capsys):
    rows = list(CaseAccessLog.objects.order_by("pk"))
    assert len(rows) == 4
    assert rows[0].prev_hash == "" and all(
        later.prev_hash == earlier.row_hash for earlier, later in zip(rows, rows[1:], strict=False)
    )
    assert rows[0].reference == reads.reference
    assert rows[0].authority == reads.school.authority
    call_command("verify_audit_log")
    assert "referrals.CaseAccessLog: 4 rows, intact" in capsys.readouterr().out


def test_an_edited_row_is_found(reads):
    second = CaseAccessLog.objects.order_by("pk")[1]
    CaseAccessLog.objects.filter(pk=second.pk).update(page="referral_list")
    verdict = verify(CaseAccessLog)
    assert not verdict.intact and verdict.broken_at == second.pk
    with pytest.raises(CommandError, match="CaseAccessLog"):
        call_command("verify_audit_log")


def test_a_removed_row_is_found_in_the_middle_and_at_the_end(reads):
    rows = list(CaseAccessLog.objects.order_by("pk"))
    rows[1].delete()
    assert verify(CaseAccessLog).broken_at == rows[2].pk
    CaseAccessLog.objects.filter(pk__in=[rows[2].pk, rows[3].pk]).delete()
    # Rows 0 (and the removed 1) chain fine; the head still says four were written.
    verdict = verify(CaseAccessLog)
    assert not verdict.intact and "newest rows were removed" in verdict.problem


def test_a_logged_row_is_never_saved_again(reads):
    row = CaseAccessLog.objects.first()
    row.page = "changed"
    with pytest.raises(AppendOnly):
        row.save()


def test_deleting_a_case_keeps_its_log(reads):
    reference = reads.reference
    SchoolReferral.objects.filter(pk=reads.pk).delete()
    kept = CaseAccessLog.objects.filter(referral_id=reads.pk)
    assert kept.count() == 4 and {row.reference for row in kept} == {reference}
    assert verify(CaseAccessLog).intact


def test_the_security_log_is_chained_too():
    school = SchoolFactory()
    person = dsl_of(school)
    for _ in range(3):
        record(SecurityEvent.Kind.SIGN_IN_FAILED, subject=person)
    assert verify(SecurityEvent).intact and verify(SecurityEvent).rows == 3
    # Names are chained, not links: deleting the account (SET_NULL) breaks nothing.
    person.delete()
    assert verify(SecurityEvent).intact
    SecurityEvent.objects.filter(pk=SecurityEvent.objects.first().pk).update(detail="edited")
    assert not verify(SecurityEvent).intact
