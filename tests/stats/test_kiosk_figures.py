"""A visit at the self-service kiosk is an on-site visit: counted once in every figure that counts them."""

import pytest

from accueil import services
from accueil.models import Ticket
from stats import periods, selectors
from tests.factories import visit
from tests.stats.conftest import at

pytestmark = pytest.mark.django_db

MARCH = periods.month(2026, 3)


def plus_one(before: dict, after: dict, key: str) -> bool:
    return after.get(key, 0) == before.get(key, 0) + 1


def test_a_kiosk_visit_counts_once_in_the_on_site_visits_contacts_and_queue(march):
    before = selectors.report(MARCH)
    kiosk = visit(
        user=services.kiosk_user(), theme="apprendre", language="nl", channel="kiosk", now=at(2026, 3, 12, 11)
    )
    after = selectors.report(MARCH)
    assert Ticket.objects.filter(visit=kiosk).count() == 1

    was, now = before["contacts"], after["contacts"]
    assert now["on_site_visits"] == was["on_site_visits"] + 1
    assert now["total"] == was["total"] + 1
    assert now["remote_by_channel"] == was["remote_by_channel"]  # not a remote contact
    assert plus_one(was["by_orientation"], now["by_orientation"], "advice")
    assert plus_one(was["by_theme"], now["by_theme"], "apprendre")
    assert plus_one(was["by_month"], now["by_month"], "2026-03")
    assert plus_one(was["by_weekday"], now["by_weekday"], "4")  # a Thursday
    assert plus_one(was["by_hour"], now["by_hour"], "11")

    was, now = before["advice"]["queue"], after["advice"]["queue"]
    assert now["tickets"] == was["tickets"] + 1
    assert (
        now["by_theme"]["apprendre"]["tickets"] == was["by_theme"].get("apprendre", {}).get("tickets", 0) + 1
    )
    assert now["by_language"]["nl"]["tickets"] == was["by_language"].get("nl", {}).get("tickets", 0) + 1

    drill = {row["month"]: row["visits"] for row in selectors.theme_by_month(MARCH, theme="apprendre")}
    assert drill["2026-03"] == was_visits(before, "apprendre") + 1


def was_visits(figures: dict, theme: str) -> int:
    return figures["contacts"]["by_theme"].get(theme, 0)
