"""The one GOV.UK date input (casework.forms.DateInputField): it parses day, month and year
and says at the field what is wrong; it never decides whether a date may be past."""

import datetime as dt

import pytest
from django import forms
from django.template.loader import render_to_string

from casework.forms import DateInputField
from tests.dates import date_parts


class When(forms.Form):
    on = DateInputField(label="Date of the visit", required=True)
    maybe = DateInputField(label="Follow-up date")


def cleaned(**parts):
    form = When(date_parts("on", **parts))
    return form, (form.cleaned_data.get("on") if form.is_valid() else None)


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ({"day": "27", "month": "3", "year": "2027"}, dt.date(2027, 3, 27)),
        ({"day": " 07 ", "month": "03", "year": "2027"}, dt.date(2027, 3, 7)),
        ({"day": "31", "month": "12", "year": "2100"}, dt.date(2100, 12, 31)),
        ({"day": "1", "month": "1", "year": "1990"}, dt.date(1990, 1, 1)),
    ],
)
def test_a_real_date_is_taken(parts, expected):
    assert cleaned(**parts)[1] == expected


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ({"day": "", "month": "", "year": ""}, "Enter the date of the visit"),
        ({"day": "27", "month": "", "year": "2027"}, "Date of the visit must include a month"),
        ({"day": "", "month": "", "year": "2027"}, "must include a day and a month"),
        ({"day": "29", "month": "2", "year": "2027"}, "must be a real date, like 27 3 2027"),
        ({"day": "1", "month": "1", "year": "27"}, "must be a real date, like 27 3 2027"),
        ({"day": "one", "month": "1", "year": "2027"}, "must be a real date, like 27 3 2027"),
        ({"day": "1", "month": "1", "year": "2101"}, "must be no later than 31 December 2100"),
        ({"day": "1", "month": "1", "year": "9999"}, "must be no later than 31 December 2100"),
        ({"day": "1", "month": "1", "year": "1899"}, "must be in 1900 or later"),
    ],
)
def test_a_missing_or_bad_part_is_refused_at_the_field(parts, message):
    form, value = cleaned(**parts)
    assert value is None
    assert any(message in error for error in form.errors["on"])


def test_an_optional_date_may_be_left_empty_and_the_parts_show_what_was_typed():
    form = When({**date_parts("on", day="27", month="3", year="2027"), "maybe_day": "5"})
    assert not form.is_valid()
    assert form.errors["maybe"] == ["Follow-up date must include a month and a year"]
    html = render_to_string("includes/field.html", {"field": form["maybe"]})
    assert 'class="govuk-date-input"' in html and "href" not in html
    assert 'id="id_maybe" name="maybe_day" type="text" inputmode="numeric" value="5"' in html
    assert When({**date_parts("on", dt.date(2027, 3, 27))}).is_valid()


def test_the_old_names_still_work():
    from referrals.risks.forms import DateInputField as old

    assert old is DateInputField
    form = When(initial={"on": dt.date(2027, 3, 27)})
    html = render_to_string("referrals/risk/_date_input.html", {"field": form["on"]})
    assert 'name="on_year" type="text" inputmode="numeric" value="2027"' in html
