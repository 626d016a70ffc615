"""The sweep's batch at more rows than one batch holds: one message per person per stage,
only routed clocks stamped, the text made in SQL the same as the Python words, and the same
queries whatever the number of rows."""

import datetime as dt
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import AuthorityMembership, AuthorityRole, TeamMembership
from notifications import sweep
from notifications.models import Deadline, Notification, Stage
from tests.accounts.factories import SchoolFactory
from tests.notifications.helpers import london, submitted_at, sweep_at

SUBMITTED = london(2026, 11, 23, 10, 0)
IN_REMINDER_WINDOW = london(2026, 11, 24, 9, 30)
OVERDUE = london(2026, 11, 24, 17, 30)

pytestmark = [
    pytest.mark.time_machine(london(2026, 11, 23, 9, 0), tick=False),
    pytest.mark.django_db,
]


def three_authorities(clock):
    """A referral routed to its front door, one whose front door nobody holds (its managers
    are told) and one whose authority has nobody at all (no duty manager either)."""
    routed, fallback, nobody = (
        submitted_at(clock, SUBMITTED, school=SchoolFactory()) for _ in range(3)
    )
    AuthorityMembership.objects.filter(
        authority=fallback.school.authority, role=AuthorityRole.FRONT_DOOR
    ).delete()
    AuthorityMembership.objects.filter(authority=nobody.school.authority).delete()
    TeamMembership.objects.filter(team__authority=nobody.school.authority).delete()
    return routed, fallback, nobody


def more_like(referral, n, start):
    """n more running clocks like the referral's screening clock, on other records and with
    nothing sent yet (bulk)."""
    model = Deadline.objects.get(case_id=referral.pk)
    fields = [f.attname for f in Deadline._meta.concrete_fields if not f.primary_key]
    fresh = {
        "reminded_at": None,
        "alerted_at": None,
        "escalated_at": None,
        "unroutable": False,
        "routing_problem": "",
        "routing_problem_at": None,
    }
    Deadline.objects.bulk_create(
        Deadline(
            **{name: getattr(model, name) for name in fields} | fresh | {"subject_id": start + i}
        )
        for i in range(n)
    )


# The demo's SQLite has no arrays: the sweep writes the same rows a statement at a time.
VENDORS = pytest.mark.parametrize("vendor", ["postgresql", "sqlite"])


def _as(vendor, monkeypatch):
    if vendor != "postgresql":
        monkeypatch.setattr(connection, "vendor", vendor)


@VENDORS
def test_more_than_a_batch_one_message_per_person_per_stage_only_routed_stamped(
    time_machine, monkeypatch, vendor
):
    _as(vendor, monkeypatch)
    routed, fallback, nobody = three_authorities(time_machine)
    for i, referral in enumerate((routed, fallback, nobody)):
        more_like(referral, 4, start=10_000 * (i + 1))  # 15 clocks
    monkeypatch.setattr(sweep, "BATCH", 4)  # 4 batches of reminders

    run = sweep_at(time_machine, IN_REMINDER_WINDOW)
    again = sweep_at(time_machine, IN_REMINDER_WINDOW)
    sweep_at(time_machine, OVERDUE)

    assert run.reminders == 10 and again.reminders == 0  # routed and fallback: one person each
    sent = Counter(
        Notification.objects.filter(deadline__isnull=False).values_list(
            "deadline_id", "stage", "user_id"
        )
    )
    assert set(sent.values()) == {1}
    for referral, people in (
        (routed, {routed.people["front_door"].pk}),
        (fallback, {fallback.people["fd_manager"].pk}),
        (nobody, set()),
    ):
        clocks = Deadline.objects.filter(authority=referral.school.authority)
        assert clocks.count() == 5
        for clock in clocks:
            for stage in (Stage.REMINDER, Stage.ALERT):
                told = {user for d, s, user in sent if d == clock.pk and s == stage}
                assert told == people, (referral, stage)
            if people:
                assert clock.reminded_at == IN_REMINDER_WINDOW and clock.alerted_at == OVERDUE
                assert not clock.unroutable
            else:  # never stamped; raised since the first sweep that found nobody
                assert clock.reminded_at is None and clock.alerted_at is None
                assert clock.unroutable and clock.routing_problem.endswith("not sent.")
                assert clock.routing_problem_at == IN_REMINDER_WINDOW
    for clock in Deadline.objects.filter(authority=fallback.school.authority):
        assert "nobody holds the front door; sent to the managers" in clock.routing_problem
        assert clock.routing_problem_at == OVERDUE
    for clock in Deadline.objects.filter(authority=routed.school.authority):
        assert clock.routing_problem == "" and clock.routing_problem_at is None


@VENDORS
def test_the_text_written_in_sql_is_the_sweeps_words(time_machine, monkeypatch, vendor):
    _as(vendor, monkeypatch)
    routed, fallback, _ = three_authorities(time_machine)
    sweep_at(time_machine, IN_REMINDER_WINDOW)
    for referral, note in (
        (routed, ""),
        (fallback, " Nobody holds the role that owns it, so you are told as its manager."),
    ):
        clock = Deadline.objects.select_related("timescale").get(case_id=referral.pk)
        message = Notification.objects.get(deadline=clock, stage=Stage.REMINDER)
        name, label = clock.timescale.name, clock.case_label
        due = timezone.localtime(clock.due_at).strftime("%a %-d %b %Y at %H:%M")
        assert due == "Tue 24 Nov 2026 at 17:00"
        assert message.title == f"Reminder: {name} for {label}"
        assert message.body == f"{name} for {label} is due {due}.{note}"
        assert message.url == clock.case_url and message.created_at == IN_REMINDER_WINDOW
        assert message.email_status == Notification.Email.PENDING
        assert message.email_next_attempt_at <= timezone.now()


def test_a_batch_makes_the_same_queries_whatever_its_size(time_machine, django_assert_num_queries):
    routed, fallback, nobody = three_authorities(time_machine)
    with CaptureQueriesContext(connection) as few:
        sweep_at(time_machine, IN_REMINDER_WINDOW)  # one clock of each kind
    assert Notification.objects.count() == 2
    for i, referral in enumerate((routed, fallback, nobody)):
        more_like(referral, 60, start=10_000 * (i + 1))  # 180 more, still one batch
    later = IN_REMINDER_WINDOW + dt.timedelta(minutes=5)
    with django_assert_num_queries(len(few)):
        run = sweep_at(time_machine, later)
    assert run.reminders == 120 and Notification.objects.count() == 122
    assert Deadline.objects.filter(reminded_at=later).count() == 120
    assert Deadline.objects.filter(unroutable=True, reminded_at__isnull=True).count() == 61
