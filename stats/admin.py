"""The year's report texts in the back office, with the timeline's entries and the testimonials as
inlines under them. The same rule as the dashboard's form: whoever may change the report texts (the
director, citedesmetiers.roles) edits all three; nobody else sees them."""

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citedesmetiers.admin import backoffice
from citedesmetiers.forms import PicturesForm
from stats.models import Highlight, ReportText, Testimonial


class _ReportTextRule:
    """The permissions of the report texts, for the rows that belong to them."""

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("stats.view_reporttext")

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("stats.change_reporttext")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("stats.change_reporttext")

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("stats.change_reporttext")


class HighlightForm(PicturesForm):
    pictures = ("photo",)

    class Meta:
        model = Highlight
        fields = [
            "day",
            *(f"{name}_{language}" for name in ("title", "text") for language in ("fr", "nl", "en")),
            "photo",
            *(f"photo_alt_{language}" for language in ("fr", "nl", "en")),
        ]
        widgets = {
            "text_fr": forms.Textarea(attrs={"rows": 3}),
            "text_nl": forms.Textarea(attrs={"rows": 3}),
            "text_en": forms.Textarea(attrs={"rows": 3}),
        }


class HighlightInline(_ReportTextRule, admin.StackedInline):
    model = Highlight
    form = HighlightForm
    extra = 0
    fields = [
        "day",
        ("title_fr", "title_nl", "title_en"),
        ("text_fr", "text_nl", "text_en"),
        "photo",
        ("photo_alt_fr", "photo_alt_nl", "photo_alt_en"),
    ]


class TestimonialForm(forms.ModelForm):
    class Meta:
        model = Testimonial
        fields = [
            *(f"{name}_{language}" for name in ("quote", "attribution") for language in ("fr", "nl", "en")),
            "position",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in ("quote_fr", "quote_nl", "quote_en")}


class TestimonialInline(_ReportTextRule, admin.StackedInline):
    model = Testimonial
    form = TestimonialForm
    extra = 0
    fields = [
        ("quote_fr", "quote_nl", "quote_en"),
        ("attribution_fr", "attribution_nl", "attribution_en"),
        "position",
    ]


class ReportTextForm(PicturesForm):
    pictures = ReportText.PHOTO_FIELDS


@admin.register(ReportText, site=backoffice)
class ReportTextAdmin(_ReportTextRule, admin.ModelAdmin):
    form = ReportTextForm
    inlines = [HighlightInline, TestimonialInline]
    list_display = ["year", "signatory_name", "updated_at"]
    readonly_fields = ["updated_at", "updated_by"]
    fieldsets = [
        (None, {"fields": ["year"]}),
        (
            _("Cover"),
            {
                "fields": ["cover_photo", ("cover_photo_alt_fr", "cover_photo_alt_nl", "cover_photo_alt_en")],
                "description": _(
                    "A wide picture, shown across the cover; describe it for readers who cannot see it."
                ),
            },
        ),
        (
            _("Preamble"),
            {
                "fields": [
                    "preamble_fr",
                    "preamble_nl",
                    "preamble_en",
                    "signatory_name",
                    ("signatory_role_fr", "signatory_role_nl", "signatory_role_en"),
                    ("quote_fr", "quote_nl", "quote_en"),
                    ("signatory_photo", "signature"),
                ]
            },
        ),
        (
            _("Highlights as free text"),
            {
                "fields": ["highlights_fr", "highlights_nl", "highlights_en"],
                "classes": ["collapse"],
                "description": _("Shown only while the year has no highlight entries below."),
            },
        ),
        (
            _("The team"),
            {"fields": ["team_photo", ("team_photo_alt_fr", "team_photo_alt_nl", "team_photo_alt_en")]},
        ),
        (_("Changes"), {"fields": ["updated_at", "updated_by"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "year"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        obj.updated_at, obj.updated_by = timezone.now(), request.user
        super().save_model(request, obj, form, change)
