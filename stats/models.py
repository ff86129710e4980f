"""The few figures and texts the app cannot compute: online audience per year, the annual report's words."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from citedesmetiers import limits
from citedesmetiers.models import TranslatedField
from citedesmetiers.photos import picture_path

FIRST_YEAR, LAST_YEAR = 2018, 2100
SHORT_TEXT_MAX = 160  # a name, a role, a title, an attribution
QUOTE_MAX = 600  # a quote set apart, a testimonial
ENTRY_TEXT_MAX = 2000  # one highlight's text
ALT_MAX = 300
YEARS = [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]


def year_in_range(model: str) -> models.CheckConstraint:
    """The database's side of YEARS."""
    return models.CheckConstraint(
        condition=models.Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR), name=f"stats_{model}_year_range"
    )


class OnlineCounts(models.Model):
    """What social media and the website counted (None: not known), and who entered it when."""

    facebook_followers = models.PositiveIntegerField(_("Facebook followers"), null=True, blank=True)
    twitter_followers = models.PositiveIntegerField(_("Twitter followers"), null=True, blank=True)
    web_page_views = models.PositiveIntegerField(_("web page views"), null=True, blank=True)
    updated_at = models.DateTimeField(_("changed on"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True


class OnlineFigures(OnlineCounts):
    """What the centre's social media and website counted in a calendar year (entered by the director)."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True, validators=YEARS)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("online figures")
        verbose_name_plural = _("online figures")
        permissions = [
            ("view_figures", _("Can see the figures of the whole centre")),
            ("view_partner_figures", _("Can see the figures of their institution")),
        ]
        constraints = [year_in_range("onlinefigures")]

    def __str__(self):
        return str(self.year)


class OnlineMonth(OnlineCounts):
    """What social media and the website counted in one month, where the director has it: page views of
    the month, followers at its end. Periods made of whole months are counted from these rows."""

    year = models.PositiveSmallIntegerField(_("year"), validators=YEARS)
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )

    class Meta:
        ordering = ["year", "month"]
        verbose_name = _("online figures of a month")
        verbose_name_plural = _("online figures of months")
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="stats_onlinemonth_unique"),
            year_in_range("onlinemonth"),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="stats_onlinemonth_month_valid"
            ),
        ]

    def __str__(self):
        return f"{self.year}-{self.month:02d}"


def report_picture_path(text: "ReportText", filename: str) -> str:
    return picture_path("stats/report", filename)


def described(photo: str) -> models.Q:
    """A photo field is empty or described in both languages of the publication."""
    return models.Q(**{photo: ""}) | (
        ~models.Q(**{f"{photo}_alt_fr": ""}) & ~models.Q(**{f"{photo}_alt_nl": ""})
    )


def description_errors(instance, photo: str) -> dict:
    """The form's side of `described`: an error on each missing description of a photo given."""
    if not getattr(instance, photo):
        return {}
    return {
        f"{photo}_alt_{language}": _("Describe the photo for readers who cannot see it.")
        for language in ("fr", "nl")
        if not getattr(instance, f"{photo}_alt_{language}").strip()
    }


class ReportText(models.Model):
    """The words and pictures of a year's annual report that the director gives: the cover picture, the
    preamble signed, the highlights and the team's photo (the timeline and the testimonials hang below)."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True, validators=YEARS)
    preamble_fr = models.TextField(_("preamble (French)"), blank=True, max_length=limits.REPORT_TEXT_MAX)
    preamble_nl = models.TextField(_("preamble (Dutch)"), blank=True, max_length=limits.REPORT_TEXT_MAX)
    preamble_en = models.TextField(_("preamble (English)"), blank=True, max_length=limits.REPORT_TEXT_MAX)
    highlights_fr = models.TextField(
        _("highlights (French)"),
        blank=True,
        max_length=limits.REPORT_TEXT_MAX,
        help_text=_("One highlight per paragraph; start with its date."),
    )
    highlights_nl = models.TextField(_("highlights (Dutch)"), blank=True, max_length=limits.REPORT_TEXT_MAX)
    highlights_en = models.TextField(_("highlights (English)"), blank=True, max_length=limits.REPORT_TEXT_MAX)
    signatory_name = models.CharField(
        _("signed by"),
        max_length=SHORT_TEXT_MAX,
        blank=True,
        help_text=_("The director's name, under the preamble."),
    )
    signatory_role_fr = models.CharField(_("role (French)"), max_length=SHORT_TEXT_MAX, blank=True)
    signatory_role_nl = models.CharField(_("role (Dutch)"), max_length=SHORT_TEXT_MAX, blank=True)
    signatory_role_en = models.CharField(_("role (English)"), max_length=SHORT_TEXT_MAX, blank=True)
    quote_fr = models.TextField(
        _("quote set apart (French)"),
        max_length=QUOTE_MAX,
        blank=True,
        help_text=_("A sentence of the preamble shown apart, in large type; optional."),
    )
    quote_nl = models.TextField(_("quote set apart (Dutch)"), max_length=QUOTE_MAX, blank=True)
    quote_en = models.TextField(_("quote set apart (English)"), max_length=QUOTE_MAX, blank=True)
    signatory_photo = models.FileField(
        _("signatory's photo"), upload_to=report_picture_path, max_length=200, blank=True
    )
    signature = models.FileField(
        _("signature"),
        upload_to=report_picture_path,
        max_length=200,
        blank=True,
        help_text=_("A picture of the handwritten signature, on a white background."),
    )
    cover_photo = models.FileField(
        _("cover picture"), upload_to=report_picture_path, max_length=200, blank=True
    )
    cover_photo_alt_fr = models.CharField(
        _("cover picture description (French)"), max_length=ALT_MAX, blank=True
    )
    cover_photo_alt_nl = models.CharField(
        _("cover picture description (Dutch)"), max_length=ALT_MAX, blank=True
    )
    cover_photo_alt_en = models.CharField(
        _("cover picture description (English)"), max_length=ALT_MAX, blank=True
    )
    team_photo = models.FileField(_("team photo"), upload_to=report_picture_path, max_length=200, blank=True)
    team_photo_alt_fr = models.CharField(_("team photo description (French)"), max_length=ALT_MAX, blank=True)
    team_photo_alt_nl = models.CharField(_("team photo description (Dutch)"), max_length=ALT_MAX, blank=True)
    team_photo_alt_en = models.CharField(
        _("team photo description (English)"), max_length=ALT_MAX, blank=True
    )
    updated_at = models.DateTimeField(_("changed on"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT, related_name="+"
    )

    # The words the director writes on the dashboard's form (stats.services.report_text_save).
    TEXT_FIELDS = (
        *(f"{text}_{language}" for text in ("preamble", "highlights") for language in ("fr", "nl", "en")),
        "signatory_name",
        *(f"{text}_{language}" for text in ("signatory_role", "quote") for language in ("fr", "nl", "en")),
    )

    preamble = TranslatedField("preamble")
    highlights = TranslatedField("highlights")
    signatory_role = TranslatedField("signatory_role")
    quote = TranslatedField("quote")
    cover_photo_alt = TranslatedField("cover_photo_alt")
    team_photo_alt = TranslatedField("team_photo_alt")

    # The pictures, uploaded in the back office (stats.admin), each with its descriptions where it has some.
    PHOTO_FIELDS = ("cover_photo", "signatory_photo", "signature", "team_photo")

    class Meta:
        ordering = ["-year"]
        verbose_name = _("annual report text")
        verbose_name_plural = _("annual report texts")
        constraints = [
            year_in_range("reporttext"),
            *(
                limits.text_at_most(
                    f"{text}_{language}",
                    limits.REPORT_TEXT_MAX,
                    name=f"stats_reporttext_{text}_{language}_length",
                )
                for text in ("preamble", "highlights")
                for language in ("fr", "nl", "en")
            ),
            *(
                limits.text_at_most(
                    f"quote_{language}", QUOTE_MAX, name=f"stats_reporttext_quote_{language}_length"
                )
                for language in ("fr", "nl", "en")
            ),
            models.CheckConstraint(
                condition=described("cover_photo"), name="stats_reporttext_cover_described"
            ),
            models.CheckConstraint(condition=described("team_photo"), name="stats_reporttext_team_described"),
        ]

    def __str__(self):
        return str(self.year)

    def clean(self):
        errors = description_errors(self, "cover_photo") | description_errors(self, "team_photo")
        if errors:
            raise ValidationError(errors)

    @property
    def highlight_paragraphs(self) -> list[str]:
        return [part.strip() for part in self.highlights.split("\n\n") if part.strip()]


def photo_path(entry: "Highlight", filename: str) -> str:
    return picture_path("stats/highlights", filename)


class Highlight(models.Model):
    """One entry of the year's timeline ("synthèse de l'année"): a day, a title and a text in French and
    Dutch (English optional), an optional photo with its alternative text in each language it is shown in."""

    report = models.ForeignKey(
        ReportText, verbose_name=_("report"), on_delete=models.CASCADE, related_name="highlight_entries"
    )
    day = models.DateField(_("date"))
    title_fr = models.CharField(_("title (French)"), max_length=SHORT_TEXT_MAX)
    title_nl = models.CharField(_("title (Dutch)"), max_length=SHORT_TEXT_MAX)
    title_en = models.CharField(_("title (English)"), max_length=SHORT_TEXT_MAX, blank=True)
    text_fr = models.TextField(_("text (French)"), max_length=ENTRY_TEXT_MAX)
    text_nl = models.TextField(_("text (Dutch)"), max_length=ENTRY_TEXT_MAX)
    text_en = models.TextField(_("text (English)"), max_length=ENTRY_TEXT_MAX, blank=True)
    photo = models.FileField(_("photo"), upload_to=photo_path, max_length=200, blank=True)
    photo_alt_fr = models.CharField(_("photo description (French)"), max_length=ALT_MAX, blank=True)
    photo_alt_nl = models.CharField(_("photo description (Dutch)"), max_length=ALT_MAX, blank=True)
    photo_alt_en = models.CharField(_("photo description (English)"), max_length=ALT_MAX, blank=True)

    title = TranslatedField("title")
    text = TranslatedField("text")
    photo_alt = TranslatedField("photo_alt")

    class Meta:
        ordering = ["day", "id"]
        verbose_name = _("highlight of the year")
        verbose_name_plural = _("highlights of the year")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(day__year=models.F("report_id")), name="stats_highlight_in_year"
            ),
            # A photo is always described, in both languages of the publication.
            models.CheckConstraint(condition=described("photo"), name="stats_highlight_photo_described"),
            *(
                limits.text_at_most(
                    f"text_{language}", ENTRY_TEXT_MAX, name=f"stats_highlight_text_{language}_length"
                )
                for language in ("fr", "nl", "en")
            ),
        ]

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {self.title_fr}"

    def clean(self):
        errors = {}
        if self.day and self.report_id and self.day.year != self.report_id:
            errors["day"] = _("The date must be in %(year)d.") % {"year": self.report_id}
        errors |= description_errors(self, "photo")
        if errors:
            raise ValidationError(errors)


class Testimonial(models.Model):
    """A short anonymous quote of someone the centre helped, with an optional attribution without a name."""

    report = models.ForeignKey(
        ReportText, verbose_name=_("report"), on_delete=models.CASCADE, related_name="testimonials"
    )
    quote_fr = models.TextField(_("quote (French)"), max_length=QUOTE_MAX)
    quote_nl = models.TextField(_("quote (Dutch)"), max_length=QUOTE_MAX)
    quote_en = models.TextField(_("quote (English)"), max_length=QUOTE_MAX, blank=True)
    attribution_fr = models.CharField(
        _("attribution (French)"),
        max_length=SHORT_TEXT_MAX,
        blank=True,
        help_text=_('Optional, never a name: "a job seeker, 34".'),
    )
    attribution_nl = models.CharField(_("attribution (Dutch)"), max_length=SHORT_TEXT_MAX, blank=True)
    attribution_en = models.CharField(_("attribution (English)"), max_length=SHORT_TEXT_MAX, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    quote = TranslatedField("quote")
    attribution = TranslatedField("attribution")

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("testimonial")
        verbose_name_plural = _("testimonials")
        constraints = [
            limits.text_at_most(
                f"quote_{language}", QUOTE_MAX, name=f"stats_testimonial_quote_{language}_length"
            )
            for language in ("fr", "nl", "en")
        ]

    def __str__(self):
        return self.quote_fr[:60]


class ProtectedYear(models.Model):
    """The marks of a year's publications (stats.publication), kept so that the protection is worked out
    once for the same counts: `fingerprint` is a digest of every count and relation it was made from."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True, validators=YEARS)
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    marks = models.JSONField(_("marks"), default=list)
    computed_at = models.DateTimeField(_("computed on"))

    class Meta:
        ordering = ["-year"]
        verbose_name = _("protection of a year's publications")
        verbose_name_plural = _("protections of the years' publications")

    def __str__(self):
        return str(self.year)
