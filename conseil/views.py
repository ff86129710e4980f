"""Consultations (behind the wall of each institution) and the anonymous questionnaire."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accueil import selectors as accueil_selectors
from citedesmetiers import capture
from citedesmetiers.exports import csv_streamed
from citedesmetiers.models import Language, Theme, attname
from citedesmetiers.requests import on_networks, query_without
from citedesmetiers.selectors import audit_history, reference_rows
from conseil import selectors, services
from conseil.forms import (
    ConsultationCorrectionForm,
    ConsultationFilterForm,
    ConsultationForm,
    ProfileFields,
    QuestionnaireCodeForm,
    QuestionnaireForm,
)
from conseil.models import Consultation, QuestionnaireCode, Service

PROFILE = ProfileFields.PROFILE
OUTCOME = ["referred_to_activity", "referred_to_resource", "follow_up"]


def _consultation_or_404(request: HttpRequest, pk: int) -> Consultation:
    try:
        return selectors.consultation_get(user=request.user, pk=pk)
    except Consultation.DoesNotExist as missing:
        raise Http404 from missing


def _form_context(request: HttpRequest, form, **extra) -> dict:
    languages = reference_rows(Language)
    spoken = set(request.user.languages.values_list("code", flat=True))
    themes = reference_rows(Theme)
    topics = selectors.topics_by_theme()
    return {
        "form": form,
        "themes": themes,
        "theme_topics": [(theme, topics.get(theme.code, [])) for theme in themes],
        "languages": sorted(languages, key=lambda row: (row.code not in spoken, row.position)),
        **extra,
    }


def _error_field(error: ValidationError) -> str | None:
    """The field a service's refusal is about: the start time, or the form as a whole."""
    return "started_at" if getattr(error, "code", None) in ("future", "too_old") else None


def _values(cleaned: dict) -> dict:
    names = [
        "theme",
        "mode",
        "language",
        "duration_minutes",
        "topics",
        "referred_partners",
        *PROFILE,
        *OUTCOME,
    ]
    return {name: cleaned[name] for name in names}


@permission_required("conseil.add_consultation", raise_exception=True)
@require_http_methods(["GET", "POST"])
def consultation_new(request: HttpRequest) -> HttpResponse:
    """Records a consultation, from the ticket of the person called (prefilled) or without one."""
    now = timezone.now()
    ticket_id = request.POST.get("ticket") or request.GET.get("ticket")
    ticket = None
    if ticket_id and ticket_id.isdigit():
        ticket = accueil_selectors.ticket_for_consultation(adviser=request.user, pk=int(ticket_id))
    if request.method == "POST":
        form = ConsultationForm(request.POST)
        if form.is_valid():
            cleaned = form.cleaned_data
            try:
                result = services.consultation_create(
                    key=cleaned["key"],
                    adviser=request.user,
                    occurred_at=cleaned["started_at"],
                    ticket=ticket,
                    now=now,
                    **_values(cleaned),
                )
            except ValidationError as error:
                form.add_error(_error_field(error), error)
            else:
                if result.created:
                    messages.success(request, _("Consultation recorded."))
                else:
                    messages.info(request, _("This consultation had already been recorded."))
                return redirect("conseil:consultation", pk=result.entry.pk)
    else:
        start = (ticket.served_at or ticket.called_at) if ticket else now - timedelta(minutes=15)
        initial = {
            "key": capture.new_key(),
            "mode": "face_to_face",
            "started_at": timezone.localtime(start).strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": max(1, round((now - start).total_seconds() / 60)),
            "language": ticket.language_id if ticket else translation.get_language(),
        }
        if ticket:
            initial["theme"] = ticket.theme_id
        form = ConsultationForm(initial=initial)
    return render(request, "conseil/consultation_form.html", _form_context(request, form, ticket=ticket))


def _can_list(user) -> bool:
    return user.has_perm("conseil.view_all_consultations") or user.has_perm(
        "conseil.view_institution_consultations"
    )


def _selection(request: HttpRequest):
    """The period and 'only mine' of the list and its export (last 7 days by default)."""
    today = timezone.localdate()
    start, end, mine = today - timedelta(days=6), today, False
    filters = ConsultationFilterForm(request.GET or None, initial={"start": start, "end": end})
    if filters.is_valid():
        start = filters.cleaned_data["start"] or start
        end = filters.cleaned_data["end"] or end
        mine = filters.cleaned_data["mine"]
    consultations = selectors.consultation_list(user=request.user, start=start, end=end, mine=mine)
    described = {"start": start.isoformat(), "end": end.isoformat(), "mine": mine}
    return filters, consultations, described, (start, end)


@require_GET
def consultation_list(request: HttpRequest) -> HttpResponse:
    """The consultations this person may see, by period; counts; the export of the same selection."""
    if not _can_list(request.user):
        raise PermissionDenied
    filters, consultations, described, period = _selection(request)
    page = Paginator(consultations, 50).get_page(request.GET.get("page"))
    services.consultations_listed_record(
        user=request.user, action="list", count=len(page.object_list), filters=described
    )
    context = {
        "filters": filters,
        "page": page,
        "period": period,
        "counts": selectors.consultation_counts(consultations),
        "themes": {theme.code: theme for theme in Theme.objects.all()},
        "query": query_without(request, "page"),
    }
    return render(request, "conseil/consultation_list.html", context)


@require_GET
def consultation_export(request: HttpRequest) -> HttpResponse:
    """The same selection as the list, as CSV (codes; `;`; UTF-8 with BOM), streamed as the database
    writes it; the export and its number of rows are audited before the first byte leaves."""
    if not _can_list(request.user):
        raise PermissionDenied
    _, consultations, described, _period = _selection(request)
    services.consultations_listed_record(
        user=request.user, action="export", count=consultations.count(), filters=described
    )
    rows = selectors.consultation_export_rows(consultations)
    filename = f"consultations-{described['start']}-{described['end']}.csv"
    return csv_streamed(filename, list(selectors.EXPORT_COLUMNS), rows)


@require_GET
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One consultation; opening it is written to the audit trail."""
    consultation = _consultation_or_404(request, pk)
    services.consultation_read_record(user=request.user, consultation=consultation)
    history = audit_history(consultation, actions=["consultation.update"])
    profile = [consultation.gender, consultation.age_band, consultation.status, consultation.education_level]
    if consultation.foreign_diploma:
        profile.append(_("foreign diploma without equivalence"))
    profile.append(consultation.residence)
    context = {
        "consultation": consultation,
        "profile": [str(item) for item in profile if item],
        "topics": list(consultation.topics.all()),
        "referred": list(consultation.referred_partners.all()),
        "can_correct": services.can_correct(user=request.user, consultation=consultation),
        "history": history,
    }
    return render(request, "conseil/consultation_detail.html", context)


@require_http_methods(["GET", "POST"])
def consultation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Corrects a consultation: its adviser for a few days, or their institution's lead."""
    consultation = _consultation_or_404(request, pk)
    if not services.can_correct(user=request.user, consultation=consultation):
        raise PermissionDenied
    if request.method == "POST":
        form = ConsultationCorrectionForm(request.POST)
        if form.is_valid():
            cleaned = form.cleaned_data
            try:
                services.consultation_update(
                    consultation=consultation,
                    user=request.user,
                    occurred_at=cleaned["started_at"],
                    cancelled=cleaned["cancelled"],
                    **_values(cleaned),
                )
            except ValidationError as error:
                form.add_error(_error_field(error), error)
            else:
                messages.success(request, _("Consultation corrected."))
                return redirect("conseil:consultation", pk=consultation.pk)
    else:
        initial = {
            name: getattr(consultation, attname(Consultation, name))
            for name in ["theme", "mode", "language", "duration_minutes", *PROFILE, *OUTCOME]
        }
        initial["foreign_diploma"] = {True: "yes", False: "no"}.get(consultation.foreign_diploma, "")
        initial["started_at"] = timezone.localtime(consultation.occurred_at).strftime("%Y-%m-%dT%H:%M")
        initial["topics"] = list(consultation.topics.values_list("pk", flat=True))
        initial["referred_partners"] = [
            str(pk) for pk in consultation.referred_partners.values_list("pk", flat=True)
        ]
        form = ConsultationCorrectionForm(initial=initial)
    return render(
        request, "conseil/consultation_form.html", _form_context(request, form, consultation=consultation)
    )


# --- the questionnaire -------------------------------------------------------------------------------


def _short_link(request: HttpRequest, code: QuestionnaireCode) -> str:
    return request.build_absolute_uri(reverse("questionnaire_short", args=[code.code]))


@permission_required("conseil.add_questionnairecode", raise_exception=True)
@require_http_methods(["GET", "POST"])
def questionnaire_show(request: HttpRequest) -> HttpResponse:
    """Makes a single-use code for the person in front of you, shown as a QR code and a short link."""
    consultation = None
    consultation_id = request.POST.get("consultation") or request.GET.get("consultation")
    if consultation_id and consultation_id.isdigit():
        consultation = _consultation_or_404(request, int(consultation_id))
    if request.method == "POST":
        form = QuestionnaireCodeForm(request.POST)
        if form.is_valid():
            code = services.questionnaire_code_create(
                service=form.cleaned_data["service"],
                user=request.user,
                partner=consultation.partner if consultation else None,
                theme=consultation.theme if consultation else None,
            )
            context = {"code": code, "link": _short_link(request, code)}
            return render(request, "conseil/questionnaire_code.html", context)
    else:
        usual = Service.ADVICE if consultation or request.user.has_perm("conseil.add_consultation") else ""
        form = QuestionnaireCodeForm(initial={"service": usual or Service.RECEPTION})
    return render(request, "conseil/questionnaire_show.html", {"form": form, "consultation": consultation})


def _normalised(code: str) -> str:
    """A code as typed (lower case, with its dash) as stored."""
    return code.upper().replace("-", "").strip()


@login_not_required
@require_GET
def questionnaire_short(request: HttpRequest, code: str) -> HttpResponse:
    """The short link of a QR code: to the questionnaire in the browser's language."""
    language = translation.get_language_from_request(request)
    with translation.override(language):
        return redirect("conseil:questionnaire", code=_normalised(code))


@login_not_required
@require_http_methods(["GET", "POST"])
def questionnaire(request: HttpRequest, code: str) -> HttpResponse:
    """The anonymous questionnaire of one code: answered once, in French, Dutch or English."""
    invitation = QuestionnaireCode.objects.filter(code=_normalised(code)).first()
    if invitation is None or not services.questionnaire_code_valid(invitation):
        return render(request, "conseil/questionnaire_closed.html", {"expired": True}, status=404)
    if hasattr(invitation, "answer"):
        return render(request, "conseil/questionnaire_closed.html", {"expired": False})
    data = request.POST if request.method == "POST" else None  # an empty answer is an answer too
    form = QuestionnaireForm(data, ask_service=not invitation.service)
    if request.method == "POST" and form.is_valid():
        try:
            services.questionnaire_answer(
                code=invitation.code, language=translation.get_language(), **form.cleaned_data
            )
        except ValidationError:
            return render(request, "conseil/questionnaire_closed.html", {"expired": False})
        thanks = reverse("conseil:questionnaire_thanks")
        return redirect(f"{thanks}?kiosk=1" if request.POST.get("kiosk") else thanks)
    return render(request, "conseil/questionnaire_form.html", {"form": form, "invitation": invitation})


@login_not_required
@require_GET
def questionnaire_thanks(request: HttpRequest) -> HttpResponse:
    """Thanks; on an exit tablet, back to the start for the next person after a few seconds."""
    return render(request, "conseil/questionnaire_thanks.html", {"kiosk": "kiosk" in request.GET})


def _on_kiosk_network(request: HttpRequest) -> bool:
    return on_networks(request, settings.QUESTIONNAIRE_KIOSK_NETWORKS)


@login_not_required
@require_http_methods(["GET", "POST"])
def questionnaire_kiosk(request: HttpRequest) -> HttpResponse:
    """The exit tablet: each person starts a fresh questionnaire. Only on the centre's own network
    (QUESTIONNAIRE_KIOSK_NETWORKS), so that nobody fills in answers from elsewhere."""
    if not _on_kiosk_network(request):
        return render(request, "conseil/questionnaire_kiosk.html", {"allowed": False}, status=403)
    if request.method == "POST":
        code = services.questionnaire_code_create()
        return redirect(f"{reverse('conseil:questionnaire', args=[code.code])}?kiosk=1")
    return render(request, "conseil/questionnaire_kiosk.html", {"allowed": True})
