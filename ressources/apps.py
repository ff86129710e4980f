from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RessourcesConfig(AppConfig):
    name = "ressources"
    verbose_name = _("Multimedia and documentary space")
