"""What the browser journeys share: signing in and out, the axe check, the GOV.UK date
input."""

import datetime as dt
import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.accounts.factories import PASSWORD
from tests.accounts.two_step import recovery_code_of

AXE = Axe()


def enter_password(page: Page, live_server, user):
    """The first step of signing in."""
    page.goto(f"{live_server.url}/login/")
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
    page.get_by_label("Email address", exact=True).fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def sign_in(page: Page, live_server, user):
    """Both steps: the password, then a recovery code made for this sign-in."""
    code = recovery_code_of(user)
    enter_password(page, live_server, user)
    page.get_by_label("Security code", exact=True).fill(code)
    page.get_by_role("button", name="Continue").click()
    expect(page).not_to_have_url(re.compile(r"/two-step/"))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_out(page: Page):
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()


def assert_accessible(page: Page, what):
    results = AXE.run(page)
    assert results.violations_count == 0, f"{what}:\n{results.generate_report()}"


def fill_date(page: Page, day: dt.date, legend: str | None = None):
    """Type a date into a GOV.UK date input (the one named `legend`, if there are several)."""
    where = page.get_by_role("group", name=legend) if legend else page
    where.get_by_label("Day", exact=True).fill(str(day.day))
    where.get_by_label("Month", exact=True).fill(str(day.month))
    where.get_by_label("Year", exact=True).fill(str(day.year))
