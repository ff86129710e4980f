"""The dashboard's period picker and the director's forms: validation and widgets only."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from citedesmetiers import dates
from stats import periods
from stats.models import OnlineFigures, ReportText

WHOLE_YEAR = "year"
# Every figure of a period that has not started would be 0: said instead of shown.
NOT_STARTED = _("There are no figures yet for a period that has not started.")
FIRST_YEAR = "first-year"


def _parts():
    quarters = [(f"Q{number}", _("Quarter %(number)d") % {"number": number}) for number in range(1, 5)]
    months = [(f"{number:02d}", MONTHS[number]) for number in range(1, 13)]
    return [(WHOLE_YEAR, _("The whole year")), *quarters, *months]


class PeriodForm(forms.Form):
    """A year and a part of it (quarter, month), the first year from the opening, or any days."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    part = forms.ChoiceField(label=_("Part"), required=False)
    start = dates.BoundedDateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = dates.BoundedDateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        today = self.today = today or timezone.localdate()
        self.fields["year"].choices = [(number, str(number)) for number in range(today.year, 2017, -1)]
        self.fields["part"].choices = [
            *_parts(),
            (FIRST_YEAR, _("First year from the opening (5 March 2018)")),
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if bool(start) != bool(end):
            raise forms.ValidationError(_("For a range of days, give its first and its last day."))
        if start and end and end < start:
            raise forms.ValidationError(_("The end date is before the start date."))
        if (start or cleaned.get("year")) and not periods.started(self.period(), today=self.today):
            raise forms.ValidationError(NOT_STARTED)
        return cleaned

    def period(self) -> periods.Period:
        """The period chosen (call after is_valid(); clean() calls it once the dates are checked)."""
        data = self.cleaned_data
        if data.get("start"):
            return periods.Period(data["start"], data["end"])
        part = data.get("part") or WHOLE_YEAR
        if part == FIRST_YEAR:
            return periods.first_year()
        if part == WHOLE_YEAR:
            return periods.year(data["year"])
        if part.startswith("Q"):
            return periods.quarter(data["year"], int(part[1]))
        return periods.month(data["year"], int(part))

    @staticmethod
    def initial_for(period: periods.Period) -> dict:
        if period.kind == "first_year":
            return {"year": period.start.year, "part": FIRST_YEAR}
        if period.kind == "range":
            return {"year": period.start.year, "start": period.start, "end": period.end}
        part = {
            "year": WHOLE_YEAR,
            "quarter": f"Q{(period.start.month - 1) // 3 + 1}",
            "month": f"{period.start.month:02d}",
        }[period.kind]
        return {"year": period.start.year, "part": part}


class ReportTextForm(forms.ModelForm):
    class Meta:
        model = ReportText
        fields = list(ReportText.TEXT_FIELDS)
        widgets = {
            **{
                name: forms.Textarea(attrs={"rows": 8})
                for name in fields
                if name.startswith(("preamble", "high"))
            },
            **{name: forms.Textarea(attrs={"rows": 3}) for name in ("quote_fr", "quote_nl", "quote_en")},
        }


class OnlineFiguresForm(forms.ModelForm):
    """The year's online figures and, where the director has them, each month's: page views of the
    month and followers at its end (periods of whole months are counted from them)."""

    class Meta:
        model = OnlineFigures
        fields = ["facebook_followers", "twitter_followers", "web_page_views"]

    def __init__(self, *args, months: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        months = months or {}
        for number in range(1, 13):
            row = months.get(number)
            for name in self.Meta.fields:
                self.fields[self.month_field(number, name)] = forms.IntegerField(
                    label=_("%(figure)s, %(month)s")
                    % {"figure": OnlineFigures._meta.get_field(name).verbose_name, "month": MONTHS[number]},
                    min_value=0,
                    max_value=2_000_000_000,
                    required=False,
                    initial=getattr(row, name, None),
                )

    @staticmethod
    def month_field(number: int, name: str) -> str:
        return f"month_{number:02d}_{name}"

    def month_values(self) -> dict[int, dict]:
        """{month: {figure: value or None}} (call after is_valid())."""
        return {
            number: {name: self.cleaned_data.get(self.month_field(number, name)) for name in self.Meta.fields}
            for number in range(1, 13)
        }

    def month_rows(self) -> list[tuple[str, list]]:
        """The months as table rows: (month name, its three fields)."""
        return [
            (MONTHS[number], [self[self.month_field(number, name)] for name in self.Meta.fields])
            for number in range(1, 13)
        ]
