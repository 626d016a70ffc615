"""An unfinished self-assessment that stops (the pathway changed, or the case ended) goes from
in progress to closed; the catalogue counted that as the deadline met. Only submitting meets
it: existing authorities' rows (still as the catalogue shipped them) get the corrected
definition; a clock already stamped met by a stop is corrected to cancelled."""

from django.db import migrations

OLD = ["submitted", "reviewed", "closed"]
NEW = ["submitted"]


def forwards(apps, schema_editor):
    Timescale = apps.get_model("notifications", "Timescale")
    Deadline = apps.get_model("notifications", "Deadline")
    TransitionRecord = apps.get_model("referrals", "TransitionRecord")
    rows = Timescale.objects.filter(key="self_assessment", met_states=OLD)
    for timescale in rows:
        timescale.met_states = NEW
        timescale.save()
    stopped = TransitionRecord.objects.filter(
        content_type__app_label="self_assessments",
        content_type__model="selfassessment",
        transition="stop",
        from_state="in_progress",
    ).values_list("object_id", flat=True)
    for deadline in Deadline.objects.filter(
        timescale__key="self_assessment", status="met", subject_id__in=list(stopped)
    ):
        deadline.status = "cancelled"
        deadline.on_time = None
        deadline.save()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0005_outbox"),
        ("referrals", "0003_risk_assessments_and_plans"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
