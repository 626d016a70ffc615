"""Endings and hand-offs are told (issue 13): each sends exactly one message (inbox and
email) to each person it concerns, and nobody else; a link only to those who can open it.
An open risk assessment outlives a redirect, with the school's DSLs; the plan review that
decides to close leads to closure, never to another review."""

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import PanelRole
from casework.errors import NotAllowed
from notifications.models import Deadline, DeadlineStatus, Notification, OwnerRole
from referrals import services
from referrals.choices import ReferralState as S
from referrals.plans import services as plan_services
from referrals.plans.models import CasePlan, PlanState
from referrals.risks import services as risk_services
from referrals.risks.models import RiskAssessment, RiskKind, RiskState
from self_assessments import services as audit_services
from self_assessments.models import SelfAssessment
from tests.accounts.factories import dsl_of, panel_member_of
from tests.referrals.factories import in_state
from tests.referrals.plan_factories import plan_with_actions
from tests.referrals.risk_factories import EXPLOITATION, SEXUAL_VIOLENCE, answers, referral_with
from tests.self_assessments.factories import answer_all, pathway_audit

LONDON = ZoneInfo("Europe/London")
MONDAY = dt.datetime(2026, 11, 2, 10, 0, tzinfo=LONDON)
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(MONDAY, tick=False)]


# Each transition's message, by (a part of) its title: notify_people keeps no kind.
TITLES = {
    "ending": ("redirected as an individual child referral", "withdrawn by the school"),
    "information_response": ("the school has answered your request",),
    "assignment": ("You lead ", "Your team has "),
}


def messages(kind):
    """Messages of this kind (not deadline stages); every message of the test is one kind."""
    found = Notification.objects.filter(deadline__isnull=True)
    wanted = [n.pk for n in found if any(t in n.title for t in TITLES[kind])]
    return found.filter(pk__in=wanted)


def told(kind):
    """Who got a message of this kind, and how many each."""
    return Counter(messages(kind).values_list("user_id", flat=True))


def clocks_of(subject, key=None, **filters):
    found = Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk, **filters
    )
    return list(found.filter(timescale__key=key) if key else found)


# --- redirect -------------------------------------------------------------------------------


def test_a_redirect_tells_each_of_the_schools_dsls_once_with_the_reason():
    referral = in_state(S.SCREENING)
    dsl, second_dsl = referral.people["dsl"], dsl_of(referral.school)
    services.referral_redirect(
        referral=referral, by=referral.people["front_door"], reason="One child: Section 47."
    )

    assert told("ending") == {dsl.pk: 1, second_dsl.pk: 1}
    message = messages("ending").get(user=dsl)
    assert "redirected as an individual child referral" in message.title
    assert "One child: Section 47." in message.body
    assert message.url == f"/referrals/{referral.pk}/"
    assert message.email_status == Notification.Email.PENDING


# --- withdrawal -----------------------------------------------------------------------------


def test_withdrawing_a_referral_awaiting_the_panel_tells_each_chair_once():
    referral = in_state(S.AWAITING_PANEL)
    chairs = [
        referral.people["panel_chair"],
        panel_member_of(referral.people["panel"], PanelRole.CHAIR),
    ]
    services.referral_withdraw(referral=referral, by=referral.people["dsl"], reason="Resolved.")

    assert told("ending") == {chair.pk: 1 for chair in chairs}  # members are not told
    message = messages("ending").get(user=chairs[0])
    assert "withdrawn by the school" in message.title
    assert "Resolved." in message.body and "left the agenda" in message.body


def test_withdrawing_while_the_panel_waits_for_the_school_tells_the_chair_and_who_asked():
    referral = in_state(S.AWAITING_PANEL)
    chair, member = referral.people["panel_chair"], referral.people["panel_member"]
    people = referral.people
    referral = services.referral_request_information(
        referral=referral, by=people["panel_member"], message="Which year?"
    )
    services.referral_withdraw(referral=referral, by=people["dsl"], reason="Resolved.")
    assert told("ending") == {chair.pk: 1, member.pk: 1}


def test_withdrawing_an_unanswered_front_door_request_tells_who_asked_once():
    referral = in_state(S.MORE_INFORMATION_REQUESTED)  # asked straight from the queue
    services.referral_withdraw(referral=referral, by=referral.people["dsl"], reason="Resolved.")
    assert told("ending") == {referral.people["front_door"].pk: 1}


def test_withdrawing_during_screening_tells_the_officer_screening_it():
    referral = in_state(S.SCREENING)
    services.referral_withdraw(referral=referral, by=referral.people["dsl"], reason="Wrong form.")
    assert told("ending") == {referral.people["front_door"].pk: 1}


def test_withdrawing_a_referral_nobody_has_picked_up_tells_nobody():
    referral = in_state(S.SUBMITTED)
    services.referral_withdraw(referral=referral, by=referral.people["dsl"], reason="Wrong form.")
    assert told("ending") == {}


# --- the school's answer --------------------------------------------------------------------


def test_the_schools_answer_tells_the_front_door_officer_who_asked():
    referral = in_state(S.MORE_INFORMATION_REQUESTED)
    asker, dsl = referral.people["front_door"], referral.people["dsl"]
    services.referral_provide_information(referral=referral, by=dsl, response="Years 9 and 10.")

    assert told("information_response") == {asker.pk: 1}
    message = messages("information_response").get()
    assert "Years 9 and 10." in message.body and "back with screening" in message.body
    assert message.url == f"/referrals/{referral.pk}/"


def test_the_schools_answer_tells_the_panel_member_who_asked():
    referral = in_state(S.AWAITING_PANEL)
    member, dsl = referral.people["panel_member"], referral.people["dsl"]
    referral = services.referral_request_information(
        referral=referral, by=member, message="Which year?"
    )
    services.referral_provide_information(referral=referral, by=dsl, response="Year 9.")
    assert told("information_response") == {member.pk: 1}
    assert "back with the panel" in messages("information_response").get().body


# --- the screening clock while the school is asked ------------------------------------------


def test_the_case_page_says_the_screening_clock_waits_for_the_school(client):
    referral = in_state(S.MORE_INFORMATION_REQUESTED)
    client.force_login(referral.people["front_door"])
    body = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Screening clock stopped: waiting for the school since 2 Nov 2026, 10:00" in body

    services.referral_provide_information(
        referral=referral, by=referral.people["dsl"], response="Years 9 and 10."
    )
    body = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Screening clock stopped" not in body


# --- the self-assessment --------------------------------------------------------------------


def test_the_lead_is_told_once_when_the_self_assessment_starts_and_a_clock_chases_the_review():
    audit = pathway_audit()
    lead, dsl = audit.people["practitioner"], audit.people["dsl"]
    assert told("assignment") == {lead.pk: 1}
    assert messages("assignment").get().url == audit.get_absolute_url()

    answer_all(audit, dsl)
    audit = audit_services.self_assessment_submit(
        assessment=SelfAssessment.objects.get(pk=audit.pk), by=dsl
    )
    [review_clock] = clocks_of(audit, "self_assessment_review")
    assert review_clock.status == DeadlineStatus.RUNNING
    assert review_clock.owner_role == OwnerRole.LEAD and review_clock.owner_id == lead.pk

    audit_services.self_assessment_review(assessment=audit, by=lead, note="Gaps in lever 2.")
    review_clock.refresh_from_db()
    assert review_clock.status == DeadlineStatus.MET and review_clock.on_time


# --- a risk assessment outlives a redirect --------------------------------------------------


def test_an_open_high_risk_assessment_outlives_a_redirect_with_the_dsls():
    referral = referral_with(SEXUAL_VIOLENCE + EXPLOITATION)
    dsl, front_door = referral.people["dsl"], referral.people["front_door"]
    immediate = RiskAssessment.objects.get(case=referral, kind=RiskKind.IMMEDIATE)
    exploitation = RiskAssessment.objects.get(case=referral, kind=RiskKind.EXPLOITATION)
    review_on = timezone.localdate() + dt.timedelta(days=14)
    immediate = risk_services.risk_complete(
        assessment=immediate, by=dsl, values=answers(risk_level="high", review_on=review_on)
    )
    [review] = clocks_of(immediate, "risk_assessment_review", status=DeadlineStatus.RUNNING)

    services.referral_redirect(referral=referral, by=front_door, reason="One child: Section 47.")

    immediate.refresh_from_db()
    exploitation.refresh_from_db()
    assert immediate.state == RiskState.COMPLETED and immediate.closed_reason == ""
    assert exploitation.state == RiskState.REQUIRED
    review.refresh_from_db()
    assert review.status == DeadlineStatus.RUNNING and review.stop_reason == ""
    assert (review.owner_role, review.owner_id, review.school_id) == (
        OwnerRole.DSL,
        None,
        referral.school_id,
    )
    [chase] = clocks_of(exploitation, "exploitation_risk_assessment")
    assert chase.status == DeadlineStatus.RUNNING and chase.owner_role == OwnerRole.DSL
    # The referral's own clock stopped: the screening decision was made.
    assert not Deadline.objects.filter(
        case_id=referral.pk, timescale__key="screening_decision", status="running"
    ).exists()
    # The DSLs are told it stays with them.
    assert "risk assessment stays open and with you" in messages("ending").get(user=dsl).body

    # Its next review starts the next clock, still the DSLs'.
    risk_services.risk_review(
        assessment=RiskAssessment.objects.get(pk=immediate.pk),
        by=dsl,
        risk_level="medium",
        measures=["trusted_adult"],
        what_changed="Separate buses now.",
        young_people_say="Safer.",
        next_review_on=review_on,
    )
    review.refresh_from_db()
    assert review.status == DeadlineStatus.MET
    [following] = clocks_of(immediate, "risk_assessment_review", status=DeadlineStatus.RUNNING)
    assert following.owner_role == OwnerRole.DSL


def test_a_withdrawal_still_closes_open_risk_assessments():
    referral = referral_with(SEXUAL_VIOLENCE)
    services.referral_withdraw(referral=referral, by=referral.people["dsl"], reason="In error.")
    immediate = RiskAssessment.objects.get(case=referral)
    assert immediate.state == RiskState.CLOSED
    assert not Deadline.objects.filter(case_id=referral.pk, status="running").exists()


# --- the plan review that decides to close --------------------------------------------------


def _review(plan, by, decision):
    return plan_services.plan_review(
        plan=CasePlan.objects.get(pk=plan.pk),
        by=by,
        young_people_say="They feel safe.",
        decision=decision,
        reason="The plan's aims are met.",
    )


def running(plan, key):
    return clocks_of(plan, key, status=DeadlineStatus.RUNNING)


@pytest.mark.parametrize("earlier", [[], ["continue"]], ids=["first review", "later review"])
def test_the_review_that_decides_to_close_starts_no_review_clock_and_leads_to_closure(earlier):
    case, plan, (action,) = plan_with_actions(agree=True)
    lead = case.people["practitioner"]
    for decision in earlier:
        _review(plan, lead, decision)
    plan = _review(plan, lead, "close")

    assert plan.state == PlanState.CLOSING
    assert running(plan, "plan_review") == [] and running(plan, "plan_review_next") == []
    assert [c.status for c in clocks_of(plan, "plan_review")] == [DeadlineStatus.MET]
    [closure] = running(plan, "case_closure")
    assert closure.owner_id == lead.pk

    plan_services.case_close(
        case=case,
        by=lead,
        outcomes={
            "what_changed": "Pupils feel safe on the bus.",
            "young_people_told": "Assembly.",
            "parents_told": "Letter home.",
            "school_community_told": "Newsletter.",
            "sustaining_safety": "Termly pupil survey.",
        },
        closing_reasons={action.pk: "No longer needed."},
    )
    closure.refresh_from_db()
    assert closure.status == DeadlineStatus.MET
    assert not Deadline.objects.filter(case_id=case.pk, status="running").exists()


def test_a_plan_to_close_reviewed_again_goes_back_to_six_monthly_reviews():
    case, plan, _ = plan_with_actions(agree=True)
    lead = case.people["practitioner"]
    _review(plan, lead, "close")
    plan = _review(plan, lead, "continue")
    assert plan.state == PlanState.REVIEWED
    assert len(running(plan, "plan_review_next")) == 1
    [closure] = clocks_of(plan, "case_closure")
    assert closure.status == DeadlineStatus.CANCELLED
    _review(plan, lead, "close")
    with pytest.raises(NotAllowed, match="already decided to close"):
        _review(plan, lead, "close")
