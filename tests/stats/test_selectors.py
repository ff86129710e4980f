"""Every indicator of the report against the small centre of conftest.march, computed by hand."""

import pytest

from citedesmetiers.models import Partner
from stats import periods, selectors
from stats.selectors import Scope

pytestmark = pytest.mark.django_db

MARCH = periods.month(2026, 3)


@pytest.fixture
def figures(march):
    return selectors.report(MARCH)


def test_contacts(figures):
    contacts = figures["contacts"]
    assert contacts["on_site_visits"] == 12
    assert contacts["direct_participants"] == 7
    assert contacts["total"] == 19
    assert contacts["by_orientation"] == {"advice": 3, "activity": 5, "multimedia": 2, "documentary": 2}
    assert contacts["remote_by_channel"] == {"email": 4, "phone": 1}
    assert contacts["services_by_mode"] == {
        "advice": 5,
        "multimedia_documentation": 7,
        "activity_participants": 12,
        "outreach": 20,
        "remote": 5,
    }
    assert contacts["services_total"] == 49
    assert contacts["by_month"] == {"2026-03": 12}
    assert contacts["by_theme"] == {"choisir": 7, "travailler": 5}
    # Monday 9 (advice, group), Tuesday 10 (multimedia), Tuesday 31 at 23:30 local (documentary).
    assert contacts["by_weekday"] == {"1": 8, "2": 4}
    assert contacts["by_hour"] == {"10": 8, "14": 1, "15": 1, "23": 2}


def test_advice(figures):
    advice = figures["advice"]
    assert advice["sessions"] == 5
    assert advice["minutes_mean"] == 30
    assert advice["by_theme"] == {"travailler": 4, "apprendre": 1}
    assert advice["by_partner"] == {
        str(Partner.objects.get(code="actiris").pk): 4,
        str(Partner.objects.get(code="vdab-brussel").pk): 1,
    }
    assert advice["by_gender"] == {"woman": 3, "man": 2}
    assert advice["by_age_group"] == {"under-25": 1, "25-49": 2, "50-plus": 1, "unknown": 1}
    assert advice["by_topic"] == {"cv_letter": 4, "training": 1}
    assert advice["queue"]["tickets"] == 3


def test_gender(figures):
    assert figures["gender"] == {
        "women": 3,
        "men": 2,
        "women_pct": 60.0,
        "men_pct": 40.0,
        "other_or_unknown": 0,
    }


def test_activities(figures, march):
    activities = figures["activities"]
    assert activities["count"] == 3
    assert activities["participants"] == 12
    assert activities["recorded"] == 2
    assert [row["title"] for row in activities["missing_attendance"]] == [march["a3_title"]]
    assert activities["outreach"] == {"count": 1, "people": 20}
    assert activities["by_theme"] == {"choisir": 2, "apprendre": 1}
    assert activities["participants_by_theme"] == {"choisir": 5, "apprendre": 7}
    assert activities["by_language"] == {"fr": 3, "nl": 1}
    # Seats given / capacity over activities with a capacity: A1 4 of 10, A3 0 of 10.
    assert activities["fill_rate_pct"] == 20.0
    # Registrants who came / seats given, where attendance was recorded: 3 of 4.
    assert activities["show_rate_pct"] == 75.0


def test_multimedia_online_and_team(figures):
    assert figures["multimedia"]["entries"] == 5
    assert figures["online"] == {
        "facebook_followers": 100,
        "twitter_followers": 7,
        "web_page_views": 900,
        "emails_answered": 4,
    }
    # A reception agent, a steward; two advisers; a coordinator and a director.
    assert figures["team"] == {"back_office": 2, "advisers": 2, "reception_and_stewards": 2}


def test_an_institution_sees_its_advice_and_its_activities_only(march):
    figures = selectors.report(MARCH, scope=Scope(partner=Partner.objects.get(code="actiris")))
    assert figures["advice"]["sessions"] == 4
    assert figures["gender"]["women_pct"] == 75.0
    assert figures["activities"]["count"] == 2
    assert figures["activities"]["participants"] == 5
    # The queue through the same wall: nobody called the March tickets, nor asked for Actiris.
    assert figures["advice"]["queue"]["tickets"] == 0
    assert set(figures) == {"period", "advice", "gender", "activities"}


def test_the_previous_year_is_empty_and_nothing_divides_by_zero(march):
    figures = selectors.report(MARCH.previous())
    assert figures["contacts"]["total"] == 0
    assert figures["gender"]["women_pct"] is None
    assert figures["activities"]["fill_rate_pct"] is None
    assert figures["online"]["facebook_followers"] is None


def test_percentages_round_half_up():
    assert selectors.percent(1065, 2000) == 53.3  # 53.25
    assert selectors.percent(10411, 19569) == 53.2
    assert selectors.percent(0, 0) is None


def test_the_dashboards_comparison_counts_the_previous_queue_without_its_breakdowns(
    django_assert_num_queries,
):
    from stats import report

    period = periods.Period(periods.OPENING_DAY.replace(year=2019), periods.OPENING_DAY.replace(year=2019))
    full = report.figures(period)
    compared = report.figures(period, previous_in_full=False)
    assert compared["current"] == full["current"]
    queue, in_full = compared["previous"]["advice"]["queue"], full["previous"]["advice"]["queue"]
    assert {key: value for key, value in queue.items() if not key.startswith("by_")} == {
        key: value for key, value in in_full.items() if not key.startswith("by_")
    }
    assert all(queue[f"by_{name}"] == {} for name in selectors.QUEUE_GROUPINGS)
