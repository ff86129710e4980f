"""The staff home's entries: each AppConfig lists the screens its app offers and the permission each needs."""

from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class MenuEntry:
    """A screen offered on the staff home to those holding `permission`, or any of several (None:
    every staff member)."""

    url_name: str
    label: str | Promise
    description: str | Promise
    permission: str | tuple[str, ...] | None = None

    def allowed(self, user) -> bool:
        if self.permission is None:
            return True
        permissions = (self.permission,) if isinstance(self.permission, str) else self.permission
        return any(user.has_perm(permission) for permission in permissions)

    @property
    def url(self) -> str:
        return reverse(self.url_name)


def entries_for(user) -> list[MenuEntry]:
    """The entries that this user may open: the daily work of each app in INSTALLED_APPS order, then
    the platform's own (back office, password)."""
    configs = sorted(apps.get_app_configs(), key=lambda config: config.name == "citedesmetiers")
    return [
        entry
        for app_config in configs
        for entry in getattr(app_config, "menu_entries", ())
        if entry.allowed(user)
    ]
