"""Forms of the reception desk and the queue: validation and widgets only."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accueil.models import KIOSK_CHANNEL, Orientation, Priority, Visit
from citedesmetiers import dates
from citedesmetiers.capture import CaptureFields, reset_after_capture
from citedesmetiers.forms import CheckingForm, ChoiceField, CodeField
from citedesmetiers.models import AgeBand, Channel, Gender, Language, Partner, Residence, Status, Theme
from citedesmetiers.selectors import reference_rows

GENERAL = "general"  # the theme button for general information (stored as no theme)


def _partners():
    return [("", "—")] + [
        (str(partner.pk), partner.name) for partner in reference_rows(Partner) if partner.circle == 1
    ]


class VisitForm(CheckingForm, CaptureFields):
    """One visit at the desk. The theme comes from the button tapped; the rest stays selected.
    The desk checks each tap with the class's own fields (CheckingForm)."""

    theme = CodeField(Theme, label=_("Theme"), also=((GENERAL, _("General information")),))
    orientation = ChoiceField(label=_("Directed to"), choices=Orientation.choices, widget=forms.RadioSelect)
    language = CodeField(Language, label=_("Language"), widget=forms.RadioSelect)
    # The kiosk records its own visits: the desk never enters one under its channel.
    channel = CodeField(Channel, label=_("Channel"), widget=forms.RadioSelect, exclude=(KIOSK_CHANNEL,))
    count = reset_after_capture(
        forms.IntegerField(
            label=_("Number of people"),
            min_value=1,
            max_value=500,
            initial=1,
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        )
    )
    gender = reset_after_capture(CodeField(Gender, blank=True, label=_("Gender"), required=False))
    age_band = reset_after_capture(CodeField(AgeBand, blank=True, label=_("Age band"), required=False))
    status = reset_after_capture(CodeField(Status, blank=True, label=_("Status"), required=False))
    residence = reset_after_capture(
        CodeField(Residence, blank=True, label=_("Place of residence"), required=False)
    )
    partner = reset_after_capture(
        ChoiceField(label=_("Institution asked for"), choices=_partners, required=False)
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("theme") == GENERAL:
            cleaned["theme"] = None
            if cleaned.get("orientation") == Orientation.ADVICE:
                raise ValidationError(_("For individual advice, choose one of the five themes."))
        for name in ("gender", "age_band", "status", "residence"):
            cleaned[name] = cleaned.get(name) or None
        cleaned["partner"] = int(cleaned["partner"]) if cleaned.get("partner") else None
        return cleaned


class UndoForm(forms.Form):
    key = forms.UUIDField(widget=forms.HiddenInput)


class VisitCorrectionForm(forms.ModelForm):
    """A coordinator's correction of an entry: every field, the time, and cancellation."""

    occurred_at = dates.BoundedDateTimeField(
        label=_("Date and time of the contact"),
        bounds=dates.contact_days,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    cancelled = forms.BooleanField(label=_("Cancelled (does not count)"), required=False)

    class Meta:
        model = Visit
        fields = ["occurred_at", "theme", "orientation", "language", "channel", "count"]
        fields += ["gender", "age_band", "status", "residence"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cancelled"].initial = self.instance.cancelled
        self.fields["theme"].empty_label = _("General information")


class DeskForm(forms.Form):
    """The desk an adviser calls people to, as the waiting-room screen shows it."""

    desk = forms.CharField(label=_("Your desk"), max_length=20)


class KioskForm(forms.Form):
    """A ticket asked for at the self-service kiosk: the key minted with the page, and the theme tapped.
    The language is the page's; nothing about the person is asked."""

    key = forms.UUIDField(widget=forms.HiddenInput)
    theme = CodeField(Theme, label=_("Theme"))


# --- reception's hand on the queue (docs/reception.md, "The queue") ------------------------------------


class TicketTransferForm(forms.Form):
    """Another theme and/or institution for a waiting ticket (empty institution: any)."""

    theme = CodeField(Theme, label=_("Theme"))
    partner = forms.ChoiceField(label=_("Institution asked for"), choices=_partners, required=False)

    def clean_partner(self):
        return int(self.cleaned_data["partner"]) if self.cleaned_data.get("partner") else None


class TicketPriorityForm(forms.Form):
    """A priority reason code for a waiting ticket (a code only: nothing else about the person)."""

    reason = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, required=False)


# --- the coordinators' entries list ------------------------------------------------------------------


class EntriesDayForm(forms.Form):
    """The day whose entries are listed (today when none is given), within the days a list may show."""

    date = dates.BoundedDateField(
        label=_("Day"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
