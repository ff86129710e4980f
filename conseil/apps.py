from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from citedesmetiers.menu import MenuEntry


class ConseilConfig(AppConfig):
    name = "conseil"
    verbose_name = _("Individual advice")

    # Records of one institution (a `partner` field): its lead reads their lines in the audit trail.
    institution_records = ("conseil.consultation",)

    # Its daily summaries (citedesmetiers.summaries), kept by `manage.py summarise_days`.
    daily_summaries = ("conseil.selectors.CONSULTATION_DAYS",)
    # The questionnaires' results of closed spans, kept whole (citedesmetiers.summaries.KeptFigures).
    kept_figures = ("conseil.selectors.KEPT_ANSWERS",)

    menu_entries = [
        MenuEntry(
            "conseil:consultation_new",
            _("Record a consultation"),
            _("Without a ticket too: phone, video, e-mail, a follow-up. Codes only, never a name."),
            "conseil.add_consultation",
        ),
        MenuEntry(
            "conseil:consultations",
            _("Consultations"),
            _("The consultations you may see, by period, with their counts and a spreadsheet export."),
            ("conseil.view_institution_consultations", "conseil.view_all_consultations"),
        ),
        MenuEntry(
            "conseil:questionnaire_show",
            _("Show the questionnaire"),
            _("A QR code and a short link for the person to say, anonymously, how it went."),
            "conseil.add_questionnairecode",
        ),
    ]
