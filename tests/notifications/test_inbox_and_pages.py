import pytest

from notifications.models import Notification
from tests.accounts.factories import SchoolFactory, front_door_of
from tests.notifications.helpers import london, submitted_at, sweep_at

SUBMITTED = london(2026, 11, 23, 10, 0)
# Every journey starts with the clock pinned (before any fixture) and moves it step by step.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.time_machine(london(2026, 11, 16, 9, 0), tick=False),
]


def test_unread_count_in_the_header_and_mark_read(time_machine, client):
    referral = submitted_at(time_machine, SUBMITTED)
    officer = referral.people["front_door"]
    sweep_at(time_machine, london(2026, 11, 24, 9, 30))
    client.force_login(officer)
    page = client.get("/inbox/").content.decode()
    assert '1<span class="govuk-visually-hidden"> unread</span>' in page
    assert f"Reminder: Screening decision for {referral.reference}" in page
    message = Notification.objects.get(user=officer)
    response = client.post(f"/inbox/{message.pk}/read/", {"open": "1"})
    assert response.url == f"/referrals/{referral.pk}/"
    message.refresh_from_db()
    assert message.read_at is not None
    assert "unread</span>" not in client.get("/inbox/").content.decode()


def test_nobody_can_read_or_mark_anothers_messages(time_machine, client):
    submitted_at(time_machine, SUBMITTED)
    sweep_at(time_machine, london(2026, 11, 24, 9, 30))
    message = Notification.objects.first()
    client.force_login(front_door_of(SchoolFactory().authority))
    assert client.post(f"/inbox/{message.pk}/read/").status_code == 404
    assert message.title not in client.get("/inbox/").content.decode()


def test_mark_all_read(time_machine, client):
    referral = submitted_at(time_machine, SUBMITTED)
    sweep_at(time_machine, london(2026, 11, 25, 17, 30))
    officer = referral.people["front_door"]
    client.force_login(officer)
    client.post("/inbox/read-all/")
    assert not Notification.objects.filter(user=officer, read_at__isnull=True).exists()


def test_my_deadlines_most_urgent_first_with_rag_in_words(time_machine, client):
    late = submitted_at(time_machine, london(2026, 11, 19, 10, 0))
    fd = late.people["front_door"]
    fresh = submitted_at(
        time_machine, SUBMITTED, school=SchoolFactory(authority=late.school.authority)
    )
    time_machine.move_to(london(2026, 11, 23, 12, 0))
    client.force_login(fd)
    page = client.get("/deadlines/mine/").content.decode()
    team_page = client.get("/deadlines/team/").content.decode()
    assert page.index(late.reference) < page.index(fresh.reference)
    assert "Red: overdue" in page and "Green: on track" in page
    assert late.reference in team_page


def test_deadlines_show_on_the_case_page_and_lists(time_machine, client):
    referral = submitted_at(time_machine, SUBMITTED)
    time_machine.move_to(london(2026, 11, 24, 10, 0))
    client.force_login(referral.people["front_door"])
    for url in (f"/referrals/{referral.pk}/", "/referrals/", "/front-door/"):
        page = client.get(url).content.decode()
        assert "Screening decision" in page and "Amber: due soon" in page, url
