"""The referral journey through a real browser: a DSL refers their school, the front door
accepts it to a context panel, and the DSL sees the new status. Fields are found by their
labels, as a person (or a screen reader) finds them."""

import re

import pytest
from playwright.sync_api import Page, expect

from referrals.indicators import seed_indicators
from tests.accounts.factories import (
    ContextPanelFactory,
    SchoolFactory,
    dsl_of,
    front_door_of,
)
from tests.e2e.browser import sign_in

REFERENCE = re.compile(r"SR-\d{4}-\d{5}")


@pytest.fixture
def school(transactional_db):
    # live_server runs in another thread, so the data must be committed: transactional_db.
    school = SchoolFactory(locality="North", name="Fictional Academy E2E")
    seed_indicators(school.authority)
    ContextPanelFactory(authority=school.authority, name="North context panel", region="North")
    ContextPanelFactory(authority=school.authority, name="South context panel", region="South")
    return school


@pytest.fixture
def dsl(school):
    return dsl_of(school, email="dsl@example.org", full_name="Dana Lead")


@pytest.fixture
def front_door(school):
    return front_door_of(school.authority, email="frontdoor@example.org", full_name="Fran Door")


def sign_out(page: Page):
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()


def status_tag(page: Page):
    return page.locator("p", has_text="Status:").locator(".govuk-tag")


def start_referral(page: Page, live_server):
    page.goto(f"{live_server.url}/referrals/new/")
    expect(page.get_by_role("heading", name="Make a school referral")).to_be_visible()
    page.get_by_role("button", name="Start referral").click()
    expect(page.get_by_role("heading", name="School referral", level=1)).to_be_visible()


def test_dsl_refers_front_door_accepts_to_panel_dsl_sees_status(
    page: Page, live_server, dsl, front_door
):
    # --- The DSL fills in and submits the referral --------------------------------------
    sign_in(page, live_server, dsl)
    expect(page.get_by_role("heading", name="Your school referrals", level=1)).to_be_visible()
    start_referral(page, live_server)

    harms = page.get_by_role("group", name="What kinds of harm are you concerned about?")
    harms.get_by_role("checkbox", name="Sexual harassment", exact=True).check()
    harms.get_by_role("checkbox", name="Online harm or image sharing", exact=True).check()
    page.get_by_label("Describe the incidents", exact=True).fill(
        "Repeated sexual comments in the top corridor and image sharing among Year 9 pupils."
    )
    page.get_by_label("Patterns you have noticed", exact=True).fill(
        "Mostly at lunchtime and on the bus home."
    )
    places = page.get_by_role("group", name="Where does the harm happen?")
    places.get_by_role("checkbox", name="Corridors", exact=True).check()
    places.get_by_role("checkbox", name="Transport to and from school", exact=True).check()
    indicators = page.get_by_role(
        "group", name="Which school threshold indicators have you observed?"
    )
    indicators.get_by_role("checkbox").first.check()

    page.get_by_label("Year 9", exact=True).fill("6")
    page.get_by_label("Year 10", exact=True).fill("2")
    page.get_by_label("Girls", exact=True).fill("5")
    page.get_by_label("Boys", exact=True).fill("3")

    done = page.get_by_role("group", name="What has the school already done?")
    done.get_by_role("checkbox", name="Risk assessment completed", exact=True).check()
    done.get_by_role("checkbox", name="Parents or carers informed", exact=True).check()
    page.get_by_label("What have young people said?", exact=True).fill(
        "Girls say the bus and the top corridor feel unsafe."
    )
    page.get_by_role("radio", name=re.compile(r"^Public task and safeguarding")).check()

    page.get_by_role("button", name="Save and check your answers").click()

    expect(
        page.get_by_role("heading", name="Check your answers before submitting", level=1)
    ).to_be_visible()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page.locator(".govuk-summary-list")).to_contain_text("Sexual harassment")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Transport to and from school")
    page.screenshot(path="/tmp/e2e-check.png", full_page=True)

    page.get_by_role("button", name="Submit referral").click()

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(rf"^Referral {REFERENCE.pattern}$"))
    expect(status_tag(page)).to_have_text("Submitted")
    expect(page.get_by_role("alert")).to_contain_text("Referral submitted")
    reference = REFERENCE.search(heading.inner_text()).group(0)

    sign_out(page)

    # --- The front door accepts it to a context panel ------------------------------------
    sign_in(page, live_server, front_door)
    expect(page.get_by_role("heading", name="Front door queue", level=1)).to_be_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=reference))
    expect(row).to_contain_text("Fictional Academy E2E")
    expect(row).to_contain_text("Submitted")
    page.screenshot(path="/tmp/e2e-queue.png", full_page=True)

    page.get_by_role("link", name=reference, exact=True).click()
    expect(page.get_by_role("heading", name=f"Referral {reference}", level=1)).to_be_visible()
    page.get_by_role("link", name="Accept to a context panel").click()

    expect(page.get_by_role("heading", name="Accept to a context panel", level=1)).to_be_visible()
    page.get_by_role("group", name="Context panel").get_by_role(
        "radio", name="South context panel (South)", exact=True
    ).check()
    page.get_by_label("Reason for accepting", exact=True).fill(
        "A pattern of harassment across corridors and transport: meets the school threshold."
    )
    page.get_by_role("button", name="Accept to panel").click()

    expect(page.get_by_role("heading", name=f"Referral {reference}", level=1)).to_be_visible()
    expect(status_tag(page)).to_have_text("Awaiting panel")
    expect(page.get_by_role("alert")).to_contain_text("Referral accepted to the context panel.")
    expect(page.get_by_text("South context panel (South)")).to_be_visible()

    sign_out(page)

    # --- The DSL sees the new status on their list and on the case page ------------------
    sign_in(page, live_server, dsl)
    expect(page.get_by_role("heading", name="Your school referrals", level=1)).to_be_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=reference))
    # The status column's tag (the deadlines column has RAG tags of its own).
    expect(row.get_by_role("cell").nth(2)).to_have_text("Awaiting panel")
    expect(row).to_contain_text("Panel threshold decision")

    row.get_by_role("link", name=reference, exact=True).click()
    expect(page.get_by_role("heading", name=f"Referral {reference}", level=1)).to_be_visible()
    expect(status_tag(page)).to_have_text("Awaiting panel")


def test_markup_in_free_text_is_refused_and_shown_back_escaped(page: Page, live_server, dsl):
    markup = "<script>window.__xss=1</script>"
    sign_in(page, live_server, dsl)
    start_referral(page, live_server)

    page.get_by_label("Describe the incidents", exact=True).fill(markup)
    page.get_by_role("button", name="Save and check your answers").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: "))
    # The message quotes the markup: it must be text on the page, not a script.
    link = summary.get_by_role("link", name=re.compile(r"^Remove the markup <script>"))
    expect(link).to_be_visible()

    field = page.get_by_label("Describe the incidents", exact=True)
    expect(field).to_have_value(markup)
    expect(field).to_have_attribute(
        "aria-describedby", re.compile(r"id_incident_description-error")
    )

    link.click()
    expect(field).to_be_focused()

    assert page.evaluate("typeof window.__xss") == "undefined"
    injected = page.evaluate(
        "[...document.querySelectorAll('script')].some(s => s.textContent.includes('__xss'))"
    )
    assert injected is False
