"""The published indicators: one function per section of the report, each reading the owning app's
selectors for a Period (local days, Europe/Brussels). Values are plain numbers, codes and lists, so that
the same dictionary feeds the dashboard, the printable report, the PDF, the workbook and the JSON export.
Every figure is counted from the rows; none is stored. Definitions: stats/definitions.py."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet
from django.utils import timezone

from accueil.models import Orientation
from accueil.selectors import ticket_times, visit_sums
from activites.models import Kind
from activites.selectors import activity_rows
from citedesmetiers.models import Partner
from citedesmetiers.roles import Role
from citedesmetiers.selectors import staff_by_role
from conseil.models import Consultation
from conseil.selectors import consultation_sums, consultations_visible_to, questionnaire_results
from ressources.selectors import entries_total, help_by_topic, occupancy_by_weekday_hour
from stats.models import OnlineFigures
from stats.periods import Period

REMOTE_CHANNELS = ("email", "phone")
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
    consultations: QuerySet | None = None

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


def percent(part: int, whole: int) -> float | None:
    """part / whole in percent with one decimal, half up (53.25 → 53.3); None when whole is 0."""
    if not whole:
        return None
    return float((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _by(rows: list[dict], key: str, value: str) -> dict:
    return {("" if row[key] is None else str(row[key])): row[value] for row in rows}


def _months(rows: list[dict], value: str) -> dict[str, int]:
    return {row["month"].strftime("%Y-%m"): row[value] for row in rows}


# --- contacts ------------------------------------------------------------------------------------


def contacts(period: Period, *, activities: dict, advice: dict, multimedia: dict) -> dict:
    """People in contact (on-site visits + activity participants who came straight to an activity) and
    the services delivered by mode, with the rhythm of the visits by month, weekday and hour."""
    since, until = period.since, period.until
    oriented = _by(
        visit_sums(start=since, end=until, by=["orientation"], channels=["on_site"]), "orientation", "people"
    )
    remote = _by(
        visit_sums(start=since, end=until, by=["channel"], channels=REMOTE_CHANNELS), "channel", "people"
    )
    on_site = sum(oriented.values())  # every on-site visit is directed somewhere
    direct = max(0, (activities["participants"] or 0) - oriented.get(Orientation.ACTIVITY, 0))
    by_mode = {
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
        "by_orientation": oriented,
        "remote_by_channel": remote,
        "services_total": sum(by_mode.values()),
        "services_by_mode": by_mode,
        "by_theme": _by(
            visit_sums(start=since, end=until, by=["theme"], channels=["on_site"]), "theme", "people"
        ),
        "by_month": _months(visit_sums(start=since, end=until, by=["month"], channels=["on_site"]), "people"),
        "by_weekday": _by(
            visit_sums(start=since, end=until, by=["weekday"], channels=["on_site"]), "weekday", "people"
        ),
        "by_hour": _by(
            visit_sums(start=since, end=until, by=["hour"], channels=["on_site"]), "hour", "people"
        ),
    }


# --- individual advice ---------------------------------------------------------------------------


def _consultations(scope: Scope) -> QuerySet:
    if scope.consultations is not None:
        return scope.consultations
    return Consultation.objects.all() if scope.centre else Consultation.objects.filter(partner=scope.partner)


def advice(period: Period, *, scope: Scope) -> dict:
    """Individual advice sessions and their minutes, by theme, topic, institution, language, mode,
    gender and age (fine bands and the published groups); the queue's waiting and service times."""
    base = _consultations(scope)
    since, until = period.since, period.until

    def sums(by: str) -> dict:
        return _by(consultation_sums(base, start=since, end=until, by=[by]), by, "sessions")

    totals = consultation_sums(base, start=since, end=until)[0]
    by_age_band = sums("age_band")
    by_gender = sums("gender")
    figures = {
        "sessions": totals["sessions"],
        "minutes_mean": round(totals["minutes"] / totals["sessions"]) if totals["sessions"] else None,
        "by_theme": sums("theme"),
        "by_topic": sums("topic"),
        "by_partner": sums("partner"),
        "by_language": sums("language"),
        "by_mode": sums("mode"),
        "by_gender": by_gender,
        "by_age_band": by_age_band,
        "by_age_group": {
            group: sum(by_age_band.get(band, 0) for band in bands) for group, bands in AGE_GROUPS.items()
        },
        "by_month": _months(consultation_sums(base, start=since, end=until, by=["month"]), "sessions"),
    }
    figures["by_age_group"]["unknown"] = by_age_band.get("", 0)
    if scope.centre:  # the queue is the centre's own, not an institution's
        queue = ticket_times(start=period.start, end=period.end)
        queue = queue[0] if queue else {}
        figures["queue"] = {
            "tickets": queue.get("tickets", 0),
            "served": queue.get("served", 0),
            "walked_away": queue.get("walked_away", 0),
            "waiting_mean_minutes": _minutes(queue.get("waiting_mean")),
            "waiting_median_minutes": _minutes(queue.get("waiting_median")),
            "service_mean_minutes": _minutes(queue.get("service_mean")),
            "service_median_minutes": _minutes(queue.get("service_median")),
        }
    return figures


def _minutes(duration) -> float | None:
    return None if duration is None else round(duration.total_seconds() / 60, 1)


def gender(advice_figures: dict) -> dict:
    """The women / men split of the advice sessions whose gender was recorded as woman or man."""
    women = advice_figures["by_gender"].get("woman", 0)
    men = advice_figures["by_gender"].get("man", 0)
    return {
        "women": women,
        "men": men,
        "women_pct": percent(women, women + men),
        "men_pct": percent(men, women + men),
        "other_or_unknown": advice_figures["sessions"] - women - men,
    }


# --- collective activities -----------------------------------------------------------------------


def _held(period: Period, scope: Scope) -> list[dict]:
    # Activities still to come are not held yet: they count once they have ended.
    return activity_rows(start=period.start, end=period.end, ended_by=timezone.now(), partner=scope.partner)


def activities(period: Period, *, scope: Scope) -> dict:
    """Activities held (ended, not cancelled) and their participants, by theme, type, language, organiser
    and audience; fill and show rates; those whose attendance was never recorded are listed, never 0.
    Outreach outings (fairs, events, the Formtruck) are counted apart."""
    held = _held(period, scope)
    regular = [row for row in held if row["kind"] != Kind.OUTREACH]
    outreach = [row for row in held if row["kind"] == Kind.OUTREACH]
    counts: dict[str, Counter] = defaultdict(Counter)
    people: dict[str, Counter] = defaultdict(Counter)
    seats = capacity = checked_in = registered_recorded = 0
    for row in regular:
        participants = row["participants"] or 0
        groups = {
            "theme": [row["theme_id"]],
            "kind": [row["kind"]],
            "partner": [str(row["partner_id"])],
            "language": row["languages"],
            "audience": row["audiences"] or ["everyone"],
        }
        for name, keys in groups.items():
            for key in keys:
                counts[name][key] += 1
                people[name][key] += participants
        if row["capacity"]:
            seats += row["registered"]
            capacity += row["capacity"]
        if row["recorded"]:
            checked_in += row["checked_in"]
            registered_recorded += row["registered"]
    recorded = [row["participants"] for row in regular if row["recorded"]]
    return {
        "count": len(regular),
        "participants": sum(recorded),
        "recorded": len(recorded),
        "missing_attendance": [
            {"id": row["pk"], "title": row["title"], "starts_at": row["starts_at"].isoformat()}
            for row in regular
            if not row["recorded"]
        ],
        "fill_rate_pct": percent(seats, capacity),
        "show_rate_pct": percent(checked_in, registered_recorded),
        **{f"by_{name}": dict(counts[name]) for name in ("theme", "kind", "partner", "language", "audience")},
        **{
            f"participants_by_{name}": dict(people[name]) for name in ("theme", "kind", "partner", "language")
        },
        "outreach": {"count": len(outreach), "people": sum(row["participants"] or 0 for row in outreach)},
    }


# --- the multimedia and documentary space ---------------------------------------------------------


def multimedia(period: Period) -> dict:
    """Entries into the multimedia space, its average occupancy by hour, digital help by topic."""
    occupancy = occupancy_by_weekday_hour(start=period.since, end=period.until)
    by_hour: dict[int, list] = defaultdict(list)
    for (_weekday, hour), slot in occupancy.items():
        by_hour[hour].append(slot)
    return {
        "entries": entries_total(start=period.since, end=period.until),
        "occupancy_by_hour": {
            str(hour): round(sum(slot.devices + slot.documentary for slot in slots) / len(slots), 1)
            for hour, slots in sorted(by_hour.items())
        },
        "help_by_topic": {
            row.topic.code: {"count": row.count, "minutes_mean": row.average_minutes}
            for row in help_by_topic(start=period.since, end=period.until)
        },
    }


# --- questionnaires ------------------------------------------------------------------------------


def questionnaires(period: Period) -> dict:
    """The anonymous questionnaires: how many, the profile of those who answered, and satisfaction
    (percentages of those who answered each question)."""
    results = questionnaire_results(start=period.start, end=period.end)

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


def team(period: Period) -> dict:
    """Staff accounts active at the end of the period, by role group (a person with two roles counts in
    each of their groups once)."""
    roles = staff_by_role(on=period.end)
    return {group: sum(roles.get(role, 0) for role in members) for group, members in TEAM.items()}


def online(period: Period, *, emails_answered: int) -> dict:
    """Followers and page views entered for the period's first year; e-mail questions answered, from the
    reception log (the contacts through the info mailbox, counted with the contacts)."""
    entered = OnlineFigures.objects.filter(year=period.start.year).first()
    return {
        "facebook_followers": entered.facebook_followers if entered else None,
        "twitter_followers": entered.twitter_followers if entered else None,
        "web_page_views": entered.web_page_views if entered else None,
        "emails_answered": emails_answered,
    }


# --- the whole report ----------------------------------------------------------------------------


def report(period: Period, *, scope: Scope | None = None) -> dict:
    """Every indicator of a period for a scope (the whole centre by default). For an institution: its
    advice and its activities only."""
    scope = scope or Scope()
    figures = {
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat(), "slug": period.slug}
    }
    figures["advice"] = advice(period, scope=scope)
    figures["gender"] = gender(figures["advice"])
    figures["activities"] = activities(period, scope=scope)
    if scope.centre:
        figures["multimedia"] = multimedia(period)
        figures["contacts"] = contacts(
            period,
            activities=figures["activities"],
            advice=figures["advice"],
            multimedia=figures["multimedia"],
        )
        figures["questionnaires"] = questionnaires(period)
        figures["online"] = online(
            period, emails_answered=figures["contacts"]["remote_by_channel"].get("email", 0)
        )
        figures["team"] = team(period)
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
        for row in visit_sums(start=since, end=until, by=["theme", "month"], channels=["on_site"]):
            if row["theme"] == theme:
                months[row["month"].strftime("%Y-%m")]["visits"] += row["people"]
    for row in consultation_sums(_consultations(scope), start=since, end=until, by=["theme", "month"]):
        if row["theme"] == theme:
            months[row["month"].strftime("%Y-%m")]["sessions"] += row["sessions"]
    for row in _held(period, scope):
        if row["theme_id"] == theme and row["kind"] != Kind.OUTREACH:
            month = timezone.localtime(row["starts_at"]).strftime("%Y-%m")
            months[month]["activities"] += 1
            months[month]["participants"] += row["participants"] or 0
    return [{"month": month, **values} for month, values in sorted(months.items())]
