"""`manage.py annual_report`: every format from the command line, the documented JSON keys."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

DOCUMENTED_KEYS = [
    "period.start",
    "period.end",
    "contacts.total",
    "advice.sessions",
    "activities.count",
    "activities.participants",
    "multimedia.entries",
    "gender.women_pct",
    "gender.men_pct",
    "online.facebook_followers",
    "online.twitter_followers",
    "online.web_page_views",
    "online.emails_answered",
    "team.back_office",
    "team.advisers",
    "team.reception_and_stewards",
]


def value(document: dict, key: str):
    for part in key.split("."):
        document = document[part]
    return document


def test_the_json_of_a_range_of_days_carries_the_documented_keys(march, tmp_path):
    target = tmp_path / "march.json"
    call_command("annual_report", start="2026-03-01", end="2026-03-31", format="json", output=str(target))
    document = json.loads(target.read_text())
    for key in DOCUMENTED_KEYS:
        value(document, key)  # present (None allowed for what is not known)
    assert document["format_version"] == 1
    assert document["period"] == {
        "start": "2026-03-01",
        "end": "2026-03-31",
        "slug": "2026-03-01_2026-03-31",
        "asked": "2026-03-01_2026-03-31",
        "running": False,
    }
    assert document["classification"] == "internal"
    assert document["contacts"]["total"] == 19
    assert document["online"]["facebook_followers"] == 100
    assert document["previous_year"]["period"]["start"] == "2025-03-01"


@pytest.mark.parametrize(
    ("fmt", "start"), [("xlsx", b"PK"), ("csv", "\ufeff".encode()), ("html", b"<!DOCTYPE")]
)
def test_the_other_formats(march, tmp_path, fmt, start):
    target = tmp_path / f"report.{fmt}"
    call_command("annual_report", year=2026, format=fmt, lang="nl", output=str(target))
    body = target.read_bytes()
    assert body.startswith(start)
    if fmt == "xlsx":
        assert "Kerncijfers" in load_workbook(io.BytesIO(body)).sheetnames
    if fmt == "html":
        assert b'lang="nl"' in body


def test_a_wrong_period_is_a_clear_error():
    with pytest.raises(CommandError, match="not a period"):
        call_command("annual_report", period="2026-13", format="json")
    with pytest.raises(CommandError, match="--to"):
        call_command("annual_report", start="2026-03-01", format="json")
