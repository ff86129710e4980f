from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from citedesmetiers.menu import MenuEntry


class RessourcesConfig(AppConfig):
    name = "ressources"
    verbose_name = _("Multimedia and documentary space")
    # The multimedia space's figures of closed spans, kept whole (citedesmetiers.summaries.KeptFigures).
    kept_figures = ("ressources.selectors.KEPT_SPACE",)

    menu_entries = [
        MenuEntry(
            "ressources:space",
            _("Multimedia space"),
            _("The tablet: entries in one tap, occupancy counts, digital help given, today's tutorials."),
            "ressources.add_spaceentry",
        ),
        MenuEntry(
            "ressources:space_figures",
            _("Multimedia space figures"),
            _("Entries, occupancy by weekday and hour, digital help by topic, over any period."),
            "ressources.view_occupancysweep",
        ),
        MenuEntry(
            "ressources:resources",
            _("Catalogue"),
            _("Brochures, books, guides, websites, tools, videos and documents: add, change, check links."),
            "ressources.change_resource",
        ),
        MenuEntry(
            "ressources:catalogue",
            _("Search the documentation"),
            _("The public catalogue, as visitors see it; report a link that no longer works."),
            "ressources.report_broken_link",
        ),
    ]
