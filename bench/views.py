"""The bare views the benchmarks are measured against: for the desk, no session, no sign-in, no form,
one INSERT; for the agenda and the catalogue, a page captured once, returned as it is."""

import functools
import json
import os
import uuid

from django.contrib.auth.decorators import login_not_required, permission_required
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accueil.models import Visit


def _insert(user_id: int) -> HttpResponse:
    now = timezone.now()
    Visit.objects.create(
        key=uuid.uuid4(),
        occurred_at=now,
        recorded_at=now,
        recorded_by_id=user_id,
        theme_id="choisir",
        orientation="information",
        language_id="fr",
        channel_id="on_site",
    )
    return HttpResponse(b"ok")


@login_not_required
@csrf_exempt
def bare_insert(request):
    return _insert(int(os.environ["BENCH_USER_ID"]))


@permission_required("accueil.add_visit", raise_exception=True)
@require_POST
def signed_in_insert(request):
    """The same INSERT behind what any staff endpoint pays: session, sign-in, permission, CSRF."""
    return _insert(request.user.pk)


@functools.cache
def _captured_pages() -> dict[str, tuple[str, bytes]]:
    with open(os.environ["BENCH_PAGES"], encoding="utf-8") as file:
        pages = json.load(file)
    return {name: (page["content_type"], page["body"].encode()) for name, page in pages.items()}


@login_not_required
def bare_page(request, name: str):
    """The bytes of a page captured once (harness.capture_pages): no form, no query, no template."""
    if name not in _captured_pages():
        raise Http404
    content_type, body = _captured_pages()[name]
    return HttpResponse(body, content_type=content_type)
