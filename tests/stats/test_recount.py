"""An independent recount: every figure of the report recomputed in plain SQL from the raw rows, by its
written definition (stats/definitions.py), and compared with the selectors, over a calendar year, a
quarter, a month across the autumn clock change, the first year, a range across the spring clock change
and a year to date, on the demo centre seeded from the opening to February 2019."""

import io
from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from stats import periods, selectors

pytestmark = pytest.mark.django_db

LOCAL = "AT TIME ZONE 'Europe/Brussels'"
PERIODS = {
    "year 2018": periods.year(2018),
    "quarter 2018-Q2": periods.quarter(2018, 2),
    "month 2018-10 (clocks back on the 28th)": periods.month(2018, 10),
    "first year": periods.first_year(),
    "range across the spring clock change": periods.Period(date(2018, 3, 20), date(2018, 4, 2)),
    "year to date 2019": periods.Period(date(2019, 1, 1), date(2019, 2, 27)),
}
AGE_GROUPS = {
    "under-25": ("under-18", "18-24"),
    "25-49": ("25-29", "30-34", "35-39", "40-44", "45-49"),
    "50-plus": ("50-54", "55-59", "60-64", "65-plus"),
}


def half_up(value, places: int = 0):
    result = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return int(result) if places == 0 else float(result)


def share(part, whole):
    return None if not whole else half_up(Decimal(part) * 100 / Decimal(whole), 1)


def rows(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def by_code(sql: str, params: dict) -> dict:
    return {("" if code is None else str(code)): value for code, value in rows(sql, params) if value}


def minutes(interval) -> float | None:
    return None if interval is None else half_up(Decimal(str(interval.total_seconds())) / 60, 1)


def recount(period: periods.Period, now) -> dict:
    """The figures of a period from the raw rows, in SQL, by their written definitions."""
    p = {"since": period.since, "until": period.until, "start": period.start, "end": period.end, "now": now}
    within = "occurred_at >= %(since)s AND occurred_at < %(until)s"
    visits = f"FROM accueil_visit WHERE cancelled_at IS NULL AND {within}"
    on_site = f"{visits} AND channel_id = 'on_site'"
    figures: dict = {"contacts": {}, "advice": {}, "activities": {}, "multimedia": {}}
    contacts = figures["contacts"]
    contacts["on_site_visits"] = rows(f"SELECT COALESCE(SUM(count), 0) {on_site}", p)[0][0]
    contacts["by_theme"] = by_code(f"SELECT theme_id, SUM(count) {on_site} GROUP BY 1", p)
    contacts["by_month"] = by_code(
        f"SELECT to_char(date_trunc('month', occurred_at {LOCAL}), 'YYYY-MM'), SUM(count) {on_site} "
        "GROUP BY 1",
        p,
    )
    contacts["by_weekday"] = by_code(
        f"SELECT EXTRACT(ISODOW FROM occurred_at {LOCAL})::int, SUM(count) {on_site} GROUP BY 1", p
    )
    contacts["by_hour"] = by_code(
        f"SELECT EXTRACT(HOUR FROM occurred_at {LOCAL})::int, SUM(count) {on_site} GROUP BY 1", p
    )
    contacts["remote_by_channel"] = by_code(
        f"SELECT channel_id, SUM(count) {visits} AND channel_id <> 'on_site' GROUP BY 1", p
    )
    oriented = by_code(f"SELECT orientation, SUM(count) {on_site} GROUP BY 1", p)

    # Activities held: published, starting in the period (local days), ended by now; outreach apart.
    held = rows(
        f"""
        SELECT a.id, a.kind, a.theme_id, a.partner_id, a.audiences, a.capacity,
               a.attendance_recorded_at IS NOT NULL,
               (SELECT COUNT(*) FROM activites_registration r
                 WHERE r.activity_id = a.id AND r.status = 'confirmed'),
               (SELECT COUNT(*) FROM activites_registration r
                 WHERE r.activity_id = a.id AND r.status = 'confirmed' AND r.attended),
               (SELECT COALESCE(SUM(count), 0) FROM activites_walkin w
                 WHERE w.activity_id = a.id AND w.cancelled_at IS NULL),
               COALESCE(a.headcount, 0),
               ARRAY(SELECT language_id FROM activites_activity_languages l WHERE l.activity_id = a.id)
        FROM activites_activity a
        WHERE a.status = 'published' AND a.ends_at <= %(now)s
          AND (a.starts_at {LOCAL})::date BETWEEN %(start)s AND %(end)s
        """,
        p,
    )
    activities = figures["activities"]
    counts, people = defaultdict(lambda: defaultdict(int)), defaultdict(lambda: defaultdict(int))
    seats = capacity = came = seated_recorded = participants = recorded = count = 0
    outreach = [0, 0]
    for (
        _pk,
        kind,
        theme,
        partner,
        audiences,
        cap,
        is_recorded,
        seated,
        checked,
        walk_ins,
        head,
        languages,
    ) in held:
        present = checked + walk_ins + head if is_recorded else 0
        if kind == "outreach":
            outreach[0] += 1
            outreach[1] += present
            continue
        count += 1
        recorded += is_recorded
        participants += present
        groups = {"theme": [theme], "kind": [kind], "partner": [str(partner)], "language": languages}
        groups["audience"] = audiences or ["everyone"]
        for name, codes in groups.items():
            for code in codes:
                counts[name][code] += 1
                people[name][code] += present
        if cap:
            seats, capacity = seats + seated, capacity + cap
        if is_recorded:
            came, seated_recorded = came + checked, seated_recorded + seated
    activities |= {
        "count": count,
        "participants": participants,
        "recorded": recorded,
        "fill_rate_pct": share(seats, capacity),
        "show_rate_pct": share(came, seated_recorded),
        "outreach": {"count": outreach[0], "people": outreach[1]},
        "participants_by_theme": dict(people["theme"]),
        **{f"by_{name}": dict(counts[name]) for name in ("theme", "kind", "partner", "language", "audience")},
    }

    consultations = (
        "FROM conseil_consultation c WHERE c.cancelled_at IS NULL "
        "AND c.occurred_at >= %(since)s AND c.occurred_at < %(until)s"
    )
    advice = figures["advice"]
    sessions, total_minutes = rows(f"SELECT COUNT(*), COALESCE(SUM(duration_minutes), 0) {consultations}", p)[
        0
    ]
    advice["sessions"] = sessions
    advice["minutes_mean"] = half_up(Decimal(total_minutes) / sessions) if sessions else None
    for name, column in (
        ("theme", "theme_id"),
        ("partner", "partner_id"),
        ("language", "language_id"),
        ("mode", "mode"),
        ("gender", "gender_id"),
        ("age_band", "age_band_id"),
    ):
        advice[f"by_{name}"] = by_code(f"SELECT {column}, COUNT(*) {consultations} GROUP BY 1", p)
    advice["by_topic"] = by_code(
        f"SELECT t.topic_id, COUNT(*) {consultations.replace('FROM conseil_consultation c', 'FROM conseil_consultation c LEFT JOIN conseil_consultation_topics t ON t.consultation_id = c.id')} GROUP BY 1",  # noqa: E501
        p,
    )
    bands = advice["by_age_band"]
    advice["by_age_group"] = {
        group: sum(bands.get(code, 0) for code in codes) for group, codes in AGE_GROUPS.items()
    }
    advice["by_age_group"]["unknown"] = bands.get("", 0)
    women, men = advice["by_gender"].get("woman", 0), advice["by_gender"].get("man", 0)
    figures["gender"] = {"women": women, "men": men}
    if women + men:  # largest remainder on tenths of a percent, ties to women
        tenths = {"women": women * 1000 // (women + men), "men": men * 1000 // (women + men)}
        rest = {"women": Decimal(women * 1000) / (women + men) - tenths["women"]}
        rest["men"] = Decimal(men * 1000) / (women + men) - tenths["men"]
        for key in sorted(rest, key=lambda key: -rest[key])[: 1000 - sum(tenths.values())]:
            tenths[key] += 1
        figures["gender"] |= {"women_pct": tenths["women"] / 10, "men_pct": tenths["men"] / 10}
    else:
        figures["gender"] |= {"women_pct": None, "men_pct": None}

    tickets = "FROM accueil_ticket WHERE status <> 'cancelled' AND service_date BETWEEN %(start)s AND %(end)s"
    statistics = (
        "COUNT(*), COUNT(called_at), COUNT(*) FILTER (WHERE status = 'walked_away'), "
        "COUNT(*) FILTER (WHERE called_at > issued_at + interval '30 minutes'), "
        "percentile_cont(0.5) WITHIN GROUP (ORDER BY called_at - issued_at) "
        "FILTER (WHERE called_at IS NOT NULL), "
        "percentile_cont(0.9) WITHIN GROUP (ORDER BY called_at - issued_at) "
        "FILTER (WHERE called_at IS NOT NULL), "
        "percentile_cont(0.5) WITHIN GROUP (ORDER BY ended_at - served_at) "
        "FILTER (WHERE served_at IS NOT NULL AND ended_at IS NOT NULL)"
    )

    def queue_row(values) -> dict:
        number, called, gone, long_waits, median, p90, service = values
        return {
            "tickets": number,
            "called": called,
            "walked_away": gone,
            "long_waits": long_waits,
            "waiting_over_30_pct": share(long_waits, called),
            "waiting_median_minutes": minutes(median),
            "waiting_p90_minutes": minutes(p90),
            "service_median_minutes": minutes(service),
        }

    queue = queue_row(rows(f"SELECT {statistics} {tickets}", p)[0])
    for name, expression in (
        ("theme", "theme_id"),
        ("language", "language_id"),
        ("hour", f"EXTRACT(HOUR FROM issued_at {LOCAL})::int"),
        ("weekday", f"EXTRACT(ISODOW FROM issued_at {LOCAL})::int"),
    ):
        queue[f"by_{name}"] = {
            str(code): queue_row(values)
            for code, *values in rows(f"SELECT {expression}, {statistics} {tickets} GROUP BY 1", p)
        }
    advice["queue"] = queue

    multimedia = figures["multimedia"]
    space = "WHERE cancelled_at IS NULL AND occurred_at >= %(since)s AND occurred_at < %(until)s"
    multimedia["entries"] = rows(f"SELECT COALESCE(SUM(count), 0) FROM ressources_spaceentry {space}", p)[0][
        0
    ]
    multimedia["occupancy_by_hour"] = {
        str(hour): half_up(Decimal(total) / sweeps, 1)
        for hour, total, sweeps in rows(
            f"SELECT EXTRACT(HOUR FROM occurred_at {LOCAL})::int, "
            "SUM(computers + tablets + documentary), COUNT(*) "
            f"FROM ressources_occupancysweep {space} GROUP BY 1",
            p,
        )
    }
    help_rows = rows(
        "SELECT t.code, COUNT(h.id), SUM(h.duration_minutes) FROM ressources_helptopic t "
        "LEFT JOIN ressources_digitalhelp h ON h.topic_id = t.code AND h.cancelled_at IS NULL "
        "AND h.occurred_at >= %(since)s AND h.occurred_at < %(until)s "
        "WHERE t.active OR h.id IS NOT NULL GROUP BY 1",
        p,
    )
    multimedia["help_by_topic"] = {
        code: {"count": number, "minutes_mean": half_up(Decimal(total) / number) if number else None}
        for code, number, total in help_rows
    }

    directed = oriented.get("activity", 0)
    contacts["directed_to_activity"] = directed
    contacts["direct_participants"] = max(0, participants - directed)
    contacts["total"] = contacts["on_site_visits"] + contacts["direct_participants"]
    contacts["services_by_mode"] = {
        "advice": sessions,
        "multimedia_documentation": multimedia["entries"] + oriented.get("documentary", 0),
        "activity_participants": participants,
        "outreach": outreach[1],
        "remote": sum(contacts["remote_by_channel"].values()),
    }
    contacts["services_total"] = sum(contacts["services_by_mode"].values())

    answers = "FROM conseil_questionnaireanswer WHERE answered_at >= %(since)s AND answered_at < %(until)s"
    satisfied, answered = rows(
        f"SELECT COUNT(*) FILTER (WHERE satisfaction >= 3), COUNT(satisfaction) {answers}", p
    )[0]
    recommend, asked = rows(
        f"SELECT COUNT(*) FILTER (WHERE would_recommend), COUNT(would_recommend) {answers}", p
    )[0]
    figures["questionnaires"] = {
        "answers": rows(f"SELECT COUNT(*) {answers}", p)[0][0],
        "satisfied_pct": share(satisfied, answered),
        "would_recommend_pct": share(recommend, asked),
        "status": by_code(f"SELECT status_id, COUNT(*) {answers} AND status_id IS NOT NULL GROUP BY 1", p),
    }
    figures["online"] = {"emails_answered": contacts["remote_by_channel"].get("email", 0)}
    return figures


def comparable(report: dict) -> dict:
    """The selectors' figures, trimmed to what the recount computes (zeros dropped from breakdowns)."""

    def nonzero(values: dict) -> dict:
        return {code: value for code, value in values.items() if value}

    contacts, advice, activities = report["contacts"], report["advice"], report["activities"]
    queue_keys = ("tickets", "called", "walked_away", "long_waits", "waiting_over_30_pct")
    queue_keys += ("waiting_median_minutes", "waiting_p90_minutes", "service_median_minutes")

    def queue_part(row):
        return {key: row[key] for key in queue_keys}

    queue = queue_part(advice["queue"])
    for name in ("theme", "language", "hour", "weekday"):
        queue[f"by_{name}"] = {code: queue_part(row) for code, row in advice["queue"][f"by_{name}"].items()}
    return {
        "contacts": {
            key: nonzero(value) if isinstance(value, dict) and key != "services_by_mode" else value
            for key, value in contacts.items()
            if key != "by_orientation"
        },
        "advice": {
            "sessions": advice["sessions"],
            "minutes_mean": advice["minutes_mean"],
            **{
                f"by_{name}": nonzero(advice[f"by_{name}"])
                for name in ("theme", "partner", "language", "mode", "gender", "age_band", "topic")
            },
            "by_age_group": advice["by_age_group"],
            "queue": queue,
        },
        "gender": {key: report["gender"][key] for key in ("women", "men", "women_pct", "men_pct")},
        "activities": {key: value for key, value in activities.items() if key != "missing_attendance"}
        | {"participants_by_theme": nonzero(activities["participants_by_theme"])},
        "multimedia": report["multimedia"],
        "questionnaires": {
            "answers": report["questionnaires"]["answers"],
            "satisfied_pct": report["questionnaires"]["satisfied_pct"],
            "would_recommend_pct": report["questionnaires"]["would_recommend_pct"],
            "status": report["questionnaires"]["profile"]["status"],
        },
        "online": {"emails_answered": report["online"]["emails_answered"]},
    }


@pytest.fixture(scope="module")
def counted(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(DEMO_ACCOUNTS_ENABLED=True), transaction.atomic():
        assert connection.settings_dict["NAME"].startswith("test_"), "never seed a real database here"
        call_command("seed_demo", until="2019-02-28", seed=2018, stdout=io.StringIO())
        with connection.cursor() as cursor:  # the planner's statistics of the rows just written
            cursor.execute("ANALYZE")
        now = timezone.now()
        result = {
            name: (comparable(selectors.report(period)), recount(period, now))
            for name, period in PERIODS.items()
        }
        transaction.set_rollback(True)
    return result


@pytest.mark.parametrize("name", list(PERIODS))
def test_every_figure_equals_its_recount_from_the_raw_rows(counted, name):
    figures, recounted = counted[name]
    assert figures["contacts"]["on_site_visits"] > 0, "the demo centre has visits in every period checked"
    for section, values in recounted.items():
        for key, value in values.items():
            assert figures[section][key] == value, (name, section, key)
