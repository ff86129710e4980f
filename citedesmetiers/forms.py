"""Forms of the platform: sign-in, and the staff account form of the back office."""

import copy
import functools

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from citedesmetiers import dates, photos, roles
from citedesmetiers.models import Audience, Language, Theme, User
from citedesmetiers.selectors import ACTIONS, audit_record_types, reference_rows


def code_choices(model, *, blank: bool = False, exclude: tuple = ()):
    """The (code, label) choices of a reference table, made when a form is shown (a callable); the codes
    in `exclude` are not offered."""

    def choices():
        rows = [(row.code, row.label) for row in reference_rows(model) if row.code not in exclude]
        return [("", "—"), *rows] if blank else rows

    return choices


class ChoiceField(forms.ChoiceField):
    """Django's ChoiceField, whose choices are shared by the copies Django makes of it for each form
    instead of deep-copied (they are only ever replaced, never changed in place): a form with many choice
    fields is built several times faster, and the desk builds one on every tap."""

    def __deepcopy__(self, memo):
        # As forms.Field.__deepcopy__ and ChoiceWidget.__deepcopy__ do, without copying the choices.
        result = copy.copy(self)
        memo[id(self)] = result
        result.widget = copy.copy(self.widget)
        result.widget.attrs = self.widget.attrs.copy()
        result.error_messages = self.error_messages.copy()
        result.validators = self.validators[:]
        return result


class CodeField(ChoiceField):
    """A code of a reference table: offered with its labels, checked against the cached codes
    (without building the labelled list: the desk validates one on every tap); the codes in `exclude`
    are neither offered nor accepted; `also`, (value, label) pairs offered and accepted after them."""

    def __init__(self, model, *, blank: bool = False, exclude: tuple = (), also: tuple = (), **kwargs):
        self.model = model
        self.exclude = exclude
        self.also = {value for value, _label in also}
        codes = code_choices(model, blank=blank, exclude=exclude)
        super().__init__(choices=(lambda: [*codes(), *also]) if also else codes, **kwargs)

    def valid_value(self, value) -> bool:
        if value in self.also:
            return True
        return value not in self.exclude and any(row.code == value for row in reference_rows(self.model))


class _SharedFields(dict):
    """A form class's fields, used as they are by a form built only to check data (never copied)."""

    def __deepcopy__(self, memo):
        return self


@functools.cache
def _shared_fields(form_class) -> _SharedFields:
    return _SharedFields(form_class.base_fields)


@functools.cache
def _plain(form_class) -> bool:
    """Whether each field of the form class is cleaned from its value alone (Django's Field does so)."""
    plain = forms.Field._clean_bound_field  # type: ignore[attr-defined]  # Django's, which its stubs omit
    return all(
        not field.disabled and type(field)._clean_bound_field is plain
        for field in form_class.base_fields.values()
    )


class CheckingForm(forms.Form):
    """A form that can also be built only to check what was sent (`checking=True`): its fields are then
    the class's own instead of the deep copies Django makes for every form (a dozen fields copied on
    each desk tap: a third of the form's cost). Checking leaves a field unchanged, so the shared fields
    serve every request, threads included. Such a form validates and carries its errors; to be shown
    again, it is built anew with its own fields (`shown()`), its errors kept.

    Hence the rule for a subclass: its __init__ changes none of its fields (what a field needs is
    declared with it)."""

    def __init__(self, *args, checking: bool = False, **kwargs):
        if checking:
            # The instance's own base_fields, read by Django's __init__ in place of the class's: copying
            # a _SharedFields gives the same dictionary back.
            self.__dict__["base_fields"] = _shared_fields(type(self))
        super().__init__(*args, **kwargs)
        self.checking = checking

    def _clean_fields(self):
        """As Django's, but a checking form reads each field's value straight from the data, without the
        BoundField Django builds for it first (its name, label, id and initial: what showing a field needs,
        half of checking one). A form with a disabled field, or one that cleans from its BoundField (a
        file's), is checked by Django's own loop."""
        if not (self.checking and _plain(type(self))):
            return super()._clean_fields()
        for name, field in self.fields.items():
            try:
                value = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
                self.cleaned_data[name] = field.clean(value)
                if hasattr(self, f"clean_{name}"):
                    self.cleaned_data[name] = getattr(self, f"clean_{name}")()
            except ValidationError as error:
                self.add_error(name, error)

    def shown(self) -> "CheckingForm":
        """This form with fields of its own (a date picker's range of days, say), ready to be shown."""
        if not self.checking:
            return self
        form = type(self)(self.data, self.files, prefix=self.prefix, initial=self.initial)
        form._errors = self.errors  # type: ignore[attr-defined]  # Django's own, which its stubs omit
        form.cleaned_data = getattr(self, "cleaned_data", {})
        return form


class LoginForm(AuthenticationForm):
    """Django's sign-in form, which refuses to check a password while the user name is locked out."""

    def __init__(self, request=None, *args, lockout_seconds: int = 0, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.lockout_seconds = lockout_seconds
        username = self.fields["username"].widget.attrs
        username.update({"autocapitalize": "none", "autocorrect": "off", "spellcheck": "false"})
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"

    def clean(self):
        if self.lockout_seconds:
            raise lockout_error(self.lockout_seconds)
        return super().clean()


def lockout_error(seconds: int) -> ValidationError:
    minutes = max(1, -(-seconds // 60))
    return ValidationError(
        ngettext(
            "Too many failed sign-in attempts. Please wait %(minutes)d minute and try "
            "again, or ask an administrator to check your account.",
            "Too many failed sign-in attempts. Please wait %(minutes)d minutes and try "
            "again, or ask an administrator to check your account.",
            minutes,
        ),
        code="locked",
        params={"minutes": minutes},
    )


class SecondFactorForm(forms.Form):
    """The six-digit code of the person's authenticator app."""

    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=9,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "size": 9}
        ),
    )

    def __init__(self, *args, lockout_seconds: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.lockout_seconds = lockout_seconds

    def clean(self):
        if self.lockout_seconds:
            raise lockout_error(self.lockout_seconds)
        return super().clean()


class ProfileForm(forms.ModelForm):
    """What a staff member sets for themselves: the languages in which they can advise."""

    class Meta:
        model = User
        fields = ["languages"]
        widgets = {"languages": forms.CheckboxSelectMultiple}
        # The person reads about themselves (the model's help text speaks of "this person").
        help_texts = {
            "languages": _("The languages you advise in: the queue offers you the visitors who speak them.")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["languages"].queryset = Language.objects.filter(active=True).order_by("position")


class RoleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return roles.label(obj.name)


class StaffAccountForm(UserChangeForm):
    """The back office's account form: roles shown by their translated names, partner roles checked."""

    groups = RoleChoiceField(
        queryset=Group.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Roles"),
    )

    def clean(self):
        cleaned = super().clean()
        chosen = {group.name for group in cleaned.get("groups") or []}
        needs_partner = sorted(roles.label(name) for name in chosen if name in roles.PARTNER_ROLES)
        if needs_partner and not cleaned.get("partner"):
            self.add_error(
                "partner",
                _("The roles %(roles)s work for a partner institution: choose it.")
                % {"roles": ", ".join(needs_partner)},
            )
        return cleaned


def with_everything(choices, label) -> list:
    """A filter's choices, after an empty first choice (`label`, such as "All themes")."""
    return [("", label), *choices]


def add_service_errors(form: forms.Form, error: ValidationError, aliases: dict | None = None) -> None:
    """Puts a service's ValidationError on the form: on its fields (a model field named differently in
    the form through `aliases`), the rest at the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        target = field if field in form.fields else (aliases or {}).get(field)
        form.add_error(target, errors)


class ListFilters(forms.Form):
    """The filters of a public list (the agenda, the documentation): a plain query string, so that every
    filtered list has its own address. Theme, type, audience and language; subclasses add their own.
    The themes and languages offered are the cached reference rows, read when the form is made."""

    theme = forms.ChoiceField(label=_("Theme"), required=False)
    kind = forms.ChoiceField(label=_("Type"), required=False)
    # "Everyone" is the empty choice (no filter): the audience of that name is not offered a second time.
    audience = forms.ChoiceField(
        label=_("For"),
        required=False,
        choices=with_everything(
            [(code, label) for code, label in Audience.choices if code != Audience.EVERYONE], _("Everyone")
        ),
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    kinds: list = []  # the subclass's types

    def __init__(self, data=None, **kwargs):
        super().__init__(data or None, **kwargs)
        themes, languages = reference_rows(Theme), reference_rows(Language)
        self.fields["kind"].choices = with_everything(self.kinds, _("All types"))
        self.fields["theme"].choices = with_everything([(t.code, t.label) for t in themes], _("All themes"))
        self.fields["language"].choices = with_everything(
            [(language.code, language.label) for language in languages], _("All languages")
        )

    def chosen(self) -> dict:
        """The filters given, by name: a wrong value in one (an old link, a typo) leaves the others be."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


class EndNotBeforeStart:
    """For a form with a period (`start` and `end`, either optional): an end before the start is said in
    the reader's language, instead of a list that is simply empty."""

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            raise ValidationError(_("The end date is before the start date."))
        return cleaned


class AuditFilterForm(EndNotBeforeStart, forms.Form):
    """The audit trail's filters: person, action, type of record and record, days (all optional)."""

    actor = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label=_("Person"), empty_label=_("Anyone")
    )
    action = forms.ChoiceField(required=False, label=_("Action"))
    object_type = forms.ChoiceField(required=False, label=_("Type of record"))
    object_id = forms.CharField(required=False, max_length=64, label=_("Record number"))
    start = dates.BoundedDateField(
        required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = dates.BoundedDateField(
        required=False, label=_("To"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, entries, **kwargs):
        """`entries`: the lines the person may read; the choices are what they hold."""
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = User.objects.filter(
            pk__in=entries.exclude(actor=None).values("actor")
        ).order_by("last_name", "first_name", "username")
        actions = sorted(set(entries.values_list("action", flat=True).distinct().order_by()))
        self.fields["action"].choices = [("", _("Any action"))] + [
            (code, f"{ACTIONS.get(code, code)} ({code})") for code in actions
        ]
        self.fields["object_type"].choices = [("", _("Any type")), *audit_record_types(entries)]


class PicturesForm(forms.ModelForm):
    """A back-office form with pictures for the publications (`pictures`: the names of its file fields):
    each offers PNG and JPEG only, says so, and a new upload is checked by its content and decoded
    (citedesmetiers.photos.photo_check); a file kept from before was checked when it came."""

    pictures: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.pictures:
            if name in self.fields:
                field = self.fields[name]
                field.widget = forms.ClearableFileInput(attrs={"accept": photos.ACCEPT})
                field.help_text = " ".join(
                    str(text) for text in (field.help_text, photos.photo_help()) if text
                )

    def clean(self):
        cleaned = super().clean()
        for name in self.pictures:
            upload = cleaned.get(name)
            if hasattr(upload, "content_type"):
                try:
                    photos.photo_check(upload)
                except ValidationError as error:
                    self.add_error(name, error)
        return cleaned
