"""Template helpers of the project: `{% load cdm %}`."""

import segno
from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.filter
def qr(data: str, scale: int = 5):
    """A QR code of the text as inline SVG (shapes and colours as attributes: allowed by the CSP),
    sized by the stylesheet (a viewBox, no width or height)."""
    code = segno.make(str(data), error="m")
    svg = code.svg_inline(
        scale=int(scale), dark="#1b1f2a", light="#ffffff", border=2, svgclass="qr", omitsize=True
    )
    return mark_safe(svg)  # noqa: S308 (segno encodes the text, never includes it)  # nosec B308 B703


# --- The language of a staff-entered text that fell back (issue 17) --------------------------------


@register.filter
def fallback_lang(text) -> str:
    """` lang="fr"` when a translated text (models.TranslatedText) is not in the page's language, to be
    written inside the opening tag that holds it; nothing otherwise."""
    from django.utils.html import format_html
    from django.utils.translation import get_language

    lang = getattr(text, "lang", "")
    if lang and lang != (get_language() or "fr")[:2]:
        return format_html(' lang="{}"', lang)
    return ""


@register.filter
def labelled(label, value) -> str:
    """`{{ label|labelled:value }}`: "label: value" with the colon as the page's language writes it (in
    French, after a space)."""
    return gettext("%(label)s: %(value)s") % {"label": label, "value": value}
