import datetime as dt

import pytest

from notifications.sweep import run_sweep
from tests.accounts.factories import SchoolFactory, front_door_of

pytestmark = pytest.mark.django_db
BANNER = "Reminders are not running"


def test_healthz_is_200_when_database_redis_and_sweep_are_fine(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    run_sweep()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() | {"last_sweep": None} == {
        "status": "ok",
        "database": "ok",
        "redis": "ok",
        "reminders": "ok",
        "last_sweep": None,
        "outbox": "ok",
        "outbox_oldest_due_seconds": None,
        "outbox_failed": 0,
        "unroutable_deadlines": 0,
        "deadlines_sent_to_a_fallback": 0,
        "deadlines": "ok",
    }


@pytest.mark.time_machine(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC), tick=False)
def test_emails_waiting_too_long_turn_healthz_503_and_show_the_banner(
    time_machine, client, settings
):
    from notifications.services import notify_people

    settings.CELERY_TASK_ALWAYS_EAGER = False
    officer = front_door_of(SchoolFactory().authority)
    client.force_login(officer)
    notify_people(user_ids=[officer.pk], title="Panel outcome")  # the nudge never comes
    run_sweep()
    assert client.get("/healthz").status_code == 200
    time_machine.shift(dt.timedelta(minutes=settings.OUTBOX_STALE_MINUTES, seconds=1))
    run_sweep()  # the sweep runs; the emails do not
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["outbox"] == "stalled"
    assert response.json()["outbox_oldest_due_seconds"] == settings.OUTBOX_STALE_MINUTES * 60 + 1
    assert "Emails are not going out" in client.get("/front-door/").content.decode()


@pytest.mark.time_machine(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC), tick=False)
def test_a_stale_sweep_turns_healthz_503_and_shows_the_banner(time_machine, client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    run_sweep()
    officer = front_door_of(SchoolFactory().authority)
    client.force_login(officer)
    assert BANNER not in client.get("/front-door/").content.decode()
    # Three sweeps missed, and one minute more.
    time_machine.shift(dt.timedelta(minutes=3 * settings.REMINDER_SWEEP_MINUTES + 1))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["reminders"] == "not running"
    assert BANNER in client.get("/front-door/").content.decode()


def test_no_sweep_ever_is_reported(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["last_sweep"] is None


def test_redis_down_is_503(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    run_sweep()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["redis"].startswith("error")


def test_the_demo_without_redis_is_healthy(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    run_sweep()
    assert client.get("/healthz").status_code == 200
