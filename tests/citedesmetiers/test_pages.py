"""The public home page, the theme stylesheet, error pages."""

import pytest
from django.test import Client
from django.urls import reverse

from citedesmetiers.models import Partner, Theme

pytestmark = pytest.mark.django_db


def test_the_home_page_presents_the_centre_from_its_data(client, django_assert_max_num_queries):
    Partner.objects.filter(code="efp").update(name_fr="efp · formation PME")
    Partner.objects.filter(code="siep").update(active=False)
    with django_assert_max_num_queries(4):
        response = client.get("/fr/")
    assert response.status_code == 200
    page = response.content.decode()
    for text in ["Choisir son orientation", "Espace multimédia", "45 ordinateurs, 20 tablettes", "Actiris"]:
        assert text in page
    assert "efp · formation PME" in page
    assert "SIEP" not in page
    assert page.count("promoteur</span>") == 3


def test_the_home_page_explains_missing_data_instead_of_showing_nothing(client):
    Theme.objects.update(active=False)
    Partner.objects.filter(circle=2).update(active=False)
    page = client.get("/en/").content.decode()
    assert "The themes have not been set up yet." in page
    assert "No partner listed yet." in page


def test_theme_colours_come_as_a_cacheable_stylesheet(client):
    response = client.get(reverse("theme_stylesheet"))
    assert response["Content-Type"] == "text/css; charset=utf-8"
    assert "public" in response["Cache-Control"]
    css = response.content.decode()
    for theme in Theme.objects.all():
        assert f".theme-{theme.code} {{ --theme-colour: {theme.colour}; }}" in css


def test_unknown_pages_get_a_helpful_404(client):
    response = client.get("/nl/bestaat-niet/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def test_a_form_without_its_security_token_gets_an_explanation_not_a_bare_403():
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/en/staff/sign-in/", {"username": "a", "password": "b"}, secure=True)
    assert response.status_code == 403
    assert "The form has expired" in response.content.decode()


def test_server_errors_render_the_friendly_page(rf):
    from django.utils import translation
    from django.views import defaults

    with translation.override("nl"):
        response = defaults.server_error(rf.get("/nl/"))
    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()
