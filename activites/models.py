"""Collective activities, the registrations of the public, attendance at the door, and the e-mail outbox.

A registration holds the only personal data of the product (a first name or nickname and an e-mail
address). They are erased REGISTRATION_RETENTION_DAYS after the activity (`purge_registrations`) while
the row, its language and its attendance stay, so that every count survives the purge.
"""

import secrets

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, RangeOperators
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from citedesmetiers import dates, limits
from citedesmetiers.capture import CapturedEntry
from citedesmetiers.models import Audience, Language, Partner, Space, Theme, TranslatedField


class Kind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    INFO_SESSION = "info_session", _("Information session")
    CONFERENCE = "conference", _("Conference")
    RECRUITMENT = "recruitment", _("Recruitment session / job dating")
    FAIR = "fair", _("Fair")
    VISIT = "visit", _("Visit")
    JOB_DISCOVERY = "job_discovery", _("Job discovery")
    CLUB = "club", _("Club")
    DIGITAL_TUTORIAL = "digital_tutorial", _("Digital tutorial")
    THEMED_WEEK = "themed_week", _("Themed week")
    OUTREACH = "outreach", _("Outreach")


class Admission(models.TextChoices):
    FREE = "free", _("Free entry")
    REGISTRATION = "registration", _("Registration required")
    INVITATION = "invitation", _("Groups by invitation")


class PlaceKind(models.TextChoices):
    ROOM = "room", _("A room of the centre")
    ADDRESS = "address", _("An outside address")
    ONLINE = "online", _("Online")


class ActivityQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status__in=[Activity.Status.PUBLISHED, Activity.Status.CANCELLED])

    def held(self):
        """Activities that took place or will: published and not cancelled."""
        return self.filter(status=Activity.Status.PUBLISHED)


class Activity(models.Model):
    """One session of a collective activity at a date and time; a weekly series shares a `series`."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    partner = models.ForeignKey(
        Partner, verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="activities"
    )
    theme = models.ForeignKey(Theme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    audiences = ArrayField(
        models.CharField(max_length=20, choices=Audience.choices), verbose_name=_("audience"), default=list
    )
    languages = models.ManyToManyField(Language, verbose_name=_("session languages"), related_name="+")
    title_fr = models.CharField(_("title (French)"), max_length=160, blank=True)
    title_nl = models.CharField(_("title (Dutch)"), max_length=160, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=160, blank=True)
    description_fr = models.TextField(
        _("description (French)"), blank=True, max_length=limits.DESCRIPTION_MAX
    )
    description_nl = models.TextField(_("description (Dutch)"), blank=True, max_length=limits.DESCRIPTION_MAX)
    description_en = models.TextField(
        _("description (English)"), blank=True, max_length=limits.DESCRIPTION_MAX
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place_kind = models.CharField(_("place"), max_length=10, choices=PlaceKind.choices)
    room = models.ForeignKey(
        Space, verbose_name=_("room"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    address = models.CharField(_("address"), max_length=240, blank=True)
    online_url = models.URLField(_("link to join online"), blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, validators=[MaxValueValidator(limits.CAPACITY_MAX)]
    )
    admission = models.CharField(_("how people come"), max_length=16, choices=Admission.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    series = models.UUIDField(_("series"), null=True, blank=True, editable=False)
    # The key of the form that scheduled it, minted when the form was shown (shared by the sessions of a
    # weekly series): the same form sent twice schedules its sessions once.
    key = models.UUIDField(_("form key"), null=True, blank=True, editable=False)
    # Attendance: a headcount for free entry; the time attendance was first recorded (None: never).
    headcount = models.PositiveIntegerField(
        _("headcount"), null=True, blank=True, validators=[MaxValueValidator(limits.HEADCOUNT_MAX)]
    )
    attendance_recorded_at = models.DateTimeField(_("attendance recorded at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # The revision of its calendar entry (iCalendar SEQUENCE): one more at each change of time or place
    # and at its cancellation, so that people's calendars replace the event they hold.
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0, editable=False)

    title = TranslatedField("title")
    description = TranslatedField("description")

    objects = ActivityQuerySet.as_manager()

    # The columns people fill in (the form's values, the audit trail's snapshot).
    EDITABLE_FIELDS = (
        "partner", "theme", "kind", "audiences", "title_fr", "title_nl", "title_en", "description_fr",
        "description_nl", "description_en", "starts_at", "ends_at", "place_kind", "room", "address",
        "online_url", "capacity", "admission",
    )  # fmt: skip

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        permissions = [
            ("manage_all_activities", _("Can manage the activities of every organiser")),
            ("manage_partner_activities", _("Can manage the activities of their institution")),
        ]
        indexes = [
            # The public agenda reads the published (or cancelled) activities in time order, 30 at a time.
            models.Index(
                fields=["starts_at", "id"],
                condition=models.Q(status__in=["published", "cancelled"]),
                name="activites_activity_agenda",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="activites_activity_ends_after_start",
            ),
            models.CheckConstraint(
                condition=dates.in_range("starts_at"), name="activites_activity_starts_at_range"
            ),
            models.CheckConstraint(
                condition=dates.in_range("ends_at"), name="activites_activity_ends_at_range"
            ),
            limits.at_most("capacity", limits.CAPACITY_MAX, name="activites_activity_capacity_ceiling"),
            # The form asks for a confirmation above the places and refuses OVER_CAPACITY times them.
            limits.at_most("headcount", limits.HEADCOUNT_MAX, name="activites_activity_headcount_ceiling"),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True)
                | models.Q(headcount__isnull=True)
                | models.Q(headcount__lte=models.F("capacity") * limits.OVER_CAPACITY),
                name="activites_activity_headcount_within_capacity",
            ),
            *(
                limits.text_at_most(
                    f"description_{language}",
                    limits.DESCRIPTION_MAX,
                    name=f"activites_activity_description_{language}_length",
                )
                for language in ("fr", "nl", "en")
            ),
            models.CheckConstraint(
                condition=~models.Q(place_kind="room") | models.Q(room__isnull=False),
                name="activites_activity_room_given",
            ),
            models.CheckConstraint(
                condition=~models.Q(admission="registration") | models.Q(capacity__gte=1),
                name="activites_activity_registration_capacity",
            ),
            models.UniqueConstraint(fields=["key", "starts_at"], name="activites_activity_key_unique"),
            # A room is never booked twice at once. Ranges only (GiST without btree_gist): the room's
            # id as a one-point range.
            ExclusionConstraint(
                name="activites_activity_room_free",
                expressions=[
                    (
                        models.Func(
                            models.F("room_id"), models.F("room_id"), models.Value("[]"), function="int8range"
                        ),
                        RangeOperators.OVERLAPS,
                    ),
                    (
                        models.Func(models.F("starts_at"), models.F("ends_at"), function="tstzrange"),
                        RangeOperators.OVERLAPS,
                    ),
                ],
                condition=models.Q(room__isnull=False) & ~models.Q(status="cancelled"),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.starts_at:%Y-%m-%d %H:%M})"

    @property
    def cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def audience_labels(self) -> list[str]:
        return Audience.labels_of(self.audiences)

    @property
    def places(self) -> int | None:
        """How many people it is meant for: its seats, else its room's capacity (None: unknown)."""
        if self.capacity:
            return self.capacity
        return self.room.capacity if self.place_kind == PlaceKind.ROOM and self.room_id else None

    @property
    def place(self) -> str:
        if self.place_kind == PlaceKind.ROOM and self.room_id:
            return str(self.room)
        if self.place_kind == PlaceKind.ADDRESS:
            return self.address
        return str(PlaceKind.ONLINE.label)


def new_token() -> str:
    return secrets.token_urlsafe(24)


class RegistrationQuerySet(models.QuerySet):
    def seated(self):
        """Registrations holding a seat."""
        return self.filter(status=Registration.Status.CONFIRMED)

    def holding(self):
        """Registrations a seat is kept for: seated, or offered to someone from the waiting list who has
        not answered yet."""
        return self.filter(status__in=[Registration.Status.CONFIRMED, Registration.Status.OFFERED])


class Registration(models.Model):
    """A person's registration: a first name or nickname, an e-mail address, their language.

    Pending until the address is confirmed (a seat is given at confirmation, or a place on the waiting
    list); a seat that frees up is offered to the first person waiting and held for them until
    `offer_expires_at` (WAITING_LIST_OFFER_HOURS), then passes to the next; erased (`erased_at`, no
    name, no address) REGISTRATION_RETENTION_DAYS after the activity or on request.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the e-mail confirmation")
        CONFIRMED = "confirmed", _("Registered")
        WAITING = "waiting", _("On the waiting list")
        OFFERED = "offered", _("A seat is offered to you")
        CANCELLED = "cancelled", _("Cancelled")

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="registrations"
    )
    first_name = models.CharField(_("first name or nickname"), max_length=60, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("registered at"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # The order of the waiting list: when the person joined it.
    waiting_since = models.DateTimeField(_("on the waiting list since"), null=True, blank=True)
    # A seat offered from the waiting list is held until then; unanswered, it goes to the next person.
    offer_expires_at = models.DateTimeField(_("seat offered until"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    # Attendance: None until someone ticks the list (True: came; False: did not come).
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    erased_at = models.DateTimeField(_("personal data erased at"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            # One live registration per address and activity: registering twice finds the first one.
            models.UniqueConstraint(
                "activity",
                Lower("email"),
                condition=models.Q(status__in=["pending", "confirmed", "waiting", "offered"])
                & ~models.Q(email=""),
                name="activites_registration_one_per_address",
            ),
        ]
        indexes = [
            models.Index(fields=["activity", "status"], name="activites_registration_status"),
            # The scheduler looks for the offers whose time ran out.
            models.Index(
                fields=["offer_expires_at"],
                condition=models.Q(status="offered"),
                name="activites_registration_offer",
            ),
        ]

    def __str__(self):
        return f"{self.activity_id}#{self.pk} {self.status}"


class WalkIn(CapturedEntry):
    """People who came to an activity without registering: "+1" at the door (a count for a group)."""

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="walk_ins")
    count = models.PositiveSmallIntegerField(default=1)

    class Meta(CapturedEntry.Meta):
        verbose_name = _("walk-in")
        verbose_name_plural = _("walk-ins")
        constraints = [
            *CapturedEntry.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(count__gte=1, count__lte=limits.WALK_IN_MAX),
                name="activites_walkin_count_range",
            ),
        ]


class RegistrationAttempt(models.Model):
    """One use of the public registration form, kept an hour for its rate limit. The client's address
    is kept as a keyed hash only."""

    address_hash = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["address_hash", "at"], name="activites_attempt_address")]

    def __str__(self):
        return f"{self.address_hash[:8]} {self.at:%Y-%m-%d %H:%M}"


class OutgoingEmail(models.Model):
    """An e-mail waiting to be sent or sent: written in the same transaction as what it announces,
    sent after the commit, retried by `send_emails` while the mail server is unreachable."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, null=True, blank=True, related_name="emails"
    )
    kind = models.CharField(max_length=24)
    to = models.EmailField()
    subject = models.CharField(max_length=240)
    body_text = models.TextField()
    body_html = models.TextField()
    calendar = models.TextField(blank=True)
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=240, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            # The sender reads the messages due, oldest first.
            models.Index(
                fields=["next_attempt_at"],
                name="activites_email_due",
                condition=models.Q(sent_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class AgendaStamp(models.Model):
    """One row: a number the database raises with every change to the activities, their languages and
    their registrations (statement triggers, migration 0006), whoever makes it — a service, the back
    office, a bulk update. The public agenda's cached pages are those of the current number (activites.
    pages), so that the seats it shows are never those of an earlier registration."""

    version = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="activites_agendastamp_single")]

    def __str__(self):
        return str(self.version)
