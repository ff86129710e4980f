"""Forms of consultations and of the questionnaire: validation and widgets only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from citedesmetiers import dates
from citedesmetiers.forms import CodeField, EndNotBeforeStart
from citedesmetiers.models import AgeBand, EducationLevel, Gender, Language, Partner, Residence, Status, Theme
from citedesmetiers.selectors import reference_rows
from conseil.models import Found, Frequency, HeardOf, Mode, Satisfaction, Service, Topic

YES_NO = [("", "—"), ("yes", _("Yes")), ("no", _("No"))]


def _yes_no(value):
    return {"yes": True, "no": False}.get(value)


def _topic_choices():
    return [(topic.code, topic.label) for topic in reference_rows(Topic)]


def _partner_choices():
    return [(str(partner.pk), partner.name) for partner in reference_rows(Partner)]


class ProfileFields(forms.Form):
    """The anonymous profile, every answer optional and coded."""

    gender = CodeField(Gender, blank=True, label=_("Gender"), required=False)
    age_band = CodeField(AgeBand, blank=True, label=_("Age band"), required=False)
    status = CodeField(Status, blank=True, label=_("Status"), required=False)
    education_level = CodeField(EducationLevel, blank=True, label=_("Education level"), required=False)
    foreign_diploma = forms.TypedChoiceField(
        label=_("Foreign diploma without equivalence"),
        choices=YES_NO,
        coerce=_yes_no,
        empty_value=None,
        required=False,
    )
    residence = CodeField(Residence, blank=True, label=_("Place of residence"), required=False)

    PROFILE = ["gender", "age_band", "status", "education_level", "foreign_diploma", "residence"]

    def clean(self):
        cleaned = super().clean()
        for name in ("gender", "age_band", "status", "education_level", "residence"):
            cleaned[name] = cleaned.get(name) or None
        return cleaned

    def profile_fields(self) -> list:
        """The profile's bound fields, for templates to lay out together."""
        return [self[name] for name in self.PROFILE]

    def other_fields(self) -> list:
        """The visible bound fields that are not the profile's."""
        return [field for field in self.visible_fields() if field.name not in self.PROFILE]


class ConsultationForm(ProfileFields):
    """A consultation: what it was about, how, and what came of it. No free text about the person."""

    key = forms.UUIDField(widget=forms.HiddenInput)
    theme = CodeField(Theme, label=_("Theme"), widget=forms.RadioSelect)
    topics = forms.MultipleChoiceField(
        label=_("Topics"), choices=_topic_choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    mode = forms.ChoiceField(label=_("Mode"), choices=Mode.choices, widget=forms.RadioSelect)
    language = CodeField(Language, label=_("Language"))
    started_at = dates.BoundedDateTimeField(
        label=_("Start"),
        bounds=dates.contact_days,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=1,
        max_value=480,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    referred_partners = forms.MultipleChoiceField(
        label=_("Referred to institutions"),
        choices=_partner_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    referred_to_activity = forms.BooleanField(
        label=_("Referred to an activity of the agenda"), required=False
    )
    referred_to_resource = forms.BooleanField(label=_("Referred to a resource"), required=False)
    follow_up = forms.BooleanField(label=_("Follow-up suggested"), required=False)

    def clean(self):
        cleaned = super().clean()
        theme, topics = cleaned.get("theme"), cleaned.get("topics") or []
        themes_of = {topic.code: topic.theme_id for topic in reference_rows(Topic)}
        if theme and any(themes_of.get(code) != theme for code in topics):
            self.add_error("topics", _("Tick only topics of the chosen theme."))
        cleaned["referred_partners"] = [int(pk) for pk in cleaned.get("referred_partners") or []]
        return cleaned


class ConsultationCorrectionForm(ConsultationForm):
    """A correction: the same fields, and cancelling a consultation recorded by mistake."""

    cancelled = forms.BooleanField(label=_("Cancel this consultation (recorded by mistake)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["key"]


def _date_input():
    # A browser's date picker reads and sends ISO dates, whatever the page's language.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ConsultationFilterForm(EndNotBeforeStart, forms.Form):
    start = dates.BoundedDateField(label=_("From"), required=False, widget=_date_input())
    end = dates.BoundedDateField(label=_("To"), required=False, widget=_date_input())
    mine = forms.BooleanField(label=_("Only mine"), required=False)


class QuestionnaireCodeForm(forms.Form):
    service = forms.ChoiceField(
        label=_("About which service?"), choices=Service.choices, widget=forms.RadioSelect
    )


def _radio(label, choices):
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect, required=False)


def _yes_no_radio(label):
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO[1:],
        coerce=_yes_no,
        empty_value=None,
        widget=forms.RadioSelect,
        required=False,
    )


class QuestionnaireForm(ProfileFields):
    """The anonymous end-of-service questionnaire: every question optional."""

    service = _radio(_("Which service did you use today?"), Service.choices)
    satisfaction = forms.TypedChoiceField(
        label=_("How satisfied are you with the service?"),
        choices=Satisfaction.choices,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        required=False,
    )
    found = _radio(_("Did you find what you were looking for?"), Found.choices)
    would_recommend = _yes_no_radio(_("Would you recommend the centre to someone?"))
    first_visit = _yes_no_radio(_("Is this your first visit?"))
    frequency = _radio(_("If not, how often do you come?"), Frequency.choices)
    heard_of = _radio(_("How did you hear of the centre?"), HeardOf.choices)

    def __init__(self, *args, ask_service: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not ask_service:
            del self.fields["service"]
