"""Authentication: Django's model backend, refusing demo accounts outside the demo and dev modes."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class StaffBackend(ModelBackend):
    def user_can_authenticate(self, user):
        # A demo account has a published password: it must never open a door in production, even
        # if a demo database is reused there.
        if getattr(user, "is_demo", False) and not settings.DEMO_ACCOUNTS_ENABLED:
            return False
        return super().user_can_authenticate(user)
