from notifications.health import outbox_is_stalled, sweep_is_stale
from notifications.selectors import unread_count


def inbox_and_health(request):
    """The unread count for the header, and the banners when reminders or emails have stopped."""
    if not request.user.is_authenticated:
        return {}
    return {
        "unread_count": unread_count(request.user),
        "reminders_stalled": sweep_is_stale(),
        "emails_stalled": outbox_is_stalled(),
    }
