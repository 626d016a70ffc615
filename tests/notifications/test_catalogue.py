"""The timescale catalogue: every authority gets its own editable copy of the default
clocks, and each live clock starts and stops on the right transitions with due, reminder and
escalation moments correct to the day."""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from notifications import clocks
from notifications.catalogue import default_rows, is_installed, live_timescales, seed_timescales
from notifications.models import Deadline, DeadlineStatus, OwnerRole, Timescale
from referrals import services
from referrals.choices import ReferralState as S
from tests.accounts.factories import LocalAuthorityFactory, SchoolFactory
from tests.referrals.factories import in_state

LONDON = ZoneInfo("Europe/London")
# Every journey here runs on a clock pinned before its first fixture; referral_at and the
# tests move it with time_machine.move_to.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.time_machine(dt.datetime(2026, 11, 2, 9, 0, tzinfo=LONDON), tick=False),
]
REFERRAL = "referrals.schoolreferral"
LIVE = {"screening_decision", "panel_threshold_decision"}
PATHWAY_AND_PLAN = {
    "immediate_risk_assessment",
    "exploitation_risk_assessment",
    "risk_assessment_review",
    "school_assessment",
    "self_assessment",
    "self_assessment_review",
    "plan_agreed",
    "plan_review",
    "plan_review_next",
    "case_closure",
    "plan_action",
    "partnership_meeting_held",
    "safety_plan_distributed",
    "safety_summit_held",
}
# Rows for records not built yet would wait, inactive: every shipped row's record is built.
WAITING = set()
FUTURE = "future_app.record"  # a model no installed app has


def london(*args):
    return dt.datetime(*args, tzinfo=LONDON)


def referral_at(time_machine, moment, state=S.SUBMITTED, school=None):
    """A referral brought to `state` with the clock pinned at `moment`."""
    time_machine.move_to(moment, tick=False)
    return in_state(state, school=school)


def clock(referral, key):
    return Deadline.objects.get(
        case_id=referral.pk, timescale__key=key, status=DeadlineStatus.RUNNING
    )


def deadlines(referral, key):
    return list(Deadline.objects.filter(case_id=referral.pk, timescale__key=key).order_by("pk"))


def timescale(authority, key):
    return Timescale.objects.get(authority=authority, key=key)


# --- seeding --------------------------------------------------------------------------------


def test_seeding_gives_an_authority_every_row_of_the_catalogue():
    authority = LocalAuthorityFactory()
    rows = default_rows()
    assert len(rows) == 16

    assert seed_timescales(authority) == 16

    seeded = {t.key: t for t in Timescale.objects.filter(authority=authority)}
    assert set(seeded) == {row["key"] for row in rows} == LIVE | PATHWAY_AND_PLAN | WAITING
    for row in rows:
        t = seeded[row["key"]]
        assert t.name == row["name"]
        assert t.model == row["model"]
        assert t.running_states == row["running_states"]
        assert t.met_states == row["met_states"]
        assert t.condition == row.get("condition", {})
        assert t.period == row["period"]
        assert t.period_unit == row["period_unit"]
        assert t.anchor == row.get("anchor", "")
        assert t.owner_role == row["owner_role"]
        assert t.reminder_days == row["reminder_days"]
        assert t.escalation_days == row["escalation_days"]
        assert t.target_percent == row["target_percent"]
        assert t.source == row["source"]


def test_seeding_is_idempotent():
    authority = LocalAuthorityFactory()
    seed_timescales(authority)

    assert seed_timescales(authority) == 0
    assert Timescale.objects.filter(authority=authority).count() == 16


def test_seeding_never_overwrites_an_authoritys_edit_but_restores_a_missing_row():
    authority = LocalAuthorityFactory()
    seed_timescales(authority)
    screening = timescale(authority, "screening_decision")
    screening.period = 2
    screening.name = "Front door decision"
    screening.save()
    timescale(authority, "plan_action").delete()

    assert seed_timescales(authority) == 1

    screening.refresh_from_db()
    assert (screening.period, screening.name) == (2, "Front door decision")
    assert Timescale.objects.filter(authority=authority).count() == 16


def test_each_authority_gets_its_own_copy():
    first, second = LocalAuthorityFactory(), LocalAuthorityFactory()
    seed_timescales(first)
    seed_timescales(second)
    assert Timescale.objects.filter(authority=first).count() == 16
    assert Timescale.objects.filter(authority=second).count() == 16


def test_a_clock_is_seeded_lazily_the_first_time_an_authority_needs_one():
    authority = LocalAuthorityFactory()
    assert {t.key for t in live_timescales(authority, REFERRAL)} == LIVE
    assert Timescale.objects.filter(authority=authority).count() == 16


# --- rows whose record is not built yet --------------------------------------------------


def test_rows_whose_model_is_not_installed_yet_are_listed_and_waiting():
    authority = LocalAuthorityFactory()
    seed_timescales(authority)
    rows = Timescale.objects.filter(authority=authority)

    assert {t.key for t in rows if is_installed(t.model)} == LIVE | PATHWAY_AND_PLAN
    assert {t.key for t in rows if not is_installed(t.model)} == WAITING


def _future_row(authority):
    """An authority's row for a record no installed app has yet."""
    row = Timescale.objects.get(authority=authority, key="safety_summit_held")
    row.pk, row.key, row.model = None, "future_record", FUTURE
    row.save()
    return row


def test_live_timescales_offers_nothing_for_a_model_that_is_not_installed():
    authority = LocalAuthorityFactory()
    seed_timescales(authority)
    _future_row(authority)
    assert live_timescales(authority, FUTURE) == []
    # The Early Help app's records, which are built, are live.
    meeting = live_timescales(authority, "safety_summits.schoolpartnershipmeeting")
    assert {t.key for t in meeting} == {"partnership_meeting_held", "safety_plan_distributed"}
    summit = live_timescales(authority, "safety_summits.safetysummit")
    assert {t.key for t in summit} == {"safety_summit_held"}


def test_a_transition_of_a_model_that_is_not_installed_starts_no_deadline(time_machine):
    referral = referral_at(time_machine, london(2026, 11, 23, 10, 0))
    _future_row(referral.school.authority)
    stand_in = SimpleNamespace(pk=referral.pk, _meta=SimpleNamespace(label_lower=FUTURE))
    before = Deadline.objects.count()

    clocks.transition_happened(
        case=referral,
        subject=stand_in,
        from_state="",
        to_state="planned",
        at=london(2026, 11, 23, 11, 0),
    )

    assert Deadline.objects.count() == before


# --- screening_decision ---------------------------------------------------------------------


def test_submitting_starts_the_screening_clock_due_at_the_end_of_the_next_working_day(time_machine):
    # Thursday 24 Dec 10:00; 25 Dec (Fri) and 28 Dec (Boxing Day substitute) are bank
    # holidays -> due Tuesday 29 Dec at 17:00.
    referral = referral_at(time_machine, london(2026, 12, 24, 10, 0))

    deadline = clock(referral, "screening_decision")
    assert deadline.started_at == london(2026, 12, 24, 10, 0)
    assert deadline.due_at == london(2026, 12, 29, 17, 0)
    # reminder_days 0: at 09:00 on the day it falls due; escalation_days 1: the end of the
    # next working day.
    assert deadline.reminder_at == london(2026, 12, 29, 9, 0)
    assert deadline.escalation_at == london(2026, 12, 30, 17, 0)
    assert deadline.owner_role == OwnerRole.FRONT_DOOR
    assert deadline.authority == referral.school.authority
    assert deadline.subject_id == referral.pk
    assert len(deadlines(referral, "screening_decision")) == 1
    assert deadlines(referral, "panel_threshold_decision") == []


def test_a_referral_submitted_after_17_00_is_screened_from_the_next_working_day(time_machine):
    # Friday 20 Nov 17:30 counts from Monday 23rd -> due Tuesday 24th.
    referral = referral_at(time_machine, london(2026, 11, 20, 17, 30))
    deadline = clock(referral, "screening_decision")
    assert deadline.due_at == london(2026, 11, 24, 17, 0)
    assert deadline.reminder_at == london(2026, 11, 24, 9, 0)
    assert deadline.escalation_at == london(2026, 11, 25, 17, 0)


def test_starting_screening_keeps_the_screening_clock_running(time_machine):
    referral = referral_at(time_machine, london(2026, 12, 24, 10, 0))
    time_machine.move_to(london(2026, 12, 29, 9, 30), tick=False)
    services.referral_start_screening(referral=referral, by=referral.people["front_door"])

    [deadline] = deadlines(referral, "screening_decision")
    assert deadline.status == DeadlineStatus.RUNNING
    assert deadline.due_at == london(2026, 12, 29, 17, 0)


@pytest.mark.parametrize(
    "moment",
    [london(2026, 12, 29, 16, 59), london(2026, 12, 29, 17, 0)],  # at the due moment is on time
)
def test_accepting_to_panel_on_time_meets_the_screening_clock(time_machine, moment):
    referral = referral_at(time_machine, london(2026, 12, 24, 10, 0))
    time_machine.move_to(moment, tick=False)
    services.referral_accept_to_panel(
        referral=referral,
        by=referral.people["front_door"],
        panel=referral.people["panel"],
        reason="Meets the threshold.",
    )

    [deadline] = deadlines(referral, "screening_decision")
    assert deadline.status == DeadlineStatus.MET
    assert deadline.on_time is True
    assert deadline.stopped_at == moment
    assert deadline.stop_reason == "Meets the threshold."


def test_accepting_to_panel_late_meets_the_screening_clock_late(time_machine):
    referral = referral_at(time_machine, london(2026, 12, 24, 10, 0))
    time_machine.move_to(london(2026, 12, 29, 17, 1), tick=False)
    services.referral_accept_to_panel(
        referral=referral,
        by=referral.people["front_door"],
        panel=referral.people["panel"],
        reason="Meets the threshold.",
    )

    [deadline] = deadlines(referral, "screening_decision")
    assert deadline.status == DeadlineStatus.MET
    assert deadline.on_time is False


@pytest.mark.parametrize(
    ("moment", "on_time"),
    [
        (london(2026, 12, 29, 12, 0), True),
        (london(2026, 12, 30, 9, 0), False),
    ],
)
def test_redirecting_meets_the_screening_clock(time_machine, moment, on_time):
    referral = referral_at(time_machine, london(2026, 12, 24, 10, 0), state=S.SCREENING)
    time_machine.move_to(moment, tick=False)
    services.referral_redirect(
        referral=referral,
        by=referral.people["front_door"],
        reason="About one child: individual referral.",
    )

    [deadline] = deadlines(referral, "screening_decision")
    assert deadline.status == DeadlineStatus.MET
    assert deadline.on_time is on_time
    assert deadline.stopped_at == moment
    assert deadline.stop_reason == "About one child: individual referral."
    assert deadlines(referral, "panel_threshold_decision") == []


def test_asking_the_school_stops_the_screening_clock_and_its_answer_starts_a_new_one(
    time_machine,
):
    """docs/decisions/0010-waiting-for-the-school.md: stop, then a new clock from the answer."""
    referral = referral_at(time_machine, london(2026, 12, 24, 10, 0))
    people = referral.people
    asked = london(2026, 12, 24, 11, 0)
    time_machine.move_to(asked, tick=False)
    referral = services.referral_request_information(
        referral=referral, by=people["front_door"], message="Which year groups?"
    )
    [first] = deadlines(referral, "screening_decision")
    assert first.status == DeadlineStatus.CANCELLED
    assert first.stopped_at == asked
    assert first.on_time is None
    assert first.stop_reason == "Which year groups?"

    answered = london(2026, 12, 29, 10, 0)
    time_machine.move_to(answered, tick=False)
    referral = services.referral_provide_information(
        referral=referral, by=people["dsl"], response="Years 9 and 10."
    )

    assert referral.state == S.SCREENING
    stopped, running = deadlines(referral, "screening_decision")
    assert stopped.pk == first.pk and stopped.status == DeadlineStatus.CANCELLED
    assert running.status == DeadlineStatus.RUNNING
    assert running.started_at == answered
    # One working day from the answer: the end of Wednesday 30 December.
    assert running.due_at == london(2026, 12, 30, 17, 0)
    # The front door's question does not start the panel's clock.
    assert deadlines(referral, "panel_threshold_decision") == []


@pytest.mark.parametrize("state", [S.SUBMITTED, S.SCREENING])
def test_withdrawing_cancels_the_screening_clock_with_the_reason(time_machine, state):
    referral = referral_at(time_machine, london(2026, 12, 24, 10, 0), state=state)
    moment = london(2026, 12, 29, 11, 0)
    time_machine.move_to(moment, tick=False)
    services.referral_withdraw(
        referral=referral, by=referral.people["dsl"], reason="Sent to the wrong service."
    )

    [deadline] = deadlines(referral, "screening_decision")
    assert deadline.status == DeadlineStatus.CANCELLED
    assert deadline.on_time is None
    assert deadline.stopped_at == moment
    assert deadline.stop_reason == "Sent to the wrong service."


# --- panel_threshold_decision ---------------------------------------------------------------


def test_accepting_to_panel_starts_the_panel_clock_ten_working_days_out(time_machine):
    # Accepted Wednesday 23 Dec 2026 11:00. Ten working days after the 23rd:
    # 24, 29, 30, 31 Dec (25 and 28 Dec bank holidays), 4, 5, 6, 7, 8, 11 Jan (1 Jan bank
    # holiday) -> due Monday 11 Jan 2027 at 17:00.
    referral = referral_at(time_machine, london(2026, 12, 23, 11, 0), state=S.AWAITING_PANEL)

    deadline = clock(referral, "panel_threshold_decision")
    assert deadline.started_at == london(2026, 12, 23, 11, 0)
    assert deadline.due_at == london(2027, 1, 11, 17, 0)
    # reminder_days 3: end of Wednesday 6 Jan; escalation_days 2: end of Wednesday 13 Jan.
    assert deadline.reminder_at == london(2027, 1, 6, 17, 0)
    assert deadline.escalation_at == london(2027, 1, 13, 17, 0)
    assert deadline.owner_role == OwnerRole.CHAIR
    assert deadline.panel_id == referral.people["panel"].pk
    # The screening clock it replaces was met, on time.
    [screening] = deadlines(referral, "screening_decision")
    assert (screening.status, screening.on_time) == (DeadlineStatus.MET, True)


def test_the_panel_clock_does_not_start_before_the_referral_reaches_the_panel(time_machine):
    referral = referral_at(time_machine, london(2026, 12, 23, 11, 0), state=S.SCREENING)
    assert deadlines(referral, "panel_threshold_decision") == []


def _panel_asks_and_school_answers(time_machine, referral):
    people = referral.people
    time_machine.move_to(london(2026, 12, 30, 10, 0), tick=False)
    referral = services.referral_request_information(
        referral=referral,
        by=people["panel_member"],
        message="What has the school done about the bus?",
    )
    time_machine.move_to(london(2027, 1, 5, 10, 0), tick=False)
    referral = services.referral_provide_information(
        referral=referral, by=people["dsl"], response="A member of staff rides it."
    )
    assert referral.state == S.AWAITING_PANEL
    return referral


def test_the_panel_asking_for_information_keeps_the_panel_clock_running(time_machine):
    referral = referral_at(time_machine, london(2026, 12, 23, 11, 0), state=S.AWAITING_PANEL)
    referral = _panel_asks_and_school_answers(time_machine, referral)

    assert [(d.status, d.due_at) for d in deadlines(referral, "panel_threshold_decision")] == [
        (DeadlineStatus.RUNNING, london(2027, 1, 11, 17, 0))
    ]


def test_the_panel_asking_for_information_does_not_restart_the_screening_clock(time_machine):
    referral = referral_at(time_machine, london(2026, 12, 23, 11, 0), state=S.AWAITING_PANEL)
    referral = _panel_asks_and_school_answers(time_machine, referral)

    [screening] = deadlines(referral, "screening_decision")
    assert (screening.status, screening.on_time) == (DeadlineStatus.MET, True)


def test_withdrawing_while_the_panel_waits_for_an_answer_cancels_the_panel_clock(time_machine):
    referral = referral_at(time_machine, london(2026, 12, 23, 11, 0), state=S.AWAITING_PANEL)
    people = referral.people
    time_machine.move_to(london(2026, 12, 30, 10, 0), tick=False)
    referral = services.referral_request_information(
        referral=referral, by=people["panel_member"], message="Who else is involved?"
    )
    time_machine.move_to(london(2027, 1, 4, 10, 0), tick=False)
    services.referral_withdraw(
        referral=referral, by=people["dsl"], reason="Handled by the school's trust."
    )

    [deadline] = deadlines(referral, "panel_threshold_decision")
    assert deadline.status == DeadlineStatus.CANCELLED
    assert deadline.stop_reason == "Handled by the school's trust."
    assert len(deadlines(referral, "screening_decision")) == 1


# --- one running clock per subject -----------------------------------------------------------


def test_a_second_running_clock_of_the_same_kind_is_refused_by_the_database(time_machine):
    referral = referral_at(time_machine, london(2026, 12, 24, 10, 0))
    screening = timescale(referral.school.authority, "screening_decision")

    with pytest.raises(IntegrityError), transaction.atomic():
        clocks.start_clock(
            timescale=screening,
            case=referral,
            subject=referral,
            at=london(2026, 12, 24, 11, 0),
        )
    assert len(deadlines(referral, "screening_decision")) == 1


def test_a_new_clock_may_start_once_the_previous_one_has_stopped(time_machine):
    referral = referral_at(time_machine, london(2026, 12, 24, 10, 0))
    screening = timescale(referral.school.authority, "screening_decision")
    clocks.stop_clock(
        timescale=screening,
        subject=referral,
        to_state=S.WITHDRAWN,
        at=london(2026, 12, 24, 11, 0),
    )
    clocks.start_clock(
        timescale=screening, case=referral, subject=referral, at=london(2026, 12, 24, 12, 0)
    )
    assert [d.status for d in deadlines(referral, "screening_decision")] == [
        DeadlineStatus.CANCELLED,
        DeadlineStatus.RUNNING,
    ]


# --- an administrator's edit ---------------------------------------------------------------


def test_an_edited_period_changes_the_next_due_date_only_in_that_authority(time_machine):
    edited, untouched = LocalAuthorityFactory(), LocalAuthorityFactory()
    seed_timescales(edited)
    seed_timescales(untouched)
    screening = timescale(edited, "screening_decision")
    screening.period = 2
    screening.save()

    thursday = london(2026, 12, 24, 10, 0)
    in_edited = referral_at(time_machine, thursday, school=SchoolFactory(authority=edited))
    in_untouched = referral_at(time_machine, thursday, school=SchoolFactory(authority=untouched))

    # Two working days after Thursday 24 Dec: 29 and 30 Dec.
    assert clock(in_edited, "screening_decision").due_at == london(2026, 12, 30, 17, 0)
    assert clock(in_edited, "screening_decision").escalation_at == london(2026, 12, 31, 17, 0)
    assert clock(in_untouched, "screening_decision").due_at == london(2026, 12, 29, 17, 0)


def test_an_edit_does_not_move_a_clock_that_is_already_running(time_machine):
    referral = referral_at(time_machine, london(2026, 12, 24, 10, 0))
    screening = timescale(referral.school.authority, "screening_decision")
    screening.period = 2
    screening.save()
    assert clock(referral, "screening_decision").due_at == london(2026, 12, 29, 17, 0)


def test_an_edit_is_kept_in_the_timescales_history():
    authority = LocalAuthorityFactory()
    seed_timescales(authority)
    screening = timescale(authority, "screening_decision")
    screening.period = 2
    screening._change_reason = "Front door agreed two days"
    screening.save()

    latest = screening.history.latest()
    assert latest.period == 2
    assert latest.history_type == "~"
    assert latest.history_change_reason == "Front door agreed two days"


def test_the_history_shows_what_an_edit_replaced():
    authority = LocalAuthorityFactory()
    seed_timescales(authority)
    screening = timescale(authority, "screening_decision")
    screening.period = 2
    screening.save()

    periods = [h.period for h in screening.history.order_by("history_date", "history_id")]
    assert periods == [1, 2]
