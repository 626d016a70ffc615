"""The outbox: every message is a row, each email goes to one person with a stable
Message-ID, each has its own outcome, and every crash point ends with every message sent
and none twice, except in the one named window (docs/decisions/0004)."""

import datetime as dt
import smtplib
import threading
from collections import Counter

import pytest
from django.db import connection

from accounts.models import AuthorityRole
from notifications import outbox
from notifications.models import Notification
from notifications.services import email_try_again, notify_people
from tests.accounts.factories import SchoolFactory, authority_role, dsl_of, front_door_of
from tests.notifications import backends
from tests.notifications.helpers import london, submitted_at, sweep_at

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.time_machine(london(2026, 11, 23, 9, 0), tick=False),
]
Email = Notification.Email


@pytest.fixture(autouse=True)
def scripted_server(settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.ScriptedBackend"
    backends.reset()
    yield backends
    backends.reset()


def people(n, authority=None):
    school = SchoolFactory(**({"authority": authority} if authority else {}))
    return [dsl_of(school) for _ in range(n)]


def statuses():
    return Counter(Notification.objects.values_list("email_status", flat=True))


# --- each message on its own ---------------------------------------------------------------


def test_each_person_gets_their_own_email_with_a_stable_message_id():
    dsls = people(3)
    notify_people(user_ids=[p.pk for p in dsls], title="Panel outcome", body="Read the letter.")
    assert outbox.drain() == Counter({outbox.SENT: 3})
    assert sorted(m.to[0] for m in backends.accepted) == sorted(p.email for p in dsls)
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in backends.accepted)
    ids = backends.message_ids()
    assert len(set(ids)) == 3
    by_user = {n.user_id: n.message_id for n in Notification.objects.all()}
    assert sorted(ids) == sorted(by_user.values())
    assert statuses() == {Email.SENT: 3}
    assert all(n.emailed_at and n.email_attempts == 1 for n in Notification.objects.all())


def test_a_refused_address_fails_alone_is_told_to_the_duty_manager_and_blocks_nobody(client):
    dsls = people(5)
    authority = dsls[0].school_memberships.get().school.authority
    duty = authority_role(authority, AuthorityRole.DUTY_MANAGER)
    backends.refuse[dsls[0].email] = (550, b"5.1.1 No such mailbox")
    notify_people(user_ids=[p.pk for p in dsls], title="Panel outcome")

    outcomes = outbox.drain()

    assert outcomes[outbox.SENT] == 5 and outcomes[outbox.FAILED] == 1  # 4 DSLs + the notice
    failed = Notification.objects.get(user=dsls[0])
    assert failed.email_status == Email.FAILED and "No such mailbox" in failed.email_error
    assert failed.emailed_at is None
    notice = Notification.objects.get(user=duty)
    assert notice.stage == outbox.UNDELIVERED and dsls[0].full_name in notice.title
    assert notice.email_status == Email.SENT and notice.url == "/inbox/undelivered/"
    health = client.get("/healthz").json()
    assert health["outbox_failed"] == 1
    # The duty manager can open what the notice links to, and sees the failure there.
    client.force_login(duty)
    page = client.get(notice.url).content.decode()
    assert dsls[0].email in page and "No such mailbox" in page


def test_a_failed_notice_to_the_duty_manager_is_not_reported_again():
    (dsl,) = people(1)
    authority = dsl.school_memberships.get().school.authority
    duty = authority_role(authority, AuthorityRole.DUTY_MANAGER)
    backends.refuse[dsl.email] = (550, b"No such mailbox")
    backends.refuse[duty.email] = (550, b"No such mailbox")
    notify_people(user_ids=[dsl.pk], title="Panel outcome")
    outbox.drain()
    assert statuses() == {Email.FAILED: 2}
    assert Notification.objects.filter(user=duty).count() == 1


def test_a_temporary_refusal_is_retried_with_back_off(time_machine):
    (dsl,) = people(1)
    backends.refuse[dsl.email] = (450, b"Mailbox busy")
    notify_people(user_ids=[dsl.pk], title="Panel outcome")
    assert outbox.drain() == Counter({outbox.RETRY: 1})
    message = Notification.objects.get()
    assert message.email_status == Email.PENDING and message.email_attempts == 1
    assert message.email_next_attempt_at == london(2026, 11, 23, 9, 1)
    assert outbox.drain() == Counter()  # not yet due
    del backends.refuse[dsl.email]
    time_machine.move_to(london(2026, 11, 23, 9, 1))
    assert outbox.drain() == Counter({outbox.SENT: 1})
    assert Notification.objects.get().email_attempts == 2


def test_after_the_last_attempt_a_temporary_failure_becomes_a_failure(time_machine):
    (dsl,) = people(1)
    backends.refuse[dsl.email] = (451, b"Try later")
    notify_people(user_ids=[dsl.pk], title="Panel outcome")
    for _ in range(outbox.MAX_ATTEMPTS):
        outbox.drain()
        time_machine.shift(dt.timedelta(hours=1))
    message = Notification.objects.get()
    assert message.email_status == Email.FAILED
    assert message.email_error.startswith(f"Gave up after {outbox.MAX_ATTEMPTS} attempts")


def test_a_server_that_cannot_be_reached_costs_a_delay_and_no_message():
    dsls = people(3)
    notify_people(user_ids=[p.pk for p in dsls], title="Panel outcome")
    backends.down.set()
    assert outbox.drain() == Counter({outbox.UNAVAILABLE: 1})
    assert statuses() == {Email.PENDING: 3}
    assert not Notification.objects.exclude(email_attempts=0).exists()
    backends.down.clear()
    assert outbox.drain()[outbox.SENT] == 3


def test_a_disconnect_mid_send_backs_that_message_off_and_stops_the_drain():
    dsls = people(3)
    notify_people(user_ids=[p.pk for p in dsls], title="Panel outcome")
    backends.script.append(smtplib.SMTPServerDisconnected("Connection unexpectedly closed"))
    assert outbox.drain() == Counter({outbox.UNAVAILABLE: 1})
    assert statuses() == {Email.PENDING: 3}
    assert Notification.objects.filter(email_attempts=1).count() == 1
    assert outbox.drain() == Counter({outbox.SENT: 2})  # the third waits for its back-off


def test_a_reminder_whose_deadline_was_met_before_it_went_is_not_emailed(time_machine):
    from referrals import services

    referral = submitted_at(time_machine, london(2026, 11, 23, 10, 0))
    time_machine.move_to(london(2026, 11, 24, 9, 30))
    sweep_at(time_machine, london(2026, 11, 24, 9, 30))  # the reminder is written...
    services.referral_redirect(  # ...and the front door acts before the email goes
        referral=referral, by=referral.people["front_door"], reason="Individual child."
    )
    outbox.drain()
    reminder = Notification.objects.get(stage="reminder")
    assert reminder.email_status == Email.NOT_SENT
    assert reminder.email_error == "The deadline was met before it went."
    # Only the redirect's own message to the school's DSL goes (it is no deadline stage).
    assert [m.subject for m in backends.accepted] == [
        f"{referral.reference}: redirected as an individual child referral"
    ]


def test_nobody_to_send_to_is_not_sent_and_says_why():
    dsl, gone = people(2)
    gone.is_active = False
    gone.save()
    notify_people(user_ids=[dsl.pk, gone.pk], title="Panel outcome")
    outbox.drain()
    assert Notification.objects.get(user=gone).email_status == Email.NOT_SENT
    assert "no active account" in Notification.objects.get(user=gone).email_error


def test_a_duty_manager_tries_a_failed_email_again_once_the_address_is_fixed(client):
    (dsl,) = people(1)
    authority = dsl.school_memberships.get().school.authority
    duty = authority_role(authority, AuthorityRole.DUTY_MANAGER)
    backends.refuse[dsl.email] = (550, b"No such mailbox")
    notify_people(user_ids=[dsl.pk], title="Panel outcome")
    outbox.drain()
    failed = Notification.objects.get(user=dsl)
    del backends.refuse[dsl.email]

    other_duty = authority_role(SchoolFactory().authority, AuthorityRole.DUTY_MANAGER)
    client.force_login(other_duty)  # another authority's duty manager cannot
    assert client.post(f"/inbox/undelivered/{failed.pk}/try-again/").status_code == 404
    client.force_login(dsl)
    assert client.get("/inbox/undelivered/").status_code == 404

    client.force_login(duty)
    response = client.post(f"/inbox/undelivered/{failed.pk}/try-again/")
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.email_status == Email.PENDING and "Tried again by" in failed.email_error
    outbox.drain()
    assert Notification.objects.get(user=dsl).email_status == Email.SENT
    with pytest.raises(Exception, match="duty manager"):
        email_try_again(notification=failed, by=front_door_of(authority))


def test_the_undelivered_page_is_paginated_with_constant_queries(
    client, django_assert_max_num_queries
):
    dsls = people(3)
    authority = dsls[0].school_memberships.get().school.authority
    duty = authority_role(authority, AuthorityRole.DUTY_MANAGER)
    for person in dsls:
        backends.refuse[person.email] = (550, b"No such mailbox")
    for n in range(20):
        notify_people(user_ids=[p.pk for p in dsls], title=f"Message {n}")
    outbox.drain()
    assert Notification.objects.filter(email_status=Email.FAILED).count() == 60
    client.force_login(duty)
    client.get("/inbox/undelivered/")
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        page = client.get("/inbox/undelivered/").content.decode()
    assert page.count("Try again<span") == 50 and "Page 1 of 2" in page
    with django_assert_max_num_queries(len(first)):
        second = client.get("/inbox/undelivered/?page=2").content.decode()
    assert second.count("Try again<span") == 10


# --- crash points ----------------------------------------------------------------------------


def test_rows_committed_but_never_queued_are_sent_by_the_next_drain(monkeypatch):
    """Crash point 1: after the rows commit and before any queueing."""
    dsls = people(4)
    monkeypatch.setattr(outbox, "_queue_drain", lambda: None)  # the nudge is lost
    notify_people(user_ids=[p.pk for p in dsls], title="Panel outcome")
    assert statuses() == {Email.PENDING: 4}
    from notifications.tasks import drain_outbox

    drain_outbox()  # what beat runs every minute
    assert len(backends.accepted) == 4 == len(set(backends.message_ids()))


def test_a_worker_killed_after_taking_a_message_and_before_sending_loses_nothing(
    monkeypatch,
):
    """Crash point 2: after a claim (the row is locked) and before the send."""
    dsls = people(3)
    notify_people(user_ids=[p.pk for p in dsls], title="Panel outcome")
    real = outbox._email
    calls = {"n": 0}

    def dies_once(message, connection):
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("worker killed")
        return real(message, connection)

    monkeypatch.setattr(outbox, "_email", dies_once)
    with pytest.raises(SystemExit):
        outbox.drain()
    assert statuses() == {Email.SENT: 1, Email.PENDING: 2}
    outbox.drain()
    assert len(backends.accepted) == 3 == len(set(backends.message_ids()))


def test_a_worker_killed_during_the_send_before_the_server_accepts_sends_it_once():
    """Crash point 3a: during the send, before the server has the message."""
    dsls = people(3)
    notify_people(user_ids=[p.pk for p in dsls], title="Panel outcome")
    backends.script.extend([None, "crash_before"])
    with pytest.raises(SystemExit):
        outbox.drain()
    assert statuses() == {Email.SENT: 1, Email.PENDING: 2}
    outbox.drain()
    assert len(backends.accepted) == 3 == len(set(backends.message_ids()))


def test_a_worker_killed_after_the_server_accepts_is_the_one_window_for_a_duplicate():
    """Crash point 3b: the server accepted, the worker died before its commit. The message
    goes again, with the same Message-ID: the window docs/decisions/0004 names."""
    dsls = people(3)
    notify_people(user_ids=[p.pk for p in dsls], title="Panel outcome")
    backends.script.extend([None, "crash_after"])
    with pytest.raises(SystemExit):
        outbox.drain()
    outbox.drain()
    ids = Counter(backends.message_ids())
    assert len(ids) == 3  # none missing
    assert sorted(ids.values()) == [1, 1, 2]  # one duplicate, the crashed one, same Message-ID
    assert statuses() == {Email.SENT: 3}


@pytest.mark.django_db(transaction=True)
def test_two_workers_draining_at_once_send_each_message_once():
    dsls = people(3)
    for n in range(10):
        notify_people(user_ids=[p.pk for p in dsls], title=f"Message {n}")
    barrier = threading.Barrier(2)
    errors = []

    def worker():
        try:
            barrier.wait(timeout=10)
            outbox.drain()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(backends.accepted) == 30 == len(set(backends.message_ids()))
    assert statuses() == {Email.SENT: 30}


# --- the sweep's own count -------------------------------------------------------------------


def test_the_sweep_counts_the_messages_it_wrote_and_stamps_nothing_it_could_not_send(
    time_machine,
):
    from accounts.models import AuthorityMembership, TeamMembership
    from notifications.models import Deadline

    submitted_at(time_machine, london(2026, 11, 23, 10, 0))
    other = submitted_at(time_machine, london(2026, 11, 23, 10, 0))
    authority = other.school.authority
    AuthorityMembership.objects.filter(authority=authority).delete()  # nobody, no duty manager
    TeamMembership.objects.filter(team__authority=authority).delete()  # no manager either
    run = sweep_at(time_machine, london(2026, 11, 24, 9, 30))
    assert Notification.objects.filter(stage="reminder").count() == 1
    assert run.reminders == 1
    # The second clock reached nobody: not stamped as sent, raised as unroutable.
    unsent = Deadline.objects.get(case_id=other.pk)
    assert unsent.reminded_at is None and unsent.unroutable


@pytest.mark.django_db(transaction=True)
def test_a_drain_holds_each_message_on_a_lease_the_database_ends_if_the_worker_freezes(
    monkeypatch,
):
    """While a message is locked and sent, PostgreSQL would end a frozen worker's session
    after a minute (releasing the row); outside the drain the setting is the server's own."""
    (dsl,) = people(1)
    seen = []
    real = outbox._email

    def note_the_lease(message, conn):
        with connection.cursor() as cursor:
            cursor.execute("SHOW idle_in_transaction_session_timeout")
            seen.append(cursor.fetchone()[0])
        return real(message, conn)

    monkeypatch.setattr(outbox, "_email", note_the_lease)
    monkeypatch.setattr(outbox, "_queue_drain", lambda: None)  # this drain, below, only
    notify_people(user_ids=[dsl.pk], title="Panel outcome")
    outbox.drain()
    assert seen == ["1min"]
    assert Notification.objects.get().email_status == Email.SENT
    with connection.cursor() as cursor:
        cursor.execute("SHOW idle_in_transaction_session_timeout")
        assert cursor.fetchone()[0] == "0"
