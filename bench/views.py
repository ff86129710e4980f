"""The bare view the desk is measured against: no session, no sign-in, no form, one INSERT."""

import os
import uuid

from django.contrib.auth.decorators import login_not_required, permission_required
from django.http import HttpResponse
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
