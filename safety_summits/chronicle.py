"""Reschedules in the case's chronology (casework.pathways `chronicle`): moving a meeting or
summit is an edit with its own record, not a transition, so the transition records do not
show it. Each entry says when it was to be, when it is now, why and who moved it."""

from django.utils import timezone


def _when(moment):
    return f"{timezone.localtime(moment):%A %-d %B %Y, %H:%M}"


def reschedules(model, changes, *, title: str, record_of) -> list:
    from referrals.chronology import Entry

    return [
        (
            model,
            record_of(change),
            Entry(
                change.at,
                change.by,
                title,
                change.reason,
                details=[f"Was {_when(change.was_starts_at)}", f"Now {_when(change.starts_at)}"],
            ),
        )
        for change in changes
    ]
