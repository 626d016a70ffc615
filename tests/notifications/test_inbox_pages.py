"""The inbox a page at a time: only this person's messages, newest first, every one
reachable (no longer only the latest 200), filtered by unread and by kind, bad filters
answered with a message, "mark all read" marking every unread message and saying so, and
the same queries for 3 messages as for more than a page."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.lists import PAGE_SIZE
from notifications.inbox import KINDS
from notifications.models import Notification
from tests.accounts.factories import UserFactory

MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London"))

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(MONDAY, tick=False)]


def _messages(user, count, *, stage="meeting", read=False, start=0):
    """`count` messages, message n (from `start`) n minutes before Monday 10:00."""
    return Notification.objects.bulk_create(
        Notification(
            user=user,
            stage=stage,
            title=f"Message {n}",
            created_at=MONDAY - dt.timedelta(minutes=n),
            read_at=MONDAY if read else None,
        )
        for n in range(start, start + count)
    )


def _shown(client, url):
    """The titles of the messages the page shows, in its order, and the page."""
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    return re.findall(r"(?:</strong> |>)(Message \d+|[A-Z][a-z]+ message)</h2>", body), body


@pytest.fixture
def people():
    me, someone_else = UserFactory(), UserFactory()
    return me, someone_else


def _kinds(me):
    """One message of each stage, named by its stage, newest first in this order."""
    stages = ["reminder", "alert", "meeting", "reallocation", "message", "undelivered"]
    for n, stage in enumerate(stages):
        Notification.objects.create(
            user=me,
            stage=stage,
            title=f"{stage.capitalize()} message",
            created_at=MONDAY - dt.timedelta(hours=n),
        )


def test_newest_first_and_older_messages_are_reachable(client, people):
    me, someone_else = people
    _messages(me, 205)
    _messages(someone_else, 3, stage="reminder")
    client.force_login(me)
    shown, body = _shown(client, "/inbox/")
    assert shown == [f"Message {n}" for n in range(PAGE_SIZE)]
    assert "205 messages, newest first" in body and "Page 1 of 5" in body
    assert _shown(client, "/inbox/?page=2")[0] == [f"Message {n}" for n in range(50, 100)]
    # The oldest, beyond the 200 the inbox used to stop at.
    assert _shown(client, "/inbox/?page=5")[0] == [f"Message {n}" for n in range(200, 205)]


def test_the_same_moment_is_ordered_by_id_newest_first(client, people):
    me, _ = people
    Notification.objects.bulk_create(
        Notification(user=me, stage="meeting", title=f"Message {n}", created_at=MONDAY)
        for n in range(3)
    )
    client.force_login(me)
    assert _shown(client, "/inbox/")[0] == ["Message 2", "Message 1", "Message 0"]


def test_nobody_sees_anothers_messages_whatever_the_filters(client, people):
    me, someone_else = people
    _messages(someone_else, 60)
    _kinds(someone_else)
    client.force_login(me)
    for query in ["", "show=unread", "kind=meeting", "kind=other", "page=2", "show=all&kind="]:
        shown, body = _shown(client, f"/inbox/?{query}")
        assert shown == [], query
        assert "Message 1" not in body


def test_unread_only_is_a_filter_away(client, people):
    me, _ = people
    _messages(me, 2, read=True)
    _messages(me, 2, start=2)
    client.force_login(me)
    assert _shown(client, "/inbox/")[0] == ["Message 0", "Message 1", "Message 2", "Message 3"]
    shown, body = _shown(client, "/inbox/?show=unread")
    assert shown == ["Message 2", "Message 3"]
    assert "2 messages unread, newest first" in body
    assert "Remove this filter:</span> Unread only" in body


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("reminder", ["Reminder message"]),
        ("alert", ["Alert message"]),
        ("allocation", ["Reallocation message"]),
        ("undelivered", ["Undelivered message"]),
        ("other", ["Message message"]),  # a stage no kind names
        ("", ["Reminder message", "Alert message", "Meeting message", "Reallocation message",
              "Message message", "Undelivered message"]),
    ],
)  # fmt: skip
def test_the_kind_filter(client, people, kind, expected):
    me, _ = people
    _kinds(me)
    client.force_login(me)
    shown, body = _shown(client, f"/inbox/?kind={kind}")
    assert shown == expected
    if kind:
        label = {value: label for value, label, _ in KINDS}[kind]
        assert f"Remove this filter:</span> {label}" in body
        assert f'<option value="{kind}" selected>{label}</option>' in body


def test_every_kind_is_offered_with_its_label(client, people):
    me, _ = people
    client.force_login(me)
    body = client.get("/inbox/").content.decode()
    for value, label, _ in KINDS:
        assert f'<option value="{value}">{label}</option>' in body


def test_filters_together_and_kept_across_pages(client, people):
    me, _ = people
    _messages(me, PAGE_SIZE + 2)
    _messages(me, 5, read=True, start=100)
    _messages(me, 5, stage="reminder", start=200)
    client.force_login(me)
    shown, body = _shown(client, "/inbox/?show=unread&kind=meeting")
    assert len(shown) == PAGE_SIZE and f"{PAGE_SIZE + 2} messages unread" in body
    assert 'href="?show=unread&amp;kind=meeting&amp;page=2"' in body
    shown, body = _shown(client, "/inbox/?show=unread&kind=meeting&page=2")
    assert shown == [f"Message {n}" for n in (PAGE_SIZE, PAGE_SIZE + 1)]
    assert 'href="?show=unread&amp;kind=meeting&amp;page=1"' in body


def test_no_match_says_so(client, people):
    me, _ = people
    _messages(me, 2, read=True)
    client.force_login(me)
    shown, body = _shown(client, "/inbox/?show=unread")
    assert shown == [] and "No messages match these filters" in body
    client.force_login(UserFactory())
    assert "Your inbox is empty" in client.get("/inbox/").content.decode()


@pytest.mark.parametrize(
    ("query", "message", "field"),
    [
        ("show=bogus", "Choose all messages or unread only", "id_show_0"),
        ("kind=bogus", "Choose a kind of message from the list", "id_kind"),
        ("kind=%00", "Choose a kind of message from the list", "id_kind"),
        ("kind=" + "x" * 5000, "Choose a kind of message from the list", "id_kind"),
        ("page=abc", None, None),
        ("page=-1", None, None),
        ("page=99999999999999999999", None, None),
        ("unknown=1", None, None),
    ],
)
def test_bad_filters_show_the_inbox_with_a_message_never_a_failure(
    client, people, query, message, field
):
    me, _ = people
    _messages(me, 3)
    client.force_login(me)
    shown, body = _shown(client, f"/inbox/?{query}")
    assert shown == ["Message 0", "Message 1", "Message 2"]  # the filter is not applied
    if message:
        assert "There is a problem" in body and message in body
        assert f'href="#{field}"' in body
    else:
        assert "There is a problem" not in body


def test_mark_all_read_marks_every_unread_message_and_says_so(client, people):
    me, someone_else = people
    _messages(me, PAGE_SIZE + 5)
    _messages(me, 3, stage="reminder", start=100)
    _messages(someone_else, 2)
    client.force_login(me)
    # From a filtered page 2: still every unread message, of every kind and page.
    response = client.post(
        "/inbox/read-all/", {"back": "show=unread&kind=meeting&page=2"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/inbox/?show=unread&kind=meeting&page=2"
    body = response.content.decode()
    assert f"{PAGE_SIZE + 8} unread messages marked as read" in body
    assert not Notification.objects.filter(user=me, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=someone_else, read_at__isnull=True).count() == 2
    body = client.post("/inbox/read-all/", follow=True).content.decode()
    assert "You have no unread messages" in body


def test_marking_one_read_comes_back_to_the_same_page(client, people):
    me, _ = people
    messages = _messages(me, PAGE_SIZE + 1)
    client.force_login(me)
    body = client.get("/inbox/?page=2").content.decode()
    assert 'name="back" value="page=2"' in body
    response = client.post(f"/inbox/{messages[-1].pk}/read/", {"back": "page=2"})
    assert response.url == "/inbox/?page=2"
    # Only the inbox's own parameters come back, whatever is posted.
    response = client.post(
        f"/inbox/{messages[0].pk}/read/", {"back": "next=https://evil.example&page=1"}
    )
    assert response.url == "/inbox/?page=1"


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("query", ["", "show=unread&kind=meeting", "kind=other", "page=2"])
def test_more_than_a_page_costs_the_same_queries(client, people, query):
    me, _ = people
    _messages(me, 3)
    _messages(me, 1, stage="message", start=10)
    client.force_login(me)
    few = _queries(client, f"/inbox/?{query}")
    _messages(me, 2 * PAGE_SIZE + 1, start=20)
    _messages(me, PAGE_SIZE + 1, stage="message", start=500)
    assert _queries(client, f"/inbox/?{query}") <= few
