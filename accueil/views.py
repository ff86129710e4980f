"""The reception desk, the queue of advisers and coordinators, and the public waiting-room screen."""

import math
import unicodedata
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from accueil import selectors, services
from accueil.forms import (
    DeskForm,
    EntriesDayForm,
    KioskForm,
    TicketPriorityForm,
    TicketTransferForm,
    UndoForm,
    VisitCorrectionForm,
    VisitForm,
)
from accueil.models import KIOSK_CHANNEL, Orientation, Ticket, TicketStatus, Visit
from citedesmetiers import capture, dates
from citedesmetiers.models import Channel, Language, Partner, Theme
from citedesmetiers.requests import client_address, on_networks
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


def _remember_choices(request: HttpRequest, response: HttpResponse, choices: dict) -> None:
    """Keeps this device's choices for a year: written by an entry when they change (not on every tap),
    renewed by the desk's page."""
    value = "|".join([choices["channel"], choices["language"], choices["orientation"]])
    if request.method == "POST" and request.COOKIES.get(_desk_cookie()) == value:
        return
    response.set_cookie(
        _desk_cookie(),
        value,
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
    channels = [row for row in reference_rows(Channel) if row.code != KIOSK_CHANNEL]
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
        form = VisitForm(request.POST, checking=True)  # built again below if it must be shown
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
                _remember_choices(request, response, form.cleaned_data)
                return response
        if request.htmx:
            return render(request, "components/capture_errors.html", {"form": form}, status=422)
        form = form.shown()
    else:
        form = VisitForm(initial={**_sticky_choices(request), "key": capture.new_key(), "count": 1})
    response = render(request, "accueil/desk.html", _desk_context(request, form, now))
    # Renewed on a device that has choices: a new one follows the page's language until its first entry.
    if request.method == "GET" and _desk_cookie() in request.COOKIES:
        _remember_choices(request, response, form.initial)
    return response


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
    if ticket is not None and ticket.theme_id in themes:
        ticket.theme = themes[ticket.theme_id]  # (a default argument would load the theme anyway)
        ticket.language = visit.language
    return visit, ticket


def _after_capture(request: HttpRequest, result: capture.Captured, now) -> HttpResponse:
    # The answer carries what the person needs at once: the confirmation, the ticket and the next
    # key. The counters and the last entries refresh themselves on the 'capture:recorded' event.
    if request.htmx:
        visit, ticket = _with_references(result.entry)
        context = {"visit": visit, "ticket": ticket, "created": result.created, "next_key": capture.new_key()}
        # Without the context processors: the fragment uses none of the page's context but the request
        # (the ticket's phone address), and each tap waits for it.
        context["request"] = request
        return HttpResponse(render_to_string("accueil/partials/desk_result.html", context))
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
    """Every entry of a day, cancelled ones included, for coordinators to check and correct; a day that
    is not a date or outside the days a list may show keeps today's entries, with the form's message."""
    today = timezone.localdate()
    form = EntriesDayForm(request.GET if request.GET.get("date") else None, initial={"date": today})
    day = (form.cleaned_data["date"] if form.is_valid() else None) or today
    start, end = dates.day_bounds(day)
    visits = (
        Visit.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
        .select_related("theme", "language", "channel", "recorded_by", "ticket", "ticket__theme")
        .order_by("-occurred_at", "-id")
    )
    page = Paginator(visits, 100).get_page(request.GET.get("page"))
    context = {"day": day, "page": page, "counts": selectors.visit_counts(day=day), "query": f"date={day}"}
    return render(request, "accueil/entry_list.html", context | {"form": form})


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


NO_DESK_YET = gettext_lazy(
    "Give your desk before calling: the waiting-room screen shows it next to the number you call."
)


def _calling_desk(request: HttpRequest, duty) -> str:
    """The desk this adviser calls people to: this session's, or their duty's of today."""
    return request.session.get(SESSION_DESK, "") or (duty.desk if duty is not None else "")


def _queue_context(request: HttpRequest) -> dict:
    today = timezone.localdate()
    user = request.user
    context = {"desk_form": DeskForm(initial={"desk": request.session.get(SESSION_DESK, "")})}
    if user.has_perm("accueil.serve_ticket"):
        duty = selectors.open_duty(adviser=user, day=today)
        if duty is not None and duty.desk:
            context["desk_form"] = DeskForm(initial={"desk": duty.desk})
        context.update(duty=duty, calling_desk=_calling_desk(request, duty), no_desk_yet=NO_DESK_YET)
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
        context.update(_overview_context(user, today))
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
    """'Call next': the oldest person waiting whom this adviser can take, to the adviser's desk (the
    waiting-room screen shows it beside the number called): none given yet, nobody is called."""
    desk = _calling_desk(request, selectors.open_duty(adviser=request.user, day=timezone.localdate()))
    if not desk:
        return _queue_response(request, str(NO_DESK_YET), messages.WARNING)
    services.duty_ensure(adviser=request.user, desk=desk)
    try:
        ticket = services.ticket_call_next(adviser=request.user, desk=desk)
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
    """The "I'm on duty at desk …" form: sets the desk this adviser calls people to, for this session,
    and puts them on duty there (counted in the waiting room's estimates; docs/reception.md, "The queue")."""
    form = DeskForm(request.POST)
    if form.is_valid():
        desk = form.cleaned_data["desk"].strip()
        request.session[SESSION_DESK] = desk
        services.duty_start(adviser=request.user, desk=desk)
        return _queue_response(
            request, _("You are on duty at desk %(desk)s.") % {"desk": desk}, messages.SUCCESS
        )
    return _queue_response(request, _("Give your desk a short name or number."), messages.ERROR)


def _board_themes(estimates) -> list[dict]:
    """The waiting groups by theme (the screen's rows), each with its languages (the chips): people,
    the longest estimate among the institutions asked for, and whether some of them have none ("ask at
    reception"); all none: ask only."""
    themes = {theme.code: theme for theme in reference_rows(Theme)}
    languages = {language.code: language for language in reference_rows(Language)}
    rows: dict[str, dict] = {}
    for group in estimates:
        row = rows.setdefault(group.theme, {"theme": themes.get(group.theme), "waiting": 0, "languages": {}})
        row["waiting"] += group.waiting
        chip = row["languages"].setdefault(
            group.language,
            {
                "language": languages.get(group.language),
                "waiting": 0,
                "minutes": None,
                "capped": False,
                "ask": False,
            },
        )
        chip["waiting"] += group.waiting
        if group.estimate_minutes is None:
            chip["ask"] = True
        elif chip["minutes"] is None or group.estimate_minutes >= chip["minutes"]:
            chip["minutes"], chip["capped"] = group.estimate_minutes, chip["capped"] or group.capped
    order = {code: index for index, code in enumerate(themes)}
    result = []
    for code in sorted(rows, key=lambda code: order.get(code, len(order))):
        row = rows[code]
        row["languages"] = sorted(row["languages"].values(), key=lambda chip: -chip["waiting"])
        result.append(row)
    return [row for row in result if row["theme"] is not None]


@login_not_required
@require_GET
@vary_on_headers("HX-Request")
def waiting_room(request: HttpRequest) -> HttpResponse:
    """The public screen of the waiting area (a TV, docs/reception.md "The waiting-room screen"): numbers
    called and where, people waiting by theme and language, honest estimates or "ask at reception".

    No sign-in and nothing about anyone: ticket numbers, desks and counts only."""
    now = timezone.now()
    today = timezone.localdate(now)
    called = selectors.called_tickets(day=today)
    context = {
        "latest": called[0] if called else None,
        "called": called,
        "themes": _board_themes(selectors.wait_estimates(day=today, now=now)),
        "board_languages": BOARD_LANGUAGES,
        "cap_minutes": selectors.WAIT_CAP_MINUTES,
        "now": now,
    }
    template = "accueil/partials/waiting_room_board.html" if request.htmx else "accueil/waiting_room.html"
    return render(request, template, context)


# --- The visitor's phone (docs/reception.md, "The visitor's phone") -----------------------------------------
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


# --- The self-service kiosk (docs/reception.md, "The self-service kiosk") -----------------------------------
# A touch screen at the entrance: language, then theme, then a ticket on screen and on the receipt
# printer. Public (no sign-in) but answering only from the kiosk networks (RECEPTION_KIOSK_NETWORKS);
# its visits are recorded under the system account services.kiosk_user().
KIOSK_LANGUAGES = ["fr", "nl", "en"]
# The theme page goes back to the start when nobody touches it for this long; the ticket, after this.
KIOSK_IDLE_SECONDS = 60
KIOSK_TICKET_SECONDS = 20
# A kiosk ticket's page can be shown again (a reload, a resend) for this long after it was issued.
KIOSK_TICKET_MINUTES = 10


def _kiosk_refused(request: HttpRequest) -> HttpResponse | None:
    """The kiosk's pages answer on the kiosk networks only; elsewhere, a page that says so (403)."""
    if on_networks(request, settings.RECEPTION_KIOSK_NETWORKS):
        return None
    return render(request, "accueil/kiosk_refused.html", status=403)


def _kiosk_context(**context) -> dict:
    with translation.override("fr"):
        home = reverse("accueil:kiosk")
    return {"kiosk_home": home, **context}


def _kiosk_ticket_url(key) -> str:
    return f"{reverse('accueil:kiosk_ticket')}?key={key}"


@login_not_required
@require_GET
@never_cache
def kiosk(request: HttpRequest) -> HttpResponse:
    """The kiosk's start: the visitor chooses their language (each button in its own language)."""
    refused = _kiosk_refused(request)
    if refused:
        return refused
    names = dict(settings.LANGUAGES)
    languages = []
    for code in KIOSK_LANGUAGES:
        with translation.override(code):
            languages.append(
                {
                    "code": code,
                    "name": names[code],
                    "url": reverse("accueil:kiosk_themes"),
                    "welcome": _("Welcome"),
                    "choose": _("Touch your language"),
                }
            )
    return render(request, "accueil/kiosk.html", _kiosk_context(languages=languages))


@login_not_required
@require_http_methods(["GET", "POST"])
@never_cache
def kiosk_themes(request: HttpRequest) -> HttpResponse:
    """The kiosk's themes, in the chosen language (the page's); a tap records a visit (channel kiosk,
    individual advice, that theme and language) and issues its ticket, once per key: a double tap or a
    resend after a network cut gives the same ticket. Too many tickets a minute: "ask at reception"."""
    refused = _kiosk_refused(request)
    if refused:
        return refused
    language = get_language() if get_language() in KIOSK_LANGUAGES else settings.LANGUAGE_CODE
    if request.method == "POST":
        form = KioskForm(request.POST)
        if form.is_valid():
            key = form.cleaned_data["key"]
            if Visit.objects.filter(key=key).exists():  # a resend: the ticket already issued
                return redirect(_kiosk_ticket_url(key))
            now = timezone.now()
            if services.kiosk_throttled(address=client_address(request), now=now):
                context = _kiosk_context(idle_seconds=KIOSK_TICKET_SECONDS)
                return render(request, "accueil/kiosk_busy.html", context, status=429)
            services.visit_create(
                key=key,
                user=services.kiosk_user(),
                occurred_at=now,  # the visitor is in front of the kiosk as the server gets the tap
                theme=form.cleaned_data["theme"],
                orientation=Orientation.ADVICE,
                language=language,
                channel=KIOSK_CHANNEL,
                now=now,
            )
            return redirect(_kiosk_ticket_url(key))
        status = 400
    else:
        form = KioskForm(initial={"key": capture.new_key()})
        status = 200
    context = _kiosk_context(form=form, themes=reference_rows(Theme), idle_seconds=KIOSK_IDLE_SECONDS)
    return render(request, "accueil/kiosk_themes.html", context, status=status)


@login_not_required
@require_GET
@never_cache
def kiosk_ticket(request: HttpRequest) -> HttpResponse:
    """The ticket just issued at the kiosk (by its capture key, for a few minutes): its number, what to
    do next, the phone page's QR code; printed at once on the receipt printer (Chromium in
    --kiosk-printing mode); back to the start after KIOSK_TICKET_SECONDS or "Done"."""
    refused = _kiosk_refused(request)
    if refused:
        return refused
    form = UndoForm(request.GET)
    ticket = None
    if form.is_valid():
        since = timezone.now() - timedelta(minutes=KIOSK_TICKET_MINUTES)
        ticket = (
            Ticket.objects.select_related("theme", "language")
            .filter(
                visit__key=form.cleaned_data["key"],
                visit__channel_id=KIOSK_CHANNEL,
                visit__recorded_at__gte=since,
            )
            .first()
        )
    if ticket is None:
        return redirect("accueil:kiosk")
    context = _kiosk_context(ticket=ticket, idle_seconds=KIOSK_TICKET_SECONDS)
    return render(request, "accueil/kiosk_ticket.html", context)


# --- The adviser's "on duty" switch (docs/reception.md, "The queue") -----------------------------------


@permission_required("accueil.serve_ticket", raise_exception=True)
@require_POST
@vary_on_headers("HX-Request")
def queue_duty(request: HttpRequest) -> HttpResponse:
    """The adviser goes on duty (at the session's desk) or off duty ("on": "0"): the waiting room's
    estimates count advisers on duty only."""
    if request.POST.get("on") == "0":
        services.duty_end(adviser=request.user)
        return _queue_response(request, _("You are off duty."))
    desk = request.session.get(SESSION_DESK, "")
    if not desk:
        return _queue_response(request, _("Give your desk a short name or number."), messages.ERROR)
    services.duty_start(adviser=request.user, desk=desk)
    return _queue_response(request, _("You are on duty at desk %(desk)s.") % {"desk": desk}, messages.SUCCESS)


# --- Reception's hand on the queue: who waits how long, who nobody can take, transfer, priority and
# cancel (docs/reception.md, "The queue"). Reception agents and coordinators (accueil.manage_ticket).


def _overview_context(user, today) -> dict:
    """Everyone in today's queue with the minutes each has waited (until called, or until now); for
    those who manage tickets, whom nobody on duty can take (a flag per row and one alert per group)."""
    now = timezone.now()
    overview, overview_count = _first(selectors.queue_overview(day=today))
    for ticket in overview:
        ticket.minutes_waited = max(
            0, int(((ticket.called_at or now) - ticket.issued_at).total_seconds() // 60)
        )
    context = {"overview": overview, "overview_more": overview_count - len(overview)}
    if not user.has_perm("accueil.manage_ticket"):
        return context
    duties = selectors.on_duty(day=today)
    for ticket in overview:
        ticket.uncovered = ticket.status == TicketStatus.WAITING and not selectors.covered(
            duties, theme=ticket.theme_id, language=ticket.language_id, partner=ticket.partner_id
        )
    themes = {row.code: row.label for row in reference_rows(Theme)}
    languages = {row.code: row.label for row in reference_rows(Language)}
    partners = {row.pk: row.name for row in reference_rows(Partner)}
    alerts = []
    for group in selectors.waiting_uncovered(day=today, duties=duties):
        names = [
            languages.get(group["language"], group["language"]),
            themes.get(group["theme"], group["theme"]),
        ]
        if group["partner"] is not None:
            names.append(partners.get(group["partner"], "?"))
        alerts.append({"names": " / ".join(names), "labels": group["labels"]})
    context.update(manage=True, uncovered=alerts, day_counts=selectors.queue_changes(start=today, end=today))
    return context


def _managed_ticket(request: HttpRequest, pk: int) -> Ticket:
    """A ticket of today's queue (404 for any other day's)."""
    return get_object_or_404(
        Ticket.objects.select_related("theme", "language", "partner"),
        pk=pk,
        service_date=timezone.localdate(),
    )


def _manage_fragment(request: HttpRequest, ticket: Ticket, *, confirm_cancel: bool = False) -> HttpResponse:
    """The panel of one waiting ticket's actions: alone for htmx, else within the queue page."""
    context = {
        "ticket": ticket,
        "confirm_cancel": confirm_cancel,
        "transfer_form": TicketTransferForm(
            initial={"theme": ticket.theme_id, "partner": ticket.partner_id or ""}
        ),
        "priority_form": TicketPriorityForm(initial={"reason": ticket.priority}),
        "undo_minutes": settings.CAPTURE_UNDO_MINUTES,
    }
    if request.htmx:
        return render(request, "accueil/partials/ticket_manage.html", context)
    return render(request, "accueil/queue.html", {**_queue_context(request), "managed": context})


def _manage_result(request: HttpRequest, ticket: Ticket, action) -> HttpResponse:
    """Runs `action` (a service call that returns the message to show); a ticket no longer waiting, or
    a refused change, gives its reason as a warning."""
    try:
        message = action()
    except ValidationError as error:
        return _queue_response(request, error.messages[0], messages.WARNING)
    return _queue_response(request, message, messages.SUCCESS)


@permission_required("accueil.manage_ticket", raise_exception=True)
@require_GET
@vary_on_headers("HX-Request")
def queue_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """The actions on one waiting ticket: transfer, priority, cancel (`?step=cancel`: its confirmation)."""
    ticket = _managed_ticket(request, pk)
    if ticket.status != TicketStatus.WAITING:
        message = _("Ticket %(ticket)s is no longer waiting.") % {"ticket": ticket.label}
        response = _queue_response(request, message, messages.WARNING)
        # The link asked for the actions' box: the whole panel, with the message, replaces the panel.
        response["HX-Retarget"] = "#queue-panel"
        return response
    return _manage_fragment(request, ticket, confirm_cancel=request.GET.get("step") == "cancel")


@permission_required("accueil.manage_ticket", raise_exception=True)
@require_POST
@vary_on_headers("HX-Request")
def queue_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    """Moves a waiting ticket to another theme and/or institution; its number and place stay."""
    ticket = _managed_ticket(request, pk)
    form = TicketTransferForm(request.POST)
    if not form.is_valid():
        return _queue_response(
            request, _("Choose a theme and an institution from the lists."), messages.ERROR
        )

    def transfer():
        moved = services.ticket_transfer(
            ticket=ticket,
            user=request.user,
            theme=form.cleaned_data["theme"],
            partner=form.cleaned_data["partner"],
        )
        moved = _managed_ticket(request, moved.pk)
        where = moved.theme.label + (f" · {moved.partner.name}" if moved.partner else "")
        return _(
            "%(ticket)s now waits for %(where)s, in the same place in the queue. Its number stays "
            "%(ticket)s: the person keeps their printed ticket."
        ) % {"ticket": moved.label, "where": where}

    return _manage_result(request, ticket, transfer)


@permission_required("accueil.manage_ticket", raise_exception=True)
@require_POST
@vary_on_headers("HX-Request")
def queue_priority(request: HttpRequest, pk: int) -> HttpResponse:
    """Gives a waiting ticket priority for a reason code (or takes it back)."""
    ticket = _managed_ticket(request, pk)
    form = TicketPriorityForm(request.POST)
    if not form.is_valid():
        return _queue_response(request, _("Choose a reason from the list."), messages.ERROR)

    def prioritise():
        done = services.ticket_prioritise(
            ticket=ticket, user=request.user, reason=form.cleaned_data["reason"]
        )
        if not done.priority:
            return _("%(ticket)s no longer has priority.") % {"ticket": done.label}
        return _("%(ticket)s has priority (%(reason)s): called before the others an adviser can take.") % {
            "ticket": done.label,
            "reason": done.get_priority_display(),
        }

    return _manage_result(request, ticket, prioritise)


@permission_required("accueil.manage_ticket", raise_exception=True)
@require_POST
@vary_on_headers("HX-Request")
def queue_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancels a waiting ticket once confirmed (`confirm=1`); without it, asks for the confirmation."""
    ticket = _managed_ticket(request, pk)
    if request.POST.get("confirm") != "1":
        if ticket.status != TicketStatus.WAITING:
            message = _("Ticket %(ticket)s is no longer waiting.") % {"ticket": ticket.label}
            return _queue_response(request, message, messages.WARNING)
        return _manage_fragment(request, ticket, confirm_cancel=True)

    def cancel():
        done = services.ticket_cancel(ticket=ticket, user=request.user)
        return _("%(ticket)s is cancelled and out of the queue. The visit stays counted.") % {
            "ticket": done.label
        }

    return _manage_result(request, ticket, cancel)
