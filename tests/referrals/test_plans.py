"""The case plan: its clocks (agreed in 10 working days, reviewed at 3 months then every 6,
each action to its own date), who may do what, and closing with outcomes."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from casework.errors import ChangedUnderYou, Incomplete, NotAllowed
from notifications.models import Deadline, DeadlineStatus, Notification
from referrals.choices import ReferralState
from referrals.models import CaseOutcome, CasePlan, PlanAction, SchoolReferral
from referrals.plans import services as plan_services
from referrals.plans.models import ActionState, PlanState
from tests.dates import date_parts
from tests.notifications.helpers import london, sweep_at
from tests.referrals.plan_factories import decided_case, in_days, plan_with_actions

pytestmark = pytest.mark.django_db

OUTCOMES = {
    "what_changed": "Pupils now say the bus and the top corridor feel safe.",
    "young_people_told": "At a student safety assembly and through the school council.",
    "parents_told": "A letter home and a parents' forum.",
    "school_community_told": "Staff briefing and governors' report.",
    "sustaining_safety": "Termly pupil survey; supervision rota kept.",
}


def clocks(subject, key=None):
    found = Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    ).order_by("pk")
    return [d for d in found if key is None or d.timescale.key == key]


def running(subject, key):
    (deadline,) = [d for d in clocks(subject, key) if d.status == DeadlineStatus.RUNNING]
    return deadline


def reviewed(plan, by, decision="continue"):
    return plan_services.plan_review(
        plan=CasePlan.objects.get(pk=plan.pk),
        by=by,
        young_people_say="They feel safer on the bus.",
        decision=decision,
        reason="Good progress; keep going.",
    )


# --- clocks ---------------------------------------------------------------------------------


@pytest.mark.time_machine(london(2026, 11, 23, 10, 0), tick=False)  # Monday
def test_opening_a_plan_starts_the_plan_agreed_clock_and_agreeing_meets_it(time_machine):
    case, plan, _ = plan_with_actions()
    agreed_clock = running(plan, "plan_agreed")
    # 10 working days after Monday 23 November: Monday 7 December, end of the day.
    assert agreed_clock.due_at == london(2026, 12, 7, 17, 0)
    assert agreed_clock.owner == case.people["practitioner"]

    time_machine.move_to(london(2026, 11, 30, 10, 0), tick=False)
    plan = plan_services.plan_agree(
        plan=plan, by=case.people["practitioner"], agreed_with="DSL, police, lead"
    )
    (done,) = clocks(plan, "plan_agreed")
    assert done.status == DeadlineStatus.MET and done.on_time
    assert plan.state == PlanState.AGREED
    first_review = running(plan, "plan_review")
    assert first_review.due_at == london(2027, 3, 1, 17, 0)  # 3 months: 28 Feb is a Sunday
    assert SchoolReferral.objects.get(pk=case.pk).state == ReferralState.REVIEW


@pytest.mark.time_machine(london(2026, 11, 23, 10, 0), tick=False)
def test_reviews_fall_due_three_months_after_agreement_then_every_six_months(time_machine):
    case, plan, _ = plan_with_actions(agree=True)
    lead = case.people["practitioner"]
    time_machine.move_to(london(2027, 2, 22, 10, 0), tick=False)
    plan = reviewed(plan, lead)
    (first,) = clocks(plan, "plan_review")
    assert first.status == DeadlineStatus.MET and first.on_time
    assert plan.state == PlanState.REVIEWED
    assert running(plan, "plan_review_next").due_at == london(2027, 8, 23, 17, 0)

    time_machine.move_to(london(2027, 8, 20, 10, 0), tick=False)
    plan = reviewed(plan, lead)
    six_monthly = clocks(plan, "plan_review_next")
    assert [d.status for d in six_monthly] == [DeadlineStatus.MET, DeadlineStatus.RUNNING]
    assert six_monthly[1].due_at == london(2028, 2, 21, 17, 0)
    assert plan.reviews.count() == 2


@pytest.mark.time_machine(london(2026, 11, 23, 10, 0), tick=False)
def test_a_missed_review_alerts_the_lead_once(time_machine):
    case, plan, _ = plan_with_actions(agree=True)
    lead = case.people["practitioner"]
    review = running(plan, "plan_review")

    sweep_at(time_machine, review.due_at + dt.timedelta(hours=1))
    sweep_at(time_machine, review.due_at + dt.timedelta(hours=2))

    alerts = Notification.objects.filter(deadline=review, stage="alert")
    assert [n.user for n in alerts] == [lead]


@pytest.mark.time_machine(london(2026, 11, 23, 10, 0), tick=False)
def test_each_action_is_a_clock_to_its_own_date_that_reminds_its_owner(time_machine):
    case, plan, (action,) = plan_with_actions(owners=("police",))
    clock = running(action, "plan_action")
    assert clock.due_at == london(2026, 12, 7, 17, 0)  # due_on 14 days on, end of that day
    assert clock.reminder_at == london(2026, 12, 2, 17, 0)  # 3 working days before
    assert clock.owner == case.people["police"]
    assert clock.case_url == reverse("plan_action", args=[action.pk])

    sweep_at(time_machine, clock.reminder_at + dt.timedelta(minutes=1))
    assert list(Notification.objects.filter(deadline=clock).values_list("user", flat=True)) == [
        case.people["police"].pk
    ]

    time_machine.move_to(london(2026, 12, 1, 10, 0), tick=False)
    plan_services.action_done(
        action=action, by=case.people["police"], evidence_of_impact="Patrols at the stop."
    )
    (stopped,) = clocks(action, "plan_action")
    assert stopped.status == DeadlineStatus.MET and stopped.on_time


@pytest.mark.time_machine(london(2026, 11, 23, 10, 0), tick=False)
def test_a_new_due_date_restarts_the_action_clock():
    case, plan, (action,) = plan_with_actions()
    plan_services.action_reschedule(
        action=action,
        by=case.people["practitioner"],
        due_on=dt.date(2027, 1, 15),
        reason="Waiting for the new timetable",
    )
    old, new = clocks(action, "plan_action")
    assert old.status == DeadlineStatus.MET
    assert new.status == DeadlineStatus.RUNNING and new.due_at == london(2027, 1, 15, 17, 0)


# --- closing the case -----------------------------------------------------------------------


def test_a_case_with_open_actions_closes_only_when_each_is_closed_with_a_reason():
    case, plan, (dsl_action, police_action) = plan_with_actions(
        owners=("dsl", "police"), agree=True
    )
    lead = case.people["practitioner"]
    plan_services.action_done(
        action=dsl_action, by=case.people["dsl"], evidence_of_impact="Survey: 80% feel safe."
    )
    reviewed(plan, lead, decision="close")

    with pytest.raises(Incomplete) as refused:
        plan_services.case_close(case=case, by=lead, outcomes=OUTCOMES)
    assert f"close_{police_action.pk}" in refused.value.problems
    assert SchoolReferral.objects.get(pk=case.pk).state == ReferralState.REVIEW
    assert not CaseOutcome.objects.exists()
    assert PlanAction.objects.get(pk=police_action.pk).state == ActionState.OPEN

    plan_services.case_close(
        case=case,
        by=lead,
        outcomes=OUTCOMES,
        closing_reasons={police_action.pk: "The bus route changed; patrols no longer needed."},
    )
    case = SchoolReferral.objects.get(pk=case.pk)
    assert case.state == ReferralState.CLOSED
    assert case.outcome.what_changed == OUTCOMES["what_changed"]
    police_action = PlanAction.objects.get(pk=police_action.pk)
    assert police_action.state == ActionState.CLOSED
    assert police_action.closed_reason.startswith("The bus route changed")
    assert CasePlan.objects.get(pk=plan.pk).state == PlanState.CLOSED
    assert not Deadline.objects.filter(case_id=case.pk, status=DeadlineStatus.RUNNING).exists()


def test_a_case_closes_only_after_a_review_decides_to_close_and_with_every_outcome():
    case, plan, (action,) = plan_with_actions(agree=True)
    lead = case.people["practitioner"]
    plan_services.action_done(action=action, by=case.people["dsl"], evidence_of_impact="Done.")
    with pytest.raises(NotAllowed):
        plan_services.case_close(case=case, by=lead, outcomes=OUTCOMES)
    reviewed(plan, lead, decision="close")
    with pytest.raises(Incomplete) as refused:
        plan_services.case_close(case=case, by=lead, outcomes={**OUTCOMES, "parents_told": ""})
    assert set(refused.value.problems) == {"parents_told"}
    with pytest.raises(NotAllowed):
        plan_services.case_close(case=case, by=case.people["dsl"], outcomes=OUTCOMES)
    assert SchoolReferral.objects.get(pk=case.pk).state == ReferralState.REVIEW


def test_stepping_up_at_a_review_sends_the_case_back_to_its_panel():
    case, plan, _ = plan_with_actions(agree=True)
    reviewed(plan, case.people["practitioner"], decision="step_up")
    case = SchoolReferral.objects.get(pk=case.pk)
    assert case.state == ReferralState.AWAITING_PANEL
    assert Deadline.objects.filter(
        case_id=case.pk, timescale__key="panel_threshold_decision", status="running"
    ).exists()


# --- who may do what ------------------------------------------------------------------------


def test_action_owners_change_only_their_own_actions():
    case, plan, (dsl_action, police_action) = plan_with_actions(owners=("dsl", "police"))
    dsl, police = case.people["dsl"], case.people["police"]

    plan_services.action_progress(action=dsl_action, by=dsl, note="Supervision rota drafted.")
    with pytest.raises(NotAllowed):
        plan_services.action_progress(action=police_action, by=dsl, note="Not mine")
    with pytest.raises(NotAllowed):
        plan_services.action_done(action=dsl_action, by=police, evidence_of_impact="x")
    with pytest.raises(NotAllowed):  # an owner cannot close their action without doing it
        plan_services.action_close(action=police_action, by=police, reason="Too busy")
    with pytest.raises(NotAllowed):
        plan_services.action_add(plan=plan, by=dsl, what="x", why="y", due_on=in_days(3), owner=dsl)
    assert PlanAction.objects.get(pk=police_action.pk).progress == ""
    assert "Supervision rota drafted." in PlanAction.objects.get(pk=dsl_action.pk).progress


def test_a_partner_sees_their_own_action_and_nothing_else_of_the_case(client):
    case, plan, (dsl_action, police_action) = plan_with_actions(owners=("dsl", "police"))
    client.force_login(case.people["police"])

    assert client.get(reverse("plan_action", args=[police_action.pk])).status_code == 200
    assert client.get(reverse("plan_action", args=[dsl_action.pk])).status_code == 404
    assert client.get(reverse("case_plan", args=[case.pk])).status_code == 404
    assert client.get(reverse("referral_detail", args=[case.pk])).status_code == 404
    page = client.get(reverse("my_actions")).content.decode()
    assert police_action.what in page and dsl_action.what not in page

    response = client.post(
        reverse("plan_action", args=[police_action.pk]),
        {
            "intent": "done",
            "done-version": police_action.version,
            "done-evidence_of_impact": "Officer at the bus stop daily; no incidents since.",
        },
    )
    assert response.status_code == 302
    assert PlanAction.objects.get(pk=police_action.pk).state == ActionState.DONE
    # Another's action cannot be changed by posting to it either.
    response = client.post(
        reverse("plan_action", args=[dsl_action.pk]),
        {"intent": "done", "done-version": dsl_action.version, "done-evidence_of_impact": "x"},
    )
    assert response.status_code == 404


def test_a_dsl_reads_the_plan_but_gets_no_forms_for_others_actions(client):
    case, plan, (dsl_action, police_action) = plan_with_actions(owners=("dsl", "police"))
    client.force_login(case.people["dsl"])
    plan_page = client.get(reverse("case_plan", args=[case.pk])).content.decode()
    assert police_action.what in plan_page and "Add an action" not in plan_page
    other = client.get(reverse("plan_action", args=[police_action.pk])).content.decode()
    assert "Mark as done" not in other
    response = client.post(
        reverse("plan_action", args=[police_action.pk]),
        {"intent": "done", "done-version": police_action.version, "done-evidence_of_impact": "x"},
    )
    assert response.status_code == 403
    assert PlanAction.objects.get(pk=police_action.pk).state == ActionState.OPEN


def test_another_schools_dsl_sees_no_plan_or_action(client):
    case, plan, (action,) = plan_with_actions()
    stranger = decided_case().people["dsl"]
    client.force_login(stranger)
    assert client.get(reverse("case_plan", args=[case.pk])).status_code == 404
    assert client.get(reverse("plan_action", args=[action.pk])).status_code == 404


# --- bad input and concurrency ------------------------------------------------------------


def test_an_action_without_a_reason_owner_or_future_date_is_refused_and_nothing_saved():
    case, plan, _ = plan_with_actions(owners=())
    lead = case.people["practitioner"]
    with pytest.raises(Incomplete) as refused:
        plan_services.action_add(plan=plan, by=lead, what="Supervise", why="", due_on=in_days(5))
    assert "why" in refused.value.problems
    with pytest.raises(Incomplete) as refused:
        plan_services.action_add(plan=plan, by=lead, what="Supervise", why="Bus", due_on=in_days(5))
    assert "owner" in refused.value.problems
    with pytest.raises(Incomplete) as refused:
        plan_services.action_add(
            plan=plan, by=lead, what="x", why="y", due_on=in_days(-1), owner_contact="PC Lee"
        )
    assert "due_on" in refused.value.problems
    assert not PlanAction.objects.exists()


def test_a_plan_without_actions_cannot_be_agreed():
    case, plan, _ = plan_with_actions(owners=())
    with pytest.raises(Incomplete) as refused:
        plan_services.plan_agree(plan=plan, by=case.people["practitioner"], agreed_with="DSL")
    assert "actions" in refused.value.problems
    assert CasePlan.objects.get(pk=plan.pk).state == PlanState.DRAFTING


def test_two_people_updating_one_action_one_wins_the_other_is_told():
    case, plan, (action,) = plan_with_actions()
    stale = PlanAction.objects.get(pk=action.pk)
    plan_services.action_progress(action=action, by=case.people["dsl"], note="First note")
    with pytest.raises(ChangedUnderYou):
        plan_services.action_progress(
            action=stale,
            by=case.people["practitioner"],
            note="Second note",
            expected_version=stale.version,
        )
    assert "Second note" not in PlanAction.objects.get(pk=action.pk).progress


# --- pages ----------------------------------------------------------------------------------


def test_the_lead_agrees_reviews_and_closes_through_the_pages(client):
    case, plan, (action,) = plan_with_actions()
    client.force_login(case.people["practitioner"])
    response = client.post(
        reverse("plan_agree", args=[case.pk]), {"version": plan.version, "agreed_with": ""}
    )
    assert "Enter who agreed the plan" in response.content.decode()
    response = client.post(
        reverse("plan_agree", args=[case.pk]),
        {"version": plan.version, "agreed_with": "DSL and police"},
    )
    assert response.status_code == 302
    plan = CasePlan.objects.get(pk=plan.pk)
    response = client.post(
        reverse("plan_review", args=[case.pk]),
        {
            "version": plan.version,
            f"progress_{action.pk}": "Rota in place",
            "young_people_say": "Safer now",
            "decision": "close",
            "reason": "Aims met",
        },
    )
    assert response.status_code == 302
    case = SchoolReferral.objects.get(pk=case.pk)
    page = client.get(reverse("case_close", args=[case.pk])).content.decode()
    assert f"close_{action.pk}" in page
    response = client.post(
        reverse("case_close", args=[case.pk]),
        {"version": case.version, **OUTCOMES, f"close_{action.pk}": "Overtaken by events"},
    )
    assert response.status_code == 302
    assert SchoolReferral.objects.get(pk=case.pk).state == ReferralState.CLOSED


def test_list_pages_make_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    case, plan, _ = plan_with_actions(owners=("dsl", "practitioner"))
    lead = case.people["practitioner"]
    for _ in range(3):
        # More cases and actions for the same lead: the counts must not grow with them.
        more = decided_case(lead_practitioner=lead, lead_team=case.people["team"])
        more.people["practitioner"] = lead
        plan_with_actions(more, owners=("practitioner",))
    client.force_login(lead)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("caseload")).content.decode()
    assert page.count("Plan agreed, due") == 4
    with django_assert_max_num_queries(12):
        page = client.get(reverse("my_actions")).content.decode()
    assert page.count('<a class="govuk-link" href="/actions/') == 4
    # 16, and the read log's chain: lock its head and move it (audit.chain).
    with django_assert_max_num_queries(18):
        assert client.get(reverse("case_plan", args=[case.pk])).status_code == 200


def test_the_chronology_names_each_plan_and_action_change_with_who_and_why(client):
    case, plan, (action,) = plan_with_actions(agree=True)
    plan_services.action_done(action=action, by=case.people["dsl"], evidence_of_impact="Calmer.")
    client.force_login(case.people["practitioner"])
    page = client.get(reverse("referral_history", args=[case.pk])).content.decode()
    assert "Case plan: Started: Being agreed" in page
    assert "Case plan: Being agreed → Agreed, first review due" in page
    assert "Plan action: Open → Done" in page
    assert "Evidence of impact: Calmer." in page


def test_the_lead_adds_an_action_through_the_form(client):
    case, plan, _ = plan_with_actions(owners=())
    dsl, police = case.people["dsl"], case.people["police"]
    client.force_login(case.people["practitioner"])
    url = reverse("plan_action_new", args=[case.pk])
    page = client.get(url).content.decode()
    assert f"({case.school.name})" in page and "(Police)" in page

    response = client.post(url, {"what": "Patrol the stop", "why": "", "owner": police.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Say which finding or concern it answers" in page and "Enter the due date" in page
    assert not PlanAction.objects.exists()

    response = client.post(
        url,
        {
            "what": "Staff the corridor",
            "why": "No adult at lunch",
            "owner": dsl.pk,
            **date_parts("due_on", in_days(7)),
        },
    )
    assert response.status_code == 302
    action = PlanAction.objects.get()
    assert action.owner == dsl and action.due_on == in_days(7)
    assert Notification.objects.filter(user=dsl, url=reverse("plan_action", args=[action.pk]))


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (
            {"day": "1", "month": "1", "year": "9999"},
            "Due date must be no later than 31 December 2100",
        ),
        ({"day": "1", "month": "1", "year": "2001"}, "The due date must be today or later"),
        ({"day": "", "month": "", "year": ""}, "Enter the due date"),
        ({"day": "27", "month": "", "year": "2027"}, "Due date must include a month"),
        ({"day": "31", "month": "2", "year": "2027"}, "Due date must be a real date"),
        ({"day": "1", "month": "3", "year": "27"}, "Due date must be a real date"),
    ],
)
def test_a_bad_due_date_is_refused_at_the_field_not_a_500(client, parts, message):
    case, plan, (action,) = plan_with_actions(owners=("dsl",))
    client.force_login(case.people["practitioner"])
    response = client.post(
        reverse("plan_action_new", args=[case.pk]),
        {
            "what": "Patrol the stop",
            "why": "Pupils asked",
            "owner": case.people["dsl"].pk,
            **date_parts("due_on", **parts),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and 'href="#id_due_on"' in page
    assert f'<span class="govuk-visually-hidden">Error:</span> {message}' in page
    assert 'name="due_on_day"' in page and 'class="govuk-date-input"' in page
    assert PlanAction.objects.count() == 1
    with pytest.raises(Incomplete):
        plan_services.action_reschedule(
            action=action,
            by=case.people["practitioner"],
            due_on=dt.date(9999, 1, 1),
            reason="Far away",
        )


def test_a_case_stepped_down_below_threshold_runs_no_clocks():
    from panels import services as panel_services

    case, plan, (action,) = plan_with_actions()
    assert Deadline.objects.filter(case_id=case.pk, status=DeadlineStatus.RUNNING).count() == 2
    panel_services.decision_step(
        previous=case.decisions.get(),
        by=case.people["panel_member"],
        change_reason="The bus operator has fixed it; the school can manage.",
        level="below_threshold",
        pathway="manage_internally",
        rationale="Resolved with the operator.",
        advice="Keep the rota for a term.",
    )
    assert SchoolReferral.objects.get(pk=case.pk).state == ReferralState.CLOSED
    stopped = clocks(plan, "plan_agreed") + clocks(action, "plan_action")
    assert [d.status for d in stopped] == [DeadlineStatus.CANCELLED] * 2
    assert all(d.stop_reason.startswith("The case ended") for d in stopped)
    assert not Deadline.objects.filter(case_id=case.pk, status=DeadlineStatus.RUNNING).exists()


@pytest.mark.parametrize(
    ("year", "message"),
    [("9999", "New due date must be no later than 31 December 2100"), ("", "must include a year")],
)
def test_rescheduling_through_the_page_uses_the_date_input_and_refuses_9999(client, year, message):
    case, plan, (action,) = plan_with_actions(owners=("dsl",))
    client.force_login(case.people["practitioner"])
    url = reverse("plan_action", args=[action.pk])
    page = client.get(url).content.decode()
    assert (
        f'name="reschedule-due_on_year" type="text" inputmode="numeric" '
        f'value="{action.due_on.year}"' in page
    )
    data = {
        "intent": "reschedule",
        "reschedule-version": action.version,
        "reschedule-reason": "The operator moved the date",
    }
    response = client.post(
        url, {**data, **date_parts("reschedule-due_on", day="1", month="1", year=year)}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_reschedule-due_on"' in page and message in page
    assert PlanAction.objects.get(pk=action.pk).due_on == action.due_on

    new = action.due_on + dt.timedelta(days=7)
    response = client.post(url, {**data, **date_parts("reschedule-due_on", new)})
    assert response.status_code == 302
    assert PlanAction.objects.get(pk=action.pk).due_on == new
