"""The conflict form's school picker in a real browser: with JavaScript, GOV.UK's
accessible autocomplete suggests the member's authority's schools as they type and the one
picked is declared. axe passes with the suggestions open and on the finished form. (The
no-JavaScript path, the server resolving what was typed, is in tests/panels.)"""

import pytest
from playwright.sync_api import Page, expect

from panels.models import ConflictOfInterest
from tests.accounts.factories import (
    ContextPanelFactory,
    LocalAuthorityFactory,
    SchoolFactory,
    panel_member_of,
)
from tests.e2e.browser import assert_accessible, sign_in


@pytest.fixture
def world(transactional_db):
    # live_server runs in another thread, so the data must be committed: transactional_db.
    authority = LocalAuthorityFactory()
    member = panel_member_of(ContextPanelFactory(authority=authority))
    hill = SchoolFactory(authority=authority, name="Hilltop Academy", urn="612345")
    SchoolFactory(authority=authority, name="Hillside Primary", urn="612346")
    SchoolFactory(name="Hilltop College", urn="698765")  # another authority's
    return {"member": member, "hill": hill}


def test_typing_suggests_the_authority_s_schools_and_the_picked_one_is_declared(
    page: Page, live_server, world
):
    sign_in(page, live_server, world["member"])
    page.goto(f"{live_server.url}/panels/conflicts/new/")
    school = page.get_by_role("combobox", name="School")
    school.press_sequentially("hillt")
    options = page.get_by_role("option")
    expect(options).to_have_count(1)  # not the other authority's Hilltop
    expect(options.first).to_have_text("Hilltop Academy (URN 612345, Exampleton)")
    assert_accessible(page, "the conflict form with suggestions open")
    options.first.click()
    expect(school).to_have_value("Hilltop Academy (URN 612345)")
    page.get_by_label("Nature of the conflict").fill("I am a governor there.")
    assert_accessible(page, "the conflict form, filled in")
    page.get_by_role("button", name="Declare").click()
    expect(page.get_by_text("Conflict of interest declared.")).to_be_visible()
    (conflict,) = ConflictOfInterest.objects.filter(user=world["member"])
    assert conflict.school == world["hill"]
