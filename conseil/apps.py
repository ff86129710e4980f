from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConseilConfig(AppConfig):
    name = "conseil"
    verbose_name = _("Individual advice")
