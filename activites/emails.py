"""The e-mails to people who register: written to the outbox with what they announce, sent after it.

Each message is rendered once, in the person's language, as text and HTML (with the activity's
calendar file when it announces a seat). Sending happens after the commit, in the background: a
mail server that is down or slow never delays or breaks a registration. What could not be sent
stays in the outbox and `send_emails` (run every two minutes by the scheduler) tries again, waiting a
little longer each time.
"""

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.headerregistry import Address
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import close_old_connections, connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from activites import calendar
from activites.models import OutgoingEmail, Registration
from citedesmetiers.limits import one_line

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Kind:
    subject: str
    with_calendar: bool = False


KINDS = {
    "confirm_address": Kind(_("Confirm your registration: %(title)s")),
    "confirmed": Kind(_("You are registered: %(title)s"), with_calendar=True),
    "waiting": Kind(_("You are on the waiting list: %(title)s")),
    "promoted": Kind(_("A seat is yours: %(title)s"), with_calendar=True),
    "offered": Kind(_("A seat is offered to you: %(title)s")),
    "offer_expired": Kind(_("The seat offered to you went to the next person: %(title)s")),
    "reminder": Kind(_("Reminder: %(title)s"), with_calendar=True),
    "cancelled": Kind(_("Your registration is cancelled: %(title)s")),
    "activity_cancelled": Kind(_("Cancelled: %(title)s"), with_calendar=True),
    "activity_moved": Kind(_("Changed: %(title)s"), with_calendar=True),
}

# Waiting times between attempts: 1, 2, 4 ... minutes, at most 6 hours.
MAX_BACKOFF = timedelta(hours=6)


def _links(registration: Registration) -> dict:
    base = settings.SITE_URL
    page = reverse("activites:registration", args=[registration.token])
    return {
        "page": base + page,
        "activity": base + reverse("activites:agenda_activity", args=[registration.activity_id]),
        "calendar": base + reverse("activites:agenda_activity_ics", args=[registration.activity_id]),
    }


def email_queue(*, registration: Registration, kind: str, now: datetime) -> OutgoingEmail:
    """Writes one e-mail to `registration`'s address in their language; it leaves after the commit."""
    spec = KINDS[kind]
    activity = registration.activity
    with translation.override(registration.language):
        context = {
            "kind": kind,
            # The link to join online goes to people with a seat only.
            "show_online_link": kind in ("confirmed", "promoted", "reminder")
            or (kind == "activity_moved" and registration.status == Registration.Status.CONFIRMED),
            "registration": registration,
            "activity": activity,
            "links": _links(registration),
            "site_name": settings.SITE_NAMES[registration.language],
            "confirm_hours": settings.REGISTRATION_CONFIRM_HOURS,
            "retention_days": settings.REGISTRATION_RETENTION_DAYS,
            "offer_hours": settings.WAITING_LIST_OFFER_HOURS,
        }
        subject = str(spec.subject) % {"title": activity.title}
        body_text = render_to_string("activites/email/message.txt", context)
        body_html = render_to_string("activites/email/message.html", context)
        ics = calendar.calendar([activity], name=activity.title, now=now) if spec.with_calendar else ""
    email = OutgoingEmail.objects.create(
        registration=registration,
        kind=kind,
        to=registration.email,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        calendar=ics,
        created_at=now,
        next_attempt_at=now,
    )
    transaction.on_commit(_send_soon)
    return email


def _send_soon() -> None:
    if settings.EMAIL_SEND_IN_BACKGROUND:
        threading.Thread(target=_send_in_thread, name="send-emails", daemon=True).start()
    else:
        emails_send()


def _send_in_thread() -> None:
    try:
        emails_send()
    except Exception:  # the outbox keeps the message; the scheduler sends it later
        logger.exception("e-mail sending failed; send_emails will retry")
    finally:
        connection.close()
        close_old_connections()


def sender(language: str) -> str:
    """DEFAULT_FROM_EMAIL's address under the centre's name in `language` (Beroepenpunt in Dutch)."""
    name = settings.SITE_NAMES.get(language) or settings.SITE_NAMES[settings.LANGUAGE_CODE]
    return str(Address(display_name=name, addr_spec=parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))


def _message(email: OutgoingEmail) -> EmailMultiAlternatives:
    # One line, whatever the title held: a line break in a header would refuse the message for ever.
    subject = one_line(email.subject)
    language = email.registration.language if email.registration_id else settings.LANGUAGE_CODE
    message = EmailMultiAlternatives(subject, email.body_text, sender(language), [email.to])
    message.attach_alternative(email.body_html, "text/html")
    if email.calendar:
        message.attach("activity.ics", email.calendar, "text/calendar; charset=utf-8; method=PUBLISH")
    return message


def emails_send(*, now: datetime | None = None, limit: int = 100) -> tuple[int, int]:
    """Sends the messages that are due (oldest first); returns (sent, failed). Safe to run in parallel:
    each message is locked while it is sent, so none leaves twice."""
    sent = failed = 0
    for _attempt in range(limit):
        now_ = now or timezone.now()
        with transaction.atomic():
            email = (
                OutgoingEmail.objects.select_for_update(skip_locked=True)
                .filter(sent_at__isnull=True, next_attempt_at__lte=now_)
                .order_by("next_attempt_at", "pk")
                .first()
            )
            if email is None:
                break
            try:
                _message(email).send()
            except Exception as error:  # any failure of the mail server: try again later
                email.attempts += 1
                email.last_error = f"{type(error).__name__}: {error}"[:240]
                email.next_attempt_at = now_ + min(timedelta(minutes=2 ** (email.attempts - 1)), MAX_BACKOFF)
                email.save(update_fields=["attempts", "last_error", "next_attempt_at"])
                logger.warning(
                    "e-mail %s not sent (attempt %s): %s", email.pk, email.attempts, type(error).__name__
                )
                failed += 1
                # The server is unreachable: the others would fail too; the next run tries again.
                break
            email.attempts += 1
            email.sent_at = now_
            email.last_error = ""
            email.save(update_fields=["attempts", "sent_at", "last_error"])
            sent += 1
    return sent, failed
