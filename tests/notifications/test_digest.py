import pytest

from notifications.models import DigestRun, Notification
from tests.notifications.helpers import digests_at, london, submitted_at

# Every journey starts with the clock pinned (before any fixture) and moves it step by step.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.time_machine(london(2026, 11, 16, 9, 0), tick=False),
]


def test_digest_goes_to_the_front_door_once_per_slot_with_red_and_amber_by_owner(time_machine):
    late = submitted_at(time_machine, london(2026, 11, 19, 10, 0))  # due Fri 20 Nov: red on Monday
    officer = late.people["front_door"]
    digests_at(time_machine, london(2026, 11, 23, 8, 0))
    digests_at(time_machine, london(2026, 11, 23, 8, 4))  # same slot again (a second beat, a retry)
    digests = Notification.objects.filter(user=officer, stage="digest")
    assert digests.count() == 1
    assert "1 red, 0 amber" in digests[0].title
    assert late.reference in digests[0].body and "The front door:" in digests[0].body
    digests_at(time_machine, london(2026, 11, 23, 12, 0))
    assert Notification.objects.filter(user=officer, stage="digest").count() == 2


def test_no_digest_before_the_first_slot_or_on_a_bank_holiday(time_machine):
    submitted_at(time_machine, london(2026, 12, 21, 10, 0))
    digests_at(time_machine, london(2026, 12, 22, 7, 59))
    digests_at(time_machine, london(2026, 12, 25, 8, 0))  # Christmas Day
    digests_at(time_machine, london(2026, 12, 28, 12, 0))  # Boxing Day substitute
    assert not DigestRun.objects.exists()


def test_digest_times_are_configurable(time_machine, settings):
    settings.DIGEST_TIMES = ["09:30"]
    submitted_at(time_machine, london(2026, 11, 19, 10, 0))
    digests_at(time_machine, london(2026, 11, 23, 9, 0))
    assert not DigestRun.objects.exists()
    digests_at(time_machine, london(2026, 11, 23, 9, 31))
    assert DigestRun.objects.count() >= 1


def test_beat_schedules_the_sweep_and_the_digests():
    from django.conf import settings

    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["reminder-sweep"]["schedule"] == settings.REMINDER_SWEEP_MINUTES * 60
    assert {k for k in schedule if k.startswith("rag-digest-")} == {
        "rag-digest-08:00",
        "rag-digest-12:00",
        "rag-digest-16:00",
    }


def test_each_person_s_digest_and_team_list_show_only_cases_they_may_open(time_machine, client):
    from accounts.models import TeamRole
    from tests.accounts.factories import team_member_of

    late = submitted_at(time_machine, london(2026, 11, 19, 10, 0))
    officer = late.people["front_door"]
    # In the front door's team, but not a front door officer: may not open the referral.
    from notifications.models import Deadline

    team = Deadline.objects.get(case_id=late.pk).team
    clerk = team_member_of(team, role=TeamRole.PRACTITIONER)
    client.force_login(clerk)
    assert client.get(f"/referrals/{late.pk}/").status_code == 404

    digests_at(time_machine, london(2026, 11, 23, 8, 0))

    mine = Notification.objects.get(user=officer, stage="digest")
    theirs = Notification.objects.get(user=clerk, stage="digest")
    assert late.reference in mine.body and "1 red" in mine.title
    assert late.reference not in theirs.body and "0 red" in theirs.title
    assert late.reference not in client.get("/deadlines/team/").content.decode()
    client.force_login(officer)
    assert late.reference in client.get("/deadlines/team/").content.decode()
