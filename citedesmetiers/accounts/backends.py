"""Authentication: Django's model backend, with demo accounts refused outside the demo and dev modes,
and permissions that come from roles only (roles.py), read with the person in one query."""

import functools

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group

from citedesmetiers import roles


@functools.cache
def _user_with_roles_sql() -> str:
    user_model = get_user_model()
    users = user_model._meta.db_table
    memberships = user_model.groups.through._meta.db_table
    return (
        f"SELECT u.*, ARRAY(SELECT g.name FROM {Group._meta.db_table} g "  # noqa: S608 (table names)  # nosec B608
        f"JOIN {memberships} m ON m.group_id = g.id WHERE m.user_id = u.id) AS role_names "
        f"FROM {users} u WHERE u.id = %s"
    )


class StaffBackend(ModelBackend):
    def user_can_authenticate(self, user):
        # A demo account has a published password: it must never open a door in production, even
        # if a demo database is reused there.
        if getattr(user, "is_demo", False) and not settings.DEMO_ACCOUNTS_ENABLED:
            return False
        return super().user_can_authenticate(user)

    def get_user(self, user_id):
        """The signed-in person and the names of their roles, in one query: every request needs both.

        Written once in SQL: the ORM would compile the subquery anew on every request."""
        user = next(iter(get_user_model()._default_manager.raw(_user_with_roles_sql(), [user_id])), None)
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        """The permissions of the person's roles, as roles.py writes them (a permission given to a
        person directly does not count: roles are the one place where access is decided)."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:
            return super().get_all_permissions(user_obj)
        if not hasattr(user_obj, "_perm_cache"):
            names = getattr(user_obj, "role_names", None)
            if names is None:
                names = list(user_obj.groups.values_list("name", flat=True))
            user_obj._perm_cache = roles.permissions_of(names)
        return user_obj._perm_cache
