"""The shared form fields: choice fields copied for each form without copying their choices."""

import pytest
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS

from accueil.forms import VisitForm
from citedesmetiers.forms import CheckingForm, ChoiceField, CodeField
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


DESK_ENTRY = {"key": "0b9c5e0e-5d8a-4f0e-9a57-3f4f1b2c8d11", "theme": "general", "orientation": "information"}
DESK_ENTRY |= {"language": "fr", "channel": "on_site", "count": "3", "gender": "woman"}


def _attributes(form_class) -> dict:
    return {name: dict(field.widget.attrs) for name, field in form_class.base_fields.items()}


@pytest.mark.parametrize(
    "data",
    [
        DESK_ENTRY,
        DESK_ENTRY | {"theme": "nonsense", "count": "0", "keyed_date": "2020-01-01"},
        DESK_ENTRY | {"theme": "general", "orientation": "advice", "language": "xx"},
    ],
)
def test_a_form_built_to_check_uses_the_class_s_fields_and_decides_as_a_copy_does(data):
    before = _attributes(VisitForm)
    checking, usual = VisitForm(data, checking=True), VisitForm(data)
    assert all(checking.fields[name] is field for name, field in VisitForm.base_fields.items())
    assert all(usual.fields[name] is not field for name, field in VisitForm.base_fields.items())
    assert checking.is_valid() == usual.is_valid()
    assert checking.errors == usual.errors
    assert getattr(checking, "cleaned_data", None) == getattr(usual, "cleaned_data", None)
    assert _attributes(VisitForm) == before  # checking changed none of the class's fields
    # Checked from the data, without a BoundField per field: only a field with an error gets one (its id).
    assert set(checking._bound_fields_cache) <= set(checking.errors)


class Checked(CheckingForm):
    """Fields cleaned from their values alone, one with a clean_<name> method of the form's."""

    name = forms.CharField(max_length=5)
    colour = ChoiceField(choices=[("red", "Red")])

    def clean_name(self):
        return self.cleaned_data["name"].upper()


class CheckedWithDisabled(Checked):
    fixed = forms.CharField(disabled=True, initial="kept", required=False)


class CheckedWithFile(Checked):
    attachment = forms.FileField(required=False)


@pytest.mark.parametrize("form_class", [Checked, CheckedWithDisabled, CheckedWithFile])
@pytest.mark.parametrize(
    "data", [{"name": "abc", "colour": "red", "fixed": "sent"}, {"name": "toolong", "colour": "blue"}]
)
def test_checking_decides_as_django_s_own_loop_whatever_the_fields(form_class, data):
    checking, usual = form_class(data, checking=True), form_class(data)
    assert checking.is_valid() == usual.is_valid()
    assert checking.errors == usual.errors
    assert getattr(checking, "cleaned_data", None) == getattr(usual, "cleaned_data", None)
    # Only a field with an error gets a BoundField (its id), unless a disabled field (its initial, whatever
    # is sent) or a file's has the form checked by Django's own loop, which builds one for every field.
    with_errors = set(checking.errors) - {NON_FIELD_ERRORS}
    built = with_errors if form_class is Checked else set(form_class.base_fields)
    assert set(checking._bound_fields_cache) == built


def test_a_checked_form_is_shown_with_fields_of_its_own_and_its_errors():
    checking = VisitForm(DESK_ENTRY | {"count": "0"}, checking=True)
    assert not checking.is_valid()
    checking.add_error(None, "Refused by the service")
    shown = checking.shown()
    assert shown is not checking
    assert not shown.checking
    assert shown.fields["keyed_date"] is not VisitForm.base_fields["keyed_date"]
    assert shown.errors == checking.errors
    date_input = str(shown["keyed_date"])
    assert 'min="' in date_input  # the picker's range of days, as of today
    assert 'max="' in date_input
    assert "data-capture-reset" in date_input  # declared with the field: no form changes its fields
    assert "Refused by the service" in str(shown.non_field_errors())
    usual = VisitForm()
    assert usual.shown() is usual


def test_a_code_field_accepts_its_extra_choices_and_offers_them_last():
    field = CodeField(Language, also=(("other", "Another language"),))
    assert field.clean("other") == "other"
    assert field.clean("nl") == "nl"
    with pytest.raises(forms.ValidationError):
        field.clean("xx")
    assert list(field.choices)[-1] == ("other", "Another language")
