"""The public catalogue (search, resource pages, files); its management by coordinators; the multimedia
space's tablet for digital stewards and its figures."""

from contextlib import nullcontext
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dates import WEEKDAYS as WEEKDAYS_NAMES
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from activites.selectors import digital_tutorials
from citedesmetiers import capture
from citedesmetiers.dates import day_bounds
from citedesmetiers.files import file_type_of
from citedesmetiers.forms import add_service_errors
from citedesmetiers.requests import query_without
from citedesmetiers.selectors import audit_history, reference_rows
from citedesmetiers.templatetags.cdm import labelled
from ressources import selectors, services
from ressources.forms import (
    CatalogueSearchForm,
    DigitalHelpForm,
    FiguresPeriodForm,
    OccupancySweepForm,
    ResourceForm,
    SpaceEntryForm,
    StaffCatalogueForm,
    UndoForm,
)
from ressources.models import HelpTopic, Resource

CATALOGUE_PAGE_SIZE = 20
STAFF_PAGE_SIZE = 50
# Summaries are shown in the results cut to about this many characters, around the first word found.
SUMMARY_CHARS = 280

# --- the public catalogue ------------------------------------------------------------------------


def _filters(request: HttpRequest, form_class=CatalogueSearchForm) -> tuple[CatalogueSearchForm, dict]:
    form = form_class(request.GET)
    return form, form.chosen()


def _fragment(request: HttpRequest) -> bool:
    # A swap of the results only; the whole page for a plain request and for htmx restoring history.
    return bool(request.htmx) and not request.htmx.boosted and not request.htmx.history_restore_request


def _with_highlights(resources: list[Resource], words: selectors.Words | None) -> list[Resource]:
    """Sets `title_html` and `summary_html` on each resource: its text in the active language with
    the words found marked (one query for the whole page)."""
    language = (get_language() or "fr")[:2]
    passages = []
    for resource in resources:
        title_language = language if getattr(resource, f"title_{language}", "") else "fr"
        summary_language = language if getattr(resource, f"summary_{language}", "") else "fr"
        passages.append(selectors.Passage(resource.title, title_language))
        passages.append(selectors.Passage(resource.summary, summary_language, SUMMARY_CHARS))
    marked = selectors.highlighted(passages, words or selectors.Words("", ()))
    for index, resource in enumerate(resources):
        resource.title_html, resource.summary_html = marked[2 * index], marked[2 * index + 1]
    return resources


@login_not_required
@require_GET
@vary_on_headers("HX-Request")
def catalogue(request: HttpRequest) -> HttpResponse:
    """The catalogue's search: words in French, Dutch or English (accents, plurals and feminine forms
    ignored, synonyms found, a typo corrected), filters by theme, type, audience and language; a plain
    GET form, htmx swaps the results only."""
    form, chosen = _filters(request)
    query = chosen.pop("q", "")
    search = None
    with selectors.text_search_plan() if query else nullcontext():
        if query:
            search = selectors.catalogue_search(query=query, **chosen)
            paginator = Paginator(search.resources, CATALOGUE_PAGE_SIZE)
            paginator.count = search.count  # counted with the words' own figures, in one statement
        else:
            paginator = Paginator(selectors.catalogue(**chosen), CATALOGUE_PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        resources = list(page.object_list)
    context = {
        "form": form,
        "page": page,
        "resources": _with_highlights(resources, search.words if search else None),
        "searched": query,
        "search": search,
        "filtered": bool(chosen or query),
        "unfiltered": bool(chosen),
        "query": query_without(request, "page"),
        "suggested": _with_words(request, search.suggestion) if search and search.suggestion else "",
    }
    fragment = _fragment(request)
    template = "ressources/partials/catalogue_results.html" if fragment else "ressources/catalogue.html"
    return render(request, template, context | {"fragment": fragment})


def _with_words(request: HttpRequest, words: str) -> str:
    """The query string of this search with other words (and its first page)."""
    params = request.GET.copy()
    params["q"] = words
    params.pop("page", None)
    return params.urlencode()


def _resource_or_404(pk: int) -> Resource:
    try:
        return selectors.resource_get(pk=pk)
    except Resource.DoesNotExist as missing:
        raise Http404 from missing


@login_not_required
@require_GET
def resource(request: HttpRequest, pk: int) -> HttpResponse:
    """One resource: summary, themes, audience, language, its link, file or place on the shelves."""
    item = _resource_or_404(pk)
    context = {"resource": item, "themes": list(item.themes.all()), "back": request.GET.get("from", "")}
    if request.user.has_perm("ressources.change_resource"):
        context["history"] = audit_history(item)
    return render(request, "ressources/resource_detail.html", context)


@login_not_required
@require_GET
def resource_file(request: HttpRequest, pk: int) -> FileResponse:
    """A resource's file, served so that a browser never runs it: its checked type, no sniffing, a
    sandbox, and a download for everything but PDF, images and video."""
    item = _resource_or_404(pk)
    file_type = file_type_of(item.file.name) if item.file else None
    if file_type is None:
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        handle, as_attachment=not file_type.inline, filename=item.file_name, content_type=file_type.mime
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=300"  # a replaced file keeps its address
    return response


# --- the coordinators' catalogue ------------------------------------------------------------------


@permission_required("ressources.change_resource", raise_exception=True)
@require_GET
def resources(request: HttpRequest) -> HttpResponse:
    """Every resource, for coordinators: search, filters, links reported broken first if asked."""
    form, chosen = _filters(request, StaffCatalogueForm)
    query = chosen.pop("q", "")
    broken = chosen.pop("broken", False)
    rows = selectors.catalogue(query=query, broken_links=broken, **chosen)
    with selectors.text_search_plan() if query else nullcontext():
        page = Paginator(rows, STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = list(page.object_list)
    context = {
        "form": form,
        "page": page,
        "broken_count": selectors.broken_links_count(),
        "query": query_without(request, "page"),
        "filtered": bool(chosen or query or broken),
    }
    return render(request, "ressources/resource_list.html", context)


def _save(request: HttpRequest, form: ResourceForm, item: Resource | None) -> Resource | None:
    """Runs the service for a valid form; None (with the errors on the form) when it refuses."""
    try:
        if item is None:
            return services.resource_create(
                user=request.user,
                key=form.cleaned_data["key"],
                values=form.values(),
                themes=form.cleaned_data["themes"],
                upload=form.cleaned_data.get("upload"),
            )
        return services.resource_update(
            resource=item,
            user=request.user,
            values=form.values(),
            themes=form.cleaned_data["themes"],
            upload=form.cleaned_data.get("upload"),
            remove_file=form.cleaned_data.get("remove_file", False),
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None


@permission_required("ressources.add_resource", raise_exception=True)
@require_http_methods(["GET", "POST"])
def resource_new(request: HttpRequest) -> HttpResponse:
    """Adds a resource: titles and summaries in French and Dutch, themes, a link, a file or a shelf."""
    if request.method == "POST":
        form = ResourceForm(request.POST, request.FILES)
        if form.is_valid() and (item := _save(request, form, None)) is not None:
            messages.success(request, _("Resource added to the catalogue."))
            return redirect("ressources:resource", pk=item.pk)
    else:
        form = ResourceForm(initial={"language": "fr", "key": capture.new_key()})
    return render(request, "ressources/resource_form.html", {"form": form})


@permission_required("ressources.change_resource", raise_exception=True)
@require_http_methods(["GET", "POST"])
def resource_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Changes a resource; a new file replaces the old one, a new link clears a broken-link report."""
    item = _resource_or_404(pk)
    if request.method == "POST":
        form = ResourceForm(request.POST, request.FILES, instance=item)
        if form.is_valid() and _save(request, form, item) is not None:
            messages.success(request, _("Resource saved."))
            return redirect("ressources:resource", pk=item.pk)
    else:
        form = ResourceForm(instance=item)
    return render(request, "ressources/resource_form.html", {"form": form, "resource": item})


@permission_required("ressources.delete_resource", raise_exception=True)
@require_http_methods(["GET", "POST"])
def resource_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Removes a resource and its file, after a confirmation."""
    item = _resource_or_404(pk)
    if request.method == "POST":
        services.resource_delete(resource=item, user=request.user)
        messages.success(request, _("“%(title)s” was removed from the catalogue.") % {"title": item.title})
        return redirect("ressources:resources")
    return render(request, "ressources/resource_delete.html", {"resource": item})


@permission_required("ressources.report_broken_link", raise_exception=True)
@require_POST
def resource_link_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Any staff member flags a link that no longer works; coordinators see it in their list."""
    item = _resource_or_404(pk)
    try:
        services.resource_link_report(resource=item, user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Thank you: the link is flagged for the coordinators to check."))
    return redirect("ressources:resource", pk=item.pk)


@permission_required("ressources.change_resource", raise_exception=True)
@require_POST
def resource_link_clear(request: HttpRequest, pk: int) -> HttpResponse:
    """A coordinator has checked the link and it works: the flag goes."""
    item = _resource_or_404(pk)
    services.resource_link_clear(resource=item, user=request.user)
    messages.success(request, _("The link is marked as working."))
    return redirect("ressources:resource", pk=item.pk)


# --- the multimedia space's tablet ----------------------------------------------------------------

# Each capture form of the tablet: its form, its service, the fields passed on, and its key field's id.
SLOTS = {
    "entry": (SpaceEntryForm, services.space_entry_add, ("count",), "space-entry-key"),
    "group": (SpaceEntryForm, services.space_entry_add, ("count",), "space-group-key"),
    "sweep": (
        OccupancySweepForm,
        services.occupancy_sweep_add,
        ("computers", "tablets", "documentary"),
        "space-sweep-key",
    ),
    "help": (
        DigitalHelpForm,
        services.digital_help_add,
        ("topic", "theme", "duration_minutes"),
        "space-help-key",
    ),
}
KEY_IDS = {slot: key_id for slot, (*_rest, key_id) in SLOTS.items()}


def _space_context(request: HttpRequest, now: datetime, *, slot: str = "", failed=None) -> dict:
    """The tablet's page; `failed`, the form of `slot` refused (shown with its errors, without JS)."""
    day = timezone.localdate(now)
    computers, tablets = services.equipment()
    forms = {
        "entry": SpaceEntryForm(initial={"key": capture.new_key(), "count": 1}),
        "group": SpaceEntryForm(initial={"key": capture.new_key(), "count": 2}),
        "sweep": OccupancySweepForm(initial={"key": capture.new_key()}),
        "help": DigitalHelpForm(initial={"key": capture.new_key(), "duration_minutes": 15, "theme": "none"}),
    }
    if failed is not None:
        forms[slot] = failed
    sweep = forms["sweep"]
    return {
        **{f"{name}_form": form for name, form in forms.items()},
        "failed_form": failed,
        "sweep_fields": [
            (sweep["computers"], computers),
            (sweep["tablets"], tablets),
            (sweep["documentary"], None),
        ],
        "topics": reference_rows(HelpTopic),
        "server_now_ms": int(now.timestamp() * 1000),
        "key_ids": KEY_IDS,
        "tutorials": list(digital_tutorials(day=day)),  # tutorials are activities of the agenda
        **_space_today(request, now),
    }


def _space_today(request: HttpRequest, now: datetime) -> dict:
    day = timezone.localdate(now)
    recent = selectors.space_recent(user=request.user, day=day)
    return {
        "today": selectors.space_today(day=day),
        "recent": [(entry, capture.undoable(entry, user=request.user, now=now)) for entry in recent],
        "undo_minutes": settings.CAPTURE_UNDO_MINUTES,
    }


@permission_required("ressources.add_spaceentry", raise_exception=True)
@require_GET
def space(request: HttpRequest) -> HttpResponse:
    """The steward's tablet: +1 entry, a group, an occupancy count, digital help, today's figures."""
    return render(request, "ressources/space.html", _space_context(request, timezone.now()))


def _space_capture(request: HttpRequest, slot: str) -> HttpResponse:
    """Validates one capture form of the tablet, records it once per key and answers with the status,
    a fresh key for that form, or the form's errors (422 for the browser's outbox)."""
    form_class, service, fields, key_id = SLOTS[slot]
    now = timezone.now()
    form = form_class(request.POST)
    if form.is_valid():
        try:
            occurred_at = form.occurred_at(now=now)
            values = {name: form.cleaned_data[name] for name in fields}
            result = service(
                key=form.cleaned_data["key"], user=request.user, occurred_at=occurred_at, now=now, **values
            )
        except ValidationError as error:
            if not form.errors:
                add_service_errors(form, error)
        else:
            if request.htmx:
                context = {"result": result, "next_key": capture.new_key(), "key_id": key_id}
                return render(request, "ressources/partials/space_result.html", context)
            if result.created:
                messages.success(request, _("Recorded."))
            else:
                messages.info(request, _("This entry had already been recorded."))
            return redirect("ressources:space")
    if request.htmx:
        return render(request, "components/capture_errors.html", {"form": form}, status=422)
    context = _space_context(request, now, slot=slot, failed=form)
    return render(request, "ressources/space.html", context, status=422)


@permission_required("ressources.add_spaceentry", raise_exception=True)
@require_POST
@vary_on_headers("HX-Request")
def space_entry(request: HttpRequest) -> HttpResponse:
    """People entering the multimedia space: +1, or a group."""
    return _space_capture(request, "group" if request.POST.get("slot") == "group" else "entry")


@permission_required("ressources.add_occupancysweep", raise_exception=True)
@require_POST
@vary_on_headers("HX-Request")
def space_sweep(request: HttpRequest) -> HttpResponse:
    """An occupancy count: people on the computers, on the tablets and in the documentary space."""
    return _space_capture(request, "sweep")


@permission_required("ressources.add_digitalhelp", raise_exception=True)
@require_POST
@vary_on_headers("HX-Request")
def space_help(request: HttpRequest) -> HttpResponse:
    """Digital help given: the topic tapped, with the theme and duration selected."""
    return _space_capture(request, "help")


@permission_required("ressources.add_spaceentry", raise_exception=True)
@require_POST
@vary_on_headers("HX-Request")
def space_undo(request: HttpRequest) -> HttpResponse:
    """Takes back one of this person's own recent entries of the tablet."""
    form = UndoForm(request.POST)
    if not form.is_valid():
        raise PermissionDenied
    try:
        services.space_undo(key=form.cleaned_data["key"], user=request.user)
        message = _("Entry undone.")
    except LookupError as missing:
        raise Http404 from missing
    except ValidationError as error:
        message = error.messages[0]
    return capture.undo_answer(request, message, "ressources:space")


@permission_required("ressources.add_spaceentry", raise_exception=True)
@require_GET
@vary_on_headers("HX-Request")
def space_today(request: HttpRequest) -> HttpResponse:
    """Today's figures and this person's last entries, refreshed by the tablet after each entry."""
    if not request.htmx:
        return redirect("ressources:space")
    return render(request, "ressources/partials/space_refresh.html", _space_today(request, timezone.now()))


# --- the space's figures --------------------------------------------------------------------------

WEEKDAYS = range(1, 8)


def _period(request: HttpRequest, today) -> tuple:
    """The days asked for (the last 8 weeks unless given; in either order); dates that are not dates or
    outside the days a figure may be asked for keep the last 8 weeks, with a message saying why."""
    form = FiguresPeriodForm(request.GET)
    if not form.is_valid():
        reasons = " ".join(
            labelled(form.fields[name].label, " ".join(errors)) for name, errors in form.errors.items()
        )
        messages.error(request, _("%(reasons)s The last 8 weeks are shown instead.") % {"reasons": reasons})
        return today - timedelta(weeks=8), today
    start = form.cleaned_data["start"] or today - timedelta(weeks=8)
    end = form.cleaned_data["end"] or today
    if end < start:
        start, end = end, start
    return start, end


@permission_required("ressources.view_occupancysweep", raise_exception=True)
@require_GET
def space_figures(request: HttpRequest) -> HttpResponse:
    """Entries, occupancy by weekday and hour, and digital help by topic over a period (8 weeks by
    default), dates in Europe/Brussels."""
    today = timezone.localdate()
    start, end = _period(request, today)
    since, until = day_bounds(start)[0], day_bounds(end)[1]
    occupancy = selectors.occupancy_by_weekday_hour(start=since, end=until)
    entries = selectors.entries_by_weekday_hour(start=since, end=until)
    computers, tablets = services.equipment()
    hours = sorted({hour for _day, hour in occupancy} | {hour for _day, hour in entries}) or list(
        range(9, 17)
    )
    hours = list(range(min(hours), max(hours) + 1))
    days = [
        day for day in WEEKDAYS if any((day, hour) in occupancy or (day, hour) in entries for hour in hours)
    ]
    capacity = computers + tablets
    rows = [
        (
            hour,
            [
                (
                    day,
                    occupancy.get((day, hour)),
                    entries.get((day, hour), 0),
                    _level(occupancy.get((day, hour)), capacity),
                )
                for day in days or range(1, 6)
            ],
        )
        for hour in hours
    ]
    context = {
        "start": start,
        "end": end,
        "entries_total": selectors.entries_total(ranges=[(since, until)])[0],
        "help": selectors.help_by_topic(ranges=[(since, until)])[0],
        "rows": rows,
        "days": [(day, WEEKDAYS_NAMES[day - 1]) for day in days or range(1, 6)],
        "computers": computers,
        "tablets": tablets,
    }
    return render(request, "ressources/space_figures.html", context)


def _level(occupancy, capacity: int) -> int:
    """A shade from 0 to 4 for the share of computers and tablets in use (the table also prints it)."""
    if occupancy is None or not capacity:
        return 0
    return min(4, 1 + int(4 * occupancy.devices / capacity))
