"""The mechanics every write to a School Partnership Meeting shares (safety_summits.services
before the meeting, safety_summits.outcomes from it on): who runs the meeting, validation,
and the meeting's calls of the one runner (casework.runner)."""

from django.core.exceptions import ValidationError

from casework.errors import Incomplete, NotAllowed
from casework.runner import record_edit, record_transition_run
from safety_summits import permissions

RELATED = ("referral__school__authority",)
NOUN = "partnership meeting"


def check_runner(by, current):
    if not permissions.may_run(by, current):
        raise NotAllowed(
            "Only the meeting's lead and the case's allocated team can do that for this "
            "partnership meeting."
        )


def clean(instance, exclude=()):
    try:
        instance.full_clean(exclude=["state", *exclude])
    except ValidationError as exc:
        raise Incomplete("Check your answers", exc.message_dict) from exc


def require_reason(reason, field="reason", message="Enter the reason"):
    reason = (reason or "").strip()
    if not reason:
        raise Incomplete(message, {field: [message]})
    return reason


def transition(meeting, *, name, by, reason, expected_version=None, check=check_runner, **kw):
    return record_transition_run(
        meeting,
        name=name,
        by=by,
        case=meeting.referral,
        reason=reason,
        expected_version=expected_version,
        check=check,
        noun=NOUN,
        related=RELATED,
        **kw,
    )


def edit(meeting, *, by, change, reason, expected_version=None, check=check_runner):
    return record_edit(
        meeting,
        by=by,
        change=change,
        expected_version=expected_version,
        reason=reason,
        check=check,
        noun=NOUN,
        related=RELATED,
    )
