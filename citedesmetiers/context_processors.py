"""Template context shared by every page: site name, language links, session timing."""

import time

from django.conf import settings
from django.urls import translate_url
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from citedesmetiers.accounts import sessions


def _language_url(path: str, code: str, current: str) -> str:
    if code == current:
        return path
    translated = translate_url(path, code)
    # translate_url returns a path it cannot resolve unchanged (a 404 page): go to that home page.
    return translated if translated != path else f"/{code}/"


def site(request):
    """Site name in the active language, links to this same page in each language, session limits."""
    current = get_language()
    path = request.get_full_path()

    def language_links():
        return [
            {"code": code, "name": name, "url": _language_url(path, code, current)}
            for code, name in settings.LANGUAGES
        ]

    context = {
        "site_name": settings.SITE_NAMES.get(current, settings.SITE_NAMES["fr"]),
        # Computed once, and only by pages that show the switcher: fragments never do.
        "language_links": SimpleLazyObject(language_links),
        **centre(request),
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        remaining = sessions.session_remaining(request.session, now=time.time())
        context["session_remaining"] = remaining.seconds
        context["session_warning"] = settings.SESSION_WARNING_SECONDS
    return context


def centre(request):
    """The centre's practical information for the footer and the home page, with today's status
    (Europe/Brussels); read only by the pages that show it, from the selectors' one-minute cache."""
    from django.utils import timezone

    from citedesmetiers import selectors

    def practical():
        info = selectors.centre_info()
        if info is None:
            return None
        return {"info": info, "today": selectors.centre_day(info, on=timezone.localdate())}

    return {"centre": SimpleLazyObject(practical)}
