"""List pages cost the same number of queries for 2 referrals as for 12."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from referrals import services
from tests.accounts.factories import SchoolFactory, dsl_of, front_door_of
from tests.referrals.factories import draft, submitted

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _add(school, dsl, fd, count):
    for n in range(count):
        referral = submitted(school, dsl)
        if n % 2:
            services.referral_start_screening(referral=referral, by=fd)
        draft(school, dsl, complete=False)


@pytest.mark.parametrize(
    ("who", "url"), [("dsl", "/referrals/"), ("fd", "/referrals/"), ("fd", "/front-door/")]
)
def test_list_queries_do_not_grow_with_referrals(client, django_assert_max_num_queries, who, url):
    school = SchoolFactory()
    people = {"dsl": dsl_of(school), "fd": front_door_of(school.authority)}
    client.force_login(people[who])
    _add(school, people["dsl"], people["fd"], 2)
    few = _queries(client, url)
    _add(school, people["dsl"], people["fd"], 10)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("/referrals/") >= 12
