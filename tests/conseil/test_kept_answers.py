"""The questionnaires' results of closed days, kept whole (conseil.selectors.questionnaire_results,
KEPT_ANSWERS): read without counting once counted, the answers' own values kept (None, True, 4, "yes"),
and never different from a recount — after an answer written afterwards for a closed day, a correction
and a deletion; today's answers leave them alone; a span not over is always counted."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from citedesmetiers.models import FiguresGeneration, KeptFigures
from conseil import selectors, services
from conseil.models import QuestionnaireAnswer

pytestmark = pytest.mark.django_db


def generation() -> int:
    return FiguresGeneration.objects.get(kind="answers").value


def at(days_ago: int, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=days_ago), time(hour)))


def span():
    return (timezone.localdate() - timedelta(days=6), timezone.localdate() - timedelta(days=1))


def answer(when: datetime, service: str = "advice", **fields) -> QuestionnaireAnswer:
    code = services.questionnaire_code_create(service=service)
    return QuestionnaireAnswer.objects.create(
        code=code, answered_at=when, language="fr", service=service, **fields
    )


@pytest.fixture
def answered():
    answer(at(3, 10), satisfaction=4, would_recommend=True, found="yes")
    answer(at(2, 11), satisfaction=2, first_visit=False)
    answer(at(2, 15), service="multimedia", satisfaction=3, would_recommend=None)


def assert_as_recounted(service: str = "") -> dict:
    [found] = selectors.questionnaire_results(spans=[span()], service=service or None)
    assert found == selectors._answers_counted(*span(), None, service)[0]
    assert KeptFigures.objects.get(kind="answers", sets=service).generation == generation()
    return found


def test_a_closed_span_is_counted_once_then_read_without_counting(answered, django_assert_num_queries):
    counted = assert_as_recounted()
    assert counted["answers"] == 3
    assert counted["satisfaction"] == {4: 1, 2: 1, 3: 1}
    assert counted["would_recommend"] == {True: 1, None: 2}
    assert counted["found"] == {"yes": 1, "": 2}
    assert assert_as_recounted("advice")["answers"] == 2
    with django_assert_num_queries(1):
        assert selectors.questionnaire_results(spans=[span()]) == [counted]


def test_every_change_to_a_closed_day_is_counted_again(answered):
    assert_as_recounted()
    assert_as_recounted("advice")
    changes = [
        ("an answer of a closed day written afterwards", lambda: answer(at(4, 9), satisfaction=1)),
        ("a correction", lambda: QuestionnaireAnswer.objects.filter(satisfaction=2).update(satisfaction=3)),
        ("a deletion", lambda: QuestionnaireAnswer.objects.filter(service="multimedia").delete()),
    ]
    for label, change in changes:
        before = generation()
        change()
        assert generation() > before, label
        assert_as_recounted()
        assert_as_recounted("advice")
    assert assert_as_recounted()["satisfaction"] == {4: 1, 3: 1, 1: 1}


def test_todays_answers_leave_the_kept_figures_alone(answered):
    assert_as_recounted()
    before = generation()
    answer(timezone.now(), satisfaction=4)
    assert generation() == before


def test_a_span_not_over_is_always_counted_and_an_empty_one_is_kept(answered, django_assert_num_queries):
    answer(timezone.now(), satisfaction=4)
    today = timezone.localdate()
    with django_assert_num_queries(1):
        [found] = selectors.questionnaire_results(spans=[(today - timedelta(days=3), today)])
    assert found["answers"] == 3 + 1
    assert not KeptFigures.objects.filter(kind="answers").exists()
    empty = (today - timedelta(days=30), today - timedelta(days=20))
    assert selectors.questionnaire_results(spans=[empty])[0]["answers"] == 0
    assert KeptFigures.objects.filter(kind="answers").count() == 1
