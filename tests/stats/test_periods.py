"""The periods of the report: their days, their names, the year before, and their bounds in Brussels time."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from stats import periods

BRUSSELS = ZoneInfo("Europe/Brussels")


def test_years_quarters_months_and_the_first_year():
    assert periods.year(2018) == periods.Period(date(2018, 1, 1), date(2018, 12, 31), "year")
    assert periods.quarter(2018, 4) == periods.Period(date(2018, 10, 1), date(2018, 12, 31), "quarter")
    assert periods.quarter(2024, 1).end == date(2024, 3, 31)
    assert periods.month(2024, 2).end == date(2024, 2, 29)
    assert periods.month(2018, 12).end == date(2018, 12, 31)
    assert periods.first_year() == periods.Period(date(2018, 3, 5), date(2019, 3, 4), "first_year")


def test_bounds_are_local_midnights_also_across_a_clock_change():
    march = periods.month(2026, 3)  # the clocks go forward on 29 March
    assert march.since == datetime(2026, 3, 1, tzinfo=BRUSSELS)
    assert march.until == datetime(2026, 4, 1, tzinfo=BRUSSELS)
    assert march.until.utcoffset().total_seconds() == 7200
    assert march.since.utcoffset().total_seconds() == 3600
    october = periods.month(2026, 10)  # and back on 25 October: 31 days, 745 hours
    assert (october.until.astimezone(UTC) - october.since.astimezone(UTC)).total_seconds() == 745 * 3600


def test_the_year_before_and_a_leap_day():
    assert periods.year(2019).previous() == periods.year(2018)
    assert periods.Period(date(2024, 2, 29), date(2024, 3, 1)).previous() == periods.Period(
        date(2023, 2, 28), date(2023, 3, 1)
    )


@pytest.mark.parametrize("slug", ["2018", "2018-Q2", "2018-05", "first-year", "2018-03-05_2018-12-31"])
def test_slugs_go_both_ways(slug):
    assert periods.parse(slug).slug == slug


@pytest.mark.parametrize("slug", ["", "18", "2018-Q5", "2018-13", "2018-12-31_2018-01-01", "x"])
def test_wrong_slugs_are_refused(slug):
    with pytest.raises(ValueError, match="period"):
        periods.parse(slug)


def test_names_in_each_language():
    with translation.override("fr"):
        assert periods.quarter(2018, 2).label == "Trimestre 2 de 2018"
        assert periods.month(2018, 5).label == "mai 2018"
    with translation.override("nl"):
        assert periods.quarter(2018, 2).label == "Kwartaal 2 van 2018"
