"""Numbers of the report as people read them in the active language (38 167, 38.167, 53,2 %)."""

from datetime import datetime
from functools import cache

from django import template
from django.utils import formats, translation

from stats.tables import change_unit, month_label

register = template.Library()

NBSP = "\u00a0"


def figure_text(value, unit: str = "") -> str:
    """A count, a share or a time in the active language: grouped thousands; a share with one decimal
    and its % sign; minutes with one decimal (the heading says "min"); a mark ("<5", "x", "·") as it
    is; "—" for a figure not known."""
    if value is None:
        return "—"
    if not isinstance(value, int | float) or isinstance(value, bool):
        return str(value)
    if unit in ("%", "min") or (isinstance(value, float) and not value.is_integer()):
        text = formats.number_format(value, decimal_pos=1, use_l10n=True, force_grouping=True)
    else:
        text = count_text(int(value))
    return f"{text}{NBSP}%" if unit == "%" else text


@cache
def _thousands(language: str | None) -> str | None:
    """The language's thousands separator where it groups digits by three (None: leave it to Django)."""
    grouping = formats.get_format("NUMBER_GROUPING", language, use_l10n=True)
    return formats.get_format("THOUSAND_SEPARATOR", language, use_l10n=True) if grouping == 3 else None


def count_text(value: int) -> str:
    """A whole number with its thousands grouped as the active language writes them: what
    formats.number_format(value, force_grouping=True) writes, several times faster (the language's
    formats are read once, not for each of a page's thousands of figures)."""
    separator = _thousands(translation.get_language())
    if separator is None:
        return formats.number_format(value, force_grouping=True, use_l10n=True)
    return f"{value:,}".replace(",", separator)


@register.filter
def figure(value, unit: str = "") -> str:
    """A figure in the active language (see figure_text); `unit` is "%" for a share, "min" for minutes."""
    return figure_text(value, unit)


@register.filter
def signed_change(row) -> str:
    """The change of a row from a year earlier: "+12,5 %" for a count, "+1,2 pt" (percentage points) for
    a share, "—" when there is nothing to compare."""
    value = row.change
    if value is None:
        return "—"
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    number = formats.number_format(abs(value), decimal_pos=1, use_l10n=True, force_grouping=True)
    return f"{sign}{number}{NBSP}{change_unit(row.share)}"


@register.filter
def month_name(key: str) -> str:
    """A month key (YYYY-MM) as people read it: "janvier 2025"."""
    return month_label(key)


@register.filter
def day(value) -> str:
    """An ISO date or date-time (as the figures carry them) as the active language writes the day."""
    return formats.date_format(datetime.fromisoformat(str(value)), "DATE_FORMAT")
