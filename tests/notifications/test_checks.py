"""`manage.py check` refuses a timescale catalogue that does not fit the records it watches."""

import copy

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from notifications import checks
from notifications.catalogue import default_rows, seed_timescales
from notifications.models import Timescale
from tests.accounts.factories import LocalAuthorityFactory


def rows_with(key, **changes):
    rows = copy.deepcopy(default_rows())
    for row in rows:
        if row["key"] == key:
            row.update(changes)
    return rows


def test_the_shipped_catalogue_passes():
    call_command("check")
    assert checks.catalogue_problems(default_rows()) == []


@pytest.mark.parametrize(
    ("key", "changes", "problem"),
    [
        ("screening_decision", {"running_states": ["submited"]}, "'submited', which is not a"),
        ("plan_agreed", {"met_states": ["approved"]}, "'approved', which is not a state"),
        (
            "immediate_risk_assessment",
            {"condition": {"field": "sort", "any_of": ["immediate"]}},
            "its condition reads 'sort'",
        ),
        ("plan_action", {"anchor": "due_by"}, "its anchor 'due_by' is not a field"),
    ],
)
def test_a_row_that_does_not_fit_its_model_fails_the_check(monkeypatch, key, changes, problem):
    monkeypatch.setattr(checks, "default_rows", lambda: rows_with(key, **changes))
    with pytest.raises(SystemCheckError, match=problem):
        call_command("check")


def test_an_anchor_may_be_the_case_s_own_date():
    # The School Assessment's clock counts from the referral's submission.
    row = next(r for r in default_rows() if r["key"] == "school_assessment")
    assert row["anchor"] == "submitted_at"
    assert checks.catalogue_problems([row]) == []


def test_a_row_for_an_app_not_installed_waits_without_an_error(monkeypatch):
    # Every shipped row's app is installed now: a row for a record still to be built.
    rows = rows_with("safety_summit_held", model="future_app.record", running_states=["anything"])
    monkeypatch.setattr(checks, "default_rows", lambda: rows)
    call_command("check")


@pytest.mark.django_db
def test_an_authority_s_row_that_no_longer_fits_fails_the_database_check():
    authority = LocalAuthorityFactory()
    seed_timescales(authority)
    call_command("check", "--database", "default")
    row = Timescale.objects.get(authority=authority, key="plan_agreed")
    row.met_states = ["signed_off"]
    row.save()
    with pytest.raises(SystemCheckError, match="'signed_off', which is not a state"):
        call_command("check", "--database", "default")


@pytest.mark.parametrize("key", ["partnership_meeting_held", "safety_plan_distributed"])
def test_the_partnership_meeting_rows_are_checked_against_its_state_machine(key, monkeypatch):
    """The School Partnership Meeting is installed: its rows no longer wait, and a state its
    state machine does not have fails the check."""
    assert [p for p in checks.catalogue_problems(default_rows()) if p[0] == key] == []
    rows = rows_with(key, met_states=["closed"])
    monkeypatch.setattr(checks, "default_rows", lambda: rows)
    with pytest.raises(SystemCheckError, match="'closed', which is not a state"):
        call_command("check")


@pytest.mark.django_db
def test_a_database_not_migrated_yet_has_nothing_to_check(monkeypatch):
    """migrate runs the database checks before it builds the tables: on a new database the
    catalogue's table is not there yet, and the check must not fail migrate itself."""
    from django.db import connection

    from notifications.checks import check_authority_catalogues

    authority = LocalAuthorityFactory()
    seed_timescales(authority)
    Timescale.objects.filter(authority=authority, key="plan_agreed").update(
        met_states=["signed_off"]
    )
    assert check_authority_catalogues(databases=["default"])  # the table is there: checked
    monkeypatch.setattr(connection.introspection, "table_names", lambda *a, **k: [])
    assert check_authority_catalogues(databases=["default"]) == []
