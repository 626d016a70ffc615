"""The timescale catalogue: each authority's own copy of the default clocks."""

import json
from pathlib import Path

from django.apps import apps

from notifications.models import PeriodUnit, Timescale, period_in_words

DATA_FILE = Path(__file__).resolve().parent / "data" / "timescales.json"
FIELDS = [
    "name",
    "model",
    "running_states",
    "met_states",
    "condition",
    "period",
    "period_unit",
    "anchor",
    "owner_role",
    "reminder_days",
    "escalation_days",
    "target_percent",
    "source",
]


def default_rows():
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))["timescales"]


def seed_timescales(authority):
    """Give an authority the default clocks it does not have yet; never overwrite its edits."""
    existing = set(Timescale.objects.filter(authority=authority).values_list("key", flat=True))
    created = 0
    for row in default_rows():
        if row["key"] in existing:
            continue
        # One save per row (13 of them), so each has a first history record to compare with.
        timescale = Timescale(
            authority=authority, key=row["key"], **{f: row[f] for f in FIELDS if f in row}
        )
        timescale._change_reason = "seeded from the default catalogue"
        timescale.save()
        created += 1
    return created


def is_installed(model_label):
    try:
        apps.get_model(model_label)
    except (LookupError, ValueError):
        return False
    return True


def live_timescales(authority, model_label):
    """The active clocks that watch this kind of record in this authority (none for a model
    that is not installed yet: its row waits for the issue that builds it)."""
    if not is_installed(model_label):
        return []
    rows = list(Timescale.objects.filter(authority=authority, model=model_label, is_active=True))
    if not rows and not Timescale.objects.filter(authority=authority).exists():
        seed_timescales(authority)
        rows = list(
            Timescale.objects.filter(authority=authority, model=model_label, is_active=True)
        )
    return rows


def period_words(authority, key) -> str:
    """The period of one of this authority's clocks in words ("1 working day", "10 working
    days", "3 months"), read from its catalogue row: timescales are editable per authority,
    so no page may state them itself."""
    timescale = Timescale.objects.filter(authority=authority, key=key).first()
    if timescale is not None:
        return timescale.period_words
    row = next((r for r in default_rows() if r["key"] == key), None)
    if row is None:
        raise KeyError(f"no timescale {key!r} in the catalogue")
    return period_in_words(row["period"], row.get("period_unit", PeriodUnit.WORKING_DAYS))
