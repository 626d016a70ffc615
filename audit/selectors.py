"""What a data protection officer reads: the logs of their authorities, never case content.
A read row says who opened which case (by reference) on which page, and when."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import SecurityEvent, User
from accounts.roles import Roles
from referrals.models import CaseAccessLog, ExportLog


@dataclass(frozen=True)
class LogFilters:
    person: str = ""
    reference: str = ""
    kind: str = ""
    start: dt.date | None = None
    end: dt.date | None = None  # included


def _authorities(user: User) -> frozenset[int]:
    return Roles.for_user(user).data_protection_authority_ids


def _between(rows: QuerySet, filters: LogFilters) -> QuerySet:
    # Whole London days, as datetimes, so the index on `at` is used.
    zone = timezone.get_current_timezone()
    if filters.start:
        rows = rows.filter(at__gte=dt.datetime.combine(filters.start, dt.time.min, zone))
    if filters.end:
        after = filters.end + dt.timedelta(days=1)
        rows = rows.filter(at__lt=dt.datetime.combine(after, dt.time.min, zone))
    return rows


def _named(prefix: str, text: str) -> Q:
    return Q(**{f"{prefix}full_name__icontains": text}) | Q(**{f"{prefix}email__icontains": text})


def case_reads(user: User, filters: LogFilters) -> QuerySet[CaseAccessLog]:
    rows = CaseAccessLog.objects.filter(authority__in=_authorities(user)).select_related("user")
    if filters.person:
        rows = rows.filter(_named("user__", filters.person))
    if filters.reference:
        rows = rows.filter(reference__iexact=filters.reference.strip())
    return _between(rows, filters).order_by("-at", "-pk")


def security_events(user: User, filters: LogFilters) -> QuerySet[SecurityEvent]:
    rows = SecurityEvent.objects.filter(authority__in=_authorities(user))
    if filters.person:
        text = filters.person
        rows = rows.filter(Q(subject_name__icontains=text) | Q(actor_name__icontains=text))
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    return _between(rows, filters).order_by("-at", "-pk")


def exports(user: User, filters: LogFilters) -> QuerySet[ExportLog]:
    rows = ExportLog.objects.filter(user__authority__in=_authorities(user)).select_related("user")
    if filters.person:
        rows = rows.filter(_named("user__", filters.person))
    return _between(rows, filters).order_by("-at", "-pk")
