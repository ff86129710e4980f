"""The shared form fields: choice fields copied for each form without copying their choices."""

import pytest
from django import forms

from accueil.forms import VisitForm
from citedesmetiers.forms import ChoiceField, CodeField
from citedesmetiers.models import Language

pytestmark = pytest.mark.django_db


class Sample(forms.Form):
    colour = ChoiceField(choices=[("red", "Red"), ("blue", "Blue")], widget=forms.RadioSelect)
    language = CodeField(Language)


def test_each_form_has_its_own_field_widget_messages_and_validators():
    first, second = Sample(), Sample()
    field, other, declared = first.fields["colour"], second.fields["colour"], Sample.base_fields["colour"]
    assert field is not other
    assert field.widget is not other.widget
    field.choices = [("green", "Green")]
    field.widget.attrs["data-x"] = "1"
    field.error_messages["invalid_choice"] = "changed"
    field.validators.append(lambda value: None)
    assert [value for value, _label in other.choices] == ["red", "blue"]
    assert [value for value, _label in other.widget.choices] == ["red", "blue"]
    assert [value for value, _label in declared.choices] == ["red", "blue"]
    assert "data-x" not in other.widget.attrs
    assert "data-x" not in declared.widget.attrs
    assert other.error_messages["invalid_choice"] != "changed"
    assert other.validators == declared.validators == []


def test_the_copies_validate_and_render_as_django_s_own():
    form = Sample({"colour": "blue", "language": "nl"})
    assert form.is_valid(), form.errors
    assert not Sample({"colour": "green", "language": "xx"}).is_valid()
    assert 'value="blue"' in str(form["colour"])
    assert 'value="nl"' in str(form["language"])


def test_the_desk_form_is_built_without_copying_its_choices():
    """The desk builds its form on every tap: its choice fields share their choices with the class's."""
    form = VisitForm()
    for name in ("theme", "orientation", "language", "channel", "gender", "partner"):
        assert form.fields[name]._choices is VisitForm.base_fields[name]._choices, name
    assert [value for value, _label in form.fields["theme"].choices][-1] == "general"
