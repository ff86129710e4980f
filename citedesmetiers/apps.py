from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from citedesmetiers.menu import MenuEntry


def _sync_roles(sender, **kwargs):
    from citedesmetiers import services

    services.roles_sync(verbosity=kwargs.get("verbosity", 0))


class CitedesmetiersConfig(AppConfig):
    name = "citedesmetiers"
    verbose_name = _("Centre and reference data")
    default_auto_field = "django.db.models.BigAutoField"

    menu_entries = [
        MenuEntry(
            "admin:citedesmetiers_partner_changelist",
            _("Partner institutions"),
            _("Add a partner, change its names, themes and circle, or mark it inactive."),
            "citedesmetiers.view_partner",
        ),
        MenuEntry(
            "admin:citedesmetiers_space_changelist",
            _("Spaces of the centre"),
            _("The rooms and spaces, their capacity and equipment, and which can host activities."),
            "citedesmetiers.view_space",
        ),
        MenuEntry(
            "admin:citedesmetiers_language_changelist",
            _("Reference lists"),
            _("Themes, languages, age bands, statuses and the other coded lists used in figures."),
            "citedesmetiers.view_language",
        ),
        MenuEntry(
            "admin:citedesmetiers_user_changelist",
            _("Staff accounts"),
            _("Create accounts, give roles and institutions, deactivate those who left."),
            "citedesmetiers.view_user",
        ),
        MenuEntry(
            "audit_trail",
            _("Audit trail"),
            _("Who did what to which record, and when: filter, read, export."),
            ("citedesmetiers.view_auditentry", "citedesmetiers.view_institution_audit"),
        ),
        MenuEntry(
            "password_change",
            _("Change my password"),
            _("Choose a new password of at least 12 characters."),
        ),
    ]

    def ready(self):
        # Roles are groups whose permissions roles.py defines: keep them in step after every migrate.
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="citedesmetiers.sync_roles")
