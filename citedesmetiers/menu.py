"""The staff home's entries: each AppConfig lists the screens its app offers and the permission each needs."""

from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class MenuEntry:
    """A screen offered on the staff home to those holding `permission` (None: every staff member)."""

    url_name: str
    label: str | Promise
    description: str | Promise
    permission: str | None = None

    @property
    def url(self) -> str:
        return reverse(self.url_name)


def entries_for(user) -> list[MenuEntry]:
    """The entries of every installed app that this user may open, in INSTALLED_APPS order."""
    return [
        entry
        for app_config in apps.get_app_configs()
        for entry in getattr(app_config, "menu_entries", ())
        if entry.permission is None or user.has_perm(entry.permission)
    ]
