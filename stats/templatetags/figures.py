"""Numbers of the report as people read them in the active language (38 167, 38.167, 53,2 %)."""

from django import template
from django.utils.translation import gettext as _

from stats.report import change_pct, number

register = template.Library()


@register.filter
def figure(value) -> str:
    """A count or a percentage in the active language; "<5" for a protected cell; "—" for unknown."""
    return number(value)


@register.filter
def change(current, previous) -> str:
    """The change from a year earlier: "+12.5 %", "−3 %", or "—" when there is nothing to compare."""
    value = change_pct(current, previous)
    if value is None:
        return "—"
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return _("%(sign)s%(value)s %%") % {"sign": sign, "value": number(abs(value))}
