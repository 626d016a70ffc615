"""Who sees what: visible_to is the one gate, and every page answers each role as expected.
A DSL of school A gets 404 (not 403) on school B's referral, so a guessed URL says nothing."""

import pytest

from accounts.models import AuthorityRole, PanelRole, TeamRole
from referrals import services
from referrals.models import CaseAccessLog, SchoolReferral
from tests.accounts.factories import (
    ContextPanelFactory,
    LocalAuthorityFactory,
    SchoolFactory,
    TeamFactory,
    authority_role,
    dsl_of,
    front_door_of,
    panel_member_of,
    team_member_of,
)
from tests.referrals.factories import draft, submitted

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "dsl",
    "deputy",
    "other_school_dsl",
    "front_door",
    "front_door_elsewhere",
    "panel_member",
    "other_panel_member",
    "practitioner",
    "team_manager",
    "partner",
    "administrator",
]


@pytest.fixture
def world():
    authority = LocalAuthorityFactory()
    school_a, school_b = SchoolFactory(authority=authority), SchoolFactory(authority=authority)
    elsewhere = SchoolFactory()
    panel, other_panel = (
        ContextPanelFactory(authority=authority),
        ContextPanelFactory(authority=authority),
    )
    team = TeamFactory(authority=authority)
    people = {
        "anonymous": None,
        "dsl": dsl_of(school_a),
        "deputy": dsl_of(school_a, role="deputy_dsl"),
        "other_school_dsl": dsl_of(school_b),
        "front_door": front_door_of(authority),
        "front_door_elsewhere": front_door_of(elsewhere.authority),
        "panel_member": panel_member_of(panel, role=PanelRole.CHAIR),
        "other_panel_member": panel_member_of(other_panel),
        "practitioner": team_member_of(team),
        "team_manager": team_member_of(team, role=TeamRole.MANAGER),
        "partner": authority_role(authority, AuthorityRole.PARTNER, agency="police"),
        "administrator": authority_role(authority, AuthorityRole.ADMINISTRATOR, is_staff=True),
    }
    dsl = people["dsl"]
    at_panel = services.referral_accept_to_panel(
        referral=submitted(school_a, dsl),
        by=people["front_door"],
        panel=panel,
        reason="Threshold met.",
    )
    # Allocation is the panels issue's job; here the team is set directly as test setup.
    at_panel.allocated_team = team
    at_panel.save()
    return {
        "people": people,
        "draft": draft(school_a, dsl, complete=False),
        "submitted": submitted(school_a, dsl),
        "at_panel": at_panel,
        "more_info": services.referral_request_information(
            referral=submitted(school_a, dsl), by=people["front_door"], message="Which bus?"
        ),
    }


LOGIN = 302
CASE_READERS = {"dsl", "deputy", "front_door", "panel_member", "practitioner", "team_manager"}
SUBMITTED_READERS = {"dsl", "deputy", "front_door"}
DSLS = {"dsl", "deputy"}


def _expect(readers, doers=None, *, others=404):
    """readers get 200 (or 403 if they may read but not act); strangers get `others`."""
    result = {"anonymous": LOGIN}
    for role in ROLES[1:]:
        if role in (doers if doers is not None else readers):
            result[role] = 200
        elif role in readers:
            result[role] = 403
        else:
            result[role] = others
    return result


ANYONE_SIGNED_IN = {r: 200 for r in ROLES[1:]} | {"anonymous": LOGIN}


def ONLY(allowed):  # noqa: N802 - reads as a table entry
    return {r: (200 if r in allowed else 403) for r in ROLES[1:]} | {"anonymous": LOGIN}


PAGES = [
    ("referral list", "/referrals/", ANYONE_SIGNED_IN),
    ("front door queue", "/front-door/", ONLY({"front_door", "front_door_elsewhere"})),
    ("start a referral", "/referrals/new/", ONLY({"dsl", "deputy", "other_school_dsl"})),
    ("draft case page", "/referrals/{draft}/", _expect(DSLS)),
    ("draft history", "/referrals/{draft}/history/", _expect(DSLS)),
    ("draft edit", "/referrals/{draft}/edit/", _expect(DSLS)),
    ("draft check answers", "/referrals/{draft}/check/", _expect(DSLS)),
    ("case page at panel", "/referrals/{at_panel}/", _expect(CASE_READERS)),
    ("history at panel", "/referrals/{at_panel}/history/", _expect(CASE_READERS)),
    ("edit after submit", "/referrals/{at_panel}/edit/", _expect(CASE_READERS, set())),
    ("case page submitted", "/referrals/{submitted}/", _expect(SUBMITTED_READERS)),
    (
        "accept to panel",
        "/referrals/{submitted}/accept_to_panel/",
        _expect(SUBMITTED_READERS, {"front_door"}),
    ),
    (
        "start screening",
        "/referrals/{submitted}/start_screening/",
        _expect(SUBMITTED_READERS, {"front_door"}),
    ),
    (
        "request information",
        "/referrals/{submitted}/request_information/",
        _expect(SUBMITTED_READERS, {"front_door"}),
    ),
    ("redirect", "/referrals/{submitted}/redirect/", _expect(SUBMITTED_READERS, {"front_door"})),
    ("withdraw", "/referrals/{submitted}/withdraw/", _expect(SUBMITTED_READERS, DSLS)),
    (
        "answer a request",
        "/referrals/{more_info}/provide_information/",
        _expect(SUBMITTED_READERS, DSLS),
    ),
    (
        "panel member asks the school",
        "/referrals/{at_panel}/request_information/",
        _expect(CASE_READERS, {"front_door", "panel_member"}),
    ),
    (
        "configuration",
        "/admin/",
        {"anonymous": LOGIN} | {r: LOGIN for r in ROLES[1:]} | {"administrator": 200},
    ),
]

MATRIX = [(name, url, role, codes[role]) for name, url, codes in PAGES for role in ROLES]


@pytest.mark.parametrize(
    ("page_name", "url", "role", "expected"),
    MATRIX,
    ids=[f"{name}-{role}" for name, _u, role, _c in MATRIX],
)
def test_role_by_page_matrix(client, world, page_name, url, role, expected):
    person = world["people"][role]
    if person is not None:
        client.force_login(person)
    ids = {key: world[key].pk for key in ("draft", "submitted", "at_panel", "more_info")}
    response = client.get(url.format(**ids))
    assert response.status_code == expected, f"{role} on {page_name}"


def test_dsl_of_school_a_gets_404_on_school_b_referral_and_history(client):
    school_a, school_b = SchoolFactory(), SchoolFactory()
    referral_b = submitted(school_b)
    client.force_login(dsl_of(school_a))
    assert client.get(f"/referrals/{referral_b.pk}/").status_code == 404
    assert client.get(f"/referrals/{referral_b.pk}/history/").status_code == 404
    assert client.get(f"/referrals/{referral_b.pk}/withdraw/").status_code == 404


def test_visible_to_keeps_authorities_apart(world):
    people = world["people"]
    theirs = SchoolReferral.objects.visible_to(people["front_door_elsewhere"])
    assert not theirs.exists()
    ours = SchoolReferral.objects.visible_to(people["front_door"])
    assert world["draft"] not in ours  # drafts belong to the school alone
    assert {world["submitted"], world["at_panel"], world["more_info"]} <= set(ours)
    assert not SchoolReferral.objects.visible_to(people["administrator"]).exists()
    assert not SchoolReferral.objects.visible_to(people["partner"]).exists()
    assert list(SchoolReferral.objects.visible_to(people["panel_member"])) == [world["at_panel"]]


def test_each_view_of_a_case_page_is_logged(client, world):
    viewer = world["people"]["front_door"]
    client.force_login(viewer)
    client.get(f"/referrals/{world['at_panel'].pk}/")
    client.get(f"/referrals/{world['at_panel'].pk}/history/")
    client.get(f"/referrals/{world['draft'].pk}/")  # not visible: 404, nothing read
    log = CaseAccessLog.objects.filter(user=viewer).order_by("at")
    assert [(e.referral_id, e.page) for e in log] == [
        (world["at_panel"].pk, "referral_detail"),
        (world["at_panel"].pk, "referral_history"),
    ]
