"""The director's dashboard, the printable annual report and its exports, and the director's texts and
online figures. The director and coordinators see the whole centre; a partner lead, their institution."""

import time
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from citedesmetiers.forms import add_service_errors
from citedesmetiers.models import Theme
from citedesmetiers.photos import data_uri
from citedesmetiers.selectors import reference_rows
from stats import exports, periods, publication, report, selectors, services, sheet
from stats.forms import NOT_STARTED, OnlineFiguresForm, PeriodForm, ReportTextForm
from stats.models import OnlineFigures, OnlineMonth, ReportText
from stats.selectors import Scope

LANGUAGES = ("fr", "nl", "en")
# Each language's edition of a publication, as a sentence names it.
EDITIONS = {
    "fr": gettext_lazy("the French edition"),
    "nl": gettext_lazy("the Dutch edition"),
    "en": gettext_lazy("the English edition"),
}


def _scope(request: HttpRequest) -> Scope:
    try:
        return Scope.of(request.user)
    except PermissionError as refused:
        raise PermissionDenied from refused


def _period(request: HttpRequest) -> tuple[periods.Period, PeriodForm]:
    """The period asked for: `?period=<slug>` (links, exports), the picker's fields, or this year to
    date (last year on the first of January)."""
    today = timezone.localdate()
    chosen = periods.default(today=today)
    slug = request.GET.get("period", "")
    if slug:
        try:
            asked = periods.parse(slug)
        except ValueError:  # an unknown period (an old link, a typo, year 1 or 9999): the default one
            messages.error(request, _unknown_period(chosen))
        else:
            if periods.started(asked, today=today):
                chosen = asked
            else:  # all zeros would read as figures: the default one, saying why
                messages.error(request, f"{NOT_STARTED} {_unknown_period(chosen)}")
        return chosen, PeriodForm(initial=PeriodForm.initial_for(chosen), today=today)
    if "year" in request.GET:
        form = PeriodForm(request.GET, today=today)
        if form.is_valid():
            return form.period(), form
        # The form says what is wrong, keeping what was typed; the figures shown are named.
        messages.error(request, _unknown_period(chosen))
        return chosen, form
    return chosen, PeriodForm(initial=PeriodForm.initial_for(chosen), today=today)


def _period_unknown(request: HttpRequest) -> bool:
    """Whether `?period=` names no period the figures can show (unknown, or not started yet)."""
    slug = request.GET.get("period", "")
    try:
        return bool(slug) and not periods.started(periods.parse(slug))
    except ValueError:
        return True


def _unknown_period(shown: periods.Period) -> str:
    return _("The figures cannot show this period: here are those of %(period)s.") % {"period": shown.label}


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The figures of a period next to the same days a year earlier, with definitions and charts."""
    scope = _scope(request)
    period, form = _period(request)
    # The previous days are a comparison column: their queue's breakdowns are not shown. Every kept
    # figure of the page (reception's changes too) is read in one statement.
    with report.kept_figures_read(period):
        context = report.report_context(period, scope=scope, output=report.INTERNAL, previous_in_full=False)
        # Reception's transfers, priorities and cancellations (exact: the dashboard is internal).
        changes = selectors.queue_changes(context["comparison"].current) if scope.centre else None
    themes = reference_rows(Theme)
    theme = next((row for row in themes if row.code == request.GET.get("theme")), None)
    context |= {
        "form": form,
        "languages": LANGUAGES,
        "month_links": _months_of(period),
        "themes": themes,
        "theme": theme,
        "theme_rows": (
            selectors.theme_by_month(context["comparison"].current, theme=theme.code, scope=scope)
            if theme
            else []
        ),
        "queue_changes": changes,
    }
    return render(request, "stats/dashboard.html", context)


def _months_of(period: periods.Period) -> list[tuple[str, str]]:
    """Each month of a longer period, to open its own figures (the drill-down by month)."""
    if period.kind == "month":
        return []
    months, day = [], period.start.replace(day=1)
    while day <= period.end:
        month = periods.month(day.year, day.month)
        months.append((month.slug, month.label))
        day = month.end + timedelta(days=1)
    return months


def _language(request: HttpRequest) -> str:
    language = request.GET.get("lang", "")
    return language if language in LANGUAGES else translation.get_language()


@require_GET
def report_page(request: HttpRequest) -> HttpResponse:
    """The annual report as a printable page, in the language asked for (French, Dutch or English)."""
    scope = _scope(request)
    period, _form = _period(request)
    if _period_unknown(request):  # the dashboard says so, with the figures it shows instead
        return redirect(f"{_dashboard_url()}?period={period.slug}")
    language = _language(request)
    with translation.override(language):
        context = report.report_context(period, scope=scope, output=report.PUBLICATION)
        # On screen (never in print or in a file), the director sees which chapters await her text.
        return render(request, "stats/report_print.html", context | {"standalone": True, "drafts": True})


@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """The report of a period as a file: PDF, XLSX, CSV, JSON or HTML, in a language."""
    scope = _scope(request)
    period, _form = _period(request)
    if _period_unknown(request):
        # The dashboard says so, with the figures it shows instead: a file of other days would mislead.
        return redirect(f"{_dashboard_url()}?period={period.slug}")
    format_name = request.GET.get("format", "")
    if format_name not in exports.EXPORTS:
        format_name = "xlsx"
    language = _language(request)
    try:
        body = exports.render(format_name, period, scope=scope, language=language)
    except exports.ExportUnavailable:
        messages.error(
            request, _("The PDF cannot be made on this server for now: print the report page instead.")
        )
        return redirect(f"{reverse('stats:report')}?period={period.slug}&lang={language}")
    response = HttpResponse(body, content_type=exports.EXPORTS[format_name].content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.filename(format_name, period, language)}"'
    )
    return response


# How long the last preview of each edition took to render, in seconds: the next one's progress estimate
# (at most PREVIEWS_KEPT editions: any range of days may be previewed).
_preview_seconds: dict[tuple[str, str, str], float] = {}
PREVIEWS_KEPT = 100


def _preview_key(scope, period: periods.Period, language: str) -> tuple[str, str, str]:
    return (report.scope_key(scope), period.slug, language)


@require_GET
def report_preview(request: HttpRequest) -> HttpResponse:
    """The PDF of a period's report seen page by page before it is downloaded, in a language: the page
    shows a progress indication at once and asks for the pages (report_preview_pages), which take seconds."""
    scope = _scope(request)
    period, _form = _period(request)
    if _period_unknown(request):
        return redirect(f"{_dashboard_url()}?period={period.slug}")
    language = _language(request)
    comparison = periods.compare(period)
    return render(
        request,
        "stats/report_preview.html",
        {
            "period": period,
            "comparison": comparison,
            "publishable": publication.publishable(comparison),
            "language": language,
            "edition": EDITIONS[language],
            "other_editions": [(code, EDITIONS[code]) for code in LANGUAGES if code != language],
            "expected": round(_preview_seconds.get(_preview_key(scope, period, language), 0)),
        },
    )


@require_GET
def report_preview_pages(request: HttpRequest) -> HttpResponse:
    """The pages of the report's PDF as pictures (the fragment the preview page asks for): exactly the PDF
    the download gives, laid out once and drawn page by page."""
    scope = _scope(request)
    period, _form = _period(request)
    language = _language(request)
    if _period_unknown(request):
        return render(request, "stats/partials/preview_pages.html", {"pages": [], "unavailable": True})
    started = time.monotonic()
    try:
        body = exports.render("pdf", period, scope=scope, language=language)
    except exports.ExportUnavailable:
        return render(request, "stats/partials/preview_pages.html", {"pages": [], "unavailable": True})
    images = exports.pdf_images(body, width=exports.PREVIEW_WIDTH)
    if len(_preview_seconds) >= PREVIEWS_KEPT:
        _preview_seconds.clear()
    _preview_seconds[_preview_key(scope, period, language)] = time.monotonic() - started
    pages = [
        {
            "number": number,
            "src": data_uri("image/png", exports.png(image, colours=256)),
            "width": image.width,
            "height": image.height,
        }
        for number, image in enumerate(images, 1)
    ]
    return render(
        request,
        "stats/partials/preview_pages.html",
        {"pages": pages, "count": len(pages), "language": language, "size": len(body)},
    )


@require_GET
def key_sheet(request: HttpRequest) -> HttpResponse:
    """The one-page key-figures sheet of a closed calendar year, as an A4 PDF or a PNG for social networks,
    in a language; the whole centre's staff only (the director and the coordinators)."""
    scope = _scope(request)
    if not scope.centre:
        raise PermissionDenied
    period, _form = _period(request)
    if _period_unknown(request) or not publication.publishable(periods.compare(period)):
        messages.error(
            request,
            _("The key-figures sheet is a publication: it is made for a calendar year that has ended only."),
        )
        return redirect(f"{_dashboard_url()}?period={period.slug}")
    format_name = request.GET.get("format", "")
    format_name = format_name if format_name in sheet.FORMATS else "pdf"
    language = _language(request)
    try:
        body = sheet.render(format_name, period, language=language)
    except exports.ExportUnavailable:
        messages.error(request, _("The key-figures sheet cannot be made on this server for now."))
        return redirect(f"{_dashboard_url()}?period={period.slug}")
    response = HttpResponse(body, content_type=sheet.FORMATS[format_name])
    response["Content-Disposition"] = (
        f'attachment; filename="{sheet.filename(format_name, period, language)}"'
    )
    return response


def _year(value: str) -> int:
    try:
        year = int(value)
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, 2018), timezone.localdate().year + 1)


def _yearly_form(
    request: HttpRequest, year: int, *, model, form_class, save, saved: str, template: str, months=None
):
    """The director's form for one year's row (created on the first save), through its service;
    `months` gives the form's further arguments and the service's further values for the year."""
    year = _year(str(year))
    options, values = months(year) if months else ({}, lambda form: {})
    form = form_class(request.POST or None, instance=model.objects.filter(year=year).first(), **options)
    if request.method == "POST" and form.is_valid():
        try:
            save(year=year, user=request.user, values=form.cleaned_data, **values(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, saved % {"year": year})
            return redirect(f"{_dashboard_url()}?period={year}")
    return render(request, template, {"form": form, "year": year})


@permission_required("stats.change_reporttext", raise_exception=True)
@require_http_methods(["GET", "POST"])
def report_text(request: HttpRequest, year: int) -> HttpResponse:
    """The director writes the year's preamble and highlights, in French and Dutch (and English)."""
    return _yearly_form(
        request,
        year,
        model=ReportText,
        form_class=ReportTextForm,
        save=services.report_text_save,
        saved=_("The texts of the %(year)d report are saved."),
        template="stats/report_text.html",
    )


@permission_required("stats.change_onlinefigures", raise_exception=True)
@require_http_methods(["GET", "POST"])
def online_figures(request: HttpRequest, year: int) -> HttpResponse:
    """The director enters what Facebook, Twitter and the website counted in a year."""
    return _yearly_form(
        request,
        year,
        model=OnlineFigures,
        form_class=OnlineFiguresForm,
        save=services.online_figures_save,
        saved=_("The online figures of %(year)d are saved."),
        template="stats/online_figures.html",
        months=lambda year: (
            {"months": {row.month: row for row in OnlineMonth.objects.filter(year=year)}},
            lambda form: {"months": form.month_values()},
        ),
    )


def _dashboard_url() -> str:
    return reverse("stats:dashboard")
