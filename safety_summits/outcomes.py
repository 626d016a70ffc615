"""What the meeting found and agreed, marking it held (its actions become the case plan) and
sending the safety plan. With safety_summits.services, the public write API of a meeting;
the same runner (through safety_summits.write), rules and transaction discipline."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from casework.errors import Incomplete, NotAllowed
from notifications.services import notify_people
from safety_summits.choices import About, MeetingState, peer_group_name
from safety_summits.models import Discussion, MeetingAction, SchoolPartnershipMeeting
from safety_summits.selectors import attendee_choices, visible
from safety_summits.write import (
    action_problems,
    actions_into_plan,
    check_runner,
    clean,
    edit,
    transition,
)

M = MeetingState


def _check_recording(by, current):
    check_runner(by, current)
    if current.state != M.SCHEDULED:
        raise NotAllowed(
            f"A meeting that is “{current.get_state_display()}” cannot have its record changed."
        )


def _record_edit(meeting, *, by, change, reason, expected_version):
    return edit(
        meeting,
        by=by,
        change=change,
        reason=reason,
        expected_version=expected_version,
        check=_check_recording,
    )


def discussion_add(
    *,
    meeting: SchoolPartnershipMeeting,
    by,
    about: str,
    name: str,
    concerns: str = "",
    strengths: str = "",
    expected_version: int | None = None,
):
    """Concerns and strengths about one peer group (identifiers or initials only) or one
    place or online space."""
    name = (name or "").strip()
    problems = {}
    if about not in About.values:
        problems["about"] = ["Select whether this is about a peer group or a place"]
    if not name:
        problems["name"] = ["Name the peer group (identifiers or initials) or the place"]
    elif about == About.PEER_GROUP:
        try:
            peer_group_name(name)
        except ValidationError as exc:
            problems["name"] = exc.messages
    if not ((concerns or "").strip() or (strengths or "").strip()):
        problems["concerns"] = ["Enter the concerns, the strengths, or both"]
    if problems:
        raise Incomplete("This cannot be added yet", problems)

    def add(current):
        row = Discussion(
            meeting=current,
            about=about,
            name=name,
            concerns=(concerns or "").strip(),
            strengths=(strengths or "").strip(),
            added_by=by,
        )
        clean(row, exclude=["added_by"])
        row._history_user = by
        row.save()

    return _record_edit(
        meeting, by=by, change=add, reason=f"recorded {name}", expected_version=expected_version
    )


def action_add(
    *,
    meeting: SchoolPartnershipMeeting,
    by,
    what: str,
    why: str,
    due_on: dt.date | None,
    owner=None,
    owner_contact: str = "",
    expected_version: int | None = None,
):
    """An action the meeting agreed: what, why, who (a person with an account, or a named
    contact without one) and by when. It joins the case plan when the meeting is held."""
    problems = action_problems(
        what=what, why=why, owner=owner, owner_contact=owner_contact, due_on=due_on
    )
    if problems:
        raise Incomplete("The action cannot be added yet", problems)

    def add(current):
        row = MeetingAction(
            meeting=current,
            what=what.strip(),
            why=why.strip(),
            owner=owner,
            owner_contact="" if owner else owner_contact.strip(),
            due_on=due_on,
            added_by=by,
        )
        clean(row, exclude=["added_by", "plan_action"])
        row._history_user = by
        row.save()

    return _record_edit(
        meeting,
        by=by,
        change=add,
        reason=f"action agreed: {what.strip()}"[:100],
        expected_version=expected_version,
    )


def item_remove(
    *, meeting: SchoolPartnershipMeeting, by, kind: str, item_id: int, expected_version=None
):
    """Remove a discussion or an action recorded by mistake, before the meeting is held."""
    model = {"discussions": Discussion, "actions": MeetingAction}[kind]

    def remove(current):
        row = model.objects.filter(meeting=current, pk=item_id).first()
        if row is None:
            raise NotAllowed("That is not part of this meeting's record.")
        row._history_user = by
        row.delete()

    return _record_edit(
        meeting,
        by=by,
        change=remove,
        reason=f"removed from {kind}",
        expected_version=expected_version,
    )


def _terms_problems(version: str, agreed_on: dt.date | None, agreed_by: str) -> dict:
    problems = {}
    if not version:
        problems["terms_version"] = [
            "Enter the version of the terms of reference and information-sharing agreement"
        ]
    elif len(version) > 100:
        problems["terms_version"] = ["Enter the version in 100 characters or fewer"]
    if agreed_on is None:
        problems["terms_agreed_on"] = ["Enter the date the terms were agreed"]
    elif agreed_on > timezone.localdate():
        problems["terms_agreed_on"] = [
            "The date the terms were agreed must be today or in the past"
        ]
    if not agreed_by:
        problems["terms_agreed_by"] = ["Enter who agreed the terms: their names and organisations"]
    elif len(agreed_by) > 2000:
        problems["terms_agreed_by"] = ["Enter who agreed the terms in 2000 characters or fewer"]
    return problems


def meeting_hold(
    *,
    meeting: SchoolPartnershipMeeting,
    by,
    attendees: list,
    other_attendees: str = "",
    terms_agreed: bool = False,
    terms_version: str = "",
    terms_agreed_on: dt.date | None = None,
    terms_agreed_by: str = "",
    notes: str = "",
    without_document_reason: str = "",
    expected_version: int | None = None,
) -> SchoolPartnershipMeeting:
    """scheduled -> held, once it has taken place: attendance, the terms of reference and
    information-sharing agreement the attendees work under (which version, agreed when and
    by whom), what it found and agreed. Without the school's pre-meeting document only with
    a recorded reason. Its actions become the case plan (the plan-agreed clock starts); the
    safety-plan clock starts."""
    eligible = {person.pk for person in attendee_choices(meeting.referral)}
    terms_version = (terms_version or "").strip()
    terms_agreed_by = (terms_agreed_by or "").strip()

    def check(current):
        problems = {}
        if current.starts_at is None or current.starts_at > timezone.now():
            problems["attendees"] = ["The meeting has not taken place yet: it cannot be held"]
        if not attendees:
            problems["attendees"] = ["Select who attended"]
        elif any(person.pk not in eligible for person in attendees):
            problems["attendees"] = ["Choose attendees from the list"]
        if not terms_agreed:
            problems["terms_agreed"] = [
                "Confirm the terms of reference and information-sharing agreement were agreed"
            ]
        problems.update(_terms_problems(terms_version, terms_agreed_on, terms_agreed_by))
        if not current.has_pre_meeting_document and not (without_document_reason or "").strip():
            problems["without_document_reason"] = [
                "The school has not completed its pre-meeting document: say why the meeting "
                "went ahead without it"
            ]
        if not current.discussions.exists():
            problems["discussions"] = ["Record the concerns and strengths of a peer group or place"]
        if not current.actions.exists():
            problems["actions"] = ["Record at least one action for the safety plan"]
        if problems:
            raise Incomplete("The meeting cannot be marked held yet", problems)
        current.held_at = timezone.now()
        current.terms_agreed = True
        current.terms_version = terms_version
        current.terms_agreed_on = terms_agreed_on
        current.terms_agreed_by = terms_agreed_by
        current.other_attendees = (other_attendees or "").strip()
        current.notes = (notes or "").strip()
        current.without_document_reason = (
            "" if current.has_pre_meeting_document else without_document_reason.strip()
        )
        clean(current)

    def into_the_plan(current):
        current.attendees.set(attendees)
        actions_into_plan(
            current,
            by=by,
            reason="The School Partnership Meeting was held: agree the plan with the school",
        )

    return transition(
        meeting,
        name="hold",
        by=by,
        reason="Meeting held",
        expected_version=expected_version,
        before=check,
        after=into_the_plan,
    )


def meeting_distribute(
    *, meeting: SchoolPartnershipMeeting, by, expected_version: int | None = None
):
    """held -> plan distributed: the safety plan (its PDF on the meeting's page) goes to the
    attendees with accounts who may open it; the safety-plan clock is met."""

    def readers(current) -> list[int]:
        return [p.pk for p in current.attendees.all() if visible(p).filter(pk=current.pk)]

    def stamp(current):
        # Sent to nobody is not distributed: the clock stays running and the lead is told why.
        if not readers(current):
            raise NotAllowed(
                "Nobody who attended with an account can open the safety plan now, so it "
                "cannot be sent from here."
            )
        current.distributed_at = timezone.now()
        current.distributed_by = by

    def send(current):
        people = readers(current)
        notify_people(
            user_ids=people,
            title=f"Safety plan from the School Partnership Meeting ({current.referral})",
            body=f"The safety plan and notes of the meeting for {current.referral.school.name} "
            "are ready: read them, or download the PDF, on the meeting's page.",
            url=current.get_absolute_url(),
            kind="meeting",
        )

    with transaction.atomic():
        return transition(
            meeting,
            name="distribute_plan",
            by=by,
            reason="Safety plan distributed",
            expected_version=expected_version,
            before=stamp,
            after=send,
        )
