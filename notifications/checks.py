"""Start-up checks that the timescale catalogue fits the records it watches: every row whose
model is installed names states that model's state machine has, and fields it has. A row
whose model is not installed yet waits (not an error), so a pathway's rows can ship before
its app.

`manage.py check` reads the default catalogue; `manage.py check --database default` reads
every authority's rows too."""

from django.apps import apps
from django.core import checks
from django_fsm import FSMFieldMixin

from notifications.catalogue import default_rows


def _states_of(model):
    for field in model._meta.concrete_fields:
        if isinstance(field, FSMFieldMixin):
            return field.name, {value for value, _label in field.choices}
    return None, None


def _case_fields(model):
    """Fields of the records this one hangs off (an anchor may be the case's own date)."""
    return {
        f.name
        for fk in model._meta.concrete_fields
        if fk.many_to_one and fk.related_model is not None
        for f in fk.related_model._meta.concrete_fields
    }


def catalogue_problems(rows):
    """[(row key, problem)] for catalogue rows given as dicts."""
    problems = []
    for row in rows:
        key, label = row["key"], row["model"]
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue  # waiting for its app
        field, states = _states_of(model)
        if states is None:
            problems.append((key, f"{label} has no state machine (FSMField) to watch"))
            continue
        for group in ("running_states", "met_states"):
            for state in row[group]:
                if state not in states:
                    problems.append(
                        (key, f"{group} names {state!r}, which is not a state of {label}.{field}")
                    )
        names = {f.name for f in model._meta.get_fields()} | {
            f.attname for f in model._meta.concrete_fields
        }
        condition = row.get("condition") or {}
        if condition.get("field") and condition["field"] not in names:
            problems.append((key, f"its condition reads {condition['field']!r}, not on {label}"))
        if row.get("anchor") and row["anchor"] not in names | _case_fields(model):
            problems.append(
                (key, f"its anchor {row['anchor']!r} is not a field of {label} or its case")
            )
    return problems


@checks.register()
def check_default_catalogue(app_configs=None, **kwargs):
    rows = default_rows()  # a row whose app is not installed waits, silently
    return [
        checks.Error(
            f"Timescale catalogue row {key!r}: {problem}.",
            hint="Fix notifications/data/timescales.json (and a data migration for existing "
            "authorities).",
            id="notifications.E001",
        )
        for key, problem in catalogue_problems(rows)
    ]


ROW_FIELDS = ("key", "model", "running_states", "met_states", "condition", "anchor", "authority_id")


@checks.register(checks.Tags.database)
def check_authority_catalogues(app_configs=None, databases=None, **kwargs):
    """Every authority's rows, in each database asked for that has the catalogue's table: a
    database not migrated yet (migrate runs these checks before it builds the tables) has
    nothing to check."""
    if not databases:
        return []
    from django.db import connections

    from notifications.models import Timescale

    rows = []
    for alias in databases:
        if Timescale._meta.db_table not in connections[alias].introspection.table_names():
            continue
        rows += Timescale.objects.using(alias).filter(is_active=True).values(*ROW_FIELDS)
    return [
        checks.Error(
            f"Timescale row {key!r}: {problem}.",
            hint="Correct the row in the authority's catalogue (a data migration).",
            id="notifications.E002",
        )
        for key, problem in catalogue_problems(rows)
    ]
