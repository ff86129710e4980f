"""The reception desk, the queue of advisers and coordinators, and the public waiting-room screen."""

import math
import unicodedata

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from accueil import selectors, services
from accueil.forms import DeskForm, UndoForm, VisitCorrectionForm, VisitForm
from accueil.models import Orientation, Ticket, TicketStatus, Visit
from citedesmetiers import capture
from citedesmetiers.models import Channel, Language, Theme
from citedesmetiers.selectors import audit_history, reference_rows

# The languages offered as big buttons at the desk; the others sit behind "other languages".
DESK_LANGUAGES = ["fr", "nl", "en"]
SESSION_DESK = "accueil_desk"
# The waiting-room screen speaks the two official languages, and English for newcomers.
BOARD_LANGUAGES = ["fr", "nl", "en"]


def _desk_cookie() -> str:
    # Remembers this device's channel, language and orientation: a desk PC is shared by its agents.
    return "__Host-desk" if settings.HTTPS else "desk"


def _sticky_choices(request: HttpRequest) -> dict[str, str]:
    """This device's usual choices, checked against the active codes; sensible defaults otherwise."""
    channel, language, orientation = (request.COOKIES.get(_desk_cookie(), "") + "||").split("|")[:3]
    channels = {row.code for row in reference_rows(Channel)}
    languages = {row.code for row in reference_rows(Language)}
    return {
        "channel": channel if channel in channels else "on_site",
        "language": language if language in languages else get_language(),
        "orientation": orientation if orientation in Orientation.values else Orientation.ADVICE,
    }


def _remember_choices(response: HttpResponse, cleaned: dict) -> None:
    response.set_cookie(
        _desk_cookie(),
        "|".join([cleaned["channel"], cleaned["language"], cleaned["orientation"]]),
        max_age=365 * 24 * 3600,
        secure=settings.HTTPS,
        httponly=True,
        samesite="Lax",
    )


def theme_shortcuts(themes: list[Theme]) -> dict[str, str]:
    """A key per theme button in the page's language: the first letter of its label not already taken
    (else the next letters of the label); "general" for general information. French: C A B E T I;
    Dutch: K L B O W A (Kiezen, Leren, Bewegen, Ondernemen, Werken, Algemene informatie)."""
    taken: set[str] = set()
    shortcuts = {}
    labels = [(theme.code, theme.label) for theme in themes] + [("general", _("General information"))]
    for code, label in labels:
        letters = [c for c in unicodedata.normalize("NFKD", str(label).lower()) if "a" <= c <= "z"]
        letter = next((c for c in letters if c not in taken), "")
        taken.add(letter)
        shortcuts[code] = letter
    return shortcuts


def _desk_context(request: HttpRequest, form: VisitForm, now) -> dict:
    today = timezone.localdate(now)
    languages = reference_rows(Language)
    themes = reference_rows(Theme)
    shortcuts = theme_shortcuts(themes)
    channels = reference_rows(Channel)
    return {
        "form": form,
        "themes": [(theme, shortcuts[theme.code]) for theme in themes],
        "general_shortcut": shortcuts["general"],
        "orientations": [
            (value, label, str(shortcut)) for shortcut, (value, label) in enumerate(Orientation.choices, 1)
        ],
        # Shift and the first letter of the language's own name (F, N, E: the same on every page).
        "main_languages": [(row, row.endonym[0].upper()) for row in languages if row.code in DESK_LANGUAGES],
        "other_languages": [row for row in languages if row.code not in DESK_LANGUAGES],
        # The digits after the orientations' (6, 7, 8, 9).
        "channels": [
            (row, str(number) if number <= 9 else "")
            for number, row in enumerate(channels, len(Orientation.choices) + 1)
        ],
        "recent": _recent(request, now),
        "counters": _counters(today),
        "server_now_ms": int(now.timestamp() * 1000),
        "undo_minutes": settings.CAPTURE_UNDO_MINUTES,
    }


def _counters(day) -> dict:
    """Today's figures as rows for the desk: labels in the active language, zeros included."""
    counts = selectors.visit_counts(day=day)
    themes = {theme.code: theme for theme in reference_rows(Theme)}
    theme_rows = [
        (theme.label, f"theme-{code}", counts.by_theme.get(code, 0)) for code, theme in themes.items()
    ]
    theme_rows.append((_("General information"), "theme-general", counts.by_theme.get(None, 0)))
    return {
        "total": counts.total,
        "themes": theme_rows,
        "orientations": [
            (label, counts.by_orientation.get(value, 0)) for value, label in Orientation.choices
        ],
        "channels": [(row.label, counts.by_channel.get(row.code, 0)) for row in reference_rows(Channel)],
        "queue": [
            (
                themes[row["theme"]].label if row["theme"] in themes else row["theme"],
                row["language"],
                row["waiting"],
            )
            for row in selectors.queue_lengths(day=day)
        ],
    }


def _recent(request: HttpRequest, now) -> list[tuple[Visit, bool]]:
    visits = selectors.desk_recent(user=request.user, day=timezone.localdate(now))
    return [(visit, capture.undoable(visit, user=request.user, now=now)) for visit in visits]


@permission_required("accueil.add_visit", raise_exception=True)
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def desk(request: HttpRequest) -> HttpResponse:
    """The reception desk: one tap on a theme logs a contact with the choices that stay selected."""
    now = timezone.now()
    if request.method == "POST":
        form = VisitForm(request.POST)
        if form.is_valid():
            try:
                occurred_at = form.occurred_at(now=now)
            except ValidationError:
                pass  # the form now carries the message
            else:
                fields = {name: form.cleaned_data[name] for name in services.CORRECTABLE}
                result = services.visit_create(
                    key=form.cleaned_data["key"],
                    user=request.user,
                    occurred_at=occurred_at,
                    partner=form.cleaned_data["partner"],
                    now=now,
                    **fields,
                )
                response = _after_capture(request, result, now)
                _remember_choices(response, form.cleaned_data)
                return response
        if request.htmx:
            return render(request, "components/capture_errors.html", {"form": form}, status=422)
    else:
        form = VisitForm(initial={**_sticky_choices(request), "key": capture.new_key(), "count": 1})
    return render(request, "accueil/desk.html", _desk_context(request, form, now))


def _with_references(visit: Visit) -> tuple[Visit, Ticket | None]:
    """Attaches the cached reference rows to a new visit (no query each) and returns its ticket."""
    themes = {row.code: row for row in reference_rows(Theme)}
    visit.theme = themes.get(visit.theme_id) if visit.theme_id else None
    visit.language = {row.code: row for row in reference_rows(Language)}[visit.language_id]
    visit.channel = {row.code: row for row in reference_rows(Channel)}[visit.channel_id]
    ticket = None
    if visit.orientation == Orientation.ADVICE:
        try:
            ticket = visit.ticket  # already known when the service has just issued it
        except Ticket.DoesNotExist:
            ticket = None
    if ticket is not None:
        ticket.theme = themes.get(ticket.theme_id, ticket.theme)
    return visit, ticket


def _after_capture(request: HttpRequest, result: capture.Captured, now) -> HttpResponse:
    # The answer carries what the person needs at once: the confirmation, the ticket and the next
    # key. The counters and the last entries refresh themselves on the 'capture:recorded' event.
    if request.htmx:
        visit, ticket = _with_references(result.entry)
        context = {"visit": visit, "ticket": ticket, "created": result.created, "next_key": capture.new_key()}
        return render(request, "accueil/partials/desk_result.html", context)
    if result.created:
        messages.success(request, _("Recorded."))
    else:
        messages.info(request, _("This entry had already been recorded."))
    return redirect("accueil:desk")


@permission_required("accueil.add_visit", raise_exception=True)
@require_GET
@vary_on_headers("HX-Request")
def desk_counters(request: HttpRequest) -> HttpResponse:
    """Today's counters and this person's last entries, refreshed by the desk after each entry and
    every half minute (the desk page renders both)."""
    if not request.htmx:
        return redirect("accueil:desk")
    now = timezone.now()
    context = {
        "counters": _counters(timezone.localdate(now)),
        "recent": _recent(request, now),
        "undo_minutes": settings.CAPTURE_UNDO_MINUTES,
    }
    return render(request, "accueil/partials/desk_refresh.html", context)


@permission_required("accueil.add_visit", raise_exception=True)
@require_POST
@vary_on_headers("HX-Request")
def desk_undo(request: HttpRequest) -> HttpResponse:
    """Takes back one of this person's own recent entries."""
    form = UndoForm(request.POST)
    if not form.is_valid():
        raise PermissionDenied
    visit = get_object_or_404(Visit, key=form.cleaned_data["key"], recorded_by=request.user)
    now = timezone.now()
    try:
        services.visit_undo(visit=visit, user=request.user, now=now)
        message = _("Entry undone.")
    except ValidationError as error:
        message = error.messages[0]
    return capture.undo_answer(request, message, "accueil:desk")


@permission_required("accueil.view_ticket", raise_exception=True)
@require_GET
def ticket_print(request: HttpRequest, pk: int) -> HttpResponse:
    """A ticket to print or show: number, theme and language, in French and Dutch."""
    ticket = get_object_or_404(Ticket.objects.select_related("theme", "language"), pk=pk)
    return render(request, "accueil/ticket.html", {"ticket": ticket, "autoprint": "print" in request.GET})


@permission_required("accueil.change_visit", raise_exception=True)
@require_GET
def entries(request: HttpRequest) -> HttpResponse:
    """Every entry of a day, cancelled ones included, for coordinators to check and correct."""
    day = parse_date(request.GET.get("date", "")) or timezone.localdate()
    start, end = selectors.day_bounds(day)
    visits = (
        Visit.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
        .select_related("theme", "language", "channel", "recorded_by", "ticket", "ticket__theme")
        .order_by("-occurred_at", "-id")
    )
    page = Paginator(visits, 100).get_page(request.GET.get("page"))
    context = {"day": day, "page": page, "counts": selectors.visit_counts(day=day), "query": f"date={day}"}
    return render(request, "accueil/entry_list.html", context)


@permission_required("accueil.change_visit", raise_exception=True)
@require_http_methods(["GET", "POST"])
def entry_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """A coordinator corrects one entry; the change and its author go to the audit trail."""
    visit = get_object_or_404(Visit, pk=pk)
    form = VisitCorrectionForm(request.POST or None, instance=visit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {name: getattr(data[name], "pk", data[name]) for name in services.CORRECTABLE}
        try:
            services.visit_correct(
                visit=visit,
                user=request.user,
                occurred_at=data["occurred_at"],
                cancelled=data["cancelled"],
                **fields,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Entry corrected."))
            day = timezone.localdate(data["occurred_at"]).isoformat()
            return redirect(f"{reverse('accueil:entries')}?date={day}")
    history = audit_history(visit)
    return render(request, "accueil/entry_form.html", {"form": form, "visit": visit, "history": history})


# A long queue is counted in full but listed up to here: every adviser's panel refreshes every 10 s,
# and its cost would otherwise grow with the queue (bench/load.py measured it).
QUEUE_LISTED = 20


def _first(tickets, limit: int = QUEUE_LISTED) -> tuple[list, int]:
    """The first `limit` tickets and how many there are in all (counted only when the list is full)."""
    listed = list(tickets[:limit])
    return listed, len(listed) if len(listed) < limit else tickets.count()


def _queue_context(request: HttpRequest) -> dict:
    today = timezone.localdate()
    user = request.user
    context = {"desk_form": DeskForm(initial={"desk": request.session.get(SESSION_DESK, "")})}
    if user.has_perm("accueil.serve_ticket"):
        waiting = selectors.tickets_for_adviser(adviser=user, day=today)
        waiting, waiting_count = _first(
            waiting.select_related("theme", "language", "partner").order_by(*selectors.QUEUE_ORDER)
        )
        context.update(
            serving=True,
            current=selectors.adviser_current_ticket(adviser=user, day=today),
            waiting=waiting,
            waiting_count=waiting_count,
            waiting_more=waiting_count - len(waiting),
            languages=list(user.languages.all()),
            partner_themes=list(user.partner.themes.all()) if user.partner_id else [],
        )
    if user.has_perm("accueil.view_ticket"):
        overview, overview_count = _first(selectors.queue_overview(day=today))
        context.update(overview=overview, overview_more=overview_count - len(overview))
    return context


@permission_required("accueil.view_ticket", raise_exception=True)
@require_GET
@vary_on_headers("HX-Request")
def queue(request: HttpRequest) -> HttpResponse:
    """The queue: for advisers, the people they can call; for coordinators, everyone waiting."""
    template = "accueil/partials/queue_panel.html" if request.htmx else "accueil/queue.html"
    return render(request, template, _queue_context(request))


def _queue_response(request: HttpRequest, message: str | None = None, level=messages.INFO) -> HttpResponse:
    if request.htmx:
        context = {**_queue_context(request), "status_message": message}
        return render(request, "accueil/partials/queue_panel.html", context)
    if message:
        messages.add_message(request, level, message)
    return redirect("accueil:queue")


@permission_required("accueil.serve_ticket", raise_exception=True)
@require_POST
@vary_on_headers("HX-Request")
def queue_call(request: HttpRequest) -> HttpResponse:
    """'Call next': the oldest person waiting whom this adviser can take."""
    try:
        ticket = services.ticket_call_next(adviser=request.user, desk=request.session.get(SESSION_DESK, ""))
    except ValidationError as error:
        return _queue_response(request, error.messages[0], messages.WARNING)
    if ticket is None:
        return _queue_response(request, _("Nobody is waiting for your themes and languages."))
    return _queue_response(
        request, _("You have called %(ticket)s.") % {"ticket": ticket.label}, messages.SUCCESS
    )


TICKET_ACTIONS = {
    "recall": services.ticket_recall,
    "walked_away": services.ticket_walked_away,
    "start": services.ticket_start,
    "end": services.ticket_end,
}


@permission_required("accueil.serve_ticket", raise_exception=True)
@require_POST
@vary_on_headers("HX-Request")
def queue_ticket(request: HttpRequest, pk: int) -> HttpResponse:
    """Recall, walked away, start or end the consultation, on a ticket this adviser called."""
    ticket = get_object_or_404(Ticket, pk=pk, adviser=request.user)
    action = TICKET_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        return _queue_response(request, _("Unknown action."), messages.ERROR)
    try:
        action(ticket=ticket, adviser=request.user)
    except ValidationError as error:
        return _queue_response(request, error.messages[0], messages.WARNING)
    return _queue_response(request)


@permission_required("accueil.serve_ticket", raise_exception=True)
@require_POST
@vary_on_headers("HX-Request")
def queue_desk(request: HttpRequest) -> HttpResponse:
    """Sets the desk this adviser calls people to, for this session."""
    form = DeskForm(request.POST)
    if form.is_valid():
        request.session[SESSION_DESK] = form.cleaned_data["desk"].strip()
        return _queue_response(request, _("Desk saved."))
    return _queue_response(request, _("Give your desk a short name or number."), messages.ERROR)


@login_not_required
@require_GET
@vary_on_headers("HX-Request")
def waiting_room(request: HttpRequest) -> HttpResponse:
    """The public screen of the waiting area: numbers called and where, people waiting, estimates.

    No sign-in and nothing about anyone: ticket numbers, desks and counts only."""
    now = timezone.now()
    today = timezone.localdate(now)
    themes = {theme.code: theme for theme in Theme.objects.all()}
    languages = {language.code: language for language in Language.objects.all()}
    groups = [
        {
            "theme": themes[group.theme],
            "language": languages[group.language],
            "waiting": group.waiting,
            "estimate_minutes": group.estimate_minutes,
        }
        for group in selectors.wait_estimates(day=today, now=now)
    ]
    context = {
        "called": selectors.called_tickets(day=today),
        "groups": groups,
        "board_languages": BOARD_LANGUAGES,
        "now": now,
    }
    template = "accueil/partials/waiting_room_board.html" if request.htmx else "accueil/waiting_room.html"
    return render(request, template, context)


# --- The visitor's phone (README, "The visitor's phone") ---------------------------------------------
# Each phone in the room asks for its ticket's state this often; the page says so and refreshes without
# JavaScript at the same pace.
PHONE_POLL_SECONDS = 10
# The waiting-time estimates are the same for every phone: read once per worker this often, not once per
# phone (hundreds of phones would each pay for them).
PHONE_ESTIMATES_SECONDS = 10
PHONE_ENDED = {TicketStatus.WALKED_AWAY, TicketStatus.NOT_SERVED, TicketStatus.CANCELLED}


def _phone_estimates(day, now) -> dict[tuple, tuple[int, int | None]]:
    """wait_estimates of the day as {(theme, language, institution): (waiting, minutes)}, shared by every
    phone for a few seconds. The institution is the group's when wait_estimates splits groups by it."""
    key = f"accueil:phone-estimates:{day.isoformat()}"
    groups = cache.get(key)
    if groups is None:
        groups = {}
        for group in selectors.wait_estimates(day=day, now=now):
            partner = getattr(group, "partner", None)
            partner = getattr(partner, "pk", partner)
            groups.setdefault((group.theme, group.language, partner), (group.waiting, group.estimate_minutes))
        cache.set(key, groups, PHONE_ESTIMATES_SECONDS)
    return groups


def _phone_group(groups: dict, ticket: Ticket) -> tuple[int, int | None] | None:
    """The estimate of the ticket's group: its own institution's if the groups are split so, else the
    theme and language's."""
    for partner in (ticket.partner_id, None):
        if (ticket.theme_id, ticket.language_id, partner) in groups:
            return groups[(ticket.theme_id, ticket.language_id, partner)]
    return next(
        (
            value
            for (theme, language, _), value in groups.items()
            if (theme, language) == (ticket.theme_id, ticket.language_id)
        ),
        None,
    )


def phone_wait(*, before: int, waiting: int, estimate: int | None) -> int | None:
    """Minutes until the call of a person with `before` people ahead, from the estimate of their group
    (the wait of the group's last person): its share, rounded up to 5, at least 5; None without one."""
    if estimate is None:
        return None
    share = (before + 1) / max(waiting, before + 1)
    return max(5, 5 * math.ceil(estimate * share / 5))


def phone_away(minutes: int | None) -> int | None:
    """How long a person may step out and still be back in time: half the estimated wait (estimates
    move), rounded down to 5 minutes; None below 10 minutes or without an estimate."""
    if minutes is None:
        return None
    away = 5 * (minutes // 2 // 5)
    return away if away >= 10 else None


def _phone_state(ticket: Ticket, today) -> str:
    if ticket.service_date != today or ticket.status in PHONE_ENDED:
        return "expired"
    return {
        TicketStatus.WAITING: "waiting",
        TicketStatus.CALLED: "called",
        TicketStatus.SERVING: "serving",
        TicketStatus.DONE: "done",
    }[ticket.status]


@login_not_required
@require_GET
@never_cache
@vary_on_headers("HX-Request")
def ticket_phone(request: HttpRequest, token: str) -> HttpResponse:
    """The visitor's phone page of a ticket, opened from its QR code: the people before them and an
    estimate, then their turn and the desk, in the language of the address. The token is the only key
    (never the number); a ticket of another day, or one that ended without a consultation, is no
    longer valid. Nothing about the person: the number, theme and language. htmx polls the fragment.
    Two queries a poll while the estimates are shared (_phone_estimates), one once the ticket is called."""
    now = timezone.now()
    today = timezone.localdate(now)
    ticket = get_object_or_404(Ticket.objects.select_related("theme", "language"), token=token)
    state = _phone_state(ticket, today)
    context = {
        "ticket": None if state == "expired" else ticket,
        "state": state,
        "live": state in ("waiting", "called", "serving"),
        "poll_seconds": PHONE_POLL_SECONDS,
        "now": now,
    }
    if state == "waiting":
        before = selectors.ticket_position(ticket=ticket, now=now)
        waiting, estimate = _phone_group(_phone_estimates(today, now), ticket) or (before + 1, None)
        minutes = phone_wait(before=before, waiting=waiting, estimate=estimate)
        # The next person may be called whenever an adviser is free: nobody tells them to step out.
        context.update(before=before, minutes=minutes, away=phone_away(minutes) if before else None)
    template = "accueil/partials/ticket_phone_status.html" if request.htmx else "accueil/ticket_phone.html"
    response = render(request, template, context)
    # The token is in the address: never sent on to another page, never indexed.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
