"""Calendar invitations (RFC 5545 iCalendar, written by the ``icalendar`` package): the series' name, the time and
the place of one meeting; nothing from its agenda.

The event's UID is the meeting's, and its SEQUENCE goes up each time the meeting moves or is cancelled, so a calendar
that holds the invitation replaces it. A cancelled meeting's invitation is a cancellation (RFC 5546 iTIP:
``METHOD:CANCEL``, ``STATUS:CANCELLED``) that calendars use to remove the event."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

from csphub.meetings.models import Meeting


def invitation(meeting: Meeting, url: str) -> bytes:
    cancelled = meeting.is_cancelled
    cal = Calendar()
    cal.add("prodid", f"-//{settings.CSPHUB_SERVICE_NAME}//meetings//EN")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", f"{meeting.uuid}@{settings.CSPHUB_SERVICE_NAME}")
    event.add("sequence", meeting.sequence)
    event.add("summary", f"Cancelled: {meeting.series.name}" if cancelled else meeting.series.name)
    event.add("dtstart", timezone.localtime(meeting.starts_at))
    event.add("dtend", timezone.localtime(meeting.ends_at))
    event.add("dtstamp", timezone.now())
    # iTIP wants an organiser on a cancellation: the service's own address (no person's).
    organiser = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organiser.params["cn"] = settings.CSPHUB_SERVICE_NAME
    event.add("organizer", organiser)
    if meeting.location:
        event.add("location", meeting.location)
    if cancelled:
        event.add("description", f"This meeting is cancelled. The series' meetings (signed in): {url}")
    else:
        event.add("description", f"The agenda and papers (signed in): {url}")
    event.add("url", url)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    cal.add_component(event)
    return cal.to_ical()
