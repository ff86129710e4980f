"""The anonymous end-of-service questionnaire: codes, one answer each, three languages, the tablet."""

import html
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from citedesmetiers.models import Partner
from citedesmetiers.roles import Role
from conseil import selectors, services
from conseil.models import QuestionnaireAnswer, QuestionnaireCode
from tests.factories import consultation

pytestmark = pytest.mark.django_db

ANSWER = {
    "satisfaction": "4",
    "found": "yes",
    "would_recommend": "yes",
    "first_visit": "no",
    "frequency": "monthly",
    "heard_of": "school",
    "gender": "woman",
    "age_band": "18-24",
}


def test_codes_are_short_unambiguous_and_unique():
    codes = {services.questionnaire_code_create(service="advice").code for _ in range(50)}
    assert len(codes) == 50
    for code in codes:
        assert len(code) == 8
        assert not set(code) & set("01OIL")


def test_a_member_of_staff_shows_a_qr_code_and_a_short_link(client, login):
    user = login(Role.RECEPTION_AGENT)
    page = client.get(reverse("conseil:questionnaire_show")).content.decode()
    assert 'value="reception" required id="id_service_3" checked' in page
    response = client.post(reverse("conseil:questionnaire_show"), {"service": "multimedia"})
    assert response.status_code == 200
    code = QuestionnaireCode.objects.get()
    assert (code.service, code.created_by, code.partner) == ("multimedia", user, None)
    page = response.content.decode()
    assert "<svg" in page
    assert 'class="qr"' in page
    assert f"https://testserver/q/{code.code}/" in page
    assert code.display in page


def test_the_code_of_a_consultation_carries_its_institution_and_theme_only(client, login):
    mine = consultation()
    login(Role.ADVISER)
    client.post(reverse("conseil:questionnaire_show"), {"service": "advice", "consultation": mine.pk})
    code = QuestionnaireCode.objects.get()
    assert (code.partner.code, code.theme_id, code.service) == ("actiris", "travailler", "advice")


def test_the_code_of_another_institutions_consultation_is_refused(client, login):
    other = consultation(adviser=login(Role.ADVISER, partner=Partner.objects.get(code="vdab-brussel")))
    login(Role.ADVISER)
    response = client.post(
        reverse("conseil:questionnaire_show"), {"service": "advice", "consultation": other.pk}
    )
    assert response.status_code == 404
    assert not QuestionnaireCode.objects.exists()


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.ADMINISTRATOR])
def test_roles_that_serve_nobody_do_not_make_codes(client, login, role):
    login(role)
    assert client.get(reverse("conseil:questionnaire_show")).status_code == 403
    assert client.post(reverse("conseil:questionnaire_show"), {"service": "advice"}).status_code == 403


def test_a_bad_service_gets_a_message(client, login):
    login(Role.RECEPTION_AGENT)
    response = client.post(reverse("conseil:questionnaire_show"), {"service": "nonsense"})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide." in response.content.decode()
    assert not QuestionnaireCode.objects.exists()


@pytest.mark.parametrize(
    ("accept", "prefix", "title"),
    [
        ("fr-BE,fr;q=0.9", "/fr/", "Comment cela s'est-il passé ?"),
        ("nl-BE,nl;q=0.9", "/nl/", "Hoe is het verlopen?"),
        ("en-GB,en;q=0.9", "/en/", "How did it go?"),
    ],
)
def test_the_short_link_opens_the_questionnaire_in_the_browsers_language(client, accept, prefix, title):
    code = services.questionnaire_code_create(service="advice")
    typed = code.display.lower()  # as read aloud: lower case, with its dash
    response = client.get(f"/q/{typed}/", headers={"accept-language": accept})
    assert response.status_code == 302
    assert response.url.startswith(prefix)
    assert response.url.endswith(f"/{code.code}/")
    page = html.unescape(client.get(response.url, headers={"accept-language": accept}).content.decode())
    assert f"<h1>{title}</h1>" in page
    assert f'<html lang="{prefix.strip("/")}"' in page


def test_an_answer_is_anonymous_and_counted_once(client):
    code = services.questionnaire_code_create(service="advice")
    path = reverse("conseil:questionnaire", args=[code.code])
    assert 'name="service"' not in client.get(path).content.decode(), "the code already says which service"
    response = client.post(path, ANSWER)
    assert response.status_code == 302
    assert response.url == reverse("conseil:questionnaire_thanks")
    answer = QuestionnaireAnswer.objects.get()
    assert (answer.service, answer.satisfaction, answer.found, answer.would_recommend) == (
        "advice",
        4,
        "yes",
        True,
    )
    assert (answer.first_visit, answer.frequency, answer.gender_id, answer.language) == (
        False,
        "monthly",
        "woman",
        "fr",
    )
    again = client.post(path, {**ANSWER, "satisfaction": "1"})
    assert again.status_code == 200
    assert "déjà été rempli" in again.content.decode()
    assert QuestionnaireAnswer.objects.get().satisfaction == 4
    with pytest.raises(ValidationError):
        services.questionnaire_answer(code=code.code, language="fr", satisfaction=1)


def test_every_question_is_optional(client):
    code = services.questionnaire_code_create(service="activity")
    client.post(reverse("conseil:questionnaire", args=[code.code]), {})
    answer = QuestionnaireAnswer.objects.get()
    assert (answer.service, answer.satisfaction, answer.gender_id, answer.found) == (
        "activity",
        None,
        None,
        "",
    )


def test_bad_answers_get_a_message_not_an_error(client):
    code = services.questionnaire_code_create(service="advice")
    response = client.post(reverse("conseil:questionnaire", args=[code.code]), {"satisfaction": "9"})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide." in response.content.decode()
    assert not QuestionnaireAnswer.objects.exists()


def test_an_expired_or_unknown_code_says_so(client):
    old = services.questionnaire_code_create(service="advice", now=timezone.now() - timedelta(days=8))
    for code in (old.code, "ZZZZZZZZ"):
        response = client.get(reverse("conseil:questionnaire", args=[code]))
        assert response.status_code == 404
        assert "plus valable" in response.content.decode()
    assert client.post(reverse("conseil:questionnaire", args=[old.code]), ANSWER).status_code == 404
    assert not QuestionnaireAnswer.objects.exists()


def test_the_exit_tablet_starts_a_fresh_questionnaire_for_each_person(client, settings):
    settings.QUESTIONNAIRE_KIOSK_NETWORKS = ["10.20.0.0/16"]
    tablet = {"REMOTE_ADDR": "10.20.3.4"}
    assert "Commencer" in client.get(reverse("conseil:questionnaire_kiosk"), **tablet).content.decode()
    start = client.post(reverse("conseil:questionnaire_kiosk"), **tablet)
    assert start.status_code == 302
    assert start.url.endswith("?kiosk=1")
    form = client.get(start.url, **tablet).content.decode()
    assert 'name="service"' in form, "a tablet's code does not know the service: the person says"
    done = client.post(start.url, {**ANSWER, "service": "multimedia", "kiosk": "1"}, **tablet)
    assert done.url == f"{reverse('conseil:questionnaire_thanks')}?kiosk=1"
    thanks = client.get(done.url, **tablet).content.decode()
    assert f'content="15; url={reverse("conseil:questionnaire_kiosk")}"' in thanks
    assert QuestionnaireAnswer.objects.get().service == "multimedia"
    second = client.post(reverse("conseil:questionnaire_kiosk"), **tablet)
    assert second.url != start.url


def test_the_tablet_page_works_on_the_centres_network_only(client, settings):
    settings.QUESTIONNAIRE_KIOSK_NETWORKS = ["10.20.0.0/16"]
    outside = {"REMOTE_ADDR": "198.51.100.7"}
    assert client.get(reverse("conseil:questionnaire_kiosk"), **outside).status_code == 403
    assert client.post(reverse("conseil:questionnaire_kiosk"), **outside).status_code == 403
    assert not QuestionnaireCode.objects.exists()


def test_results_count_each_answer_by_question(client):
    for satisfaction, service in [("4", "advice"), ("4", "advice"), ("2", "multimedia")]:
        code = services.questionnaire_code_create(service=service)
        client.post(reverse("conseil:questionnaire", args=[code.code]), {"satisfaction": satisfaction})
    today = timezone.localdate()
    results = selectors.questionnaire_results(spans=[(today, today)])[0]
    assert results["answers"] == 3
    assert results["satisfaction"] == {4: 2, 2: 1}
    assert results["found"] == {"": 3}
    advice = selectors.questionnaire_results(spans=[(today, today)], service="advice")[0]
    assert (advice["answers"], advice["satisfaction"]) == (2, {4: 2})
    yesterday = today - timedelta(days=1)
    assert selectors.questionnaire_results(spans=[(yesterday, yesterday)])[0]["answers"] == 0


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_the_questionnaire_and_its_thanks_in_each_language(client, language):
    code = services.questionnaire_code_create(service="advice")
    with translation.override(language):
        path = reverse("conseil:questionnaire", args=[code.code])
        thanks = reverse("conseil:questionnaire_thanks")
    page = client.get(path).content.decode()
    assert f'<html lang="{language}"' in page
    client.post(path, {"satisfaction": "3"})
    assert QuestionnaireAnswer.objects.get().language == language
    assert client.get(thanks).status_code == 200
