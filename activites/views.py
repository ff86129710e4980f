"""The public agenda and registrations (no account); the organisers' pages behind their institution's wall."""

from datetime import timedelta
from itertools import groupby

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from activites import calendar, pages, selectors, services
from activites.forms import (
    ActivityCreateForm,
    ActivityForm,
    AgendaFilterForm,
    HeadcountForm,
    RegistrationForm,
)
from activites.models import Activity, Admission, Registration
from citedesmetiers import capture
from citedesmetiers.forms import add_service_errors
from citedesmetiers.models import Partner
from citedesmetiers.requests import client_address, on_networks, query_without
from citedesmetiers.selectors import audit_history

AGENDA_PAGE_SIZE = 30
# The activity's columns that its form splits into other fields.
ACTIVITY_FIELD_ALIASES = {"starts_at": "start_time", "ends_at": "end_time"}

# --- the public agenda ---------------------------------------------------------------------------


def _agenda_filters(request: HttpRequest) -> tuple[AgendaFilterForm, dict]:
    form = AgendaFilterForm(request.GET)
    return form, form.chosen()


@pages.cached_for_visitors
@login_not_required
@require_GET
@vary_on_headers("HX-Request")
def agenda(request: HttpRequest) -> HttpResponse:
    """The agenda by day, filtered by theme, type, audience, language and dates (a plain GET form;
    htmx swaps the results only)."""
    form, chosen = _agenda_filters(request)
    activities = selectors.agenda(**chosen)
    page = Paginator(activities, AGENDA_PAGE_SIZE).get_page(request.GET.get("page"))
    days = [
        (day, list(items))
        for day, items in groupby(
            page.object_list, key=lambda activity: timezone.localdate(activity.starts_at)
        )
    ]
    for _day, items in days:
        for activity in items:
            activity.seats_left = selectors.seats_left(activity)
    query = query_without(request, "page")
    feed_url = reverse("activites:agenda_feed") + (
        f"?{query_without(request, 'page', 'start', 'end')}" if query else ""
    )
    # A subscription: webcal:// opens the calendar app; the https address is for pasting in one.
    feed_https = request.build_absolute_uri(feed_url)
    context = {
        "form": form,
        "page": page,
        "days": days,
        "filtered": bool(chosen),
        "query": query,
        "feed_url": feed_url,
        "feed_https": feed_https,
        "feed_webcal": calendar.webcal(feed_https),
    }
    # A swap of the results only; the whole page for a plain request and for htmx restoring history.
    fragment = bool(request.htmx) and not request.htmx.boosted and not request.htmx.history_restore_request
    template = "activites/partials/agenda_results.html" if fragment else "activites/agenda.html"
    return render(request, template, context | {"fragment": fragment})


@pages.cached_for_visitors
@login_not_required
@require_GET
def agenda_feed(request: HttpRequest) -> HttpResponse:
    """The agenda's filter as a calendar that calendar apps subscribe to (the coming activities)."""
    _form, chosen = _agenda_filters(request)
    chosen.pop("start", None)
    chosen.pop("end", None)
    # Calendars name no language; at most FEED_SIZE activities with their descriptions cut (under 1 MB).
    activities = selectors.agenda(**chosen).prefetch_related(None)[: calendar.FEED_SIZE]
    name = f"{settings.SITE_NAMES[translation.get_language()]} — {_('Agenda')}"
    return _ics_response(calendar.calendar(activities, name=name, brief=True), "agenda.ics")


def _ics_response(body: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _public_activity_or_404(pk: int) -> Activity:
    try:
        return selectors.agenda_activity_get(pk=pk)
    except Activity.DoesNotExist as missing:
        raise Http404 from missing


@login_not_required
@require_GET
def agenda_activity_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """One activity as a calendar file."""
    activity = _public_activity_or_404(pk)
    return _ics_response(calendar.calendar([activity], name=activity.title), f"activity-{activity.pk}.ics")


@login_not_required
@require_http_methods(["GET", "POST"])
def agenda_activity(request: HttpRequest, pk: int) -> HttpResponse:
    """An activity's page, with its registration form while registration is open."""
    activity = _public_activity_or_404(pk)
    is_open = services.registration_open(activity)
    form = RegistrationForm(
        request.POST if request.method == "POST" else None,
        retention_days=settings.REGISTRATION_RETENTION_DAYS,
    )
    status, throttled = 200, ""
    if request.method == "POST":
        if not is_open:
            messages.error(request, _("Registration for this activity is closed."))
            return redirect("activites:agenda_activity", pk=activity.pk)
        # Only a send that would register someone counts toward the limits: a typo just shows the form's
        # errors (a school's or a library's network shares one address). The centre's own computers and
        # tablets share one address too: its networks are not limited by it.
        if (
            form.is_valid()
            and not on_networks(request, settings.CENTRE_NETWORKS)
            and services.registration_throttled(address=client_address(request))
        ):
            form, status, throttled = None, 429, "address"
        elif form.is_valid() and form.cleaned_data["website"]:
            return redirect("activites:agenda_registered", pk=activity.pk)  # a robot: say nothing more
        elif form.is_valid() and services.registration_email_throttled(email=form.cleaned_data["email"]):
            form, status, throttled = None, 429, "email"
        elif form.is_valid():
            try:
                services.registration_create(
                    activity=activity,
                    first_name=form.cleaned_data["first_name"],
                    email=form.cleaned_data["email"],
                    language=translation.get_language(),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("activites:agenda_registered", pk=activity.pk)
    page_url = request.build_absolute_uri(reverse("activites:agenda_activity", args=[activity.pk]))
    context = {
        "activity": activity,
        "form": form,
        "open": is_open,
        "google_link": calendar.google_link(activity, page_url=page_url),
        "outlook_link": calendar.outlook_link(activity, page_url=page_url),
        "seats_left": selectors.seats_left(activity),
        "languages": list(activity.languages.order_by("position")),
        "throttled": throttled,
    }
    response = render(request, "activites/agenda_activity.html", context, status=status)
    if status == 429:
        response["Retry-After"] = "3600"
    return response


@login_not_required
@require_GET
def agenda_registered(request: HttpRequest, pk: int) -> HttpResponse:
    """After the form: look in your mailbox (the link that confirms the address only goes there)."""
    activity = _public_activity_or_404(pk)
    return render(
        request,
        "activites/agenda_registered.html",
        {"activity": activity, "confirm_hours": settings.REGISTRATION_CONFIRM_HOURS},
    )


def _registration_or_404(token: str) -> Registration:
    registration = (
        Registration.objects.select_related("activity__theme", "activity__room").filter(token=token).first()
    )
    if registration is None:
        raise Http404
    return registration


@login_not_required
@require_http_methods(["GET", "POST"])
def registration(request: HttpRequest, token: str) -> HttpResponse:
    """The page each e-mail links to: confirm the address, see the registration, cancel it or erase it.
    Reading it changes nothing (mail scanners open links); each change is a button."""
    registration = _registration_or_404(token)
    confirming = ""
    if request.method == "POST":
        action = request.POST.get("action")
        if action in ("cancel", "erase") and request.POST.get("confirmed") != "yes":
            # A stray tap on a phone must not give the seat away: the change asks once more.
            confirming = action
        else:
            return _registration_change(request, registration, action)
    activity = registration.activity
    context = {
        "registration": registration,
        "activity": activity,
        "open": services.registration_open(activity),
        "position": selectors.waiting_position(registration),
        "confirming": confirming,
        "retention_days": settings.REGISTRATION_RETENTION_DAYS,
    }
    return render(request, "activites/registration.html", context)


def _registration_change(
    request: HttpRequest, registration: Registration, action: str | None
) -> HttpResponse:
    """Applies one confirmed button of the registration page, then back to the page (Post/Redirect/Get)."""
    token = registration.token
    try:
        if action == "confirm":
            registration = services.registration_confirm(registration=registration)
            if registration.status == Registration.Status.CONFIRMED:
                messages.success(request, _("Your seat is booked. See you there!"))
            else:
                messages.info(
                    request,
                    _("The activity is full: you are on the waiting list. We write if a seat frees up."),
                )
        elif action == "accept":
            services.registration_offer_accept(registration=registration)
            messages.success(request, _("The seat is yours. See you there!"))
        elif action == "cancel":
            services.registration_cancel(registration=registration)
            messages.success(request, _("Your registration is cancelled."))
        elif action == "erase":
            services.registration_erase(registration=registration)
            messages.success(request, _("Your first name and e-mail address are erased."))
        else:
            return render(request, "400.html", status=400)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("activites:registration", token=token)


# --- the organisers' pages -------------------------------------------------------------------------


def _activity_or_404(request: HttpRequest, pk: int) -> Activity:
    try:
        return selectors.activity_get(user=request.user, pk=pk)
    except Activity.DoesNotExist as missing:
        raise Http404 from missing


def _partners(user):
    if user.has_perm("activites.manage_all_activities"):
        return Partner.objects.filter(active=True)
    return Partner.objects.filter(pk=user.partner_id)


@require_GET
def activity_list(request: HttpRequest) -> HttpResponse:
    """The activities this person organises, from today (or the past weeks), with seats and attendance;
    the activities whose attendance was never recorded come first."""
    if not services.can_manage(user=request.user):
        raise PermissionDenied
    today = timezone.localdate()
    past = request.GET.get("past") == "1"
    start = today - timedelta(days=90) if past else today
    activities = selectors.activity_list(user=request.user, start=start, end=today if past else None)
    if past:
        activities = activities.reverse()
    page = Paginator(activities, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "past": past,
        "missing": list(selectors.missing_attendance(user=request.user)),
        "query": query_without(request, "page"),
    }
    return render(request, "activites/activity_list.html", context)


@require_http_methods(["GET", "POST"])
def activity_new(request: HttpRequest) -> HttpResponse:
    """Schedules an activity, or the same one every week for a number of weeks, in one step."""
    if not services.can_manage(user=request.user):
        raise PermissionDenied
    partners = _partners(request.user)
    if request.method == "POST":
        form = ActivityCreateForm(request.POST, partners=partners)
        if form.is_valid():
            try:
                created = services.activity_create(
                    user=request.user,
                    values=form.values(),
                    languages=form.cleaned_data["languages"],
                    publish="publish" in request.POST,
                    repeat_weeks=form.cleaned_data["repeat_weeks"],
                    key=form.cleaned_data["key"],
                )
            except ValidationError as error:
                add_service_errors(form, error, ACTIVITY_FIELD_ALIASES)
            else:
                messages.success(
                    request,
                    translation.ngettext(
                        "%(count)d session scheduled.", "%(count)d sessions scheduled.", len(created)
                    )
                    % {"count": len(created)},
                )
                return redirect("activites:activity", pk=created[0].pk)
    else:
        copy = None
        if request.GET.get("copy", "").isdigit():
            copy = selectors.activities_managed_by(request.user).filter(pk=int(request.GET["copy"])).first()
        initial = (
            ActivityForm.initial_from(copy)
            if copy
            else {
                "partner": request.user.partner_id if partners.count() == 1 else None,
                "languages": [translation.get_language()],
                "audiences": ["everyone"],
                "place_kind": "room",
                "admission": Admission.REGISTRATION,
                "date": timezone.localdate() + timedelta(days=7),
            }
        )
        initial |= {"repeat_weeks": 1, "key": capture.new_key()}
        form = ActivityCreateForm(initial=initial, partners=partners)
    return render(request, "activites/activity_form.html", {"form": form})


@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An activity for its organiser: seats, the registrants' first names, the waiting list, figures."""
    activity = _activity_or_404(request, pk)
    figures = selectors.figures(activity)
    context = {
        "activity": activity,
        "figures": figures,
        "registrations": list(selectors.registrations_for_attendance(activity)),
        "waiting": list(selectors.waiting_list(activity)),
        "pending": activity.registrations.filter(status=Registration.Status.PENDING).count(),
        "by_language": selectors.registrations_by_language(activity=activity),
        "series": activity.series
        and selectors.activities_managed_by(request.user).filter(series=activity.series).count(),
        "attendance_open": services.attendance_open(activity),
        "history": audit_history(
            activity, actions=["activity.update", "activity.cancel", "activity.headcount"]
        ),
        "languages": list(activity.languages.order_by("position")),
    }
    return render(request, "activites/activity_detail.html", context)


@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Changes one session (its time, room, capacity, texts...); publishing needs French and Dutch."""
    activity = _activity_or_404(request, pk)
    if activity.cancelled:
        messages.error(request, _("This activity is cancelled; it can no longer be changed."))
        return redirect("activites:activity", pk=activity.pk)
    partners = _partners(request.user)
    if request.method == "POST":
        form = ActivityForm(request.POST, partners=partners)
        if form.is_valid():
            try:
                services.activity_update(
                    activity=activity,
                    user=request.user,
                    values=form.values(),
                    languages=form.cleaned_data["languages"],
                    publish="publish" in request.POST,
                )
            except ValidationError as error:
                add_service_errors(form, error, ACTIVITY_FIELD_ALIASES)
            else:
                messages.success(request, _("Activity saved."))
                return redirect("activites:activity", pk=activity.pk)
    else:
        form = ActivityForm(initial=ActivityForm.initial_from(activity), partners=partners)
    return render(request, "activites/activity_form.html", {"form": form, "activity": activity})


@require_http_methods(["GET", "POST"])
def activity_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancels an activity after a confirmation; its registrants are told by e-mail."""
    activity = _activity_or_404(request, pk)
    if request.method == "POST":
        services.activity_cancel(activity=activity, user=request.user)
        messages.success(request, _("Activity cancelled. The people registered are told by e-mail."))
        return redirect("activites:activity", pk=activity.pk)
    figures = selectors.figures(activity)
    return render(request, "activites/activity_cancel.html", {"activity": activity, "figures": figures})


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def activity_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The check-in list on the tablet at the door: tick registrants, +1 walk-in, headcount, no-shows."""
    activity = _activity_or_404(request, pk)
    headcount_form = HeadcountForm(initial={"headcount": activity.headcount}, places=activity.places)
    if request.method == "POST":
        headcount_form = _attendance_action(request, activity) or headcount_form
        if request.htmx:
            activity.refresh_from_db()  # the headcount, when attendance was first recorded
            return _attendance_page(request, activity, headcount_form, partial=True)
        if not headcount_form.errors:
            return redirect("activites:activity_attendance", pk=activity.pk)
    return _attendance_page(request, activity, headcount_form)


def _attendance_action(request: HttpRequest, activity: Activity) -> HeadcountForm | None:
    """Applies one button of the check-in page; returns the headcount form when it was that one."""
    action = request.POST.get("action", "")
    try:
        if action in ("came", "absent", "unset"):
            registration_id = request.POST.get("registration", "")
            if not registration_id.isdigit():
                raise ValidationError(_("Choose a person on the list."))
            attended = {"came": True, "absent": False, "unset": None}[action]
            try:
                services.attendance_mark(
                    activity=activity,
                    registration_id=int(registration_id),
                    attended=attended,
                    user=request.user,
                )
            except Registration.DoesNotExist as missing:
                raise Http404 from missing
        elif action == "walk_in":
            form = capture.CaptureFields(request.POST)
            if not form.is_valid():
                raise ValidationError(_("The page was out of date; try again."))
            result = services.walk_in_add(activity=activity, key=form.cleaned_data["key"], user=request.user)
            if result.created:
                messages.success(request, _("One walk-in counted."))
        elif action == "walk_in_undo":
            if services.walk_in_undo(activity=activity, user=request.user) is None:
                messages.error(request, _("There is no recent walk-in of yours to take back."))
            else:
                messages.success(request, _("The last walk-in is taken back."))
        elif action == "headcount":
            form = HeadcountForm(request.POST, places=activity.places)
            if form.is_valid():
                try:
                    services.headcount_set(
                        activity=activity, headcount=form.cleaned_data["headcount"], user=request.user
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, _("Headcount recorded."))
            return form
        elif action == "close":
            marked = services.attendance_close(activity=activity, user=request.user)
            if marked:
                done = translation.ngettext(
                    "Attendance recorded; %(count)d person did not come.",
                    "Attendance recorded; %(count)d people did not come.",
                    marked,
                ) % {"count": marked}
            else:  # French's singular takes 0: "0 personne n'est pas venue" would read oddly
                done = _("Attendance recorded: nobody is missing.")
            messages.success(request, done)
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return None


def _attendance_page(
    request: HttpRequest, activity: Activity, headcount_form, *, partial: bool = False
) -> HttpResponse:
    context = {
        "activity": activity,
        "figures": selectors.figures(activity),
        "registrations": list(selectors.registrations_for_attendance(activity)),
        "headcount_form": headcount_form,
        "open": services.attendance_open(activity),
        "key": capture.new_key(),
        "fragment": partial,
    }
    template = "activites/partials/attendance_panel.html" if partial else "activites/activity_attendance.html"
    # htmx swaps only successful answers: the panel with its error comes back as 200 to the tablet.
    return render(request, template, context, status=400 if headcount_form.errors and not partial else 200)


@require_POST
def activity_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publishes a draft as it is (its French and Dutch texts are required)."""
    activity = _activity_or_404(request, pk)
    try:
        services.activity_publish(activity=activity, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Activity published in the agenda."))
    return redirect("activites:activity", pk=activity.pk)
