"""Forms of the catalogue and of the multimedia space's tablet: validation and widgets only."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from citedesmetiers import dates
from citedesmetiers.capture import CaptureFields
from citedesmetiers.files import ACCEPT, file_check
from citedesmetiers.forms import CodeField, ListFilters
from citedesmetiers.models import Audience, Language, Theme
from citedesmetiers.selectors import reference_rows
from ressources.models import HelpTopic, Kind, Resource

NO_THEME = "none"  # the help form's "no particular theme" choice (stored as no theme)
# The durations offered as buttons on the tablet, in minutes.
HELP_DURATIONS = (5, 10, 15, 30, 45, 60)


class CatalogueSearchForm(ListFilters):
    """The catalogue's search: words, and the filters of every public list."""

    q = forms.CharField(
        label=_("Words to look for"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "enterkeyhint": "search", "autocomplete": "off"}),
    )
    kinds = Kind.choices
    field_order = ["q", "theme", "kind", "audience", "language"]


class StaffCatalogueForm(CatalogueSearchForm):
    """The coordinators' list adds the resources whose link was reported broken."""

    broken = forms.BooleanField(label=_("Only links reported broken"), required=False)


class ResourceForm(forms.ModelForm):
    """A resource of the catalogue: French and Dutch required, English optional; a link, a file or a shelf."""

    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    audiences = forms.MultipleChoiceField(
        label=_("Audience"),
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None ticked: everyone."),
    )
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https", max_length=500)
    upload = forms.FileField(
        label=_("File"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    remove_file = forms.BooleanField(label=_("Remove the current file"), required=False)
    key = forms.UUIDField(widget=forms.HiddenInput)  # minted when the form is shown (see Resource.key)

    class Meta:
        model = Resource
        fields = [name for name in Resource.EDITABLE_FIELDS if name != "audiences"]
        widgets = {
            "summary_fr": forms.Textarea(attrs={"rows": 4}),
            "summary_nl": forms.Textarea(attrs={"rows": 4}),
            "summary_en": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].queryset = Language.objects.filter(active=True)
        self.fields["shelf_theme"].queryset = Theme.objects.filter(active=True)
        self.fields["shelf_theme"].empty_label = _("Not on the shelves")
        self.fields["upload"].help_text = _(
            "PDF, images, MP4 video or office documents (Word, Excel, PowerPoint, OpenDocument)."
        )
        if self.instance.pk:
            self.initial.setdefault("themes", list(self.instance.themes.values_list("pk", flat=True)))
            self.initial.setdefault("audiences", self.instance.audiences)
        if not (self.instance.pk and self.instance.file):
            del self.fields["remove_file"]
        if self.instance.pk:
            del self.fields["key"]  # a change is idempotent already

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            file_check(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        keeps_file = self.instance.pk and self.instance.file and not cleaned.get("remove_file")
        has_place = cleaned.get("url") or cleaned.get("upload") or keeps_file or cleaned.get("shelf_theme")
        if not has_place and not self.errors:
            raise ValidationError(_("Give a link, a file or a place on the shelves."))
        if cleaned.get("shelf_mark") and not cleaned.get("shelf_theme"):
            self.add_error("shelf_theme", _("Choose the shelf of this place."))
        return cleaned

    def values(self) -> dict:
        """The columns for the service (themes and the file go separately)."""
        values = {name: self.cleaned_data[name] for name in self._meta.fields}
        values["audiences"] = self.cleaned_data["audiences"]
        return values

    def _post_clean(self):
        # The service validates the whole row (constraints included) when it saves: nothing to do here
        # that could touch the instance before the service locks it.
        pass


class SpaceEntryForm(CaptureFields):
    """People entering the multimedia space: one tap (+1), or a group of N."""

    count = forms.IntegerField(
        label=_("Number of people"),
        min_value=1,
        max_value=100,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class OccupancySweepForm(CaptureFields):
    """How many people use the computers, the tablets and the documentary space right now."""

    computers = forms.IntegerField(
        label=_("Computers in use"), min_value=0, max_value=500, initial=0, widget=forms.NumberInput
    )
    tablets = forms.IntegerField(
        label=_("Tablets in use"), min_value=0, max_value=500, initial=0, widget=forms.NumberInput
    )
    documentary = forms.IntegerField(
        label=_("People in the documentary space"), min_value=0, max_value=500, initial=0
    )


class DigitalHelpForm(CaptureFields):
    """Help given to someone: the topic comes from the button tapped; theme and duration stay selected."""

    topic = CodeField(HelpTopic, label=_("Topic"))
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    duration_minutes = forms.TypedChoiceField(
        label=_("Duration"), coerce=int, initial=15, widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [(NO_THEME, _("No particular theme"))] + [
            (theme.code, theme.label) for theme in reference_rows(Theme)
        ]
        self.fields["duration_minutes"].choices = [
            (minutes, _("%(minutes)d min") % {"minutes": minutes}) for minutes in HELP_DURATIONS
        ]

    def clean_theme(self):
        theme = self.cleaned_data.get("theme")
        return None if theme in ("", NO_THEME) else theme


class UndoForm(forms.Form):
    key = forms.UUIDField()


class FiguresPeriodForm(forms.Form):
    """The days of the space's figures: both optional (the last 8 weeks unless given), within the days a
    figure may be asked for (citedesmetiers.dates)."""

    start = dates.BoundedDateField(label=_("From"), required=False)
    end = dates.BoundedDateField(label=_("To"), required=False)
