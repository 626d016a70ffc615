"""Indexes for the referral list at 100,000 referrals in one authority. Each serves a query
of referrals.selectors.filtered_referrals that EXPLAIN ANALYZE showed reading and sorting
the whole table for one page of 50 (the figures are in the branch's report):

- referral_by_due replaces the partial referral_open_by_due: the same order (most urgent
  first) for open work and for all cases, which the partial index could not serve (closed
  cases run no clock, so they are the NULLs at its end);
- referral_by_submitted: sorted by when submitted, either way, open or all;
- referral_closed_by_change: the closed view, latest changed first, read backwards;
- referral_reference_trgm: search by reference is reference LIKE '%...%' (references are
  issued in capitals, so the search is too), which only a trigram index serves (pg_trgm);
- referral_concern_types: the concern filter is jsonb containment (concern_types @> '["x"]').

The trigram and GIN indexes are PostgreSQL's; the demo's SQLite database skips them (and
the extension), as it has no such index types.
"""

import django.contrib.postgres.indexes
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

CLOSED_STATES = ["below_threshold", "closed", "redirected", "withdrawn"]


class PostgreSQLOnly(migrations.AddIndex):
    """Adds the index to the model state everywhere, to the database only on PostgreSQL."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0005_plan_to_close"),
    ]

    operations = [
        TrigramExtension(),
        migrations.AddIndex(
            model_name="schoolreferral",
            index=models.Index(fields=["next_due_at", "id"], name="referral_by_due"),
        ),
        migrations.RemoveIndex(model_name="schoolreferral", name="referral_open_by_due"),
        migrations.AddIndex(
            model_name="schoolreferral",
            index=models.Index(fields=["submitted_at", "id"], name="referral_by_submitted"),
        ),
        migrations.AddIndex(
            model_name="schoolreferral",
            index=models.Index(
                condition=models.Q(("state__in", CLOSED_STATES)),
                fields=["updated_at", "id"],
                name="referral_closed_by_change",
            ),
        ),
        PostgreSQLOnly(
            model_name="schoolreferral",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["reference"], name="referral_reference_trgm", opclasses=["gin_trgm_ops"]
            ),
        ),
        PostgreSQLOnly(
            model_name="schoolreferral",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["concern_types"], name="referral_concern_types", opclasses=["jsonb_path_ops"]
            ),
        ),
    ]
