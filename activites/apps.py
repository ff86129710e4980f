from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitesConfig(AppConfig):
    name = "activites"
    verbose_name = _("Collective activities")
