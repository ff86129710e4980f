"""The few figures and texts the app cannot compute: online audience per year, the annual report's words."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from citedesmetiers import limits
from citedesmetiers.models import TranslatedField

FIRST_YEAR, LAST_YEAR = 2018, 2100
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


class ReportText(models.Model):
    """The words of a year's annual report that the director writes: the preamble and the highlights."""

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
    updated_at = models.DateTimeField(_("changed on"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT, related_name="+"
    )

    preamble = TranslatedField("preamble")
    highlights = TranslatedField("highlights")

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
        ]

    def __str__(self):
        return str(self.year)

    @property
    def highlight_paragraphs(self) -> list[str]:
        return [part.strip() for part in self.highlights.split("\n\n") if part.strip()]


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
