"""A visit in one line (accueil_visits.visit_summary), as the desk and the entries list show it."""

import pytest
from django.template import Context, Template
from django.utils import translation

from citedesmetiers.models import Theme
from tests.factories import visit

pytestmark = pytest.mark.django_db

LINE = Template("{% load accueil_visits %}{{ visit|visit_summary }}")


def _line(entry, language: str) -> str:
    with translation.override(language):
        return LINE.render(Context({"visit": entry}))


def test_a_visit_in_one_line_in_each_language():
    entry = visit(theme="apprendre", orientation="information", channel="phone", count=3)
    theme = Theme.objects.get(code="apprendre")
    assert _line(entry, "fr") == f"{theme.label_fr} · Information uniquement · FR · Téléphone · ×3"
    assert _line(entry, "nl").startswith(f"{theme.label_nl} · ")
    assert " · FR · " in _line(entry, "nl")
    assert "×3" in _line(entry, "en")


def test_general_information_and_a_single_person():
    entry = visit(theme=None, orientation="information", language="nl")
    assert _line(entry, "nl").startswith("Algemene informatie · ")
    assert "×" not in _line(entry, "nl")


def test_a_label_is_text_not_markup():
    Theme.objects.filter(code="bouger").update(label_fr="<b>Bouger</b>")
    entry = visit(theme="bouger", orientation="information")
    entry.theme.refresh_from_db()
    assert _line(entry, "fr").startswith("&lt;b&gt;Bouger&lt;/b&gt; · ")
