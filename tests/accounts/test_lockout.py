"""Too many failed sign-ins lock the account, whatever the address, and the address, whatever
the account; the lockout page gives nothing away; the security log has each failure and one
entry per lockout, told to the person and their authority's administrators."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from accounts.models import AuthorityRole, SecurityEvent
from notifications.models import Notification
from tests.accounts.factories import PASSWORD, LocalAuthorityFactory, UserFactory, authority_role

MONDAY = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(MONDAY, tick=False)]

Kind = SecurityEvent.Kind
WRONG = "not-the-password-at-all"


def sign_in(client, email, password, address="203.0.113.1"):
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address
    )


def signed_in(client):
    return "_auth_user_id" in client.session


def fail(client, email, times, addresses=None):
    for n in range(times):
        address = addresses[n % len(addresses)] if addresses else "203.0.113.1"
        response = sign_in(client, email, WRONG, address)
    return response


@pytest.fixture
def person():
    authority = LocalAuthorityFactory()
    return UserFactory(email="pat.example@example.org", authority=authority)


def test_a_wrong_password_is_refused_with_the_form_again(client, person):
    response = sign_in(client, person.email, WRONG)
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.content.decode()
    assert not signed_in(client)


def test_five_failures_from_five_addresses_lock_the_account(client, person):
    addresses = [f"198.51.100.{n}" for n in range(1, 6)]
    assert fail(client, person.email, 4, addresses).status_code == 200
    assert fail(client, person.email, 1, ["198.51.100.5"]).status_code == 429
    # Right password, from a sixth address never used before: still refused.
    response = sign_in(client, person.email, PASSWORD, "192.0.2.77")
    assert response.status_code == 429
    assert not signed_in(client)


def test_the_account_is_locked_whatever_case_the_address_is_typed_in(client, person):
    for email in ("PAT.example@example.org", "pat.EXAMPLE@example.org", "Pat.Example@Example.org"):
        fail(client, email, 1, ["198.51.100.9", "198.51.100.10"])
    fail(client, " pat.example@EXAMPLE.ORG", 2, ["198.51.100.11", "198.51.100.12"])
    assert sign_in(client, person.email, PASSWORD, "192.0.2.78").status_code == 429


def test_four_failures_then_the_right_password_signs_in_and_starts_the_count_again(client, person):
    fail(client, person.email, 4)
    assert sign_in(client, person.email, PASSWORD).status_code == 302
    assert signed_in(client)
    client.logout()
    fail(client, person.email, 4)
    assert sign_in(client, person.email, PASSWORD).status_code == 302


def test_five_failures_from_one_address_on_different_accounts_lock_the_address(client, person):
    for n in range(5):
        sign_in(client, f"nobody{n}@example.org", WRONG, "203.0.113.50")
    assert sign_in(client, person.email, PASSWORD, "203.0.113.50").status_code == 429
    # The account itself is not locked: from elsewhere it signs in.
    assert sign_in(client, person.email, PASSWORD, "203.0.113.51").status_code == 302


def test_the_lockout_page_says_when_to_try_again_and_gives_nothing_away(client, person):
    known = fail(client, person.email, 5, ["198.51.100.1", "198.51.100.2"])
    unknown = fail(client, "no-such-person@example.org", 5, ["198.51.100.3", "198.51.100.4"])
    assert known.status_code == unknown.status_code == 429

    def text(response):
        page = response.content.decode()
        page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)
        return re.sub(r'nonce="[^"]*"', "", page)  # each response's CSP nonce is its own

    page = text(known)
    assert page == text(unknown)
    assert "You cannot sign in at the moment" in page
    assert "Try again in 15 minutes" in page
    assert "contact your administrator" in page
    assert "pat.example" not in page.lower() and "no-such-person" not in page
    assert "account" not in page.lower().replace("accounts/", "")


def test_the_lockout_ends_after_the_cool_off(client, person, time_machine):
    fail(client, person.email, 5)
    time_machine.move_to(MONDAY + dt.timedelta(minutes=14, seconds=59))
    assert sign_in(client, person.email, PASSWORD).status_code == 429
    # That refused attempt, from the same place, started the cool-off again.
    time_machine.move_to(MONDAY + dt.timedelta(minutes=29, seconds=58))
    assert sign_in(client, person.email, PASSWORD).status_code == 429
    time_machine.move_to(MONDAY + dt.timedelta(minutes=45))
    response = sign_in(client, person.email, PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


def test_the_limit_and_cool_off_come_from_the_settings(client, person, settings, time_machine):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=2)
    settings.SIGNIN_LOCKOUT_MINUTES = 2
    response = fail(client, person.email, 3)
    assert response.status_code == 429
    assert "Try again in 2 minutes" in response.content.decode()
    time_machine.move_to(MONDAY + dt.timedelta(minutes=2, seconds=1))
    assert sign_in(client, person.email, PASSWORD).status_code == 302


def test_each_failure_is_logged_against_the_account_and_the_lockout_once(client, person):
    fail(client, person.email, 5)
    sign_in(client, person.email, PASSWORD)  # refused while locked
    sign_in(client, person.email, WRONG)
    failed = SecurityEvent.objects.filter(kind=Kind.SIGN_IN_FAILED).order_by("id")
    assert [e.subject for e in failed] == [person] * 7
    assert [e.detail for e in failed] == ["Wrong password."] * 5 + [
        "Refused: too many failed sign-ins."
    ] * 2
    assert {e.ip_address for e in failed} == {"203.0.113.1"}
    locked = SecurityEvent.objects.get(kind=Kind.LOCKED_OUT)
    assert locked.subject == person
    assert locked.authority == person.authority
    assert "this account, and the address it was tried from, are locked for 15 minutes" in (
        locked.detail
    )


def test_a_failure_for_an_unknown_address_is_logged_without_it(client):
    sign_in(client, "who-is-this@example.org", WRONG)
    event = SecurityEvent.objects.get(kind=Kind.SIGN_IN_FAILED)
    assert event.subject is None and event.subject_name == ""
    assert event.detail == "No account has this email address."
    assert "who-is-this" not in event.detail


def test_a_lockout_is_told_to_the_person_and_their_administrators(client, person):
    administrator = authority_role(person.authority, AuthorityRole.ADMINISTRATOR)
    elsewhere = authority_role(LocalAuthorityFactory(), AuthorityRole.ADMINISTRATOR)
    fail(client, person.email, 6)
    told = Notification.objects.filter(title__contains="locked out")
    assert sorted(n.user_id for n in told) == sorted([person.pk, administrator.pk])
    assert elsewhere.pk not in {n.user_id for n in told}
    assert "locked for 15 minutes" in told.get(user=person).body


def test_an_address_locked_on_unknown_accounts_tells_nobody(client, person):
    authority_role(person.authority, AuthorityRole.ADMINISTRATOR)
    for n in range(5):
        sign_in(client, f"nobody{n}@example.org", WRONG, "203.0.113.60")
    event = SecurityEvent.objects.get(kind=Kind.LOCKED_OUT)
    assert event.subject is None and event.ip_address == "203.0.113.60"
    assert "the address they came from" in event.detail
    assert not Notification.objects.filter(title__contains="locked out").exists()


def test_an_inactive_account_with_the_right_password_is_refused_like_a_wrong_one(client):
    person = UserFactory(is_active=False)
    response = sign_in(client, person.email, PASSWORD)
    assert "Enter a correct email address and password" in response.content.decode()
    assert "inactive" not in response.content.decode()
    assert SecurityEvent.objects.get(kind=Kind.SIGN_IN_FAILED).detail == "The account is inactive."


def test_the_address_behind_the_load_balancer_is_counted(client, person, settings):
    settings.SIGNIN_PROXY_COUNT = 1
    for n in range(5):
        client.post(
            reverse("login"),
            {"username": f"nobody{n}@example.org", "password": WRONG},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.70",  # the first part is the client's say
        )
    logged = SecurityEvent.objects.filter(kind=Kind.SIGN_IN_FAILED)
    assert set(logged.values_list("ip_address", flat=True)) == {"203.0.113.70"}
    # The balancer's own address is not locked; the client's is.
    assert sign_in(client, person.email, PASSWORD, "10.0.0.2").status_code == 302
    client.logout()
    response = client.post(
        reverse("login"),
        {"username": person.email, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.70",
    )
    assert response.status_code == 429


def test_a_forwarded_address_that_is_not_one_counts_as_none(client, person, settings):
    settings.SIGNIN_PROXY_COUNT = 1
    response = client.post(
        reverse("login"),
        {"username": person.email, "password": WRONG},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="<script>",
    )
    assert response.status_code == 200
    assert SecurityEvent.objects.get(kind=Kind.SIGN_IN_FAILED).ip_address == "10.0.0.2"


def test_their_administrator_lifts_an_accounts_lockout(client, person):
    from django.test import Client

    from accounts.groups import administrators_group
    from accounts.models import AuthorityRole
    from tests.accounts.factories import authority_role

    fail(client, person.email, 5, ["198.51.100.1", "198.51.100.2", "198.51.100.3"])
    assert sign_in(client, person.email, PASSWORD, "198.51.100.9").status_code == 429
    admin = authority_role(person.authority, AuthorityRole.ADMINISTRATOR, is_staff=True)
    admin.groups.add(administrators_group())
    other = authority_role(LocalAuthorityFactory(), AuthorityRole.ADMINISTRATOR, is_staff=True)
    other.groups.add(administrators_group())
    lift = {"action": "lift_lockout", "_selected_action": [person.pk]}

    elsewhere = Client()
    elsewhere.force_login(other)  # another authority's administrator: not theirs to lift
    elsewhere.post("/admin/accounts/user/", lift)
    assert sign_in(client, person.email, PASSWORD, "198.51.100.9").status_code == 429

    theirs = Client()
    theirs.force_login(admin)
    assert theirs.post("/admin/accounts/user/", lift).status_code == 302
    assert sign_in(client, person.email, PASSWORD, "198.51.100.9").status_code == 302
    lifted = SecurityEvent.objects.get(detail="Sign-in lockout lifted by an administrator.")
    assert (lifted.subject, lifted.actor) == (person, admin)
