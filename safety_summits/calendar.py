"""Calendar invitations (.ics) for the Early Help meetings: time and place only, no case
content beyond a school's name; the details are on the page behind sign-in. SEQUENCE is the
record's version, so a rescheduled meeting updates the calendar entry."""

import datetime as dt

from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event


def _utc(moment):
    return moment.astimezone(dt.UTC).replace(microsecond=0)


def invitation(request, record, *, uid: str, summary: str, location: str, filename: str):
    url = request.build_absolute_uri(record.get_absolute_url())
    calendar = Calendar()
    calendar.add("prodid", "-//School context referrals//Early Help meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{uid}@school-referrals")
    event.add("dtstamp", _utc(timezone.now()))
    event.add("dtstart", _utc(record.starts_at))
    event.add("dtend", _utc(record.ends_at))
    event.add("sequence", record.version)
    event.add("summary", summary)
    event.add("location", location)
    event.add("description", f"The details are on the page (sign in): {url}")
    event.add("url", url)
    calendar.add_component(event)
    starts = timezone.localtime(record.starts_at)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{starts:%Y-%m-%d}.ics"'
    return response
