"""Changing your own password, and resetting a forgotten one by email: GOV.UK pages, the
same answer for every address, each step in the security log."""

import datetime as dt
import re
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.models import SecurityEvent, User
from notifications.models import Notification
from tests.accounts.factories import PASSWORD, UserFactory
from tests.accounts.two_step import recovery_code_of

pytestmark = [pytest.mark.django_db]

Kind = SecurityEvent.Kind
NEW = "a brand new long passphrase"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()  # the reset throttle's counts
    yield
    cache.clear()


@pytest.fixture
def person():
    return UserFactory(email="robin.example@example.org", full_name="Robin Example")


def page(response):
    return response.content.decode()


def signed_in_as(client):
    return client.session.get("_auth_user_id")


# --- Changing your password ---------------------------------------------------------------


def test_the_header_links_to_change_password_beside_sign_out(client, person):
    client.force_login(person)
    header = page(client.get(reverse("inbox"))).split("</header>")[0]
    assert f'href="{reverse("password_change")}">Change password</a>' in header
    assert header.index("Change password") < header.index("Sign out")


def test_change_password_needs_signing_in(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_change_page_has_labelled_fields(client, person):
    client.force_login(person)
    html = page(client.get(reverse("password_change")))
    for field_id, label in (
        ("id_old_password", "Current password"),
        ("id_new_password1", "New password"),
        ("id_new_password2", "Confirm new password"),
    ):
        assert f'<label class="govuk-label" for="{field_id}">{label}</label>' in html
    assert 'autocomplete="current-password"' in html
    assert html.count('autocomplete="new-password"') == 2
    assert "at least 12 characters" in html


def test_mistakes_are_listed_in_the_error_summary_linking_to_their_fields(client, person):
    client.force_login(person)
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "short", "new_password2": "different"},
    )
    html = page(response)
    assert "There is a problem" in html
    assert '<a href="#id_old_password">Your current password is not correct</a>' in html
    assert '<a href="#id_new_password2">The passwords do not match</a>' in html
    assert "Error: Change your password" in html
    assert User.objects.get(pk=person.pk).check_password(PASSWORD)


def test_a_new_password_the_rules_refuse_is_an_error_at_the_new_password(client, person):
    client.force_login(person)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "tulip-arch7", "new_password2": "tulip-arch7"},
    )
    assert (
        '<a href="#id_new_password1">This password is too short. It must contain at least 12 '
        "characters.</a>" in page(response)
    )


def test_empty_fields_each_say_what_to_enter(client, person):
    client.force_login(person)
    html = page(client.post(reverse("password_change"), {}))
    for message in ("Enter your current password", "Enter a new password"):
        assert message in html
    assert "Confirm your new password" in html


def test_changing_it_keeps_this_session_signs_out_the_others_and_is_logged(client, person):
    elsewhere = Client()
    elsewhere.force_login(person)
    client.force_login(person)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    assert User.objects.get(pk=person.pk).check_password(NEW)
    assert client.get(reverse("inbox")).status_code == 200
    assert elsewhere.get(reverse("inbox")).status_code == 302
    event = SecurityEvent.objects.get(kind=Kind.PASSWORD_CHANGED)
    assert event.subject == person and event.actor == person
    assert "Your password has been changed" in page(client.get(reverse("password_change_done")))


# --- Resetting a forgotten password ---------------------------------------------------------


def ask(client, email, address="203.0.113.9"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def link_in(message):
    return re.search(r"https?://[^\s]+/password/reset/[^\s]+/", message.body).group(0)


def test_the_sign_in_page_links_to_the_reset(client):
    html = page(client.get(reverse("login")))
    assert (
        f'<a class="govuk-link" href="{reverse("password_reset")}">Forgotten your password?</a>'
        in (html)
    )


def test_a_known_address_gets_a_link_and_the_request_is_logged(client, person, settings):
    settings.SITE_URL = "https://referrals.example.gov.uk"
    response = ask(client, "Robin.Example@example.org")
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [person.email]
    assert link_in(message).startswith("https://referrals.example.gov.uk/password/reset/")
    assert "works once, for 1 hour" in message.body
    event = SecurityEvent.objects.get(kind=Kind.PASSWORD_RESET_REQUESTED)
    assert event.subject == person and event.ip_address == "203.0.113.9"
    # Sent directly, not through the outbox: no inbox row holds the link.
    assert not Notification.objects.filter(body__contains="/password/reset/").exists()


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, person):
    known = ask(client, person.email)
    unknown = ask(client, "nobody-here@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1
    assert SecurityEvent.objects.filter(kind=Kind.PASSWORD_RESET_REQUESTED).count() == 1
    html = page(client.get(reverse("password_reset_done")))
    assert "If that email address belongs to an account" in html


def test_an_inactive_account_gets_no_email(client):
    person = UserFactory(is_active=False)
    assert ask(client, person.email)["Location"] == reverse("password_reset_done")
    assert mail.outbox == []
    assert not SecurityEvent.objects.filter(kind=Kind.PASSWORD_RESET_REQUESTED).exists()


def test_an_smtp_failure_shows_the_same_confirmation(client, person, caplog):
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=smtplib.SMTPServerDisconnected("gone"),
    ):
        response = ask(client, person.email)
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert "Failed to send password reset email" in caplog.text


def test_a_bad_address_is_an_error_in_the_summary(client):
    html = page(client.post(reverse("password_reset"), {"email": "not an email"}))
    assert '<a href="#id_email">Enter an email address in the correct format' in html


def test_more_than_five_requests_an_hour_for_one_address_send_nothing_more(client, person):
    for n in range(7):
        assert ask(client, person.email, f"198.51.100.{n}")["Location"] == reverse(
            "password_reset_done"
        )
    assert len(mail.outbox) == 5


def test_more_than_five_requests_an_hour_from_one_address_send_nothing_more(client, person):
    for n in range(5):
        ask(client, f"someone{n}@example.org", "198.51.100.200")
    ask(client, person.email, "198.51.100.200")
    assert mail.outbox == []
    ask(client, person.email, "198.51.100.201")
    assert len(mail.outbox) == 1


def test_the_link_sets_a_new_password_once_and_is_logged(client, person):
    ask(client, person.email)
    link = link_in(mail.outbox[0])
    form = client.get(link, follow=True)
    assert "Choose a new password" in page(form)
    set_password_url = form.redirect_chain[-1][0]  # the token leaves the address bar
    assert "set-password" in set_password_url
    done = client.post(set_password_url, {"new_password1": NEW, "new_password2": NEW})
    assert done["Location"] == reverse("password_reset_complete")
    assert User.objects.get(pk=person.pk).check_password(NEW)
    assert SecurityEvent.objects.get(kind=Kind.PASSWORD_RESET).subject == person
    assert not signed_in_as(client)
    again = Client().get(link, follow=True)
    assert "This link does not work" in page(again)


@pytest.mark.time_machine(dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC), tick=False)
def test_the_link_works_for_an_hour(client, person, time_machine):
    ask(client, person.email)
    link = link_in(mail.outbox[0])
    time_machine.move_to(dt.datetime(2026, 11, 2, 10, 0, 1, tzinfo=dt.UTC))
    assert "This link does not work" in page(client.get(link, follow=True))
    time_machine.move_to(dt.datetime(2026, 11, 2, 9, 59, 59, tzinfo=dt.UTC))
    assert "Choose a new password" in page(Client().get(link, follow=True))


def test_resetting_the_password_unlocks_the_account(client, person):
    for _ in range(5):
        client.post(reverse("login"), {"username": person.email, "password": "wrong guess here"})
    assert (
        client.post(reverse("login"), {"username": person.email, "password": PASSWORD}).status_code
        == 429
    )
    ask(client, person.email)
    form = client.get(link_in(mail.outbox[0]), follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    response = client.post(
        reverse("login"), {"username": person.email, "password": NEW}, REMOTE_ADDR="192.0.2.5"
    )
    assert response.status_code == 302 and signed_in_as(client)


# --- The configuration pages sign in through the service's sign-in --------------------------


def test_admin_sign_in_goes_to_the_services_sign_in_keeping_next(client):
    response = client.get("/admin/login/?next=/admin/accounts/school/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=%2Fadmin%2Faccounts%2Fschool%2F"
    assert client.get("/admin/")["Location"] == "/admin/login/?next=/admin/"


def test_admin_sign_in_drops_a_next_that_leaves_the_site(client):
    assert client.get("/admin/login/?next=https://evil.example/")["Location"] == "/login/"


def test_a_staff_member_signs_in_and_lands_on_the_configuration_pages(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    response = client.post(
        "/login/", {"username": staff.email, "password": PASSWORD, "next": "/admin/"}
    )
    assert response["Location"] == "/admin/"
    # Then the second step (accounts/mfa.py), which the configuration pages need too.
    code = recovery_code_of(staff)
    assert client.get("/admin/")["Location"] == "/two-step/?next=%2Fadmin%2F"
    assert client.post("/two-step/", {"code": code, "next": "/admin/"})["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/login/?next=/admin/")["Location"] == "/admin/"


def test_someone_signed_in_without_access_is_told_so_not_sent_round(client, person):
    client.force_login(person)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert "You cannot use the configuration pages" in page(response)


def test_admin_sign_in_is_locked_out_like_any_other(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    for _ in range(5):
        client.post("/login/", {"username": staff.email, "password": "wrong guess here"})
    response = client.post(
        "/login/", {"username": staff.email, "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 429
    # The admin's own login form, which would bypass it, is not reachable.
    assert (
        client.post("/admin/login/", {"username": staff.email, "password": PASSWORD}).status_code
        == 302
    )
    assert not signed_in_as(client)


def test_guessing_the_current_password_on_the_change_page_locks_the_account(client, person):
    client.force_login(person)
    wrong = {"old_password": "a wrong guess", "new_password1": NEW, "new_password2": NEW}
    for _ in range(4):
        assert client.post(reverse("password_change"), wrong).status_code == 200
    assert client.post(reverse("password_change"), wrong).status_code == 429
    # The right one is refused now, here and at the sign-in page, from anywhere.
    right = {**wrong, "old_password": PASSWORD}
    refused = client.post(reverse("password_change"), right)
    assert refused.status_code == 429
    assert "You cannot sign in at the moment" in page(refused)
    assert User.objects.get(pk=person.pk).check_password(PASSWORD)
    elsewhere = Client().post(
        reverse("login"), {"username": person.email, "password": PASSWORD}, REMOTE_ADDR="192.0.2.9"
    )
    assert elsewhere.status_code == 429
    failed = SecurityEvent.objects.filter(kind=Kind.SIGN_IN_FAILED, subject=person)
    assert [e.detail for e in failed.order_by("id")][:5] == [
        "Wrong current password, on Change your password."
    ] * 5
    assert SecurityEvent.objects.filter(kind=Kind.LOCKED_OUT, subject=person).count() == 1


def test_a_wrong_current_password_then_the_right_one_changes_it(client, person):
    client.force_login(person)
    client.post(
        reverse("password_change"),
        {"old_password": "a wrong guess", "new_password1": NEW, "new_password2": NEW},
    )
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=person.pk).check_password(NEW)
