"""With the broker down or hung, the pages that write messages still answer within two
seconds and save the change; the messages wait in the outbox and go when it returns."""

import datetime as dt
import socket
import time
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from config.celery import app
from notifications.models import Notification
from notifications.tasks import drain_outbox
from referrals.choices import ReferralState as S
from tests.dates import date_parts
from tests.panels.factories import awaiting_panel, meeting_for
from tests.referrals.factories import draft, in_state

MORNING = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London"))

LIMIT_SECONDS = 2.0


@pytest.fixture(params=["down", "hung"])
def broken_broker(request, settings):
    """Redis refusing connections (nothing listening), or accepting them and never answering
    (a socket that listens and never reads)."""
    hung = None
    if request.param == "hung":
        hung = socket.socket()
        hung.bind(("127.0.0.1", 0))
        hung.listen(64)
        url = f"redis://127.0.0.1:{hung.getsockname()[1]}/0"
    else:
        url = "redis://127.0.0.1:1/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    saved = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager, app.conf.broker_url = False, url
    _forget_broker_connections()
    yield request.param
    app.conf.task_always_eager, app.conf.broker_url = saved
    _forget_broker_connections()
    if hung is not None:
        hung.close()


def _forget_broker_connections():
    # The app keeps a pool of connections to the broker it first met; start a new one.
    app._pool = None
    app.amqp._producer_pool = None


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


@pytest.mark.django_db(transaction=True)
def test_submitting_answers_and_saves(client, broken_broker):
    referral = draft()
    client.force_login(referral.created_by)
    response, seconds = timed(
        lambda: client.post(f"/referrals/{referral.pk}/check/", {"version": referral.version})
    )
    assert response.status_code == 302 and seconds < LIMIT_SECONDS, seconds
    referral.refresh_from_db()
    assert referral.state == S.SUBMITTED


@pytest.mark.django_db(transaction=True)
def test_requesting_information_answers_saves_and_the_email_goes_later(client, broken_broker):
    referral = in_state(S.SUBMITTED)
    client.force_login(referral.people["front_door"])
    response, seconds = timed(
        lambda: client.post(
            f"/referrals/{referral.pk}/request_information/",
            {"version": referral.version, "reason": "Which year groups use the bus?"},
        )
    )
    assert response.status_code == 302 and seconds < LIMIT_SECONDS, seconds
    referral.refresh_from_db()
    assert referral.state == S.MORE_INFORMATION_REQUESTED
    asked = Notification.objects.get(stage="information_request")
    assert asked.user == referral.people["dsl"] and asked.email_status == "pending"
    assert mail.outbox == []

    drain_outbox()  # the broker is back: beat's next drain
    asked.refresh_from_db()
    assert asked.email_status == "sent"
    assert [m.to for m in mail.outbox] == [[referral.people["dsl"].email]]
    assert "Which year groups use the bus?" in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
# meeting_for opens a meeting a minute ahead: on a weekday morning, never across midnight.
@pytest.mark.time_machine(
    dt.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London")), tick=False
)
def test_recording_a_decision_answers_saves_and_the_letter_goes_later(
    client, broken_broker, early_help_pathway
):
    referral = awaiting_panel()
    meeting = meeting_for(referral)
    people = referral.people
    client.force_login(people["panel_member"])
    data = {
        "version": referral.version,
        "level": "early_help",
        "pathway": "partnership_meeting",
        "rationale": "Harassment on the bus.",
        "advice": "",
        "lead_practitioner": people["practitioner"].pk,
        "lead_team": people["team"].pk,
        **date_parts("start_by", timezone.localdate() + dt.timedelta(days=14)),
    }
    response, seconds = timed(
        lambda: client.post(f"/meetings/{meeting.pk}/decide/{referral.pk}/", data)
    )
    assert response.status_code == 302 and seconds < LIMIT_SECONDS, seconds
    assert referral.decisions.get().pathway == "partnership_meeting"
    outcome = Notification.objects.get(stage="outcome")
    assert outcome.email_status == "pending"

    drain_outbox()
    outcome.refresh_from_db()
    assert outcome.email_status == "sent"
    assert people["dsl"].email in [m.to[0] for m in mail.outbox]
