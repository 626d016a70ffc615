"""The case's chronology shows a meeting's reschedules (when it was to be, when it is now,
why and who moved it) to those who may read the meeting, through the same readable-subjects
gate as the meeting's transitions."""

import pytest
from django.urls import reverse

from referrals.chronology import chronology
from safety_summits import services
from safety_summits.querysets import PartnershipMeetingQuerySet
from tests.safety_summits.factories import MONDAY, scheduled, when

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(MONDAY, tick=False)]


def _rescheduled():
    meeting = scheduled()  # Thursday 26 November 2026, 14:00
    services.meeting_reschedule(
        meeting=meeting,
        by=meeting.people["practitioner"],
        format="at_school",
        place="Library meeting room",
        reason="The DSL is on a course that day.",
        **when(days=4, hour=10),
    )
    return meeting


def test_the_case_history_shows_a_meetings_reschedule(client):
    meeting = _rescheduled()
    lead, dsl = meeting.people["practitioner"], meeting.people["dsl"]
    for reader in (lead, dsl):
        entry = next(
            e for e in chronology(meeting.referral, reader) if e.title.endswith("Rescheduled")
        )
        assert entry.title == "School partnership meeting: Rescheduled"
        assert entry.who == lead and entry.reason == "The DSL is on a course that day."
        assert entry.details == [
            "Was Thursday 26 November 2026, 14:00",
            "Now Friday 27 November 2026, 10:00",
        ]
    client.force_login(dsl)
    page = client.get(reverse("referral_history", args=[meeting.referral_id])).content.decode()
    assert "School partnership meeting: Rescheduled" in page
    assert "Was Thursday 26 November 2026, 14:00" in page
    assert "Now Friday 27 November 2026, 10:00" in page
    assert "The DSL is on a course that day." in page


def test_someone_who_may_not_read_the_meeting_does_not_see_its_reschedules(monkeypatch):
    meeting = _rescheduled()
    dsl = meeting.people["dsl"]
    monkeypatch.setattr(PartnershipMeetingQuerySet, "visible_to", lambda self, user: self.none())
    titles = [e.title for e in chronology(meeting.referral, dsl)]
    assert not [t for t in titles if t.startswith("School partnership meeting")]
    assert "Answers changed" in titles or "Draft started" in titles  # the case still shows
