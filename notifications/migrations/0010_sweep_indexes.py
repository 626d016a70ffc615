"""The sweep's indexes (issue 17): every index on notifications_deadline is paid for by every
write of a clock, the sweep's stamps above all, so only those a query uses are kept (each is
named with its query in Deadline.Meta):

- dropped: the foreign keys' own single-column indexes on case_type and subject_type (each is
  the first column of deadline_case and deadline_subject, which serve every read by them) and
  on timescale (nothing reads deadlines by timescale alone; deleting a timescale, a rare admin
  act, may scan). Dropped by name, without re-checking the foreign keys on a large table;
- added: deadline_routing_problem, the few running clocks the health check counts (it read
  every running clock), and notification_inbox, a person's messages newest first, as the
  inbox pages them."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The foreign keys' indexes as Django named them (0001_initial), and their columns.
DROPPED = {
    "notifications_deadline_case_type_id_31b7bf3c": "case_type_id",
    "notifications_deadline_subject_type_id_2c015274": "subject_type_id",
    "notifications_deadline_timescale_id_e77733de": "timescale_id",
}


def _unindexed(name, to, related_name):
    return migrations.AlterField(
        model_name="deadline",
        name=name,
        field=models.ForeignKey(
            db_index=False,
            on_delete=django.db.models.deletion.PROTECT,
            related_name=related_name,
            to=to,
        ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("notifications", "0009_endings_and_waiting"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                _unindexed("case_type", "contenttypes.contenttype", "+"),
                _unindexed("subject_type", "contenttypes.contenttype", "+"),
                _unindexed("timescale", "notifications.timescale", "deadlines"),
            ],
            database_operations=[
                migrations.RunSQL(
                    sql=f'DROP INDEX IF EXISTS "{index}"',
                    reverse_sql=f'CREATE INDEX "{index}" ON "notifications_deadline" ("{column}")',
                )
                for index, column in DROPPED.items()
            ],
        ),
        migrations.AddIndex(
            model_name="deadline",
            index=models.Index(
                condition=models.Q(
                    ("status", "running"),
                    models.Q(("unroutable", True), ("routing_problem_at__isnull", False), _connector="OR"),
                ),
                fields=["routing_problem_at"],
                name="deadline_routing_problem",
            ),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(fields=["user", "-created_at", "-id"], name="notification_inbox"),
        ),
    ]
