"""Marking the meeting held without anything recorded: the error summary links each refusal
(peer groups and places, actions) to its place on the hold page, which shows the message
and links to where it is recorded."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.safety_summits.factories import MONDAY, prepared, scheduled

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(MONDAY, tick=False)]


def test_nothing_recorded_is_a_linked_summary_item_and_a_message_in_place(client, time_machine):
    meeting = prepared(scheduled())
    time_machine.move_to(meeting.ends_at + dt.timedelta(minutes=30), tick=False)
    client.force_login(meeting.people["practitioner"])
    response = client.post(
        reverse("partnership_meeting_hold", args=[meeting.pk]), {"version": meeting.version}
    )
    assert response.status_code == 200
    page = response.content.decode()
    start = page.index("govuk-error-summary__list")
    summary = page[start : page.index("</ul>", start)]
    for anchor, message in (
        ("id_discussions", "Record the concerns and strengths of a peer group or place"),
        ("id_actions", "Record at least one action for the safety plan"),
    ):
        assert f'<li><a href="#{anchor}">{message}</a></li>' in summary
        place = re.search(
            rf'<div class="govuk-form-group govuk-form-group--error" id="{anchor}"', page
        )
        assert place, f"no place on the page for #{anchor}"
        assert message in page[place.end() :][:800]
    record = reverse("partnership_meeting_record", args=[meeting.pk])
    assert f'href="{record}#add-discussion"' in page and f'href="{record}#add-action"' in page
    assert "<li>Record" not in summary  # none is left as plain text
    page = client.get(record).content.decode()
    assert 'id="add-discussion"' in page and 'id="add-action"' in page
    # The summary lists the problems in the order the page shows them.
    assert summary.index("#id_discussions") < summary.index("#id_attendees_0")
