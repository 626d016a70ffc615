"""Every write to a referral. Each function checks who may act and runs its change through
the one runner (casework.runner), which locks, checks the version, runs the FSM transition,
records who/when/why and saves, in one transaction. Views, commands and tasks call these;
nothing else sets state."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from casework import pathways
from casework.errors import Incomplete, NotAllowed
from casework.runner import ITSELF, locked, record_transition_run, save_version
from notifications import clocks
from referrals import notify
from referrals.choices import ENDED_STATES, ReferralState
from referrals.completeness import missing_answers
from referrals.models import (
    InformationRequest,
    LinkedChild,
    ReferenceSequence,
    SchoolReferral,
)
from referrals.permissions import may
from referrals.pupil_counts import pupil_count_problems
from referrals.risks.services import clocks_kept, risks_on_submit

CONTENT_FIELDS = [
    "concern_types",
    "concern_other",
    "incident_description",
    "patterns",
    "places",
    "places_other",
    "pupils_by_year",
    "pupils_female",
    "pupils_male",
    "pupils_other_gender",
    "pupils_gender_not_known",
    "pupils_send",
    "actions_taken",
    "actions_detail",
    "young_people_views",
    "information_sharing_basis",
    "information_sharing_detail",
]


def _may(action, refusal="You do not have permission to do that to this referral."):
    """A runner `check`: refuse a person who may not take `action` on the current copy."""

    def check(by, current):
        if not may(by, action, current):
            raise NotAllowed(refusal)

    return check


def run_transition(
    referral, *, name, action, by, reason="", expected_version=None, before=None, after=None
):
    """Run one FSM transition of the referral through the one runner (casework.runner), with
    `may(by, action, ...)` as its check. Other apps' services (the panel's decision) use this.
    A transition into an end state runs the one "case ended" hook: the pathway apps stop their
    open records (each with its own record and reason), then any clock still running stops."""

    def then(current):
        if after:
            after(current)
        if current.state in ENDED_STATES:
            pathways.case_ended(referral=current, by=by, reason=reason or name)
            _stop_clocks(current, reason=reason or name)

    return record_transition_run(
        referral,
        name=name,
        by=by,
        case=ITSELF,
        reason=reason,
        expected_version=expected_version,
        check=_may(action),
        before=before,
        after=then,
        noun="referral",
        related=("school",),
    )


def _stop_clocks(case, *, reason):
    """Every clock of the ended case stops, except those of records that outlive it: an
    open risk assessment after a redirect (risks.clocks_kept), whose clocks the school's
    DSLs now own."""
    clocks.case_ended(case=case, at=timezone.now(), reason=reason, keep=clocks_kept(case))


def _require_reason(reason, what="a reason"):
    reason = (reason or "").strip()
    if not reason:
        raise Incomplete(f"Enter {what}", {"reason": f"Enter {what}"})
    return reason


# --- the DSL ----------------------------------------------------------------------------


def referral_start(*, school, by):
    """A DSL starts a draft referral for one of their schools."""
    probe = SchoolReferral(school=school, created_by=by)
    if not may(by, "edit_draft", probe):
        raise NotAllowed(
            "You do not have permission to refer this school: only its designated "
            "safeguarding leads can."
        )
    with transaction.atomic():
        probe._history_user = by
        probe._change_reason = "draft started"
        probe.save()
    return probe


def referral_update_draft(
    *, referral, by, data, indicators, linked_children, expected_version=None
):
    """Save the DSL's answers to a draft. `data` holds CONTENT_FIELDS; `linked_children`
    is a list of (case_system_id, initials)."""
    with transaction.atomic():
        current = locked(referral, expected_version, "referral", ("school",))
        if not may(by, "edit_draft", current):
            raise NotAllowed(
                "You do not have permission to edit this referral: only the school's "
                "designated safeguarding leads can."
            )
        if current.state != ReferralState.DRAFT:
            raise NotAllowed("This referral has been submitted and can no longer be edited.")
        for name in CONTENT_FIELDS:
            if name in data:
                setattr(current, name, data[name])
        problems = pupil_count_problems(current)
        try:
            current.full_clean(exclude=["state", "reference"])
        except ValidationError as exc:
            problems = {**exc.message_dict, **problems}
        if problems:
            raise Incomplete("Check your answers", problems)
        save_version(current, by=by, reason="draft saved", noun="referral")
        current.indicators.set(indicators)
        _replace_linked_children(current, linked_children, by=by)
    return current


def _replace_linked_children(referral, children, *, by):
    wanted = dict(children)
    for child in referral.linked_children.all():
        child._history_user = by
        if child.case_system_id not in wanted:
            child.delete()
            continue
        initials = wanted.pop(child.case_system_id)
        if child.initials != initials:
            child.initials = initials
            child.full_clean()
            child.save()
    for case_system_id, initials in wanted.items():
        child = LinkedChild(referral=referral, case_system_id=case_system_id, initials=initials)
        child.full_clean()
        child._history_user = by
        child.save()


def _issue_reference(referral):
    year = timezone.localtime().year
    for _attempt in range(3):
        try:
            with transaction.atomic():
                seq, _ = ReferenceSequence.objects.select_for_update().get_or_create(year=year)
                seq.last += 1
                seq.save()
                referral.reference = f"SR-{year}-{seq.last:05d}"
                return
        except IntegrityError:  # two first-of-the-year submissions raced to create the row
            continue
    raise RuntimeError("Could not issue a referral reference")


def referral_submit(*, referral, by, expected_version=None):
    def check_and_number(current):
        problems = missing_answers(current)
        if problems:
            raise Incomplete("Answer every required question before submitting", problems)
        _issue_reference(current)
        current.submitted_at = timezone.now()

    with transaction.atomic():
        current = run_transition(
            referral,
            name="submit",
            action="submit",
            by=by,
            reason="submitted by the school",
            expected_version=expected_version,
            before=check_and_number,
        )
        # Sexual violence and exploitation need their risk assessments from the start.
        risks_on_submit(referral=current, by=by)
    return current


def referral_withdraw(*, referral, by, reason, expected_version=None):
    reason = _require_reason(reason, "why the referral is being withdrawn")
    was = {}

    def note_where_it_was(current):
        was["state"] = current.state
        request = current.information_requests.filter(responded_at__isnull=True).first()
        was["asked_by_panel"] = (
            request is not None and request.requested_from_state == ReferralState.AWAITING_PANEL
        )
        was["asker_id"] = request.requested_by_id if request else None

    def tell(current):
        notify.withdrawn(
            current,
            by=by,
            reason=reason,
            from_state=was["state"],
            asked_by_panel=was["asked_by_panel"],
            asker_id=was["asker_id"],
        )

    return run_transition(
        referral,
        name="withdraw",
        action="withdraw",
        by=by,
        reason=reason,
        expected_version=expected_version,
        before=note_where_it_was,
        after=tell,
    )


def referral_provide_information(*, referral, by, response, expected_version=None):
    """The school answers the open request; the referral goes back to whoever asked."""
    response = _require_reason(response, "the information asked for")

    def check(by, current):
        _may(
            "provide_information",
            "You do not have permission to answer: only the school's designated "
            "safeguarding leads can.",
        )(by, current)
        if current.state != ReferralState.MORE_INFORMATION_REQUESTED:
            raise NotAllowed(
                f"A referral that is “{current.get_state_display()}” cannot do that now: "
                "no request for more information is waiting for an answer."
            )

    def open_request(current):
        return current.information_requests.get(responded_at__isnull=True)

    def back_to_asker(current):
        if open_request(current).requested_from_state == ReferralState.AWAITING_PANEL:
            return "provide_information_to_panel"
        return "provide_information_to_front_door"

    def answer(current):
        request = open_request(current)
        request.response = response
        request.responded_by = by
        request.responded_at = timezone.now()
        try:
            request.full_clean()
        except ValidationError as exc:
            raise Incomplete("Check your answer", {"reason": exc.message_dict["response"]}) from exc
        request._history_user = by
        request.save()
        notify.information_provided(current, request)

    return record_transition_run(
        referral,
        name=back_to_asker,
        by=by,
        case=ITSELF,
        reason=response,
        expected_version=expected_version,
        check=check,
        before=answer,
        noun="referral",
        related=("school",),
    )


# --- the front door ---------------------------------------------------------------------


def referral_start_screening(*, referral, by, expected_version=None):
    def claim(current):
        current.screened_by = by

    return run_transition(
        referral,
        name="start_screening",
        action="start_screening",
        by=by,
        reason="screening started",
        expected_version=expected_version,
        before=claim,
    )


def referral_accept_to_panel(*, referral, by, panel, reason, expected_version=None):
    reason = _require_reason(reason, "the reason for accepting this referral to a panel")
    if panel is None:
        raise Incomplete("Select a context panel", {"panel": "Select a context panel"})

    def route(current):
        if panel.authority_id != current.school.authority_id:
            raise NotAllowed("That context panel belongs to another local authority.")
        current.panel = panel
        current.screened_by = current.screened_by or by

    return run_transition(
        referral,
        name="accept_to_panel",
        action="accept_to_panel",
        by=by,
        reason=reason,
        expected_version=expected_version,
        before=route,
    )


def referral_request_information(*, referral, by, message, expected_version=None):
    message = _require_reason(message, "what information you need from the school")

    def open_request(current):
        request = InformationRequest(
            referral=current,
            requested_from_state=(
                ReferralState.AWAITING_PANEL
                if current.state == ReferralState.AWAITING_PANEL
                else ReferralState.SCREENING
            ),
            message=message,
            requested_by=by,
            requested_at=timezone.now(),
        )
        try:
            request.full_clean()
        except ValidationError as exc:
            raise Incomplete("Check your message", {"reason": exc.message_dict["message"]}) from exc
        request._history_user = by
        request.save()
        notify.information_requested(current, request)

    return run_transition(
        referral,
        name="request_information",
        action="request_information",
        by=by,
        reason=message,
        expected_version=expected_version,
        before=open_request,
    )


def referral_redirect(*, referral, by, reason, expected_version=None):
    reason = _require_reason(reason, "why this should be an individual child referral")
    return run_transition(
        referral,
        name="redirect",
        action="redirect",
        by=by,
        reason=reason,
        expected_version=expected_version,
        after=lambda current: notify.redirected(current, by=by, reason=reason),
    )


def case_work_start(*, referral, by, reason="Work on the pathway started"):
    """Mark a decided case as in progress when its pathway work begins (a pathway service
    calls this in its own transaction). A case already under way is left as it is."""
    if referral.state != ReferralState.DECIDED:
        return referral
    return run_transition(referral, name="start_work", action="start_work", by=by, reason=reason)
