"""Reminders, overdue alerts and escalations: each exactly once per deadline, stage and
person, whatever happens."""

import datetime as dt
import threading

import pytest
from django.db import connection

from notifications import sweep
from notifications.models import Deadline, Notification, Stage
from tests.accounts.factories import SchoolFactory, front_door_of
from tests.notifications.helpers import london, submitted_at, sweep_at

# Submitted Monday 23 Nov 2026 at 10:00: screening is due Tuesday 24 Nov at 17:00; the
# reminder goes at 09:00 that day; escalation one working day after the due date.
SUBMITTED = london(2026, 11, 23, 10, 0)
BEFORE_REMINDER = london(2026, 11, 24, 8, 0)
IN_REMINDER_WINDOW = london(2026, 11, 24, 9, 30)
OVERDUE = london(2026, 11, 24, 17, 30)
ESCALATE = london(2026, 11, 25, 17, 30)

# Every journey starts with the clock pinned (before any fixture) on the Monday morning.
pytestmark = pytest.mark.time_machine(london(2026, 11, 23, 9, 0), tick=False)


def stages(referral):
    return sorted(
        Notification.objects.filter(deadline__case_id=referral.pk).values_list(
            "stage", "user__email"
        )
    )


@pytest.mark.django_db
def test_each_stage_goes_to_the_right_people_once(time_machine):
    referral = submitted_at(time_machine, SUBMITTED)
    fd, manager = referral.people["front_door"], referral.people["fd_manager"]
    colleague = front_door_of(referral.school.authority)

    sweep_at(time_machine, BEFORE_REMINDER)
    assert stages(referral) == []

    sweep_at(time_machine, IN_REMINDER_WINDOW)
    sweep_at(time_machine, IN_REMINDER_WINDOW)  # run twice: nothing more
    assert stages(referral) == sorted([("reminder", fd.email), ("reminder", colleague.email)])

    sweep_at(time_machine, OVERDUE)
    sweep_at(time_machine, ESCALATE)
    sweep_at(time_machine, ESCALATE)
    assert stages(referral) == sorted(
        [
            ("reminder", fd.email),
            ("reminder", colleague.email),
            ("alert", fd.email),
            ("alert", colleague.email),
            ("escalation", manager.email),
        ]
    )
    deadline = Deadline.objects.get(case_id=referral.pk)
    assert deadline.reminded_at == IN_REMINDER_WINDOW
    assert deadline.alerted_at == OVERDUE and deadline.escalated_at == ESCALATE


@pytest.mark.django_db
def test_a_met_deadline_sends_nothing_more(time_machine):
    from referrals import services

    referral = submitted_at(time_machine, SUBMITTED)
    services.referral_redirect(
        referral=referral, by=referral.people["front_door"], reason="Individual child."
    )
    sweep_at(time_machine, ESCALATE)
    assert stages(referral) == []


@pytest.mark.django_db
def test_a_sweep_that_first_runs_after_the_due_time_sends_the_alert_not_a_stale_reminder(
    time_machine,
):
    referral = submitted_at(time_machine, SUBMITTED)
    sweep_at(time_machine, OVERDUE)
    assert {stage for stage, _ in stages(referral)} == {"alert"}
    # The reminder was never sent, so it is not recorded as sent (issue 13).
    deadline = Deadline.objects.get(case_id=referral.pk)
    assert deadline.reminded_at is None and deadline.alerted_at == OVERDUE
    sweep_at(time_machine, OVERDUE + dt.timedelta(hours=1))
    assert {stage for stage, _ in stages(referral)} == {"alert"}


@pytest.mark.django_db
def test_nobody_in_the_role_means_its_managers_are_told_never_the_administrators(time_machine):
    from accounts.models import AuthorityMembership, AuthorityRole
    from tests.accounts.factories import authority_role

    referral = submitted_at(time_machine, SUBMITTED)
    authority_role(referral.school.authority, AuthorityRole.ADMINISTRATOR)
    AuthorityMembership.objects.filter(role=AuthorityRole.FRONT_DOOR).delete()
    sweep_at(time_machine, IN_REMINDER_WINDOW)
    assert stages(referral) == [("reminder", referral.people["fd_manager"].email)]
    deadline = Deadline.objects.get(case_id=referral.pk)
    assert deadline.reminded_at == IN_REMINDER_WINDOW
    assert "nobody holds the front door" in deadline.routing_problem


@pytest.mark.django_db
def test_an_interrupted_sweep_rerun_sends_only_the_rest(time_machine, monkeypatch):
    referrals = [submitted_at(time_machine, SUBMITTED, school=SchoolFactory()) for _ in range(5)]
    monkeypatch.setattr(sweep, "BATCH", 2)
    real = sweep.recipients
    calls = {"n": 0}

    def dies_on_second_batch(deadlines, stage):
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("worker killed")
        return real(deadlines, stage)

    monkeypatch.setattr(sweep, "recipients", dies_on_second_batch)
    with pytest.raises(SystemExit):
        sweep_at(time_machine, IN_REMINDER_WINDOW)
    assert Notification.objects.filter(stage=Stage.REMINDER).count() == 2  # first batch only

    monkeypatch.setattr(sweep, "recipients", real)
    sweep_at(time_machine, IN_REMINDER_WINDOW)
    for referral in referrals:
        assert stages(referral) == [("reminder", referral.people["front_door"].email)]


@pytest.mark.django_db
def test_the_database_refuses_a_second_message_for_the_same_stage(time_machine):
    from django.db import IntegrityError, transaction

    referral = submitted_at(time_machine, SUBMITTED)
    sweep_at(time_machine, IN_REMINDER_WINDOW)
    first = Notification.objects.get(deadline__case_id=referral.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            user=first.user,
            deadline=first.deadline,
            stage=first.stage,
            title="again",
            created_at=first.created_at,
        )


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_message_once(time_machine):
    referrals = [submitted_at(time_machine, SUBMITTED, school=SchoolFactory()) for _ in range(20)]
    barrier = threading.Barrier(2)
    errors = []

    def sweep_now():
        try:
            barrier.wait(timeout=10)
            sweep.run_sweep()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    for moment in (IN_REMINDER_WINDOW, ESCALATE):
        time_machine.move_to(moment)  # both workers read the same pinned clock
        threads = [threading.Thread(target=sweep_now) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert errors == []
    for referral in referrals:
        got = stages(referral)
        assert len(got) == len(set(got)) == 3, got  # reminder, alert, escalation


@pytest.mark.django_db
def test_sweep_queries_do_not_grow_with_the_number_due(time_machine, django_assert_max_num_queries):
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        submitted_at(time_machine, SUBMITTED, school=SchoolFactory())
    with CaptureQueriesContext(conn) as few:
        sweep_at(time_machine, IN_REMINDER_WINDOW)
    for _ in range(12):
        submitted_at(time_machine, SUBMITTED, school=SchoolFactory())
    with django_assert_max_num_queries(len(few)):
        sweep_at(time_machine, IN_REMINDER_WINDOW)
    assert Notification.objects.filter(stage="reminder").count() == 14


@pytest.mark.django_db
def test_run_reminders_command(time_machine, capsys, mailoutbox):
    from django.core.management import call_command

    referral = submitted_at(time_machine, SUBMITTED)
    # --now names the moment to sweep as of; the clock is there too.
    time_machine.move_to(IN_REMINDER_WINDOW)
    call_command("run_reminders", "--now", IN_REMINDER_WINDOW.isoformat())
    assert "1 reminders, 0 alerts, 0 escalations; 1 emails sent" in capsys.readouterr().out
    assert mailoutbox[0].to == [referral.people["front_door"].email]
    assert referral.reference in mailoutbox[0].subject
    call_command("run_reminders", "--now", IN_REMINDER_WINDOW.isoformat())
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_run_reminders_refuses_a_bad_date():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="not an ISO date-time"):
        call_command("run_reminders", "--now", "next tuesday")
