import pytest

from notifications.digest import send_digests
from notifications.models import DigestRun, Notification
from tests.notifications.helpers import london, submitted_at

pytestmark = pytest.mark.django_db


def test_digest_goes_to_the_front_door_once_per_slot_with_red_and_amber_by_owner():
    late = submitted_at(london(2026, 11, 19, 10, 0))  # due Fri 20 Nov: red on Monday
    officer = late.people["front_door"]
    send_digests(london(2026, 11, 23, 8, 0))
    send_digests(london(2026, 11, 23, 8, 4))  # same slot again (a second beat, a retry)
    digests = Notification.objects.filter(user=officer, stage="digest")
    assert digests.count() == 1
    assert "1 red, 0 amber" in digests[0].title
    assert late.reference in digests[0].body and "The front door:" in digests[0].body
    send_digests(london(2026, 11, 23, 12, 0))
    assert Notification.objects.filter(user=officer, stage="digest").count() == 2


def test_no_digest_before_the_first_slot_or_on_a_bank_holiday():
    submitted_at(london(2026, 12, 21, 10, 0))
    send_digests(london(2026, 12, 22, 7, 59))
    send_digests(london(2026, 12, 25, 8, 0))  # Christmas Day
    send_digests(london(2026, 12, 28, 12, 0))  # Boxing Day substitute
    assert not DigestRun.objects.exists()


def test_digest_times_are_configurable(settings):
    settings.DIGEST_TIMES = ["09:30"]
    submitted_at(london(2026, 11, 19, 10, 0))
    send_digests(london(2026, 11, 23, 9, 0))
    assert not DigestRun.objects.exists()
    send_digests(london(2026, 11, 23, 9, 31))
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
