"""The meeting's life: opened by the panel's decision (the lead told, the 15-working-day clock
started, in the decision's transaction), scheduled, rescheduled or cancelled with a reason,
held (its actions become the case plan), its safety plan distributed (the 5-working-day
clock met); stopped when the pathway changes or the case ends."""

import datetime as dt

import pytest

from casework import pathways
from casework.errors import Incomplete, NotAllowed
from notifications.models import Deadline, DeadlineStatus, Notification
from panels.models import ThresholdDecision
from panels.services import decision_record, decision_step
from referrals import notify as referral_notify
from referrals.choices import ReferralState
from referrals.models import SchoolReferral, TransitionRecord
from referrals.plans.models import CasePlan
from safety_summits import outcomes, services
from safety_summits.choices import MeetingState as M
from safety_summits.models import DateChange, SchoolPartnershipMeeting
from school_assessments.models import SchoolAssessment
from tests.panels.factories import awaiting_panel, decision_args
from tests.safety_summits.factories import (
    MONDAY,
    held,
    planned,
    prepared,
    recorded,
    scheduled,
    when,
)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(MONDAY, tick=False)]


def _clock(meeting, key):
    return Deadline.objects.get(timescale__key=key, subject_id=meeting.pk)


def _records(meeting):
    return list(
        TransitionRecord.objects.filter(
            object_id=meeting.pk, content_type__model="schoolpartnershipmeeting"
        ).values_list("transition", "from_state", "to_state")
    )


def test_a_decision_opens_the_meeting_tells_the_lead_and_starts_its_clock():
    meeting = planned()
    lead = meeting.people["practitioner"]
    assert meeting.state == M.PLANNED
    assert meeting.lead == lead
    assert _records(meeting) == [("open", "", "planned")]
    told = Notification.objects.get(user=lead, url=meeting.get_absolute_url())
    assert "School Partnership Meeting" in told.title
    clock = _clock(meeting, "partnership_meeting_held")
    assert clock.status == DeadlineStatus.RUNNING
    assert clock.owner_id == lead.pk
    # 15 working days from Monday 23 November 2026: Monday 14 December.
    assert clock.due_at.date() == dt.date(2026, 12, 14)


def test_the_meeting_opens_in_the_decisions_transaction(monkeypatch):
    referral = awaiting_panel()

    def broken(**kwargs):
        raise RuntimeError("the inbox is down")

    monkeypatch.setattr(referral_notify, "notify_people", broken)
    with pytest.raises(RuntimeError):
        decision_record(
            referral=referral,
            by=referral.people["panel_member"],
            **decision_args(referral, level="early_help", pathway="partnership_meeting"),
        )
    assert not ThresholdDecision.objects.filter(referral=referral).exists()
    assert not SchoolPartnershipMeeting.objects.filter(referral=referral).exists()
    assert SchoolReferral.objects.get(pk=referral.pk).state == ReferralState.AWAITING_PANEL


def test_a_step_up_to_a_school_assessment_stops_it_with_the_reason():
    meeting = scheduled()
    referral = SchoolReferral.objects.get(pk=meeting.referral_id)
    referral.people = meeting.people
    decision_step(
        previous=referral.decisions.get(),
        by=meeting.people["panel_member"],
        change_reason="Sexual violence now reported.",
        **decision_args(referral, level="child_in_need", pathway="school_assessment"),
    )
    stopped = SchoolPartnershipMeeting.objects.get(pk=meeting.pk)
    assert stopped.state == M.STOPPED
    assert stopped.end_reason.startswith(
        "The panel's new decision changes the pathway to School Assessment"
    )
    assert _records(stopped)[-1] == ("stop", "scheduled", "stopped")
    assert _clock(meeting, "partnership_meeting_held").status == DeadlineStatus.CANCELLED
    assert SchoolAssessment.objects.filter(referral=referral).open().count() == 1


def test_a_step_down_below_threshold_stops_it_and_the_case_closes():
    meeting = planned()
    referral = SchoolReferral.objects.get(pk=meeting.referral_id)
    decision_step(
        previous=referral.decisions.get(),
        by=meeting.people["panel_member"],
        change_reason="Resolved by the school.",
        level="below_threshold",
        pathway="manage_internally",
        rationale="The school has it in hand.",
        advice="Keep the gate staffed.",
    )
    assert SchoolPartnershipMeeting.objects.get(pk=meeting.pk).state == M.STOPPED
    assert SchoolReferral.objects.get(pk=referral.pk).state == ReferralState.CLOSED


def test_the_case_ending_stops_a_held_meeting_and_its_safety_plan_clock(time_machine):
    meeting = held(recorded(prepared(scheduled())), time_machine)
    referral = SchoolReferral.objects.get(pk=meeting.referral_id)
    pathways.case_ended(referral=referral, by=meeting.people["practitioner"], reason="Closed.")
    stopped = SchoolPartnershipMeeting.objects.get(pk=meeting.pk)
    assert stopped.state == M.STOPPED
    assert stopped.end_reason == "The case ended: Closed."
    assert _clock(meeting, "safety_plan_distributed").status == DeadlineStatus.CANCELLED


def test_scheduling_moves_the_case_on_and_asks_the_school_for_its_document():
    meeting = scheduled()
    assert meeting.state == M.SCHEDULED
    assert SchoolReferral.objects.get(pk=meeting.referral_id).state == ReferralState.IN_PROGRESS
    dsl = meeting.people["dsl"]
    assert Notification.objects.filter(user=dsl, url=meeting.get_absolute_url()).exists()
    assert _clock(meeting, "partnership_meeting_held").status == DeadlineStatus.RUNNING


def test_a_meeting_in_the_past_cannot_be_scheduled():
    meeting = planned()
    with pytest.raises(Incomplete) as refused:
        services.meeting_schedule(
            meeting=meeting,
            by=meeting.people["practitioner"],
            format="online",
            place="https://meet.example/abc",
            **when(days=-1),
        )
    assert "starts_on" in refused.value.problems


def test_rescheduling_needs_a_reason_tells_the_invitees_and_keeps_the_clock_running():
    meeting = scheduled()
    lead = meeting.people["practitioner"]
    with pytest.raises(Incomplete):
        services.meeting_reschedule(
            meeting=meeting, by=lead, format="online", place="Teams", reason=" ", **when(5)
        )
    before = Notification.objects.filter(user=meeting.people["dsl"]).count()
    moved = services.meeting_reschedule(
        meeting=meeting,
        by=lead,
        format="online",
        place="Teams link",
        reason="Police unavailable",
        **when(5),
    )
    assert moved.state == M.SCHEDULED and moved.format == "online"
    change = DateChange.objects.get(meeting=meeting)
    assert change.reason == "Police unavailable" and change.by == lead
    assert Notification.objects.filter(user=meeting.people["dsl"]).count() == before + 1
    # Moving the date is not holding the meeting: its clock is not met, nor restarted.
    clocks = Deadline.objects.filter(
        timescale__key="partnership_meeting_held", subject_id=meeting.pk
    )
    assert [c.status for c in clocks] == [DeadlineStatus.RUNNING]


def test_cancelling_needs_a_reason_and_cancels_the_clock():
    meeting = scheduled()
    lead = meeting.people["practitioner"]
    with pytest.raises(Incomplete):
        services.meeting_cancel(meeting=meeting, by=lead, reason="")
    cancelled = services.meeting_cancel(meeting=meeting, by=lead, reason="The school closed.")
    assert cancelled.state == M.CANCELLED and cancelled.end_reason == "The school closed."
    assert _clock(meeting, "partnership_meeting_held").status == DeadlineStatus.CANCELLED
    record = TransitionRecord.objects.get(object_id=meeting.pk, transition="cancel")
    assert record.reason == "The school closed." and record.by == lead


def test_a_meeting_that_has_not_taken_place_cannot_be_held():
    meeting = recorded(prepared(scheduled()))
    people = meeting.people
    with pytest.raises(Incomplete, match="cannot be marked held") as refused:
        outcomes.meeting_hold(
            meeting=meeting,
            by=people["practitioner"],
            attendees=[people["dsl"]],
            terms_agreed=True,
        )
    assert "has not taken place" in " ".join(refused.value.problems["attendees"])


def test_held_without_the_pre_meeting_document_is_refused_unless_a_reason(time_machine):
    meeting = recorded(scheduled())
    with pytest.raises(Incomplete) as refused:
        held(meeting, time_machine)
    assert "without_document_reason" in refused.value.problems
    assert SchoolPartnershipMeeting.objects.get(pk=meeting.pk).state == M.SCHEDULED

    done = held(meeting, time_machine, without_document_reason="The DSL was off sick.")
    assert done.state == M.HELD
    assert done.without_document_reason == "The DSL was off sick."


def test_holding_it_makes_the_case_plan_and_moves_the_clocks(time_machine):
    meeting = held(recorded(prepared(scheduled())), time_machine)
    assert meeting.state == M.HELD
    assert _clock(meeting, "partnership_meeting_held").status == DeadlineStatus.MET
    assert _clock(meeting, "safety_plan_distributed").status == DeadlineStatus.RUNNING
    plan = CasePlan.objects.get(case_id=meeting.referral_id)
    assert sorted(a.what for a in plan.actions.all()) == [
        "Group work with the girls",
        "Patrols at the park at 4pm",
    ]
    assert all(a.plan_action_id for a in meeting.actions.all())
    police = plan.actions.get(what="Patrols at the park at 4pm")
    assert police.owner is None and police.owner_contact == "PC Shah, Safer Schools, police"
    plan_clock = Deadline.objects.get(timescale__key="plan_agreed", subject_id=plan.pk)
    assert plan_clock.status == DeadlineStatus.RUNNING


def test_holding_needs_what_was_found_and_agreed(time_machine):
    meeting = prepared(scheduled())
    with pytest.raises(Incomplete) as refused:
        held(meeting, time_machine, terms_agreed=False)
    assert {"discussions", "actions", "terms_agreed"} <= set(refused.value.problems)


def test_distributing_the_plan_meets_its_clock_and_tells_the_attendees(time_machine):
    meeting = held(recorded(prepared(scheduled())), time_machine)
    dsl = meeting.people["dsl"]
    before = Notification.objects.filter(user=dsl).count()
    sent = outcomes.meeting_distribute(meeting=meeting, by=meeting.people["practitioner"])
    assert sent.state == M.PLAN_DISTRIBUTED
    clock = _clock(meeting, "safety_plan_distributed")
    assert clock.status == DeadlineStatus.MET and clock.on_time
    told = Notification.objects.filter(user=dsl).order_by("-pk").first()
    assert Notification.objects.filter(user=dsl).count() == before + 1
    assert "Safety plan" in told.title and told.url == meeting.get_absolute_url()


def test_a_late_safety_plan_is_met_late(time_machine):
    meeting = held(recorded(prepared(scheduled())), time_machine)
    time_machine.move_to(meeting.held_at + dt.timedelta(days=14), tick=False)
    outcomes.meeting_distribute(meeting=meeting, by=meeting.people["practitioner"])
    clock = _clock(meeting, "safety_plan_distributed")
    assert clock.status == DeadlineStatus.MET and clock.on_time is False


def test_only_one_open_meeting_per_case():
    meeting = planned()
    referral = SchoolReferral.objects.get(pk=meeting.referral_id)
    again = services.meeting_open(
        referral=referral, lead=None, by=meeting.people["panel_member"], reason="Again"
    )
    assert again is None
    assert SchoolPartnershipMeeting.objects.filter(referral=referral).count() == 1


def test_only_the_panel_opens_a_meeting():
    meeting = planned()
    referral = SchoolReferral.objects.get(pk=meeting.referral_id)
    with pytest.raises(NotAllowed):
        services.meeting_open(
            referral=referral, lead=None, by=meeting.people["practitioner"], reason="x"
        )


def test_a_plan_nobody_can_open_is_not_recorded_as_distributed(time_machine):
    from accounts.models import SchoolMembership, TeamMembership

    meeting = held(recorded(prepared(scheduled())), time_machine)
    # Both attendees with accounts lose their access before the plan goes out.
    SchoolMembership.objects.filter(user=meeting.people["dsl"]).delete()
    TeamMembership.objects.filter(user=meeting.people["practitioner"]).delete()
    SchoolReferral.objects.filter(pk=meeting.referral_id).update(lead_practitioner=None)
    manager = meeting.people["manager"]
    with pytest.raises(NotAllowed, match="Nobody who attended"):
        outcomes.meeting_distribute(meeting=meeting, by=manager)
    meeting.refresh_from_db()
    assert meeting.state == M.HELD and meeting.distributed_at is None
    assert _clock(meeting, "safety_plan_distributed").status == DeadlineStatus.RUNNING


def test_a_decision_that_names_only_a_team_tells_its_managers():
    meeting = planned(lead_practitioner=None)
    assert meeting.lead is None
    told = Notification.objects.get(stage="assignment", url=meeting.get_absolute_url())
    assert told.user == meeting.people["manager"]
    assert "name its lead" in told.title
