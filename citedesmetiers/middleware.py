"""Cross-cutting request handling: security headers, health probes, session limits, private pages."""

import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext

from citedesmetiers import views
from citedesmetiers.accounts import sessions


def security_headers(get_response):
    """Adds the Content-Security-Policy and Permissions-Policy to every response, static files too."""

    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        # Also on responses that leave before XFrameOptionsMiddleware (static files, probes).
        response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        return response

    return middleware


def health_checks(get_response):
    """Answers /healthz and /readyz before sessions, host checks and language redirects."""
    probes = {"/healthz": views.healthz, "/readyz": views.readyz}

    def middleware(request):
        probe = probes.get(request.path)
        if probe is not None:
            response = probe(request)
            patch_cache_control(response, no_store=True)
            return response
        return get_response(request)

    return middleware


def remember_language(get_response):
    """Keeps the language of the last page seen, so that `/` leads there next time."""

    def middleware(request):
        response = get_response(request)
        language = get_language()
        prefixed = request.path_info.startswith(f"/{language}/")
        if (
            prefixed
            and response.status_code == 200
            and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language
        ):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response

    return middleware


def session_timeouts(get_response):
    """Signs a staff member out after SESSION_IDLE_TIMEOUT idle or SESSION_ABSOLUTE_TIMEOUT in all."""

    def middleware(request):
        if request.user.is_authenticated:
            now = time.time()
            remaining = sessions.session_remaining(request.session, now=now)
            if remaining.expired:
                return _signed_out(request)
            if not sessions.is_passive(request):
                sessions.session_touch(request.session, now=now)
        return get_response(request)

    return middleware


def _return_address(request) -> str:
    """Where to come back after signing in again: this page, or for a form the page it was sent from."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.headers.get("Referer", "")
    if url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        return urlsplit(referer)._replace(scheme="", netloc="").geturl()
    return reverse(settings.LOGIN_REDIRECT_URL)


def _signed_out(request):
    logout(request)
    messages.info(request, gettext("Your session has ended for your security. Please sign in again."))
    return _to_sign_in(request, redirect_to_login(_return_address(request)))


def _to_sign_in(request, response):
    """The way to the sign-in page, as the kind of request can take it. A background refresh (htmx,
    marked passive) gets 401 and nothing to swap: the page keeps its place, its focus and what was typed,
    and shows its own "signed out — entries kept" banner (static/js/capture.js). An htmx action loads
    the sign-in page whole (htmx would swap it into a fragment); a JSON poll gets 401 with its address."""
    if request.headers.get("HX-Request"):
        if sessions.is_passive(request):
            return HttpResponse(status=401)
        return HttpResponse(status=204, headers={"HX-Redirect": response.url})
    if request.accepts("application/json") and not request.accepts("text/html"):
        return JsonResponse({"signed_in": False, "login_url": response.url}, status=401)
    return response


class LoginRequired(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, answering htmx and JSON requests as `_to_sign_in` says (a session
    ended in another tab must not put the sign-in page inside the desk's counters)."""

    def handle_no_permission(self, request, view_func):
        return _to_sign_in(request, super().handle_no_permission(request, view_func))


def private_pages(get_response):
    """Keeps every page seen by a signed-in person out of any cache: `Cache-Control: no-store`.

    A view may declare its response public (`@cache_control(public=True)`): the same for everyone.
    """

    def middleware(request):
        response = get_response(request)
        user = getattr(request, "user", None)  # set further in, by AuthenticationMiddleware
        if user is not None and user.is_authenticated and "public" not in response.get("Cache-Control", ""):
            patch_cache_control(response, no_store=True, private=True)
            patch_vary_headers(response, ("Cookie",))
        return response

    return middleware
