"""Posting a date as a GOV.UK date input does: day, month and year, each its own field."""

import datetime as dt


def date_parts(name: str, on: dt.date | None = None, **parts) -> dict:
    """The POST data for the date input `name`: from the date `on`, or from the raw parts
    given (day=, month=, year=, as typed, so a test can send a bad or missing part)."""
    if on is not None:
        parts = {"day": on.day, "month": on.month, "year": on.year, **parts}
    return {f"{name}_{part}": str(value) for part, value in parts.items()}
