"""Threshold decisions: refused with a clear message and nothing changed when wrong;
moving the referral on when right; never edited, only superseded."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from accounts.models import AuthorityRole
from casework.errors import ChangedUnderYou, Incomplete, NotAllowed
from panels import services
from panels.models import ConflictOfInterest, ThresholdDecision
from referrals.choices import ReferralState as S
from referrals.models import SchoolReferral, TransitionRecord
from tests.accounts.factories import ContextPanelFactory, authority_role, panel_member_of
from tests.dates import date_parts
from tests.panels.factories import awaiting_panel, decision_args, meeting_for

# A meeting opens on its own day only and ends on the day it starts: a clock left running
# fails this module late in the evening. A Monday morning, as the rest of the suite uses.
MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London"))
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(MONDAY, tick=False)]


def unchanged(referral):
    current = SchoolReferral.objects.get(pk=referral.pk)
    return (
        current.state == S.AWAITING_PANEL
        and current.version == referral.version
        and not ThresholdDecision.objects.filter(referral=referral).exists()
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"rationale": "  "}, "rationale", "Enter the rationale"),
        (
            {"level": "early_help", "pathway": "school_assessment"},
            "pathway",
            "That pathway does not fit universal / early help: choose Student Safety Summit or "
            "School Partnership Meeting",
        ),
        (
            {"level": "below_threshold", "pathway": "beyond_referrals"},
            "pathway",
            "does not fit below threshold",
        ),
        ({"level": "child_protection", "pathway": "safety_summit"}, "pathway", "does not fit"),
        ({"lead_practitioner": None, "lead_team": None}, "lead_practitioner", "Name the lead"),
        ({"start_by": None}, "start_by", "date by which the work starts"),
    ],
)
def test_bad_decisions_are_refused_and_change_nothing(changes, field, message):
    referral = awaiting_panel()
    with pytest.raises(Incomplete) as refused:
        services.decision_record(
            referral=referral,
            by=referral.people["panel_member"],
            **decision_args(referral, **changes),
        )
    assert message in " ".join(refused.value.problems[field])
    assert unchanged(referral)


@pytest.mark.parametrize("who", ["dsl", "front_door", "other_panel", "administrator"])
def test_only_members_of_the_referrals_panel_decide(who):
    referral = awaiting_panel()
    people = referral.people
    by = {
        "dsl": lambda: people["dsl"],
        "front_door": lambda: people["front_door"],
        "other_panel": lambda: panel_member_of(
            ContextPanelFactory(authority=referral.school.authority)
        ),
        "administrator": lambda: authority_role(
            referral.school.authority, AuthorityRole.ADMINISTRATOR
        ),
    }[who]()
    with pytest.raises(NotAllowed, match="permission|Only members"):
        services.decision_record(referral=referral, by=by, **decision_args(referral))
    assert unchanged(referral)


def test_a_member_with_a_declared_conflict_is_refused_and_it_is_recorded():
    referral = awaiting_panel()
    member = referral.people["panel_member"]
    services.conflict_declare(user=member, school=referral.school, reason="My child attends.")
    with pytest.raises(NotAllowed, match="conflict of interest"):
        services.decision_record(referral=referral, by=member, **decision_args(referral))
    assert unchanged(referral)
    # The chair decides at the meeting; the conflicted member present took no part.
    meeting = meeting_for(referral)
    decision = services.decision_record(
        referral=referral,
        by=referral.people["panel_chair"],
        meeting=meeting,
        **decision_args(referral),
    )
    assert list(decision.conflicts_excluded.all()) == [member]
    assert ConflictOfInterest.objects.get(user=member).reason == "My child attends."


def test_below_threshold_closes_the_case_with_the_advice():
    referral = awaiting_panel()
    decision = services.decision_record(
        referral=referral,
        by=referral.people["panel_member"],
        **decision_args(
            referral,
            level="below_threshold",
            pathway="manage_internally",
            lead_practitioner=None,
            lead_team=None,
            start_by=None,
        ),
    )
    current = SchoolReferral.objects.get(pk=referral.pk)
    assert current.state == S.CLOSED
    assert decision.advice == "Keep the corridor supervised at lunchtime."
    steps = list(
        TransitionRecord.objects.filter(case=current).values_list("from_state", "to_state")
    )[-2:]
    assert steps == [(S.AWAITING_PANEL, S.BELOW_THRESHOLD), (S.BELOW_THRESHOLD, S.CLOSED)]


def test_a_level_with_no_installed_pathway_is_refused_and_says_so(monkeypatch):
    """Without the Early Help app (its pathway unregistered), early help leads nowhere: the
    decision is refused with that message rather than recorded."""
    from casework import pathways

    monkeypatch.delitem(pathways._pathways, "partnership_meeting")
    monkeypatch.delitem(pathways._pathways, "safety_summit")
    referral = awaiting_panel()
    with pytest.raises(Incomplete) as refused:
        services.decision_record(
            referral=referral,
            by=referral.people["panel_member"],
            **decision_args(referral, level="early_help", pathway="partnership_meeting"),
        )
    assert "No pathway for universal / early help is available in this service yet" in (
        " ".join(refused.value.problems["level"])
    )
    assert unchanged(referral)


def test_a_pathway_that_does_not_fit_an_installed_levels_pathways_is_refused(early_help_pathway):
    referral = awaiting_panel()
    with pytest.raises(Incomplete) as refused:
        services.decision_record(
            referral=referral,
            by=referral.people["panel_member"],
            **decision_args(referral, level="early_help", pathway="school_assessment"),
        )
    assert refused.value.problems["pathway"] == [
        "That pathway does not fit universal / early help: choose Student Safety Summit or "
        "School Partnership Meeting"
    ]
    assert unchanged(referral)


@pytest.mark.parametrize(
    ("level", "pathway"),
    [
        ("early_help", "partnership_meeting"),
        ("child_in_need", "beyond_referrals"),
        ("child_protection", "school_assessment"),
    ],
)
def test_other_pathways_leave_it_decided_and_allocated_to_the_lead(
    level, pathway, early_help_pathway
):
    referral = awaiting_panel()
    lead = referral.people["practitioner"]
    services.decision_record(
        referral=referral,
        by=referral.people["panel_member"],
        **decision_args(referral, level=level, pathway=pathway),
    )
    current = SchoolReferral.objects.get(pk=referral.pk)
    assert current.state == S.DECIDED
    assert current.lead_practitioner == lead
    assert current.allocated_team == referral.people["team"]
    assert SchoolReferral.objects.visible_to(lead).filter(pk=referral.pk).exists()


def test_the_panel_clock_is_met_by_the_decision():
    from notifications.models import Deadline

    referral = awaiting_panel()
    services.decision_record(
        referral=referral, by=referral.people["panel_member"], **decision_args(referral)
    )
    clock = Deadline.objects.get(case_id=referral.pk, timescale__key="panel_threshold_decision")
    assert (clock.status, clock.on_time) == ("met", True)


def test_step_up_and_step_down_keep_the_earlier_decision_linked_with_both_reasons(
    early_help_pathway,
):
    referral = awaiting_panel()
    member = referral.people["panel_member"]
    first = services.decision_record(
        referral=referral,
        by=member,
        **decision_args(referral, level="early_help", pathway="partnership_meeting"),
    )
    up = services.decision_step(
        previous=first,
        by=member,
        change_reason="A second assault reported this week.",
        **decision_args(
            referral,
            level="child_protection",
            pathway="school_assessment",
            rationale="Sexual violence now reported; statutory assessment.",
        ),
    )
    down = services.decision_step(
        previous=up,
        by=member,
        change_reason="Assessment found strong guardianship.",
        **decision_args(
            referral,
            level="below_threshold",
            pathway="manage_internally",
            rationale="Risks now managed by the school.",
            lead_practitioner=None,
            lead_team=None,
            start_by=None,
        ),
    )
    assert ThresholdDecision.objects.filter(referral=referral).count() == 3
    assert up.supersedes == first and down.supersedes == up
    first.refresh_from_db()
    assert first.superseded_by == up
    assert (first.rationale, up.change_reason, down.change_reason) == (
        decision_args(referral)["rationale"],
        "A second assault reported this week.",
        "Assessment found strong guardianship.",
    )
    assert SchoolReferral.objects.get(pk=referral.pk).state == S.CLOSED


def test_a_step_needs_its_reason_and_a_superseded_decision_cannot_be_stepped_again():
    referral = awaiting_panel()
    member = referral.people["panel_member"]
    first = services.decision_record(referral=referral, by=member, **decision_args(referral))
    with pytest.raises(Incomplete, match="decision is changing"):
        services.decision_step(
            previous=first, by=member, change_reason="", **decision_args(referral)
        )
    services.decision_step(
        previous=first,
        by=member,
        change_reason="New information.",
        **decision_args(referral, pathway="beyond_referrals"),
    )
    first = ThresholdDecision.objects.get(pk=first.pk)
    with pytest.raises(ChangedUnderYou):
        services.decision_step(
            previous=first, by=member, change_reason="Again.", **decision_args(referral)
        )


def test_decisions_are_never_edited():
    referral = awaiting_panel()
    decision = services.decision_record(
        referral=referral, by=referral.people["panel_member"], **decision_args(referral)
    )
    decision.rationale = "Rewritten afterwards."
    with pytest.raises(ValueError, match="never edited"):
        decision.save()


def test_two_members_deciding_at_once_one_wins_the_other_is_told():
    referral = awaiting_panel()
    chair, member = referral.people["panel_chair"], referral.people["panel_member"]
    seen_by_chair = SchoolReferral.objects.get(pk=referral.pk)
    seen_by_member = SchoolReferral.objects.get(pk=referral.pk)
    services.decision_record(referral=seen_by_chair, by=chair, **decision_args(referral))
    with pytest.raises(ChangedUnderYou):
        services.decision_record(
            referral=seen_by_member,
            by=member,
            **decision_args(referral, pathway="beyond_referrals"),
        )
    assert ThresholdDecision.objects.filter(referral=referral).count() == 1


def test_the_outcome_goes_to_the_schools_dsls(mailoutbox, django_capture_on_commit_callbacks):
    from notifications.models import Notification

    referral = awaiting_panel()
    with django_capture_on_commit_callbacks(execute=True):
        services.decision_record(
            referral=referral, by=referral.people["panel_member"], **decision_args(referral)
        )
    message = Notification.objects.get(user=referral.people["dsl"], stage="outcome")
    assert "Child in need" in message.title and message.url.endswith("/outcome/")
    assert referral.people["dsl"].email in [m.to[0] for m in mailoutbox]


# --- the date the work starts by: the GOV.UK date input, today or later, no later than 2100 --

TUESDAY = dt.datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.mark.time_machine(TUESDAY, tick=False)
@pytest.mark.parametrize(
    ("start_by", "message"),
    [
        (dt.date(2026, 11, 30), "The date the work starts by must be today or later"),
        (dt.date(2101, 1, 1), "The date the work starts by must be no later than 31 December 2100"),
    ],
)
def test_a_start_date_in_the_past_or_after_2100_is_refused(start_by, message):
    referral = awaiting_panel()
    with pytest.raises(Incomplete) as refused:
        services.decision_record(
            referral=referral,
            by=referral.people["panel_member"],
            **decision_args(referral, start_by=start_by),
        )
    assert refused.value.problems["start_by"] == [message]
    assert unchanged(referral)


@pytest.mark.time_machine(TUESDAY, tick=False)
def test_today_is_a_start_date_the_service_takes():
    referral = awaiting_panel()
    decision = services.decision_record(
        referral=referral,
        by=referral.people["panel_member"],
        **decision_args(referral, start_by=dt.date(2026, 12, 1)),
    )
    assert decision.start_by == dt.date(2026, 12, 1)


@pytest.mark.time_machine(TUESDAY, tick=False)
@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ({"day": "14", "month": "", "year": "2026"}, "Work starts by must include a month"),
        ({"day": "", "month": "", "year": "2026"}, "Work starts by must include a day and a month"),
        ({"day": "31", "month": "2", "year": "2027"}, "Work starts by must be a real date"),
        ({"day": "x", "month": "12", "year": "2026"}, "Work starts by must be a real date"),
        (
            {"day": "1", "month": "1", "year": "9999"},
            "Work starts by must be no later than 31 December 2100",
        ),
        (
            {"day": "30", "month": "11", "year": "2026"},
            "The date the work starts by must be today or later",
        ),
        ({"day": "", "month": "", "year": ""}, "Enter the date by which the work starts"),
    ],
)
def test_the_decision_page_takes_day_month_and_year_and_refuses_a_bad_date_at_the_field(
    client, parts, message
):
    referral = awaiting_panel()
    meeting = meeting_for(referral)
    people = referral.people
    client.force_login(people["panel_member"])
    url = f"/meetings/{meeting.pk}/decide/{referral.pk}/"
    page = client.get(url).content.decode()
    assert 'class="govuk-date-input"' in page and 'name="start_by_day"' in page
    assert 'type="date"' not in page
    data = {
        "version": referral.version,
        "level": "child_in_need",
        "pathway": "school_assessment",
        "rationale": "Harassment on the bus.",
        "lead_practitioner": people["practitioner"].pk,
        "lead_team": people["team"].pk,
    }
    response = client.post(url, {**data, **date_parts("start_by", **parts)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and 'href="#id_start_by"' in page
    assert f'<span class="govuk-visually-hidden">Error:</span> {message}' in page
    assert unchanged(referral)

    response = client.post(url, {**data, **date_parts("start_by", dt.date(2026, 12, 14))})
    assert response.status_code == 302
    assert referral.decisions.get().start_by == dt.date(2026, 12, 14)
