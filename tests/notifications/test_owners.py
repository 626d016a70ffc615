"""Every clock reaches someone who can act (issue 13): for every catalogue row at every
stage, the sweep tells at least one person who can open the linked page (the visible_to
gate), or raises it as unroutable and stamps nothing; reallocation and a step up or down
move every open clock, and the old lead no longer sees them."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AuthorityRole, PanelRole, TeamRole
from notifications import health, sweep
from notifications.models import Deadline, DeadlineStatus, Notification
from notifications.selectors import my_deadlines
from panels import services as panel_services
from referrals import services
from referrals.allocation import case_reallocate
from referrals.models import SchoolReferral, TransitionRecord
from tests.accounts.factories import (
    SchoolFactory,
    TeamFactory,
    authority_role,
    panel_member_of,
    team_member_of,
)
from tests.notifications.helpers import london, submitted_at, sweep_at
from tests.referrals.risk_factories import EXPLOITATION, SEXUAL_VIOLENCE, referral_with

SUBMITTED = london(2026, 12, 23, 16, 30)
ACCEPTED = london(2026, 12, 24, 10, 0)
DECIDED = london(2027, 1, 5, 11, 0)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.time_machine(london(2026, 12, 23, 9, 0), tick=False),
]


def _moments(start, end):
    """09:30 and 17:30 of every day from `start` to `end`: each stage falls due at one."""
    day = start
    while day <= end:
        for hour in (9, 17):
            yield london(day.year, day.month, day.day, hour, 30)
        day += dt.timedelta(days=1)


def _check(referral, now):
    """Nothing stamped as sent to nobody; every message to someone who can open it; every
    due, unstamped stage raised as unroutable."""
    problems = []
    for d in Deadline.objects.filter(case_id=referral.pk).select_related("timescale"):
        for stage, due_field, stamp in sweep.STAGES:
            sent = Notification.objects.filter(deadline=d, stage=stage)
            stamped = getattr(d, stamp)
            if stamped and not sent.exists():
                problems.append(f"{d.timescale.key} {stage}: stamped, sent to nobody")
            due = d.status == DeadlineStatus.RUNNING and getattr(d, due_field) <= now
            if stage == "reminder" and d.due_at <= now:
                due = False  # overdue: the alert is sent instead, and no reminder is stamped
            if due and not stamped and not d.unroutable:
                problems.append(f"{d.timescale.key} {stage}: due, unsent, not raised")
            for message in sent.select_related("user"):
                readable = SchoolReferral.objects.visible_to(message.user).filter(pk=d.case_id)
                if message.url != referral.get_absolute_url() or not readable.exists():
                    problems.append(f"{d.timescale.key} {stage}: {message.user} cannot open it")
    return problems


def _journey(time_machine, staffed):
    time_machine.move_to(SUBMITTED, tick=False)
    referral = referral_with(SEXUAL_VIOLENCE + EXPLOITATION)
    people, authority = referral.people, referral.school.authority
    team = TeamFactory(authority=authority)
    practitioner = team_member_of(team)
    team_member_of(team, role=TeamRole.MANAGER)
    if staffed:
        fd_team = TeamFactory(authority=authority, is_front_door=True)
        team_member_of(fd_team, role=TeamRole.MANAGER)
        panel_member_of(people["panel"], role=PanelRole.CHAIR)
        authority_role(authority, AuthorityRole.DUTY_MANAGER)
    problems, unroutable = [], []
    referral.unroutable = unroutable
    for moment in _moments(SUBMITTED.date(), dt.date(2027, 3, 31)):
        if moment > ACCEPTED and referral.state == "submitted":
            time_machine.move_to(ACCEPTED, tick=False)
            referral = services.referral_accept_to_panel(
                referral=referral, by=people["front_door"], panel=people["panel"], reason="Meets."
            )
            referral.people, referral.unroutable = people, unroutable
        if moment > DECIDED and referral.state == "awaiting_panel":
            time_machine.move_to(DECIDED, tick=False)
            panel_services.decision_record(
                referral=referral,
                by=people["panel_member"],
                level="child_in_need",
                pathway="school_assessment",
                rationale="Pattern of harm across a year group.",
                lead_practitioner=practitioner,
                lead_team=team,
                start_by=dt.date(2027, 1, 15),
            )
            referral.refresh_from_db()
            referral.people, referral.unroutable = people, unroutable
        sweep_at(time_machine, moment)
        problems += [f"{moment:%d %b %H:%M} {p}" for p in _check(referral, moment)]
        stuck = Deadline.objects.filter(case_id=referral.pk, status="running", unroutable=True)
        if stuck.exists():
            unroutable.append(
                (moment, sorted(stuck.values_list("timescale__key", flat=True)), health.check()[1])
            )
    return referral, problems


def test_every_clock_at_every_stage_reaches_someone_who_can_open_it(time_machine):
    referral, problems = _journey(time_machine, staffed=True)
    assert problems == []
    keys = set(
        Deadline.objects.filter(case_id=referral.pk).values_list("timescale__key", flat=True)
    )
    assert {
        "screening_decision",
        "immediate_risk_assessment",
        "exploitation_risk_assessment",
        "panel_threshold_decision",
        "school_assessment",
    } <= keys
    # The exploitation risk assessment ran before any lead: its reminder went to the panel's
    # chair (the panel held the case), and once the lead was named it was theirs.
    era = Deadline.objects.get(case_id=referral.pk, timescale__key="exploitation_risk_assessment")
    assert era.owner_id == referral.lead_practitioner_id
    chair = referral.people["panel"].memberships.get(role=PanelRole.CHAIR).user
    reminder = Notification.objects.get(deadline=era, stage="reminder")
    assert reminder.user == chair and reminder.created_at < DECIDED
    assert referral.unroutable == []


def test_with_nobody_to_tell_a_stage_stays_unstamped_and_is_shown_unroutable(time_machine):
    """No chair, no front-door manager, no duty manager: until the panel names a team, the
    panel's escalations reach nobody, so they wait unstamped, shown on the health check; the
    decision gives them a team, and its managers are told."""
    referral, problems = _journey(time_machine, staffed=False)
    assert problems == []  # nothing stamped as sent to nobody
    assert referral.unroutable, "some stage should have had nobody to tell"
    for moment, keys, details in referral.unroutable:
        assert moment < DECIDED
        assert details["unroutable_deadlines"] == len(keys) and details["deadlines"] == "unroutable"
    immediate = Deadline.objects.get(
        case_id=referral.pk, timescale__key="immediate_risk_assessment"
    )
    assert "immediate_risk_assessment" in referral.unroutable[0][1]
    assert immediate.escalated_at > DECIDED and not immediate.unroutable
    escalation = Notification.objects.get(deadline=immediate, stage="escalation")
    assert escalation.user.team_memberships.get().role == TeamRole.MANAGER
    assert health.check()[1]["unroutable_deadlines"] == 0


def test_the_duty_manager_is_the_last_resort_and_it_is_raised(time_machine):
    from accounts.models import AuthorityMembership, TeamMembership

    referral = submitted_at(time_machine, london(2026, 11, 23, 10, 0))
    authority = referral.school.authority
    duty = authority_role(authority, AuthorityRole.DUTY_MANAGER)
    AuthorityMembership.objects.filter(role=AuthorityRole.FRONT_DOOR).delete()
    TeamMembership.objects.all().delete()  # no front-door manager either
    sweep_at(time_machine, london(2026, 11, 24, 9, 30))
    note = Notification.objects.get(deadline__case_id=referral.pk)
    assert note.user == duty and "duty manager" in note.body
    assert SchoolReferral.objects.visible_to(duty).filter(pk=referral.pk).exists()
    deadline = Deadline.objects.get(case_id=referral.pk)
    assert deadline.reminded_at is not None and "sent to the duty manager" in (
        deadline.routing_problem
    )
    assert health.check()[1]["deadlines_sent_to_a_fallback"] == 1


def test_an_unroutable_stage_goes_out_once_someone_holds_the_role(time_machine):
    from accounts.models import AuthorityMembership

    referral = submitted_at(time_machine, london(2026, 11, 23, 10, 0))
    AuthorityMembership.objects.filter(role=AuthorityRole.FRONT_DOOR).delete()
    from accounts.models import TeamMembership

    TeamMembership.objects.all().delete()
    sweep_at(time_machine, london(2026, 11, 24, 9, 30))
    deadline = Deadline.objects.get(case_id=referral.pk)
    assert deadline.reminded_at is None and deadline.unroutable
    assert not Notification.objects.exists()
    duty = authority_role(referral.school.authority, AuthorityRole.DUTY_MANAGER)
    sweep_at(time_machine, london(2026, 11, 24, 10, 0))
    deadline.refresh_from_db()
    assert deadline.reminded_at is not None and not deadline.unroutable
    assert list(Notification.objects.values_list("user", flat=True)) == [duty.pk]


def test_the_sweeps_queries_do_not_grow_with_its_rows(time_machine, monkeypatch):
    """More rows than a batch: the count follows the number of batches, not of rows."""
    monkeypatch.setattr(sweep, "BATCH", 3)

    def queries(n):
        school = SchoolFactory()
        for _ in range(n):
            submitted_at(time_machine, london(2026, 11, 23, 10, 0), school=school)
        with CaptureQueriesContext(connection) as captured:
            sweep_at(time_machine, london(2026, 11, 24, 9, 30))
        Deadline.objects.update(status="met")
        return len(captured)

    seven, eight = queries(7), queries(8)  # three batches each
    assert seven == eight
    assert seven <= 40, seven


def _allocated_with_clocks(time_machine):
    time_machine.move_to(SUBMITTED, tick=False)
    referral = referral_with(SEXUAL_VIOLENCE + EXPLOITATION)
    people = referral.people
    team = TeamFactory(authority=referral.school.authority)
    people.update(
        team=team,
        practitioner=team_member_of(team),
        manager=team_member_of(team, role=TeamRole.MANAGER),
    )
    time_machine.move_to(ACCEPTED, tick=False)
    referral = services.referral_accept_to_panel(
        referral=referral, by=people["front_door"], panel=people["panel"], reason="Meets."
    )
    time_machine.move_to(DECIDED, tick=False)
    decision = panel_services.decision_record(
        referral=referral,
        by=people["panel_member"],
        level="child_in_need",
        pathway="school_assessment",
        rationale="Pattern of harm across a year group.",
        lead_practitioner=people["practitioner"],
        lead_team=team,
        start_by=dt.date(2027, 1, 15),
    )
    referral.refresh_from_db()
    referral.people = people
    return referral, decision


def _running(referral):
    return Deadline.objects.filter(case_id=referral.pk, status=DeadlineStatus.RUNNING)


def test_reallocation_moves_every_open_clock_and_tells_both_leads(time_machine):
    referral, _ = _allocated_with_clocks(time_machine)
    old, manager = referral.people["practitioner"], referral.people["manager"]
    assert my_deadlines(old).exists()
    new_team = TeamFactory(authority=referral.school.authority)
    new_lead = team_member_of(new_team)
    new_manager = team_member_of(new_team, role=TeamRole.MANAGER)
    referral = case_reallocate(
        referral=referral,
        by=manager,
        team=new_team,
        lead=new_lead,
        reason="Caseload balancing.",
    )
    lead_clocks = _running(referral).filter(owner_role="lead")
    assert lead_clocks.exists() and all(d.owner_id == new_lead.pk for d in lead_clocks)
    assert all(d.team_id == new_team.pk for d in _running(referral))
    assert not my_deadlines(old).exists()
    assert set(my_deadlines(new_lead)) >= set(lead_clocks)
    assert Notification.objects.filter(user=old, stage="reallocation").count() == 1
    assert Notification.objects.filter(user=new_lead, stage="reallocation").count() == 1
    record = TransitionRecord.objects.get(transition="reallocate")
    assert record.by == manager and record.reason == "Caseload balancing."
    # The new team's manager can open what an escalation of these clocks links to.
    assert SchoolReferral.objects.visible_to(new_manager).filter(pk=referral.pk).exists()


def test_a_practitioner_cannot_reallocate(time_machine):
    from casework.errors import NotAllowed

    referral, _ = _allocated_with_clocks(time_machine)
    with pytest.raises(NotAllowed):
        case_reallocate(
            referral=referral,
            by=referral.people["practitioner"],
            team=referral.people["team"],
            lead=None,
            reason="Mine no more.",
        )


def test_a_step_up_or_down_naming_a_new_lead_moves_every_open_clock(time_machine):
    referral, decision = _allocated_with_clocks(time_machine)
    old = referral.people["practitioner"]
    new_team = TeamFactory(authority=referral.school.authority)
    new_lead = team_member_of(new_team)
    panel_services.decision_step(
        previous=decision,
        by=referral.people["panel_member"],
        change_reason="New information from the police.",
        level="child_protection",
        pathway="school_assessment",
        rationale="Escalating harm.",
        lead_practitioner=new_lead,
        lead_team=new_team,
        start_by=dt.date(2027, 1, 15),
    )
    running = _running(referral)
    assert running.filter(owner_role="lead").exists()
    assert all(d.owner_id == new_lead.pk for d in running.filter(owner_role="lead"))
    assert all(d.team_id == new_team.pk for d in running)
    assert not my_deadlines(old).exists()


def test_the_team_manager_reallocates_on_the_page_and_others_cannot(time_machine, client):
    referral, _ = _allocated_with_clocks(time_machine)
    people = referral.people
    other = team_member_of(people["team"])
    url = f"/referrals/{referral.pk}/reallocate/"
    client.force_login(people["practitioner"])
    assert client.get(url).status_code == 403
    client.force_login(people["manager"])
    page = client.get(f"/referrals/{referral.pk}/")
    assert url in page.content.decode()
    refused = client.post(url, {"version": referral.version, "team": people["team"].pk})
    assert "Enter why the case is being reallocated" in refused.content.decode()
    done = client.post(
        url,
        {
            "version": referral.version,
            "team": people["team"].pk,
            "lead": other.pk,
            "reason": "Leave from Monday.",
        },
    )
    assert done.status_code == 302
    referral.refresh_from_db()
    assert referral.lead_practitioner == other
    assert all(d.owner_id == other.pk for d in _running(referral).filter(owner_role="lead"))


def test_a_lead_clock_before_any_lead_is_in_the_front_doors_then_the_chairs_deadlines(
    time_machine,
):
    time_machine.move_to(SUBMITTED, tick=False)
    referral = referral_with(EXPLOITATION)
    people = referral.people
    chair = panel_member_of(people["panel"], role=PanelRole.CHAIR)
    keys = lambda user: set(my_deadlines(user).values_list("timescale__key", flat=True))  # noqa: E731
    assert "exploitation_risk_assessment" in keys(people["front_door"])
    assert "exploitation_risk_assessment" not in keys(chair)
    time_machine.move_to(ACCEPTED, tick=False)
    services.referral_accept_to_panel(
        referral=referral, by=people["front_door"], panel=people["panel"], reason="Meets."
    )
    assert "exploitation_risk_assessment" in keys(chair)
    assert "exploitation_risk_assessment" not in keys(people["front_door"])
