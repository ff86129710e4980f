"""The report of a period put together once for every way it is shown: this period's figures and the same
period a year earlier, the tables, the charts, the director's texts and the partners."""

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from citedesmetiers.selectors import partner_list
from stats import charts as chart
from stats import definitions, selectors
from stats.models import ReportText
from stats.periods import OPENING_DAY, Period
from stats.selectors import Scope
from stats.tables import Table, report_tables


def figures(period: Period, *, scope: Scope | None = None) -> dict:
    """{"current": the period's indicators, "previous": the same days a year earlier ({} before the
    centre opened)}."""
    scope = scope or Scope()
    before = period.previous()
    return {
        "current": selectors.report(period, scope=scope),
        # Before the opening there is nothing to compare with: "—", not zeros.
        "previous": selectors.report(before, scope=scope) if before.end >= OPENING_DAY else {},
    }


def tables(period: Period, *, scope: Scope | None = None, computed: dict | None = None) -> list[Table]:
    """Every table of the report in the active language, small cells protected."""
    computed = computed or figures(period, scope=scope)
    return report_tables(computed["current"], computed["previous"])


def number(value) -> str:
    """A figure in the active language: grouped thousands, one decimal for a share; "<5" and other
    markers as they are; "—" for a figure not known."""
    if value is None:
        return "—"
    if not isinstance(value, int | float):
        return str(value)
    if isinstance(value, float) and not value.is_integer():
        return formats.number_format(value, decimal_pos=1, use_l10n=True)
    return formats.number_format(int(value), force_grouping=True, use_l10n=True)


def change_pct(current, previous) -> float | None:
    """The change from a year earlier, in percent with one decimal (None: nothing to compare with)."""
    if not isinstance(current, int | float) or not isinstance(previous, int | float) or not previous:
        return None
    return round((current - previous) * 100 / previous, 1)


def key_figures(current: dict, previous: dict) -> list[dict]:
    """The headline figures with their label, definition, value a year earlier and change."""
    rows = []
    for key in definitions.KEY_FIGURES:
        section, name = key.split(".")
        if section not in current:
            continue
        value, before = current[section].get(name), previous.get(section, {}).get(name)
        rows.append(
            {
                "key": key,
                "label": definitions.label(key),
                "definition": definitions.definition(key),
                "value": value,
                "previous": before,
                "change": change_pct(value, before),
            }
        )
    return rows


def _chart_values(table: Table) -> tuple[list[str], list, list]:
    labels = [label for label, _value, _before in table.rows]
    values = [value if isinstance(value, int | float) else None for _label, value, _before in table.rows]
    before = [value if isinstance(value, int | float) else None for _label, _value, value in table.rows]
    return labels, values, before


def charts(period: Period, current: dict, by_key: dict[str, Table]) -> dict:
    """The report's charts as accessible SVG (stats.charts), in the active language."""
    made = {}
    previous_name = _("A year earlier")
    if "contacts_month" in by_key:
        labels, values, before = _chart_values(by_key["contacts_month"])
        made["contacts_month"] = chart.column_chart(
            title=_("Visits by month"),
            description=definitions.definition("contacts.on_site_visits"),
            labels=labels,
            values=values,
            id_prefix="chart-contacts-month",
            number_format=number,
            missing_label="<5",
        )
    for key, prefix, definition_key in (
        ("advice_theme", "chart-advice-theme", "advice.sessions"),
        ("participants_theme", "chart-participants-theme", "activities.participants"),
        ("advice_age", "chart-advice-age", "advice.by_age_group"),
    ):
        labels, values, before = _chart_values(by_key[key])
        made[key] = chart.column_chart(
            title=by_key[key].title,
            description=definitions.definition(definition_key),
            labels=labels,
            values=values,
            comparison=before,
            series_names=(period.label, previous_name),
            id_prefix=prefix,
            number_format=number,
            missing_label="<5",
        )
    if "services" in by_key:
        labels, values, _before = _chart_values(by_key["services"])
        made["services"] = chart.bar_chart(
            title=by_key["services"].title,
            description=definitions.definition("contacts.services_total"),
            labels=labels,
            values=values,
            id_prefix="chart-services",
            number_format=number,
            missing_label="<5",
        )
    gender_figures = current["gender"]
    if gender_figures["women_pct"] is not None:
        made["gender"] = chart.share_bar(
            title=definitions.label("gender.women_pct"),
            description=definitions.definition("gender.women_pct"),
            parts=[
                (str(_("Women")), gender_figures["women_pct"]),
                (str(_("Men")), gender_figures["men_pct"]),
            ],
            id_prefix="chart-gender",
            number_format=lambda value: f"{number(value)} %",
        )
    return made


def report_context(period: Period, *, scope: Scope | None = None) -> dict:
    """Everything the dashboard, the printable report and the PDF show, in the active language."""
    scope = scope or Scope()
    computed = figures(period, scope=scope)
    all_tables = tables(period, scope=scope, computed=computed)
    by_key = {table.key: table for table in all_tables}
    current, previous = computed["current"], computed["previous"]
    return {
        "period": period,
        "scope": scope,
        "current": current,
        "previous": previous,
        "key_figures": key_figures(current, previous),
        "tables": all_tables,
        "tables_by_key": by_key,
        "charts": charts(period, current, by_key),
        "missing_attendance": current["activities"]["missing_attendance"],
        "text": ReportText.objects.filter(year=period.start.year).first(),
        "partners": partner_list() if scope.centre else [scope.partner],
        "generated_at": timezone.now(),
        "language": translation.get_language(),
        "definitions": {key: definitions.definition(key) for key in definitions.FIGURES},
    }
