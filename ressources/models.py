"""The documentary catalogue and the multimedia space's counts (entries, occupancy sweeps, digital help)."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Func
from django.db.models.functions import Coalesce, NullIf
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.translation import gettext_lazy as _

from citedesmetiers import limits
from citedesmetiers.capture import CapturedEntry
from citedesmetiers.models import Audience, CodedVocabulary, Language, Theme, TranslatedField

# The text search configuration of each language a title or summary is written in.
SEARCH_CONFIGS = {"fr": "french", "nl": "dutch", "en": "english"}


class Fold(models.Func):
    """Text without its accents (`ressources_fold`, created by migration 0001): `é` → `e`, one
    character for one, so that a position in the folded text is the same position in the original."""

    function = "ressources_fold"
    output_field = models.TextField()


class Prepared(models.Func):
    """A text as the search reads it in a language (`ressources_prepare`, migration 0005): folded, and in
    French with its feminine endings made masculine (`infirmière` → `infirmier`, `vendeuse` →
    `vendeur`, `directrice` → `directeur`, `technicienne` → `technicien`, `active` → `actif`),
    which the French stemmer, given text without accents, would otherwise keep apart."""

    function = "ressources_prepare"
    output_field = models.TextField()

    def __init__(self, config: str, expression, **extra):
        super().__init__(models.Value(config), expression, **extra)

    def as_sql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection, template="%(function)s(%(expressions)s)", arg_joiner="::regconfig, "
        )


def _searchable():
    vectors = [
        SearchVector(Prepared(config, f"{column}_{language}"), config=config, weight=weight)
        for column, weight in (("title", "A"), ("summary", "B"))
        for language, config in SEARCH_CONFIGS.items()
    ]
    combined = vectors[0]
    for vector in vectors[1:]:
        combined = combined + vector
    return combined


class Kind(models.TextChoices):
    BROCHURE = "brochure", _("Brochure")
    BOOK = "book", _("Book")
    GUIDE = "guide", _("Guide")
    WEBSITE = "website", _("Website")
    ONLINE_TOOL = "online_tool", _("Online tool")
    VIDEO = "video", _("Video")
    DOCUMENT = "document", _("Document to download")


def upload_path(resource: "Resource", filename: str) -> str:
    # A random name: nobody guesses another file's address, and a person's file name never becomes a path.
    return f"ressources/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class Resource(models.Model):
    """A brochure, book, guide, website, online tool, video or document of the catalogue."""

    # Minted when the form is shown: the same form sent twice (a double click, a reload) adds one resource.
    key = models.UUIDField(_("form key"), default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary_fr = models.TextField(_("summary (French)"), max_length=2000)
    summary_nl = models.TextField(_("summary (Dutch)"), max_length=2000)
    summary_en = models.TextField(_("summary (English)"), max_length=2000, blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), related_name="+")
    audiences = ArrayField(
        models.CharField(max_length=20, choices=Audience.choices),
        verbose_name=_("audience"),
        default=list,
        blank=True,
        help_text=_("None: everyone."),
    )
    language = models.ForeignKey(
        Language, verbose_name=_("language of the content"), on_delete=models.PROTECT, related_name="+"
    )
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to=upload_path, max_length=200, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    file_type = models.CharField(_("file type"), max_length=100, blank=True)
    file_size = models.PositiveIntegerField(_("file size"), null=True, blank=True)
    shelf_theme = models.ForeignKey(
        Theme,
        verbose_name=_("shelf"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For a paper copy: the theme's shelves of the documentary space."),
    )
    shelf_mark = models.CharField(
        _("place on the shelf"), max_length=20, blank=True, help_text=_("For example B3 or “Brochures 2”.")
    )
    link_reported_at = models.DateTimeField(_("link reported broken on"), null=True, blank=True)
    link_reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("link reported broken by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("added on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("changed on"))
    # Kept by PostgreSQL itself from the titles and summaries, each stemmed in its own language.
    search = models.GeneratedField(
        expression=_searchable(), output_field=SearchVectorField(), db_persist=True, editable=False
    )

    # The words of the titles and summaries as written (lowercase, accents kept, no stemming): the
    # vocabulary that a typo is corrected from (selectors.corrections), read with ts_stat.
    words = models.GeneratedField(
        expression=SearchVector(
            *(f"{column}_{language}" for column in ("title", "summary") for language in SEARCH_CONFIGS),
            config="simple",
        ),
        output_field=SearchVectorField(),
        db_persist=True,
        editable=False,
    )

    title = TranslatedField("title")
    summary = TranslatedField("summary")

    # The columns a coordinator edits, in the form and in the audit trail.
    EDITABLE_FIELDS = (
        "kind",
        "title_fr",
        "title_nl",
        "title_en",
        "summary_fr",
        "summary_nl",
        "summary_en",
        "audiences",
        "language",
        "url",
        "shelf_theme",
        "shelf_mark",
    )

    class Meta:
        ordering = ["title_fr", "pk"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        permissions = [("report_broken_link", _("Can report a broken link"))]
        constraints = [
            models.UniqueConstraint(fields=["key"], name="ressources_resource_key_unique"),
            models.CheckConstraint(
                condition=~models.Q(url="", file="", shelf_theme__isnull=True),
                name="ressources_resource_somewhere",
                violation_error_message=_("Give a link, a file or a place on the shelves."),
            ),
            *(
                limits.text_at_most(
                    f"summary_{language}", 2000, name=f"ressources_resource_summary_{language}_length"
                )
                for language in ("fr", "nl", "en")
            ),
        ]
        indexes = [
            # The catalogue's search: `search @@ query` without reading the table.
            GinIndex(fields=["search"], name="ressources_resource_search"),
            # The catalogue without words, in the alphabetical order of the page's language.
            models.Index(fields=["title_fr", "id"], name="ressources_resource_title_fr"),
            models.Index(fields=["title_nl", "id"], name="ressources_resource_title_nl"),
            models.Index(
                Coalesce(NullIf("title_en", models.Value("")), "title_fr"),
                "id",
                name="ressources_resource_title_en",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def link_broken(self) -> bool:
        return self.link_reported_at is not None

    @property
    def audience_labels(self) -> list[str]:
        return Audience.labels_of(self.audiences)

    @property
    def on_shelf(self) -> bool:
        return self.shelf_theme_id is not None


class Synonym(models.Model):
    """Words the centre treats as one in the documentation search, in French, Dutch and English: a
    search for any of them also finds the others (*apprentissage* ↔ *alternance* ↔ *duaal leren*)."""

    terms_fr = ArrayField(
        models.CharField(max_length=80),
        verbose_name=_("words in French"),
        default=list,
        blank=True,
        help_text=_("Separated by commas; a word may be several words (“curriculum vitae”)."),
    )
    terms_nl = ArrayField(
        models.CharField(max_length=80), verbose_name=_("words in Dutch"), default=list, blank=True
    )
    terms_en = ArrayField(
        models.CharField(max_length=80), verbose_name=_("words in English"), default=list, blank=True
    )
    demo = models.BooleanField(
        _("demo"), default=False, help_text=_("Added by the demo (make run), not by the centre.")
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("synonym")
        verbose_name_plural = _("synonyms")
        constraints = [
            models.CheckConstraint(
                condition=GreaterThanOrEqual(
                    sum(
                        (
                            Func(
                                f"terms_{language}",
                                function="cardinality",
                                output_field=models.IntegerField(),
                            )
                            for language in ("nl", "en")
                        ),
                        start=Func("terms_fr", function="cardinality", output_field=models.IntegerField()),
                    ),
                    2,
                ),
                name="ressources_synonym_two_terms",
                violation_error_message=_("Give at least two words that mean the same."),
            ),
        ]

    def __str__(self):
        return " = ".join([*self.terms_fr, *self.terms_nl, *self.terms_en])

    def terms(self) -> list[tuple[str, str]]:
        """(language, term) of every word of the group."""
        return [
            (language, term) for language in ("fr", "nl", "en") for term in getattr(self, f"terms_{language}")
        ]


class HelpTopic(CodedVocabulary):
    """What a steward helped someone with: an e-mail address, an online job application, a CV tool..."""

    class Meta(CodedVocabulary.Meta):
        verbose_name = _("digital help topic")
        verbose_name_plural = _("digital help topics")


class SpaceEntry(CapturedEntry):
    """People entering the multimedia space: one row per tap, `count` people (a group is one tap)."""

    KIND = "entry"  # how the tablet's templates tell the kinds of entries apart

    count = models.PositiveSmallIntegerField(_("number of people"), default=1)

    class Meta(CapturedEntry.Meta):
        verbose_name = _("multimedia space entry")
        verbose_name_plural = _("multimedia space entries")
        constraints = [
            *CapturedEntry.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(count__gte=1, count__lte=100), name="ressources_spaceentry_count_range"
            ),
        ]
        indexes = [models.Index(fields=["occurred_at"], name="ressources_spaceentry_when")]


class OccupancySweep(CapturedEntry):
    """How many people use the computers, the tablets and the documentary space at one moment."""

    KIND = "sweep"

    computers = models.PositiveSmallIntegerField(_("computers in use"))
    tablets = models.PositiveSmallIntegerField(_("tablets in use"))
    documentary = models.PositiveSmallIntegerField(_("people in the documentary space"))

    class Meta(CapturedEntry.Meta):
        verbose_name = _("occupancy count")
        verbose_name_plural = _("occupancy counts")
        constraints = [
            *CapturedEntry.Meta.constraints,
            *(
                limits.at_most(place, limits.OCCUPANCY_MAX, name=f"ressources_occupancysweep_{place}_ceiling")
                for place in ("computers", "tablets", "documentary")
            ),
        ]
        indexes = [models.Index(fields=["occurred_at"], name="ressources_sweep_when")]

    @property
    def people(self) -> int:
        return self.computers + self.tablets + self.documentary


class DigitalHelp(CapturedEntry):
    """A steward helped someone (anonymously): on what, within which theme, for how long."""

    KIND = "help"

    topic = models.ForeignKey(HelpTopic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="+")
    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))

    class Meta(CapturedEntry.Meta):
        verbose_name = _("digital help")
        verbose_name_plural = _("digital help")
        constraints = [
            *CapturedEntry.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=1, duration_minutes__lte=240),
                name="ressources_digitalhelp_duration_range",
            ),
        ]
        indexes = [models.Index(fields=["occurred_at"], name="ressources_digitalhelp_when")]
