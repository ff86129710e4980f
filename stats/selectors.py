"""The published indicators: one function per section of the report, each reading the owning app's
selectors for a Period (local days, Europe/Brussels). Values are plain numbers, codes and lists, so that
the same dictionary feeds the dashboard, the printable report, the PDF, the workbook and the JSON export.
Every figure is counted from the rows, or from daily summaries and kept figures of closed days that are
forgotten the moment one of their rows changes (docs/figures.md). Definitions: stats/definitions.py."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Value
from django.utils import timezone

from accueil.models import ON_SITE_CHANNELS, Orientation
from accueil.selectors import queue_changes as reception_changes
from accueil.selectors import ticket_breakdowns, visit_breakdowns, visit_sums
from activites.models import Kind
from activites.selectors import activity_breakdowns, activity_rows
from citedesmetiers.capture import CapturedQuerySet
from citedesmetiers.dates import Span
from citedesmetiers.models import Partner
from citedesmetiers.roles import Role
from citedesmetiers.selectors import staff_by_role
from citedesmetiers.summaries import kept_together
from conseil.models import Consultation
from conseil.selectors import (
    consultation_breakdowns,
    consultation_sums,
    consultations_visible_to,
    questionnaire_results,
)
from ressources.selectors import help_figures, space_counts
from stats.figures import (
    Activities,
    Advice,
    Contacts,
    Counts,
    Figures,
    Gender,
    Multimedia,
    Online,
    Questionnaires,
    Queue,
    QueueFigures,
    ServicesByMode,
    Team,
)
from stats.models import OnlineFigures, OnlineMonth
from stats.periods import Period

# The age groups published since 2018, rebuilt from the fine bands recorded.
AGE_GROUPS = {
    "under-25": ("under-18", "18-24"),
    "25-49": ("25-29", "30-34", "35-39", "40-44", "45-49"),
    "50-plus": ("50-54", "55-59", "60-64", "65-plus"),
}
TEAM = {
    "back_office": (Role.COORDINATOR, Role.DIRECTOR, Role.ADMINISTRATOR),
    "advisers": (Role.ADVISER, Role.PARTNER_LEAD),
    "reception_and_stewards": (Role.RECEPTION_AGENT, Role.DIGITAL_STEWARD),
}


@dataclass(frozen=True)
class Scope:
    """Whose figures: the whole centre, or one partner institution (its advice and its activities).
    `consultations` is the wall of the person looking (conseil.selectors.consultations_visible_to);
    without a person (the command line), every consultation."""

    partner: Partner | None = None
    consultations: CapturedQuerySet | None = None

    @property
    def centre(self) -> bool:
        return self.partner is None

    @classmethod
    def of(cls, user) -> "Scope":
        """The scope a person may see: the centre for the director and coordinators, their institution
        for a partner lead; PermissionError for anyone else."""
        if user.has_perm("stats.view_figures"):
            return cls(consultations=consultations_visible_to(user))
        if user.has_perm("stats.view_partner_figures") and user.partner_id:
            return cls(partner=user.partner, consultations=consultations_visible_to(user))
        raise PermissionError


def rounded(value: Decimal | float | int, places: int = 0) -> float | int:
    """A value rounded half up (2.5 → 3, 53.25 → 53.3), the one rounding rule of every published figure:
    an int for 0 places, a float otherwise."""
    step = Decimal(1).scaleb(-places)
    result = Decimal(str(value)).quantize(step, rounding=ROUND_HALF_UP)
    return int(result) if places == 0 else float(result)


def percent(part: int, whole: int) -> float | None:
    """part / whole in percent with one decimal, half up (53.25 → 53.3); None when whole is 0."""
    if not whole:
        return None
    return rounded(Decimal(part) * 100 / Decimal(whole), 1)


def mean(total, count: int, places: int = 0) -> float | int | None:
    """total / count rounded half up to `places` decimals; None (not 0) for a mean over nothing."""
    if not count:
        return None
    return rounded(Decimal(str(total)) / Decimal(count), places)


def shares(parts: dict[str, int]) -> dict[str, float | None]:
    """Each part in percent of their sum with one decimal, rounded so that they add up to exactly 100.0
    (largest remainder: the tenths left over go to the largest remainders, ties to the first part)."""
    whole = sum(parts.values())
    if not whole:
        return dict.fromkeys(parts)
    exact = {key: Decimal(value) * 1000 / whole for key, value in parts.items()}  # in tenths of a percent
    tenths = {key: int(value) for key, value in exact.items()}
    left = 1000 - sum(tenths.values())
    order = sorted(parts, key=lambda key: -(exact[key] - tenths[key]))
    for key in order[:left]:
        tenths[key] += 1
    return {key: tenths[key] / 10 for key in parts}


# --- contacts ------------------------------------------------------------------------------------


def _spans(periods: Sequence[Period]) -> list[Span]:
    return [(period.start, period.end) for period in periods]


def _on_site(rows: list[dict], name: str) -> dict:
    """People of the on-site channels (the desk's, the kiosk's) by one grouping, in its order: codes as
    text ("" for none), months as "YYYY-MM"."""
    people: dict = defaultdict(int)
    for row in rows:
        if row["channel"] in ON_SITE_CHANNELS:
            people[row[name]] += row["people"]
    ordered = sorted(
        people.items(), key=lambda item: (item[0] is None, item[0] if item[0] is not None else 0)
    )
    if name == "month":
        return {month.strftime("%Y-%m"): value for month, value in ordered}
    return {("" if key is None else str(key)): value for key, value in ordered}


def contacts(
    periods: Sequence[Period],
    *,
    activities: Sequence[Activities],
    advice: Sequence[Advice],
    multimedia: Sequence[Multimedia],
) -> list[Contacts]:
    """For each period, people in contact (on-site visits + activity participants who came straight to
    an activity) and the services delivered by mode, with the rhythm of the visits by month, weekday and
    hour (one statement for every breakdown of the visits of every period), from the period's sections
    `activities`, `advice` and `multimedia`."""
    found = visit_breakdowns(spans=_spans(periods), by=["orientation", "theme", "month", "weekday", "hour"])
    return [_contacts(*sections) for sections in zip(found, activities, advice, multimedia, strict=True)]


def _contacts(visits: dict, activities: Activities, advice: Advice, multimedia: Multimedia) -> Contacts:
    oriented = _on_site(visits["orientation"], "orientation")
    # Every channel but the on-site ones (the desk's, the kiosk's) is a remote contact: e-mail, phone, and
    # "other" (a letter, a chat). Every visit has an orientation: its rows hold each channel's people.
    remote: dict[str, int] = defaultdict(int)
    for row in visits["orientation"]:
        if row["channel"] not in ON_SITE_CHANNELS:
            remote[row["channel"]] += row["people"]
    remote = dict(sorted(remote.items()))
    on_site = sum(oriented.values())  # every on-site visit is directed somewhere
    directed = oriented.get(Orientation.ACTIVITY, 0)
    # Over the whole period, never below zero: see the definition of contacts.direct_participants.
    direct = max(0, (activities["participants"] or 0) - directed)
    by_mode: ServicesByMode = {
        "advice": advice["sessions"],
        "multimedia_documentation": multimedia["entries"] + oriented.get(Orientation.DOCUMENTARY, 0),
        "activity_participants": activities["participants"],
        "outreach": activities["outreach"]["people"],
        "remote": sum(remote.values()),
    }
    return {
        "total": on_site + direct,
        "on_site_visits": on_site,
        "direct_participants": direct,
        "directed_to_activity": directed,
        "by_orientation": oriented,
        "remote_by_channel": remote,
        "services_total": (
            by_mode["advice"]
            + by_mode["multimedia_documentation"]
            + by_mode["activity_participants"]
            + by_mode["outreach"]
            + by_mode["remote"]
        ),
        "services_by_mode": by_mode,
        "by_theme": _on_site(visits["theme"], "theme"),
        "by_month": _on_site(visits["month"], "month"),
        "by_weekday": _on_site(visits["weekday"], "weekday"),
        "by_hour": _on_site(visits["hour"], "hour"),
    }


# --- individual advice ---------------------------------------------------------------------------


def _consultations(scope: Scope) -> CapturedQuerySet:
    if scope.consultations is not None:
        return scope.consultations
    return Consultation.objects.all() if scope.centre else Consultation.objects.filter(partner=scope.partner)


ADVICE_GROUPINGS = ("theme", "topic", "partner", "language", "mode", "gender", "age_band")


def _advice_figures(sums: dict[str, dict], totals: dict, by_month: dict, queue_figures: Queue) -> Advice:
    """The advice section from its grouped sums (`sums[grouping]`: sessions by code)."""
    by_age_band = sums["age_band"]
    by_age_group = {
        group: sum(by_age_band.get(band, 0) for band in bands) for group, bands in AGE_GROUPS.items()
    }
    by_age_group["unknown"] = by_age_band.get("", 0)
    return {
        "sessions": totals["sessions"],
        "minutes_mean": mean(totals["minutes"], totals["sessions"]),
        "by_theme": sums["theme"],
        "by_topic": sums["topic"],
        "by_partner": sums["partner"],
        "by_language": sums["language"],
        "by_mode": sums["mode"],
        "by_gender": sums["gender"],
        "by_age_band": by_age_band,
        "by_age_group": by_age_group,
        "by_month": by_month,
        "queue": queue_figures,
    }


def _sessions(found: dict, name: str) -> dict:
    """{code as text ("" for none): sessions} of one grouping of consultation_breakdowns, in its order."""
    return {("" if code is None else str(code)): counted["sessions"] for code, counted in found[name].items()}


def advice(
    periods: Sequence[Period], *, scope: Scope, queue_breakdowns: Sequence[bool] | None = None
) -> list[Advice]:
    """For each period, individual advice sessions and their minutes, by theme, topic, institution,
    language, mode, gender and age (fine bands and the published groups); the queue's waiting and
    service times (with its breakdowns where `queue_breakdowns` says so: all by default). One statement
    for the sessions of every period (every breakdown at once, topics included) and one for each
    period's queue."""
    found = consultation_breakdowns(
        _consultations(scope), spans=_spans(periods), by=[*ADVICE_GROUPINGS, "month"]
    )
    breakdowns = queue_breakdowns if queue_breakdowns is not None else [True] * len(periods)
    return [
        _advice_figures(
            {name: _sessions(counted, name) for name in ADVICE_GROUPINGS},
            counted[""],
            {month.strftime("%Y-%m"): sums["sessions"] for month, sums in counted["month"].items()},
            queue(period, scope=scope, breakdowns=full),
        )
        for period, counted, full in zip(periods, found, breakdowns, strict=True)
    ]


def report_by_partner(period: Period) -> dict[str, dict]:
    """What the report of each institution counts (`report(period, scope=Scope(partner=…))`): its advice
    and queue by every grouping, and its activities, keyed by partner id ("None": activities organised
    by nobody in particular, tickets of no institution), in a few grouped queries for all of them. The
    publications protect every institution's report together with the centre's (stats.publication)."""
    names = [name for name in ADVICE_GROUPINGS if name != "partner"]
    [found] = consultation_breakdowns(
        Consultation.objects.all(), spans=_spans([period]), by=names, per_partner=True
    )
    found = {str(partner): figures for partner, figures in found.items()}
    queues = _queues_by_partner(period)
    [by_owner] = activity_breakdowns(spans=_spans([period]), per_partner=True)
    held = {str(owner): counted for owner, counted in by_owner.items()}
    figures = {}
    for partner in sorted(set(found) | set(queues) | set(held)):
        counted = found.get(partner)
        advice_sums = {name: _sessions(counted, name) if counted else {} for name in names}
        advice_sums["partner"] = {partner: counted[""]["sessions"]} if counted else {}
        figures[partner] = {
            "advice": _advice_figures(
                {name: advice_sums[name] for name in ADVICE_GROUPINGS},
                counted[""] if counted else {"sessions": 0, "minutes": 0},
                {},
                queues.get(partner) or _queue({}, {}),
            ),
            "activities": _activity_figures(held.get(partner, {})),
        }
    return figures


QUEUE_GROUPINGS = ("theme", "language", "hour", "weekday")


def _queue_figures(row: dict) -> QueueFigures:
    return {
        "tickets": row.get("tickets", 0),
        "called": row.get("called", 0),
        "served": row.get("served", 0),
        "walked_away": row.get("walked_away", 0),
        "not_served": row.get("not_served", 0),
        "long_waits": row.get("long_waits", 0),
        "waiting_over_30_pct": percent(row.get("long_waits", 0), row.get("called", 0)),
        "waiting_mean_minutes": _minutes(row.get("waiting_mean")),
        "waiting_median_minutes": _minutes(row.get("waiting_median")),
        "waiting_p90_minutes": _minutes(row.get("waiting_p90")),
        "service_count": row.get("service_count", 0),
        "service_mean_minutes": _minutes(row.get("service_mean")),
        "service_median_minutes": _minutes(row.get("service_median")),
    }


def queue_changes(period: Period) -> dict:
    """Reception's hand on the period's queue: tickets cancelled, transferred and with priority."""
    return reception_changes(start=period.start, end=period.end)


def queue(period: Period, *, scope: Scope, breakdowns: bool = True) -> Queue:
    """The walk-in queue: tickets, walk-aways, waiting times (median, 90th percentile, share over 30
    minutes) and service times, in total and by theme, language, hour and weekday of the ticket; for an
    institution, its own tickets (accueil.selectors.tickets_of_partner). One statement."""
    found = ticket_breakdowns(
        start=period.start,
        end=period.end,
        partner=scope.partner,
        sets=[(), *((name,) for name in QUEUE_GROUPINGS if breakdowns)],
    )
    return _queue(
        found[()][0] if found[()] else {}, {name: found.get((name,), []) for name in QUEUE_GROUPINGS}
    )


def _queue(total: dict, by: dict[str, list[dict]]) -> Queue:
    """A queue's figures from its total's row and its rows by each of QUEUE_GROUPINGS (none if absent)."""

    def grouped(name: str) -> dict[str, QueueFigures]:
        return {str(row[name]): _queue_figures(row) for row in by.get(name, [])}

    return {
        **_queue_figures(total),
        "by_theme": grouped("theme"),
        "by_language": grouped("language"),
        "by_hour": grouped("hour"),
        "by_weekday": grouped("weekday"),
    }


def _queues_by_partner(period: Period) -> dict[str, Queue]:
    """`queue()` of every institution (and "None": the tickets of none), in one statement."""
    found = ticket_breakdowns(
        start=period.start,
        end=period.end,
        sets=[("institution",), *(("institution", name) for name in QUEUE_GROUPINGS)],
    )
    by_partner: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for name in QUEUE_GROUPINGS:
        for row in found[("institution", name)]:
            by_partner[str(row["institution"])][name].append(row)
    return {
        str(row["institution"]): _queue(row, by_partner[str(row["institution"])])
        for row in found[("institution",)]
    }


def _minutes(duration) -> float | None:
    return None if duration is None else rounded(Decimal(str(duration.total_seconds())) / 60, 1)


def gender(advice_figures: Advice) -> Gender:
    """The women / men split of the advice sessions whose gender was recorded as woman or man, in percent
    with one decimal adding up to 100.0."""
    women = advice_figures["by_gender"].get("woman", 0)
    men = advice_figures["by_gender"].get("man", 0)
    split = shares({"women": women, "men": men})
    return {
        "women": women,
        "men": men,
        "women_pct": split["women"],
        "men_pct": split["men"],
        "other_or_unknown": advice_figures["sessions"] - women - men,
    }


# --- collective activities -----------------------------------------------------------------------


def _held(periods: Sequence[Period], scope: Scope) -> list[list[dict]]:
    # Activities still to come are not held yet: they count once they have ended.
    return activity_rows(spans=_spans(periods), ended_by=timezone.now(), partner=scope.partner)


def activities(periods: Sequence[Period], *, scope: Scope) -> list[Activities]:
    """For each period, activities held (ended, not cancelled) and their participants, by theme, type,
    language, organiser and audience; fill and show rates; those whose attendance was never recorded are
    listed, never 0. Outreach outings (fairs, events, the Formtruck) are counted apart. One statement,
    counted by PostgreSQL (activites.selectors.activity_breakdowns)."""
    counted = activity_breakdowns(spans=_spans(periods), partner=scope.partner)
    return [_activity_figures(by_owner.get(None, {})) for by_owner in counted]


# The figures of activity_breakdowns' total row (a period without any activity: all 0).
_ACTIVITY_TOTALS = ("activities", "participants", "recorded", "seats", "capacity", "checked_in", "registered")


def _activity_figures(counted: dict[str, list[dict]]) -> Activities:
    """The figures of activity_breakdowns' groupings of one period (and institution)."""
    [total] = counted.get("", []) or [dict.fromkeys(_ACTIVITY_TOTALS, 0)]
    [outreach] = counted.get("outreach", []) or [dict.fromkeys(_ACTIVITY_TOTALS, 0)]

    def by(name: str, figure: str = "activities") -> Counts:
        return {row["code"]: row[figure] for row in counted.get(name, [])}

    return {
        "count": total["activities"],
        "participants": total["participants"],
        "recorded": total["recorded"],
        "missing_attendance": [
            {"id": row["id"], "title": row["title"], "starts_at": row["starts_at"].isoformat()}
            for row in counted.get("missing", [])
        ],
        "fill_rate_pct": percent(total["seats"], total["capacity"]),
        "show_rate_pct": percent(total["checked_in"], total["registered"]),
        "by_theme": by("theme"),
        "by_kind": by("kind"),
        "by_partner": by("partner"),
        "by_language": by("language"),
        "by_audience": by("audience"),
        "participants_by_theme": by("theme", "participants"),
        "participants_by_kind": by("kind", "participants"),
        "participants_by_partner": by("partner", "participants"),
        "participants_by_language": by("language", "participants"),
        "outreach": {"count": outreach["activities"], "people": outreach["participants"]},
    }


# --- the multimedia and documentary space ---------------------------------------------------------


def multimedia(periods: Sequence[Period]) -> list[Multimedia]:
    """For each period, entries into the multimedia space, its average occupancy by hour (over every
    count made in that hour), digital help by topic (with its average length; None without help). A
    closed period's counts are kept (ressources.selectors.space_counts); one statement for each other."""
    return [
        {
            "entries": counts.entries,
            "occupancy_by_hour": {
                str(hour): mean(people, sweeps, 1)
                for hour, (people, sweeps) in sorted(counts.occupancy.items())
            },
            "help_by_topic": {
                row.topic.code: {"count": row.count, "minutes_mean": mean(row.minutes, row.count)}
                for row in help_figures(counts.help)
            },
        }
        for counts in space_counts(spans=_spans(periods))
    ]


# --- questionnaires ------------------------------------------------------------------------------


def questionnaires(periods: Sequence[Period]) -> list[Questionnaires]:
    """For each period, the anonymous questionnaires: how many, the profile of those who answered, and
    satisfaction (percentages of those who answered each question). One statement."""
    return [_questionnaires(results) for results in questionnaire_results(spans=_spans(periods))]


def _questionnaires(results: dict) -> Questionnaires:
    def answered(name: str) -> dict:
        return {
            ("" if key is None else str(key)): count
            for key, count in results[name].items()
            if key not in ("", None)
        }

    satisfaction = answered("satisfaction")
    recommend = answered("would_recommend")
    found = answered("found")
    first = answered("first_visit")
    return {
        "answers": results["answers"],
        "satisfied_pct": percent(
            satisfaction.get("3", 0) + satisfaction.get("4", 0), sum(satisfaction.values())
        ),
        "would_recommend_pct": percent(recommend.get("True", 0), sum(recommend.values())),
        "found_pct": percent(found.get("yes", 0), sum(found.values())),
        "first_visit_pct": percent(first.get("True", 0), sum(first.values())),
        "profile": {
            name: answered(name)
            for name in ("status", "education_level", "residence", "heard_of", "gender", "age_band")
            if name in results
        },
        "satisfaction": satisfaction,
    }


# --- the team, and what the app cannot see --------------------------------------------------------


def team(periods: Sequence[Period]) -> list[Team]:
    """For each period, staff accounts active at its end, by role group (a person with two roles counts
    in each of their groups once). One statement."""
    found: list[Team] = []
    for roles in staff_by_role(days=[period.end for period in periods]):
        count = {group: sum(roles.get(role, 0) for role in members) for group, members in TEAM.items()}
        found.append(
            {
                "back_office": count["back_office"],
                "advisers": count["advisers"],
                "reception_and_stewards": count["reception_and_stewards"],
            }
        )
    return found


ONLINE_FIELDS = ("facebook_followers", "twitter_followers", "web_page_views")
# Followers are counted at a moment (the end of the period); page views add up over its months.
STOCKS = ("facebook_followers", "twitter_followers")


def _whole_months(period: Period) -> list[tuple[int, int]] | None:
    """The (year, month) of a period made of whole calendar months; None for any other period."""
    if period.start.day != 1 or (period.end + timedelta(days=1)).day != 1:
        return None
    months, day = [], period.start
    while day <= period.end:
        months.append((day.year, day.month))
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return months


def online(periods: Sequence[Period], *, emails_answered: Sequence[int]) -> list[Online]:
    """For each period, what the app cannot see, as the director entered it: for a calendar year, its
    yearly figures (or the sum of its twelve months); for a period of whole months, page views summed
    over its months and followers at the end of its last month; None where a month is missing or for a
    period that is not made of whole months. E-mail questions answered come from the reception log (one
    count per period). One statement for every period (the months and the years entered)."""
    wanted = [_whole_months(period) or [] for period in periods]
    years = sorted({year for months in wanted for year, _month in months})
    entered: dict[tuple[int, int], dict] = {}  # (year, month): figures; month 0: the yearly figures
    if years:
        monthly = OnlineMonth.objects.filter(year__in=years).values_list("year", "month", *ONLINE_FIELDS)
        yearly = (
            OnlineFigures.objects.filter(year__in=years)
            .annotate(month=Value(0))
            .values_list("year", "month", *ONLINE_FIELDS)
        )
        for year, month, *values in monthly.order_by().union(yearly.order_by(), all=True):
            entered[(year, month)] = dict(zip(ONLINE_FIELDS, values, strict=True))
    found: list[Online] = []
    for months, emails in zip(wanted, emails_answered, strict=True):
        entered_figures = _online(months, entered)
        found.append(
            {
                "facebook_followers": entered_figures["facebook_followers"],
                "twitter_followers": entered_figures["twitter_followers"],
                "web_page_views": entered_figures["web_page_views"],
                "emails_answered": emails,
            }
        )
    return found


def _online(months: list[tuple[int, int]], entered: dict[tuple[int, int], dict]) -> dict:
    figures: dict = dict.fromkeys(ONLINE_FIELDS)
    if not months:
        return figures
    rows = [entered.get(key) for key in months]
    last = rows[-1]
    for name in ONLINE_FIELDS:
        if name in STOCKS:
            figures[name] = last[name] if last else None
        else:
            values = [row[name] if row else None for row in rows]
            if None not in values:
                figures[name] = sum(values)
    yearly = entered.get((months[0][0], 0))
    if len(months) == 12 and months[0][1] == 1 and yearly:
        figures |= {name: yearly[name] for name in ONLINE_FIELDS if yearly[name] is not None}
    return figures


# --- the whole report ----------------------------------------------------------------------------


def reports(
    periods: Sequence[Period], *, scope: Scope | None = None, queue_breakdowns: Sequence[bool] | None = None
) -> list[Figures]:
    """Every indicator of each period for a scope (the whole centre by default), each table read once
    for all the periods (a period and the days it is compared with: one statement where there were two).
    For an institution: its advice and its activities only. Where `queue_breakdowns` is False, the
    queue's by_theme, by_language, by_hour and by_weekday of that period are left empty (a period shown
    only as a comparison). The shape of the figures: stats.figures.Figures."""
    scope = scope or Scope()
    with kept_together(_spans(periods)):  # every kept figure of these periods: one statement
        advised = advice(periods, scope=scope, queue_breakdowns=queue_breakdowns)
        held = activities(periods, scope=scope)
        space = multimedia(periods) if scope.centre else []
    found: list[Figures] = [
        {
            "period": {"start": period.start.isoformat(), "end": period.end.isoformat(), "slug": period.slug},
            "advice": figures,
            "gender": gender(figures),
            "activities": activity,
        }
        for period, figures, activity in zip(periods, advised, held, strict=True)
    ]
    if not scope.centre:
        return found
    contacted = contacts(periods, activities=held, advice=advised, multimedia=space)
    emails = [figures["remote_by_channel"].get("email", 0) for figures in contacted]
    for figures, *sections in zip(
        found,
        space,
        contacted,
        questionnaires(periods),
        online(periods, emails_answered=emails),
        team(periods),
        strict=True,
    ):
        figures["multimedia"], figures["contacts"], figures["questionnaires"] = sections[:3]
        figures["online"], figures["team"] = sections[3:]
    return found


def report(period: Period, *, scope: Scope | None = None, queue_breakdowns: bool = True) -> Figures:
    """Every indicator of one period for a scope: see reports()."""
    [figures] = reports([period], scope=scope, queue_breakdowns=[queue_breakdowns])
    return figures


def theme_by_month(period: Period, *, theme: str, scope: Scope | None = None) -> list[dict]:
    """The drill-down of one theme: by month (local), on-site visits, advice sessions, activities held and
    their participants (recorded ones), within the scope (an institution sees no visits)."""
    scope = scope or Scope()
    since, until = period.since, period.until
    months: dict[str, dict] = defaultdict(
        lambda: {"visits": 0, "sessions": 0, "activities": 0, "participants": 0}
    )
    if scope.centre:
        for row in visit_sums(start=since, end=until, by=["theme", "month"], channels=ON_SITE_CHANNELS):
            if row["theme"] == theme:
                months[row["month"].strftime("%Y-%m")]["visits"] += row["people"]
    for row in consultation_sums(_consultations(scope), start=since, end=until, by=["theme", "month"]):
        if row["theme"] == theme:
            months[row["month"].strftime("%Y-%m")]["sessions"] += row["sessions"]
    for row in _held([period], scope)[0]:
        if row["theme_id"] == theme and row["kind"] != Kind.OUTREACH:
            month = row["day"].strftime("%Y-%m")
            months[month]["activities"] += 1
            months[month]["participants"] += row["participants"] or 0
    return [{"month": month, **values} for month, values in sorted(months.items())]
