"""Declaring a conflict of interest: the school found by name or URN among the schools of the
member's panels' authorities (a search, never a select of every school), with or without
the autocomplete."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import School
from accounts.school_search import MATCHES
from panels.models import ConflictOfInterest
from tests.accounts.factories import (
    ContextPanelFactory,
    LocalAuthorityFactory,
    SchoolFactory,
    dsl_of,
    panel_member_of,
)

pytestmark = pytest.mark.django_db

SEARCH = "/panels/conflicts/schools/"
FORM = "/panels/conflicts/new/"


@pytest.fixture
def world():
    authority = LocalAuthorityFactory()
    panel = ContextPanelFactory(authority=authority)
    member = panel_member_of(panel)
    School.objects.bulk_create(
        School(
            urn=f"{700000 + n}",
            name=f"Riverside Primary {n:02d}",
            authority=authority,
            la_code=authority.code,
            la_name=authority.name,
            town="Exampleton",
        )
        for n in range(MATCHES + 5)
    )
    hill = SchoolFactory(authority=authority, name="Hilltop Academy", urn="612345")
    elsewhere = SchoolFactory(name="Hilltop Academy East", urn="698765")  # another authority
    return {"member": member, "hill": hill, "elsewhere": elsewhere}


def test_the_search_answers_few_schools_of_the_member_s_authorities_and_no_case(client, world):
    client.force_login(world["member"])
    results = client.get(SEARCH, {"q": "riverside"}).json()["results"]
    assert len(results) == MATCHES  # never every school
    assert set(results[0]) == {"id", "name", "urn", "town", "label"}
    assert [r["name"] for r in results] == sorted(r["name"] for r in results)

    hill = world["hill"]
    found = client.get(SEARCH, {"q": "hilltop"}).json()["results"]
    assert found == [
        {
            "id": hill.pk,
            "name": "Hilltop Academy",
            "urn": "612345",
            "town": hill.town,
            "label": "Hilltop Academy (URN 612345)",
        }
    ]  # not the other authority's Hilltop
    assert client.get(SEARCH, {"q": "6123"}).json()["results"][0]["id"] == hill.pk
    assert client.get(SEARCH, {"q": "698765"}).json()["results"] == []
    assert client.get(SEARCH, {"q": "   "}).json()["results"] == []
    assert client.get(SEARCH, {"q": "x" * 5000}).status_code == 200


def test_the_search_is_for_signed_in_panel_members_only(client, world):
    assert client.get(SEARCH, {"q": "hill"}).status_code == 302  # to sign in
    client.force_login(dsl_of(world["hill"]))
    assert client.get(SEARCH, {"q": "hill"}).status_code == 403


def test_the_search_takes_a_fixed_number_of_queries(client, world):
    client.force_login(world["member"])
    client.get(SEARCH, {"q": "riverside"})
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(SEARCH, {"q": "hilltop"}).json()["results"]) == 1
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(SEARCH, {"q": "riverside"}).json()["results"]) == MATCHES
    # The session, the user and their roles, then one search: however many schools match.
    assert len(many) == len(one) <= 8
    assert sum('FROM "accounts_school"' in q["sql"] for q in many) == 1


def test_the_form_is_a_text_input_never_a_select_of_every_school(client, world):
    client.force_login(world["member"])
    page = client.get(FORM).content.decode()
    assert "<select" not in page and "Riverside Primary" not in page
    assert 'class="govuk-input app-school-search' in page
    assert f'data-school-search="{SEARCH}"' in page
    assert "accessible-autocomplete/accessible-autocomplete.min.js" in page


@pytest.mark.parametrize(
    "typed",
    ["Hilltop Academy (URN 612345)", "612345", "hilltop academy", "  Hilltop  "],
)
def test_without_javascript_a_name_or_urn_resolves_to_the_school(client, world, typed):
    client.force_login(world["member"])
    response = client.post(FORM, {"school": typed, "reason": "Governor"})
    assert response.status_code == 302
    (conflict,) = ConflictOfInterest.objects.filter(user=world["member"])
    assert conflict.school == world["hill"]


@pytest.mark.parametrize(
    "typed, message",
    [
        ("", "Enter the school&#x27;s name or URN"),
        ("Nowhere School", "No school you can choose here matches “Nowhere School”"),
        ("Riverside", "More than one school matches “Riverside”: Riverside Primary 00 (URN"),
        # Another authority's school is refused, by name and by URN alike.
        ("Hilltop Academy East", "No school you can choose here matches"),
        ("698765", "No school you can choose here has URN 698765"),
        ("Hilltop Academy East (URN 698765)", "No school you can choose here has URN 698765"),
    ],
)
def test_an_unknown_ambiguous_or_outside_school_is_an_error_at_the_field(
    client, world, typed, message
):
    client.force_login(world["member"])
    response = client.post(FORM, {"school": typed, "reason": "Governor"})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'href="#id_school"' in page  # the error summary links to the field
    assert 'id="id_school-error"' in page
    assert not ConflictOfInterest.objects.exists()


def test_an_ambiguous_name_lists_a_few_matches_and_says_there_are_more(client, world):
    client.force_login(world["member"])
    page = client.post(FORM, {"school": "Riverside", "reason": "Governor"}).content.decode()
    assert "Riverside Primary 09 (URN 700009)" in page
    assert "Riverside Primary 10" not in page
    assert "and others. Enter the URN of the one you mean" in page
