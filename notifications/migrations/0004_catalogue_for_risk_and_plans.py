"""Bring existing authorities' catalogue rows for risk assessments, self-assessments and
plans up to the records built for them. Those rows waited, inactive, while their models did
not exist, so no clock ever ran from them: their definitions are replaced (periods,
reminders and targets an administrator set are kept) and the new six-monthly plan review
row is added."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "timescales.json"
REPLACED = [
    "immediate_risk_assessment",
    "exploitation_risk_assessment",
    "risk_assessment_review",
    "self_assessment",
    "plan_agreed",
    "plan_review",
    "plan_action",
]
DEFINITION = ["model", "running_states", "met_states", "condition", "anchor", "owner_role"]
ROW_FIELDS = DEFINITION + [
    "name",
    "period",
    "period_unit",
    "reminder_days",
    "escalation_days",
    "target_percent",
    "source",
]


def forwards(apps, schema_editor):
    Timescale = apps.get_model("notifications", "Timescale")
    rows = {r["key"]: r for r in json.loads(DATA.read_text(encoding="utf-8"))["timescales"]}
    authorities = set(Timescale.objects.values_list("authority_id", flat=True))
    for timescale in Timescale.objects.filter(key__in=REPLACED):
        row = rows[timescale.key]
        for field in DEFINITION:
            setattr(timescale, field, row.get(field, {} if field == "condition" else ""))
        timescale.save()
    new = rows["plan_review_next"]
    for authority_id in authorities:
        Timescale.objects.get_or_create(
            authority_id=authority_id,
            key="plan_review_next",
            defaults={f: new[f] for f in ROW_FIELDS if f in new},
        )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0003_owner_role_owner")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
