from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from citedesmetiers.menu import MenuEntry

MANAGE = ("activites.manage_partner_activities", "activites.manage_all_activities")


class ActivitesConfig(AppConfig):
    name = "activites"
    verbose_name = _("Collective activities")

    # Records of one institution (a `partner` field): its lead reads their lines in the audit trail.
    institution_records = ("activites.activity",)
    # Its figures of closed spans, kept whole (citedesmetiers.summaries.Kept), kept by summarise_days.
    kept_figures = ("activites.selectors.KEPT_ACTIVITIES",)

    menu_entries = [
        MenuEntry(
            "activites:activities",
            _("Activities"),
            _("Your agenda: registrations, waiting lists, the check-in list at the door, attendance."),
            MANAGE,
        ),
        MenuEntry(
            "activites:activity_new",
            _("Schedule an activity"),
            _("One session or the same one every week, in French and Dutch, in a room, outside or online."),
            MANAGE,
        ),
    ]
