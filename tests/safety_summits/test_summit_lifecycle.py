"""The Student Safety Summit's life: opened by the panel's decision (the lead told, the
30-working-day clock started, in the decision's transaction), planned with its schools and
practitioners, scheduled, moved or cancelled with a reason (the invitees told), the day
recorded in numbers (never names), held (its next steps become the case plan), followed up
("you said, we did"), its report shared; stopped when the pathway changes or the case ends."""

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
from safety_summits.summit import day, follow_up, services
from safety_summits.summit.choices import SummitState as S
from safety_summits.summit.models import SafetySummit, SummitDateChange
from school_assessments.models import SchoolAssessment
from tests.accounts.factories import SchoolFactory
from tests.panels.factories import awaiting_panel, decision_args
from tests.safety_summits.factories import when
from tests.safety_summits.summit_factories import (
    MONDAY,
    held_summit,
    planned_summit,
    recorded_summit,
    scheduled_summit,
)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(MONDAY, tick=False)]


def _clock(summit, key="safety_summit_held"):
    return Deadline.objects.get(
        timescale__key=key, subject_id=summit.pk, subject_type__model="safetysummit"
    )


def _records(summit):
    return list(
        TransitionRecord.objects.filter(
            object_id=summit.pk, content_type__model="safetysummit"
        ).values_list("transition", "from_state", "to_state")
    )


def _told(user, summit):
    return Notification.objects.filter(user=user, url=summit.get_absolute_url())


def test_a_decision_opens_the_summit_tells_the_lead_and_starts_its_clock():
    summit = planned_summit()
    lead = summit.people["practitioner"]
    assert summit.state == S.PLANNED
    assert summit.lead == lead
    assert _records(summit) == [("open", "", "planned")]
    assert "Student Safety Summit" in _told(lead, summit).get().title
    assert summit.referral.school in summit.schools.all()
    clock = _clock(summit)
    assert clock.status == DeadlineStatus.RUNNING
    assert clock.owner_id == lead.pk
    # 30 working days from Monday 23 November 2026, over Christmas Day, the Boxing Day
    # substitute (Monday 28 December) and New Year's Day: Thursday 7 January 2027.
    assert clock.due_at.date() == dt.date(2027, 1, 7)


def test_the_summit_opens_in_the_decisions_transaction(monkeypatch):
    referral = awaiting_panel()

    def broken(**kwargs):
        raise RuntimeError("the inbox is down")

    monkeypatch.setattr(referral_notify, "notify_people", broken)
    with pytest.raises(RuntimeError):
        decision_record(
            referral=referral,
            by=referral.people["panel_member"],
            **decision_args(referral, level="early_help", pathway="safety_summit"),
        )
    assert not ThresholdDecision.objects.filter(referral=referral).exists()
    assert not SafetySummit.objects.filter(referral=referral).exists()
    assert SchoolReferral.objects.get(pk=referral.pk).state == ReferralState.AWAITING_PANEL


def test_a_step_up_to_a_school_assessment_stops_it_with_the_reason():
    summit = scheduled_summit()
    referral = SchoolReferral.objects.get(pk=summit.referral_id)
    referral.people = summit.people
    decision_step(
        previous=referral.decisions.get(),
        by=summit.people["panel_member"],
        change_reason="Sexual violence now reported.",
        **decision_args(referral, level="child_in_need", pathway="school_assessment"),
    )
    stopped = SafetySummit.objects.get(pk=summit.pk)
    assert stopped.state == S.STOPPED
    assert stopped.end_reason.startswith("The panel's new decision changes the pathway")
    assert _records(stopped)[-1] == ("stop", "scheduled", "stopped")
    assert _clock(summit).status == DeadlineStatus.CANCELLED
    assert SchoolAssessment.objects.filter(referral=referral).open().count() == 1


def test_the_case_ending_stops_a_held_summit(time_machine):
    summit = held_summit(recorded_summit(scheduled_summit()), time_machine)
    referral = SchoolReferral.objects.get(pk=summit.referral_id)
    pathways.case_ended(referral=referral, by=summit.people["practitioner"], reason="Closed.")
    stopped = SafetySummit.objects.get(pk=summit.pk)
    assert stopped.state == S.STOPPED
    assert stopped.end_reason == "The case ended: Closed."


def test_scheduling_tells_every_invited_school_and_practitioner_with_an_account():
    summit = scheduled_summit()
    people = summit.people
    assert summit.state == S.SCHEDULED
    assert SchoolReferral.objects.get(pk=summit.referral_id).state == ReferralState.IN_PROGRESS
    for person in (people["dsl"], people["other_dsl"], people["practitioner"]):
        assert _told(person, summit).filter(title__startswith="Student Safety Summit:").count() == 1
    assert not _told(people["panel_member"], summit).exists()
    assert _clock(summit).status == DeadlineStatus.RUNNING


def test_a_summit_needs_a_future_date_a_place_and_a_host_of_the_authority():
    summit = planned_summit()
    stranger = SchoolFactory()
    past = when(days=-2)
    with pytest.raises(Incomplete) as refused:
        services.summit_schedule(
            summit=summit, by=summit.people["practitioner"], place=" ", host_school=stranger, **past
        )
    assert set(refused.value.problems) == {"starts_on", "place", "host_school"}
    assert SafetySummit.objects.get(pk=summit.pk).state == S.PLANNED


def test_rescheduling_keeps_the_clock_running_and_tells_the_invitees_why():
    summit = scheduled_summit()
    people = summit.people
    moved = services.summit_reschedule(
        summit=summit,
        by=people["practitioner"],
        place="The library",
        host_school=people["other_school"],
        reason="The hall is flooded",
        **when(days=8, hour=13),
    )
    assert moved.state == S.SCHEDULED
    assert moved.host_school == people["other_school"]
    change = SummitDateChange.objects.get(summit=summit)
    assert change.reason == "The hall is flooded"
    assert _clock(summit).status == DeadlineStatus.RUNNING
    told = _told(people["other_dsl"], summit).get(title="The Student Safety Summit has moved")
    assert "The hall is flooded" in told.body
    with pytest.raises(Incomplete):
        services.summit_reschedule(
            summit=moved,
            by=people["practitioner"],
            place="x",
            host_school=people["other_school"],
            reason="",
            **when(days=9),
        )


def test_cancelling_needs_a_reason_and_tells_the_invitees():
    summit = scheduled_summit()
    people = summit.people
    with pytest.raises(Incomplete):
        services.summit_cancel(summit=summit, by=people["practitioner"], reason="  ")
    cancelled = services.summit_cancel(
        summit=summit, by=people["practitioner"], reason="The schools chose another date"
    )
    assert cancelled.state == S.CANCELLED
    assert _clock(summit).status == DeadlineStatus.CANCELLED
    assert _told(people["other_dsl"], summit).filter(title__contains="cancelled").count() == 1


@pytest.mark.parametrize("who", ["dsl", "other_dsl", "panel_member", "front_door"])
def test_only_the_lead_and_team_plan_the_summit(who):
    summit = planned_summit()
    with pytest.raises(NotAllowed):
        services.plan_save(
            summit=summit,
            by=summit.people[who],
            activities=["online"],
            young_people_invited="",
            inclusion="",
        )


def test_only_schools_of_the_authority_and_people_who_can_open_it_are_invited():
    summit = planned_summit()
    lead = summit.people["practitioner"]
    with pytest.raises(Incomplete) as refused:
        services.school_invite(summit=summit, by=lead, school=SchoolFactory())
    assert "school" in refused.value.problems
    with pytest.raises(Incomplete) as refused:
        services.invitee_add(
            summit=summit, by=lead, agency="police", user=summit.people["front_door"]
        )
    assert refused.value.problems["user"] == ["Choose a person from the list"]
    with pytest.raises(Incomplete):
        services.invitee_add(summit=summit, by=lead, agency="police")


# --- the day: numbers, never names ---------------------------------------------------------


def _turnout(summit, **counts):
    saved = day.turnout_save(
        summit=summit,
        by=summit.people["practitioner"],
        school=summit.referral.school,
        counts=counts,
    )
    saved.people = summit.people
    return saved


def test_the_young_people_are_counted_and_the_parts_never_exceed_the_total():
    summit = scheduled_summit()
    with pytest.raises(Incomplete) as refused:
        _turnout(summit, pupils_by_year={"y9": 10}, pupils_female=6, pupils_male=6)
    assert "add up to 12" in refused.value.problems["pupils_female"][0]
    with pytest.raises(Incomplete) as refused:
        _turnout(summit, pupils_by_year={"y9": 10}, pupils_send=11)
    assert "cannot be more" in refused.value.problems["pupils_send"][0]
    with pytest.raises(Incomplete) as refused:
        _turnout(summit, pupils_by_year={"y9": -3})
    assert refused.value.problems
    with pytest.raises(Incomplete):
        _turnout(summit, pupils_by_year={})
    saved = _turnout(summit, pupils_by_year={"y9": 10}, pupils_send=2)
    assert saved.turnouts.get().total == 10
    # Saving again replaces that school's numbers.
    assert _turnout(saved, pupils_by_year={"y9": 14}).turnouts.get().total == 14


def test_a_place_needs_the_schools_count_first_and_no_more_marks_than_young_people():
    summit = scheduled_summit()
    args = {
        "by": summit.people["practitioner"],
        "school": summit.referral.school,
        "kind": "school_space",
        "name": "The top corridor",
    }
    with pytest.raises(Incomplete) as refused:
        day.place_add(summit=summit, safe_count=1, unsafe_count=2, **args)
    assert "took part first" in refused.value.problems["school"][0]
    summit = _turnout(summit, pupils_by_year={"y9": 10})
    with pytest.raises(Incomplete) as refused:
        day.place_add(summit=summit, safe_count=4, unsafe_count=7, **args)
    assert "cannot be more" in refused.value.problems["safe_count"][0]
    with pytest.raises(Incomplete):
        day.place_add(summit=summit, safe_count=0, unsafe_count=0, **args)
    with pytest.raises(Incomplete):
        day.place_add(summit=summit, safe_count=-1, unsafe_count=3, **args)
    with pytest.raises(Incomplete):
        day.place_add(
            summit=summit, safe_count=1, unsafe_count=1, **{**args, "school": SchoolFactory()}
        )
    saved = day.place_add(summit=summit, safe_count=3, unsafe_count=7, **args)
    assert saved.places.get().unsafe_count == 7


def test_no_record_of_the_day_names_a_young_person():
    """Young people are numbers and words: none of the day's records has a field for who
    they are."""
    from safety_summits.summit.models import SafetyMapPlace, SummitTurnout, SummitVoice

    for model in (SummitTurnout, SafetyMapPlace, SummitVoice):
        names = {f.name for f in model._meta.get_fields()}
        assert not names & {"pupil", "child", "young_person", "initials", "child_name"}
    turnout = {f.name for f in SummitTurnout._meta.get_fields()}
    assert {"pupils_by_year", "pupils_female", "pupils_send"} <= turnout


def test_the_summit_cannot_be_held_before_it_happens_or_without_a_record(time_machine):
    summit = scheduled_summit()
    lead = summit.people["practitioner"]
    with pytest.raises(Incomplete) as refused:
        day.summit_hold(summit=summit, by=lead, attended=[])
    assert "not taken place" in refused.value.problems["attended"][0]
    time_machine.move_to(summit.ends_at + dt.timedelta(hours=1), tick=False)
    with pytest.raises(Incomplete) as refused:
        day.summit_hold(summit=summit, by=lead, attended=[], other_attendees="A youth worker")
    assert set(refused.value.problems) == {"turnouts", "places", "actions"}
    assert SafetySummit.objects.get(pk=summit.pk).state == S.SCHEDULED


def test_holding_meets_the_clock_and_the_next_steps_become_the_case_plan(time_machine):
    summit = held_summit(recorded_summit(scheduled_summit()), time_machine)
    assert summit.state == S.HELD
    assert _clock(summit).status == DeadlineStatus.MET
    assert _clock(summit).on_time
    assert summit.invitees.get(user=summit.people["dsl"]).attended
    assert not summit.invitees.get(name="PC Shah").attended
    plan = CasePlan.objects.get(case=summit.referral)
    assert sorted(plan.actions.values_list("what", flat=True)) == [
        "Ask the bus company for lighting",
        "Staff on the top corridor at break",
    ]
    assert all(a.plan_action_id for a in summit.actions.all())
    assert Deadline.objects.filter(timescale__key="plan_agreed", status="running").exists()
    with pytest.raises(NotAllowed):
        day.voice_add(
            summit=summit,
            by=summit.people["practitioner"],
            school=summit.referral.school,
            question="other",
            said="Too late",
        )


# --- afterwards -----------------------------------------------------------------------------


def test_you_said_we_did_records_what_was_done_and_when_young_people_were_told(time_machine):
    summit = held_summit(recorded_summit(scheduled_summit()), time_machine)
    lead, dsl = summit.people["practitioner"], summit.people["dsl"]
    today = dt.date.fromisoformat(str(summit.held_at.date()))
    with pytest.raises(Incomplete) as refused:
        follow_up.response_save(
            summit=summit,
            by=lead,
            you_said="The top corridor feels unsafe",
            told_on=today + dt.timedelta(days=3),
            how_told="Assembly",
        )
    assert "today or in the past" in refused.value.problems["told_on"][0]
    with pytest.raises(Incomplete) as refused:
        follow_up.response_save(summit=summit, by=lead, you_said="x", told_on=today)
    assert refused.value.problems["how_told"] == ["Say how young people were told"]
    summit = follow_up.response_save(
        summit=summit, by=lead, you_said="The top corridor feels unsafe"
    )
    row = summit.responses.get()
    assert not row.we_did
    summit = follow_up.response_save(
        summit=summit,
        by=lead,
        response_id=row.pk,
        you_said=row.you_said,
        we_did="Staff now stand there at break",
        done_on=today,
        told_on=today,
        how_told="Year 9 assembly",
    )
    row.refresh_from_db()
    assert (row.we_did, row.how_told) == ("Staff now stand there at break", "Year 9 assembly")
    with pytest.raises(NotAllowed):
        follow_up.response_save(summit=summit, by=dsl, you_said="x")


def test_sharing_the_report_tells_every_school_and_the_practitioners_who_came(time_machine):
    summit = held_summit(recorded_summit(scheduled_summit()), time_machine)
    people = summit.people
    shared = follow_up.report_share(summit=summit, by=people["practitioner"])
    assert shared.state == S.REPORTED
    title = "The Student Safety Summit report is ready"
    for person in (people["dsl"], people["other_dsl"], people["practitioner"]):
        assert _told(person, summit).filter(title=title).count() == 1
    with pytest.raises(NotAllowed):
        follow_up.report_share(summit=shared, by=people["practitioner"])


def test_the_lead_sends_the_case_back_to_its_panel_recommending_a_school_assessment(time_machine):
    summit = held_summit(recorded_summit(scheduled_summit()), time_machine)
    people = summit.people
    with pytest.raises(Incomplete):
        follow_up.refer_back(summit=summit, by=people["practitioner"], reason=" ")
    follow_up.refer_back(
        summit=summit,
        by=people["practitioner"],
        reason="Most Year 9 girls feel unsafe on the top corridor.",
    )
    referral = SchoolReferral.objects.get(pk=summit.referral_id)
    assert referral.state == ReferralState.AWAITING_PANEL
    record = referral.transition_records.filter(transition="return_to_panel").get()
    assert "School Assessment is recommended" in record.reason
    told = Notification.objects.get(user=people["panel_chair"], url=referral.get_absolute_url())
    assert "School Assessment is recommended" in told.title
    again = SafetySummit.objects.get(pk=summit.pk)
    assert again.referred_back_by == people["practitioner"]
    with pytest.raises(NotAllowed):
        follow_up.refer_back(summit=again, by=people["practitioner"], reason="again")


def test_the_case_history_shows_a_summits_reschedule():
    from referrals.chronology import chronology

    summit = scheduled_summit()
    people = summit.people
    services.summit_reschedule(
        summit=summit,
        by=people["practitioner"],
        place="The library",
        host_school=summit.referral.school,
        reason="Exams in the sports hall",
        **when(days=8, hour=13),
    )
    entry = next(
        e
        for e in chronology(summit.referral, people["dsl"])
        if e.title == "Student Safety Summit: Rescheduled"
    )
    assert entry.who == people["practitioner"] and entry.reason == "Exams in the sports hall"
    assert entry.details[1].startswith("Now ")


def test_a_withdrawn_invitation_to_a_scheduled_summit_is_told_without_a_link():
    summit = scheduled_summit()
    people = summit.people
    lead, other = people["practitioner"], people["other_school"]
    summit = services.school_uninvite(summit=summit, by=lead, school_id=other.pk)
    told = Notification.objects.get(user=people["other_dsl"], title__contains="no longer")
    assert told.url == "" and other.name in told.title
    assert not summit.schools.filter(pk=other.pk).exists()
    invitee = summit.invitees.get(user=people["dsl"])
    summit = services.invitee_remove(summit=summit, by=lead, invitee_id=invitee.pk)
    told = Notification.objects.get(user=people["dsl"], title__startswith="You are no longer")
    assert told.url == ""
    with pytest.raises(NotAllowed):
        services.school_uninvite(summit=summit, by=lead, school_id=summit.referral.school_id)


def test_someone_who_can_no_longer_open_the_summit_is_not_told_of_it():
    """Invited as the DSL of a school whose invitation is then withdrawn: they cannot open
    the summit any more, so the summit's messages no longer go to them."""
    summit = planned_summit()
    people = summit.people
    lead, other_dsl = people["practitioner"], people["other_dsl"]
    summit = services.invitee_add(summit=summit, by=lead, agency="school", user=other_dsl)
    summit.people = people
    summit = scheduled_summit(summit)
    summit = services.school_uninvite(summit=summit, by=lead, school_id=people["other_school"].pk)
    summit.people = people
    services.summit_reschedule(
        summit=summit,
        by=lead,
        place="The library",
        host_school=summit.referral.school,
        reason="Exams in the sports hall",
        **when(days=8, hour=13),
    )
    assert not _told(other_dsl, summit).filter(title__contains="moved").exists()
    assert _told(people["dsl"], summit).filter(title__contains="moved").count() == 1
