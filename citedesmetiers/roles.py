"""The staff roles: each is a group whose permissions are written here, and only here.

`services.roles_sync()` makes the groups match this file after every `migrate`; a permission given to a
group by hand is taken back at the next sync. A person's permissions are those of their roles only
(backends.StaffBackend): no permission is given to one person directly.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RECEPTION_AGENT = "reception_agent", _("Reception agent")
    DIGITAL_STEWARD = "digital_steward", _("Digital steward")
    ADVISER = "adviser", _("Adviser")
    PARTNER_LEAD = "partner_lead", _("Partner lead")
    ACTIVITY_ORGANISER = "activity_organiser", _("Activity organiser")
    COORDINATOR = "coordinator", _("Coordinator")
    DIRECTOR = "director", _("Director")
    ADMINISTRATOR = "administrator", _("Administrator")


# Roles whose holders work for a partner institution and only see its records.
PARTNER_ROLES = frozenset({Role.ADVISER, Role.PARTNER_LEAD, Role.ACTIVITY_ORGANISER})
# Roles that read consultations, the audit trail or staff accounts sign in with a second factor (TOTP);
# tests/citedesmetiers/test_second_factor.py derives that list from the permissions below.
SECOND_FACTOR_ROLES = frozenset(
    {Role.ADVISER, Role.PARTNER_LEAD, Role.COORDINATOR, Role.DIRECTOR, Role.ADMINISTRATOR}
)
# What makes a role need it: reading people's consultations, who did what, or the staff's accounts.
SENSITIVE_PERMISSIONS = frozenset(
    {
        "conseil.view_institution_consultations",
        "conseil.view_all_consultations",
        "citedesmetiers.view_auditentry",
        "citedesmetiers.view_institution_audit",
        "citedesmetiers.view_user",
    }
)

DESCRIPTIONS = {
    Role.RECEPTION_AGENT: _(
        "Welcomes every person at the entrance, logs each visit or remote contact and directs "
        "people to individual advice, the multimedia or documentary space or an activity."
    ),
    Role.DIGITAL_STEWARD: _(
        "Helps people in the multimedia space, counts its entries and occupancy and records the "
        "digital help given."
    ),
    Role.ADVISER: _(
        "Calls the next person waiting for the themes and languages of their institution and "
        "records each consultation anonymously."
    ),
    Role.PARTNER_LEAD: _("Follows all the consultations and figures of their institution."),
    Role.ACTIVITY_ORGANISER: _(
        "Schedules the collective activities of their institution, manages registrations and "
        "records attendance."
    ),
    Role.COORDINATOR: _(
        "Runs the back office: partner institutions, spaces, the agenda and the catalogue; corrects entries."
    ),
    Role.DIRECTOR: _("Follows the figures of the whole centre and produces the annual report."),
    Role.ADMINISTRATOR: _("Manages the staff accounts and their roles."),
}

_REFERENCE_MODELS = (
    "theme",
    "gender",
    "ageband",
    "status",
    "educationlevel",
    "residence",
    "language",
    "channel",
)
_VIEW_REFERENCE = [f"citedesmetiers.view_{model}" for model in _REFERENCE_MODELS]
# The multimedia space's tablet: entries, occupancy counts, digital help.
_SPACE_COUNTS = ["ressources.add_spaceentry", "ressources.add_occupancysweep", "ressources.add_digitalhelp"]

PERMISSIONS: dict[Role, list[str]] = {
    Role.RECEPTION_AGENT: [
        "accueil.add_visit",
        "accueil.view_ticket",
        "accueil.manage_ticket",
        "conseil.add_questionnairecode",
        "ressources.report_broken_link",
    ],
    Role.DIGITAL_STEWARD: [
        "conseil.add_questionnairecode",
        *_SPACE_COUNTS,
        "ressources.view_occupancysweep",
        "ressources.report_broken_link",
    ],
    Role.ADVISER: [
        "accueil.view_ticket",
        "accueil.serve_ticket",
        "conseil.add_consultation",
        "conseil.view_institution_consultations",
        "conseil.add_questionnairecode",
        "ressources.report_broken_link",
    ],
    Role.PARTNER_LEAD: [
        "accueil.view_ticket",
        "accueil.serve_ticket",
        "conseil.add_consultation",
        "conseil.view_institution_consultations",
        "conseil.correct_institution_consultations",
        "conseil.add_questionnairecode",
        "ressources.report_broken_link",
        "stats.view_partner_figures",
        "citedesmetiers.view_institution_audit",
    ],
    Role.ACTIVITY_ORGANISER: [
        "activites.manage_partner_activities",
        "conseil.add_questionnairecode",
        "ressources.report_broken_link",
    ],
    Role.COORDINATOR: [
        "accueil.add_visit",
        "accueil.view_visit",
        "accueil.change_visit",
        "accueil.view_ticket",
        "accueil.manage_ticket",
        "citedesmetiers.view_auditentry",
        "conseil.view_all_consultations",
        "conseil.add_questionnairecode",
        "activites.manage_all_activities",
        "conseil.view_topic",
        "conseil.add_topic",
        "conseil.change_topic",
        "citedesmetiers.access_backoffice",
        "citedesmetiers.view_jobrun",
        *_VIEW_REFERENCE,
        "citedesmetiers.add_language",
        "citedesmetiers.change_language",
        "citedesmetiers.view_partner",
        "citedesmetiers.add_partner",
        "citedesmetiers.change_partner",
        "citedesmetiers.view_space",
        "citedesmetiers.add_space",
        "citedesmetiers.change_space",
        "ressources.view_resource",
        "ressources.add_resource",
        "ressources.change_resource",
        "ressources.delete_resource",
        "ressources.report_broken_link",
        *_SPACE_COUNTS,
        "ressources.view_occupancysweep",
        "ressources.view_helptopic",
        "ressources.add_helptopic",
        "ressources.change_helptopic",
        # The documentation search's synonyms (issue 17).
        "ressources.view_synonym",
        "ressources.add_synonym",
        "ressources.change_synonym",
        "ressources.delete_synonym",
        # The centre's practical information and its closures (issue 17).
        "citedesmetiers.view_centreinfo",
        "citedesmetiers.change_centreinfo",
        "citedesmetiers.view_closure",
        "citedesmetiers.add_closure",
        "citedesmetiers.change_closure",
        "citedesmetiers.delete_closure",
        "stats.view_figures",
    ],
    Role.DIRECTOR: [
        "accueil.view_visit",
        "accueil.view_ticket",
        "citedesmetiers.view_auditentry",
        "conseil.view_all_consultations",
        "conseil.view_topic",
        "citedesmetiers.access_backoffice",
        *_VIEW_REFERENCE,
        "citedesmetiers.view_partner",
        "citedesmetiers.view_space",
        "citedesmetiers.view_user",
        "ressources.view_resource",
        "ressources.view_occupancysweep",
        "ressources.view_helptopic",
        "stats.view_figures",
        "stats.view_onlinefigures",
        "stats.add_onlinefigures",
        "stats.change_onlinefigures",
        "stats.view_reporttext",
        "stats.add_reporttext",
        "stats.change_reporttext",
    ],
    Role.ADMINISTRATOR: [
        "citedesmetiers.access_backoffice",
        *_VIEW_REFERENCE,
        "citedesmetiers.view_partner",
        "citedesmetiers.view_space",
        "citedesmetiers.view_user",
        "citedesmetiers.add_user",
        "citedesmetiers.change_user",
        "citedesmetiers.delete_user",
        "auth.view_group",
        "citedesmetiers.view_jobrun",
    ],
}


def label(group_name: str) -> str:
    """The translated name of a role's group; a group that is not a role keeps its own name."""
    try:
        return str(Role(group_name).label)
    except ValueError:
        return group_name


def permissions_of(role_names) -> set[str]:
    """The permissions that these roles give (names that are not roles give none)."""
    return {
        permission for name in role_names if name in Role.values for permission in PERMISSIONS[Role(name)]
    }


def needs_second_factor(user) -> bool:
    """Whether this person signs in with a code from an authenticator app as well as a password."""
    if user.is_superuser:
        return True
    names = getattr(user, "role_names", None)
    if names is None:
        names = list(user.groups.values_list("name", flat=True))
    return any(name in SECOND_FACTOR_ROLES for name in names)
