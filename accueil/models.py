"""Visits logged at the reception desk, and the tickets of the walk-in queue."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from citedesmetiers.capture import CapturedEntry
from citedesmetiers.models import AgeBand, Channel, Gender, Language, Partner, Residence, Status, Theme
from citedesmetiers.summaries import SummaryRow


class Orientation(models.TextChoices):
    """Where the reception desk directs a person."""

    ADVICE = "advice", _("Individual advice")
    MULTIMEDIA = "multimedia", _("Multimedia space")
    DOCUMENTARY = "documentary", _("Documentary space")
    ACTIVITY = "activity", _("Collective activity")
    INFORMATION = "information", _("Information only")


class Visit(CapturedEntry):
    """One person (or one group, with its count) at the desk, or one remote contact. Anonymous.

    No theme means general information. The profile fields are optional codes, never free text.
    """

    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    orientation = models.CharField(_("directed to"), max_length=16, choices=Orientation.choices)
    language = models.ForeignKey(
        Language, verbose_name=_("language"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.PROTECT, related_name="+"
    )
    count = models.PositiveSmallIntegerField(
        _("number of people"), default=1, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    gender = models.ForeignKey(
        Gender, verbose_name=_("gender"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    age_band = models.ForeignKey(
        AgeBand, verbose_name=_("age band"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.ForeignKey(
        Status, verbose_name=_("status"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    residence = models.ForeignKey(
        Residence,
        verbose_name=_("place of residence"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta(CapturedEntry.Meta):
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        constraints = [
            *CapturedEntry.Meta.constraints,
            models.CheckConstraint(
                condition=Q(count__gte=1, count__lte=500), name="accueil_visit_count_range"
            ),
            models.CheckConstraint(
                condition=Q(orientation__in=Orientation.values), name="accueil_visit_orientation_valid"
            ),
            # The queue is organised by theme: individual advice needs one.
            models.CheckConstraint(
                condition=~Q(orientation=Orientation.ADVICE) | Q(theme__isnull=False),
                name="accueil_visit_advice_has_theme",
            ),
        ]
        indexes = [
            # Every daily, monthly and yearly figure selects visits by the time they happened.
            models.Index(fields=["occurred_at"], name="accueil_visit_occurred"),
            # The desk lists its author's latest entries after each one.
            models.Index(fields=["recorded_by", "-recorded_at"], name="accueil_visit_author_recent"),
        ]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.theme_id or '-'} {self.orientation} ×{self.count}"


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Called")
    SERVING = "serving", _("In consultation")
    DONE = "done", _("Served")
    WALKED_AWAY = "walked_away", _("Walked away")
    NOT_SERVED = "not_served", _("Not served")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = [TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING]
# The channels of a person present in the centre: the desk's "on site" and the self-service kiosk at the
# entrance. Their visits are on-site visits in every figure, and get a queue ticket for individual advice.
KIOSK_CHANNEL = "kiosk"
ON_SITE_CHANNELS = ("on_site", KIOSK_CHANNEL)


class Priority(models.TextChoices):
    """Why a ticket goes ahead of the others of its group: a reason code, never anything about the
    person beyond it (docs/reception.md, "The queue")."""

    NONE = "", _("No priority")
    REDUCED_MOBILITY = "mobility", _("Reduced mobility or disability")
    PREGNANCY = "pregnancy", _("Pregnancy")
    WITH_CHILD = "child", _("With a young child")
    RETURNING = "returning", _("Sent back by an adviser (second step of the same visit)")
    APPOINTMENT = "appointment", _("Expected at a set time")


def ticket_token() -> str:
    """The secret of a ticket's phone page: 128 random bits, not guessable from the number."""
    return secrets.token_urlsafe(16)


class Ticket(models.Model):
    """A place in the walk-in queue for individual advice: a short number of the day, by theme."""

    visit = models.OneToOneField(
        Visit, verbose_name=_("visit"), on_delete=models.PROTECT, related_name="ticket"
    )
    service_date = models.DateField(_("day"))
    number = models.PositiveSmallIntegerField(_("number"))
    theme = models.ForeignKey(Theme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="+")
    language = models.ForeignKey(
        Language, verbose_name=_("language"), on_delete=models.PROTECT, related_name="+"
    )
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("requested institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=TicketStatus.choices, default=TicketStatus.WAITING
    )
    issued_at = models.DateTimeField(_("issued at"))
    called_at = models.DateTimeField(_("first called at"), null=True, blank=True)
    announced_at = models.DateTimeField(_("last called at"), null=True, blank=True)
    served_at = models.DateTimeField(_("consultation started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    calls = models.PositiveSmallIntegerField(_("times called"), default=0)
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("adviser"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    desk = models.CharField(_("desk"), max_length=20, blank=True)
    # The letter printed on the ticket: it stays when the ticket is transferred to another theme.
    letter = models.CharField(_("letter"), max_length=1, blank=True)
    priority = models.CharField(
        _("priority"), max_length=16, choices=Priority.choices, default=Priority.NONE, blank=True
    )
    token = models.CharField(_("phone page key"), max_length=32, unique=True, default=ticket_token)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        permissions = [
            ("serve_ticket", _("Can call and serve people waiting in the queue")),
            ("manage_ticket", _("Can transfer, give priority to and cancel tickets waiting in the queue")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["service_date", "number"], name="accueil_ticket_number_unique"),
            models.CheckConstraint(
                condition=Q(status__in=TicketStatus.values), name="accueil_ticket_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(priority__in=Priority.values), name="accueil_ticket_priority_valid"
            ),
        ]
        indexes = [
            # "Call next" and the waiting-room screen read the waiting tickets of the day, oldest first.
            models.Index(
                fields=["service_date", "theme", "language", "issued_at"],
                condition=Q(status="waiting"),
                name="accueil_ticket_waiting",
            ),
            models.Index(fields=["issued_at"], name="accueil_ticket_issued"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """What the person reads on the ticket and the screen: the theme's letter and the number."""
        return f"{self.letter or self.theme.letter}{self.number:03d}"


class TicketCounter(models.Model):
    """The last ticket number given on a day; incremented atomically by one upsert."""

    service_date = models.DateField(primary_key=True)
    last = models.PositiveSmallIntegerField()

    def __str__(self):
        return f"{self.service_date}: {self.last}"


class Duty(models.Model):
    """An adviser at a desk, ready to call people: from "I'm on duty" until "off duty" or the queue's
    closing. Who is on duty is what the waiting times and reception's coverage alerts count on."""

    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("adviser"), on_delete=models.PROTECT, related_name="+"
    )
    service_date = models.DateField(_("day"))
    desk = models.CharField(_("desk"), max_length=20, blank=True)
    started_at = models.DateTimeField(_("on duty from"))
    ended_at = models.DateTimeField(_("off duty at"), null=True, blank=True)

    class Meta:
        verbose_name = _("duty")
        verbose_name_plural = _("duties")
        constraints = [
            models.UniqueConstraint(
                fields=["adviser"], condition=Q(ended_at__isnull=True), name="accueil_duty_one_open"
            ),
        ]
        indexes = [models.Index(fields=["service_date"], name="accueil_duty_day")]

    def __str__(self):
        return f"{self.service_date} {self.adviser_id} {self.desk}"


class VisitDay(SummaryRow):
    """People in contact on one closed day by channel and by each grouping of the figures: written only
    by the daily summaries (accueil.selectors.VISIT_DAYS, citedesmetiers.summaries), forgotten by the
    triggers as soon as an entry of that day changes."""

    channel = models.CharField(_("channel"), max_length=32, null=True, blank=True)  # noqa: DJ001 (None: a mark)
    people = models.IntegerField(_("people"))

    class Meta(SummaryRow.Meta):
        verbose_name = _("daily summary of the visits")
        verbose_name_plural = _("daily summaries of the visits")

    def __str__(self):
        return f"{self.day} {self.channel} {self.grouping}={self.code}: {self.people}"
