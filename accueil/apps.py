from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from citedesmetiers.menu import MenuEntry


class AccueilConfig(AppConfig):
    name = "accueil"
    verbose_name = _("Reception desk and queue")

    # Its daily summaries (citedesmetiers.summaries), kept by `manage.py summarise_days`.
    daily_summaries = ("accueil.selectors.VISIT_DAYS",)
    # The queue's figures and reception's changes of closed spans, kept whole (summaries.KeptFigures).
    kept_figures = ("accueil.selectors.KEPT_QUEUE", "accueil.selectors.KEPT_CHANGES")

    menu_entries = [
        MenuEntry(
            "accueil:desk",
            _("Reception desk"),
            _("Log each visit and contact in one or two taps; give queue tickets for individual advice."),
            "accueil.add_visit",
        ),
        MenuEntry(
            "accueil:queue",
            _("Walk-in queue"),
            _("See who is waiting; advisers call the next person for their themes and languages."),
            "accueil.view_ticket",
        ),
        MenuEntry(
            "profile",
            _("My languages"),
            _("The languages you advise in: the queue offers you the people who speak them."),
            "accueil.serve_ticket",
        ),
        MenuEntry(
            "accueil:entries",
            _("Entries and corrections"),
            _("Every entry of a day at the desk; correct or cancel a mistaken one."),
            "accueil.change_visit",
        ),
        MenuEntry(
            "accueil:waiting_room",
            _("Waiting-room screen"),
            _("The public screen of the waiting area: numbers called, desks, estimated waits."),
            "accueil.view_ticket",
        ),
    ]
