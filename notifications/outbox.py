"""The outbox: every email is a Notification row, written in the transaction that causes it,
and delivered from here by a worker, never by the web request (docs/decisions/0004).

- `nudge()` asks a worker to drain once the transaction commits, and beat drains every
  minute, so a lost nudge (broker down, a crash before queueing) costs a minute, never a
  message. A broker that is down or hung never fails or holds up the request.
- `drain()` delivers due messages one at a time until none is left. Each message has its own
  transaction: it locks the row (SKIP LOCKED, so workers share the queue), marks it sent, and
  hands it to the email backend; the commit follows the server's acceptance at once. A worker
  that dies before the server accepts rolls the mark back, and the next drain sends it; one
  that dies between the server's acceptance and the commit sends it twice, with the same
  Message-ID, so the receiving system can drop the copy.
- Each message has its own outcome. Sent; not sent (nobody to send to, or a reminder whose
  deadline was met before it went); a temporary failure, retried with back-off; a permanent
  failure (a refused address), marked failed with its reason and told to the authority's
  duty managers. One bad address never holds up the others.

The email backend is Django's (`EMAIL_BACKEND`, SMTP by default). A backend for another
service (GOV.UK Notify) raises `PermanentFailure` for a refusal that retrying cannot fix and
`TemporaryFailure` for one that may pass; SMTP's own errors are read by their reply codes.
"""

import contextlib
import datetime as dt
import logging
import smtplib
import time
from collections import Counter

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.utils import timezone

from accounts.models import (
    AuthorityMembership,
    AuthorityRole,
    ContextPanel,
    School,
    Team,
)
from notifications.models import DeadlineStatus, Notification

log = logging.getLogger(__name__)

Email = Notification.Email
SENT, NOT_SENT, FAILED = "sent", "not_sent", "failed"
RETRY, UNAVAILABLE = "retry", "unavailable"  # outcomes that leave the message pending
MAX_ATTEMPTS = 10  # back-off 1, 2, 4 ... 60 minutes: about four hours before giving up
UNDELIVERED = "undelivered"  # the stage of the duty managers' notice of a failed email
CLOCK_STAGES = {"reminder", "alert", "escalation"}


class PermanentFailure(Exception):
    """A backend's refusal of one message that retrying cannot fix."""


class TemporaryFailure(Exception):
    """A backend's failure for one message that may pass if tried later."""


def write(*, user_ids, title: str, body: str, url: str, kind: str) -> None:
    """One message (an inbox row, and its email in the outbox) for each of these people, in
    the caller's transaction, and a nudge for after it commits."""
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            user_id=user_id, stage=kind, title=title[:200], body=body, url=url, created_at=now
        )
        for user_id in sorted(set(user_ids))
    )
    nudge()


def nudge() -> None:
    """Once the current transaction commits, ask a worker to drain the outbox."""
    transaction.on_commit(_queue_drain, robust=True)


def _queue_drain() -> None:
    from notifications.tasks import drain_outbox

    try:
        # No retries, short socket timeouts (settings): a broker that is down or hung costs
        # at most the beat's next minute, not the request that caused the message.
        drain_outbox.apply_async(retry=False)
    except Exception:  # noqa: BLE001 - the rows are safe; beat drains them
        log.warning("outbox: could not queue a drain; beat's next drain sends", exc_info=True)


def drain(*, seconds: float | None = None) -> Counter:
    """Deliver every due message (or stop after `seconds`); returns outcomes by kind.
    Stops early when the email server cannot be reached: the rest wait for the next drain."""
    started = time.monotonic()
    outcomes: Counter = Counter()
    connection = get_connection()
    try:
        with _lease():
            while seconds is None or time.monotonic() - started < seconds:
                try:
                    connection.open()  # before locking anything: a server that is down costs no row
                except Exception as exc:  # noqa: BLE001 - any failure to connect means "later"
                    log.warning("outbox: email server unavailable: %s", exc)
                    outcomes[UNAVAILABLE] += 1
                    break
                outcome = deliver_next(connection)
                if outcome is None:
                    break
                outcomes[outcome] += 1
                if outcome == UNAVAILABLE:
                    break
    finally:
        _close(connection)
    return outcomes


def deliver_next(connection) -> str | None:
    """Deliver the most overdue message nobody else is delivering; None when there is none."""
    now = timezone.now()
    with transaction.atomic():
        message = (
            Notification.objects.filter(email_status=Email.PENDING, email_next_attempt_at__lte=now)
            .select_related("user")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("email_next_attempt_at", "pk")
            .first()
        )
        if message is None:
            return None
        reason = _reason_not_to_send(message)
        if reason:
            _record(message, status=Email.NOT_SENT, error=reason)
            return NOT_SENT
        email = _email(message, connection)
        # Marked sent first, in this transaction: the mark commits only if the server
        # accepts, and the commit is the next thing that happens.
        _record(message, status=Email.SENT, emailed_at=now, attempts=message.email_attempts + 1)
        try:
            connection.send_messages([email])
        except Exception as exc:  # noqa: BLE001 - every failure is this message's outcome
            _close(connection)  # whatever state the session is in, the next send starts afresh
            return _failed(message, exc, now)
    return SENT


@contextlib.contextmanager
def _lease():
    """While a worker drains, PostgreSQL ends its session if it freezes for a minute (longer
    than EMAIL_TIMEOUT) in the middle of a message, which releases the row to another."""
    if db_connection.vendor != "postgresql" or db_connection.in_atomic_block:
        yield  # inside a caller's transaction (a test), the caller's settings stand
        return
    with db_connection.cursor() as cursor:
        cursor.execute("SET idle_in_transaction_session_timeout = '60s'")
    try:
        yield
    finally:
        with contextlib.suppress(Exception), db_connection.cursor() as cursor:
            cursor.execute("RESET idle_in_transaction_session_timeout")


def _reason_not_to_send(message: Notification) -> str:
    if not message.user.is_active or not message.user.email:
        return "The person has no active account with an email address."
    if message.stage in CLOCK_STAGES and message.deadline_id:
        deadline = message.deadline  # read only for the messages a clock sent
        if deadline.status != DeadlineStatus.RUNNING:
            return f"The deadline was {deadline.get_status_display().lower()} before it went."
    return ""


def _email(message: Notification, connection) -> EmailMessage:
    link = f"{settings.SITE_URL}{message.url}" if message.url else settings.SITE_URL
    return EmailMessage(
        subject=message.title,
        body=f"{message.body}\n\n{link}\n\nThis message is also in your inbox.",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.user.email],
        headers={"Message-ID": message.message_id},
        connection=connection,
    )


def classify(exc: Exception) -> str:
    """FAILED (retrying cannot help), RETRY (this message, later) or UNAVAILABLE (the server:
    stop this drain)."""
    if isinstance(exc, PermanentFailure):
        return FAILED
    if isinstance(exc, TemporaryFailure):
        return RETRY
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return FAILED if codes and all(code >= 500 for code in codes) else RETRY
    if isinstance(exc, smtplib.SMTPResponseException):  # sender or data refused, and others
        return FAILED if exc.smtp_code >= 500 else RETRY
    return UNAVAILABLE  # disconnected, refused connection, timeout: the server, not the message


def _failed(message: Notification, exc: Exception, now: dt.datetime) -> str:
    kind = classify(exc)
    attempts = message.email_attempts + 1
    error = f"{exc.__class__.__name__}: {exc}"[:1000]
    if kind != FAILED and attempts >= MAX_ATTEMPTS:
        kind, error = FAILED, f"Gave up after {attempts} attempts. Last: {error}"
    if kind == FAILED:
        _record(message, status=Email.FAILED, error=error, attempts=attempts, emailed_at=None)
        _tell_duty_managers(message, error)
        log.warning("outbox: message %s failed: %s", message.pk, error)
    else:
        backoff = dt.timedelta(minutes=min(60, 2 ** (attempts - 1)))
        _record(
            message,
            status=Email.PENDING,
            error=error,
            attempts=attempts,
            emailed_at=None,
            next_attempt_at=now + backoff,
        )
    return kind


_UNSET = object()


def _record(
    message: Notification,
    *,
    status: str,
    error: str = "",
    attempts: int | None = None,
    emailed_at=_UNSET,
    next_attempt_at=_UNSET,
) -> None:
    # Delivery bookkeeping on the outbox row, not case data: one statement.
    fields = {"email_status": status, "email_error": error}
    if attempts is not None:
        fields["email_attempts"] = attempts
    if emailed_at is not _UNSET:
        fields["emailed_at"] = emailed_at
    if next_attempt_at is not _UNSET:
        fields["email_next_attempt_at"] = next_attempt_at
    Notification.objects.filter(pk=message.pk).update(**fields)


def _tell_duty_managers(message: Notification, error: str) -> None:
    """An inbox message (and email) to the duty managers of the recipient's authorities, in
    the failure's transaction. A failed notice is not itself reported again."""
    if message.stage == UNDELIVERED:
        return
    recipient = message.user
    title = f"Email not delivered to {recipient.full_name}: {message.title}"[:200]
    body = (
        f"The email to {recipient.full_name} ({recipient.email}) could not be delivered. "
        f"{error}\n\nThe message is still in their inbox. If it is urgent, tell them another "
        "way; ask an administrator to correct the address, then try again."
    )
    write(
        user_ids=duty_managers_for(message) - {recipient.pk},
        title=title,
        body=body,
        url="/inbox/undelivered/",
        kind=UNDELIVERED,
    )


def authority_ids_of(user_id: int) -> set[int]:
    """The authorities a person works in, through any of their memberships."""
    ids = set(
        AuthorityMembership.objects.filter(user_id=user_id).values_list("authority_id", flat=True)
    )
    ids |= set(
        School.objects.filter(memberships__user_id=user_id).values_list("authority_id", flat=True)
    )
    ids |= set(
        Team.objects.filter(memberships__user_id=user_id).values_list("authority_id", flat=True)
    )
    ids |= set(
        ContextPanel.objects.filter(memberships__user_id=user_id).values_list(
            "authority_id", flat=True
        )
    )
    return ids


def duty_managers_for(message: Notification) -> set[int]:
    authorities = authority_ids_of(message.user_id)
    if message.deadline is not None:
        authorities.add(message.deadline.authority_id)
    return set(
        AuthorityMembership.objects.filter(
            authority_id__in=authorities, role=AuthorityRole.DUTY_MANAGER
        ).values_list("user_id", flat=True)
    )


def _close(connection) -> None:
    with contextlib.suppress(Exception):  # a broken session is closed as far as it can be
        connection.close()


def has_due() -> bool:
    return Notification.objects.filter(
        email_status=Email.PENDING, email_next_attempt_at__lte=timezone.now()
    ).exists()
