import datetime as dt

import pytest
import time_machine
from django.utils import timezone

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
    }


def test_a_stale_sweep_turns_healthz_503_and_shows_the_banner(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    run_sweep()
    officer = front_door_of(SchoolFactory().authority)
    client.force_login(officer)
    assert BANNER not in client.get("/front-door/").content.decode()
    later = timezone.now() + dt.timedelta(minutes=3 * settings.REMINDER_SWEEP_MINUTES + 1)
    with time_machine.travel(later, tick=False):
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json()["reminders"] == "not running"
        page = client.get("/front-door/").content.decode()
    assert BANNER in page


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
