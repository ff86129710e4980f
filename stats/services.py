"""Writes of the stats app: the director's texts and online figures for a year, audited."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from citedesmetiers.services import audit_changes, audit_record
from stats.models import OnlineFigures, OnlineMonth, ProtectedYear, ReportText

ONLINE_FIELDS = ("facebook_followers", "twitter_followers", "web_page_views")


def _save(model, fields, action: str, *, user, values: dict, now: datetime | None, **lookup):
    now = now or timezone.now()
    with transaction.atomic():
        row = model.objects.select_for_update().filter(**lookup).first()
        before = {name: getattr(row, name) for name in fields} if row else dict.fromkeys(fields)
        row = row or model(**lookup)
        for name in fields:
            setattr(row, name, values.get(name, getattr(row, name)))
        row.updated_at, row.updated_by = now, user
        row.full_clean()
        row.save()
        changes = audit_changes(before, {name: getattr(row, name) for name in fields})
        if changes:
            audit_record(actor=user, action=action, obj=row, changes=changes, now=now)
    return row


def report_text_save(*, year: int, user, values: dict, now: datetime | None = None) -> ReportText:
    """Writes the preamble (with its signature and quote) and the free-text highlights of a year's report
    (French, Dutch, English); the timeline's entries and the testimonials are edited in the back office."""
    return _save(
        ReportText, ReportText.TEXT_FIELDS, "report_text.update", year=year, user=user, values=values, now=now
    )


def online_figures_save(
    *, year: int, user, values: dict, months: dict[int, dict] | None = None, now: datetime | None = None
) -> OnlineFigures:
    """Writes what social media and the website counted in a year (None: not known) and, where given,
    in each of its months (`months`: {1..12: values}); a month left wholly empty is not stored."""
    with transaction.atomic():
        action = "online_figures.update"
        row = _save(OnlineFigures, ONLINE_FIELDS, action, year=year, user=user, values=values, now=now)
        for month, month_values in sorted((months or {}).items()):
            known = OnlineMonth.objects.filter(year=year, month=month).exists()
            if known or any(value is not None for value in month_values.values()):
                _save(
                    OnlineMonth,
                    ONLINE_FIELDS,
                    action,
                    year=year,
                    month=month,
                    user=user,
                    values=month_values,
                    now=now,
                )
    return row


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
