"""The daily summaries (citedesmetiers.summaries) change no figure: before and after summarising, after a
back-dated entry, a correction, a move to another day, an undo, a cancellation and topics ticked
afterwards, the breakdowns the figures read equal a recount of the rows (the ORM's own grouped sums), and
the summaries equal a recount of their days (`--verify`)."""

import io
from datetime import datetime, time, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.utils import timezone

from accueil import services as accueil_services
from accueil.models import Visit, VisitDay
from accueil.selectors import VISIT_DAYS, visit_breakdowns, visit_sums
from citedesmetiers import summaries
from citedesmetiers.dates import day_bounds
from citedesmetiers.models import Partner
from citedesmetiers.operations.scheduler import jobs
from citedesmetiers.roles import Role
from conseil import services as conseil_services
from conseil.models import Consultation, ConsultationDay, Topic
from conseil.selectors import CONSULTATION_DAYS, EVERY_INSTITUTION, consultation_breakdowns, consultation_sums
from tests.factories import consultation, staff, visit

pytestmark = pytest.mark.django_db

VISIT_NAMES = ["theme", "orientation", "language", "month", "weekday", "hour"]
ADVICE_NAMES = ["theme", "language", "mode", "gender", "age_band", "status", "month", "topic"]


def at(days_ago: int, hour: int = 10) -> datetime:
    """A time `days_ago` local days ago; today: now (whatever the hour, never in the future)."""
    if days_ago == 0:
        return timezone.now()
    return timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=days_ago), time(hour)))


def _value(value):
    return value.date() if isinstance(value, datetime) else value


def assert_exact() -> None:
    """Every breakdown of the last ten days equals the rows' recount, and every summary its day's."""
    start, end = timezone.localdate() - timedelta(days=10), timezone.localdate()
    since, until = day_bounds(start)[0], day_bounds(end)[1]
    [found] = visit_breakdowns(spans=[(start, end)], by=VISIT_NAMES)
    for name in VISIT_NAMES:
        recounted = visit_sums(start=since, end=until, by=["channel", name])
        expected = {(row["channel"], _value(row[name]), row["people"]) for row in recounted}
        assert {(row["channel"], row[name], row["people"]) for row in found[name]} == expected, name
    everyone = Consultation.objects.all()
    [advice] = consultation_breakdowns(everyone, spans=[(start, end)], by=ADVICE_NAMES, per_partner=True)
    for name in ADVICE_NAMES:
        recounted = consultation_sums(everyone, start=since, end=until, by=["partner", name])
        expected = {(row["partner"], _value(row[name]), row["sessions"], row["minutes"]) for row in recounted}
        assert {
            (partner, code, counted["sessions"], counted["minutes"])
            for partner, figures in advice.items()
            for code, counted in figures[name].items()
        } == expected, name
    # The centre's figures, read from the rows of every institution together.
    [together] = consultation_breakdowns(everyone, spans=[(start, end)], by=ADVICE_NAMES)
    for name in ADVICE_NAMES:
        recounted = consultation_sums(everyone, start=since, end=until, by=[name])
        assert {
            (code, counted["sessions"], counted["minutes"]) for code, counted in together[name].items()
        } == {(_value(row[name]), row["sessions"], row["minutes"]) for row in recounted}, name
    for partner in Consultation.objects.values_list("partner_id", flat=True).distinct():
        wall = Consultation.objects.filter(partner_id=partner)  # an institution's, as its lead sees them
        [own] = consultation_breakdowns(wall, spans=[(start, end)], by=["theme", "topic"])
        for name in ("theme", "topic"):
            recounted = consultation_sums(wall, start=since, end=until, by=[name])
            assert {code: counted["sessions"] for code, counted in own[name].items()} == {
                row[name]: row["sessions"] for row in recounted
            }
    for summary in summaries.registered():
        assert summary.differing() == []


@pytest.fixture
def centre():
    """Visits and consultations on three past days and today, summarised up to yesterday."""
    agent, adviser = staff(Role.RECEPTION_AGENT), staff(Role.ADVISER)
    other = staff(
        Role.ADVISER, partner=Partner.objects.exclude(code="actiris").filter(themes="travailler")[0]
    )
    for days_ago in (4, 2, 1, 0):
        visit(user=agent, occurred_at=at(days_ago), orientation="documentary", theme="apprendre")
        visit(user=agent, occurred_at=at(days_ago, 15), orientation="information", theme=None, count=3)
        consultation(adviser=adviser, occurred_at=at(days_ago, 11), gender="woman")
    consultation(adviser=other, occurred_at=at(2, 16), topics=())  # another institution's, without topic
    assert_exact()
    for summary in summaries.registered():
        summary.summarise()
    return {"agent": agent, "adviser": adviser}


def summarised(model) -> set:
    return set(model.objects.filter(grouping="").values_list("day", flat=True))


def test_closed_days_are_summarised_and_today_is_read_from_its_rows(centre):
    today = timezone.localdate()
    first = today - timedelta(days=4)
    days = {first + timedelta(days=n) for n in range(4)}  # the day without any entry (3 days ago) too
    assert summarised(VisitDay) == summarised(ConsultationDay) == days
    assert VISIT_DAYS.missing(before=today) == []
    assert_exact()
    assert VISIT_DAYS.summarise() == CONSULTATION_DAYS.summarise() == 0  # again: nothing to do


def test_today_at_the_desk_leaves_the_summaries_alone(centre):
    rows = VisitDay.objects.count()
    visit(user=centre["agent"], orientation="advice", theme="travailler")
    assert VisitDay.objects.count() == rows
    assert_exact()


def test_a_back_dated_entry_makes_its_day_counted_from_its_rows(centre):
    two_days_ago = timezone.localdate() - timedelta(days=2)
    visit(user=centre["agent"], occurred_at=at(2, 9), orientation="activity", theme="bouger", count=2)
    consultation(adviser=centre["adviser"], occurred_at=at(2, 14), mode="phone")
    assert two_days_ago not in summarised(VisitDay) | summarised(ConsultationDay)
    assert len(summarised(VisitDay)) == 3  # the other days keep theirs
    assert_exact()
    assert VISIT_DAYS.summarise() == CONSULTATION_DAYS.summarise() == 1
    assert_exact()


def test_corrections_moves_and_undos_of_closed_days_stay_exact(centre):
    coordinator = staff(Role.COORDINATOR)
    entries = list(Visit.objects.order_by("occurred_at"))  # two a day: 4, 2, 1 days ago and today
    accueil_services.visit_correct(visit=entries[2], user=coordinator, theme="entreprendre")
    assert_exact()
    accueil_services.visit_correct(visit=entries[4], user=coordinator, occurred_at=at(3, 12))  # another day
    assert_exact()
    accueil_services.visit_correct(visit=entries[5], user=coordinator, cancelled=True)
    assert_exact()
    assert summarised(VisitDay) == {timezone.localdate() - timedelta(days=4)}  # the three others forgotten
    for summary in summaries.registered():
        summary.summarise()
    assert_exact()


def test_corrected_cancelled_and_retopicked_sessions_of_closed_days_stay_exact(centre):
    adviser = centre["adviser"]
    sessions = list(Consultation.objects.filter(recorded_by=adviser).order_by("occurred_at"))  # 4, 2, 1, 0
    other = Topic.objects.filter(theme="travailler").exclude(pk="cv_letter").first()
    conseil_services.consultation_update(consultation=sessions[0], user=adviser, topics=[other.pk])
    assert_exact()
    conseil_services.consultation_update(consultation=sessions[1], user=adviser, cancelled=True)
    assert_exact()
    sessions[2].topics.add(other)  # any write, not only the services', forgets the day
    assert_exact()
    sessions[2].topics.clear()  # a session without a topic counts under none
    assert_exact()
    assert summarised(ConsultationDay) == {timezone.localdate() - timedelta(days=3)}  # the empty day


def test_a_summary_that_differs_from_its_rows_is_found_and_rebuilt(centre):
    with connection.cursor() as cursor:  # what a bug would leave: a count that drifted
        cursor.execute("UPDATE accueil_visitday SET people = people + 1 WHERE grouping = 'theme'")
    assert VISIT_DAYS.differing()
    with pytest.raises(CommandError, match="accueil_visitday"):
        call_command("summarise_days", "--verify", stdout=io.StringIO())
    out = io.StringIO()
    call_command("summarise_days", "--rebuild", "--verify", stdout=out)
    assert "accueil_visitday: 4 day(s) summarised; verified: 0 day(s) differ" in out.getvalue()
    assert_exact()


def test_the_centre_reads_the_rows_of_every_institution_together_which_are_verified_too(centre):
    every = ConsultationDay.objects.filter(partner=EVERY_INSTITUTION)
    assert every.exists()
    assert not every.filter(grouping="").exists()  # the day's total stays by institution
    by_institution = ConsultationDay.objects.exclude(partner=EVERY_INSTITUTION).exclude(grouping="")
    assert every.count() < by_institution.count()  # two institutions here: fewer rows already
    every.filter(grouping="theme").update(sessions=F("sessions") + 1)  # what a bug would leave
    assert CONSULTATION_DAYS.differing()
    out = io.StringIO()
    call_command("summarise_days", "--rebuild", "--verify", stdout=out)
    assert "conseil_consultationday: 4 day(s) summarised; verified: 0 day(s) differ" in out.getvalue()
    assert_exact()


def test_the_topics_table_named_in_the_summary_is_the_models():
    from conseil.selectors import _TOPICS

    assert Consultation.topics.through._meta.db_table == _TOPICS
    assert _TOPICS in CONSULTATION_DAYS.several["topic"]


def test_the_scheduler_summarises_every_ten_minutes():
    [job] = [job for job in jobs() if job.command == "summarise_days"]
    assert job.every == timedelta(minutes=10)


def test_the_breakdowns_are_one_statement_each_for_every_span(centre, django_assert_num_queries):
    today = timezone.localdate()
    spans = [(today - timedelta(days=30), today), (today - timedelta(days=395), today - timedelta(days=365))]
    with django_assert_num_queries(1):
        visit_breakdowns(spans=spans, by=VISIT_NAMES)
    with django_assert_num_queries(1):
        consultation_breakdowns(Consultation.objects.all(), spans=spans, by=ADVICE_NAMES)


def test_several_spans_count_as_each_alone_even_overlapping(centre):
    """A period and the days it is compared with are read in one statement: each span's figures are those
    it has alone, whether the spans are apart, overlap (a range longer than a year against the year
    before) or are the same; summarised days and days counted from their rows alike."""
    today = timezone.localdate()
    for model in (VisitDay, ConsultationDay):  # two days ago counted from its rows again
        model.objects.filter(day=today - timedelta(days=2)).delete()
    spans = [
        (today - timedelta(days=6), today),
        (today - timedelta(days=12), today - timedelta(days=3)),
        (today - timedelta(days=6), today),
        (today - timedelta(days=40), today - timedelta(days=30)),
    ]
    everyone = Consultation.objects.all()
    assert visit_breakdowns(spans=spans, by=VISIT_NAMES) == [
        visit_breakdowns(spans=[span], by=VISIT_NAMES)[0] for span in spans
    ]
    assert consultation_breakdowns(everyone, spans=spans, by=ADVICE_NAMES) == [
        consultation_breakdowns(everyone, spans=[span], by=ADVICE_NAMES)[0] for span in spans
    ]
    assert any(found["theme"] for found in visit_breakdowns(spans=spans[:2], by=["theme"]))


def test_only_the_walls_of_the_figures_are_counted():
    partner = staff(Role.ADVISER).partner
    today = timezone.localdate()
    own = Consultation.objects.filter(partner_id=partner.pk)
    assert consultation_breakdowns(own, spans=[(today, today)], by=["theme"]) == [
        {"": {"sessions": 0, "minutes": 0}, "theme": {}}
    ]
    assert (
        consultation_breakdowns(Consultation.objects.none(), spans=[(today, today)] * 2, by=[])
        == [{"": {"sessions": 0, "minutes": 0}}] * 2
    )
    with pytest.raises(ValueError, match="institution"):
        consultation_breakdowns(Consultation.objects.filter(mode="phone"), spans=[(today, today)], by=[])
