"""The RAG digest: amber and red deadlines by owner, to the front door and each team, at the
configured times on working days (DESIGN section 4; the seed's "report 3 times a day")."""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import (
    AuthorityMembership,
    AuthorityRole,
    LocalAuthority,
    Team,
    TeamMembership,
    User,
)
from notifications import cases, outbox
from notifications.models import Deadline, DeadlineStatus, DigestRun, OwnerRole
from notifications.workdays import WorkingCalendar


def current_slot(now):
    """The latest digest time today at or before `now` (local), or None before the first."""
    local = timezone.localtime(now)
    slots = []
    for text in settings.DIGEST_TIMES:
        hours, minutes = (int(part) for part in text.split(":"))
        slots.append(
            timezone.make_aware(dt.datetime.combine(local.date(), dt.time(hours, minutes)))
        )
    due = [slot for slot in sorted(slots) if slot <= now]
    return due[-1] if due else None


def send_digests(now=None):
    now = now or timezone.now()
    slot = current_slot(now)
    if slot is None:
        return 0
    sent = 0
    for authority in LocalAuthority.objects.all():
        if not WorkingCalendar.for_authority(authority).is_working_day(slot.date()):
            continue
        running = list(
            Deadline.objects.filter(authority=authority, status=DeadlineStatus.RUNNING)
            .select_related("timescale", "owner")
            .order_by("due_at")
        )
        front_door = [d for d in running if d.owner_role == OwnerRole.FRONT_DOOR]
        fd_people = set(
            AuthorityMembership.objects.filter(
                authority=authority, role=AuthorityRole.FRONT_DOOR
            ).values_list("user_id", flat=True)
        )
        teams = {team.pk: team for team in Team.objects.filter(authority=authority)}
        members = defaultdict(set)
        for team_id, user_id in TeamMembership.objects.filter(team__in=teams).values_list(
            "team_id", "user_id"
        ):
            members[team_id].add(user_id)
        for team_id, team in teams.items():
            if team.is_front_door:
                fd_people |= members[team_id]
        audiences = [("front_door", "the front door", front_door, fd_people)]
        for team_id, team in teams.items():
            if not team.is_front_door:
                mine = [d for d in running if d.team_id == team_id]
                audiences.append((f"team:{team_id}", team.name, mine, members[team_id]))
        for audience, name, deadlines, people in audiences:
            sent += _send(authority, audience, name, deadlines, people, slot, now)
    return sent


def _send(authority, audience, name, deadlines, people, slot, now):
    """One digest run for this audience and slot. Each person's digest lists only the clocks
    of cases they may open (notifications.cases), so people who may read different cases
    get different digests."""
    if not people:
        return 0
    pairs = {(d.case_type_id, d.case_id) for d in deadlines}
    readers = defaultdict(list)  # the cases one may read -> who
    for user in User.objects.filter(pk__in=people, is_active=True).order_by("pk"):
        readers[frozenset(cases.readable_pairs(user, pairs))].append(user.pk)
    try:
        with transaction.atomic():
            DigestRun.objects.create(
                authority=authority,
                audience=audience,
                slot=slot,
                sent_at=now,
                items=sum(1 for d in deadlines if d.rag(now) in ("red", "amber")),
            )
            for readable, user_ids in readers.items():
                theirs = [d for d in deadlines if (d.case_type_id, d.case_id) in readable]
                title, body = _digest(name, slot, theirs, now)
                outbox.write(
                    user_ids=user_ids, title=title, body=body, url="/deadlines/team/", kind="digest"
                )
    except IntegrityError:  # this slot has already gone out to this audience
        return 0
    return sum(len(user_ids) for user_ids in readers.values())


def _digest(name, slot, deadlines, now):
    by_rag = defaultdict(list)
    for deadline in deadlines:
        by_rag[deadline.rag(now)].append(deadline)
    title = (
        f"RAG digest for {name}, {timezone.localtime(slot):%a %-d %b %H:%M}: "
        f"{len(by_rag['red'])} red, {len(by_rag['amber'])} amber, "
        f"{len(by_rag['green'])} green"
    )
    return title, _body(by_rag)


def _body(by_rag):
    lines = []
    for rag, heading in (("red", "RED (overdue)"), ("amber", "AMBER (due soon)")):
        lines.append(f"{heading}: {len(by_rag[rag])}")
        owners = defaultdict(list)
        for deadline in by_rag[rag]:
            owner = str(deadline.owner) if deadline.owner else deadline.get_owner_role_display()
            owners[owner].append(deadline)
        for owner, items in sorted(owners.items()):
            lines.append(f"  {owner}:")
            for d in items:
                due = timezone.localtime(d.due_at).strftime("%a %-d %b %H:%M")
                lines.append(
                    f"    - {d.timescale.name}, {d.case_label}, due {due}: "
                    f"{settings.SITE_URL}{d.case_url}"
                )
        lines.append("")
    if not by_rag["red"] and not by_rag["amber"]:
        lines.append("Nothing is amber or red. This digest confirms reminders are running.")
    return "\n".join(lines)
