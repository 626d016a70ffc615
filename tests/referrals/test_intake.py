"""The DSL's journey through the pages, and bad input: a clear message, nothing saved."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from referrals.choices import ReferralState as S
from referrals.models import SchoolReferral
from tests.accounts.factories import SchoolFactory, dsl_of
from tests.referrals.factories import draft, submitted

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def form_data(referral, **changes):
    data = {
        "version": referral.version,
        "concern_types": ["sexual_harassment"],
        "incident_description": "Comments in the corridor.",
        "places": ["corridors"],
        "year_y9": "4",
        "pupils_female": "3",
        "pupils_male": "1",
        "actions_taken": ["parents_informed"],
        "young_people_views": "They avoid the top corridor.",
        "information_sharing_basis": "public_task",
        "linked_children": "MOS-1001, AB\nMOS-1002, cd",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def dsl_and_school(client):
    school = SchoolFactory()
    dsl = dsl_of(school)
    client.force_login(dsl)
    return dsl, school


def test_dsl_starts_saves_comes_back_checks_and_submits(client, dsl_and_school):
    dsl, school = dsl_and_school
    response = client.post("/referrals/new/", {"school": school.pk})
    referral = SchoolReferral.objects.get(school=school)
    assert response.url == f"/referrals/{referral.pk}/edit/"

    response = client.post(
        f"/referrals/{referral.pk}/edit/", form_data(referral, save="1", places=None)
    )
    assert response.status_code == 302  # a partial draft saves
    page = client.get(f"/referrals/{referral.pk}/edit/").content.decode()
    assert "Comments in the corridor." in page and "Your draft has been saved" in page

    referral.refresh_from_db()
    check = client.get(f"/referrals/{referral.pk}/check/").content.decode()
    assert "Select at least one place or context" in check
    assert f'href="/referrals/{referral.pk}/edit/#id_places_0"' in check

    response = client.post(
        f"/referrals/{referral.pk}/edit/", form_data(referral, **{"continue": "1"})
    )
    assert response.url == f"/referrals/{referral.pk}/check/"
    referral.refresh_from_db()
    assert [(c.case_system_id, c.initials) for c in referral.linked_children.all()] == [
        ("MOS-1001", "AB"),
        ("MOS-1002", "CD"),
    ]
    response = client.post(f"/referrals/{referral.pk}/check/", {"version": referral.version})
    referral.refresh_from_db()
    assert response.url == f"/referrals/{referral.pk}/"
    assert referral.state == S.SUBMITTED
    listing = client.get("/referrals/").content.decode()
    assert referral.reference in listing and "Submitted" in listing


def test_submitting_with_missing_answers_saves_nothing(client, dsl_and_school):
    dsl, school = dsl_and_school
    referral = draft(school, dsl, complete=False)
    response = client.post(f"/referrals/{referral.pk}/check/", {"version": referral.version})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Answer every required question before submitting" in page
    assert "Describe the incidents" in page
    referral.refresh_from_db()
    assert (referral.state, referral.reference, referral.submitted_at) == (S.DRAFT, None, None)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"incident_description": "x" * 5001}, "Describe the incidents must be 5000 characters"),
        ({"concern_other": "y" * 201}, "Other kind of harm must be 200 characters or fewer"),
        ({"year_y9": "lots"}, "Year 9: enter a whole number"),
        ({"year_y9": "-2"}, "Ensure this value is greater than or equal to 0"),
        ({"pupils_female": "9"}, "must be the same"),
        ({"pupils_send": "12"}, "cannot be more than the pupils affected"),
        ({"linked_children": "MOS-1001 AB"}, "Line 1: write the case-system identifier, a comma"),
        ({"linked_children": "MOS-1001, AB\nMOS 9, Jo Bloggs"}, "Line 2: "),
        ({"concern_types": ["not-a-kind"]}, "Select a valid choice"),
        (
            {"incident_description": "<script>alert('x')</script> in the toilets"},
            "Remove the markup",
        ),
        ({"young_people_views": "<b>bold</b>"}, "Remove the markup"),
    ],
)
def test_bad_input_gives_a_clear_message_and_saves_nothing(
    client, dsl_and_school, changes, message
):
    dsl, school = dsl_and_school
    referral = draft(school, dsl)
    before = SchoolReferral.objects.get(pk=referral.pk)
    response = client.post(
        f"/referrals/{referral.pk}/edit/", form_data(referral, save="1", **changes)
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    after = SchoolReferral.objects.get(pk=referral.pk)
    assert after.version == before.version
    assert after.incident_description == before.incident_description
    assert not after.linked_children.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"pupils_female": 9}, "pupils_female", "must be the same"),
        ({"pupils_send": 12}, "pupils_send", "cannot be more than the pupils affected (8)"),
    ],
)
def test_the_service_refuses_pupil_counts_that_do_not_add_up(
    dsl_and_school, changes, field, message
):
    from casework.errors import Incomplete
    from referrals import services
    from tests.referrals.factories import COMPLETE_ANSWERS

    dsl, school = dsl_and_school
    referral = draft(school, dsl)
    with pytest.raises(Incomplete) as refused:
        services.referral_update_draft(
            referral=referral,
            by=dsl,
            data={**COMPLETE_ANSWERS, **changes},
            indicators=[],
            linked_children=[],
        )
    assert message in refused.value.problems[field][0]
    assert SchoolReferral.objects.get(pk=referral.pk).version == referral.version


def test_markup_is_shown_back_as_text_never_as_markup(client, dsl_and_school):
    dsl, school = dsl_and_school
    referral = draft(school, dsl)
    response = client.post(
        f"/referrals/{referral.pk}/edit/",
        form_data(referral, save="1", incident_description="<script>alert(1)</script>"),
    )
    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_text_with_angle_brackets_that_is_not_markup_is_kept(client, dsl_and_school):
    dsl, school = dsl_and_school
    referral = draft(school, dsl)
    text = "Fewer than 5 <3 messages; x < y > z"
    client.post(
        f"/referrals/{referral.pk}/edit/",
        form_data(referral, save="1", incident_description=text),
    )
    assert SchoolReferral.objects.get(pk=referral.pk).incident_description == text
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Fewer than 5 &lt;3 messages; x &lt; y &gt; z" in page


def test_a_submitted_referral_cannot_be_edited(client, dsl_and_school):
    dsl, school = dsl_and_school
    referral = submitted(school, dsl)
    response = client.post(f"/referrals/{referral.pk}/edit/", form_data(referral, save="1"))
    assert response.status_code == 403


def test_a_reason_is_required_on_the_front_door_pages(client):
    referral = submitted()
    from tests.accounts.factories import front_door_of

    client.force_login(front_door_of(referral.school.authority))
    response = client.post(
        f"/referrals/{referral.pk}/redirect/", {"version": referral.version, "reason": ""}
    )
    assert "Enter reason for redirecting" in response.content.decode()
    assert SchoolReferral.objects.get(pk=referral.pk).state == S.SUBMITTED


def test_invalid_urn_is_refused_with_a_clear_message(admin_client):
    school = SchoolFactory.build()
    response = admin_client.post(
        "/admin/accounts/school/add/",
        {
            "urn": "12A45",
            "name": "Nowhere School",
            "authority": SchoolFactory().authority_id,
            "la_code": "999",
            "la_name": "Exampleshire",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert "Enter a unique reference number (URN) of six digits" in response.content.decode()
    assert not type(school).objects.filter(name="Nowhere School").exists()


@pytest.mark.time_machine(dt.datetime(2026, 12, 31, 23, 50, tzinfo=LONDON), tick=False)
def test_references_are_sequential_per_year(time_machine):
    first, second = submitted(), submitted()
    time_machine.move_to(dt.datetime(2027, 1, 1, 0, 5, tzinfo=LONDON), tick=False)
    third = submitted()
    assert [first.reference, second.reference, third.reference] == [
        "SR-2026-00001",
        "SR-2026-00002",
        "SR-2027-00001",
    ]


def test_drafts_get_no_reference_so_abandoned_drafts_leave_no_gaps():
    draft()
    assert submitted().reference.endswith("-00001")


def test_check_page_lists_what_is_missing_without_errors_until_they_try(client, dsl_and_school):
    dsl, school = dsl_and_school
    referral = draft(school, dsl, complete=False)
    page = client.get(f"/referrals/{referral.pk}/check/").content.decode()
    assert "Still to answer before you can submit" in page
    assert "There is a problem" not in page and "govuk-error-summary" not in page
    assert "<title>Check your answers" in page


@pytest.mark.parametrize(
    ("phase", "offered", "not_offered"),
    [
        ("Primary", ["Reception", "Year 6"], ["Year 7"]),
        ("Secondary", ["Year 7", "Year 13"], ["Reception", "Year 6"]),
        ("Not applicable", ["Reception", "Year 13"], []),
    ],
)
def test_year_groups_offered_follow_the_schools_phase(client, phase, offered, not_offered):
    school = SchoolFactory(phase=phase)
    dsl = dsl_of(school)
    client.force_login(dsl)
    referral = draft(school, dsl, complete=False)
    page = client.get(f"/referrals/{referral.pk}/edit/").content.decode()
    for label in offered:
        assert f">{label}</label>" in page
    for label in not_offered:
        assert f">{label}</label>" not in page
