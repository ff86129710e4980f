"""The back office: Django's admin under settings.ADMIN_PATH, opened by a permission, not `is_staff`."""

import functools

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest, PermissionDenied
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from citedesmetiers import forms, roles, selectors, services
from citedesmetiers.models import (
    WEEKDAYS,
    AgeBand,
    CentreInfo,
    Channel,
    Closure,
    EducationLevel,
    Gender,
    JobRun,
    Language,
    Partner,
    Residence,
    Space,
    Status,
    Theme,
    User,
)

# The admin's own titles, worded here again so that they read well with the project's names: Django's
# French "Ajout de %s" gives "Ajout de espace", without the elision ("Ajouter : espace").
ADMIN_TITLES = (gettext_noop("Add %s"), gettext_noop("Change %s"), gettext_noop("View %s"))


class BackOffice(admin.AdminSite):
    site_header = _("Cité des métiers · back office")
    site_title = _("Back office")
    index_title = _("Reference data and staff accounts")
    site_url = "/"

    def has_permission(self, request):
        return request.user.is_active and request.user.has_perm("citedesmetiers.access_backoffice")

    def login(self, request, extra_context=None):
        # Signed in but without the permission: refuse, rather than send back to a sign-in page that
        # would send them here again.
        if request.user.is_authenticated:
            raise PermissionDenied
        # One sign-in page for the whole site, with its throttling.
        return redirect_to_login(request.GET.get("next") or request.get_full_path(), reverse("login"))

    def admin_view(self, view, cacheable=False):
        checked = super().admin_view(view, cacheable)

        @functools.wraps(checked)
        def without_nul(request, *args, **kwargs):
            # The lists' filters and search reach the database as typed, and PostgreSQL refuses a NUL byte.
            if any("\x00" in text for name, values in request.GET.lists() for text in [name, *values]):
                raise BadRequest("a NUL byte in the query string")
            return checked(request, *args, **kwargs)

        return without_nul


backoffice = BackOffice(name="admin")


class VocabularyAdmin(admin.ModelAdmin):
    list_display = ["code", "label_fr", "label_nl", "label_en", "position", "active"]
    list_filter = ["active"]
    search_fields = ["code", "label_fr", "label_nl", "label_en"]

    def has_delete_permission(self, request, obj=None):
        return False  # codes are stored in rows everywhere: deactivate instead


@admin.register(Theme, site=backoffice)
class ThemeAdmin(VocabularyAdmin):
    list_display = ["code", "letter", "label_fr", "label_nl", "label_en", "colour", "position"]


@admin.register(AgeBand, site=backoffice)
class AgeBandAdmin(VocabularyAdmin):
    list_display = ["code", "label_fr", "label_nl", "min_age", "max_age", "active"]


@admin.register(Residence, site=backoffice)
class ResidenceAdmin(VocabularyAdmin):
    list_display = ["code", "label_fr", "label_nl", "region", "active"]
    list_filter = ["region", "active"]


@admin.register(Language, site=backoffice)
class LanguageAdmin(VocabularyAdmin):
    list_display = ["code", "endonym", "label_fr", "label_nl", "label_en", "position", "active"]


for model in (Gender, Status, EducationLevel, Channel):
    backoffice.register(model, VocabularyAdmin)


class PartnerForm(forms.PicturesForm):
    pictures = ("logo",)


@admin.register(Partner, site=backoffice)
class PartnerAdmin(admin.ModelAdmin):
    form = PartnerForm
    list_display = ["name_fr", "name_nl", "circle", "promoter", "active"]
    list_filter = ["circle", "promoter", "active", "themes"]
    search_fields = ["code", "name_fr", "name_nl", "name_en"]
    prepopulated_fields = {"code": ["name_fr"]}
    filter_horizontal = ["themes"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["name_fr", "name_nl", "name_en", "code", "logo"]}),
        (
            _("Role at the centre"),
            {"fields": ["circle", "promoter", "themes", "active", "position"]},
        ),
        (_("Contact"), {"fields": ["website"]}),
    ]

    def has_delete_permission(self, request, obj=None):
        return False  # records keep their institution: mark it inactive instead


@admin.register(Space, site=backoffice)
class SpaceAdmin(admin.ModelAdmin):
    list_display = ["name_fr", "name_nl", "kind", "area", "capacity", "bookable", "active"]
    list_filter = ["kind", "bookable", "active"]
    search_fields = ["code", "name_fr", "name_nl", "name_en"]
    prepopulated_fields = {"code": ["name_fr"]}
    fieldsets = [
        (None, {"fields": ["name_fr", "name_nl", "name_en", "code", "kind"]}),
        (_("Description"), {"fields": ["description_fr", "description_nl", "description_en"]}),
        (
            _("Use"),
            {"fields": ["area", "capacity", "computers", "tablets", "bookable", "active", "position"]},
        ),
    ]


@admin.register(User, site=backoffice)
class StaffAccountAdmin(UserAdmin):
    form = forms.StaffAccountForm
    list_display = ["username", "first_name", "last_name", "role_names", "partner", "is_active"]
    list_filter = ["groups", "partner", "is_active", "is_demo"]
    search_fields = ["username", "first_name", "last_name", "email"]
    readonly_fields = ["last_login", "date_joined", "is_demo", "second_factor"]
    fieldsets = [
        (None, {"fields": ["username", "password", "second_factor"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Work"), {"fields": ["groups", "partner", "is_active"]}),
        (_("History"), {"fields": ["last_login", "date_joined", "is_demo"]}),
    ]
    actions = ["reset_second_factor"]
    # Access comes from roles only (roles.py): no permission is given to one person.
    superuser_fieldsets = [(_("Superuser"), {"fields": ["is_superuser"]})]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return self.fieldsets + self.superuser_fieldsets
        return self.fieldsets

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("partner").prefetch_related("groups")

    @admin.display(description=_("Second factor"))
    def second_factor(self, obj):
        if obj.totp_confirmed_at:
            return _("set up on %(date)s") % {"date": date_format(timezone.localtime(obj.totp_confirmed_at))}
        return _("not set up (asked at the next sign-in when the role needs it)")

    @admin.action(description=_("Reset the second factor (lost phone)"), permissions=["change"])
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            services.second_factor_reset(user=user, actor=request.user)
        self.message_user(
            request, _("Reset: they will set up a new second factor at their next sign-in."), messages.SUCCESS
        )

    @admin.display(description=_("Roles"))
    def role_names(self, obj):
        return ", ".join(roles.label(group.name) for group in obj.groups.all())


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never added, changed or deleted in the back office."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Group, site=backoffice)
class RoleAdmin(ReadOnlyAdmin):
    """Roles are read-only here: their permissions are written in roles.py."""

    list_display = ["name"]


@admin.register(JobRun, site=backoffice)
class JobRunAdmin(ReadOnlyAdmin):
    """What the scheduler ran and how it ended: read-only, written by scheduler.job_run only."""

    list_display = ["job", "started_at", "finished_at", "outcome", "output"]
    list_filter = ["job", "succeeded"]
    date_hierarchy = "started_at"

    @admin.display(description=_("outcome"))
    def outcome(self, obj):
        return {True: _("succeeded"), False: _("failed"), None: _("running or cut off")}[obj.succeeded]


# --- The centre's practical information (issue 17) -------------------------------------------------


class ClosureInline(admin.StackedInline):
    """Stacked: each field with its label (a tabular inline's inputs have none, and its five columns
    overflow a desk PC's screen)."""

    model = Closure
    extra = 1
    fields = ["first_day", "last_day", "reason_fr", "reason_nl", "reason_en"]


@admin.register(CentreInfo, site=backoffice)
class CentreInfoAdmin(admin.ModelAdmin):
    """One row, edited in place: the list goes straight to it; never added twice, never deleted."""

    inlines = [ClosureInline]
    list_display = ["__str__", "address_fr", "phone", "email", "is_demo"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (_("Address"), {"fields": ["address_fr", "address_nl", "address_en", "map_url"]}),
        (_("Contact"), {"fields": ["phone", "email"]}),
        (
            _("Opening hours"),
            {
                "fields": [(f"{day}_opens", f"{day}_closes") for day in WEEKDAYS],
                "description": _("Leave both times empty on the days the centre is closed."),
            },
        ),
        (
            _("Accessibility"),
            {
                "fields": [
                    "access_fr",
                    "access_nl",
                    "access_en",
                    "transport_fr",
                    "transport_nl",
                    "transport_en",
                ]
            },
        ),
        (_("Demo"), {"fields": ["is_demo"]}),
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not CentreInfo.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        info = CentreInfo.objects.first()
        if info is not None and self.has_view_or_change_permission(request, info):
            return redirect(reverse("admin:citedesmetiers_centreinfo_change", args=[info.pk]))
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        obj.pk = 1  # the single row (a database constraint)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        selectors.reference_cache_clear()  # every page's footer shows the change at once
