"""A case keeps the soonest due time of its running clocks (notifications.clocks writes it);
existing cases get theirs from their running deadlines. The partial index serves the
referral list's default view: open work, most urgent first."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def forwards(apps, schema_editor):
    SchoolReferral = apps.get_model("referrals", "SchoolReferral")
    Deadline = apps.get_model("notifications", "Deadline")
    ContentType = apps.get_model("contenttypes", "ContentType")
    case_type = ContentType.objects.filter(app_label="referrals", model="schoolreferral").first()
    if case_type is None:
        return
    soonest = (
        Deadline.objects.filter(case_type=case_type, case_id=OuterRef("pk"), status="running")
        .order_by("due_at")
        .values("due_at")[:1]
    )
    SchoolReferral.objects.update(next_due_at=Subquery(soonest))


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("notifications", "0007_deadline_subject"),
        ("referrals", "0003_risk_assessments_and_plans"),
    ]

    operations = [
        migrations.AddField(
            model_name="schoolreferral",
            name="next_due_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="schoolreferral",
            index=models.Index(
                condition=models.Q(
                    ("state__in", ["below_threshold", "closed", "redirected", "withdrawn"]),
                    _negated=True,
                ),
                fields=["next_due_at", "id"],
                name="referral_open_by_due",
            ),
        ),
    ]
