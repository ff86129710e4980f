"""The reference data created by the data migration: themes, partners, spaces and vocabularies."""

import importlib
import itertools

import pytest
from django.apps import apps
from django.db import IntegrityError
from django.utils import translation

from citedesmetiers.models import (
    AgeBand,
    Channel,
    EducationLevel,
    Gender,
    Language,
    Partner,
    Residence,
    Space,
    Status,
    Theme,
    User,
)

pytestmark = pytest.mark.django_db

reference_data = importlib.import_module("citedesmetiers.migrations.0002_reference_data")


def contrast_on_white(colour: str) -> float:
    """WCAG 2.1 contrast ratio of a #RRGGBB colour against white."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)
    return 1.05 / (luminance + 0.05)


def test_the_five_themes_in_order_with_their_three_labels():
    rows = list(Theme.objects.values_list("code", "label_fr", "label_nl", "label_en"))
    assert rows == [
        ("choisir", "Choisir son orientation", "Kiezen", "Choose"),
        ("apprendre", "Apprendre un métier", "Leren", "Learn"),
        ("bouger", "Bouger (hors de Bruxelles)", "Bewegen", "Move"),
        ("entreprendre", "Entreprendre", "Ondernemen", "Start a business"),
        ("travailler", "Travailler", "Werken", "Work"),
    ]


def test_theme_colours_carry_white_text_accessibly_and_letters_are_distinct():
    themes = list(Theme.objects.all())
    for theme in themes:
        assert contrast_on_white(theme.colour) >= 4.5, theme.code
        assert theme.description_fr
        assert theme.description_nl
        assert theme.description_en
    assert len({theme.letter for theme in themes}) == 5


def test_theme_colour_is_checked_by_the_database():
    with pytest.raises(IntegrityError):
        Theme.objects.filter(code="choisir").update(colour="red; }")


def test_the_first_circle_partners_of_2018_and_the_three_promoters():
    first_circle = set(Partner.objects.filter(circle=1).values_list("code", flat=True))
    assert first_circle == {
        "actiris",
        "bruxelles-formation",
        "vdab-brussel",
        "promotion-sociale",
        "efp",
        "trace-brussel",
        "pole-academique",
        "fwb-enseignement",
        "cefa",
        "validation-competences",
        "worldskills-belgium",
    }
    promoters = set(Partner.objects.filter(promoter=True).values_list("code", flat=True))
    assert promoters == {"actiris", "bruxelles-formation", "vdab-brussel"}
    assert Partner.objects.filter(circle=2).count() >= 5


def test_every_partner_has_french_and_dutch_names_and_advice_partners_have_themes():
    for partner in Partner.objects.prefetch_related("themes"):
        assert partner.name_fr, partner.code
        assert partner.name_nl, partner.code
        if partner.circle == 1:
            assert partner.themes.exists(), partner.code


def test_partner_circle_is_checked_by_the_database():
    with pytest.raises(IntegrityError):
        Partner.objects.filter(code="actiris").update(circle=3)


def test_the_spaces_of_the_centre():
    kinds = dict(Space.objects.values_list("code", "kind"))
    assert set(kinds.values()) == {"reception", "multimedia", "documentary", "advice", "activity_room"}
    multimedia = Space.objects.get(kind="multimedia")
    assert (multimedia.computers, multimedia.tablets) == (45, 20)
    assert Space.objects.filter(kind="activity_room", bookable=True).exists()


def test_residence_lists_the_19_communes_by_nis_code_then_the_rest():
    communes = Residence.objects.filter(region="brussels")
    assert sorted(communes.values_list("code", flat=True)) == [str(code) for code in range(21001, 21020)]
    ixelles = Residence.objects.get(code="21009")
    assert (ixelles.label_fr, ixelles.label_nl) == ("Ixelles", "Elsene")
    assert set(Residence.objects.exclude(region="brussels").values_list("code", flat=True)) == {
        "flanders",
        "wallonia",
        "abroad",
    }


def test_fine_age_bands_cover_every_age_once_and_rebuild_published_groupings():
    bands = list(AgeBand.objects.order_by("min_age"))
    assert bands[0].min_age == 0
    assert bands[-1].max_age is None
    for previous, band in itertools.pairwise(bands):
        assert band.min_age == previous.max_age + 1
    # Published groupings (<25, 25–49, 50+) are unions of fine bands: no band straddles a boundary.
    for boundary in (18, 25, 30, 50, 65):
        assert any(band.min_age == boundary for band in bands), boundary


def test_coded_vocabularies():
    assert list(Gender.objects.values_list("code", flat=True)) == ["woman", "man", "other", "undisclosed"]
    assert Status.objects.filter(code__in=["job_seeker_registered", "employee", "retired"]).count() == 3
    assert EducationLevel.objects.count() == 6
    channels = ["on_site", "phone", "email", "other", "kiosk"]
    assert list(Channel.objects.values_list("code", flat=True)) == channels
    assert set(Language.objects.values_list("code", flat=True)) >= {"fr", "nl", "en", "ar", "uk"}
    assert Language.objects.get(code="uk").endonym == "Українська"


def test_loading_again_updates_and_never_duplicates():
    models = [Theme, Partner, Space, Gender, AgeBand, Status, EducationLevel, Residence, Language, Channel]
    before = {model: model.objects.count() for model in models}
    Theme.objects.filter(code="bouger").update(label_nl="Changed")
    reference_data.load(apps, None)
    assert {model: model.objects.count() for model in models} == before
    assert Theme.objects.get(code="bouger").label_nl == "Bewegen"


def test_labels_follow_the_active_language_with_a_fallback():
    theme = Theme.objects.get(code="entreprendre")
    partner = Partner.objects.get(code="actiris")
    partner.name_en = ""
    for language, label in [("fr", "Entreprendre"), ("nl", "Ondernemen"), ("en", "Start a business")]:
        with translation.override(language):
            assert theme.label == label == str(theme)
    with translation.override("en"):
        assert partner.name == "Actiris"  # falls back to French


def test_user_names_are_unique_whatever_their_case():
    User.objects.create_user("Reception.Desk", password="x")
    with pytest.raises(IntegrityError):
        User.objects.create_user("reception.desk", password="x")
