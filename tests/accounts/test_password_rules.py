"""Passwords: length over complexity (NCSC), 12 characters at least, and the usual checks
against common, all-numeric and look-alike-the-person passwords."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.django_db]


def messages(password, user=None):
    try:
        validate_password(password, user)
    except ValidationError as error:
        return error.messages
    return []


def test_eleven_characters_are_too_few_and_twelve_are_enough():
    assert messages("tulip-arch-7") == []
    assert messages("tulip-arch7") == [
        "This password is too short. It must contain at least 12 characters."
    ]


def test_a_long_phrase_needs_no_capitals_digits_or_symbols():
    assert messages("purple elephants dance quietly") == []


def test_common_numeric_and_personal_passwords_are_still_refused():
    person = UserFactory(email="samira.begum@example.org", full_name="Samira Begum")
    assert "This password is too common." in messages("password1234")
    assert "This password is entirely numeric." in messages("739182736455")
    assert messages("Samira Begum", person) == ["The password is too similar to the full name."]
    assert any("too similar" in m for m in messages("samira.begum@example", person))


def test_the_test_people_password_passes_the_rules():
    assert messages(PASSWORD) == []
