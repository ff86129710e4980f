"""The documentation search on the demo catalogue (about 280 resources, with the demo synonyms): the
test set of real searches (ressources.demo_catalogue.QUERIES, FR, NL and EN) must each show their
expected resources in the first five; and the behaviours behind it, one by one."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from citedesmetiers.roles import Role
from ressources import demo, selectors
from ressources.demo_catalogue import QUERIES
from ressources.models import Resource, Synonym
from tests.factories import resource, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_catalogue():
    demo.demo_catalogue_create(user=staff(Role.COORDINATOR), now=timezone.now())


def search(words, language="fr", **filters):
    with translation.override(language), selectors.text_search_plan():
        found = selectors.catalogue_search(query=words, **filters)
        return found, [resource for resource in found.resources[:20]]


def test_the_demo_catalogue_is_large_and_covers_every_theme_and_kind(demo_catalogue):
    assert Resource.objects.count() >= 250
    assert set(Resource.objects.values_list("kind", flat=True)) == {
        "brochure", "book", "guide", "website", "online_tool", "video", "document",
    }  # fmt: skip
    assert set(Resource.themes.through.objects.values_list("theme_id", flat=True)) == {
        "choisir", "apprendre", "bouger", "entreprendre", "travailler",
    }  # fmt: skip
    assert {"fr", "nl", "en"} <= set(Resource.objects.values_list("language_id", flat=True))
    paper = Resource.objects.filter(kind__in=["brochure", "book", "guide"])
    assert not paper.filter(shelf_theme__isnull=True).exists()
    assert Synonym.objects.filter(demo=True).count() == Synonym.objects.count() > 10


def test_every_search_of_the_test_set_finds_its_resources_in_the_first_five(demo_catalogue):
    assert len(QUERIES) >= 40
    misses = [(language, words, missing) for language, words, missing in demo.search_hits() if missing]
    assert misses == []  # hit rate 100 %


def test_feminine_plural_and_unaccented_forms_find_what_the_masculine_finds(demo_catalogue):
    masculine = {resource.pk for resource in search("infirmier")[1]}
    assert masculine
    for words in ("infirmière", "infirmières", "infirmiere", "INFIRMIERES"):
        assert {resource.pk for resource in search(words)[1]} == masculine, words
    for feminine, masculine_form in [
        ("vendeuse", "vendeur"),
        ("éducatrice", "éducateur"),
        ("sportive", "sportif"),
    ]:
        assert [item.pk for item in search(feminine)[1]] == [item.pk for item in search(masculine_form)[1]]


def test_dutch_singular_and_plural_find_the_same(demo_catalogue):
    for one, many in [("verpleegkundige", "verpleegkundigen"), ("zelfstandige", "zelfstandigen")]:
        assert (
            {item.pk for item in search(one, "nl")[1]} == {item.pk for item in search(many, "nl")[1]} != set()
        )


def test_several_words_rank_those_with_all_of_them_first_and_never_find_nothing(demo_catalogue):
    found, resources = search("formation informatique")
    assert found.count > found.complete > 0
    assert found.partial
    assert all(resource.found == 2 for resource in resources[: found.complete])
    found, resources = search("informatique astronaute")
    assert found.count > 0  # one word found is enough
    assert resources[0].found == 1


def test_a_prefix_never_ranks_before_a_real_match(demo_catalogue):
    _found, resources = search("informatique")
    ranks = [(resource.found, resource.reached) for resource in resources]
    assert ranks == sorted(ranks, reverse=True)
    assert resources[0].found == 1
    first_prefix_only = next((index for index, resource in enumerate(resources) if not resource.found), None)
    if first_prefix_only is not None:
        assert all(resource.found for resource in resources[:first_prefix_only])


def test_a_typo_is_corrected_from_the_catalogues_own_words(demo_catalogue):
    found, resources = search("formtion")
    assert found.corrected == "formation"
    assert resources
    found, _resources = search("formtion informatique")
    assert found.corrected == "formation informatique"
    assert selectors.corrections("formtion") == ["formation"]
    assert selectors.corrections("xqzwv") == []


def test_a_word_known_to_the_catalogue_is_never_corrected_even_under_a_filter(demo_catalogue):
    found, _resources = search("formation", theme="bouger", kind="document")
    assert found.corrected == found.suggestion == ""


def test_synonyms_expand_the_query_and_the_pages_language_comes_first(demo_catalogue):
    _found, resources = search("apprentissage")
    assert "Se former en alternance à Bruxelles" in [resource.title_fr for resource in resources]
    _found, resources = search("verpleger", "nl")
    languages = [resource.language_id for resource in resources]
    assert "fr" in languages
    assert languages == sorted(languages, key=lambda code: code != "nl")  # Dutch ones first


def test_a_synonym_of_several_words_is_one_concept():
    Synonym.objects.create(terms_fr=["CV", "curriculum vitae"], terms_nl=["cv"])
    words = selectors.words_of("curriculum vitae européen")
    assert [concept.text for concept in words.concepts] == ["curriculum vitae", "européen"]
    assert words.concepts[0].synonyms == ("CV",)


def test_stop_words_are_never_looked_for_nor_highlighted():
    words = selectors.words_of("travailler à l'étranger")
    assert [concept.text for concept in words.concepts] == ["travailler", "étranger"]
    [marked] = selectors.highlighted([selectors.Passage("Travailler à l'étranger", "fr")], words)
    assert marked == "<mark>Travailler</mark> à l&#x27;<mark>étranger</mark>"
    assert selectors.words_of("à de het the").concepts == ()


def test_highlights_follow_the_feminine_forms_onto_the_original_text():
    words = selectors.words_of("infirmier")
    [marked] = selectors.highlighted(
        [selectors.Passage("Devenir infirmière, infirmier ou infirmières éducatrices", "fr")], words
    )
    assert marked == (
        "Devenir <mark>infirmière</mark>, <mark>infirmier</mark> ou <mark>infirmières</mark> éducatrices"
    )


def test_the_page_says_what_it_did_with_the_words(client, demo_catalogue):
    page = client.get("/fr/documentation/", {"q": "formtion"}).content.decode()
    assert "formation" in page
    assert "search-corrected" in page
    page = client.get("/fr/documentation/", {"q": "formation informatique"}).content.decode()
    assert "search-partial" in page


def test_coordinators_manage_the_synonyms_in_the_back_office_and_the_search_uses_them(client, login):
    resource(
        title_fr="Les métiers du soin aux animaux",
        summary_fr="Soigneur, toiletteur.",
        summary_nl="Dierenverzorger.",
    )
    assert search("vétérinaire")[0].count == 0
    login(Role.COORDINATOR)
    address = f"/fr/{settings.ADMIN_PATH}/ressources/synonym/"
    assert client.get(address).status_code == 200
    response = client.post(
        address + "add/", {"terms_fr": "vétérinaire, soigneur", "terms_nl": "", "terms_en": ""}
    )
    assert response.status_code == 302
    assert Synonym.objects.get().terms_fr == ["vétérinaire", "soigneur"]
    assert search("vétérinaire")[0].count == 1
    refused = client.post(address + "add/", {"terms_fr": "seul", "terms_nl": "", "terms_en": ""})
    assert refused.status_code == 200  # one word alone: nothing to be a synonym of
    assert Synonym.objects.count() == 1


@pytest.mark.parametrize("role", [Role.RECEPTION_AGENT, Role.DIGITAL_STEWARD, Role.DIRECTOR])
def test_other_roles_cannot_change_the_synonyms(client, login, role):
    login(role)
    response = client.get(f"/fr/{settings.ADMIN_PATH}/ressources/synonym/add/")
    assert response.status_code in (302, 403)


def test_the_demo_adds_its_catalogue_and_synonyms_in_bulk_once(settings):
    settings.DEMO_ACCOUNTS_ENABLED = True
    call_command("create_demo_accounts")
    with CaptureQueriesContext(connection) as queries:
        resources, _people = demo.demo_resources_create(weeks=0)
    assert resources == Resource.objects.count() >= 250
    assert len(queries) < 20  # in bulk: `make run` stays fast
    assert demo.demo_resources_create(weeks=0) == (0, 0)  # once
