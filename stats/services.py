"""Writes of the stats app: the director's texts and online figures for a year, audited."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from citedesmetiers.services import audit_record
from stats.models import OnlineFigures, ProtectedYear, ReportText

TEXT_FIELDS = ("preamble_fr", "preamble_nl", "preamble_en", "highlights_fr", "highlights_nl", "highlights_en")
ONLINE_FIELDS = ("facebook_followers", "twitter_followers", "web_page_views")


def _save(model, fields, action: str, *, year: int, user, values: dict, now: datetime | None):
    now = now or timezone.now()
    with transaction.atomic():
        row = model.objects.select_for_update().filter(year=year).first()
        before = {name: getattr(row, name) for name in fields} if row else dict.fromkeys(fields)
        row = row or model(year=year)
        for name in fields:
            setattr(row, name, values.get(name, getattr(row, name)))
        row.updated_at, row.updated_by = now, user
        row.full_clean()
        row.save()
        changes = {
            name: [before[name], getattr(row, name)] for name in fields if before[name] != getattr(row, name)
        }
        if changes:
            audit_record(actor=user, action=action, obj=row, changes=changes, now=now)
    return row


def report_text_save(*, year: int, user, values: dict, now: datetime | None = None) -> ReportText:
    """Writes the preamble and highlights of a year's report (French, Dutch, English)."""
    return _save(ReportText, TEXT_FIELDS, "report_text.update", year=year, user=user, values=values, now=now)


def online_figures_save(*, year: int, user, values: dict, now: datetime | None = None) -> OnlineFigures:
    """Writes what social media and the website counted in a year (None: not known)."""
    return _save(
        OnlineFigures, ONLINE_FIELDS, "online_figures.update", year=year, user=user, values=values, now=now
    )


def protection_keep(*, year: int, fingerprint: str, marks: dict, now: datetime | None = None) -> None:
    """Keeps the marks of a year's publications for the counts of `fingerprint` (the system's figures,
    not a person's action: not audited)."""
    ProtectedYear.objects.update_or_create(
        year=year,
        defaults={
            "fingerprint": fingerprint,
            "marks": [[list(key), mark] for key, mark in sorted(marks.items())],
            "computed_at": now or timezone.now(),
        },
    )
