"""The report of a period put together once for every way it is shown: the days counted and the same days
a year earlier, the tables (protected when the output is a publication: stats.publication), the charts,
the director's texts and the partners."""

import functools
from dataclasses import dataclass

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citedesmetiers.models import Partner, Space, Theme
from citedesmetiers.photos import COVER_WIDTH, PHOTO_BUDGET, logo_embedded, photo_embedded
from citedesmetiers.selectors import partner_list, partners_in_order, reference_rows, space_list
from citedesmetiers.summaries import kept_together
from ressources.selectors import resources_by_theme
from stats import charts as chart
from stats import definitions, periods, publication, selectors
from stats.models import Highlight, ReportText, Testimonial
from stats.periods import Comparison, Period
from stats.selectors import Scope
from stats.tables import Report, Row, Side, Table, key_figures, queue_tables, report_tables
from stats.templatetags.figures import figure_text

PUBLICATION, INTERNAL = "publication", "internal"

# The centre's name in each of its languages: a name, never translated (English readers get both).
CENTRE_NAMES = {"fr": "Cité des métiers de Bruxelles", "nl": "Beroepenpunt Brussel"}

# The key numbers shown large, with a pictogram, as in the 2018 report (the report's figures chapter and
# the key-figures sheet; templates/stats/partials/sheet_icon.html draws the pictograms).
ICONS = {
    "contacts.total": "people",
    "contacts.services_total": "hand",
    "advice.sessions": "talk",
    "activities.count": "calendar",
    "activities.participants": "group",
    "multimedia.entries": "screen",
    "gender.women_pct": "gender",
    "questionnaires.satisfied_pct": "smile",
    "online.emails_answered": "mail",
    "online.facebook_followers": "follow",
    "online.twitter_followers": "follow",
    "online.web_page_views": "web",
}
# The two set first and in reverse colours: people in contact and services delivered.
LEAD = ("contacts.total", "contacts.services_total")


def figures(period: Period, *, scope: Scope | None = None, today=None, previous_in_full: bool = True) -> dict:
    """{"comparison": the days counted and compared (stats.periods.Comparison), "current": their
    indicators, "previous": those of the same days a year earlier (None before the centre opened)}.
    Without `previous_in_full`, the previous days' queue is counted without its breakdowns (by theme,
    hour...), which only the period itself shows: for the dashboard."""
    scope = scope or Scope()
    comparison = periods.compare(period, today=today)
    shown = _shown(comparison)
    current, *previous = selectors.reports(
        shown, scope=scope, queue_breakdowns=[True, previous_in_full][: len(shown)]
    )
    return {"comparison": comparison, "current": current, "previous": previous[0] if previous else None}


def _shown(comparison: Comparison) -> list[Period]:
    return [comparison.current, *([comparison.previous] if comparison.previous else [])]


def kept_figures_read(period: Period, *, today=None):
    """A block in which every kept figure of the period and its comparison is read in one statement
    (citedesmetiers.summaries.kept_together): a page that reads more of them than figures() does."""
    return kept_together([(shown.start, shown.end) for shown in _shown(periods.compare(period, today=today))])


def scope_key(scope: Scope) -> str:
    return "centre" if scope.centre else str(scope.partner.pk)


def assemble(
    period: Period,
    *,
    scope: Scope | None = None,
    output: str = INTERNAL,
    today=None,
    computed: dict | None = None,
) -> Report:
    """The report's figures for an output: a publication (the printable report and files of a closed
    calendar year, protected with the year's and the previous year's publications) or an internal
    working view (exact counts)."""
    scope = scope or Scope()
    computed = computed or figures(period, scope=scope, today=today)
    comparison: Comparison = computed["comparison"]
    now = before = None
    if output == PUBLICATION and publication.publishable(comparison):
        year = comparison.asked.start.year
        # The centre's own figures of the year are those just counted (a whole year, its days).
        known = scope.centre and comparison.previous == periods.year(year - 1)
        now = publication.for_year(year, centre=computed["current"] if scope.centre else None)
        before = None
        if computed["previous"]:
            before = publication.for_year(year - 1, centre=computed["previous"] if known else None)
    return Report(
        comparison,
        Side(computed["current"], now),
        Side(computed["previous"], before),
        scope=scope_key(scope),
    )


def _chart_values(table: Table) -> tuple[list[str], list, list]:
    return (
        [row.label for row in table.rows],
        [row.value for row in table.rows],
        [row.previous for row in table.rows],
    )


def charts(report: Report, by_key: dict[str, Table], gender: dict) -> dict:
    """The report's charts as accessible SVG (stats.charts), in the active language: each value as its
    table shows it ("<5", "x", "—" where there is no bar)."""
    made = {}
    names = (report.comparison.heading, report.comparison.previous_heading)
    compared = report.previous.figures is not None
    for key, prefix, definition_key in (
        ("contacts_month", "chart-contacts-month", "contacts.on_site_visits"),
        ("advice_theme", "chart-advice-theme", "advice.sessions"),
        ("participants_theme", "chart-participants-theme", "activities.participants"),
        ("advice_age", "chart-advice-age", "advice.by_age_group"),
    ):
        if key not in by_key:
            continue
        labels, values, before = _chart_values(by_key[key])
        made[key] = chart.column_chart(
            title=by_key[key].title,
            description=definitions.definition(definition_key),
            labels=labels,
            values=values,
            comparison=before if compared else None,
            series_names=names if compared else None,
            id_prefix=prefix,
            number_format=figure_text,
        )
    if "services" in by_key:
        labels, values, _before = _chart_values(by_key["services"])
        made["services"] = chart.bar_chart(
            title=by_key["services"].title,
            description=definitions.definition("contacts.services_total"),
            labels=labels,
            values=values,
            id_prefix="chart-services",
            number_format=figure_text,
        )
    if isinstance(gender.get("women"), int | float) and isinstance(gender.get("men"), int | float):
        made["gender"] = chart.share_bar(
            title=definitions.label("gender.women_pct"),
            description=definitions.definition("gender.women_pct"),
            parts=[(str(_("Women")), gender["women"]), (str(_("Men")), gender["men"])],
            id_prefix="chart-gender",
            number_format=lambda value: figure_text(value, "%"),
        )
    return made


def centre_names(language: str) -> list[tuple[str, str]]:
    """The centre's names as (language, name), the edition's own language first."""
    return sorted(CENTRE_NAMES.items(), key=lambda item: item[0] != language)


# A quarter's title names it in words: an ordinal reads differently in each language.
QUARTER_TITLES = {
    1: gettext_lazy("Report for the first quarter of %(year)d"),
    2: gettext_lazy("Report for the second quarter of %(year)d"),
    3: gettext_lazy("Report for the third quarter of %(year)d"),
    4: gettext_lazy("Report for the fourth quarter of %(year)d"),
}


def title(comparison: Comparison) -> str:
    """The report's title on its cover, in its page headers and in its files, in the active language: an
    annual report for a year only ("Rapport du troisième trimestre 2026", "Maandverslag september 2026"),
    with its days while the period is still running."""
    asked = comparison.asked
    if asked.kind in ("year", "first_year"):
        name = _("Annual report %(period)s") % {"period": asked.label}
    elif asked.kind == "quarter":
        name = QUARTER_TITLES[(asked.start.month - 1) // 3 + 1] % {"year": asked.start.year}
    elif asked.kind == "month":
        name = _("Monthly report %(month)s") % {"month": asked.label}
    else:
        name = _("Report %(period)s") % {"period": asked.label}
    if not comparison.running:
        return name
    return _("%(period)s (%(days)s, in progress)") % {"period": name, "days": comparison.current.days_label}


def written(text: ReportText | None) -> dict[str, bool]:
    """Which of the director's chapters have a text: a publication leaves out one that has none (the
    on-screen page says so to the director instead of printing a placeholder)."""
    return {
        "preamble": bool(text and text.preamble),
        "highlights": bool(text and (text.highlight_paragraphs or text.highlight_entries.exists())),
    }


def contents(
    *,
    centre: bool,
    queue: bool,
    team: bool,
    testimonials: bool = False,
    preamble: bool = True,
    highlights: bool = True,
) -> list[tuple[str, str]]:
    """The report's chapters as (anchor, heading) in the order the printable report shows them: its
    table of contents (the headings are the template's own, in the active language). `preamble` and
    `highlights`: whether the director wrote them (a chapter without its text is left out)."""
    chapters = []
    if centre:
        if preamble:
            chapters.append(("preamble-title", _("Preamble")))
        if highlights:
            chapters.append(("highlights-title", _("The year's highlights")))
        chapters += [
            ("concept-title", _("The concept")),
            ("services-title", _("The services")),
        ]
    chapters += [("partners-title", _("The partners")), ("figures-title", _("The figures"))]
    if queue:
        chapters.append(("queue-title", _("The walk-in queue")))
    if centre and testimonials:
        chapters.append(("testimonials-title", _("Testimonials")))
    if team:
        chapters.append(("team-title", _("The team")))
    chapters.append(("definitions-title", _("Definitions and methods")))
    return chapters


@dataclass
class KeyNumbers:
    """The key numbers with their pictograms (`row.icon`), as the publication shows them: "offline" (at
    the centre) and "online", each in the report's order."""

    on_site: list[Row]
    online: list[Row]


def key_numbers(headline: list[Row]) -> KeyNumbers:
    rows = [row for row in headline if row.code in ICONS]
    for row in rows:
        row.icon, row.lead = ICONS[row.code], row.code in LEAD
    return KeyNumbers(
        on_site=[row for row in rows if not row.code.startswith("online.")],
        online=[row for row in rows if row.code.startswith("online.")],
    )


@dataclass
class ThemeServices:
    """A theme in the three modes of service during a year: the catalogue's resources of the theme at its
    end, the institutions of the first circle advising on it, and its activities as the report counts
    them (a protected count in a publication: the table's own cell)."""

    theme: Theme
    resources: int
    advisers: list[Partner]
    activities: object


def theme_services(period: Period, themes: list[Theme], activities: Table | None) -> list[ThemeServices]:
    """The services chapter's grid: each active theme by mode (stats/report_print.html)."""
    resources = resources_by_theme(until=period.until)
    advisers: dict[str, list[Partner]] = {}
    for partner in partner_list(circle=Partner.Circle.ADVICE).prefetch_related("themes"):
        for theme in partner.themes.all():
            advisers.setdefault(theme.code, []).append(partner)
    counted = {row.code: row.value for row in activities.rows} if activities else {}
    return [
        ThemeServices(
            theme, resources.get(theme.code, 0), advisers.get(theme.code, []), counted.get(theme.code, 0)
        )
        for theme in themes
    ]


@dataclass
class Circle:
    """The partners of one circle, each with `logo_src` (its embedded, downscaled logo, or "")."""

    code: int
    heading: str
    partners: list[Partner]


def circles(year_end: str) -> list[Circle]:
    """The active partners by circle, as the 2018 report lists them, with their logos where uploaded."""
    headings = {
        Partner.Circle.ADVICE: _(
            "First circle: institutions giving individual advice at the centre on %(day)s"
        )
        % {"day": year_end},
        Partner.Circle.ACTIVITIES: _(
            "Second circle: institutions organising collective activities at the centre"
        ),
    }
    made = []
    for code, heading in headings.items():
        partners = list(partner_list(circle=code))
        for partner in partners:
            partner.logo_src = logo_embedded(partner.logo) if partner.logo else ""
        if partners:
            made.append(Circle(code, heading, partners))
    return made


@dataclass
class Spaces:
    """The centre's spaces with their size and equipment, their total floor area (None: not given), and
    whether any has a capacity (else the column is left out)."""

    spaces: list[Space]
    area: int | None
    capacity: bool


def spaces() -> Spaces:
    rows = list(space_list())
    areas = [space.area for space in rows if space.area]
    return Spaces(rows, sum(areas) if areas else None, any(space.capacity for space in rows))


@dataclass
class Pictures:
    """The director's pictures of a year, embedded and downscaled ("" where none was given)."""

    cover: str = ""
    signatory: str = ""
    signature: str = ""
    team: str = ""


def pictures(text: ReportText | None) -> Pictures:
    if text is None:
        return Pictures()
    return Pictures(
        cover=photo_embedded(text.cover_photo, width=COVER_WIDTH, budget=2 * PHOTO_BUDGET)
        if text.cover_photo
        else "",
        signatory=photo_embedded(text.signatory_photo) if text.signatory_photo else "",
        signature=logo_embedded(text.signature) if text.signature else "",
        team=photo_embedded(text.team_photo) if text.team_photo else "",
    )


@dataclass
class Month:
    """A month of the year's timeline: its name in the active language and its entries in date order."""

    name: str
    entries: list[Highlight]


def timeline(text: ReportText | None) -> list[Month]:
    """The year's highlight entries grouped by month, in date order; each entry carries `date_label`
    (the day in the active language) and `photo_src` (the embedded, downscaled photo, or "")."""
    if text is None:
        return []
    months: list[Month] = []
    for entry in text.highlight_entries.order_by("day", "id"):
        entry.date_label = formats.date_format(entry.day, "j F")
        entry.photo_src = photo_embedded(entry.photo) if entry.photo else ""
        name = formats.date_format(entry.day, "F")
        if not months or months[-1].name != name:
            months.append(Month(name, []))
        months[-1].entries.append(entry)
    return months


def report_context(
    period: Period,
    *,
    scope: Scope | None = None,
    output: str = INTERNAL,
    today=None,
    previous_in_full: bool = True,
) -> dict:
    """Everything the dashboard, the printable report and the PDF show, in the active language (for the
    dashboard, without `previous_in_full`: see figures())."""
    scope = scope or Scope()
    computed = figures(period, scope=scope, today=today, previous_in_full=previous_in_full)
    report = assemble(period, scope=scope, output=output, today=today, computed=computed)
    all_tables = report_tables(report)
    by_key = {table.key: table for table in all_tables}
    headline = key_figures(report)
    gender = next((row for row in headline if row.code == "gender.women_pct"), None)
    current = report.current.figures
    every = partners_in_order()
    partners = every if scope.centre else [scope.partner]
    promoters = [partner for partner in every if partner.promoter]
    waiting = queue_tables(report)
    language = translation.get_language()
    text = ReportText.objects.filter(year=period.start.year).first()
    testimonials: list[Testimonial] = list(text.testimonials.all()) if text and scope.centre else []
    themes = reference_rows(Theme)  # the active themes in order, as every page has them (cached)
    year_end = formats.date_format(min(period.end, report.comparison.current.end), "DATE_FORMAT")
    chapters_written = functools.cache(functools.partial(written, text if scope.centre else None))
    return {
        "period": period,
        "comparison": report.comparison,
        "title": title(report.comparison),
        "published": report.protected,
        "publishable": publication.publishable(report.comparison),
        "internal": not report.protected,
        "scope": scope,
        "current": current,
        "previous": report.previous.figures,
        "key_figures": headline,
        "tables": all_tables,
        "tables_by_key": by_key,
        "queue_tables": waiting,
        "charts": charts(report, by_key, {"women": gender.value, "men": gender.extra[0]} if gender else {}),
        "missing_attendance": current["activities"]["missing_attendance"],
        "text": text,
        # Called by the template that shows it (the photos are decoded then), not by the dashboard.
        "timeline": functools.partial(timeline, text if scope.centre else None),
        "testimonials": testimonials,
        "partners": partners,
        "promoters": promoters,
        "themes": themes,
        # The publication's chapters drawn from the data; called by the templates that show them.
        "key_numbers": key_numbers(headline),
        "theme_services": functools.partial(theme_services, period, themes, by_key.get("activities_theme")),
        "circles": functools.partial(circles, year_end),
        "spaces": spaces,
        "pictures": functools.partial(pictures, text if scope.centre else None),
        "centre_names": centre_names(language),
        # What the director wrote and the chapters it gives, read once when a template shows them (a
        # query the dashboard does without).
        "written": chapters_written,
        "contents": lambda: contents(
            centre=scope.centre,
            queue=bool(waiting),
            team="team" in by_key,
            testimonials=bool(testimonials),
            **chapters_written(),
        ),
        "generated_at": timezone.now(),
        "language": language,
        "definitions": [(definitions.label(key), definitions.definition(key)) for key in definitions.FIGURES],
        "opening_day": formats.date_format(periods.OPENING_DAY, "DATE_FORMAT"),
        "small_counts_note": publication.small_counts_note(),
    }
