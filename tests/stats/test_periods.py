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


def test_a_running_year_counts_to_yesterday_and_compares_the_same_days():
    comparison = periods.compare(periods.year(2026), today=date(2026, 12, 5))
    assert comparison.running
    assert comparison.current == periods.Period(date(2026, 1, 1), date(2026, 12, 4))
    assert comparison.previous == periods.Period(date(2025, 1, 1), date(2025, 12, 4))
    with translation.override("fr"):
        assert comparison.label == "2026 (1 janvier – 4 décembre 2026, en cours)"
        assert comparison.heading == "1 janvier – 4 décembre 2026"
        assert comparison.previous_heading == "1 janvier – 4 décembre 2025"


def test_an_ended_period_compares_with_its_year_earlier_by_name():
    comparison = periods.compare(periods.quarter(2025, 2), today=date(2026, 12, 5))
    assert not comparison.running
    with translation.override("nl"):
        assert comparison.heading == "Kwartaal 2 van 2025"
        assert comparison.previous_heading == "Kwartaal 2 van 2024"


def test_before_the_opening_there_is_nothing_to_compare():
    assert periods.compare(periods.year(2018), today=date(2026, 1, 2)).previous is None
    cut = periods.compare(periods.year(2019), today=date(2026, 1, 2))
    assert cut.previous == periods.Period(date(2018, 3, 5), date(2018, 12, 31))
    assert cut.previous_cut
    with translation.override("en"):
        assert "not open yet before 5 March 2018" in cut.description
        assert cut.previous_heading == "5 March – 31 December 2018"


def test_the_dashboard_opens_on_the_year_to_date():
    assert periods.default(today=date(2026, 12, 5)) == periods.year(2026)
    assert periods.default(today=date(2027, 1, 1)) == periods.year(2026)  # nothing of 2027 yet


def test_english_dates_are_written_as_in_brussels():
    with translation.override("en"):
        assert periods.year(2018).days_label == "1 January – 31 December 2018"
        assert periods.Period(date(2018, 3, 5), date(2019, 3, 4)).days_label == "5 March 2018 – 4 March 2019"


def test_the_picker_refuses_a_period_not_started_yet():
    from stats.forms import NOT_STARTED, PeriodForm

    today = date(2026, 12, 5)
    future = PeriodForm({"year": 2026, "start": "2027-01-01", "end": "2027-01-31"}, today=today)
    assert not future.is_valid()
    assert list(future.non_field_errors()) == [str(NOT_STARTED)]
    for data in ({"year": 2026, "part": "12"}, {"year": 2026, "start": "2026-12-05", "end": "2026-12-31"}):
        assert PeriodForm(data, today=today).is_valid(), data
    assert periods.started(periods.month(2026, 12), today=today)
    assert not periods.started(periods.month(2027, 1), today=today)
