"""The catalogue's search: French and Dutch stemming, accents ignored, ranking, highlights, filters."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from ressources import selectors
from ressources.selectors import Passage
from tests.factories import resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    return {
        "alternance": resource(
            title_fr="Les formations en alternance",
            title_nl="Duaal leren in Brussel",
            summary_fr="Apprendre un métier à l'école et en entreprise.",
            summary_nl="Een beroep leren op school en in een bedrijf.",
            themes=["apprendre"],
        ),
        "electricite": resource(
            title_fr="Métiers de l'électricité",
            title_nl="Beroepen in de elektriciteit",
            summary_fr="Électricien, électromécanicien : les études et les débouchés.",
            summary_nl="Elektricien, elektromecanicien: de opleidingen en de vacatures.",
            themes=["choisir", "apprendre"],
            kind="brochure",
            url="",
            shelf_theme_id="choisir",
            shelf_mark="B3",
        ),
        "etranger": resource(
            title_fr="Travailler à l'étranger",
            title_nl="Werken in het buitenland",
            summary_fr="Offres d'emploi en Europe, EURES, volontariat.",
            summary_nl="Vacatures in Europa, EURES, vrijwilligerswerk.",
            themes=["bouger"],
            language="nl",
            audiences=["young", "job_seekers"],
        ),
    }


def found(query, **filters):
    return [item.title_fr for item in selectors.catalogue(query=query, **filters)]


def test_french_plurals_and_accents_find_the_same_resource(catalogue):
    for query in ("électricité", "electricite", "ELECTRICITE", "métiers électricité", "metier"):
        assert "Métiers de l'électricité" in found(query), query
    assert found("formation") == found("formations") == ["Les formations en alternance"]


def test_dutch_words_are_stemmed_as_dutch(catalogue):
    assert found("opleiding") == found("opleidingen")
    assert "Métiers de l'électricité" in found("opleiding")
    assert found("beroepen")
    assert set(found("beroepen")) == set(found("beroep"))
    assert found("vacature") == sorted(found("vacatures"))  # both Dutch summaries that mention them


def test_a_word_of_no_resource_finds_nothing(catalogue):
    assert found("astronaute") == []
    assert found("?! ...") == []  # no word at all: nothing to look for, and no error


def test_titles_weigh_more_than_summaries(catalogue):
    # "apprendre" is in the summary of the first; "alternance" in the title of the first only.
    assert found("alternance")[0] == "Les formations en alternance"
    extra = resource(title_fr="Guide de l'alternance", summary_fr="Un guide.", summary_nl="Een gids.")
    assert found("alternance")[0] == extra.title_fr


def test_web_search_syntax(catalogue):
    assert found('"travailler a l\'etranger"') == ["Travailler à l'étranger"]
    assert set(found("electricite OR alternance")) == {
        "Les formations en alternance",
        "Métiers de l'électricité",
    }
    assert "Métiers de l'électricité" not in found("metiers -electricite")


def test_filters_combine_with_the_words(catalogue):
    assert found("", theme="bouger") == ["Travailler à l'étranger"]
    assert set(found("", theme="apprendre")) == {"Les formations en alternance", "Métiers de l'électricité"}
    assert found("", kind="brochure") == ["Métiers de l'électricité"]
    assert found("", audience="young") == ["Travailler à l'étranger"]
    assert found("", language="nl") == ["Travailler à l'étranger"]
    assert found("metier", theme="choisir") == ["Métiers de l'électricité"]
    assert found("metier", theme="bouger") == []


def test_without_words_the_titles_are_in_alphabetical_order_of_the_active_language(catalogue):
    with translation.override("fr"):
        assert found("") == sorted(found(""))
    with translation.override("nl"):
        titles = [item.title_nl for item in selectors.catalogue()]
    assert titles == sorted(titles)


def test_the_search_uses_its_index(catalogue):
    with connection.cursor() as cursor:
        # A handful of rows: tell the planner to act as on a large table (no reading it all).
        cursor.execute("SET enable_seqscan = off; SET enable_indexscan = off")
        plan = selectors.catalogue(query="electricite").explain()
        cursor.execute("RESET enable_seqscan; RESET enable_indexscan")
    assert "ressources_resource_search" in plan


def test_highlights_mark_the_words_found_in_the_original_text():
    marked = selectors.highlighted(
        [
            Passage("Métiers de l'électricité", "fr"),
            Passage("Beroepen in de elektriciteit", "nl"),
            Passage("Électricité & gaz <b>", "fr"),
        ],
        selectors.words_of("electricites metier"),
    )
    assert marked[0] == "<mark>Métiers</mark> de l&#x27;<mark>électricité</mark>"
    assert marked[1] == "Beroepen in de elektriciteit"  # a French word stemmed as Dutch: no match
    assert marked[2] == "<mark>Électricité</mark> &amp; gaz &lt;b&gt;"  # the text is escaped, marks aside


def test_highlights_cost_one_query_for_a_whole_page():
    passages = [Passage(f"Formation numéro {number}", "fr") for number in range(40)]
    words = selectors.words_of("formations")
    with CaptureQueriesContext(connection) as queries:
        marked = selectors.highlighted(passages, words)
    assert len(queries) == 1
    assert all(text.startswith("<mark>Formation</mark>") for text in marked)


def test_a_long_summary_is_cut_around_the_first_word_found():
    text = "Début. " + "mot " * 200 + "alternance et la suite " + "fin " * 200
    [marked] = selectors.highlighted([Passage(text, "fr", 120)], selectors.words_of("alternance"))
    assert marked.startswith("…")
    assert marked.endswith("…")
    assert "<mark>alternance</mark>" in marked
    assert len(marked) < 200
