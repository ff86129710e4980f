"""The address of a ticket's phone page, for its QR code: `{% load accueil_phone %}`."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape, format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def phone_url(context, ticket) -> str:
    """The absolute address of the ticket's phone page in the visit's language when the site speaks it
    (French, Dutch, English), else in the language of the page printing it."""
    languages = {code for code, _ in settings.LANGUAGES}
    language = ticket.language_id if ticket.language_id in languages else translation.get_language()
    with translation.override(language):
        path = reverse("accueil:ticket_phone", args=[ticket.token])
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


@register.filter
def short_link(url: str, token: str) -> str:
    """The address as written on the ticket: no scheme, and a line may break before the token only."""
    link = url.split("://", 1)[-1]
    head, _, tail = link.rpartition(token)
    if not head:
        return escape(link)
    return format_html("{}<wbr>{}{}", head, token, tail)
