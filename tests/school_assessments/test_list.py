"""The School Assessments list, a page at a time: what visible_to gives (not the school
before the assessment is shared), in the same number of queries for page 2 and for more
assessments."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import TeamMembership
from casework import lists
from school_assessments.models import SchoolAssessment
from tests.accounts.factories import UserFactory
from tests.school_assessments.factories import planned

pytestmark = pytest.mark.django_db


def _page(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    return len(captured), [int(pk) for pk in re.findall(r'href="/school-assessments/(\d+)/"', body)]


def _held_by(viewer, count):
    assessments = [planned() for _ in range(count)]
    for assessment in assessments:
        TeamMembership.objects.create(user=viewer, team=assessment.people["team"])
    return assessments


def test_the_list_is_paged_in_the_same_queries_and_shows_only_what_visible_to_gives(
    client, monkeypatch
):
    monkeypatch.setattr(lists, "PAGE_SIZE", 2)
    viewer = UserFactory()
    assessments = _held_by(viewer, 3)
    client.force_login(viewer)
    one, first = _page(client, "/school-assessments/")
    two, second = _page(client, "/school-assessments/?page=2")
    assert len(first) == 2 and len(second) == 1 and two <= one
    assessments += _held_by(viewer, 2)
    more, _ = _page(client, "/school-assessments/?page=2")
    assert more <= one
    seen = [pk for n in (1, 2, 3) for pk in _page(client, f"/school-assessments/?page={n}")[1]]
    assert sorted(seen) == sorted(a.pk for a in assessments)
    assert sorted(seen) == sorted(
        SchoolAssessment.objects.visible_to(viewer).values_list("pk", flat=True)
    )
    # The school's DSL sees the assessment only once it is shared with the school.
    client.force_login(assessments[0].people["dsl"])
    assert _page(client, "/school-assessments/")[1] == []
    assert _page(client, "/school-assessments/?page=abc")[1] == []
