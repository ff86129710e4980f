"""iCalendar (RFC 5545) files: one activity, or a feed of the agenda that a calendar app subscribes to."""

from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator

from activites.models import Activity, PlaceKind
from citedesmetiers.selectors import centre_address


def _escape(text: str) -> str:
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (never inside a character)."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, start, limit = [], 0, 75
    while len(data) - start > limit:
        end = start + limit
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: cut before its character
            end -= 1
        parts.append(data[start:end])
        start, limit = end, 74
    parts.append(data[start:])
    return b"\r\n ".join(parts).decode()


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _host() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "localhost"


# A feed's descriptions are cut to this many characters (the event's link leads to the whole text), so
# that a feed of FEED_SIZE activities stays under a megabyte whatever their descriptions hold.
FEED_DESCRIPTION = 1000
FEED_SIZE = 500


def _location(activity: Activity) -> str:
    """Where the activity is held, as a calendar reads it: a room of the centre with the centre's street
    address (in the active language), so that a phone's calendar can show the way; an outside address
    as typed; "Online" for an online one."""
    place = str(activity.place)
    if activity.place_kind == PlaceKind.ROOM:
        address = centre_address((translation.get_language() or "fr")[:2])
        if address:
            return f"{place}, {address}"
    return place


def _event(activity: Activity, *, stamp: datetime, brief: bool = False) -> list[str]:
    url = settings.SITE_URL + reverse("activites:agenda_activity", args=[activity.pk])
    description = Truncator(activity.description).chars(FEED_DESCRIPTION) if brief else activity.description
    if activity.online_url:
        description = f"{description}\n\n{activity.online_url}".strip()
    # The calendar file goes to people with a seat too: an online activity's place is its link.
    location = activity.online_url if activity.place_kind == PlaceKind.ONLINE else _location(activity)
    lines = [
        "BEGIN:VEVENT",
        f"UID:activity-{activity.pk}@{_host()}",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART:{_utc(activity.starts_at)}",
        f"DTEND:{_utc(activity.ends_at)}",
        f"SUMMARY:{_escape(activity.title)}",
        f"DESCRIPTION:{_escape(description)}",
        f"LOCATION:{_escape(location)}",
        f"URL:{url}",
        f"STATUS:{'CANCELLED' if activity.cancelled else 'CONFIRMED'}",
        # A change of time or place, or a cancellation, must replace the event in people's calendars.
        f"SEQUENCE:{activity.sequence}",
        "END:VEVENT",
    ]
    return lines


def calendar(
    activities: Iterable[Activity], *, name: str, now: datetime | None = None, brief: bool = False
) -> str:
    """The calendar file of these activities, in the active language (CRLF lines, folded); `brief` for a
    feed: descriptions cut to FEED_DESCRIPTION characters."""
    now = now or timezone.now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//Cite des metiers de Bruxelles//Agenda//{(translation.get_language() or 'fr').upper()}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
        f"X-WR-TIMEZONE:{settings.TIME_ZONE}",
        "REFRESH-INTERVAL;VALUE=DURATION:PT6H",
    ]
    for activity in activities:
        lines.extend(_event(activity, stamp=now, brief=brief))
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def webcal(url: str) -> str:
    """A feed's https address as a `webcal://` link, which calendar apps open as a subscription."""
    return "webcal://" + url.split("://", 1)[-1]


def _public_place(activity: Activity) -> str:
    # The link to join online goes to people with a seat only (in their e-mails), never in a public link.
    return _location(activity)


def google_link(activity: Activity, *, page_url: str) -> str:
    """A link that opens Google Calendar with the activity filled in (the person saves it)."""
    query = {
        "action": "TEMPLATE",
        "text": str(activity.title),
        "dates": f"{_utc(activity.starts_at)}/{_utc(activity.ends_at)}",
        "details": page_url,
        "location": _public_place(activity),
        "ctz": settings.TIME_ZONE,
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def outlook_link(activity: Activity, *, page_url: str) -> str:
    """A link that opens Outlook on the web with the activity filled in (the person saves it)."""
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": str(activity.title),
        "startdt": activity.starts_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "enddt": activity.ends_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "body": page_url,
        "location": _public_place(activity),
    }
    return "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(query)
