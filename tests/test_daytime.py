"""The clock of the tests that go back some minutes within today (the `daytime` fixture)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from tests.conftest import shift_into_the_day

BRUSSELS = ZoneInfo("Europe/Brussels")


def _at(hour: int, minute: int) -> datetime:
    return datetime(2026, 12, 7, hour, minute, tzinfo=BRUSSELS)


def test_the_clock_moves_only_in_the_hour_after_midnight_and_to_one_o_clock():
    assert shift_into_the_day(_at(0, 0)) == timedelta(hours=1)
    assert shift_into_the_day(_at(0, 10)) == timedelta(minutes=50)
    assert shift_into_the_day(_at(0, 59)) == timedelta(minutes=1)
    for hour, minute in [(1, 0), (9, 30), (23, 59)]:
        assert shift_into_the_day(_at(hour, minute)) == timedelta(0)


def test_ten_past_midnight_becomes_one_o_clock_of_the_same_day_for_django_and_its_dates(monkeypatch, request):
    monkeypatch.setattr(timezone, "now", lambda: _at(0, 10))
    assert request.getfixturevalue("daytime") == timedelta(minutes=50)
    assert timezone.localtime() == _at(1, 0)
    assert timezone.localdate() == _at(0, 10).date()
    assert timezone.localtime() - timedelta(minutes=20) > _at(0, 0)  # "twenty minutes ago" is today
