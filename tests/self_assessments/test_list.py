"""The self-assessment list, each section a page at a time (school audits ?page=, partnership
audits ?partnership_page=, each keeping the other's), in the same number of queries for page
2 and for more audits, showing only what visible_to gives."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import TeamMembership
from casework import lists
from self_assessments.models import SelfAssessment
from tests.accounts.factories import UserFactory
from tests.self_assessments.factories import pathway_audit

pytestmark = pytest.mark.django_db


def _page(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    found = re.findall(r'href="/self-assessments/(\d+)/"', body)
    return len(captured), [int(pk) for pk in found], body


def _held_by(viewer, count):
    audits = [pathway_audit() for _ in range(count)]
    for audit in audits:
        TeamMembership.objects.create(user=viewer, team=audit.people["team"])
    return audits


def test_school_audits_are_paged_in_the_same_queries(client, monkeypatch):
    monkeypatch.setattr(lists, "PAGE_SIZE", 2)
    viewer = UserFactory()
    audits = _held_by(viewer, 3)
    stranger = pathway_audit()
    client.force_login(viewer)
    one, first, body = _page(client, "/self-assessments/?partnership_page=4")
    assert len(first) == 2 and "Page 1 of 2" in body
    assert 'href="?partnership_page=4&amp;page=2"' in body
    two, second, _ = _page(client, "/self-assessments/?page=2")
    assert len(second) == 1 and two <= one
    audits += _held_by(viewer, 2)
    more, _, _ = _page(client, "/self-assessments/?page=3")
    assert more <= one
    seen = [pk for n in (1, 2, 3) for pk in _page(client, f"/self-assessments/?page={n}")[1]]
    assert sorted(seen) == sorted(a.pk for a in audits)
    assert sorted(seen) == sorted(
        SelfAssessment.objects.visible_to(viewer).values_list("pk", flat=True)
    )
    assert stranger.pk not in seen
