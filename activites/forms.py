from datetime import datetime, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from activites.models import Activity, Admission, Kind, PlaceKind
from citedesmetiers import dates, limits
from citedesmetiers.forms import ListFilters
from citedesmetiers.models import Audience, Language, Partner, Space, Theme


class ActivityForm(forms.Form):
    """An activity's fields, as organisers and coordinators fill them in (one session, or a weekly series)."""

    title_fr = forms.CharField(
        label=_("Title in French"), max_length=160, required=False, validators=[limits.single_line]
    )
    title_nl = forms.CharField(
        label=_("Title in Dutch"), max_length=160, required=False, validators=[limits.single_line]
    )
    title_en = forms.CharField(
        label=_("Title in English (optional)"),
        max_length=160,
        required=False,
        validators=[limits.single_line],
    )
    description_fr = forms.CharField(
        max_length=limits.DESCRIPTION_MAX,
        label=_("Description in French"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    description_nl = forms.CharField(
        max_length=limits.DESCRIPTION_MAX,
        label=_("Description in Dutch"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    description_en = forms.CharField(
        max_length=limits.DESCRIPTION_MAX,
        label=_("Description in English (optional)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    partner = forms.ModelChoiceField(label=_("Organiser"), queryset=Partner.objects.none())
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.all(), widget=forms.RadioSelect)
    kind = forms.ChoiceField(label=_("Type"), choices=Kind.choices)
    audiences = forms.MultipleChoiceField(
        label=_("Audience"), choices=Audience.choices, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.ModelMultipleChoiceField(
        label=_("Session languages"),
        queryset=Language.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    date = dates.BoundedDateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        bounds=dates.activity_days,
    )
    start_time = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    place_kind = forms.ChoiceField(label=_("Place"), choices=PlaceKind.choices, widget=forms.RadioSelect)
    room = forms.ModelChoiceField(
        label=_("Room"),
        queryset=Space.objects.filter(bookable=True, active=True),
        required=False,
        empty_label=_("Choose a room"),
    )
    address = forms.CharField(label=_("Outside address"), max_length=240, required=False)
    online_url = forms.URLField(
        label=_("Link to join online"), required=False, assume_scheme="https", max_length=200
    )
    admission = forms.ChoiceField(
        label=_("How people come"), choices=Admission.choices, widget=forms.RadioSelect
    )
    capacity = forms.IntegerField(
        label=_("Capacity"),
        min_value=1,
        max_value=limits.CAPACITY_MAX,
        required=False,
        help_text=_("Seats offered; required with registration."),
    )

    def __init__(self, *args, partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = (
            partners if partners is not None else Partner.objects.filter(active=True)
        )

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("date"), cleaned.get("start_time"), cleaned.get("end_time")
        if day and start and end:
            cleaned["starts_at"] = timezone.make_aware(datetime.combine(day, start))
            cleaned["ends_at"] = timezone.make_aware(datetime.combine(day, end))
            if end <= start:
                self.add_error("end_time", _("The activity must end after it starts."))
        return cleaned

    def values(self) -> dict:
        """The activity's own columns, for the services."""
        return {name: self.cleaned_data[name] for name in Activity.EDITABLE_FIELDS}

    @classmethod
    def initial_from(cls, activity: Activity) -> dict:
        start, end = timezone.localtime(activity.starts_at), timezone.localtime(activity.ends_at)
        initial = {
            name: getattr(activity, name)
            for name in [
                "title_fr", "title_nl", "title_en", "description_fr", "description_nl", "description_en",
                "kind", "audiences", "place_kind", "address", "online_url", "admission", "capacity",
            ]
        }  # fmt: skip
        initial.update(
            partner=activity.partner_id,
            theme=activity.theme_id,
            room=activity.room_id,
            languages=list(activity.languages.values_list("pk", flat=True)),
            date=start.date(),
            start_time=start.time(),
            end_time=end.time(),
        )
        return initial


class ActivityCreateForm(ActivityForm):
    key = forms.UUIDField(widget=forms.HiddenInput)  # minted when the form is shown (see Activity.key)
    repeat_weeks = forms.IntegerField(
        label=_("Number of weekly sessions"),
        min_value=1,
        max_value=52,
        initial=1,
        help_text=_("1 for a single session; 8 for the same day and time during 8 weeks."),
    )

    def clean(self):
        cleaned = super().clean()
        day, weeks = cleaned.get("date"), cleaned.get("repeat_weeks")
        if day and weeks:
            last = dates.activity_days()[1]
            if day + timedelta(weeks=weeks - 1) > last:
                self.add_error(
                    "repeat_weeks",
                    _("The last session would fall after %(last)s: fewer weekly sessions, please.")
                    % {"last": formats.date_format(last, "SHORT_DATE_FORMAT")},
                )
        return cleaned


class AgendaFilterForm(ListFilters):
    """The agenda's filters, with a period."""

    start = dates.BoundedDateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = dates.BoundedDateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    kinds = Kind.choices

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            raise ValidationError(_("The end date is before the start date."))
        return cleaned


class RegistrationForm(forms.Form):
    """Only what is needed: a first name or nickname, an e-mail address, and consent."""

    first_name = forms.CharField(
        label=_("First name or nickname"),
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We send you a link to confirm it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(label=_("I agree"), required=True)
    # Left empty by people; robots that fill in every field give themselves away.
    website = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"})
    )

    def __init__(self, *args, retention_days: int = 30, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].help_text = ngettext(
            "The centre keeps your first name and e-mail address to manage this registration and erases them "
            "%(days)d day after the activity. You can cancel or erase your registration at any time.",
            "The centre keeps your first name and e-mail address to manage this registration and erases them "
            "%(days)d days after the activity. You can cancel or erase your registration at any time.",
            retention_days,
        ) % {"days": retention_days}


class HeadcountForm(forms.Form):
    """The people counted at the door: above the activity's places the count is confirmed (a slip of the
    finger adds a zero), above OVER_CAPACITY times the places it is refused (citedesmetiers.limits)."""

    headcount = forms.IntegerField(label=_("People counted at the door"), min_value=0)
    confirm = forms.BooleanField(label=_("Yes, this count is right"), required=False)

    def __init__(self, *args, places: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.places = places
        ceiling = limits.headcount_ceiling(places)
        self.fields["headcount"].validators.append(MaxValueValidator(ceiling))
        self.fields["headcount"].widget.attrs["max"] = ceiling
        # Asked only when the count is above the places (the template shows it then).
        self.needs_confirmation = False

    def clean(self):
        cleaned = super().clean()
        count = cleaned.get("headcount")
        if count is not None and self.places and count > self.places and not cleaned.get("confirm"):
            self.needs_confirmation = True
            self.add_error(
                "headcount",
                _("%(count)s people for %(places)s places: check the count, then confirm it below.")
                % {"count": count, "places": self.places},
            )
        return cleaned
