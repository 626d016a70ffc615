"""Sign-in protection in the browser, by keyboard: a forgotten password reset from the email's
link, a password changed from the header, and the lockout page; each page passes axe."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import Page, expect

from tests.accounts.factories import PASSWORD, UserFactory
from tests.e2e.browser import assert_accessible, sign_in

NEW = "seven purple herons at dawn"


@pytest.fixture
def person(transactional_db):
    cache.clear()  # the reset limit's counts
    return UserFactory(email="alex.browser@example.org")


def press_link(page: Page, name):
    link = page.get_by_role("link", name=name)
    link.focus()
    page.keyboard.press("Enter")


def test_a_forgotten_password_is_reset_from_the_emailed_link(page, live_server, person, settings):
    settings.SITE_URL = live_server.url
    page.goto(f"{live_server.url}/login/")
    press_link(page, "Forgotten your password?")
    expect(page.get_by_role("heading", name="Reset your password", level=1)).to_be_visible()
    assert_accessible(page, "reset request")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("link", name="Enter your email address")).to_be_visible()
    assert_accessible(page, "reset request with errors")
    page.get_by_label("Email address").fill(person.email)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Check your email", level=1)).to_be_visible()
    assert_accessible(page, "check your email")

    link = re.search(r"http://\S+/password/reset/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", name="Choose a new password", level=1)).to_be_visible()
    assert "/set-password/" in page.url
    assert_accessible(page, "choose a new password")
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("Confirm new password").fill("short")
    page.get_by_role("button", name="Reset password").click()
    error = page.get_by_role("link", name=re.compile("This password is too short"))
    expect(error).to_be_visible()
    assert_accessible(page, "choose a new password with errors")
    error.click()
    expect(page.get_by_label("New password", exact=True)).to_be_focused()
    page.get_by_label("New password", exact=True).fill(NEW)
    page.get_by_label("Confirm new password").fill(NEW)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your password has been reset")).to_be_visible()
    assert_accessible(page, "password reset")

    press_link(page, "Sign in with your new password")
    page.get_by_label("Email address", exact=True).fill(person.email)
    page.get_by_label("Password", exact=True).fill(NEW)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_a_password_is_changed_from_the_header(page, live_server, person):
    sign_in(page, live_server, person)
    press_link(page, "Change password")
    expect(page.get_by_role("heading", name="Change your password", level=1)).to_be_visible()
    assert_accessible(page, "change password")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("link", name="Enter your current password")).to_be_visible()
    assert_accessible(page, "change password with errors")
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(NEW)
    page.get_by_label("Confirm new password").fill(NEW)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your password has been changed")).to_be_visible()
    assert_accessible(page, "password changed")
    # Still signed in.
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_the_lockout_page(page, live_server, person):
    page.goto(f"{live_server.url}/login/")
    for _ in range(5):
        page.get_by_label("Email address", exact=True).fill(person.email)
        page.get_by_label("Password", exact=True).fill("not the right one at all")
        with page.expect_response(re.compile(r"/login/$")) as answer:
            page.get_by_role("button", name="Sign in").click()
    assert answer.value.status == 429
    expect(page.get_by_role("heading", name="You cannot sign in at the moment")).to_be_visible()
    expect(page.get_by_text("Try again in 15 minutes.")).to_be_visible()
    assert_accessible(page, "locked out")
