"""Every page of the referral journey passes axe-core's automated accessibility checks in
real Chromium, with and without errors on the page, and can be used from the keyboard."""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from referrals import services
from tests.e2e.browser import enter_password, sign_in
from tests.referrals.factories import in_state

AXE = Axe()


@pytest.fixture
def case(transactional_db):
    return in_state("submitted")


def assert_accessible(page: Page, what):
    results = AXE.run(page)
    assert results.violations_count == 0, f"{what}:\n{results.generate_report()}"


def test_login_page_with_and_without_errors(page, live_server, transactional_db):
    page.goto(f"{live_server.url}/login/")
    assert_accessible(page, "login")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page, "login with errors")


def test_dsl_pages(page, live_server, case):
    dsl = case.people["dsl"]
    draft = services.referral_start(school=case.school, by=dsl)
    sign_in(page, live_server, dsl)
    for url in [
        "/referrals/",
        "/referrals/new/",
        f"/referrals/{draft.pk}/edit/",
        f"/referrals/{draft.pk}/check/",
        f"/referrals/{case.pk}/",
        f"/referrals/{case.pk}/history/",
        f"/referrals/{case.pk}/withdraw/",
    ]:
        page.goto(live_server.url + url)
        assert_accessible(page, url)
    page.goto(f"{live_server.url}/referrals/{draft.pk}/edit/")
    page.get_by_label("Describe the incidents").fill("<b>markup</b>")
    page.get_by_label("Girls").fill("4")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page, "edit with errors")
    page.goto(f"{live_server.url}/referrals/{draft.pk}/check/")
    page.get_by_role("button", name="Submit referral").click()
    expect(
        page.get_by_text("Answer every required question before submitting").first
    ).to_be_visible()
    assert_accessible(page, "check answers with errors")


def test_front_door_pages(page, live_server, case):
    from notifications.sweep import run_sweep

    run_sweep(case.submitted_at + dt.timedelta(days=7))  # an overdue alert in the inbox
    sign_in(page, live_server, case.people["front_door"])
    for url in [
        "/front-door/",
        "/inbox/",
        "/deadlines/mine/",
        "/deadlines/team/",
        f"/referrals/{case.pk}/",
        f"/referrals/{case.pk}/accept_to_panel/",
        f"/referrals/{case.pk}/request_information/",
        f"/referrals/{case.pk}/start_screening/",
    ]:
        page.goto(live_server.url + url)
        assert_accessible(page, url)
    page.goto(f"{live_server.url}/referrals/{case.pk}/redirect/")
    page.get_by_role("button", name="Redirect referral").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page, "redirect with errors")


def test_keyboard_user_skips_to_content_and_submits_a_decision(page, live_server, case):
    sign_in(page, live_server, case.people["front_door"])
    page.goto(f"{live_server.url}/referrals/{case.pk}/redirect/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    # Tab through to the reason box and write it, then submit with the keyboard alone.
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_reason":
            break
    expect(page.get_by_label("Reason for redirecting")).to_be_focused()
    page.keyboard.type("About one child at home: individual referral.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Redirect referral")).to_be_focused()
    outline = page.evaluate(
        "getComputedStyle(document.activeElement).outlineStyle + ' ' + "
        "getComputedStyle(document.activeElement).boxShadow"
    )
    assert outline != "none none", "the focused button shows no visible focus"
    page.keyboard.press("Enter")
    expect(page.locator("p", has_text="Status:").locator(".govuk-tag")).to_have_text(
        "Redirected (individual child referral)"
    )


def test_the_duty_manager_sees_an_undelivered_email_and_tries_it_again(
    page, live_server, case, settings
):
    from accounts.models import AuthorityRole
    from notifications import outbox
    from notifications.services import notify_people
    from tests.accounts.factories import authority_role
    from tests.notifications import backends

    settings.EMAIL_BACKEND = "tests.notifications.backends.ScriptedBackend"
    backends.reset()
    dsl = case.people["dsl"]
    duty = authority_role(case.school.authority, AuthorityRole.DUTY_MANAGER)
    backends.refuse[dsl.email] = (550, b"5.1.1 No such mailbox")
    notify_people(user_ids=[dsl.pk], title=f"Panel outcome for {case.reference}")
    outbox.drain()
    sign_in(page, live_server, duty)
    page.get_by_role("link", name="Emails not delivered").click()
    expect(page.get_by_role("heading", name="Emails not delivered")).to_be_visible()
    expect(page.get_by_text("No such mailbox")).to_be_visible()
    assert_accessible(page, "/inbox/undelivered/")
    page.goto(f"{live_server.url}/inbox/")
    assert_accessible(page, "/inbox/ with a delivery notice")
    page.goto(f"{live_server.url}/inbox/undelivered/")
    del backends.refuse[dsl.email]
    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_text(f"The email to {dsl.full_name} will be tried again.")).to_be_visible()
    backends.reset()


def test_the_referral_list_filter_with_and_without_errors(page, live_server, case):
    front_door = case.people["front_door"]
    sign_in(page, live_server, front_door)
    page.goto(f"{live_server.url}/referrals/")
    assert_accessible(page, "referral list")
    page.get_by_label("Search").fill(case.school.urn)
    page.get_by_role("radio", name="All").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("link", name=case.reference)).to_be_visible()
    expect(page.get_by_role("link", name="Remove this filter: All")).to_be_visible()
    assert_accessible(page, "referral list, filtered")
    page.get_by_role("link", name=f"Remove this filter: Search: {case.school.urn}").click()
    expect(page.get_by_role("link", name="Remove this filter: All")).to_be_visible()
    page.goto(f"{live_server.url}/referrals/?state=bogus&show=everything")
    expect(page.get_by_role("link", name="There is no status called “bogus”")).to_be_visible()
    assert_accessible(page, "referral list with errors")


def test_audit_log_pages(page, live_server, case):
    from accounts.models import AuthorityRole
    from tests.accounts.factories import authority_role

    officer = authority_role(case.school.authority, AuthorityRole.DATA_PROTECTION_OFFICER)
    sign_in(page, live_server, officer)
    for log in ("reads", "exports", "security"):
        page.goto(f"{live_server.url}/audit/{log}/")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page, f"audit log {log}")
    # With errors: a date that is not one, and the summary's link takes focus to the field.
    page.get_by_role("group", name="From").get_by_label("Day", exact=True).fill("31")
    page.get_by_role("group", name="From").get_by_label("Month", exact=True).fill("2")
    page.get_by_role("group", name="From").get_by_label("Year", exact=True).fill("2026")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page, "audit log with errors")
    page.get_by_role("link", name="From must be a real date").click()
    expect(page.get_by_role("group", name="From").get_by_label("Day", exact=True)).to_be_focused()


def test_two_step_pages(page, live_server, case):
    """Setting up the authenticator and entering a code, with and without errors."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    dsl = case.people["dsl"]
    enter_password(page, live_server, dsl)
    expect(page.get_by_role("heading", name="Set up two-step verification")).to_be_visible()
    assert_accessible(page, "two-step set-up")
    page.get_by_label("Security code", exact=True).fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page, "two-step set-up with errors")
    page.get_by_role("link", name="The code is not right").click()
    expect(page.get_by_label("Security code", exact=True)).to_be_focused()

    device = TOTPDevice.objects.get(user=dsl)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    # A wrong code slows the next try down by a second or two (django-otp).
    page.wait_for_timeout(2500)
    page.get_by_label("Security code", exact=True).fill(f"{totp.token():06d}")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Two-step verification is set up")).to_be_visible()
    assert_accessible(page, "recovery codes")
    page.get_by_role("link", name="Continue").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    enter_password(page, live_server, dsl)
    expect(page.get_by_role("heading", name="Enter your security code")).to_be_visible()
    assert_accessible(page, "two-step code")


def test_the_timeout_warning(page, live_server, case, settings):
    """Shown before the idle limit, by keyboard: Stay signed in keeps the session; doing
    nothing ends on the sign-in page, saying why."""
    settings.SESSION_IDLE_SECONDS, settings.TIMEOUT_WARNING_SECONDS = 8, 6
    sign_in(page, live_server, case.people["dsl"])
    page.goto(f"{live_server.url}/inbox/")
    dialog = page.get_by_role("dialog", name="You’re about to be signed out")
    expect(dialog).to_be_visible(timeout=6000)
    expect(dialog.get_by_role("button", name="Stay signed in")).to_be_focused()
    assert_accessible(page, "timeout warning")
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(dialog).to_be_visible(timeout=6000)  # the clock started again
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible(timeout=12000)
    expect(page.get_by_text("had not used the service")).to_be_visible()
