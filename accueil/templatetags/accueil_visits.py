"""A visit in one line, as the desk's confirmation, its last entries and the entries list show it:
`{% load accueil_visits %}{{ visit|visit_summary }}`."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def visit_summary(visit) -> str:
    """Theme, orientation, language, channel and, for a group, its size: "Choisir · Information only ·
    FR · On site · ×3" (plain text, escaped by the template). A filter rather than an included
    template: the desk's answer to each tap is mostly this line."""
    parts = [
        visit.theme.label if visit.theme_id else _("General information"),
        visit.get_orientation_display(),
        visit.language_id.upper(),
        visit.channel.label,
    ]
    if visit.count > 1:
        parts.append(f"×{visit.count}")
    return " · ".join(str(part) for part in parts)
