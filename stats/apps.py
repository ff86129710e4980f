from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from citedesmetiers.menu import MenuEntry


class StatsConfig(AppConfig):
    name = "stats"
    verbose_name = _("Figures and annual report")

    menu_entries = [
        MenuEntry(
            "stats:dashboard",
            _("Figures and annual report"),
            _(
                "Any year, quarter or month next to the year before, with definitions and charts; "
                "the report as PDF, XLSX or CSV."
            ),
            ("stats.view_figures", "stats.view_partner_figures"),
        ),
    ]
