"""Signed out after 30 idle minutes, and 8 hours after signing in however busy; "Stay
signed in" starts the idle clock again."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tests.accounts.factories import SchoolFactory, dsl_of

MONDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/London"))
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(MONDAY, tick=False)]


@pytest.fixture
def signed_in(client):
    client.force_login(dsl_of(SchoolFactory()))
    assert client.get("/inbox/").status_code == 200
    return client


def later(time_machine, **delta):
    time_machine.move_to(MONDAY + dt.timedelta(**delta), tick=False)


def test_thirty_idle_minutes_sign_a_person_out(signed_in, time_machine):
    later(time_machine, minutes=29, seconds=59)
    assert signed_in.get("/inbox/").status_code == 200
    later(time_machine, minutes=59, seconds=59)  # 30 minutes after the last request
    assert signed_in.get("/inbox/").status_code == 200
    later(time_machine, minutes=90, seconds=1)
    response = signed_in.get("/inbox/")
    assert response["Location"] == "/login/?timed_out=idle&next=%2Finbox%2F"
    assert "_auth_user_id" not in signed_in.session
    page = signed_in.get(response["Location"]).content.decode()
    assert "had not used the service for 30 minutes" in page


def test_staying_signed_in_starts_the_idle_clock_again(signed_in, time_machine):
    later(time_machine, minutes=28)
    assert signed_in.post("/session/keep-alive/").status_code == 204
    later(time_machine, minutes=57)
    assert signed_in.get("/inbox/").status_code == 200


def test_eight_hours_after_signing_in_however_busy(signed_in, time_machine):
    for minutes in range(20, 8 * 60, 20):
        later(time_machine, minutes=minutes)
        assert signed_in.get("/inbox/").status_code == 200
    later(time_machine, hours=8, seconds=1)
    assert signed_in.get("/inbox/")["Location"].startswith("/login/?timed_out=day")


def test_a_form_posted_after_the_limit_is_not_taken(signed_in, time_machine):
    later(time_machine, minutes=31)
    response = signed_in.post("/session/keep-alive/")
    assert response["Location"] == "/login/?timed_out=idle"


def test_the_warning_is_on_every_signed_in_page(signed_in):
    page = signed_in.get("/inbox/").content.decode()
    assert 'id="app-timeout-warning"' in page and 'data-idle-seconds="1800"' in page
    assert 'data-warning-seconds="120"' in page
