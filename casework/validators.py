import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import timezone

# A tag-like run: "<script>", "</b>", "<img src=x>", "<!-- -->". "x < y" and "<3" pass.
_TAG = re.compile(r"</?[a-zA-Z!][^>]*>")


def plain_text(value):
    """Free text is plain text: it is always shown escaped, and markup is refused outright
    so nobody pastes a web page or a script into a child protection record."""
    match = _TAG.search(value or "")
    if match:
        raise ValidationError(
            "Remove the markup %(tag)s: write in plain text without < > tags.",
            code="markup",
            params={"tag": match.group(0)[:40]},
        )


LATEST_DATE = dt.date(2100, 12, 31)  # no clock runs further: working days are counted to it


def due_date_problem(due_on) -> str:
    """Why a due date cannot be used (an empty string if it can): today or later, and no
    later than 2100."""
    if due_on < timezone.localdate():
        return "The due date must be today or later"
    if due_on > LATEST_DATE:
        return f"The due date must be no later than {LATEST_DATE:%-d %B %Y}"
    return ""


def start_date_problem(start_by) -> str:
    """Why a date work starts by cannot be used (an empty string if it can): work decided
    now cannot have started by a day already gone, so today or later, and no later than
    2100."""
    if start_by < timezone.localdate():
        return "The date the work starts by must be today or later"
    if start_by > LATEST_DATE:
        return f"The date the work starts by must be no later than {LATEST_DATE:%-d %B %Y}"
    return ""
