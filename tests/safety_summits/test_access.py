"""Who may do what with a School Partnership Meeting, and who sees it: the lead and the
allocated team run it; the school's DSLs write the pre-meeting document and see it; the
panel and the front door see it; partners and other schools see nothing (a 404)."""

import pytest
from django.urls import reverse

from accounts.models import Agency, AuthorityRole, TeamRole
from casework.errors import Incomplete, NotAllowed
from safety_summits import outcomes, services
from safety_summits.choices import MeetingState as M
from safety_summits.models import SchoolPartnershipMeeting
from tests.accounts.factories import (
    SchoolFactory,
    TeamFactory,
    authority_role,
    dsl_of,
    team_member_of,
)
from tests.safety_summits.factories import MONDAY, PRE_MEETING, planned, scheduled, when

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(MONDAY, tick=False)]


def _person(meeting, who):
    people = meeting.people
    authority = meeting.referral.school.authority
    return {
        "practitioner": lambda: people["practitioner"],
        "manager": lambda: people["manager"],
        "team_colleague": lambda: team_member_of(people["team"]),
        "dsl": lambda: people["dsl"],
        "front_door": lambda: people["front_door"],
        "panel_member": lambda: people["panel_member"],
        "police": lambda: authority_role(authority, AuthorityRole.PARTNER, agency=Agency.POLICE),
        "other_team": lambda: team_member_of(TeamFactory(authority=authority)),
        "other_school_dsl": lambda: dsl_of(SchoolFactory(authority=authority)),
    }[who]()


def _schedule(meeting, by):
    return services.meeting_schedule(
        meeting=meeting, by=by, format="at_school", place="Library", **when()
    )


@pytest.mark.parametrize("who", ["practitioner", "manager", "team_colleague"])
def test_the_lead_and_the_allocated_team_run_the_meeting(who):
    meeting = planned()
    assert _schedule(meeting, _person(meeting, who)).state == M.SCHEDULED


@pytest.mark.parametrize(
    "who", ["dsl", "front_door", "panel_member", "police", "other_team", "other_school_dsl"]
)
def test_nobody_else_runs_it(who):
    meeting = planned()
    by = _person(meeting, who)
    with pytest.raises(NotAllowed):
        _schedule(meeting, by)
    with pytest.raises(NotAllowed):
        services.meeting_cancel(meeting=meeting, by=by, reason="Not mine to cancel.")
    assert SchoolPartnershipMeeting.objects.get(pk=meeting.pk).state == M.PLANNED


@pytest.mark.parametrize("who", ["practitioner", "front_door", "police", "other_school_dsl"])
def test_only_the_schools_dsls_write_the_pre_meeting_document(who):
    meeting = scheduled()
    with pytest.raises(NotAllowed):
        services.pre_meeting_save(meeting=meeting, by=_person(meeting, who), data=PRE_MEETING)
    done = services.pre_meeting_save(
        meeting=meeting, by=meeting.people["dsl"], data=PRE_MEETING, complete=True
    )
    assert done.has_pre_meeting_document and done.pre_completed_by == meeting.people["dsl"]


def test_an_incomplete_pre_meeting_document_cannot_be_marked_complete():
    meeting = scheduled()
    with pytest.raises(Incomplete) as refused:
        services.pre_meeting_save(
            meeting=meeting, by=meeting.people["dsl"], data={"pre_trends": "x"}, complete=True
        )
    assert {"pre_tried", "pre_strengths", "pre_peer_groups"} <= set(refused.value.problems)
    assert not SchoolPartnershipMeeting.objects.get(pk=meeting.pk).has_pre_meeting_document


@pytest.mark.parametrize(
    "name", ["Jordan", "Tom, Ben", "AB, Jordan Smith", "Ayesha and KL", "x" * 61]
)
def test_peer_groups_named_with_childrens_names_are_refused(name):
    meeting = scheduled()
    with pytest.raises(Incomplete) as refused:
        outcomes.discussion_add(
            meeting=meeting,
            by=meeting.people["practitioner"],
            about="peer_group",
            name=name,
            concerns="Seen with older males.",
        )
    assert "identifiers or initials only" in " ".join(refused.value.problems["name"])
    with pytest.raises(Incomplete):
        services.pre_meeting_save(
            meeting=meeting, by=meeting.people["dsl"], data={"pre_peer_groups": f"AB\n{name}"}
        )
    assert not meeting.discussions.exists()


@pytest.mark.parametrize("name", ["JB, KL, MT", "Group A, Y9", "C-10234, C-10240", "Y10 girls"])
def test_peer_groups_by_identifiers_or_initials_are_accepted(name):
    meeting = scheduled()
    outcomes.discussion_add(
        meeting=meeting,
        by=meeting.people["practitioner"],
        about="peer_group",
        name=name,
        concerns="Seen with older males.",
    )
    assert meeting.discussions.get().name == name


def test_a_place_may_be_named_in_words():
    meeting = scheduled()
    outcomes.discussion_add(
        meeting=meeting,
        by=meeting.people["practitioner"],
        about="location",
        name="The underpass by Tesco",
        strengths="Well lit since October.",
    )
    assert meeting.discussions.get().about == "location"


@pytest.mark.parametrize("who", ["practitioner", "dsl", "panel_member", "front_door"])
def test_who_sees_the_meeting(client, who):
    meeting = scheduled()
    client.force_login(_person(meeting, who))
    response = client.get(reverse("partnership_meeting_detail", args=[meeting.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("who", ["other_school_dsl", "police", "other_team"])
def test_who_gets_a_404(client, who):
    meeting = scheduled()
    client.force_login(_person(meeting, who))
    for name in ("partnership_meeting_detail", "partnership_meeting_pre_meeting"):
        assert client.get(reverse(name, args=[meeting.pk])).status_code == 404
    listed = client.get(reverse("partnership_meeting_list")).content.decode()
    assert meeting.referral.school.name not in listed


def test_the_dsl_may_not_open_the_leads_pages(client):
    meeting = scheduled()
    client.force_login(meeting.people["dsl"])
    assert client.get(reverse("partnership_meeting_record", args=[meeting.pk])).status_code == 403


def test_each_person_is_offered_only_what_they_may_do(client):
    meeting = planned()
    url = reverse("partnership_meeting_detail", args=[meeting.pk])
    client.force_login(meeting.people["practitioner"])
    page = client.get(url).content.decode()
    assert "Schedule the meeting" in page and "Complete the pre-meeting document" not in page
    client.force_login(meeting.people["dsl"])
    page = client.get(url).content.decode()
    assert "Schedule the meeting" not in page and "Complete the pre-meeting document" in page


def test_a_manager_of_another_role_in_the_team_is_a_case_worker():
    meeting = planned()
    boss = team_member_of(meeting.people["team"], role=TeamRole.MANAGER)
    assert _schedule(meeting, boss).state == M.SCHEDULED
