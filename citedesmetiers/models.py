"""The shared reference tables every app cuts its figures by, and the staff user model.

Vocabularies have their code as primary key: a visit row stores `gender_id = 'woman'`, so rows hold
codes (never translated text) while the database still enforces that each code exists.
"""

import unicodedata

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class TranslatedField:
    """Reads `<name>_<language>` for the active language, falling back to French, Dutch, English."""

    def __init__(self, name: str):
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        language = (translation.get_language() or "fr")[:2]
        for code in (language, "fr", "nl", "en"):
            value = getattr(instance, f"{self.name}_{code}", "")
            if value:
                return value
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

    objects = StaffManager()

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
