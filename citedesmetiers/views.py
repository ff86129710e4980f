"""Pages of the platform: public home, sign-in, staff home, session keep-alive, health probes."""

import sys
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required, login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from citedesmetiers import menu, roles, selectors, services
from citedesmetiers.accounts import sessions, totp
from citedesmetiers.exports import csv_bytes, csv_convention
from citedesmetiers.forms import AuditFilterForm, LoginForm, ProfileForm, SecondFactorForm, lockout_error
from citedesmetiers.models import User
from citedesmetiers.operations import logs, timeouts
from citedesmetiers.requests import StaffRequest, client_address, query_without


@login_not_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The public home page: the centre, its themes, services, spaces and partners."""
    partners = list(selectors.partner_list())
    return render(
        request,
        "citedesmetiers/home.html",
        {
            "themes": selectors.theme_list(),
            "spaces": selectors.space_list(),
            "advice_partners": [p for p in partners if p.circle == 1],
            "activity_partners": [p for p in partners if p.circle == 2],
        },
    )


@login_not_required
@require_GET
@cache_control(public=True, max_age=300)
def theme_stylesheet(request: HttpRequest) -> HttpResponse:
    """CSS custom properties with each theme's colour (data, so not in the static stylesheet)."""
    # Colours are checked as #RRGGBB by a database constraint: safe to write into CSS.
    rules = [f".theme-{theme.code} {{ --theme-colour: {theme.colour}; }}" for theme in selectors.theme_list()]
    return HttpResponse("\n".join(rules) + "\n", content_type="text/css; charset=utf-8")


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    # A path of this site only: `redirect()` would take any other word for a view's name (and fail).
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


@login_not_required
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    """Signs a staff member in; too many failures for a user name block it for a while (429)."""
    if request.user.is_authenticated:
        return redirect(_safe_next(request))
    lockout = 0
    if request.method == "POST":
        lockout = selectors.login_lockout_seconds(
            username=request.POST.get("username", ""), address=client_address(request)
        )
    form = LoginForm(request, data=request.POST or None, lockout_seconds=lockout)
    if request.method == "POST":
        if form.is_valid():
            user = form.get_user()
            services.login_failures_clear(username=user.get_username())
            if roles.needs_second_factor(user):
                # Not signed in yet: the code of their authenticator app comes first.
                sessions.sign_in_pending_set(
                    request.session,
                    user=user,
                    backend=user.backend,
                    next_url=_safe_next(request),
                    now=time.time(),
                )
                return redirect("second_factor")
            auth_login(request, user)
            sessions.session_start(request.session, now=time.time())
            return redirect(_safe_next(request))
        if not lockout and form.cleaned_data.get("username"):
            services.login_failure_record(
                username=form.cleaned_data["username"], address=client_address(request)
            )
    response = render(
        request,
        "registration/login.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
        status=429 if lockout else 200,
    )
    if lockout:
        response["Retry-After"] = str(lockout)
    return response


@login_not_required
@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    """After the password, the code of the person's authenticator app; the first time, setting it up."""
    now = time.time()
    pending = sessions.sign_in_pending(request.session, now=now)
    user = User.objects.filter(pk=pending["user"], is_active=True).first() if pending else None
    if pending is None or user is None:
        sessions.sign_in_pending_clear(request.session)
        messages.info(request, _("Please sign in again."))
        return redirect("login")
    setting_up = user.totp_confirmed_at is None
    secret = (
        request.session.setdefault(sessions.PENDING_SECRET, totp.new_secret())
        if setting_up
        else user.totp_secret
    )
    throttle = f"second-factor:{user.get_username()}"
    lockout = 0
    if request.method == "POST":
        lockout = selectors.login_lockout_seconds(username=throttle, address=client_address(request))
    form = SecondFactorForm(request.POST or None, lockout_seconds=lockout)
    if request.method == "POST" and form.is_valid():
        step = totp.verify(secret, form.cleaned_data["code"], timestamp=now, last_step=user.totp_last_step)
        if step is not None and setting_up:
            services.second_factor_confirm(user=user, secret=secret, step=step)
        if step is not None and (setting_up or services.second_factor_use(user=user, step=step)):
            services.login_failures_clear(username=throttle)
            sessions.sign_in_pending_clear(request.session)
            auth_login(request, user, backend=pending["backend"])
            sessions.session_start(request.session, now=now)
            return redirect(pending["next"])
        form.add_error("code", _("This code is not right, or it was already used. Wait for the next one."))
        services.login_failure_record(username=throttle, address=client_address(request))
    context = {
        "form": form,
        "setting_up": setting_up,
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "provisioning_uri": totp.provisioning_uri(
            secret, account=user.get_username(), issuer="Cité des métiers"
        ),
        # A demo account's code is shown in demo mode only, so that anyone can try the demo.
        "demo_code": totp.code_at(secret, totp.step_of(now))
        if user.is_demo and settings.DEMO_ACCOUNTS_ENABLED
        else None,
    }
    response = render(request, "registration/second_factor.html", context, status=429 if lockout else 200)
    if lockout:
        response["Retry-After"] = str(lockout)
    return response


@login_required
@require_GET
def staff_home(request: StaffRequest) -> HttpResponse:
    """The staff home: what each of the person's roles does and the screens they may open."""
    user_roles = selectors.user_roles(request.user)
    missing_partner = request.user.partner_id is None and any(
        role in roles.PARTNER_ROLES for role in user_roles
    )
    return render(
        request,
        "citedesmetiers/staff_home.html",
        {
            "roles": [(role, roles.DESCRIPTIONS[role]) for role in user_roles],
            "entries": menu.entries_for(request.user),
            "missing_partner": missing_partner,
        },
    )


# The parts of the guide a role reads besides its own (templates under citedesmetiers/help/).
HELP_PARTS = {roles.Role.PARTNER_LEAD: ("adviser", "partner_lead")}


@login_required
@require_GET
def staff_help(request: StaffRequest) -> HttpResponse:
    """The guide to the person's roles (each part once), then the questionnaire for those who show it and
    what concerns every staff member: written in the templates under citedesmetiers/help/, so that it is
    translated with the screens it names, with the delays the centre has set."""
    shown: set[str] = set()
    sections = []
    for role in selectors.user_roles(request.user):
        parts = [part for part in HELP_PARTS.get(role, (role.value,)) if part not in shown]
        shown.update(parts)
        templates = [f"citedesmetiers/help/{part}.html" for part in parts]
        sections.append((role, roles.DESCRIPTIONS[role], templates))
    return render(
        request,
        "citedesmetiers/help.html",
        {
            "sections": sections,
            "undo_minutes": settings.CAPTURE_UNDO_MINUTES,
            "correction_days": settings.CONSULTATION_CORRECTION_DAYS,
            "questionnaire_days": settings.QUESTIONNAIRE_CODE_DAYS,
            "retention_days": settings.REGISTRATION_RETENTION_DAYS,
            "failures": settings.LOGIN_FAILURES_PER_USERNAME,
            "lockout": settings.LOGIN_LOCKOUT_MINUTES,
            "idle": settings.SESSION_IDLE_TIMEOUT // 60,
            "hours": settings.SESSION_ABSOLUTE_TIMEOUT // 3600,
            "warning": max(1, round(settings.SESSION_WARNING_SECONDS / 60)),
        },
    )


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@never_cache
@require_http_methods(["GET", "POST"])
def password_change(request: StaffRequest) -> HttpResponseBase:
    """Django's password change, with guesses of the current password throttled like sign-ins: after
    too many wrong ones, a wait (429) before the next try."""
    throttle = f"password-change:{request.user.get_username()}"
    if request.method == "POST":
        lockout = selectors.login_lockout_seconds(username=throttle, address=None)
        if lockout:
            refused = lockout_error(lockout)
            context = {
                "form": PasswordChangeForm(request.user),
                "lockout_message": refused.message % refused.params,
            }
            refusal = render(request, "registration/password_change_form.html", context, status=429)
            refusal["Retry-After"] = str(lockout)
            return refusal
    response = auth_views.PasswordChangeView.as_view()(request)
    form = getattr(response, "context_data", {}).get("form")
    if request.method == "POST" and form is not None and form.has_error("old_password"):
        services.login_failure_record(username=throttle, address=client_address(request))
    elif request.method == "POST" and response.status_code == 302:
        services.login_failures_clear(username=throttle)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: StaffRequest) -> HttpResponse:
    """The staff member's own settings: the languages they advise in (the queue offers those)."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_languages_set(user=request.user, languages=form.cleaned_data["languages"])
        messages.success(request, _("Your profile is saved."))
        return redirect("profile")
    return render(request, "citedesmetiers/profile.html", {"form": form})


def _session_state(request: HttpRequest) -> JsonResponse:
    remaining = sessions.session_remaining(request.session, now=time.time())
    return JsonResponse(
        {
            "signed_in": True,
            "remaining": remaining.seconds,
            "extendable": remaining.extendable,
        }
    )


@login_not_required
@require_GET
def session_status(request: HttpRequest) -> JsonResponse:
    """Seconds left in the session, for the expiry warning; send it as a passive request."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False, "login_url": reverse("login")}, status=401)
    return _session_state(request)


@login_required
@require_POST
def session_keepalive(request: HttpRequest) -> HttpResponse:
    """'Stay signed in': records activity now, whenever the last write was."""
    sessions.session_touch(request.session, now=time.time(), force=True)
    if request.accepts("text/html") and not request.headers.get("X-Requested-With"):
        messages.success(request, _("You are still signed in."))
        return redirect(_safe_next(request))
    return _session_state(request)


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent with an outdated or missing security token: explain and offer to retry."""
    return render(request, "citedesmetiers/csrf_failure.html", status=403)


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. No database, no version."""
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: the database answers a query, else 503."""
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. A database that cannot be reached (restarting, failing over, overloaded) is not a
    bug: the person gets a 503 page in their language that says to try again, with Retry-After, and
    nothing of the error. The next request reconnects by itself (connection health checks)."""
    error = sys.exc_info()[1]
    if timeouts.cancelled(error):
        return _error_page(request, "503.html", status=503, too_long=True)
    if isinstance(error, OperationalError | InterfaceError):
        return service_unavailable(request)
    return _error_page(request, "500.html", status=500)


def service_unavailable(request: HttpRequest) -> HttpResponse:
    response = _error_page(request, "503.html", status=503)
    response["Retry-After"] = str(settings.RETRY_AFTER_SECONDS)
    return response


def _error_page(request: HttpRequest, template: str, status: int, too_long: bool = False) -> HttpResponse:
    """An error page in the request's language with the request's id to quote to the support team,
    rendered without the request's context: its processors would read the database."""
    language = translation.get_language_from_path(request.path_info) or translation.get_language()
    context = {
        "retry_after": settings.RETRY_AFTER_SECONDS,
        "request_id": logs.request_id.get(),
        "site_name": settings.SITE_NAMES.get(language, settings.SITE_NAMES["fr"]),
        "too_long": too_long,
        "limit": settings.REQUEST_STATEMENT_TIMEOUT,
    }
    with translation.override(language):
        html = loader.render_to_string(template, context)
    return HttpResponse(html, status=status, headers={"Cache-Control": "no-store"})


AUDIT_EXPORT_HEADER = ["at", "person", "action", "action_code", "record_type", "record", "changes"]


def _audit_selection(request: HttpRequest):
    """The lines this person may read, the filters' form, and the lines it selects."""
    entries = selectors.audit_entries_visible_to(request.user)
    filters = AuditFilterForm(request.GET or None, entries=entries)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    return filters, selectors.audit_entry_list(entries, filters=chosen), chosen


def _may_read_audit(user) -> bool:
    return user.has_perm("citedesmetiers.view_auditentry") or user.has_perm(
        "citedesmetiers.view_institution_audit"
    )


@require_GET
def audit_trail(request: HttpRequest) -> HttpResponse:
    """Who did what to which record, and when: the director and coordinators read all of it, a
    partner lead their institution's; filters; the selection as CSV (`?format=csv`, itself audited)."""
    if not _may_read_audit(request.user):
        raise PermissionDenied
    filters, entries, chosen = _audit_selection(request)
    if request.GET.get("format") == "csv":
        return _audit_export(request, entries, chosen)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "page": page,
        "lines": [selectors.audit_line(entry) for entry in page.object_list],
        "query": query_without(request, "page", "format"),
        "institution_only": not request.user.has_perm("citedesmetiers.view_auditentry"),
    }
    return render(request, "citedesmetiers/audit_trail.html", context)


def _audit_export(request: HttpRequest, entries, chosen: dict) -> HttpResponse:
    rows = []
    for entry in entries.iterator(chunk_size=2000):
        line = selectors.audit_line(entry)
        when = formats.date_format(timezone.localtime(line.at), "SHORT_DATETIME_FORMAT")
        person = line.actor.get_full_name() or line.actor.get_username() if line.actor else _("the system")
        changes = "; ".join(f"{change.field}: {change.before} → {change.after}" for change in line.changes)
        rows.append([when, person, line.action, entry.action, line.record_type, line.record, changes])
    described = {name: str(getattr(value, "pk", value)) for name, value in chosen.items() if value}
    services.audit_export_record(user=request.user, count=len(rows), filters=described)
    delimiter, decimal = csv_convention(translation.get_language())
    header = [
        _("When"),
        _("Person"),
        _("Action"),
        _("Action code"),
        _("Type of record"),
        _("Record"),
        _("Changes"),
    ]
    response = HttpResponse(
        csv_bytes(header, rows, delimiter=delimiter, decimal=decimal), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="audit-{timezone.localdate().isoformat()}.csv"'
    return response
