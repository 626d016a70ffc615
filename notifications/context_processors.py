from notifications.health import sweep_is_stale
from notifications.selectors import unread_count


def inbox_and_health(request):
    """The unread count for the header, and the banner when reminders have stopped."""
    if not request.user.is_authenticated:
        return {}
    return {"unread_count": unread_count(request.user), "reminders_stalled": sweep_is_stale()}
