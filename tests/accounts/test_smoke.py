import pytest

from tests.accounts.factories import SchoolFactory


@pytest.mark.django_db
def test_school_factory_builds_a_school_in_an_authority():
    school = SchoolFactory()
    assert school.authority.code == school.la_code
