"""Two-step verification for every account: after the password, nothing but the second
step (no case content, no configuration) until a code from the app or a recovery code."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent
from referrals.models import CaseAccessLog
from tests.accounts.factories import PASSWORD, SchoolFactory, dsl_of
from tests.accounts.two_step import authenticator_of, recovery_code_of
from tests.referrals.factories import submitted

MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London"))
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(MONDAY, tick=False)]


def code_now(device: TOTPDevice) -> str:
    return (
        f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    )


@pytest.fixture
def case():
    school = SchoolFactory()
    return submitted(school, dsl_of(school))


def password_only(client, user):
    response = client.post("/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def test_after_the_password_only_the_second_step_is_open(client, case):
    dsl = case.created_by
    password_only(client, dsl)
    for url in (f"/referrals/{case.pk}/", "/referrals/", "/admin/", "/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/two-step/set-up/?next=")
    assert not CaseAccessLog.objects.exists()
    assert client.get("/two-step/set-up/").status_code == 200
    assert client.post("/logout/").status_code == 302


def test_setting_up_the_app_then_reading_the_case(client, case, time_machine):
    dsl = case.created_by
    password_only(client, dsl)
    page = client.get(f"/two-step/set-up/?next=/referrals/{case.pk}/")
    body = page.content.decode()
    assert "<svg" in body and page.context["key"].replace(" ", "")
    device = TOTPDevice.objects.get(user=dsl)
    assert not device.confirmed

    wrong = client.post("/two-step/set-up/", {"code": "000000", "next": "/"})
    assert "The code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed

    time_machine.move_to(MONDAY + dt.timedelta(seconds=5), tick=False)  # past the slow-down
    done = client.post(
        "/two-step/set-up/", {"code": code_now(device), "next": f"/referrals/{case.pk}/"}
    )
    assert done.status_code == 200 and len(done.context["codes"]) == 10
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get(f"/referrals/{case.pk}/").status_code == 200
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.ACCOUNT_CHANGED)
    assert event.subject == dsl and "set up" in event.detail


def test_the_second_step_with_the_app_and_no_code_twice(client, case, time_machine):
    dsl = case.created_by
    device = authenticator_of(dsl)
    password_only(client, dsl)
    response = client.get(f"/referrals/{case.pk}/")
    assert response["Location"] == f"/two-step/?next=%2Freferrals%2F{case.pk}%2F"

    wrong = client.post("/two-step/", {"code": "123 456", "next": f"/referrals/{case.pk}/"})
    assert wrong.status_code == 200 and wrong.context["form"].errors["code"]
    assert (
        SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SIGN_IN_FAILED, subject=dsl).count()
        == 1
    )

    code = code_now(device)
    # django-otp slows guessing down: straight after a wrong code even the right one waits.
    waiting = client.post("/two-step/", {"code": code, "next": "/"})
    assert "wait" in waiting.context["form"].errors["code"][0]
    time_machine.move_to(MONDAY + dt.timedelta(seconds=5), tick=False)
    done = client.post("/two-step/", {"code": code, "next": f"/referrals/{case.pk}/"})
    assert done["Location"] == f"/referrals/{case.pk}/"
    assert client.get(f"/referrals/{case.pk}/").status_code == 200
    client.post("/logout/")
    password_only(client, dsl)
    again = client.post("/two-step/", {"code": code, "next": "/"})
    assert again.status_code == 200  # the same code is not accepted twice


def test_a_recovery_code_works_once(client, case):
    dsl = case.created_by
    code = recovery_code_of(dsl)
    password_only(client, dsl)
    assert client.post("/two-step/", {"code": code.upper(), "next": "/"}).status_code == 302
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.ACCOUNT_CHANGED)
    assert "recovery code (0 left)" in event.detail
    client.post("/logout/")
    password_only(client, dsl)
    assert client.post("/two-step/", {"code": code, "next": "/"}).status_code == 200


def test_next_never_leaves_the_service(client, case):
    dsl = case.created_by
    code = recovery_code_of(dsl)
    password_only(client, dsl)
    response = client.post("/two-step/", {"code": code, "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_signing_out_ends_the_second_step_too(client, case):
    dsl = case.created_by
    client.force_login(dsl)  # both steps
    assert client.get("/referrals/").status_code == 200
    client.post("/logout/")
    password_only(client, dsl)
    assert client.get("/referrals/")["Location"].startswith("/two-step/?next=")


def test_an_administrator_resets_a_lost_authenticator_and_the_person_is_told(client, case):
    from accounts.groups import administrators_group
    from accounts.models import AuthorityRole
    from notifications.models import Notification
    from tests.accounts.factories import authority_role

    dsl = case.created_by
    recovery_code_of(dsl)
    admin = authority_role(case.school.authority, AuthorityRole.ADMINISTRATOR, is_staff=True)
    admin.groups.add(administrators_group())
    client.force_login(admin)
    response = client.post(
        "/admin/accounts/user/",
        {"action": "reset_two_step", "_selected_action": [dsl.pk, admin.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=dsl).exists()
    assert TOTPDevice.objects.filter(user=admin).exists()  # not their own
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.TWO_STEP_RESET)
    assert (event.subject, event.actor) == (dsl, admin)
    assert Notification.objects.filter(user=dsl, stage="security").count() == 1
    client.post("/logout/")
    password_only(client, dsl)
    assert client.get("/referrals/")["Location"].startswith("/two-step/set-up/")
