"""A visit in one line, as the desk's confirmation, its last entries and the entries list show it:
`{% load accueil_visits %}{{ visit|visit_summary }}`."""

from django import template
from django.utils.translation import gettext as _

from accueil.models import Orientation

register = template.Library()


@register.filter
def visit_summary(visit) -> str:
    """Theme, orientation, language, channel and, for a group, its size: "Choisir · Information only ·
    FR · On site · ×3" (plain text, escaped by the template). A filter rather than an included
    template: the desk's answer to each tap is mostly this line."""
    parts = [
        visit.theme.label if visit.theme_id else _("General information"),
        # The orientation's label from its enum: the model's get_orientation_display() gives the same
        # label, after building a dictionary of every choice (six times the cost, on every tap).
        Orientation(visit.orientation).label,
        visit.language_id.upper(),
        visit.channel.label,
    ]
    if visit.count > 1:
        parts.append(f"×{visit.count}")
    return " · ".join(str(part) for part in parts)
