"""The security log: who changed who may do what, and who tried to sign in and failed.

`record` is the one writer of SecurityEvent. Changes an administrator makes to someone's
access (a role granted, changed or removed; a password set) are told, in the same
transaction, to the person concerned and to the authority's other administrators, who can
open the event on the configuration pages; the administrator who made the change is not
told of their own act."""

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse

from accounts.addresses import client_address
from accounts.models import AuthorityMembership, AuthorityRole, LocalAuthority, SecurityEvent, User
from audit.chain import append
from notifications.services import notify_people

Kind = SecurityEvent.Kind

# What an administrator does to someone else's access, and an account locked after failed
# sign-ins (accounts.signin): told to the person and to the (other) administrators. Sign-in
# failures and a person's own password change or reset are logged only.
TOLD = {
    Kind.ROLE_GRANTED,
    Kind.ROLE_CHANGED,
    Kind.ROLE_REMOVED,
    Kind.PASSWORD_SET,
    Kind.TWO_STEP_RESET,
    Kind.LOCKED_OUT,
}


def _address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return client_address(request)  # REMOTE_ADDR, or the forwarded one behind the proxies


def _name(user: User | None) -> str:
    return f"{user.full_name} <{user.email}>" if user is not None else ""


def record(
    kind: str,
    *,
    actor: User | None = None,
    subject: User | None = None,
    authority: LocalAuthority | None = None,
    request: HttpRequest | None = None,
    detail: str = "",
    subject_name: str = "",
) -> SecurityEvent:
    """Write one event (and, for a change to someone's access, tell who it concerns)."""
    if actor is not None and not actor.is_authenticated:
        actor = None
    if authority is None and subject is not None:
        authority = subject.authority
    with transaction.atomic():
        (event,) = append(
            [
                SecurityEvent(
                    kind=kind,
                    actor=actor,
                    actor_name=_name(actor),
                    subject=subject,
                    subject_name=subject_name or _name(subject),
                    authority=authority,
                    ip_address=_address(request),
                    detail=detail[:500],
                )
            ]
        )
        if kind in TOLD:
            _tell(event)
    return event


def administrators_of(authority_id: int) -> set[int]:
    return set(
        AuthorityMembership.objects.filter(
            authority_id=authority_id, role=AuthorityRole.ADMINISTRATOR, user__is_active=True
        ).values_list("user_id", flat=True)
    )


def _event_url(event: SecurityEvent) -> str:
    # The event's page in the security log (accounts.admin.SecurityEventAdmin).
    return reverse("admin:accounts_securityevent_change", args=[event.pk])


def _tell(event: SecurityEvent) -> None:
    by = event.actor_name or "the system"
    what = event.get_kind_display().lower()
    if event.subject_id is not None and event.subject_id != event.actor_id:
        notify_people(
            user_ids=[event.subject_id],
            title=f"Your access has changed: {what}",
            body=f"{event.detail}\nChanged by {by}. If you did not expect this, tell your "
            "manager or the service's administrators.",
            kind="security",
        )
    if event.authority_id is None:
        return
    others = administrators_of(event.authority_id) - {event.actor_id, event.subject_id}
    if others:
        notify_people(
            user_ids=others,
            title=f"Security: {what} for {event.subject_name}",
            body=f"{event.detail}\nBy {by}.",
            url=_event_url(event),
            kind="security",
        )
