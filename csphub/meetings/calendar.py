"""Calendar invitations (RFC 5545 iCalendar, written by the ``icalendar`` package): the series' name, the time and
the place of one meeting; nothing from its agenda."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from csphub.meetings.models import Meeting


def invitation(meeting: Meeting, url: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", f"-//{settings.CSPHUB_SERVICE_NAME}//meetings//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{meeting.uuid}@{settings.CSPHUB_SERVICE_NAME}")
    event.add("summary", meeting.series.name)
    event.add("dtstart", timezone.localtime(meeting.starts_at))
    event.add("dtend", timezone.localtime(meeting.ends_at))
    event.add("dtstamp", timezone.now())
    if meeting.location:
        event.add("location", meeting.location)
    event.add("description", f"The agenda and papers (signed in): {url}")
    event.add("url", url)
    event.add("status", "CANCELLED" if meeting.status == "cancelled" else "CONFIRMED")
    cal.add_component(event)
    return cal.to_ical()
