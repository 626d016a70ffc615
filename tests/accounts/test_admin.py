"""Administrators configure their own authority only, and read no case content."""

import pytest

from accounts.groups import administrators_group
from accounts.models import AuthorityRole
from tests.accounts.factories import SchoolFactory, authority_role, dsl_of
from tests.referrals.factories import submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator():
    school = SchoolFactory()
    person = authority_role(school.authority, AuthorityRole.ADMINISTRATOR, is_staff=True)
    person.groups.add(administrators_group())
    person.home_school = school
    return person


def test_administrator_sees_only_their_authoritys_schools_and_people(client, administrator):
    ours = administrator.home_school
    theirs = SchoolFactory()
    our_dsl, their_dsl = dsl_of(ours), dsl_of(theirs)
    client.force_login(administrator)
    schools = client.get("/admin/accounts/school/").content.decode()
    assert ours.name in schools and theirs.name not in schools
    assert client.get(f"/admin/accounts/school/{theirs.pk}/change/").status_code == 302
    people = client.get("/admin/accounts/user/").content.decode()
    assert our_dsl.email in people and their_dsl.email not in people


def test_administrator_cannot_make_anyone_a_superuser(client, administrator):
    person = dsl_of(administrator.home_school)
    client.force_login(administrator)
    page = client.get(f"/admin/accounts/user/{person.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page


def test_referrals_are_not_in_the_configuration_pages(client, administrator):
    referral = submitted(administrator.home_school)
    client.force_login(administrator)
    assert client.get("/admin/referrals/schoolreferral/").status_code == 404
    assert client.get(f"/referrals/{referral.pk}/").status_code == 404


def test_new_authority_from_the_admin_gets_threshold_indicators(admin_client):
    response = admin_client.post(
        "/admin/accounts/localauthority/add/", {"code": "997", "name": "Newshire", "nation": "WLS"}
    )
    assert response.status_code == 302
    from referrals.models import ThresholdIndicator

    assert ThresholdIndicator.objects.filter(authority__code="997").count() == 15
