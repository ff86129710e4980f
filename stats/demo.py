# ruff: noqa: E501 (the demo's texts stay one per line)
"""The demo centre (`seed_demo`): the history of the Cité des métiers from its opening day, 5 March 2018,
to a given day, repeatable with a seed. This module is the simulation: it decides what each day holds
(who came, for what, who advised them, what the activities drew); each app builds and writes its own rows
from those decisions, in bulk (accueil.demo.DeskRows, conseil.demo.AdviceRows, ressources.demo.SpaceRows,
activites.demo.history_activities_write, citedesmetiers.demo's staff accounts), as every table has one
owning app that writes it; this module writes only stats' own tables (online figures, report texts).

2018 gives exactly the figures of the first annual report through `stats.selectors.report`: 38,167
people in contact (30,000 on-site visits, 5,149 of them sent to an activity, + 13,316 participants), 19,569
advice sessions (9,576 women and 8,424 men: 53.2 % / 46.8 %), 766 activities, 10,000 entries into the
multimedia space, 2,020 e-mails, the online audience and the team (10 back office, 55 advisers, 8 reception
agents and stewards). Later years follow the centre's growth (about 56,000 contacts in 2019, 65,654 in 2023)
with the Covid closure of spring 2020. Each full year's plan is met exactly; a year cut by `until` gets its
share of it.

Everything is anonymous or obviously fake: registrations past their retention are erased as the purge
leaves them, the others carry `@example.invalid` addresses. Seeded staff accounts (user names `demo.…`)
have unusable passwords; the demo accounts of `create_demo_accounts`, when they exist, take their places in
the team (their date joined moves to the opening day) and keep their passwords.
"""

import io
import math
import random
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from accueil import demo as accueil_demo
from accueil.demo import DeskRows
from accueil.models import Orientation, Ticket, TicketStatus, Visit
from activites import demo as activites_demo
from activites.models import Activity, Admission, Kind, PlaceKind, Registration, WalkIn
from citedesmetiers import demo as citedesmetiers_demo
from citedesmetiers import summaries
from citedesmetiers.models import Partner, Space, Theme, User
from citedesmetiers.roles import Role
from citedesmetiers.services import roles_sync
from conseil import demo as conseil_demo
from conseil.demo import AdviceRows
from conseil.models import Consultation, Mode, QuestionnaireAnswer, QuestionnaireCode, Topic
from ressources.demo import SpaceRows
from ressources.models import DigitalHelp, HelpTopic, OccupancySweep, SpaceEntry
from stats import periods
from stats.models import Highlight, OnlineFigures, ReportText, Testimonial

OPENING_DAY = periods.OPENING_DAY
COVID_CLOSED = (date(2020, 3, 16), date(2020, 5, 31))  # the centre closed to the public
PREFIX = "demo."  # the seeded staff accounts' user names
BATCH = 2000
TZ = ZoneInfo(settings.TIME_ZONE)


# --- what each year holds -------------------------------------------------------------------------


@dataclass(frozen=True)
class YearPlan:
    """A year's totals. `contacts` = on-site visits + participants beyond those the desk sent to an
    activity (stats.selectors.contacts); `directed_share` of the participants were sent by the desk."""

    contacts: int
    advice: int
    activities: int  # held, outreach apart
    participants: int
    entries: int  # into the multimedia space
    emails: int
    phone: int
    outreach: int
    outreach_people: int
    missing: int  # activities whose attendance is never recorded
    directed_share: float = 0.3867


YEARS = {
    2018: YearPlan(38_167, 19_569, 766, 13_316, 10_000, 2_020, 700, 4, 2_650, 4),
    2019: YearPlan(56_000, 27_300, 1_010, 18_400, 13_500, 3_100, 2_400, 18, 4_800, 5),
    2020: YearPlan(24_800, 17_800, 430, 6_900, 5_200, 5_600, 6_300, 6, 900, 4),
    2021: YearPlan(41_500, 23_800, 720, 11_800, 8_100, 4_300, 5_200, 24, 3_900, 5),
    2022: YearPlan(58_800, 27_400, 960, 16_300, 9_600, 3_800, 4_600, 44, 7_200, 6),
    2023: YearPlan(65_654, 28_977, 1_060, 18_062, 9_556, 3_600, 4_400, 62, 9_059, 6),
    2024: YearPlan(67_200, 29_700, 1_080, 18_500, 9_800, 3_500, 4_300, 60, 9_300, 6),
    2025: YearPlan(68_600, 30_300, 1_100, 18_900, 10_100, 3_400, 4_200, 64, 9_600, 7),
}
# The gender of the 2018 advice sessions, exactly: 9,576 / 18,000 = 53.2 % women, 46.8 % men.
GENDERS_2018 = {"woman": 9_576, "man": 8_424, "other": 60, "undisclosed": 300, None: 1_209}
# The team on 31 December 2018 (role, institution, people): 10 back office, 55 advisers (Actiris 24,
# Bruxelles Formation 23, 8 in the other institutions of the first circle), 8 reception and stewards.
TEAM_2018 = [
    (Role.RECEPTION_AGENT, None, 5),
    (Role.DIGITAL_STEWARD, None, 3),
    (Role.COORDINATOR, None, 7),
    (Role.DIRECTOR, None, 1),
    (Role.ADMINISTRATOR, None, 2),
    (Role.PARTNER_LEAD, "actiris", 1),
    (Role.ADVISER, "actiris", 23),
    (Role.PARTNER_LEAD, "bruxelles-formation", 1),
    (Role.ADVISER, "bruxelles-formation", 22),
    (Role.ADVISER, "vdab-brussel", 2),
    (Role.ADVISER, "efp", 2),
    (Role.ADVISER, "promotion-sociale", 1),
    (Role.ADVISER, "trace-brussel", 1),
    (Role.ADVISER, "pole-academique", 1),
    (Role.ADVISER, "validation-competences", 1),
    *[
        (Role.ACTIVITY_ORGANISER, code, 1)
        for code in (
            "bruxelles-formation", "actiris", "vdab-brussel", "efp", "fwb-enseignement", "validation-competences",
            "trace-brussel", "actiris-international", "siep", "infor-jeunes", "hub-brussels", "huis-nederlands",
            "syntra-brussel",
        )
    ],
]  # fmt: skip
TEAM_GROUPS = {
    "back_office": (Role.COORDINATOR, Role.DIRECTOR, Role.ADMINISTRATOR),
    "advisers": (Role.ADVISER, Role.PARTNER_LEAD),
    "reception_and_stewards": (Role.RECEPTION_AGENT, Role.DIGITAL_STEWARD),
}
TEAM_TARGETS = {"back_office": 10, "advisers": 55, "reception_and_stewards": 8}
# Who joined later (year, role, institution, people, extra language).
TEAM_LATER = [
    (2019, Role.ADVISER, "cefa", 1, None),
    (2019, Role.ADVISER, "fwb-enseignement", 1, None),
    (2019, Role.ADVISER, "worldskills-belgium", 1, None),
    (2019, Role.ADVISER, "actiris", 2, None),
    (2019, Role.ADVISER, "vdab-brussel", 1, None),
    (2019, Role.RECEPTION_AGENT, None, 1, None),
    (2021, Role.DIGITAL_STEWARD, None, 1, None),
    (2022, Role.RECEPTION_AGENT, None, 1, "uk"),
    (2022, Role.ADVISER, "bruxelles-formation", 2, None),
    (2023, Role.ADVISER, "actiris", 1, None),
    (2023, Role.ADVISER, "efp", 1, None),
]
ROLE_SHORT = {
    Role.RECEPTION_AGENT: "reception",
    Role.DIGITAL_STEWARD: "steward",
    Role.ADVISER: "adviser",
    Role.PARTNER_LEAD: "lead",
    Role.ACTIVITY_ORGANISER: "organiser",
    Role.COORDINATOR: "coordinator",
    Role.DIRECTOR: "director",
    Role.ADMINISTRATOR: "admin",
}
FIRST_NAMES = [
    "Sarah", "Mohamed", "Julie", "Thomas", "Fatima", "Pieter", "Nadia", "Karim", "Sofie", "Youssef", "Laura",
    "Mehdi", "Anne", "Jan", "Aïcha", "Lucas", "Inès", "Bram", "Samira", "Olivier", "Elif", "Joris", "Marie",
    "Hamza", "Leen", "David", "Salma", "Nicolas", "Katrien", "Amine", "Charlotte", "Koen", "Rachida", "Maxime",
    "Ilse", "Omar", "Camille", "Wouter", "Yasmina", "Pierre", "Ana", "Bilal", "Eva", "Tom", "Hanane", "Julien",
    "Magali", "Stijn", "Naïma", "François",
]  # fmt: skip
LAST_NAMES = [
    "Peeters", "Janssens", "Maes", "Dubois", "Lambert", "El Amrani", "Claes", "Dupont", "Benali", "Willems",
    "Martin", "Mertens", "Yilmaz", "Jacobs", "Simon", "Laurent", "Bouzid", "De Smet", "Leroy", "Vermeulen",
    "Haddad", "Goossens", "Renard", "Wouters", "Diallo", "Lemaire", "Van den Broeck", "Kaya", "Michel", "Nowak",
    "Popescu", "Hermans", "Fontaine", "Ouali", "Declercq", "Costa", "Moreau", "Aerts", "Mukendi", "Dumont",
]  # fmt: skip

# --- the rhythm of the centre ---------------------------------------------------------------------

WEEKDAY = (1.25, 1.15, 1.0, 0.95, 0.75)  # Monday to Friday
MONTH = {
    1: 1.15,
    2: 1.05,
    3: 1.05,
    4: 0.95,
    5: 1.0,
    6: 0.95,
    7: 0.62,
    8: 0.68,
    9: 1.2,
    10: 1.2,
    11: 1.05,
    12: 0.9,
}
ACTIVITY_MONTH = {
    1: 1.0,
    2: 1.1,
    3: 1.15,
    4: 1.0,
    5: 1.1,
    6: 0.9,
    7: 0.35,
    8: 0.4,
    9: 1.15,
    10: 1.25,
    11: 1.2,
    12: 0.8,
}
VISIT_HOURS = {9: 0.85, 10: 1.25, 11: 1.2, 12: 0.75, 13: 0.85, 14: 1.15, 15: 1.05, 16: 0.7}
SPACE_HOURS = {9: 0.7, 10: 1.0, 11: 1.1, 12: 0.85, 13: 1.1, 14: 1.25, 15: 1.2, 16: 0.9}
VISIT_THEMES = {"travailler": 34, "apprendre": 27, "choisir": 24, "bouger": 7, "entreprendre": 8}
ADVICE_THEMES = {"travailler": 38, "apprendre": 28, "choisir": 22, "bouger": 6, "entreprendre": 6}
LANGUAGES = {
    "fr": 70,
    "nl": 8,
    "en": 12,
    "ar": 3,
    "es": 2,
    "pt": 1.2,
    "ro": 1.2,
    "it": 0.6,
    "pl": 0.6,
    "tr": 0.8,
    "bg": 0.4,
    "ru": 0.4,
}
EMAIL_LANGUAGES = {"fr": 72, "nl": 14, "en": 14}
ORIENTATIONS = {Orientation.MULTIMEDIA: 50, Orientation.DOCUMENTARY: 16, Orientation.INFORMATION: 34}
AGE_BANDS = {
    "under-18": 3, "18-24": 16, "25-29": 15, "30-34": 14, "35-39": 12, "40-44": 11, "45-49": 9, "50-54": 8,
    "55-59": 6, "60-64": 3, "65-plus": 1, None: 2,
}  # fmt: skip
STATUSES = {
    "job_seeker_registered": 48, "job_seeker_unregistered": 10, "employee": 14, "self_employed": 2,
    "higher_education_student": 7, "secondary_pupil": 4, "in_training": 5, "inactive": 5, "retired": 1,
    "other": 2, None: 10,
}  # fmt: skip
EDUCATION = {
    "none": 8,
    "primary": 7,
    "lower_secondary": 12,
    "upper_secondary": 33,
    "bachelor": 20,
    "master": 20,
}
RESIDENCES = {
    "21004": 12, "21015": 11, "21001": 10, "21012": 9, "21009": 7, "21016": 5, "21007": 4.5, "21013": 4.5,
    "21010": 4, "21005": 4, "21006": 3.5, "21018": 3.5, "21014": 3, "21011": 2, "21008": 1.5, "21003": 2,
    "21002": 2.5, "21017": 2, "21019": 2.5, "flanders": 4, "wallonia": 3, "abroad": 0.5,
}  # fmt: skip
GENDERS = {"woman": 50.0, "man": 44.0, "other": 0.3, "undisclosed": 1.5, None: 4.2}
HELP_TOPICS = {
    "online_application": 20, "cv_tool": 16, "job_search": 15, "public_services": 14, "email_address": 9,
    "print_scan": 9, "itsme": 5, "training_search": 5, "office_software": 3, "computer_basics": 3, "other": 1,
}  # fmt: skip
# How advice was given, by year (the closure of 2020 is remote only).
MODES = {
    2018: {Mode.FACE_TO_FACE: 95, Mode.PHONE: 4, Mode.EMAIL: 1},
    2019: {Mode.FACE_TO_FACE: 94, Mode.PHONE: 4.5, Mode.EMAIL: 1.5},
    2020: {Mode.FACE_TO_FACE: 70, Mode.PHONE: 20, Mode.VIDEO: 7, Mode.EMAIL: 3},
    2021: {Mode.FACE_TO_FACE: 78, Mode.PHONE: 14, Mode.VIDEO: 6, Mode.EMAIL: 2},
    2022: {Mode.FACE_TO_FACE: 88, Mode.PHONE: 8, Mode.VIDEO: 3, Mode.EMAIL: 1},
}
CLOSED_MODES = {Mode.PHONE: 70, Mode.VIDEO: 20, Mode.EMAIL: 10}
DURATIONS = {Mode.FACE_TO_FACE: 24, Mode.PHONE: 14, Mode.VIDEO: 28, Mode.EMAIL: 10}  # median minutes
# Advisers on the floor on a given day, by institution (the others: DUTY_OTHERS).
DUTY = {"actiris": 0.45, "bruxelles-formation": 0.45}
DUTY_OTHERS = 0.6


def year_plan(year: int) -> YearPlan:
    if year in YEARS:
        return YEARS[year]
    last = max(YEARS)
    grow = 1.02 ** (year - last)
    base = YEARS[last]
    return YearPlan(
        *(round(getattr(base, name) * grow) for name in ("contacts", "advice", "activities", "participants")),
        *(round(getattr(base, name) * grow) for name in ("entries", "emails", "phone", "outreach")),
        round(base.outreach_people * grow),
        base.missing,
    )


# --- activities -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    partner: str
    theme: str
    kind: str
    audiences: tuple
    languages: tuple
    admission: str
    capacity: int | None
    minutes: int
    weight: float
    place: str  # "room", "online" or a key of ADDRESSES
    size: tuple  # participants, low and high
    title_fr: str
    title_nl: str
    title_en: str
    text_fr: str
    text_nl: str
    years: tuple = (2018, 2100)
    starts: tuple = ()  # preferred start times


def _t(*args, **kwargs) -> Template:
    return Template(*args, **kwargs)


R, F, I = Admission.REGISTRATION, Admission.FREE, Admission.INVITATION  # noqa: E741
TEMPLATES = [
    _t("actiris", "travailler", Kind.WORKSHOP, ("job_seekers",), ("fr",), R, 12, 120, 60, "room", (7, 14), "Atelier CV et lettre de motivation", "Workshop cv en motivatiebrief", "CV and cover letter workshop", "Un CV clair et une lettre qui donne envie : exercices sur votre propre CV.", "Een helder cv en een overtuigende brief: oefeningen op uw eigen cv."),
    _t("vdab-brussel", "travailler", Kind.WORKSHOP, ("job_seekers",), ("nl",), R, 12, 120, 14, "room", (5, 12), "Atelier CV (en néerlandais)", "Workshop cv", "CV workshop (in Dutch)", "Votre CV pour le marché de l'emploi néerlandophone.", "Uw cv voor de Nederlandstalige arbeidsmarkt, stap voor stap."),
    _t("actiris", "travailler", Kind.WORKSHOP, ("job_seekers", "newcomers"), ("fr",), R, 12, 120, 35, "room", (7, 13), "Préparer son entretien d'embauche", "Je sollicitatiegesprek voorbereiden", "Preparing a job interview", "Se présenter, répondre aux questions difficiles, parler de son parcours : mises en situation.", "Jezelf voorstellen, moeilijke vragen beantwoorden: rollenspelen."),
    _t("actiris", "travailler", Kind.DIGITAL_TUTORIAL, ("job_seekers",), ("fr",), R, 10, 60, 40, "room", (4, 10), "Chercher un emploi en ligne", "Online werk zoeken", "Looking for a job online", "Les sites d'offres, les alertes et la candidature en ligne, sur les ordinateurs de l'espace multimédia.", "Vacaturesites, jobalerts en online solliciteren, op de computers van de multimediaruimte.", starts=(time(12), time(16))),
    _t("bruxelles-formation", "apprendre", Kind.DIGITAL_TUTORIAL, ("everyone", "newcomers", "over_50"), ("fr",), R, 8, 60, 30, "room", (3, 8), "Premiers pas numériques : adresse e-mail et itsme", "Digitale eerste stappen: e-mailadres en itsme", "Digital first steps: e-mail and itsme", "Créer son adresse e-mail, installer itsme et se connecter aux services en ligne.", "Een e-mailadres aanmaken, itsme installeren en inloggen bij online diensten.", starts=(time(12), time(16))),
    _t("vdab-brussel", "travailler", Kind.DIGITAL_TUTORIAL, ("job_seekers", "workers"), ("nl",), R, 10, 60, 14, "room", (4, 10), "LinkedIn : soigner son profil", "LinkedIn: je profiel verzorgen", "LinkedIn: polishing your profile", "Un profil qui attire les recruteurs, en une heure.", "Een profiel dat rekruteerders aanspreekt, in één uur.", starts=(time(12), time(16))),
    _t("bruxelles-formation", "apprendre", Kind.INFO_SESSION, ("job_seekers",), ("fr",), R, 25, 120, 50, "room", (12, 25), "Se former à un métier en pénurie", "Opleiding voor een knelpuntberoep", "Training for a job in demand", "Les formations qualifiantes gratuites de Bruxelles Formation et comment y entrer.", "De gratis opleidingen van Bruxelles Formation en hoe u kunt instappen."),
    _t("efp", "apprendre", Kind.INFO_SESSION, ("young", "job_seekers"), ("fr",), R, 20, 90, 20, "room", (8, 20), "Se former en alternance avec l'efp", "Duaal leren bij efp", "Work-linked training with efp", "Apprendre un métier en entreprise et en centre : les filières, les conditions, le contrat.", "Een beroep leren in een bedrijf en in een centrum: richtingen, voorwaarden, contract."),
    _t("fwb-enseignement", "apprendre", Kind.INFO_SESSION, ("newcomers",), ("fr", "en"), R, 25, 120, 24, "room", (12, 25), "Faire reconnaître son diplôme étranger", "Je buitenlands diploma laten erkennen", "Getting a foreign diploma recognised", "L'équivalence des diplômes : les documents, les délais, les coûts.", "De gelijkwaardigheid van diploma's: documenten, termijnen, kosten."),
    _t("validation-competences", "apprendre", Kind.INFO_SESSION, ("workers", "job_seekers"), ("fr",), R, 20, 90, 12, "room", (6, 15), "Valider ses compétences : le titre de compétence", "Je competenties laten valideren", "Having your skills validated", "Faire reconnaître ce que l'on sait faire, sans diplôme : les métiers, les épreuves, les centres.", "Laten erkennen wat je kunt, zonder diploma: beroepen, proeven, centra."),
    _t("huis-nederlands", "apprendre", Kind.INFO_SESSION, ("everyone", "newcomers"), ("fr",), F, None, 90, 18, "room", (10, 25), "Apprendre le néerlandais à Bruxelles", "Nederlands leren in Brussel", "Learning Dutch in Brussels", "Cours, tables de conversation et tests de niveau : toutes les offres à Bruxelles.", "Cursussen, conversatietafels en niveautests: het hele aanbod in Brussel."),
    _t("siep", "choisir", Kind.INFO_SESSION, ("young", "parents"), ("fr",), R, 30, 120, 24, "room", (10, 28), "Choisir ses études après le secondaire", "Studiekeuze na het secundair", "Choosing studies after secondary school", "Universités, hautes écoles, formations : s'y retrouver et choisir.", "Universiteiten, hogescholen, opleidingen: je weg vinden en kiezen."),
    _t("bruxelles-formation", "choisir", Kind.WORKSHOP, ("everyone",), ("fr",), R, 12, 180, 20, "room", (6, 12), "Atelier sens de la vie et du travail", "Workshop zin in leven en werk", "Meaning in life and work", "Faire le point sur ce qui compte pour soi avant de choisir une voie.", "Stilstaan bij wat voor jou telt voor je een richting kiest.", starts=(time(9, 30), time(13, 30))),
    _t("actiris", "choisir", Kind.WORKSHOP, ("over_50",), ("fr",), R, 12, 120, 22, "room", (6, 12), "Atelier 50+ : rebondir après 50 ans", "Workshop 50+: herstarten na je vijftigste", "50+ workshop: a new start after 50", "Valoriser son expérience et retrouver un emploi après 50 ans.", "Je ervaring benutten en opnieuw werk vinden na je vijftigste."),
    _t("bruxelles-formation", "choisir", Kind.WORKSHOP, ("everyone", "job_seekers"), ("fr",), R, 15, 120, 10, "room", (8, 15), "Zoom sur l'économie circulaire", "Focus op de circulaire economie", "Spotlight on the circular economy", "Réparer, réemployer, recycler : les métiers et les formations de l'économie circulaire.", "Herstellen, hergebruiken, recycleren: de beroepen en opleidingen van de circulaire economie."),
    _t("bruxelles-formation", "choisir", Kind.JOB_DISCOVERY, ("young",), ("fr",), I, 28, 180, 40, "room", (15, 27), "Explorama : à la découverte d'environnements professionnels", "Explorama: werkomgevingen ontdekken", "Explorama: discovering workplaces", "Pour les classes : une matinée pour découvrir des métiers et leurs environnements de travail.", "Voor klassen: een voormiddag om beroepen en hun werkomgeving te ontdekken.", starts=(time(9, 30), time(13, 30))),
    _t("trace-brussel", "choisir", Kind.JOB_DISCOVERY, ("young",), ("nl",), I, 25, 180, 8, "room", (15, 24), "Explorama (en néerlandais)", "Explorama: beroepen ontdekken", "Explorama (in Dutch)", "Pour les classes néerlandophones : découvrir des métiers en une matinée.", "Voor Nederlandstalige klassen: beroepen ontdekken in één voormiddag.", starts=(time(9, 30), time(13, 30))),
    _t("actiris", "travailler", Kind.RECRUITMENT, ("job_seekers",), ("fr",), R, 30, 180, 20, "room", (15, 30), "Select : session de recrutement", "Select: rekruteringssessie", "Select: recruitment session", "Rencontrez des employeurs qui recrutent : présentation, tests et entretiens sur place.", "Ontmoet werkgevers die aanwerven: voorstelling, testen en gesprekken ter plaatse."),
    _t("vdab-brussel", "travailler", Kind.RECRUITMENT, ("job_seekers",), ("nl",), R, 30, 180, 8, "room", (15, 30), "Job dating logistique", "Jobdating logistiek", "Logistics job dating", "Des employeurs de la logistique qui recrutent à Bruxelles.", "Logistieke werkgevers die aanwerven in Brussel."),
    _t("actiris-international", "bouger", Kind.INFO_SESSION, ("young", "job_seekers"), ("fr", "en"), R, 40, 120, 10, "room", (20, 40), "Discover Mobility : travailler à l'étranger", "Discover Mobility: werken in het buitenland", "Discover Mobility: working abroad", "Stages, emplois et volontariat en Europe : les programmes et les aides.", "Stages, jobs en vrijwilligerswerk in Europa: de programma's en de steun."),
    _t("infor-jeunes", "bouger", Kind.INFO_SESSION, ("young",), ("fr",), R, 25, 90, 10, "room", (8, 22), "Partir à l'étranger : stages, volontariat, Erasmus+", "Naar het buitenland: stages, vrijwilligerswerk, Erasmus+", "Going abroad: internships, volunteering, Erasmus+", "Les programmes pour partir étudier, se former ou s'engager à l'étranger.", "De programma's om in het buitenland te studeren, een opleiding te volgen of je in te zetten."),
    _t("hub-brussels", "entreprendre", Kind.INFO_SESSION, ("self_employed", "job_seekers"), ("fr",), R, 20, 120, 20, "room", (10, 20), "Créer son entreprise : par où commencer ?", "Een zaak starten: waar begin je?", "Starting a business: where to begin?", "Statut, financement, accompagnement : les premières étapes avec le 1819.", "Statuut, financiering, begeleiding: de eerste stappen met 1819."),
    _t("syntra-brussel", "entreprendre", Kind.WORKSHOP, ("self_employed",), ("nl",), R, 15, 180, 8, "room", (6, 14), "Le plan d'affaires en pratique", "Ondernemingsplan in de praktijk", "The business plan in practice", "Construire son plan financier pas à pas.", "Je financieel plan stap voor stap opbouwen."),
    _t("efp", "entreprendre", Kind.WORKSHOP, ("self_employed", "over_50"), ("fr",), R, 15, 120, 8, "room", (8, 15), "Se lancer comme indépendant·e", "Starten als zelfstandige", "Becoming self-employed", "Les premières étapes pour créer votre activité : statut, plan financier, aides.", "De eerste stappen om uw zaak op te starten: statuut, financieel plan, steun.", starts=(time(18),)),
    _t("bruxelles-formation", "apprendre", Kind.CONFERENCE, ("professionals", "everyone"), ("fr", "nl"), R, 80, 150, 4, "room", (40, 80), "Conférence-débat : les métiers de demain", "Debat: de beroepen van morgen", "Debate: tomorrow's occupations", "Experts et employeurs débattent des compétences qui seront demandées.", "Experten en werkgevers over de competenties van morgen.", starts=(time(14), time(9, 30))),
    _t("actiris", "travailler", Kind.VISIT, ("job_seekers",), ("fr",), R, 15, 180, 6, "port", (8, 15), "Visite d'entreprise : les métiers du port", "Bedrijfsbezoek: de havenberoepen", "Company visit: jobs at the port", "Découvrir sur place la logistique et le transport fluvial.", "Logistiek en binnenvaart ter plaatse ontdekken."),
    _t("siep", "choisir", Kind.FAIR, ("everyone", "young", "parents"), ("fr",), F, None, 330, 2, "room", (60, 180), "Mini-salon des études et de la formation", "Minibeurs studies en opleiding", "Studies and training mini-fair", "Écoles, hautes écoles et centres de formation présentent leurs cursus.", "Scholen, hogescholen en opleidingscentra stellen hun opleidingen voor.", starts=(time(10),)),
    _t("actiris", "travailler", Kind.CLUB, ("job_seekers",), ("fr",), R, 12, 120, 12, "room", (6, 12), "Job club : chercher ensemble", "Jobclub: samen zoeken", "Job club: searching together", "Chaque semaine, un groupe pour avancer dans sa recherche d'emploi.", "Elke week een groep om vooruit te gaan in je zoektocht naar werk."),
    _t("bruxelles-formation", "choisir", Kind.JOB_DISCOVERY, ("young", "job_seekers"), ("fr",), R, 10, 120, 10, "room", (6, 10), "Découvrir des métiers en réalité virtuelle", "Beroepen ontdekken in virtual reality", "Discovering jobs in virtual reality", "Casque sur la tête, essayer des métiers de la construction, de la logistique et du soin.", "Met een VR-bril beroepen uit de bouw, de logistiek en de zorg uitproberen.", years=(2019, 2100)),
    _t("infor-jeunes", "choisir", Kind.CLUB, ("young",), ("fr",), R, 15, 120, 15, "room", (8, 15), "Youth@CDM : atelier jeunes", "Youth@CDM: jongerenworkshop", "Youth@CDM: youth workshop", "Pour les 16-25 ans : trouver sa voie, un job étudiant, une formation.", "Voor 16- tot 25-jarigen: je weg vinden, een studentenjob, een opleiding.", years=(2022, 2100)),
    _t("actiris", "travailler", Kind.INFO_SESSION, ("job_seekers",), ("fr",), R, 60, 60, 14, "online", (15, 45), "Webinaire : chercher un emploi aujourd'hui", "Webinar: vandaag werk zoeken", "Webinar: looking for a job today", "En ligne : les secteurs qui recrutent et les bons réflexes.", "Online: de sectoren die aanwerven en de juiste reflexen.", years=(2020, 2100)),
    _t("bruxelles-formation", "apprendre", Kind.INFO_SESSION, ("job_seekers", "workers"), ("fr",), R, 60, 60, 10, "online", (15, 40), "Webinaire : se former à distance", "Webinar: afstandsleren", "Webinar: distance learning", "Les formations en ligne gratuites et comment les suivre.", "De gratis online opleidingen en hoe je ze volgt.", years=(2020, 2100)),
    _t("vdab-brussel", "travailler", Kind.INFO_SESSION, ("job_seekers",), ("nl",), R, 60, 60, 5, "online", (10, 30), "Webinaire : travailler en Flandre", "Webinar: werken in Vlaanderen", "Webinar: working in Flanders", "Les offres et les aides pour travailler en Flandre.", "Vacatures en steun om in Vlaanderen te werken.", years=(2020, 2100)),
]  # fmt: skip
ADDRESSES = {
    "flagey": "Flagey, Place Sainte-Croix, 1050 Ixelles",
    "tour_taxis": "Tour & Taxis, Avenue du Port 86C, 1000 Bruxelles",
    "port": "Port de Bruxelles, Place des Armateurs 6, 1000 Bruxelles",
    "actiris": "Actiris, Boulevard Anspach 65, 1000 Bruxelles",
    "bruxelles-formation": "Bruxelles Formation, Rue de Stalle 67, 1180 Uccle",
    "efp": "efp, Rue de Stalle 292B, 1180 Uccle",
    "default": "Rue Royale 2-4, 1000 Bruxelles",
}
# The room's usual start times; an activity tries one of the first six, then the others in order.
ROOM_STARTS = (
    time(9, 30),
    time(13, 30),
    time(10),
    time(14),
    time(10, 30),
    time(14, 30),
    time(11),
    time(15, 30),
    time(12),
    time(16),
    time(9),
)
# Outreach outings: partner, theme, FR, NL, EN titles, address key, from year.
OUTREACH = [
    ("actiris", "travailler", "Salon de l'emploi", "Jobbeurs", "Job fair", "tour_taxis", 2018),
    ("bruxelles-formation", "apprendre", "Salon de la Formation", "Opleidingsbeurs", "Training fair", "tour_taxis", 2018),
    ("siep", "choisir", "Salon SIEP des études et des métiers", "SIEP-beurs studies en beroepen", "SIEP fair of studies and jobs", "tour_taxis", 2018),
    ("actiris", "choisir", "Fête de l'Iris : stand de la Cité des métiers", "Irisfeest: stand van het Beroepenpunt", "Iris festival: the centre's stand", "default", 2018),
    ("bruxelles-formation", "apprendre", "Formtruck : la Cité des métiers dans votre quartier", "Formtruck: het Beroepenpunt in je wijk", "Formtruck: the centre in your neighbourhood", "default", 2021),
]  # fmt: skip
OUTREACH_2018 = [
    (date(2018, 5, 5), 3),
    (date(2018, 5, 15), 1),
    (date(2018, 5, 16), 1),
    (date(2018, 11, 23), 2),
]
INAUGURAL_WEEK = (date(2018, 4, 23), 46, 626)  # first day, activities, participants (annual report 2018)

ONLINE_FIGURES = {  # year: Facebook followers, Twitter followers, web page views
    2018: (770, 69, 175_690),
    2019: (1_640, 158, 262_400),
    2020: (2_610, 231, 318_900),
    2021: (3_380, 276, 344_100),
    2022: (4_290, 318, 391_700),
    2023: (5_180, 337, 422_300),
    2024: (5_960, 341, 447_800),
    2025: (6_640, 338, 469_500),
}
REPORT_2018 = {
    "preamble_fr": (
        "Le 5 mars 2018, la Cité des métiers de Bruxelles a ouvert ses portes. En dix mois, elle a mis à la "
        "disposition des Bruxelloises et des Bruxellois des conseils individuels, des activités collectives "
        "et des ressources multimédias pour construire leur avenir professionnel.\n\n"
        "Avec nos partenaires, nous avons posé les bases d'une amélioration continue de nos services : "
        "accueillir chacun, sans rendez-vous et gratuitement, pour toute question d'études, de formation, "
        "d'emploi ou d'entrepreneuriat. Ce premier bilan présente le projet, ses partenaires, les moments "
        "forts de l'année et ses résultats chiffrés. Merci à nos promoteurs, à nos partenaires et à chaque "
        "collaborateur qui fait vivre la Cité."
    ),
    "preamble_nl": (
        "Op 5 maart 2018 opende het Beroepenpunt van Brussel de deuren. In tien maanden bood het de "
        "Brusselaars individueel advies, groepsactiviteiten en multimediale bronnen om aan hun loopbaan te "
        "bouwen.\n\n"
        "Samen met onze partners legden we de basis voor een voortdurende verbetering van onze dienstverlening: "
        "iedereen gratis en zonder afspraak onthalen met elke vraag over studies, opleiding, werk of "
        "ondernemen. Deze eerste balans stelt het project, de partners, de hoogtepunten van het jaar en de "
        "cijfers voor. Dank aan onze promotoren, onze partners en elke medewerker die het Beroepenpunt doet leven."
    ),
    "preamble_en": (
        "On 5 March 2018 the Cité des métiers of Brussels opened its doors. In ten months it offered the people "
        "of Brussels individual advice, collective activities and multimedia resources to build their working "
        "lives.\n\n"
        "With our partners we laid the foundations of a continuous improvement of our services: welcoming "
        "everyone, free and without appointment, with any question about studies, training, work or starting "
        "a business. This first review presents the project, its partners, the year's highlights and its "
        "figures. Thanks to our promoters, our partners and every member of the team."
    ),
    "highlights_fr": (
        "5 mars : ouverture de la plus grande Cité des métiers d'Europe, un espace de 1.100 m² ouvert à tous.\n\n"
        "23-27 avril : semaine inaugurale à Flagey, 46 activités et 626 participants ; inauguration officielle "
        "le 23 avril en présence de la Commissaire européenne à l'emploi.\n\n"
        "Mai : la Cité à la fête de l'Iris et au Salon de la Formation.\n\n"
        "Automne : Discover Mobility avec Actiris International, une conférence-débat sur le tutorat pendant "
        "la Skills Week, le Salon du SIEP, une session Select de recrutement avec Actiris.\n\n"
        "12 novembre : première réunion des partenaires du premier cercle.\n\n"
        "Décembre : lancement du site web et campagne d'affichage pour faire connaître la Cité."
    ),
    "highlights_nl": (
        "5 maart: opening van het grootste Beroepenpunt van Europa, 1.100 m² open voor iedereen.\n\n"
        "23-27 april: openingsweek in Flagey, 46 activiteiten en 626 deelnemers; officiële inhuldiging op "
        "23 april in aanwezigheid van de Europese commissaris voor werkgelegenheid.\n\n"
        "Mei: het Beroepenpunt op het Irisfeest en op de Opleidingsbeurs.\n\n"
        "Najaar: Discover Mobility met Actiris International, een debat over mentorschap tijdens de Skills Week, "
        "de SIEP-beurs, een Select-rekruteringssessie met Actiris.\n\n"
        "12 november: eerste vergadering van de partners van de eerste kring.\n\n"
        "December: lancering van de website en affichecampagne om het Beroepenpunt bekend te maken."
    ),
    "highlights_en": (
        "5 March: opening of the largest Cité des métiers in Europe, 1,100 m² open to all.\n\n"
        "23-27 April: opening week at Flagey, 46 activities and 626 participants; official inauguration on "
        "23 April with the European Commissioner for employment.\n\n"
        "May: the centre at the Iris festival and the Training fair.\n\n"
        "Autumn: Discover Mobility with Actiris International, a debate on mentoring during Skills Week, the SIEP "
        "fair, a Select recruitment session with Actiris.\n\n"
        "12 November: first meeting of the first-circle partners.\n\n"
        "December: the website goes live and a poster campaign makes the centre known."
    ),
    # The preamble signed, as in 2018 (a fictitious name: the demo centre's director).
    "signatory_name": "Anne Delvaux",
    "signatory_role_fr": "Directrice",
    "signatory_role_nl": "Directrice",
    "signatory_role_en": "Director",
    "quote_fr": (
        "Préparer l'avenir professionnel des Bruxelloises et des Bruxellois : une mission exigeante, "
        "enthousiasmante et essentielle."
    ),
    "quote_nl": (
        "De Brusselaars helpen hun loopbaan voor te bereiden: een veeleisende, boeiende en essentiële opdracht."
    ),
    # The cover picture is drawn by cover_picture(): the five themes' colours.
    "cover_photo_alt_fr": "Cinq bandes de couleur, une par thème : choisir, apprendre, bouger, entreprendre, travailler.",
    "cover_photo_alt_nl": "Vijf kleurbanden, één per thema: kiezen, leren, bewegen, ondernemen, werken.",
    "cover_photo_alt_en": "Five bands of colour, one per theme: choose, learn, move, start a business, work.",
}


def cover_picture() -> bytes:
    """The demo's cover picture (a JPEG, 1600 × 900): the five themes' colours as soft diagonal bands with
    a few circles, standing for the photo a director would choose."""
    from PIL import Image, ImageDraw, ImageFilter

    colours = [theme.colour for theme in Theme.objects.order_by("position")] or ["#1d2b53"]
    image = Image.new("RGB", (1600, 900), "#f4f6fa")
    draw = ImageDraw.Draw(image)
    band = 1600 // len(colours) + 120
    for index, colour in enumerate(colours):
        left = index * (band - 120) - 200
        draw.polygon([(left, 900), (left + 360, 0), (left + 360 + band, 0), (left + band, 900)], fill=colour)
    for x, y, radius in ((300, 250, 140), (1100, 620, 210), (1380, 180, 90), (640, 700, 60)):
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), outline="#ffffff", width=10)
    image = image.filter(ImageFilter.GaussianBlur(2))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


# The 2018 timeline ("synthèse de l'année"), after the real report's events, in our own words:
# (day, French title, French text, Dutch title, Dutch text).
HIGHLIGHTS_2018 = [
    (
        date(2018, 3, 5),
        "Ouverture de la Cité",
        "La plus grande Cité des métiers d'Europe ouvre ses portes : 1.100 m² où chacun trouve, sans "
        "rendez-vous, des conseils, des activités collectives et des ressources numériques.",
        "Opening van het Beroepenpunt",
        "Het grootste Beroepenpunt van Europa opent de deuren: 1.100 m² waar iedereen zonder afspraak "
        "advies, groepsactiviteiten en digitale bronnen vindt.",
    ),
    (
        date(2018, 4, 23),
        "Une semaine inaugurale",
        "Du 23 au 27 avril, 46 activités réunissent 626 participants ; l'inauguration officielle a lieu le "
        "premier jour, en présence de la Commissaire européenne à l'emploi.",
        "Een openingsweek",
        "Van 23 tot 27 april brengen 46 activiteiten 626 deelnemers samen; de officiële opening vindt plaats op "
        "de eerste dag, in aanwezigheid van de Europese commissaris voor Werkgelegenheid.",
    ),
    (
        date(2018, 5, 5),
        "À la fête de l'Iris",
        "La Cité présente ses services au public de la fête de la Région bruxelloise.",
        "Op het Irisfeest",
        "Het Beroepenpunt stelt zijn diensten voor aan het publiek van het feest van het Brussels Gewest.",
    ),
    (
        date(2018, 5, 15),
        "Au Salon de la Formation",
        "Deux jours à la rencontre des chercheurs d'emploi et des organismes de formation.",
        "Op de Opleidingsbeurs",
        "Twee dagen om werkzoekenden en opleidingsverstrekkers te ontmoeten.",
    ),
    (
        date(2018, 6, 14),
        "Une classe venue de Casablanca",
        "Des élèves de l'école belge de Casablanca découvrent la Cité : elle éveille la curiosité au-delà de "
        "l'Europe.",
        "Een klas uit Casablanca",
        "Leerlingen van de Belgische school in Casablanca ontdekken het Beroepenpunt: het wekt nieuwsgierigheid "
        "tot buiten Europa.",
    ),
    (
        date(2018, 9, 20),
        "Discover Mobility",
        "Actiris International et ses partenaires présentent à la Cité les possibilités de travailler à "
        "l'étranger.",
        "Discover Mobility",
        "Actiris International en zijn partners stellen in het Beroepenpunt de mogelijkheden voor om in het "
        "buitenland te werken.",
    ),
    (
        date(2018, 11, 7),
        "Semaine européenne des compétences",
        "Une conférence-débat sur le tutorat sous toutes ses formes, à l'initiative de Bruxelles Formation.",
        "Europese week van de vaardigheden",
        "Een debat over alle vormen van mentorschap, op initiatief van Bruxelles Formation.",
    ),
    (
        date(2018, 11, 12),
        "Première réunion des partenaires",
        "Les partenaires du premier cercle font le bilan des premiers mois et parlent de la suite.",
        "Eerste partnervergadering",
        "De partners van de eerste kring maken de balans op van de eerste maanden en bespreken de toekomst.",
    ),
    (
        date(2018, 12, 3),
        "Un site web et une campagne d'affichage",
        "Le portail de la Cité est en ligne, et une campagne dans la ville invite le public à pousser la porte.",
        "Een website en een affichecampagne",
        "De website van het Beroepenpunt gaat online, en een campagne in de stad nodigt het publiek uit om "
        "binnen te lopen.",
    ),
]
# Three anonymous testimonials: (French quote, French attribution, Dutch quote, Dutch attribution).
TESTIMONIALS_2018 = [
    (
        "Après un entretien avec une conseillère, j'ai enfin su par où commencer.",
        "une chercheuse d'emploi, 29 ans",
        "Na een gesprek met een adviseur wist ik eindelijk waar ik moest beginnen.",
        "een werkzoekende, 29 jaar",
    ),
    (
        "Dans l'espace multimédia, j'ai découvert des formations en ligne que je ne connaissais pas.",
        "un salarié, 41 ans",
        "In de multimediaruimte ontdekte ik online opleidingen die ik niet kende.",
        "een werknemer, 41 jaar",
    ),
    (
        "Gratuit et sans rendez-vous : je suis passé entre deux cours et je suis reparti avec un plan.",
        "un étudiant, 19 ans",
        "Gratis en zonder afspraak: ik kwam tussen twee lessen langs en vertrok met een plan.",
        "een student, 19 jaar",
    ),
]


# --- helpers --------------------------------------------------------------------------------------


class Pick:
    """A weighted choice, drawn with one random number."""

    def __init__(self, weights: dict):
        self.values = list(weights)
        self.cumulative = list(accumulate(weights.values()))
        self.total = self.cumulative[-1]

    def __call__(self, rng: random.Random):
        return self.values[bisect_right(self.cumulative, rng.random() * self.total)]


def apportion(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights`, in whole numbers (largest remainders)."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    raw = [total * weight / whole for weight in weights]
    shares = [int(value) for value in raw]
    order = sorted(range(len(raw)), key=lambda index: shares[index] - raw[index])
    for index in order[: total - sum(shares)]:
        shares[index] += 1
    return shares


def apportion_capped(total: int, weights: list[float], caps: list[int]) -> list[int]:
    """As apportion, no share above its cap (what cannot be placed is left out)."""
    shares = [0] * len(weights)
    open_ = [index for index, cap in enumerate(caps) if cap > 0 and weights[index] > 0]
    left = total
    while left > 0 and open_:
        parts = apportion(left, [weights[index] for index in open_])
        still = []
        for index, part in zip(open_, parts, strict=True):
            take = min(part, caps[index] - shares[index])
            shares[index] += take
            left -= take
            if shares[index] < caps[index]:
                still.append(index)
        open_ = still
    return shares


def _exact(rng: random.Random, counts: dict) -> list:
    values = [value for value, count in counts.items() for _ in range(count)]
    rng.shuffle(values)
    return values


def _easter(year: int) -> date:
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def holidays(year: int) -> set[date]:
    """The days the centre is closed on a weekday: Belgian public holidays, and 26 December."""
    easter = _easter(year)
    fixed = [(1, 1), (5, 1), (7, 21), (8, 15), (11, 1), (11, 11), (12, 25), (12, 26)]
    return {date(year, month, day) for month, day in fixed} | {
        easter + timedelta(days=offset) for offset in (1, 39, 50)
    }


def closed_to_public(day: date) -> bool:
    return COVID_CLOSED[0] <= day <= COVID_CLOSED[1]


def _covid(day: date) -> float:
    if closed_to_public(day):
        return 0.0
    for start, end, factor in (
        (date(2020, 6, 1), date(2020, 8, 31), 0.55),
        (date(2020, 9, 1), date(2020, 10, 31), 0.75),
        (date(2020, 11, 1), date(2021, 5, 31), 0.5),
        (date(2021, 6, 1), date(2021, 12, 31), 0.8),
    ):
        if start <= day <= end:
            return factor
    return 1.0


def site_factor(day: date) -> float:
    """How busy the centre is on a day, relative to an ordinary Wednesday of May."""
    factor = WEEKDAY[day.weekday()] * MONTH[day.month]
    if (day.month == 12 and day.day >= 21) or (day.month == 1 and day.day <= 3):
        factor *= 0.55
    since = (day - OPENING_DAY).days
    if since < 120:  # the first weeks: everybody came to see
        factor *= 1 + 0.75 * math.exp(-since / 25)
    return factor * _covid(day)


def site_factor_base(day: date) -> float:
    """The weekly and yearly rhythm alone: the remote work of the advisers while the centre was closed."""
    return WEEKDAY[day.weekday()] * MONTH[day.month]


def at(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=TZ)


# --- the seeder -----------------------------------------------------------------------------------


@dataclass
class Person:
    id: int
    role: str
    partner: str | None
    joined: date
    languages: tuple = ("fr",)


@dataclass
class Planned:
    """An activity being planned (its row is built at the end)."""

    template: Template
    day: date
    starts_at: datetime
    ends_at: datetime
    place: str
    room: int | None = None
    address: str = ""
    status: str = Activity.Status.PUBLISHED
    kind: str = ""
    outreach: bool = False
    recorded: bool = True
    expected: float = 0.0
    participants: int = 0
    directed: int = 0
    title: tuple = ()


@dataclass
class Seeded:
    """What was written, for the command's line."""

    start: date
    until: date
    created: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    def summary(self) -> str:
        c = self.created
        return (
            f"Demo centre {self.start} to {self.until}: {c['visits']:,} visits, {c['tickets']:,} queue tickets, "
            f"{c['consultations']:,} consultations, {c['activities']:,} activities, {c['registrations']:,} "
            f"registrations, {c['walk_ins']:,} walk-ins, {c['space_entries']:,} multimedia entries, "
            f"{c['sweeps']:,} occupancy counts, {c['digital_help']:,} digital help, {c['codes']:,} questionnaire "
            f"codes ({c['answers']:,} answered), {c['staff']:,} staff accounts, online figures of "
            f"{c['online_figures']} year(s), {c['report_texts']} report text(s); in {self.seconds:.0f} s."
        )


class AlreadySeeded(Exception):
    """The history is there already."""


def history_exists(until: date) -> bool:
    """Whether visits or consultations exist up to `until` (the demo, or real data): nothing to write."""
    end = at(until + timedelta(days=1), 0)
    return accueil_demo.history_exists(before=end) or conseil_demo.history_exists(before=end)


def demo_history_create(
    *, seed: int = 2018, until: date | None = None, now: datetime | None = None
) -> Seeded:
    """Writes the demo centre's history from the opening day to `until` (yesterday by default), and its
    daily summaries, in one transaction; raises AlreadySeeded when visits or consultations are there already."""
    if not settings.DEMO_ACCOUNTS_ENABLED:
        raise ImproperlyConfigured("The demo centre is only seeded with CDM_MODE=demo or dev.")
    now = now or timezone.now()
    until = until or timezone.localdate(now) - timedelta(days=1)
    if until < OPENING_DAY:
        raise ValueError(f"The centre opened on {OPENING_DAY}: give a later day.")
    if until >= timezone.localdate(now):
        raise ValueError("The demo history ends yesterday at the latest.")
    started = timezone.now()
    with transaction.atomic():
        if history_exists(until):
            raise AlreadySeeded
        seeder = _Seeder(seed=seed, until=until, now=now)
        seeder.run()
        _analyze()
        for summary in summaries.registered():  # as the scheduler would have, night after night
            summary.summarise()
    seeder.result.seconds = (timezone.now() - started).total_seconds()
    return seeder.result


# The tables the history fills by the thousand.
ANALYZED = [
    Visit,
    Ticket,
    Consultation,
    Consultation.topics.through,
    QuestionnaireCode,
    QuestionnaireAnswer,
    Activity,
    Registration,
    WalkIn,
    SpaceEntry,
    OccupancySweep,
    DigitalHelp,
]


def _analyze() -> None:
    """Refreshes the planner's statistics of the tables just filled: without them, PostgreSQL plans for
    the empty tables it last saw (nested loops over years of rows) until autovacuum comes by, which it
    never does inside the transaction that wrote them (the tests' own)."""
    with connection.cursor() as cursor:
        for model in ANALYZED:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


class _Seeder:
    def __init__(self, *, seed: int, until: date, now: datetime):
        self.seed, self.until, self.now = seed, until, now
        self.result = Seeded(OPENING_DAY, until)
        self.partners = {partner.code: partner.pk for partner in Partner.objects.all()}
        self.partner_themes: dict[str, set] = defaultdict(set)
        for code, theme in Partner.themes.through.objects.values_list("partner__code", "theme_id"):
            self.partner_themes[code].add(theme)
        self.topics: dict[str, list] = defaultdict(list)
        for code, theme in (
            Topic.objects.filter(active=True).order_by("position").values_list("code", "theme")
        ):
            self.topics[theme].append(code)
        self.topic_picks = {
            theme: Pick({code: 1 / (1 + 0.3 * rank) for rank, code in enumerate(codes)})
            for theme, codes in self.topics.items()
        }
        self.referrable = sorted(code for code in self.partners if code in self.partner_themes)
        self.help_topics = Pick(
            {
                code: HELP_TOPICS.get(code, 1)
                for code in HelpTopic.objects.filter(active=True).values_list("code", flat=True)
            }
        )
        self.rooms = list(
            Space.objects.filter(bookable=True, active=True).order_by("position").values_list("pk", flat=True)
        )
        # Each app builds and writes its own rows; the simulation decides them.
        self.desk, self.advice, self.space = DeskRows(), AdviceRows(), SpaceRows()

    def rng(self, *parts) -> random.Random:
        return random.Random(":".join(str(part) for part in (self.seed, *parts)))  # noqa: S311 (demo data)

    # --- the whole history ---

    def run(self):
        self.count("spaces_measured", citedesmetiers_demo.spaces_measure())
        self.staff()
        self.room_bookings()
        for year in range(OPENING_DAY.year, self.until.year + 1):
            self.year(year)
        self.online_and_report()

    def count(self, name: str, number: int = 1):
        self.result.created[name] += number

    # --- staff ---

    def staff(self):
        rng = self.rng("staff")
        groups = {group.name: group for group in Group.objects.filter(name__in=Role.values)}
        if len(groups) < len(Role.values):
            groups = {group.name: group for group in roles_sync()}
        opening = at(OPENING_DAY, 8)
        citedesmetiers_demo.demo_accounts_backdate(to=opening)
        end_2018 = at(date(2019, 1, 1), 0)
        existing: dict[tuple, list] = defaultdict(list)
        by_role: Counter = Counter()
        rows = (
            User.objects.filter(is_active=True, groups__name__in=Role.values, date_joined__lt=end_2018)
            .exclude(username__startswith=PREFIX)
            .values_list("pk", "date_joined", "partner__code", "groups__name")
            .order_by("-is_demo", "username")
        )
        for pk, joined, partner, role in rows:
            existing[(role, partner)].append((pk, timezone.localdate(joined)))
            by_role[role] += 1
        # The slots of the team: each filled by an existing account of that role and institution, or seeded.
        slots = []  # (role, partner, number, joined, languages, existing (pk, joined) or None)
        for role, partner, people in TEAM_2018:
            if partner is not None and partner not in self.partners:
                continue
            found = existing.get((role.value, partner), [])
            for number in range(1, people + 1):
                joined = date(2018, 1, 8) + timedelta(days=rng.randrange(50))
                languages = self._languages(rng, role, partner)
                filled = found[number - 1] if number <= len(found) else None
                slots.append([role, partner, number, joined, languages, filled])
        # Accounts beyond the slots (of a role and institution, or of another) leave seeded slots out.
        for group, roles in TEAM_GROUPS.items():
            seeded_in_group = [slot for slot in slots if slot[0] in roles and slot[5] is None]
            total = sum(by_role[role.value] for role in roles) + len(seeded_in_group)
            for slot in sorted(seeded_in_group, key=lambda slot: -slot[2])[
                : max(0, total - TEAM_TARGETS[group])
            ]:
                slots.remove(slot)
        for year, role, partner, people, extra in TEAM_LATER:
            if partner is not None and partner not in self.partners:
                continue
            for number in range(1, people + 1):
                joined = date(year, 1, 7) + timedelta(days=rng.randrange(200))
                languages = self._languages(rng, role, partner) + ((extra,) if extra else ())
                slots.append([role, partner, 100 * (year - 2000) + number, joined, languages, None])
        names = {}
        for slot in slots:
            names[id(slot)] = (rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES))
        usernames = {
            id(slot): f"{PREFIX}{ROLE_SHORT[slot[0]]}.{slot[1] or 'cdm'}.{slot[2]:02d}"
            for slot in slots
            if slot[5] is None
        }
        known = dict(User.objects.filter(username__in=usernames.values()).values_list("username", "pk"))
        new = citedesmetiers_demo.staff_accounts_create(
            [
                {
                    "username": usernames[id(slot)],
                    "first_name": names[id(slot)][0],
                    "last_name": names[id(slot)][1],
                    "partner_id": self.partners.get(slot[1]),
                    "date_joined": at(slot[3], 9),
                }
                for slot in slots
                if usernames.get(id(slot)) is not None and usernames[id(slot)] not in known
            ]
        )
        self.count("staff", len(new))
        known.update({user.username: user.pk for user in new})
        memberships, spoken = [], []
        self.people: list[Person] = []
        for slot in slots:
            role, partner, _number, joined, languages, filled = slot
            if filled is not None:
                pk, joined = filled
            else:
                pk = known[usernames[id(slot)]]
                memberships.append((pk, groups[role.value].pk))
                if role in (Role.ADVISER, Role.PARTNER_LEAD):
                    spoken += [(pk, code) for code in languages]
            self.people.append(Person(pk, role.value, partner, joined, languages))
        citedesmetiers_demo.staff_roles_give(memberships=memberships, spoken=spoken)
        self.advisers = [p for p in self.people if p.role in (Role.ADVISER, Role.PARTNER_LEAD)]
        self.reception = [p for p in self.people if p.role == Role.RECEPTION_AGENT]
        self.stewards = [p for p in self.people if p.role == Role.DIGITAL_STEWARD]
        self.coordinators = [p for p in self.people if p.role == Role.COORDINATOR]
        self.directors = [p for p in self.people if p.role == Role.DIRECTOR]
        self.organisers: dict[str, list] = defaultdict(list)
        for person in self.people:
            if person.role == Role.ACTIVITY_ORGANISER:
                self.organisers[person.partner].append(person)

    @staticmethod
    def _languages(rng: random.Random, role, partner) -> tuple:
        if role not in (Role.ADVISER, Role.PARTNER_LEAD):
            return ("fr", "nl", "en") if rng.random() < 0.5 else ("fr", "en")
        if partner in ("vdab-brussel", "trace-brussel"):
            return ("nl", "fr", "en")
        languages = ["fr"]
        if rng.random() < 0.75:
            languages.append("en")
        if rng.random() < 0.4:
            languages.append("nl")
        if rng.random() < 0.3:
            languages.append(rng.choice(["ar", "es", "pt", "ro", "it", "pl", "tr", "bg", "ru"]))
        return tuple(languages)

    @staticmethod
    def _present(people: list[Person], day: date) -> list[Person]:
        return [person for person in people if person.joined <= day]

    # --- the activity rooms already booked (the demo's coming activities, real ones) ---

    def room_bookings(self):
        self.booked: dict[tuple, list] = defaultdict(list)
        rows = (
            Activity.objects.filter(room__isnull=False, starts_at__gte=at(OPENING_DAY, 0))
            .exclude(status=Activity.Status.CANCELLED)
            .values_list("room_id", "starts_at", "ends_at")
        )
        for room, starts_at, ends_at in rows:
            self.booked[(room, timezone.localdate(starts_at))].append((starts_at, ends_at))

    # --- one year ---

    def year(self, year: int):
        plan = year_plan(year)
        rng = self.rng(year, "plan")
        first = max(date(year, 1, 1), OPENING_DAY)
        days = []  # working days (the closure of 2020 included: remote work)
        day = first
        closed = holidays(year)
        while day.year == year:
            if day.weekday() < 5 and day not in closed:
                days.append(day)
            day += timedelta(days=1)
        noise = {day: math.exp(rng.gauss(0, 0.12)) for day in days}
        site = {day: site_factor(day) * noise[day] for day in days}
        open_days = [day for day in days if site[day] > 0]

        activities = self.plan_activities(year, plan, days, noise)
        eligible = [
            a
            for a in activities
            if a.room is not None
            and a.recorded
            and not a.outreach
            and a.status == Activity.Status.PUBLISHED
            and a.starts_at.hour * 60 + a.starts_at.minute <= 16 * 60 + 30
        ]
        directed = apportion_capped(
            round(plan.participants * plan.directed_share),
            [a.participants for a in eligible],
            [a.participants for a in eligible],
        )
        for activity, number in zip(eligible, directed, strict=True):
            activity.directed = number
        directed_total = sum(directed)

        # Advice: how many sessions each day and how (the visits follow from it).
        advice_weights = [
            site[day] if site[day] > 0 else site_factor_base(day) * noise[day] * 0.5 for day in days
        ]
        sessions = dict(zip(days, apportion(plan.advice, advice_weights), strict=True))
        modes = Pick(MODES.get(year, MODES[2022]))
        closed_modes = Pick(CLOSED_MODES)
        ticket_share = 0.75 if year < 2022 else 0.85
        day_modes, walk_aways = {}, {}
        advice_visits = 0
        for day in days:
            pick = closed_modes if closed_to_public(day) else modes
            day_modes[day] = [pick(rng) for _ in range(sessions[day])]
            face = sum(1 for mode in day_modes[day] if mode == Mode.FACE_TO_FACE)
            walk_aways[day] = sum(1 for _ in range(face) if rng.random() < ticket_share * 0.042)
            advice_visits += face + walk_aways[day]
        on_site = plan.contacts - plan.participants + directed_total
        rest = max(0, on_site - advice_visits - directed_total)
        other_visits = dict(zip(open_days, apportion(rest, [site[day] for day in open_days]), strict=True))
        entries = dict(zip(open_days, apportion(plan.entries, [site[day] for day in open_days]), strict=True))
        flat = [WEEKDAY[day.weekday()] * noise[day] for day in days]
        emails = dict(zip(days, apportion(plan.emails, flat), strict=True))
        phone = dict(zip(days, apportion(plan.phone, flat), strict=True))
        codes_total = round(plan.advice * 0.1 + plan.entries * 0.03 + plan.participants * 0.03)
        codes = dict(zip(open_days, apportion(codes_total, [site[day] for day in open_days]), strict=True))
        genders = iter(_exact(self.rng(year, "genders"), GENDERS_2018)) if year == 2018 else None

        self.write_activities([a for a in activities if a.day <= self.until], year)
        by_day = defaultdict(list)
        for activity in activities:
            by_day[activity.day].append(activity)

        month_rng = {month: self.rng(year, "month", month) for month in range(1, 13)}
        ordinary = sum(site.values()) / len(site)
        current = None
        for day in days:
            if day > self.until:
                break
            if current is not None and day.month != current:
                self.flush()
            current = day.month
            rng = month_rng[day.month]
            load = site[day] / ordinary or 1.0  # (no one on site while closed)
            specs = self.advice_day(rng, day, day_modes[day], walk_aways[day], load, genders, year)
            self.visits_day(
                rng, day, other_visits.get(day, 0), by_day.get(day, []), emails[day], phone[day], year
            )
            if day in entries:
                self.space_day(rng, day, entries[day])
            if day in codes:
                self.questionnaires_day(rng, day, codes[day], specs, by_day.get(day, []))
        self.flush()

    # --- activities ---

    def plan_activities(self, year: int, plan: YearPlan, days: list[date], noise: dict) -> list[Planned]:
        rng = self.rng(year, "activities")
        templates = [t for t in TEMPLATES if t.years[0] <= year <= t.years[1] and t.partner in self.partners]
        online = [t for t in templates if t.place == "online"]
        pick = Pick(
            {
                index: t.weight * (3 if t.place == "online" and year in (2020, 2021) else 1)
                for index, t in enumerate(templates)
            }
        )
        planned: list[Planned] = []
        special_days = set()
        if year == 2018:
            first, count, people = INAUGURAL_WEEK
            week = [first + timedelta(days=offset) for offset in range(5)]
            special_days.update(week)
            specials = []
            per_day = apportion(count, [1] * 5)
            for day, number in zip(week, per_day, strict=True):
                starts = [
                    time(9, 30),
                    time(10),
                    time(11),
                    time(13),
                    time(13, 30),
                    time(14),
                    time(15),
                    time(15, 30),
                    time(16),
                    time(10, 30),
                ]
                for index in range(number):
                    t = templates[pick(rng)]
                    while t.place == "online" or t.kind == Kind.FAIR:
                        t = templates[pick(rng)]
                    start = at(day, starts[index].hour, starts[index].minute)
                    a = Planned(
                        t,
                        day,
                        start,
                        start + timedelta(minutes=min(t.minutes, 150)),
                        PlaceKind.ADDRESS,
                        address=ADDRESSES["flagey"],
                    )
                    a.kind = t.kind
                    a.title = (
                        f"Semaine inaugurale – {t.title_fr}",
                        f"Openingsweek – {t.title_nl}",
                        f"Opening week – {t.title_en}",
                    )
                    a.expected = rng.uniform(*t.size)
                    specials.append(a)
            for a, share in zip(specials, apportion(people, [a.expected for a in specials]), strict=True):
                a.participants = share
            planned += specials
        regular_days = [day for day in days if day not in special_days]
        weights = [
            ACTIVITY_MONTH[day.month]
            * (0.7 if day.weekday() == 4 else 1.0)
            * noise[day]
            * (0.35 if closed_to_public(day) else max(0.4, _covid(day)))
            for day in regular_days
        ]
        regular_count = plan.activities - len(planned)
        per_day = apportion(regular_count, weights)
        regular = []
        for day, number in zip(regular_days, per_day, strict=True):
            for _ in range(number):
                t = templates[pick(rng)]
                if closed_to_public(day) and t.place != "online":
                    t = rng.choice(online)
                regular.append(self.schedule(rng, t, day))
        for a in rng.sample(regular, min(plan.missing, len(regular))):
            a.recorded = False
        recorded = [a for a in regular if a.recorded]
        for a in recorded:
            a.expected = rng.uniform(*a.template.size)
        for a, share in zip(
            recorded,
            apportion(
                plan.participants - sum(a.participants for a in planned), [a.expected for a in recorded]
            ),
            strict=True,
        ):
            a.participants = share
        for a in regular:
            if not a.recorded:
                a.expected = rng.uniform(*a.template.size)
        planned += regular
        # A few cancelled (not held: they count nowhere) and the outreach outings (counted apart).
        for _ in range(round(plan.activities * 0.015)):
            day = rng.choice(regular_days)
            t = templates[pick(rng)]
            start = at(day, 9, 30) if rng.random() < 0.5 else at(day, 13, 30)
            a = Planned(
                t,
                day,
                start,
                start + timedelta(minutes=t.minutes),
                PlaceKind.ADDRESS,
                address=ADDRESSES.get(t.partner, ADDRESSES["default"]),
                status=Activity.Status.CANCELLED,
                kind=t.kind,
            )
            a.expected = rng.uniform(*t.size)
            planned.append(a)
        outings = [(day, index) for day, index in OUTREACH_2018] if year == 2018 else []
        choices = [index for index, row in enumerate(OUTREACH) if row[6] <= year]
        while len(outings) < plan.outreach:
            outings.append((rng.choice(regular_days), rng.choice(choices)))
        outreach = []
        for day, index in outings:
            partner, theme, fr, nl, en, place, _year = OUTREACH[index]
            if partner not in self.partners:
                continue
            t = Template(
                partner,
                theme,
                Kind.OUTREACH,
                ("everyone",),
                ("fr", "nl"),
                F,
                None,
                420,
                0,
                place,
                (50, 400),
                fr,
                nl,
                en,
                "La Cité des métiers hors de ses murs : information, orientation et conseils.",
                "Het Beroepenpunt buiten de muren: informatie, oriëntatie en advies.",
            )
            start = at(day, 10)
            a = Planned(
                t,
                day,
                start,
                start + timedelta(hours=7),
                PlaceKind.ADDRESS,
                address=ADDRESSES[place],
                kind=Kind.OUTREACH,
                outreach=True,
            )
            a.expected = rng.uniform(0.5, 1.5)
            outreach.append(a)
        for a, share in zip(
            outreach, apportion(plan.outreach_people, [a.expected for a in outreach]), strict=True
        ):
            a.participants = share
        return planned + outreach

    def schedule(self, rng: random.Random, t: Template, day: date) -> Planned:
        """An activity of a template on a day: in a free room at one of its usual times, else at an outside
        address (or online)."""
        kind = t.kind
        if t.place == "online":
            start = at(day, 10) if rng.random() < 0.5 else at(day, 14)
            a = Planned(t, day, start, start + timedelta(minutes=t.minutes), PlaceKind.ONLINE, kind=kind)
            return a
        if t.place == "room" and self.rooms:
            starts = list(t.starts) or list(ROOM_STARTS)
            if not t.starts:  # morning or afternoon, on the half hour or the hour
                first = rng.randrange(6)
                starts[0], starts[first] = starts[first], starts[0]
            for start_time in starts:
                start = at(day, start_time.hour, start_time.minute)
                end = start + timedelta(minutes=t.minutes)
                if end > at(day, 17, 30) and start_time.hour < 18:
                    continue
                for room in self.rooms:
                    taken = self.booked[(room, day)]
                    if all(end <= other_start or start >= other_end for other_start, other_end in taken):
                        taken.append((start, end))
                        return Planned(t, day, start, end, PlaceKind.ROOM, room=room, kind=kind)
        address = ADDRESSES.get(t.place) or ADDRESSES.get(t.partner, ADDRESSES["default"])
        start_time = rng.choice(t.starts or (time(9, 30), time(13, 30), time(14)))
        start = at(day, start_time.hour, start_time.minute)
        return Planned(
            t, day, start, start + timedelta(minutes=t.minutes), PlaceKind.ADDRESS, address=address, kind=kind
        )

    def write_activities(self, planned: list[Planned], year: int):
        written = activites_demo.history_activities_write(
            planned,
            rng=self.rng(year, "attendance"),
            partners=self.partners,
            creators=lambda partner: self.organisers.get(partner) or self.coordinators,
            now=self.now,
        )
        for name, number in written.items():
            self.count(name, number)

    # --- advice ---

    def advice_day(self, rng, day, modes, walk_aways, load, genders, year) -> list:
        """The day's consultations, with the visits and queue tickets of those who came."""
        present = self._present(self.advisers, day)
        on_duty = [p for p in present if rng.random() < DUTY.get(p.partner, DUTY_OTHERS)]
        for theme in ADVICE_THEMES:
            if not any(theme in self.partner_themes[p.partner] for p in on_duty):
                able = [p for p in present if theme in self.partner_themes[p.partner]]
                if able:
                    on_duty.append(rng.choice(able))
        desks = {p.id: str(number) for number, p in enumerate(on_duty, 1)}
        free_at = {p.id: at(day, 9) for p in on_duty}
        themes, languages = Pick(ADVICE_THEMES), Pick(self._advice_languages(year))
        arrivals = Pick({hour: weight for hour, weight in VISIT_HOURS.items()})
        specs = []
        for mode in modes:
            theme, language = themes(rng), languages(rng)
            if mode == Mode.FACE_TO_FACE:
                arrival = at(day, arrivals(rng), rng.randrange(60), rng.randrange(60))
                arrival = min(arrival, at(day, 16, 15, rng.randrange(60)))
                hour_load = 1.2 if arrival.hour in (10, 11, 14) else 1.0
                wait = min(110.0, max(1.0, math.exp(rng.gauss(math.log(17 * (load**0.5) * hour_load), 0.55))))
                desired = arrival + timedelta(minutes=wait)
            else:
                arrival = None
                desired = at(day, 9) + timedelta(seconds=rng.randrange(450 * 60))
            specs.append(
                {"mode": mode, "theme": theme, "language": language, "arrival": arrival, "start": desired}
            )
        walkers = []
        for _ in range(walk_aways):
            arrival = at(day, arrivals(rng), rng.randrange(60), rng.randrange(60))
            arrival = min(arrival, at(day, 16, 15, rng.randrange(60)))
            wait = min(110.0, max(2.0, math.exp(rng.gauss(math.log(28 * (load**0.5)), 0.5))))
            walkers.append(
                {
                    "theme": themes(rng),
                    "language": languages(rng),
                    "arrival": arrival,
                    "start": arrival + timedelta(minutes=wait),
                }
            )
        specs.sort(key=lambda spec: spec["start"])
        reception = self._present(self.reception, day) or self.reception
        tickets = []
        for spec in specs:
            able = (
                [p for p in on_duty if spec["theme"] in self.partner_themes[p.partner]] or on_duty or present
            )
            speaking = [p for p in able if spec["language"] in p.languages]
            if not speaking:
                spec["language"] = "fr"
                speaking = [p for p in able if "fr" in p.languages] or able
            start = spec["start"]
            free = [p for p in speaking if free_at.get(p.id, start) <= start]
            if free:
                adviser = rng.choice(free)
            else:
                adviser = min(speaking, key=lambda p: free_at.get(p.id, start))
                start = free_at[adviser.id] + timedelta(minutes=rng.uniform(1, 4))
            mode = spec["mode"]
            duration = max(5, min(90, round(math.exp(rng.gauss(math.log(DURATIONS[mode]), 0.4)))))
            ticket = None
            if spec["arrival"] is not None:
                ticketed = rng.random() < (0.75 if year < 2022 else 0.85)
                visit = self._visit(
                    rng,
                    reception,
                    spec["arrival"],
                    Orientation.ADVICE,
                    spec["theme"],
                    spec["language"],
                    keyed_later=not ticketed,
                )
                if ticketed:
                    called = max(
                        spec["arrival"] + timedelta(minutes=1), start - timedelta(minutes=rng.uniform(0.5, 2))
                    )
                    calls = 1 if rng.random() < 0.9 else 2
                    start = max(start, called + timedelta(seconds=30))
                    ticket = self.desk.ticket(
                        visit=visit,
                        service_date=day,
                        theme_id=spec["theme"],
                        language_id=spec["language"],
                        partner_id=self.partners[adviser.partner] if rng.random() < 0.08 else None,
                        status=TicketStatus.DONE,
                        issued_at=spec["arrival"],
                        called_at=called,
                        announced_at=called
                        + (timedelta(minutes=rng.uniform(1, 2)) if calls == 2 else timedelta()),
                        served_at=start,
                        ended_at=start + timedelta(minutes=duration),
                        calls=calls,
                        adviser_id=adviser.id,
                        desk=desks.get(adviser.id, "1"),
                    )
                    tickets.append(ticket)
            free_at[adviser.id] = start + timedelta(minutes=duration + rng.uniform(2, 8))
            spec.update(
                adviser=adviser, start=start, duration=duration, ended=start + timedelta(minutes=duration)
            )
            self._consultation(rng, spec, ticket, genders, cancelled=False)
            if rng.random() < 0.002:  # a session recorded twice, undone by its adviser
                self._consultation(rng, spec, None, None, cancelled=True)
        for walker in walkers:
            able = (
                [p for p in on_duty if walker["theme"] in self.partner_themes[p.partner]]
                or on_duty
                or present
            )
            adviser = rng.choice(able)
            visit = self._visit(
                rng, reception, walker["arrival"], Orientation.ADVICE, walker["theme"], walker["language"]
            )
            called = walker["start"]
            announced = called + timedelta(minutes=rng.uniform(2, 4))
            tickets.append(
                self.desk.ticket(
                    visit=visit,
                    service_date=day,
                    theme_id=walker["theme"],
                    language_id=walker["language"],
                    status=TicketStatus.WALKED_AWAY,
                    issued_at=walker["arrival"],
                    called_at=called,
                    announced_at=announced,
                    ended_at=announced + timedelta(minutes=rng.uniform(1, 3)),
                    calls=rng.randint(2, 3),
                    adviser_id=adviser.id,
                    desk=desks.get(adviser.id, "1"),
                )
            )
        self.desk.day_tickets(day, tickets)
        return specs

    @staticmethod
    def _advice_languages(year: int) -> dict:
        languages = dict(LANGUAGES)
        if year >= 2022:
            languages["uk"] = 2.5 if year == 2022 else 1.2
        return languages

    def _consultation(self, rng, spec, ticket, genders, *, cancelled: bool):
        adviser = spec["adviser"]
        recorded = spec["ended"] + timedelta(minutes=rng.uniform(1, 5))
        gender = next(genders) if genders is not None else _GENDER(rng)
        educated = rng.random() < 0.4
        consultation = self.advice.consultation(
            occurred_at=spec["start"],
            recorded_at=recorded,
            recorded_by_id=adviser.id,
            cancelled_at=recorded + timedelta(minutes=2) if cancelled else None,
            cancelled_by_id=adviser.id if cancelled else None,
            partner_id=self.partners[adviser.partner],
            theme_id=spec["theme"],
            mode=spec["mode"],
            language_id=spec["language"],
            duration_minutes=spec["duration"],
            ticket=ticket,
            gender_id=gender,
            age_band_id=_AGE(rng),
            status_id=_STATUS(rng),
            education_level_id=_EDUCATION(rng) if educated else None,
            foreign_diploma=(rng.random() < 0.3) if educated else None,
            residence_id=_RESIDENCE(rng) if rng.random() < 0.6 else None,
            referred_to_activity=rng.random() < 0.1,
            referred_to_resource=rng.random() < 0.25,
            follow_up=rng.random() < 0.2,
            updated_at=recorded,
        )
        if cancelled:
            return
        topics = self.topics.get(spec["theme"], [])
        if topics:
            ticked = rng.random()
            number = min(len(topics), 0 if ticked < 0.08 else 1 if ticked < 0.73 else 2)
            chosen = set()
            while len(chosen) < number:
                chosen.add(self.topic_picks[spec["theme"]](rng))
            for code in sorted(chosen):
                self.advice.topic(consultation, code)
        if rng.random() < 0.08:
            other = rng.choice(self.referrable)
            if other != adviser.partner:
                self.advice.referral(consultation, self.partners[other])

    # --- visits ---

    def _visit(
        self,
        rng,
        reception,
        moment,
        orientation,
        theme,
        language,
        *,
        channel="on_site",
        count=1,
        keyed_later=False,
    ):
        recorded = moment + (
            timedelta(minutes=rng.uniform(60, 180)) if keyed_later else timedelta(seconds=rng.uniform(2, 40))
        )
        profiled = channel == "on_site" and rng.random() < 0.15
        return self.desk.visit(
            occurred_at=moment,
            recorded_at=recorded,
            recorded_by_id=rng.choice(reception).id,
            theme_id=theme,
            orientation=orientation,
            language_id=language,
            channel_id=channel,
            count=count,
            gender_id=_GENDER(rng) if profiled else None,
            age_band_id=_AGE(rng) if profiled else None,
            status_id=_STATUS(rng) if profiled else None,
            residence_id=_RESIDENCE(rng) if profiled else None,
        )

    def visits_day(self, rng, day, rest, activities, emails, phone, year):
        """The day's visits other than advice: sent to an activity, the multimedia or documentary space,
        information only; and the e-mails and calls answered."""
        reception = self._present(self.reception, day) or self.reception
        hours = Pick(VISIT_HOURS)
        themes = Pick(VISIT_THEMES)
        languages = Pick(self._advice_languages(year))
        for activity in activities:
            left = activity.directed
            whole_group = (
                activity.kind in (Kind.JOB_DISCOVERY, Kind.VISIT)
                and activity.template.admission == Admission.INVITATION
            )
            while left > 0:
                if whole_group:
                    size = min(left, 500)
                else:
                    size = min(left, 1 if rng.random() < 0.85 else rng.randint(2, 3))
                moment = activity.starts_at - timedelta(minutes=rng.uniform(2, 25))
                moment = max(moment, at(day, 9, 0, rng.randrange(60)))
                moment = min(moment, at(day, 16, 59))
                language = activity.template.languages[0]
                self._visit(
                    rng,
                    reception,
                    moment,
                    Orientation.ACTIVITY,
                    activity.template.theme,
                    language,
                    count=size,
                )
                left -= size
        orientations = Pick(ORIENTATIONS)
        while rest > 0:
            orientation = orientations(rng)
            size = min(rest, 1 if rng.random() < 0.92 else rng.randint(2, 4))
            informed = orientation == Orientation.INFORMATION
            theme = None if rng.random() < (0.45 if informed else 0.15) else themes(rng)
            moment = at(day, hours(rng), rng.randrange(60), rng.randrange(60))
            self._visit(rng, reception, moment, orientation, theme, languages(rng), count=size)
            rest -= size
            if rng.random() < 0.003:  # tapped twice, undone at once
                visit = self._visit(rng, reception, moment, orientation, theme, "fr", count=size)
                visit.cancelled_at = visit.recorded_at + timedelta(seconds=rng.uniform(20, 90))
                visit.cancelled_by_id = visit.recorded_by_id
        mail_languages = Pick(EMAIL_LANGUAGES)
        for channel, number in (("email", emails), ("phone", phone)):
            for _ in range(number):
                moment = at(day, 9) + timedelta(seconds=rng.randrange(8 * 3600))
                theme = themes(rng) if rng.random() < 0.6 else None
                language = mail_languages(rng) if channel == "email" else languages(rng)
                self._visit(rng, reception, moment, Orientation.INFORMATION, theme, language, channel=channel)

    # --- the multimedia space ---

    def space_day(self, rng, day, people):
        if people <= 0 or day in self.space_days_taken:
            return
        stewards = self._present(self.stewards, day) or self.stewards
        hours = Pick(SPACE_HOURS)
        themes = Pick(VISIT_THEMES)
        by_hour = Counter()
        while people > 0:
            size = min(people, 1 if rng.random() < 0.88 else rng.randint(2, 5))
            moment = at(day, hours(rng), rng.randrange(60), rng.randrange(60))
            steward = rng.choice(stewards).id
            self.space.entry(occurred_at=moment, recorded_at=moment, recorded_by_id=steward, count=size)
            by_hour[moment.hour] += size
            people -= size
            if rng.random() < 0.14:
                helped = min(moment + timedelta(minutes=rng.uniform(3, 40)), at(day, 16, 59))
                self.space.help(
                    occurred_at=helped,
                    recorded_at=helped,
                    recorded_by_id=steward,
                    topic_id=self.help_topics(rng),
                    theme_id=themes(rng) if rng.random() < 0.6 else None,
                    duration_minutes=rng.choice([5, 10, 10, 15, 15, 20, 30, 45]),
                )
        for hour in range(9, 17):
            present = by_hour[hour] * 0.6 + by_hour[hour - 1] * 0.5 + rng.gauss(0, 1)
            moment = at(day, hour, 30)
            self.space.sweep(
                occurred_at=moment,
                recorded_at=moment,
                recorded_by_id=rng.choice(stewards).id,
                computers=max(0, min(45, round(present * 0.75))),
                tablets=max(0, min(20, round(present * 0.12 + rng.gauss(0, 1)))),
                documentary=max(0, round(present * 0.2 + rng.gauss(1, 1))),
            )

    @property
    def space_days_taken(self) -> set:
        """Days whose multimedia counts exist already (the demo's recent weeks): left as they are."""
        if not hasattr(self, "_space_days"):
            self._space_days = SpaceRows.days_taken(since=at(OPENING_DAY, 0))
        return self._space_days

    # --- questionnaires ---

    def questionnaires_day(self, rng, day, number, specs, activities):
        services = Pick({"advice": 60, "reception": 10, "multimedia": 15, "activity": 15})
        sessions = [spec for spec in specs if spec["mode"] == Mode.FACE_TO_FACE]
        held = [a for a in activities if a.status == Activity.Status.PUBLISHED and not a.outreach]
        reception = self._present(self.reception, day) or self.reception
        stewards = self._present(self.stewards, day) or self.stewards
        for _ in range(number):
            service = services(rng)
            partner = theme = None
            created_at = at(day, 9) + timedelta(seconds=rng.randrange(480 * 60))
            if service == "advice" and sessions:
                spec = rng.choice(sessions)
                created_by, partner, theme = (
                    spec["adviser"].id,
                    self.partners[spec["adviser"].partner],
                    spec["theme"],
                )
                created_at = spec["ended"]
            elif service == "activity" and held:
                activity = rng.choice(held)
                created_by = rng.choice(
                    self.organisers.get(activity.template.partner) or self.coordinators
                ).id
                partner, theme, created_at = (
                    self.partners[activity.template.partner],
                    activity.template.theme,
                    activity.ends_at,
                )
            elif service == "multimedia":
                created_by = rng.choice(stewards).id
            else:
                service, created_by = "reception", rng.choice(reception).id
            if rng.random() < 0.2:  # made by the exit tablet
                created_by, service, partner = None, "", None
            invitation = self.advice.invitation(
                code=self.advice.code(rng),
                service=service,
                partner_id=partner,
                theme_id=theme,
                created_at=created_at,
                created_by_id=created_by,
            )
            if rng.random() < 0.65:
                delay = (
                    timedelta(minutes=rng.uniform(2, 30))
                    if rng.random() < 0.7
                    else timedelta(hours=rng.uniform(1, 72))
                )
                self._answer(rng, invitation, created_at + delay)

    def _answer(self, rng, invitation, answered_at) -> None:
        educated = rng.random() < 0.85
        satisfaction = _SATISFACTION(rng)
        self.advice.answer(
            code=invitation,
            answered_at=answered_at,
            language=_ANSWER_LANGUAGE(rng),
            service=invitation.service or _ANSWER_SERVICE(rng),
            gender_id=_ANSWER_GENDER(rng),
            age_band_id=_AGE(rng),
            status_id=_STATUS(rng),
            education_level_id=_EDUCATION(rng) if educated else None,
            foreign_diploma=(rng.random() < 0.3) if educated else None,
            residence_id=_RESIDENCE(rng) if rng.random() < 0.9 else None,
            heard_of=_HEARD_OF(rng),
            first_visit=rng.random() < 0.55 if rng.random() < 0.95 else None,
            frequency=_FREQUENCY(rng),
            satisfaction=satisfaction,
            would_recommend=rng.random() < 0.91 if rng.random() < 0.97 else None,
            found=_FOUND(rng),
        )

    # --- writing ---

    def flush(self):
        for rows in (self.desk, self.advice, self.space):
            for name, number in rows.write().items():
                self.count(name, number)

    # --- what the director enters ---

    def online_and_report(self):
        director = (self.directors or self.coordinators)[0].id
        last = self.until.year if self.until.month == 12 and self.until.day == 31 else self.until.year - 1
        known = set(OnlineFigures.objects.values_list("year", flat=True))
        rows = []
        for year in range(OPENING_DAY.year, last + 1):
            if year in known:
                continue
            facebook, twitter, views = ONLINE_FIGURES.get(year) or tuple(
                round(value * 1.04 ** (year - max(ONLINE_FIGURES)))
                for value in ONLINE_FIGURES[max(ONLINE_FIGURES)]
            )
            rows.append(
                OnlineFigures(
                    year=year,
                    facebook_followers=facebook,
                    twitter_followers=twitter,
                    web_page_views=views,
                    updated_at=min(at(date(year + 1, 1, 12), 10), self.now),
                    updated_by_id=director,
                )
            )
        OnlineFigures.objects.bulk_create(rows)
        self.count("online_figures", len(rows))
        if last >= 2018 and not ReportText.objects.filter(year=2018).exists():
            text = ReportText(
                year=2018,
                updated_at=min(at(date(2019, 3, 4), 11), self.now),
                updated_by_id=director,
                **REPORT_2018,
            )
            text.cover_photo.save("couverture.jpg", ContentFile(cover_picture()), save=False)
            text.save()
            self.count("report_texts")
            Highlight.objects.bulk_create(
                Highlight(
                    report_id=2018,
                    day=day,
                    title_fr=title_fr,
                    text_fr=text_fr,
                    title_nl=title_nl,
                    text_nl=text_nl,
                )
                for day, title_fr, text_fr, title_nl, text_nl in HIGHLIGHTS_2018
            )
            Testimonial.objects.bulk_create(
                Testimonial(
                    report_id=2018,
                    quote_fr=quote_fr,
                    attribution_fr=by_fr,
                    quote_nl=quote_nl,
                    attribution_nl=by_nl,
                    position=position,
                )
                for position, (quote_fr, by_fr, quote_nl, by_nl) in enumerate(TESTIMONIALS_2018)
            )


_GENDER = Pick(GENDERS)
_AGE = Pick(AGE_BANDS)
_STATUS = Pick(STATUSES)
_EDUCATION = Pick(EDUCATION)
_RESIDENCE = Pick(RESIDENCES)
_SATISFACTION = Pick({4: 62, 3: 33, 2: 3.5, 1: 1.5})
_ANSWER_LANGUAGE = Pick({"fr": 78, "nl": 12, "en": 10})
_ANSWER_SERVICE = Pick({"advice": 55, "multimedia": 20, "activity": 15, "reception": 10})
_ANSWER_GENDER = Pick({"woman": 52, "man": 45, "other": 1, None: 2})
_HEARD_OF = Pick(
    {
        "word_of_mouth": 30,
        "institution": 32,
        "school": 8,
        "internet": 12,
        "social_media": 8,
        "poster_press": 4,
        "event": 3,
        "other": 1,
        "": 2,
    }
)
_FREQUENCY = Pick({"rarely": 45, "monthly": 30, "weekly": 15, "": 10})
_FOUND = Pick({"yes": 66, "partly": 26, "no": 8})
