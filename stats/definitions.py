"""What each published figure is, in words shown next to it (French, Dutch, English through the catalogs).

Keys are the figure's place in the report (stats.selectors.report): `section.name`."""

from django.utils.translation import gettext_lazy as _

FIGURES = {
    "contacts.total": (
        _("People in contact with the centre"),
        _(
            "People who came to the centre and were logged at the reception desk or took a ticket at the "
            "self-service kiosk (whatever they were directed to), plus the participants of collective "
            "activities who came straight to an activity (see that figure). A group counts each of its "
            "members. Entries undone by their author are left out. Remote contacts (e-mail, phone, other) "
            "are counted apart."
        ),
    ),
    "contacts.on_site_visits": (
        _("Visits logged at the reception desk"),
        _(
            "People who came to the centre in person, as logged by the reception agents or by the "
            "self-service kiosk at the entrance (a ticket for individual advice)."
        ),
    ),
    "contacts.direct_participants": (
        _("Participants who came straight to an activity"),
        _(
            "Activity participants minus the visitors the reception desk directed to an activity, over the "
            "whole period, and never below zero: when the desk directed more people to activities than took "
            "part in them (people sent to an activity of another day, or who did not go), none is added. "
            "Counted over the period, not day by day, so the figures of the months need not add up to the "
            "year's."
        ),
    ),
    "contacts.services_total": (
        _("Services delivered"),
        _(
            "Individual advice sessions + multimedia-space entries and visitors directed to the documentary "
            "space + activity participants + people reached at outreach outings + remote contacts answered "
            "(e-mail, phone and any other channel the reception logs). A person who used two services counts "
            "twice."
        ),
    ),
    "contacts.remote_by_channel": (
        _("Remote contacts"),
        _(
            "Questions answered by e-mail (the info mailbox), by phone and through any other channel the "
            'reception logs ("Other": a letter, a chat), as logged by the reception.'
        ),
    ),
    "advice.sessions": (
        _("Individual advice sessions"),
        _(
            "Sessions recorded by the advisers of the partner institutions, face to face, by phone, video "
            "or e-mail; one per person and conversation. Sessions undone by their adviser are left out."
        ),
    ),
    "advice.minutes_mean": (
        _("Average length of a session"),
        _(
            "The minutes recorded by the advisers, averaged over the sessions, rounded half up to the "
            "minute; empty when there is no session."
        ),
    ),
    "advice.queue": (
        _("Waiting and service times"),
        _(
            "From the queue tickets of the period (cancelled ones left out), by the day, theme, language "
            "and hour of the ticket: the wait runs from the ticket to the first call, over the people "
            "called (median, and the wait 90 % of them did not exceed); the share who waited over 30 "
            "minutes; the consultation runs from its start to its end (median). A person called who had "
            "left is a walk-away. Minutes with one decimal, rounded half up. For an institution: the "
            "tickets its advisers called, and those asked for it that nobody called."
        ),
    ),
    "gender.women_pct": (
        _("Women and men"),
        _(
            "Share of women and of men among the advice sessions whose person's gender was recorded as "
            "woman or man (other answers and sessions without an answer are left out), in percent with "
            "one decimal, rounded so that the two add up to 100.0. Its change from a year earlier is in "
            "percentage points (pp)."
        ),
    ),
    "advice.by_age_group": (
        _("Age"),
        _("Age bands recorded with the sessions, grouped as published: under 25, 25 to 49, 50 and over."),
    ),
    "activities.count": (
        _("Collective activities held"),
        _(
            "Published activities that took place in the period (not cancelled): workshops, information "
            "sessions, recruitment sessions, fairs, visits... A weekly series counts each session. "
            "Outreach outings are counted apart."
        ),
    ),
    "activities.participants": (
        _("Activity participants"),
        _(
            "Registrants checked in at the door + people who came without registering + the headcount of "
            "free-entry activities. Activities whose attendance was never recorded are listed, not counted "
            "as zero."
        ),
    ),
    "activities.fill_rate_pct": (
        _("Fill rate"),
        _("Seats given to registrants / seats offered, over the activities with a capacity."),
    ),
    "activities.show_rate_pct": (
        _("Show rate"),
        _("Registrants who came / seats given, over the activities whose attendance was recorded."),
    ),
    "activities.outreach": (
        _("Outreach"),
        _("Fairs, events and Formtruck outings: their number and the people reached (headcount)."),
    ),
    "multimedia.entries": (
        _("Multimedia-space entries"),
        _(
            "People counted at the entrance of the multimedia space by the digital stewards (a group "
            "counts each of its members). Until 2018 this figure was an estimate."
        ),
    ),
    "multimedia.occupancy_by_hour": (
        _("Occupancy by hour"),
        _(
            "Average people counted on the computers and tablets and in the documentary space, over every "
            "occupancy count made in that hour of the day (whatever the weekday), with one decimal, "
            "rounded half up."
        ),
    ),
    "multimedia.help_by_topic": (
        _("Digital help by topic"),
        _(
            "Help given by the digital stewards, anonymously, by topic, with its average length in minutes "
            "(rounded half up; empty for a topic without help)."
        ),
    ),
    "questionnaires.satisfied_pct": (
        _("Satisfied"),
        _(
            "People who answered satisfied or very satisfied, among those who answered the question in "
            "the anonymous end-of-service questionnaire."
        ),
    ),
    "online.facebook_followers": (
        _("Facebook followers"),
        _(
            "Entered by the director (the app cannot see social media): at the end of the year, or at the "
            "end of the last month of a period of whole months. Empty for any other period."
        ),
    ),
    "online.twitter_followers": (
        _("Twitter followers"),
        _(
            "Entered by the director (the app cannot see social media): at the end of the year, or at the "
            "end of the last month of a period of whole months. Empty for any other period."
        ),
    ),
    "online.web_page_views": (
        _("Web page views"),
        _(
            "Page views of the centre's website, entered by the director for a year or for each month: the "
            "year's figure, or the sum of the months of a period of whole months when each is entered. "
            "Empty for any other period."
        ),
    ),
    "online.emails_answered": (
        _("E-mail questions answered"),
        _("Questions received in the info mailbox and answered, as logged by the reception."),
    ),
    "questionnaires.profile": (
        _("Questionnaires"),
        _(
            "The answers of the anonymous end-of-service questionnaire given in the period; each share is "
            "over the people who answered that question."
        ),
    ),
    "team": (
        _("The team"),
        _(
            "Active staff accounts at the end of the period: back office (coordinators, director, "
            "administrators), advisers of the partner institutions (with their leads), reception agents "
            "and digital stewards."
        ),
    ),
}


# The headline figures, in the order the dashboard, the report and the workbook show them.
KEY_FIGURES = [
    "contacts.total",
    "contacts.services_total",
    "advice.sessions",
    "activities.count",
    "activities.participants",
    "multimedia.entries",
    "gender.women_pct",
    "online.emails_answered",
    "questionnaires.satisfied_pct",
    "online.facebook_followers",
    "online.twitter_followers",
    "online.web_page_views",
]


def label(key: str) -> str:
    return str(FIGURES[key][0])


def definition(key: str) -> str:
    return str(FIGURES[key][1])
