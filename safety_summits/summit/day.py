"""The record of the summit's day: which practitioners came, how many young people of each
school took part (numbers only), the safety map and what young people said, and the next
steps agreed; then marked held (the next steps become the case plan). Every write goes
through safety_summits.write (the one runner)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import School
from casework.errors import Incomplete, NotAllowed
from referrals.pupil_counts import pupil_count_problems
from safety_summits.summit.choices import PlaceKind, Question, SummitState
from safety_summits.summit.models import (
    SafetyMapPlace,
    SafetySummit,
    SummitAction,
    SummitTurnout,
    SummitVoice,
)
from safety_summits.summit.services import school_ids
from safety_summits.write import (
    action_problems,
    actions_into_plan,
    check_runner,
    clean,
    edit,
    transition,
)

S = SummitState
MAX_YOUNG_PEOPLE = 5000  # a summit of several schools: more than this is a typing slip


def _check_recording(by, current):
    check_runner(by, current)
    if current.state != S.SCHEDULED:
        raise NotAllowed(
            f"A summit that is “{current.get_state_display()}” cannot have its record changed."
        )


def _school(summit, school, problems, field="school"):
    if school is None or school.pk not in school_ids(summit):
        problems[field] = ["Choose one of the schools invited to the summit"]


def _record(summit, *, by, change, reason, expected_version):
    return edit(
        summit,
        by=by,
        change=change,
        reason=reason,
        expected_version=expected_version,
        check=_check_recording,
    )


def _save_row(row, by):
    clean(row, exclude=["added_by"])
    row._history_user = by
    row.save()


def turnout_save(
    *,
    summit: SafetySummit,
    by,
    school: School | None,
    counts: dict,
    expected_version: int | None = None,
) -> SafetySummit:
    """How many young people of one school took part, by year group, gender and SEND:
    numbers only, never names. The numbers by gender add up to the total by year group; SEND
    is no more than the total. Saving again replaces that school's numbers."""
    problems = {}
    _school(summit, school, problems)
    by_year = {k: int(v) for k, v in (counts.get("pupils_by_year") or {}).items() if v}
    values = {name: counts.get(name) for name in _COUNT_FIELDS}
    if any(v is not None and int(v) < 0 for v in [*by_year.values(), *values.values()]):
        problems["pupils_female"] = ["Numbers cannot be negative"]
    total = sum(by_year.values())
    if not total:
        problems["year_groups"] = ["Enter how many young people of each year group took part"]
    elif total > MAX_YOUNG_PEOPLE:
        problems["year_groups"] = [f"Enter {MAX_YOUNG_PEOPLE} young people or fewer"]
    if problems:
        raise Incomplete("The numbers cannot be saved yet", problems)
    row = SummitTurnout(summit=summit, school=school, pupils_by_year=by_year, **values)
    problems = pupil_count_problems(row)
    if problems:
        raise Incomplete("The numbers do not add up", problems)

    def save(current):
        existing = current.turnouts.filter(school=school).first()
        if existing is not None:
            existing._history_user = by
            existing.delete()
        row.summit, row.added_by = current, by
        _save_row(row, by)

    return _record(
        summit,
        by=by,
        change=save,
        reason=f"young people from {school.name} counted",
        expected_version=expected_version,
    )


_COUNT_FIELDS = [
    "pupils_female",
    "pupils_male",
    "pupils_other_gender",
    "pupils_gender_not_known",
    "pupils_send",
]


def place_add(
    *,
    summit: SafetySummit,
    by,
    school: School | None,
    kind: str,
    name: str,
    safe_count: int | None,
    unsafe_count: int | None,
    suggestions: str = "",
    expected_version: int | None = None,
) -> SafetySummit:
    """A place young people of one school marked on the safety map: how many said it feels
    safe and how many unsafe (no more, together, than the young people of that school who
    took part), with their suggestions to make it safer."""
    problems = {}
    _school(summit, school, problems)
    if kind not in PlaceKind.values:
        problems["kind"] = ["Select what kind of place it is"]
    if not (name or "").strip():
        problems["name"] = ["Name the place, space or platform"]
    safe, unsafe = safe_count or 0, unsafe_count or 0
    if safe < 0 or unsafe < 0:
        problems["safe_count"] = ["Numbers cannot be negative"]
    elif not (safe or unsafe):
        problems["safe_count"] = ["Enter how many young people marked it safe, unsafe, or both"]
    if not problems:
        turnout = summit.turnouts.filter(school=school).first()
        if turnout is None:
            problems["school"] = [
                f"Record how many young people from {school.name} took part first"
            ]
        elif safe + unsafe > turnout.total:
            problems["safe_count"] = [
                f"{safe + unsafe} marks, but {turnout.total} young people from "
                f"{school.name} took part: they cannot be more"
            ]
    if problems:
        raise Incomplete("The place cannot be added yet", problems)

    def add(current):
        _save_row(
            SafetyMapPlace(
                summit=current,
                school=school,
                kind=kind,
                name=name.strip(),
                safe_count=safe,
                unsafe_count=unsafe,
                suggestions=(suggestions or "").strip(),
                added_by=by,
            ),
            by,
        )

    return _record(
        summit,
        by=by,
        change=add,
        reason=f"safety map: {name.strip()}"[:100],
        expected_version=expected_version,
    )


def voice_add(
    *,
    summit: SafetySummit,
    by,
    school: School | None,
    question: str,
    said: str,
    expected_version: int | None = None,
) -> SafetySummit:
    """What young people of one school said in answer to one question, never who said it."""
    problems = {}
    _school(summit, school, problems)
    if question not in Question.values:
        problems["question"] = ["Select the question"]
    if not (said or "").strip():
        problems["said"] = ["Enter what young people said"]
    if problems:
        raise Incomplete("This cannot be added yet", problems)

    def add(current):
        _save_row(
            SummitVoice(
                summit=current, school=school, question=question, said=said.strip(), added_by=by
            ),
            by,
        )

    return _record(
        summit,
        by=by,
        change=add,
        reason="what young people said",
        expected_version=expected_version,
    )


def action_add(
    *,
    summit: SafetySummit,
    by,
    what: str,
    why: str,
    due_on: dt.date | None,
    owner=None,
    owner_contact: str = "",
    school: School | None = None,
    expected_version: int | None = None,
) -> SafetySummit:
    """A next step: what, why, who (a person with an account, or a named contact) and by
    when, for every school or one of them. It joins the case plan when the summit is held."""
    problems = action_problems(
        what=what, why=why, owner=owner, owner_contact=owner_contact, due_on=due_on
    )
    if school is not None:
        _school(summit, school, problems)
    if problems:
        raise Incomplete("The action cannot be added yet", problems)

    def add(current):
        _save_row(
            SummitAction(
                summit=current,
                school=school,
                what=what.strip(),
                why=why.strip(),
                owner=owner,
                owner_contact="" if owner else owner_contact.strip(),
                due_on=due_on,
                added_by=by,
            ),
            by,
        )

    return _record(
        summit,
        by=by,
        change=add,
        reason=f"next step agreed: {what.strip()}"[:100],
        expected_version=expected_version,
    )


PARTS = {
    "turnouts": SummitTurnout,
    "places": SafetyMapPlace,
    "voices": SummitVoice,
    "actions": SummitAction,
}


def item_remove(
    *, summit: SafetySummit, by, kind: str, item_id: int, expected_version: int | None = None
) -> SafetySummit:
    """Remove a row recorded by mistake, before the summit is marked held."""
    model = PARTS[kind]

    def remove(current):
        row = model.objects.filter(summit=current, pk=item_id).first()
        if row is None:
            raise NotAllowed("That is not part of this summit's record.")
        if kind == "turnouts" and current.places.filter(school_id=row.school_id).exists():
            raise NotAllowed(
                "Remove that school's places on the safety map first: they count its young people."
            )
        row._history_user = by
        row.delete()

    return _record(
        summit,
        by=by,
        change=remove,
        reason=f"removed from {kind}",
        expected_version=expected_version,
    )


def summit_hold(
    *,
    summit: SafetySummit,
    by,
    attended: list[int],
    other_attendees: str = "",
    notes: str = "",
    expected_version: int | None = None,
) -> SafetySummit:
    """scheduled -> held, once it has taken place: who came, and a record of the day (young
    people counted, the safety map or what they said, at least one next step). The next
    steps become the case plan (the plan-agreed clock starts); the summit-held clock is
    met."""

    def check(current):
        problems = {}
        invited = set(current.invitees.values_list("pk", flat=True))
        if current.starts_at is None or current.starts_at > timezone.now():
            problems["attended"] = ["The summit has not taken place yet: it cannot be held"]
        elif not attended and not (other_attendees or "").strip():
            problems["attended"] = ["Select the practitioners who came, or name them"]
        elif any(pk not in invited for pk in attended):
            problems["attended"] = ["Choose practitioners from the list"]
        if not current.turnouts.exists():
            problems["turnouts"] = ["Record how many young people took part"]
        if not (current.places.exists() or current.voices.exists()):
            problems["places"] = ["Record the safety map or what young people said"]
        if not current.actions.exists():
            problems["actions"] = ["Agree at least one next step"]
        if problems:
            raise Incomplete("The summit cannot be marked held yet", problems)
        current.held_at = timezone.now()
        current.other_attendees = (other_attendees or "").strip()
        current.notes = (notes or "").strip()
        clean(current)

    def into_the_plan(current):
        for invitee in current.invitees.all():  # a few rows; each change kept in history
            came = invitee.pk in attended
            if invitee.attended != came:
                invitee.attended = came
                invitee._history_user = by
                invitee.save(update_fields=["attended"])
        actions_into_plan(
            current,
            by=by,
            reason="The Student Safety Summit was held: agree its next steps as the plan",
        )

    with transaction.atomic():
        return transition(
            summit,
            name="hold",
            by=by,
            reason="Summit held",
            expected_version=expected_version,
            before=check,
            after=into_the_plan,
        )
