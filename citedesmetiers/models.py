"""The shared reference tables every app cuts its figures by, and the staff user model.

Vocabularies have their code as primary key: a visit row stores `gender_id = 'woman'`, so rows hold
codes (never translated text) while the database still enforces that each code exists.
"""

import unicodedata
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from citedesmetiers.photos import picture_path


def attname(model: type[models.Model], name: str) -> str:
    """The attribute that holds a field's value (`theme_id` for the foreign key `theme`)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise ValueError(f"{name} is not a column of {model.__name__}")
    return field.attname


class TranslatedText(str):
    """A staff-entered text that knows its language (`lang`), so that a page can mark a fallback
    (French on an English page) with `lang="fr"`: `{{ text|fallback_lang }}` in templates."""

    lang: str

    def __new__(cls, value: str = "", lang: str = ""):
        text = super().__new__(cls, value)
        text.lang = lang
        return text


class TranslatedField:
    """Reads `<name>_<language>` for the active language, falling back to French, Dutch, English; the
    value is a `TranslatedText` carrying the language it was found in."""

    def __init__(self, name: str):
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        language = (translation.get_language() or "fr")[:2]
        for code in (language, "fr", "nl", "en"):
            value = getattr(instance, f"{self.name}_{code}", "")
            if value:
                return TranslatedText(value, code)
        return ""


class CodedVocabulary(models.Model):
    """A coded list (gender, age band, ...): stable code, labels in three languages, display order."""

    code = models.SlugField(_("code"), max_length=32, primary_key=True)
    label_fr = models.CharField(_("label (French)"), max_length=120)
    label_nl = models.CharField(_("label (Dutch)"), max_length=120)
    label_en = models.CharField(_("label (English)"), max_length=120)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    label = TranslatedField("label")

    class Meta:
        abstract = True
        ordering = ["position", "code"]

    def __str__(self):
        return self.label


class Theme(CodedVocabulary):
    """One of the five themes, the axis of every visit, consultation, activity and figure."""

    description_fr = models.CharField(_("description (French)"), max_length=240)
    description_nl = models.CharField(_("description (Dutch)"), max_length=240)
    description_en = models.CharField(_("description (English)"), max_length=240)
    colour = models.CharField(
        _("colour"),
        max_length=7,
        help_text=_("Hexadecimal, with at least 4.5:1 contrast on white."),
    )
    letter = models.CharField(_("ticket letter"), max_length=1, unique=True)

    description = TranslatedField("description")

    class Meta(CodedVocabulary.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(colour__regex=r"^#[0-9A-Fa-f]{6}$"),
                name="citedesmetiers_theme_colour_hex",
            ),
        ]


class Gender(CodedVocabulary):
    class Meta(CodedVocabulary.Meta):
        verbose_name = _("gender")
        verbose_name_plural = _("genders")


class AgeBand(CodedVocabulary):
    """Fine age bands, so that every published grouping (<25, 25–49, 50+, ...) can be rebuilt."""

    min_age = models.PositiveSmallIntegerField(_("from age"))
    max_age = models.PositiveSmallIntegerField(_("to age"), null=True, blank=True)

    class Meta(CodedVocabulary.Meta):
        ordering = ["min_age"]
        verbose_name = _("age band")
        verbose_name_plural = _("age bands")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_age__isnull=True) | models.Q(max_age__gte=models.F("min_age")),
                name="citedesmetiers_ageband_range",
            ),
        ]


class Status(CodedVocabulary):
    class Meta(CodedVocabulary.Meta):
        verbose_name = _("status")
        verbose_name_plural = _("statuses")


class EducationLevel(CodedVocabulary):
    class Meta(CodedVocabulary.Meta):
        verbose_name = _("education level")
        verbose_name_plural = _("education levels")


class Residence(CodedVocabulary):
    """The 19 Brussels communes (code = NIS code), the two other regions, and abroad."""

    class Region(models.TextChoices):
        BRUSSELS = "brussels", _("Brussels-Capital Region")
        FLANDERS = "flanders", _("Flemish Region")
        WALLONIA = "wallonia", _("Walloon Region")
        ABROAD = "abroad", _("Abroad")

    region = models.CharField(_("region"), max_length=16, choices=Region.choices)

    class Meta(CodedVocabulary.Meta):
        verbose_name = _("place of residence")
        verbose_name_plural = _("places of residence")


class Language(CodedVocabulary):
    """A language of service or content (ISO 639-1 code); the list is open, as in 2022 (Ukrainian)."""

    endonym = models.CharField(_("name in the language itself"), max_length=60)

    class Meta(CodedVocabulary.Meta):
        verbose_name = _("language")
        verbose_name_plural = _("languages")


class Channel(CodedVocabulary):
    class Meta(CodedVocabulary.Meta):
        verbose_name = _("contact channel")
        verbose_name_plural = _("contact channels")


class Audience(models.TextChoices):
    """Who an activity or a resource is meant for (the agenda's and the catalogue's filter)."""

    EVERYONE = "everyone", _("Everyone")
    YOUNG = "young", _("Young people")
    JOB_SEEKERS = "job_seekers", _("Job seekers")
    WORKERS = "workers", _("Workers")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    OVER_50 = "over_50", _("People aged 50 and over")
    NEWCOMERS = "newcomers", _("Newcomers")
    PARENTS = "parents", _("Parents")
    PROFESSIONALS = "professionals", _("Professionals")

    @classmethod
    def labels_of(cls, codes) -> list[str]:
        """The labels of stored codes, in the active language (unknown codes left out)."""
        return [str(cls(code).label) for code in codes if code in cls.values]


def logo_path(partner: "Partner", filename: str) -> str:
    return picture_path("partners", filename)


class Partner(models.Model):
    """A partner institution: advisers on the floor (circle 1) or activities at the centre (circle 2)."""

    class Circle(models.IntegerChoices):
        ADVICE = 1, _("Circle 1: individual advice on site")
        ACTIVITIES = 2, _("Circle 2: collective activities")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=160)
    name_nl = models.CharField(_("name (Dutch)"), max_length=160)
    name_en = models.CharField(_("name (English)"), max_length=160, blank=True)
    circle = models.PositiveSmallIntegerField(_("circle"), choices=Circle.choices)
    promoter = models.BooleanField(
        _("promoter"), default=False, help_text=_("One of the institutions that carry the centre.")
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="+")
    website = models.URLField(_("website"), blank=True)
    logo = models.FileField(
        _("logo"),
        upload_to=logo_path,
        max_length=200,
        blank=True,
        help_text=_("Shown in the annual report's partners, on a white or transparent background."),
    )
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    name = TranslatedField("name")

    class Meta:
        ordering = ["circle", "position", "name_fr"]
        verbose_name = _("partner institution")
        verbose_name_plural = _("partner institutions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(circle__in=[1, 2]), name="citedesmetiers_partner_circle_valid"
            ),
        ]

    def __str__(self):
        return self.name


class Space(models.Model):
    """A space of the centre: reception, multimedia and documentary spaces, advice, activity rooms."""

    class Kind(models.TextChoices):
        RECEPTION = "reception", _("Reception")
        MULTIMEDIA = "multimedia", _("Multimedia space")
        DOCUMENTARY = "documentary", _("Documentary space")
        ADVICE = "advice", _("Advice space")
        ACTIVITY_ROOM = "activity_room", _("Activity room")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_nl = models.CharField(_("name (Dutch)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    description_fr = models.CharField(_("description (French)"), max_length=240, blank=True)
    description_nl = models.CharField(_("description (Dutch)"), max_length=240, blank=True)
    description_en = models.CharField(_("description (English)"), max_length=240, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("People at once; empty when not relevant."),
    )
    area = models.PositiveSmallIntegerField(
        _("area (m²)"), null=True, blank=True, help_text=_("Floor area, shown in the annual report.")
    )
    computers = models.PositiveSmallIntegerField(_("computers"), default=0)
    tablets = models.PositiveSmallIntegerField(_("tablets"), default=0)
    bookable = models.BooleanField(
        _("bookable for activities"),
        default=False,
        help_text=_("Offered when scheduling activities."),
    )
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    name = TranslatedField("name")
    description = TranslatedField("description")

    class Meta:
        ordering = ["position", "name_fr"]
        verbose_name = _("space")
        verbose_name_plural = _("spaces")

    def __str__(self):
        return self.name


class StaffManager(UserManager):
    def get_by_natural_key(self, username):
        # User names are case-insensitive: tablets capitalise the first letter on their own.
        return self.get(username__iexact=username)


class User(AbstractUser):
    """A staff account. Roles are groups (see roles.py); partner staff belong to their institution."""

    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    languages = models.ManyToManyField(
        Language,
        verbose_name=_("languages spoken"),
        blank=True,
        related_name="+",
        help_text=_("The languages in which this person can advise: the queue offers them those visitors."),
    )
    totp_secret = models.CharField(_("second factor secret"), max_length=64, blank=True, editable=False)
    totp_confirmed_at = models.DateTimeField(
        _("second factor set up on"), null=True, blank=True, editable=False
    )
    # The last time step accepted: a code is never accepted twice.
    totp_last_step = models.BigIntegerField(null=True, blank=True, editable=False)
    is_demo = models.BooleanField(
        _("demo account"),
        default=False,
        help_text=_("Created by the demo; such an account can only sign in when the demo mode is on."),
    )

    objects: ClassVar[StaffManager] = StaffManager()

    class Meta(AbstractUser.Meta):
        permissions = [("access_backoffice", _("Can use the back office"))]
        constraints = [
            models.UniqueConstraint(Lower("username"), name="citedesmetiers_user_username_ci_unique"),
        ]


def login_name(username: str) -> str:
    """The one form of a user name under which sign-in failures are counted and checked: as the sign-in
    form reads it (Unicode NFKC, so full-width letters are the plain ones), without surrounding spaces
    or NUL characters, casefolded (the account lookup ignores case), at most 150 characters."""
    normal = unicodedata.normalize("NFKC", username).replace("\x00", "").strip()
    return unicodedata.normalize("NFKC", normal.casefold())[:150]


class LoginFailure(models.Model):
    """One failed sign-in, kept for the throttling window only, under `login_name(username)`."""

    username = models.CharField(max_length=150)
    address = models.GenericIPAddressField(null=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [
            # The throttle counts the recent failures of one user name on every sign-in attempt.
            models.Index(fields=["username", "at"], name="citedesmetiers_loginfail_user"),
            models.Index(fields=["address", "at"], name="citedesmetiers_loginfail_addr"),
        ]

    def __str__(self):
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"


class AuditEntry(models.Model):
    """Who did what to which record, and when: append-only (a database trigger refuses changes).

    `changes` holds codes and times, `{field: [before, after]}`, never anything about a person.
    """

    at = models.DateTimeField(_("when"), db_index=True)
    actor = models.ForeignKey(
        User, verbose_name=_("who"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=40)
    object_type = models.CharField(_("type of record"), max_length=100)
    object_id = models.CharField(_("record"), max_length=64)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        permissions = [("view_institution_audit", _("Can read the audit trail of their institution"))]
        indexes = [
            # The history of one record is read on its correction page.
            models.Index(fields=["object_type", "object_id"], name="citedesmetiers_audit_object"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


class JobRun(models.Model):
    """One run of a periodic job by the scheduler (scheduler.py): when, how it ended, what it said.

    A run without an end is running, or was cut off (the process stopped or the server went down).
    """

    job = models.CharField(_("job"), max_length=60)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    succeeded = models.BooleanField(_("succeeded"), null=True)
    output = models.TextField(_("result"), blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("scheduled job run")
        verbose_name_plural = _("scheduled job runs")
        indexes = [
            # The scheduler reads the last start of each job on every tick.
            models.Index(fields=["job", "-started_at"], name="citedesmetiers_jobrun_last"),
        ]

    def __str__(self):
        return f"{self.job} {self.started_at:%Y-%m-%d %H:%M}"


# --- The centre's practical information (issue 17) -------------------------------------------------

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class CentreInfo(models.Model):
    """The centre's practical information, one row: address, opening hours per weekday, phone, e-mail,
    accessibility and a map link, edited by coordinators in the back office and shown on every page."""

    # Set by citedesmetiers.selectors.centre_info for the pages: each weekday's hours, the coming closures.
    week: list
    upcoming_closures: list

    address_fr = models.CharField(_("address (French)"), max_length=200)
    address_nl = models.CharField(_("address (Dutch)"), max_length=200)
    address_en = models.CharField(_("address (English)"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    map_url = models.URLField(_("map link"), blank=True)
    access_fr = models.TextField(_("accessibility (French)"), blank=True)
    access_nl = models.TextField(_("accessibility (Dutch)"), blank=True)
    access_en = models.TextField(_("accessibility (English)"), blank=True)
    transport_fr = models.TextField(_("public transport (French)"), blank=True)
    transport_nl = models.TextField(_("public transport (Dutch)"), blank=True)
    transport_en = models.TextField(_("public transport (English)"), blank=True)
    # One opening range per weekday; both empty: closed that day.
    monday_opens = models.TimeField(_("Monday: opens"), null=True, blank=True)
    monday_closes = models.TimeField(_("Monday: closes"), null=True, blank=True)
    tuesday_opens = models.TimeField(_("Tuesday: opens"), null=True, blank=True)
    tuesday_closes = models.TimeField(_("Tuesday: closes"), null=True, blank=True)
    wednesday_opens = models.TimeField(_("Wednesday: opens"), null=True, blank=True)
    wednesday_closes = models.TimeField(_("Wednesday: closes"), null=True, blank=True)
    thursday_opens = models.TimeField(_("Thursday: opens"), null=True, blank=True)
    thursday_closes = models.TimeField(_("Thursday: closes"), null=True, blank=True)
    friday_opens = models.TimeField(_("Friday: opens"), null=True, blank=True)
    friday_closes = models.TimeField(_("Friday: closes"), null=True, blank=True)
    saturday_opens = models.TimeField(_("Saturday: opens"), null=True, blank=True)
    saturday_closes = models.TimeField(_("Saturday: closes"), null=True, blank=True)
    sunday_opens = models.TimeField(_("Sunday: opens"), null=True, blank=True)
    sunday_closes = models.TimeField(_("Sunday: closes"), null=True, blank=True)
    is_demo = models.BooleanField(
        _("demo values"),
        default=False,
        help_text=_("Set by the demo data: untick once the information has been checked."),
    )

    address = TranslatedField("address")
    access = TranslatedField("access")
    transport = TranslatedField("transport")

    class Meta:
        verbose_name = _("practical information")
        verbose_name_plural = _("practical information")
        constraints = [
            # One centre, one row.
            models.CheckConstraint(condition=models.Q(id=1), name="citedesmetiers_centreinfo_single"),
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"{day}_opens__isnull": True, f"{day}_closes__isnull": True})
                    | models.Q(
                        **{
                            f"{day}_opens__isnull": False,
                            f"{day}_closes__gt": models.F(f"{day}_opens"),
                        }
                    ),
                    name=f"citedesmetiers_centreinfo_{day}_range",
                    violation_error_message=_(
                        "Give a day both its opening and closing times, closing after opening, or "
                        "leave both empty when the centre is closed."
                    ),
                )
                for day in WEEKDAYS
            ],
        ]

    def __str__(self):
        return str(_("Practical information"))


class Closure(models.Model):
    """An exceptional closure of the centre (public holiday, staff day...), from one day to another."""

    centre = models.ForeignKey(CentreInfo, on_delete=models.CASCADE, related_name="closures")
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("to (included)"))
    reason_fr = models.CharField(_("reason (French)"), max_length=120)
    reason_nl = models.CharField(_("reason (Dutch)"), max_length=120)
    reason_en = models.CharField(_("reason (English)"), max_length=120, blank=True)

    reason = TranslatedField("reason")

    class Meta:
        ordering = ["first_day"]
        verbose_name = _("exceptional closure")
        verbose_name_plural = _("exceptional closures")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")),
                name="citedesmetiers_closure_range",
                violation_error_message=_("A closure ends on or after its first day."),
            ),
        ]

    def __str__(self):
        return f"{self.first_day:%Y-%m-%d} – {self.last_day:%Y-%m-%d} {self.reason}"


class FiguresGeneration(models.Model):
    """For each kind of kept figures (KeptFigures), a number that triggers raise with every change to a
    row those figures count on a closed day: the kept figures are read only while it holds."""

    kind = models.CharField(_("kind"), max_length=32, primary_key=True)
    value = models.BigIntegerField(_("generation"), default=0)

    class Meta:
        verbose_name = _("generation of kept figures")
        verbose_name_plural = _("generations of kept figures")

    def __str__(self):
        return f"{self.kind}: {self.value}"


class KeptFigures(models.Model):
    """Figures of a span of closed days that cannot be added up from daily summaries (the queue's medians
    and percentiles, the activities'), counted once by their app and kept whole, for the whole centre or
    one `institution`, with the breakdowns `sets`: read only while `generation` is its kind's
    FiguresGeneration (citedesmetiers.summaries.Kept), so they can be out of date (then counted again),
    never wrong."""

    kind = models.CharField(_("kind"), max_length=32)
    first = models.DateField(_("first day"))
    last = models.DateField(_("last day"))
    institution = models.BigIntegerField(_("institution"), null=True, blank=True)
    sets = models.CharField(_("breakdowns"), max_length=200)
    generation = models.BigIntegerField(_("generation"))
    rows = models.JSONField(_("figures"))
    counted_at = models.DateTimeField(_("counted at"))

    class Meta:
        verbose_name = _("kept figures of closed days")
        verbose_name_plural = _("kept figures of closed days")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "first", "last", "institution", "sets"],
                name="citedesmetiers_kept_span",
                nulls_distinct=False,
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.first}/{self.last} {self.institution} {self.sets}"
