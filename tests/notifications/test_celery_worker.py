"""A real Celery worker consuming from the real Redis broker delivers a reminder."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from config.celery import app
from notifications.models import Notification
from notifications.tasks import run_reminder_sweep
from tests.notifications.helpers import london, submitted_at


@pytest.fixture
def real_worker(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    app.control.purge()  # nothing left over from another run
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        yield
    app.conf.task_always_eager = eager


def _wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


# The worker runs in a thread of this process, so it reads the same pinned clock; the clock
# ticks so that the worker's own timers run.
@pytest.mark.time_machine(london(2026, 11, 23, 9, 0), tick=True)
@pytest.mark.django_db(transaction=True)
def test_worker_runs_the_sweep_and_the_reminder_arrives(time_machine, real_worker):
    referral = submitted_at(time_machine, london(2026, 11, 23, 10, 0))
    officer = referral.people["front_door"]
    time_machine.move_to(london(2026, 11, 24, 9, 30), tick=True)  # the next morning's sweep
    run_reminder_sweep.delay()
    assert _wait_for(lambda: Notification.objects.filter(user=officer).exists())
    reminder = Notification.objects.get(user=officer)
    assert reminder.stage == "reminder" and referral.reference in reminder.title
    # The email goes out from a second task queued after the sweep's commit.
    assert _wait_for(lambda: len(mail.outbox) == 1)
    assert mail.outbox[0].to == [officer.email]


@pytest.mark.django_db(transaction=True)
def test_the_outbox_empties_by_itself_and_a_refused_address_fails_alone(
    real_worker, settings, client
):
    from django.db import transaction

    from accounts.models import AuthorityRole
    from notifications.services import notify_people
    from tests.accounts.factories import SchoolFactory, authority_role, dsl_of
    from tests.notifications import backends

    settings.EMAIL_BACKEND = "tests.notifications.backends.ScriptedBackend"
    backends.reset()
    school = SchoolFactory()
    dsls = [dsl_of(school) for _ in range(30)]
    duty = authority_role(school.authority, AuthorityRole.DUTY_MANAGER)
    backends.refuse[dsls[7].email] = (550, b"5.1.1 No such mailbox")
    with transaction.atomic():  # 120 messages, one commit, one nudge
        for n in range(4):
            notify_people(user_ids=[p.pk for p in dsls], title=f"Message {n}")

    def settled():
        return not Notification.objects.filter(email_status="pending").exists()

    assert _wait_for(settled)  # no sweep, no second nudge: the worker drained it all
    assert Notification.objects.filter(email_status="failed").count() == 4  # dsls[7]'s four
    delivered = backends.message_ids()
    assert len(delivered) == len(set(delivered)) == 116 + 4  # the others, and four notices
    assert Notification.objects.filter(user=duty, email_status="sent").count() == 4
    assert client.get("/healthz").json()["outbox_failed"] == 4
    backends.reset()
