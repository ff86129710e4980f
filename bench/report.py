"""The full annual report over two and ten years at a million contacts a year, against the raw SQL aggregates.

A database of its own holds ten synthetic years (2016–2025) of a centre, or a network of centres, about
fifteen times the Cité des métiers of 2024: about a million contacts a year at the reception (people on
site, e-mails and calls), 1.1 million people in contact with those who came straight to an activity (the
report's headline figure), growing 2 % a year. Every row is written by PostgreSQL itself (INSERT ...
SELECT over generate_series, one statement per table, repeatable: setseed), in the rhythm of the demo
centre (stats/demo.py: months, weekdays, opening hours in Europe/Brussels, themes, languages, profiles):
- about 800,000 reception entries a year: on-site visits (one person each, now and then a group) and
  e-mail and phone contacts; a queue ticket for every person sent to individual advice;
- about 500,000 advice sessions a year, with their topics (the M2M table): those of the queue (the
  ticket's adviser, institution, theme and times) and those by appointment, on the phone or by video;
- about 20,000 activities a year at outside addresses or online (the activity room's exclusion constraint
  stays out of the way), with their languages, registrations (erased, as the purge leaves them, with
  attendance ticked), walk-ins and headcounts; a few outreach outings;
- about 250,000 entries into the multimedia space a year, its occupancy counts and its digital help;
- questionnaires (codes and answers), the online figures, and the team: about 540 staff accounts with
  their roles.
The tables are loaded without their secondary indexes and foreign keys, which are then rebuilt from their
own definitions (so every foreign key, unique and check constraint is verified on the whole data), and
the database is vacuumed and analysed as autovacuum would leave it.

The whole is done twice, each time in a database of its own: on the two years the report compares
(2023 and 2024), then on ten years (2016–2025); a last table prints both ratios beside the goal (1.1),
since the report's time must not grow with the history.

Then, in-process (no HTTP) and in the same run:
- the full annual report of 2024: `stats.report.figures(periods.year(2024))`, the year and the year
  before, every indicator, as the dashboard and the exports compute it; best of 3 after a warm-up, each
  after the kept figures of closed days were forgotten (so that it counts every row, as the first
  reading after a change does), and again best of 3 with them kept (as every later reading);
- the raw SQL aggregates of the same indicators on the same data, written by hand: one statement per
  family of indicators (reception contacts, advice, advice topics, queue, activities, multimedia entries,
  occupancy, digital help, questionnaires, team, online figures) for each of the two years, each cut of a
  family in one pass (GROUPING SETS); best of 3.
The ratio says what the report costs beyond what the database has to do. Printed with it: the number of
SQL statements of the report and its time in SQL against the rest (rows turned into objects, Python); each
section of the report (stats.selectors, one run each) next to the raw families computing the same
figures; its 5 slowest statements with the selector that runs them, and the plans (EXPLAIN ANALYZE) of the
slowest; and the headline figures both ways, which must agree. The machine's other work shows in the
absolute times: read the ratios.
"""

import json
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date

import psycopg
from psycopg import sql

from bench import harness

YEARS = range(2016, 2026)
YEAR = 2024
GOAL_RATIO = 1.1  # issue 19: the report within 1.1 times the raw SQL aggregates, on 2 and on 10 years
# Growth of the volumes a year, around 2020 (factor 1).
GROWTH = 0.02
# Rows a year (before growth).
ON_SITE = 700_000  # reception entries on site (a few of them groups)
REMOTE = {"email": 50_000, "phone": 50_000}
APPOINTMENTS = 285_000  # advice sessions without a queue ticket (with the queue's: ~500,000 in all)
ACTIVITIES = 20_000
SPACE_ENTRIES = 250_000
DIGITAL_HELP = 60_000
QUESTIONNAIRES = 40_000  # codes handed out; three quarters answered

TZ = "Europe/Brussels"
# Closed on these days (the fixed public holidays).
HOLIDAYS = ["01-01", "05-01", "07-21", "08-15", "11-01", "11-11", "12-25"]
WEEKDAY = [1.25, 1.15, 1.0, 0.95, 0.75]  # Monday to Friday
MONTH = [1.15, 1.05, 1.05, 0.95, 1.0, 0.95, 0.62, 0.68, 1.2, 1.2, 1.05, 0.9]
VISIT_HOURS = [0.85, 1.25, 1.2, 0.75, 0.85, 1.15, 1.05, 0.7]  # 9:00 to 16:00
SPACE_HOURS = [0.7, 1.0, 1.1, 0.85, 1.1, 1.25, 1.2, 0.9]
FLAT_HOURS = [1.0] * 8
VISIT_THEMES = {"travailler": 34, "apprendre": 27, "choisir": 24, "bouger": 7, "entreprendre": 8}
ADVICE_THEMES = {"travailler": 38, "apprendre": 28, "choisir": 22, "bouger": 6, "entreprendre": 6}
LANGUAGES = {
    "fr": 70, "nl": 8, "en": 12, "ar": 3, "es": 2, "pt": 1.2, "ro": 1.2, "it": 0.6, "pl": 0.6, "tr": 0.8,
    "bg": 0.4, "ru": 0.4,
}  # fmt: skip
ORIENTATIONS = {"advice": 35, "multimedia": 25, "documentary": 8, "activity": 10, "information": 22}
GENDERS = {"woman": 50.0, "man": 44.0, "other": 0.3, "undisclosed": 1.5, None: 4.2}
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
    "none": 7, "primary": 6, "lower_secondary": 11, "upper_secondary": 30, "bachelor": 18, "master": 18,
    None: 10,
}  # fmt: skip
RESIDENCES = {
    "21004": 12, "21015": 11, "21001": 10, "21012": 9, "21009": 7, "21016": 5, "21007": 4.5, "21013": 4.5,
    "21010": 4, "21005": 4, "21006": 3.5, "21018": 3.5, "21014": 3, "21011": 2, "21008": 1.5, "21003": 2,
    "21002": 2.5, "21017": 2, "21019": 2.5, "flanders": 4, "wallonia": 3, "abroad": 0.5, None: 6,
}  # fmt: skip
BOOLEANS = {True: 15, False: 60, None: 25}
MODES = {"face_to_face": 62, "phone": 25, "video": 9, "email": 4}  # appointments (the queue: face to face)
HELP_TOPICS = {
    "online_application": 20, "cv_tool": 16, "job_search": 15, "public_services": 14, "email_address": 9,
    "print_scan": 9, "itsme": 5, "training_search": 5, "office_software": 3, "computer_basics": 3, "other": 1,
}  # fmt: skip
TICKET_STATUSES = {"done": 88, "walked_away": 6, "not_served": 5, "cancelled": 1}
KINDS = {
    "workshop": 30, "info_session": 22, "conference": 5, "recruitment": 10, "fair": 1, "visit": 5,
    "job_discovery": 10, "club": 8, "digital_tutorial": 6, "themed_week": 1, "outreach": 2,
}  # fmt: skip
ADMISSIONS = {"registration": 50, "free": 35, "invitation": 15}
ACTIVITY_STATUSES = {"published": 96, "cancelled": 3, "draft": 1}
AUDIENCES = {
    "{}": 30, "{everyone}": 10, "{young}": 12, "{job_seekers}": 20, "{job_seekers,newcomers}": 8,
    "{workers}": 6, "{over_50}": 4, "{young,job_seekers}": 6, "{self_employed}": 4,
}  # fmt: skip
LANGUAGE_SETS = {"fr": 40, "fr,nl": 30, "nl": 15, "fr,en": 5, "fr,nl,en": 5, "fr,ar": 5}
DURATIONS = {90: 30, 120: 50, 180: 20}  # minutes of an activity
ADDRESSES = {"Rue Royale 2, 1000 Bruxelles": 1, "Boulevard Anspach 65, 1000 Bruxelles": 1}
PLACES = {"address": 85, "online": 15}
ANSWER_LANGUAGES = {"fr": 78, "nl": 12, "en": 10}
SERVICES = {"advice": 55, "multimedia": 20, "activity": 15, "reception": 10}
HEARD_OF = {
    "word_of_mouth": 30, "institution": 30, "school": 6, "internet": 14, "social_media": 8,
    "poster_press": 4, "event": 4, "other": 2, "": 2,
}  # fmt: skip
FREQUENCIES = {"rarely": 45, "monthly": 30, "weekly": 15, "": 10}
SATISFACTION = {4: 62, 3: 33, 2: 3.5, 1: 1.5, None: 2}
FOUND = {"yes": 66, "partly": 26, "no": 8, "": 2}
# The team: (role, institution codes, people each); advisers in the first circle.
TEAM = [
    ("reception_agent", [None], 40),
    ("digital_steward", [None], 20),
    ("coordinator", [None], 15),
    ("director", [None], 1),
    ("administrator", [None], 3),
    ("adviser", ["actiris", "bruxelles-formation"], 120),
    (
        "adviser",
        [
            "vdab-brussel", "promotion-sociale", "efp", "trace-brussel", "pole-academique",
            "fwb-enseignement", "cefa", "validation-competences", "worldskills-belgium",
        ],
        20,
    ),
    ("partner_lead", ["circle-1"], 1),
    ("activity_organiser", ["all"], 2),
]  # fmt: skip
# Tables loaded in bulk: their secondary indexes and foreign keys are rebuilt after the load.
TABLES = [
    "accueil_visit",
    "accueil_ticket",
    "conseil_consultation",
    "conseil_consultation_topics",
    "activites_activity",
    "activites_activity_languages",
    "activites_registration",
    "activites_walkin",
    "ressources_spaceentry",
    "ressources_occupancysweep",
    "ressources_digitalhelp",
    "conseil_questionnairecode",
    "conseil_questionnaireanswer",
]
COUNTED = [*TABLES, "citedesmetiers_user"]

# --- generating the years, in SQL ------------------------------------------------------------------


def _pick(column: str, weights: dict) -> sql.Composable:
    """A CASE choosing a value with the given weights from a uniform random number in `column`."""
    total = sum(weights.values())
    values = list(weights)
    whens, cumulative = [], 0.0
    for value in values[:-1]:
        cumulative += weights[value] / total
        whens.append(
            sql.SQL("WHEN {} < {} THEN {}").format(
                sql.Identifier(column), sql.Literal(round(cumulative, 6)), sql.Literal(value)
            )
        )
    return sql.SQL("(CASE {} ELSE {} END)").format(sql.SQL(" ").join(whens), sql.Literal(values[-1]))


def _randoms(count: int) -> sql.Composable:
    """random() AS r0, ..., random() AS r<count - 1>: computed once per row below an OFFSET 0."""
    return sql.SQL(", ").join(sql.SQL("random() AS {}").format(sql.Identifier(f"r{n}")) for n in range(count))


def _one_of(staff: str) -> sql.Composable:
    """One of the staff ids of the list parameter `staff`, at random."""
    return sql.SQL("({ids}::bigint[])[1 + floor(random() * cardinality({ids}::bigint[]))::int]").format(
        ids=sql.Placeholder(staff)
    )


STAFF = {role: _one_of(role) for role in ("agents", "advisers", "stewards", "organisers")}


def _slots(rows: int, hours: list[float], *, at_random: bool = False) -> sql.Composable:
    """The opening hours with the number of rows each gets out of `rows` a year (grown each year),
    in the month, weekday and hour rhythm; each slot's share rounded to the nearest, or `at_random`
    (up or down, keeping its expected count: a few rows a year still fall in some slots)."""
    return sql.SQL(
        "SELECT start, {rounded}({rows} * grow * w * ({hours}::float8[])[hour - 8]"
        " / sum(w * ({hours}::float8[])[hour - 8]) OVER (PARTITION BY year)))::int AS n FROM bench_slot"
    ).format(
        rounded=sql.SQL("floor(random() + " if at_random else "round("),
        rows=sql.Literal(rows),
        hours=sql.Literal(hours),
    )


def _statement(template: str, **parts: sql.Composable) -> sql.Composed:
    """A statement of the generation with its parts, and the staff picks it may use."""
    return sql.SQL(template).format(**STAFF, **parts)


SLOTS = """
CREATE TEMP TABLE bench_slot AS
SELECT extract(year FROM day)::int AS year, hour,
       (day + make_interval(hours => hour)) AT TIME ZONE %(tz)s AS start,
       (%(months)s::float8[])[extract(month FROM day)::int]
       * (%(weekdays)s::float8[])[extract(isodow FROM day)::int] AS w,
       1 + %(growth)s * (extract(year FROM day) - 2020) AS grow
FROM generate_series(%(first)s::timestamp, %(last)s::timestamp, interval '1 day') AS day,
     generate_series(9, 16) AS hour
WHERE extract(isodow FROM day) < 6 AND to_char(day, 'MM-DD') <> ALL (%(holidays)s)
"""

PROFILE = """{gender} AS gender_id, {age} AS age_band_id, {status} AS status_id,
{education} AS education_level_id, {residence} AS residence_id, {diploma} AS foreign_diploma"""


def _profile() -> sql.Composable:
    return sql.SQL(PROFILE).format(
        gender=_pick("r10", GENDERS),
        age=_pick("r11", AGE_BANDS),
        status=_pick("r12", STATUSES),
        education=_pick("r13", EDUCATION),
        residence=_pick("r14", RESIDENCES),
        diploma=_pick("r15", BOOLEANS),
    )


VISITS = """
INSERT INTO accueil_visit (key, occurred_at, recorded_at, cancelled_at, cancelled_by_id, orientation, count,
    channel_id, theme_id, language_id, gender_id, age_band_id, status_id, residence_id, recorded_by_id)
SELECT gen_random_uuid(), at, at + interval '20 seconds',
       CASE WHEN r0 < 0.003 THEN at + interval '2 minutes' END, CASE WHEN r0 < 0.003 THEN agent END,
       orientation,
       CASE WHEN orientation <> 'advice' AND channel = 'on_site' AND r1 < 0.025 THEN 2 + floor(r2 * 19)::int
            ELSE 1 END,
       channel,
       CASE WHEN orientation = 'information' AND r3 < 0.5 THEN NULL ELSE theme END,
       language, gender, age_band, NULL, NULL, agent
FROM (
    SELECT at, agent, channel, r0, r1, r2, r3, {theme} AS theme, {language} AS language,
           CASE WHEN channel = 'on_site' THEN {gender} END AS gender,
           CASE WHEN channel = 'on_site' THEN {age} END AS age_band,
           CASE WHEN channel = 'on_site' THEN {orientation} ELSE 'information' END AS orientation
    FROM (
        SELECT s.start + random() * interval '1 hour' AS at, 'on_site' AS channel,
               {agents} AS agent,
               {randoms}
        FROM ({on_site}) AS s, generate_series(1, s.n)
        UNION ALL
        SELECT s.start + random() * interval '1 hour', 'email',
               {agents},
               {randoms}
        FROM ({email}) AS s, generate_series(1, s.n)
        UNION ALL
        SELECT s.start + random() * interval '1 hour', 'phone',
               {agents},
               {randoms}
        FROM ({phone}) AS s, generate_series(1, s.n)
        OFFSET 0
    ) AS b
) AS v
"""

TICKETS = """
INSERT INTO accueil_ticket (service_date, number, status, issued_at, called_at, announced_at, served_at,
    ended_at, calls, desk, adviser_id, language_id, partner_id, theme_id, visit_id, letter, priority, token)
SELECT day, row_number() OVER (PARTITION BY day ORDER BY at, id), status, at,
       CASE WHEN status IN ('done', 'walked_away') THEN called END,
       CASE WHEN status = 'done' THEN called
            WHEN status = 'walked_away' THEN called + interval '3 minutes' END,
       CASE WHEN status = 'done' THEN called + interval '1 minute' END,
       CASE WHEN status = 'done' THEN called + interval '1 minute' + make_interval(mins => minutes) END,
       CASE WHEN status = 'done' THEN 1 WHEN status = 'walked_away' THEN 2 ELSE 0 END,
       '', CASE WHEN status IN ('done', 'walked_away') THEN adviser END, language_id, NULL, theme_id, id,
       (SELECT letter FROM citedesmetiers_theme WHERE code = theme_id), '',
       left(md5(random()::text || id), 22)
FROM (
    SELECT id, at, (at AT TIME ZONE %(tz)s)::date AS day, theme_id, language_id, adviser,
           {status} AS status,
           at + make_interval(secs => least(14400, -ln(1 - r1) * 1320)) AS called,
           least(120, 5 + floor(-ln(1 - r2) * 20))::int AS minutes
    FROM (
        SELECT id, occurred_at AS at, theme_id, language_id,
               {advisers} AS adviser,
               {randoms}
        FROM accueil_visit WHERE orientation = 'advice' AND cancelled_at IS NULL
        OFFSET 0
    ) AS v
) AS t
"""

CONSULTATION_COLUMNS = """key, occurred_at, recorded_at, cancelled_at, cancelled_by_id, mode,
    duration_minutes, referred_to_activity, referred_to_resource, follow_up, updated_at, language_id,
    partner_id, recorded_by_id, theme_id, ticket_id, gender_id, age_band_id, status_id, education_level_id,
    residence_id, foreign_diploma"""

QUEUE_CONSULTATIONS = """
INSERT INTO conseil_consultation ({columns})
SELECT gen_random_uuid(), c.served_at, c.ended_at,
       CASE WHEN r0 < 0.003 THEN c.ended_at + interval '5 minutes' END,
       CASE WHEN r0 < 0.003 THEN c.adviser_id END,
       'face_to_face', (extract(epoch FROM c.ended_at - c.served_at) / 60)::int,
       r1 < 0.2, r2 < 0.3, r3 < 0.15, c.ended_at, c.language_id, u.partner_id, c.adviser_id, c.theme_id, c.id,
       {profile}
FROM (SELECT t.*, {randoms} FROM accueil_ticket AS t WHERE t.status = 'done' OFFSET 0) AS c
JOIN citedesmetiers_user AS u ON u.id = c.adviser_id
"""

APPOINTMENT_CONSULTATIONS = """
INSERT INTO conseil_consultation ({columns})
SELECT gen_random_uuid(), at, at + make_interval(mins => minutes),
       CASE WHEN r0 < 0.003 THEN at + interval '1 hour' END, CASE WHEN r0 < 0.003 THEN adviser END,
       mode, minutes, r1 < 0.2, r2 < 0.3, r3 < 0.15, at + make_interval(mins => minutes), language,
       u.partner_id, adviser, theme, NULL, {profile}
FROM (
    SELECT *, {mode} AS mode, {theme} AS theme, {language} AS language,
           least(480, 5 + floor(-ln(1 - r4) * 22))::int AS minutes
    FROM (
        SELECT s.start + random() * interval '1 hour' AS at,
               {advisers} AS adviser,
               {randoms}
        FROM ({slots}) AS s, generate_series(1, s.n)
        OFFSET 0
    ) AS b
) AS c
JOIN citedesmetiers_user AS u ON u.id = c.adviser
"""

TOPICS = """
INSERT INTO conseil_consultation_topics (consultation_id, topic_id)
SELECT c.id, t.topics[1 + (c.first + j) %% t.k]
FROM (
    SELECT id, theme_id, random() AS r, floor(random() * 60)::int AS first FROM conseil_consultation OFFSET 0
) AS c
JOIN (
    SELECT theme_id, array_agg(code ORDER BY position, code) AS topics, count(*)::int AS k
    FROM conseil_topic WHERE active GROUP BY theme_id
) AS t ON t.theme_id = c.theme_id
CROSS JOIN LATERAL generate_series(0, CASE WHEN r < 0.05 THEN 0 WHEN r < 0.65 THEN 1 WHEN r < 0.92 THEN 2
                                           ELSE 3 END - 1) AS j
"""

ACTIVITIES_SQL = """
INSERT INTO activites_activity (kind, audiences, title_fr, title_nl, title_en, description_fr, description_nl,
    description_en, starts_at, ends_at, place_kind, address, online_url, capacity, admission, status, series,
    headcount, attendance_recorded_at, created_at, cancelled_at, created_by_id, partner_id, room_id, theme_id,
    sequence)
SELECT kind, audiences::varchar(20)[], 'Activité ' || kind, 'Activiteit ' || kind, '', '', '', '',
       starts_at, starts_at + make_interval(mins => duration), place_kind,
       CASE WHEN place_kind = 'address' THEN {address} ELSE '' END,
       CASE WHEN place_kind = 'online' THEN 'https://visio.example.org/bench' ELSE '' END,
       CASE WHEN admission = 'registration' THEN 12 + floor(r5 * 29)::int END,
       admission, status, NULL,
       CASE WHEN recorded AND admission <> 'registration' THEN
            CASE WHEN kind = 'outreach' THEN 50 + floor(r6 * 450)::int ELSE 5 + floor(r6 * 36)::int END END,
       CASE WHEN recorded THEN starts_at + make_interval(mins => duration + 30) END,
       starts_at - interval '30 days',
       CASE WHEN status = 'cancelled' THEN starts_at - interval '10 days' END,
       organiser, u.partner_id, NULL, theme,
       CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END  -- the calendar's SEQUENCE, one up when cancelled
FROM (
    SELECT *, status = 'published' AND r7 < 0.995 AS recorded
    FROM (
        SELECT *, {kind} AS kind, {audiences} AS audiences, {duration} AS duration, {place} AS place_kind,
               CASE WHEN {kind} = 'outreach' THEN 'free' ELSE {admission} END AS admission,
               {status} AS status, {theme} AS theme
        FROM (
            SELECT s.start + floor(random() * 4) * interval '15 minutes' AS starts_at,
                   {organisers}
                       AS organiser,
                   {randoms}
            FROM ({slots}) AS s, generate_series(1, s.n)
            OFFSET 0
        ) AS b
    ) AS c
) AS a
JOIN citedesmetiers_user AS u ON u.id = a.organiser
"""

ACTIVITY_LANGUAGES = """
INSERT INTO activites_activity_languages (activity_id, language_id)
SELECT id, unnest(string_to_array({sets}, ','))
FROM (SELECT id, random() AS r0 FROM activites_activity OFFSET 0) AS a
"""

REGISTRATIONS = """
INSERT INTO activites_registration (first_name, email, language, token, status, created_at, confirmed_at,
    waiting_since, cancelled_at, reminded_at, attended, erased_at, activity_id)
SELECT '', '', {language}, replace(gen_random_uuid()::text, '-', ''), status,
       created, created + interval '4 minutes', NULL,
       CASE WHEN status = 'cancelled' THEN created + interval '2 days' END,
       CASE WHEN status = 'confirmed' THEN starts_at - interval '1 day' END,
       CASE WHEN status = 'confirmed' AND recorded THEN r1 < 0.78 END,
       ends_at + interval '7 days', id
FROM (
    SELECT a.id, a.starts_at, a.ends_at, a.recorded, a.starts_at - random() * interval '30 days' AS created,
           CASE WHEN g <= a.seated AND a.status = 'published' THEN 'confirmed' ELSE 'cancelled' END AS status,
           {randoms}
    FROM (
        SELECT id, starts_at, ends_at, status, attendance_recorded_at IS NOT NULL AS recorded,
               CASE WHEN random() < 0.2 THEN capacity ELSE floor(capacity * (0.3 + 0.7 * random()))::int END
                   AS seated
        FROM activites_activity WHERE admission = 'registration' AND status <> 'draft'
        OFFSET 0
    ) AS a, generate_series(1, a.seated + a.seated / 8) AS g
    OFFSET 0
) AS r
"""

WALK_INS = """
INSERT INTO activites_walkin (key, occurred_at, recorded_at, count, activity_id, recorded_by_id)
SELECT gen_random_uuid(), at, at, CASE WHEN r0 < 0.9 THEN 1 ELSE 2 + floor(r1 * 4)::int END, id, created_by_id
FROM (
    SELECT a.id, a.created_by_id, a.starts_at + g * interval '2 minutes' AS at, {randoms}
    FROM (
        SELECT id, created_by_id, starts_at,
               floor(random() * CASE WHEN admission = 'registration' THEN 5 ELSE 3 END)::int AS k
        FROM activites_activity
        WHERE status = 'published' AND admission IN ('registration', 'free')
              AND attendance_recorded_at IS NOT NULL
        OFFSET 0
    ) AS a, generate_series(1, a.k) AS g
    OFFSET 0
) AS w
"""

SPACE_ENTRIES_SQL = """
INSERT INTO ressources_spaceentry (key, occurred_at, recorded_at, cancelled_at, cancelled_by_id, count,
    recorded_by_id)
SELECT gen_random_uuid(), at, at + interval '5 seconds',
       CASE WHEN r0 < 0.003 THEN at + interval '1 minute' END, CASE WHEN r0 < 0.003 THEN steward END,
       CASE WHEN r1 < 0.05 THEN 2 + floor(r2 * 9)::int ELSE 1 END, steward
FROM (
    SELECT s.start + random() * interval '1 hour' AS at,
           {stewards} AS steward,
           {randoms}
    FROM ({slots}) AS s, generate_series(1, s.n)
    OFFSET 0
) AS e
"""

SWEEPS = """
INSERT INTO ressources_occupancysweep (key, occurred_at, recorded_at, computers, tablets, documentary,
    recorded_by_id)
SELECT gen_random_uuid(), at, at + interval '1 minute', floor(r0 * 26)::int, floor(r1 * 9)::int,
       floor(r2 * 16)::int, steward
FROM (
    SELECT start + make_interval(mins => 15 + 30 * half) AS at,
           {stewards} AS steward,
           {randoms}
    FROM bench_slot, generate_series(0, 1) AS half
    OFFSET 0
) AS s
"""

HELP = """
INSERT INTO ressources_digitalhelp (key, occurred_at, recorded_at, duration_minutes, recorded_by_id, theme_id,
    topic_id)
SELECT gen_random_uuid(), at, at + interval '10 minutes', least(240, 3 + floor(-ln(1 - r0) * 12))::int,
       steward,
       CASE WHEN r1 < 0.3 THEN NULL ELSE {theme} END, {topic}
FROM (
    SELECT s.start + random() * interval '1 hour' AS at,
           {stewards} AS steward,
           {randoms}
    FROM ({slots}) AS s, generate_series(1, s.n)
    OFFSET 0
) AS h
"""

CODES = """
INSERT INTO conseil_questionnairecode (code, service, created_at, created_by_id, partner_id, theme_id)
SELECT 'B' || lpad((row_number() OVER ())::text, 11, '0'), {service}, at,
       CASE WHEN r1 < 0.7 THEN agent END, NULL, NULL
FROM (
    SELECT s.start + random() * interval '1 hour' AS at,
           {agents} AS agent,
           {randoms}
    FROM ({slots}) AS s, generate_series(1, s.n)
    OFFSET 0
) AS c
"""

ANSWERS = """
INSERT INTO conseil_questionnaireanswer (code_id, answered_at, language, service, heard_of, first_visit,
    frequency, satisfaction, would_recommend, found, gender_id, age_band_id, status_id, education_level_id,
    residence_id, foreign_diploma)
SELECT id, created_at + interval '3 minutes', {language}, service, {heard_of}, {first_visit}, {frequency},
       {satisfaction}, {recommend}, {found}, {profile}
FROM (SELECT id, created_at, service, {randoms} FROM conseil_questionnairecode OFFSET 0) AS c
WHERE r0 < 0.75
"""

ONLINE = """
INSERT INTO stats_onlinefigures (year, facebook_followers, twitter_followers, web_page_views, updated_at,
    updated_by_id)
SELECT year, 40000 + 6000 * (year - 2018), 9000 + 500 * (year - 2018), 2500000 + 150000 * (year - 2018),
       make_date(year + 1, 1, 15)::timestamptz, %(director)s
FROM generate_series(2018, %(last)s) AS year
"""


def _team(connection: psycopg.Connection, scale: float = 1.0) -> dict[str, list[int]]:
    """The staff accounts with their roles (groups), `scale` times as many (at least one of each);
    returns the ids of each role."""
    partners = dict(connection.execute("SELECT code, id FROM citedesmetiers_partner").fetchall())
    first_circle = [
        code for (code,) in connection.execute("SELECT code FROM citedesmetiers_partner WHERE circle = 1")
    ]
    groups = dict(connection.execute("SELECT name, id FROM auth_group").fetchall())
    ids: dict[str, list[int]] = {}
    for role, institutions, people in TEAM:
        codes = {"circle-1": first_circle, "all": sorted(partners)}.get(institutions[0], institutions)
        for code in codes:
            for number in range(1, max(1, round(people * scale)) + 1):
                username = f"bench.{role}.{code or 'centre'}.{number}"
                (user_id,) = connection.execute(
                    "INSERT INTO citedesmetiers_user (password, is_superuser, username, first_name,"
                    " last_name, email, is_staff, is_active, date_joined, is_demo, partner_id, totp_secret)"
                    " VALUES ('!bench', false, %s, '', '', '', true, true, '2015-06-01T08:00:00Z', false, %s,"
                    " '') RETURNING id",
                    [username, partners.get(code)],
                ).fetchone()
                connection.execute(
                    "INSERT INTO citedesmetiers_user_groups (user_id, group_id) VALUES (%s, %s)",
                    [user_id, groups[role]],
                )
                ids.setdefault(role, []).append(user_id)
    return ids


@dataclass
class Rebuild:
    """How the loaded tables lose their secondary indexes, unique constraints and foreign keys before the
    load, and get them back after it from their own definitions: indexes built two at a time, unique
    constraints attached to theirs, foreign keys added, then each table's checked against the whole data."""

    drop: list[sql.Composable] = field(default_factory=list)
    indexes: list[tuple[str, sql.Composable]] = field(default_factory=list)
    attach: list[sql.Composable] = field(default_factory=list)
    keys: list[sql.Composable] = field(default_factory=list)
    validate: dict[str, list[sql.Composable]] = field(default_factory=dict)


def _rebuild(connection: psycopg.Connection) -> Rebuild:
    rebuild = Rebuild()
    names = {"tables": TABLES}
    constraints = connection.execute(
        "SELECT c.conrelid::regclass::text, c.conname, c.contype, pg_get_constraintdef(c.oid),"
        " pg_get_indexdef(c.conindid) FROM pg_constraint AS c"
        " WHERE c.conrelid::regclass::text = ANY(%(tables)s) AND c.contype IN ('u', 'f')",
        names,
    ).fetchall()
    indexes = connection.execute(
        "SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)"
        " FROM pg_index AS i"
        " WHERE i.indrelid::regclass::text = ANY(%(tables)s) AND NOT i.indisprimary"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conindid = i.indexrelid)",
        names,
    ).fetchall()
    for table, name, kind, definition, index in constraints:
        table_name, constraint_name = sql.Identifier(table), sql.Identifier(name)
        rebuild.drop.append(sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(table_name, constraint_name))
        if kind == "u":
            rebuild.indexes.append((table, sql.SQL(index)))
            rebuild.attach.append(
                sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} UNIQUE USING INDEX {}").format(
                    table_name, constraint_name, constraint_name
                )
            )
        else:
            rebuild.keys.append(
                sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {} NOT VALID").format(
                    table_name, constraint_name, sql.SQL(definition)
                )
            )
            rebuild.validate.setdefault(table, []).append(
                sql.SQL("ALTER TABLE {} VALIDATE CONSTRAINT {}").format(table_name, constraint_name)
            )
    for table, name, definition in indexes:
        rebuild.drop.append(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
        rebuild.indexes.append((table, sql.SQL(definition)))
    return rebuild


def _two_at_a_time(url: str, tasks: list[list[sql.Composable]]) -> None:
    """Runs the tasks (each a list of statements, in order) on two connections at once."""
    pending = list(reversed(tasks))
    lock = threading.Lock()

    def work() -> None:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("SET maintenance_work_mem = '512MB'")
            while True:
                with lock:
                    if not pending:
                        return
                    task = pending.pop()
                for statement in task:
                    connection.execute(statement)

    with ThreadPoolExecutor(max_workers=2) as pool:
        for future in [pool.submit(work) for _ in range(2)]:
            future.result()


def generate(url: str, *, scale: float = 1.0, years: range = YEARS) -> dict:
    """Fills the database at `url` with the ten years (or `years`), `scale` times the rows of each (the
    test suite runs it at a tiny scale); returns the years, the time of each step and the rows."""

    def slots(rows: int, hours: list[float]) -> sql.Composable:
        # Below scale 1, most slots' shares are under one row: rounding them to the nearest would leave
        # the smaller tables empty.
        return _slots(round(rows * scale), hours, at_random=scale < 1)

    steps: list[tuple[str, float]] = []
    started = time.perf_counter()

    def step(label: str, statement, params: dict | None = None) -> None:
        begin = time.perf_counter()
        connection.execute(statement, params or {})
        steps.append((label, time.perf_counter() - begin))

    with psycopg.connect(url) as connection:
        connection.execute("SET synchronous_commit = off")
        connection.execute("SET maintenance_work_mem = '1GB'")
        connection.execute("SET work_mem = '256MB'")
        connection.execute("SELECT setseed(0.2024)")
        team = _team(connection, scale)
        connection.commit()  # the staff's deferred foreign keys checked before the tables are altered
        # No trigger: the daily summaries have nothing to forget yet (they are written afterwards, as
        # the scheduler would have, by summarise()), and the foreign keys are checked when rebuilt.
        connection.execute("SET session_replication_role = replica")
        rebuild = _rebuild(connection)
        for statement in rebuild.drop:
            connection.execute(statement)
        params = {
            "tz": TZ,
            "agents": team["reception_agent"],
            "advisers": team["adviser"],
            "stewards": team["digital_steward"],
            "organisers": team["activity_organiser"],
        }
        step(
            "opening hours",
            SLOTS,
            {
                "tz": TZ,
                "months": MONTH,
                "weekdays": WEEKDAY,
                "growth": GROWTH,
                "first": date(years[0], 1, 1),
                "last": date(years[-1], 12, 31),
                "holidays": HOLIDAYS,
            },
        )
        step(
            "accueil_visit",
            _statement(
                VISITS,
                theme=_pick("r4", VISIT_THEMES),
                language=_pick("r5", LANGUAGES),
                gender=_pick("r6", GENDERS),
                age=_pick("r7", AGE_BANDS),
                orientation=_pick("r8", ORIENTATIONS),
                randoms=_randoms(9),
                on_site=slots(ON_SITE, VISIT_HOURS),
                email=slots(REMOTE["email"], FLAT_HOURS),
                phone=slots(REMOTE["phone"], FLAT_HOURS),
            ),
            params,
        )
        step(
            "accueil_ticket",
            _statement(TICKETS, status=_pick("r0", TICKET_STATUSES), randoms=_randoms(3)),
            params,
        )
        step(
            "conseil_consultation (queue)",
            _statement(
                QUEUE_CONSULTATIONS,
                columns=sql.SQL(CONSULTATION_COLUMNS),
                profile=_profile(),
                randoms=_randoms(16),
            ),
        )
        step(
            "conseil_consultation (appointments)",
            _statement(
                APPOINTMENT_CONSULTATIONS,
                columns=sql.SQL(CONSULTATION_COLUMNS),
                profile=_profile(),
                mode=_pick("r5", MODES),
                theme=_pick("r6", ADVICE_THEMES),
                language=_pick("r7", LANGUAGES),
                randoms=_randoms(16),
                slots=slots(APPOINTMENTS, VISIT_HOURS),
            ),
            params,
        )
        step("conseil_consultation_topics", TOPICS)
        step(
            "activites_activity",
            _statement(
                ACTIVITIES_SQL,
                kind=_pick("r0", KINDS),
                audiences=_pick("r1", AUDIENCES),
                duration=_pick("r2", DURATIONS),
                place=_pick("r3", PLACES),
                admission=_pick("r4", ADMISSIONS),
                status=_pick("r8", ACTIVITY_STATUSES),
                theme=_pick("r9", VISIT_THEMES),
                address=_pick("r10", ADDRESSES),
                randoms=_randoms(11),
                slots=slots(ACTIVITIES, FLAT_HOURS),
            ),
            params,
        )
        step(
            "activites_activity_languages",
            _statement(ACTIVITY_LANGUAGES, sets=_pick("r0", LANGUAGE_SETS)),
        )
        step(
            "activites_registration",
            _statement(REGISTRATIONS, language=_pick("r0", ANSWER_LANGUAGES), randoms=_randoms(3)),
        )
        step("activites_walkin", _statement(WALK_INS, randoms=_randoms(2)))
        step(
            "ressources_spaceentry",
            _statement(SPACE_ENTRIES_SQL, randoms=_randoms(3), slots=slots(SPACE_ENTRIES, SPACE_HOURS)),
            params,
        )
        step("ressources_occupancysweep", _statement(SWEEPS, randoms=_randoms(3)), params)
        step(
            "ressources_digitalhelp",
            _statement(
                HELP,
                theme=_pick("r2", VISIT_THEMES),
                topic=_pick("r3", HELP_TOPICS),
                randoms=_randoms(4),
                slots=slots(DIGITAL_HELP, SPACE_HOURS),
            ),
            params,
        )
        step(
            "conseil_questionnairecode",
            _statement(
                CODES,
                service=_pick("r0", SERVICES),
                randoms=_randoms(2),
                slots=slots(QUESTIONNAIRES, VISIT_HOURS),
            ),
            params,
        )
        step(
            "conseil_questionnaireanswer",
            _statement(
                ANSWERS,
                language=_pick("r1", ANSWER_LANGUAGES),
                heard_of=_pick("r2", HEARD_OF),
                first_visit=_pick("r3", BOOLEANS),
                frequency=_pick("r4", FREQUENCIES),
                satisfaction=_pick("r5", SATISFACTION),
                recommend=_pick("r6", {True: 85, False: 10, None: 5}),
                found=_pick("r7", FOUND),
                profile=_profile(),
                randoms=_randoms(16),
            ),
        )
        step("stats_onlinefigures", ONLINE, {"director": team["director"][0], "last": years[-1]})
        connection.commit()
        begin = time.perf_counter()
        # The biggest tables' indexes first, so that the two connections end together.
        sizes = dict(
            connection.execute(
                "SELECT relname::text, pg_relation_size(oid) FROM pg_class WHERE relname = ANY(%s)", [TABLES]
            ).fetchall()
        )
        ordered = sorted(rebuild.indexes, key=lambda index: -sizes[index[0]])
        _two_at_a_time(url, [[statement] for _table, statement in ordered])
        for statement in rebuild.attach:
            connection.execute(statement)
        connection.commit()
        steps.append((f"{len(rebuild.indexes)} indexes rebuilt", time.perf_counter() - begin))
        begin = time.perf_counter()
        for statement in rebuild.keys:
            connection.execute(statement)
        connection.commit()
        _two_at_a_time(url, list(rebuild.validate.values()))
        steps.append((f"{len(rebuild.keys)} foreign keys rebuilt and checked", time.perf_counter() - begin))
        # The tables as autovacuum would leave them: visibility map set, statistics up to date.
        connection.autocommit = True
        begin = time.perf_counter()
        connection.execute("VACUUM (ANALYZE)")
        steps.append(("VACUUM (ANALYZE)", time.perf_counter() - begin))
        rows = {
            table: connection.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()[0]
            for table in COUNTED
        }
        size = connection.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]
    return {
        "years": [years[0], years[-1]],
        "seconds": time.perf_counter() - started,
        "steps": steps,
        "rows": rows,
        "size": size,
    }


# --- measuring, in Django --------------------------------------------------------------------------

# The raw SQL aggregates: one statement per family of indicators, for one period.
RAW = {
    "contacts": """
SELECT GROUPING(orientation, theme_id, month, weekday, hour), channel_id, orientation, sum(people)
FROM (
    SELECT channel_id, orientation, theme_id, date_trunc('month', local) AS month,
           extract(isodow FROM local) AS weekday, extract(hour FROM local) AS hour, sum(count) AS people
    FROM (
        SELECT channel_id, orientation, theme_id, count, occurred_at AT TIME ZONE 'Europe/Brussels' AS local
        FROM accueil_visit
        WHERE occurred_at >= %(since)s AND occurred_at < %(until)s AND cancelled_at IS NULL
    ) AS v
    GROUP BY 1, 2, 3, 4, 5, 6
) AS fine
GROUP BY GROUPING SETS ((channel_id), (channel_id, orientation), (channel_id, theme_id), (channel_id, month),
                        (channel_id, weekday), (channel_id, hour))
""",
    "advice": """
SELECT GROUPING(theme_id, partner_id, language_id, mode, gender_id, age_band_id, month), count(*),
       sum(duration_minutes)
FROM (
    SELECT theme_id, partner_id, language_id, mode, gender_id, age_band_id, duration_minutes,
           date_trunc('month', occurred_at AT TIME ZONE 'Europe/Brussels') AS month
    FROM conseil_consultation
    WHERE occurred_at >= %(since)s AND occurred_at < %(until)s AND cancelled_at IS NULL
) AS c
GROUP BY GROUPING SETS ((), (theme_id), (partner_id), (language_id), (mode), (gender_id), (age_band_id),
                        (month))
""",
    "advice topics": """
SELECT t.topic_id, count(*)
FROM conseil_consultation AS c LEFT JOIN conseil_consultation_topics AS t ON t.consultation_id = c.id
WHERE c.occurred_at >= %(since)s AND c.occurred_at < %(until)s AND c.cancelled_at IS NULL
GROUP BY t.topic_id
""",
    "queue": """
SELECT count(*), count(*) FILTER (WHERE status = 'done'), count(*) FILTER (WHERE status = 'walked_away'),
       count(*) FILTER (WHERE status = 'not_served'), avg(called_at - issued_at),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY called_at - issued_at), avg(ended_at - served_at),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY ended_at - served_at)
FROM accueil_ticket
WHERE service_date BETWEEN %(start)s AND %(end)s AND status <> 'cancelled'
""",
    "activities": """
WITH held AS (
    SELECT id, kind, theme_id, partner_id, audiences, capacity, headcount,
           attendance_recorded_at IS NOT NULL AS recorded
    FROM activites_activity
    WHERE status = 'published' AND starts_at >= %(since)s AND starts_at < %(until)s
), figures AS (
    SELECT held.*, coalesce(r.registered, 0) AS registered, coalesce(r.checked_in, 0) AS checked_in,
           CASE WHEN recorded
                THEN coalesce(r.checked_in, 0) + coalesce(w.walk_ins, 0) + coalesce(headcount, 0)
           END AS participants
    FROM held
    LEFT JOIN (
        SELECT activity_id, count(*) AS registered, count(*) FILTER (WHERE attended) AS checked_in
        FROM activites_registration
        WHERE status = 'confirmed' AND activity_id IN (SELECT id FROM held)
        GROUP BY activity_id
    ) AS r ON r.activity_id = held.id
    LEFT JOIN (
        SELECT activity_id, sum(count) AS walk_ins
        FROM activites_walkin
        WHERE cancelled_at IS NULL AND activity_id IN (SELECT id FROM held)
        GROUP BY activity_id
    ) AS w ON w.activity_id = held.id
)
SELECT CASE WHEN kind = 'outreach' THEN 'outreach' ELSE 'held' END, NULL, count(*), sum(participants),
       count(participants), sum(registered) FILTER (WHERE capacity > 0), sum(capacity),
       sum(checked_in) FILTER (WHERE recorded), sum(registered) FILTER (WHERE recorded)
FROM figures GROUP BY 1
UNION ALL
SELECT 'theme', theme_id, count(*), sum(participants), NULL, NULL, NULL, NULL, NULL
FROM figures WHERE kind <> 'outreach' GROUP BY theme_id
UNION ALL
SELECT 'kind', kind, count(*), sum(participants), NULL, NULL, NULL, NULL, NULL
FROM figures WHERE kind <> 'outreach' GROUP BY kind
UNION ALL
SELECT 'partner', partner_id::text, count(*), sum(participants), NULL, NULL, NULL, NULL, NULL
FROM figures WHERE kind <> 'outreach' GROUP BY partner_id
UNION ALL
SELECT 'language', l.language_id, count(*), sum(participants), NULL, NULL, NULL, NULL, NULL
FROM figures JOIN activites_activity_languages AS l ON l.activity_id = figures.id
WHERE kind <> 'outreach' GROUP BY l.language_id
UNION ALL
SELECT 'audience', audience, count(*), NULL, NULL, NULL, NULL, NULL, NULL
FROM figures, unnest(CASE WHEN cardinality(audiences) = 0 THEN '{everyone}' ELSE audiences END) AS audience
WHERE kind <> 'outreach' GROUP BY audience
""",
    "multimedia entries": """
SELECT coalesce(sum(count), 0) FROM ressources_spaceentry
WHERE occurred_at >= %(since)s AND occurred_at < %(until)s AND cancelled_at IS NULL
""",
    "multimedia occupancy": """
SELECT hour, round(avg(people), 1)
FROM (
    SELECT extract(hour FROM occurred_at AT TIME ZONE 'Europe/Brussels') AS hour,
           avg(computers) + avg(tablets) + avg(documentary) AS people
    FROM ressources_occupancysweep
    WHERE occurred_at >= %(since)s AND occurred_at < %(until)s AND cancelled_at IS NULL
    GROUP BY extract(isodow FROM occurred_at AT TIME ZONE 'Europe/Brussels'), 1
) AS slots
GROUP BY hour
""",
    "digital help": """
SELECT topic_id, count(*), sum(duration_minutes) FROM ressources_digitalhelp
WHERE occurred_at >= %(since)s AND occurred_at < %(until)s AND cancelled_at IS NULL
GROUP BY topic_id
""",
    "questionnaires": """
SELECT GROUPING(gender_id, age_band_id, status_id, education_level_id, foreign_diploma, residence_id,
                heard_of, first_visit, frequency, satisfaction, would_recommend, found), count(*)
FROM conseil_questionnaireanswer
WHERE answered_at >= %(since)s AND answered_at < %(until)s
GROUP BY GROUPING SETS ((), (gender_id), (age_band_id), (status_id), (education_level_id), (foreign_diploma),
                        (residence_id), (heard_of), (first_visit), (frequency), (satisfaction),
                        (would_recommend), (found))
""",
    "team": """
SELECT g.name, count(DISTINCT u.id)
FROM citedesmetiers_user AS u
JOIN citedesmetiers_user_groups AS ug ON ug.user_id = u.id JOIN auth_group AS g ON g.id = ug.group_id
WHERE u.is_active AND u.date_joined < %(until)s
GROUP BY g.name
""",
    "online": """
SELECT facebook_followers, twitter_followers, web_page_views FROM stats_onlinefigures WHERE year = %(year)s
""",
}
APPS = {"accueil", "activites", "citedesmetiers", "conseil", "ressources", "stats"}
HEADLINES = [
    ("contacts", "total", "people in contact"),
    ("advice", "sessions", "advice sessions"),
    ("activities", "count", "activities held"),
    ("activities", "participants", "activity participants"),
    ("multimedia", "entries", "multimedia entries"),
]
RUNS = 3
EXPLAINED = 3


class Recorder:
    """An execute wrapper keeping each statement's time in the database and the selector that ran it."""

    def __init__(self):
        self.statements: list[tuple[float, str, str, object]] = []

    def __call__(self, execute, sql_text, params, many, context):
        frame, caller = sys._getframe(1), "?"
        while frame is not None:
            module = frame.f_globals.get("__name__", "")
            if module.split(".")[0] in APPS:
                caller = f"{module}.{frame.f_code.co_name}"
                break
            frame = frame.f_back
        start = time.perf_counter()
        try:
            return execute(sql_text, params, many, context)
        finally:
            self.statements.append((time.perf_counter() - start, caller, sql_text, params))


def _best(function, runs: int = RUNS, before=None) -> tuple[float, list, object]:
    """Runs `function` once to warm up, then `runs` times (each after `before`, untimed); the fastest
    run: seconds, statements, result."""
    from django.db import connection

    function()
    best = None
    for _ in range(runs):
        if before:
            before()
        recorder = Recorder()
        with connection.execute_wrapper(recorder):
            start = time.perf_counter()
            result = function()
            seconds = time.perf_counter() - start
        if best is None or seconds < best[0]:
            best = (seconds, recorder.statements, result)
    return best


def _raw(periods_: list) -> dict:
    """The raw aggregates of each period: their headline figures, and each family's time."""
    from django.db import connection

    headlines, families = [], dict.fromkeys(RAW, 0.0)
    with connection.cursor() as cursor:
        for period in periods_:
            params = {
                "since": period.since,
                "until": period.until,
                "start": period.start,
                "end": period.end,
                "year": period.start.year,
            }
            rows = {}
            for family, statement in RAW.items():
                start = time.perf_counter()
                cursor.execute(statement, params)
                rows[family] = cursor.fetchall()
                families[family] += time.perf_counter() - start
            # (channel) alone: GROUPING() of the other five is 0b11111; (channel, orientation): 0b01111.
            visits = {(row[1], row[2]): row[3] for row in rows["contacts"] if row[0] in (0b11111, 0b01111)}
            advice = next(row for row in rows["advice"] if row[0] == 0b1111111)
            held = next((row for row in rows["activities"] if row[0] == "held"), None)
            participants = (held[3] or 0) if held else 0
            oriented = visits.get(("on_site", "activity"), 0)
            headlines.append(
                {
                    "contacts.total": int(visits.get(("on_site", None), 0) + max(0, participants - oriented)),
                    "advice.sessions": int(advice[1]),
                    "activities.count": int(held[2]) if held else 0,
                    "activities.participants": int(participants),
                    "multimedia.entries": int(rows["multimedia entries"][0][0]),
                }
            )
    return {"headlines": headlines, "families": families}


def _short(sql_text: str, length: int = 150) -> str:
    """A statement as one line, without its quotes and table prefixes."""
    text = " ".join(sql_text.replace('"', "").split())
    for table in ("accueil_visit.", "conseil_consultation.", "activites_activity.", "accueil_ticket."):
        text = text.replace(table, "")
    return text if len(text) <= length else text[: length - 1] + "…"


def _plan(sql_text: str, params) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of a statement: its nodes (with their times and rows) and execution time."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql_text, params)
        lines = [row[0] for row in cursor.fetchall()]
    nodes = [line.rstrip() for line in lines if "->" in line or line is lines[0]]
    return [*nodes[:14], *(line for line in lines if line.startswith("Execution Time"))]


def _once(function) -> tuple[float, list]:
    """One run of `function` (its data warm): seconds and statements."""
    from django.db import connection

    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        start = time.perf_counter()
        function()
        return time.perf_counter() - start, recorder.statements


def _totals(seconds: float, statements: list) -> dict:
    return {
        "ms": seconds * 1000,
        "statements": len(statements),
        "sql_ms": sum(duration for duration, *_ in statements) * 1000,
    }


def measure(year: int = YEAR, runs: int = RUNS) -> None:
    """Runs in Django (`manage.py shell`): the report of `year` and the raw aggregates, best of `runs`
    each after a warm-up; each section of the report once; the plans of the slowest statements. Prints
    the figures as JSON (its last line)."""
    from citedesmetiers import summaries
    from stats import periods, selectors
    from stats import report as annual

    def forget() -> None:  # the queue's and the activities' kept figures: the report counts every row
        for kept in summaries.registered("kept_figures"):
            kept.forget()

    period = periods.year(year)
    both = [period, period.previous()]
    report_seconds, statements, computed = _best(lambda: annual.figures(period), runs, before=forget)
    kept_seconds, kept_statements, _kept = _best(lambda: annual.figures(period), runs)
    raw_seconds, raw_statements, raw = _best(lambda: _raw(both), runs)
    scope = selectors.Scope()
    computed_of = {period: computed["current"], period.previous(): computed["previous"]}
    sections = {
        "advice": lambda both: selectors.advice(both, scope=scope),
        "activities": lambda both: selectors.activities(both, scope=scope),
        "multimedia": selectors.multimedia,
        "contacts": lambda both: selectors.contacts(
            both,
            activities=[computed_of[p]["activities"] for p in both],
            advice=[computed_of[p]["advice"] for p in both],
            multimedia=[computed_of[p]["multimedia"] for p in both],
        ),
        "questionnaires": selectors.questionnaires,
        "online": lambda both: selectors.online(both, emails_answered=[0] * len(both)),
        "team": selectors.team,
    }
    by_section = {
        name: _totals(*_once(lambda section=section: section(both))) for name, section in sections.items()
    }
    slowest = sorted(statements, key=lambda statement: -statement[0])
    explained, plans = set(), []
    for _duration, caller, sql_text, params in slowest:
        if len(plans) < EXPLAINED and sql_text not in explained:
            explained.add(sql_text)
            plans.append({"caller": caller, "sql": _short(sql_text, 100), "plan": _plan(sql_text, params)})
    headlines = [
        {
            "label": label,
            "report": [computed[which][section][name] for which in ("current", "previous")],
            "raw": [raw["headlines"][index][f"{section}.{name}"] for index in range(2)],
        }
        for section, name, label in HEADLINES
    ]
    figures = {
        "years": [period.start.year, period.previous().start.year],
        "runs": runs,
        "report": _totals(report_seconds, statements),
        "kept": _totals(kept_seconds, kept_statements),
        "raw": _totals(raw_seconds, raw_statements),
        "sections": by_section,
        "families": {family: seconds * 1000 for family, seconds in raw["families"].items()},
        "slowest": [
            {"ms": duration * 1000, "caller": caller, "sql": _short(sql_text)}
            for duration, caller, sql_text, _params in slowest[:5]
        ],
        "plans": plans,
        "headlines": headlines,
    }
    print(json.dumps(figures, default=str))


# --- the benchmark ------------------------------------------------------------------------------------

# Each line of the comparison by section: the report's sections (stats.selectors) and the raw families
# that compute the same figures (the e-mails of `online` are a channel of the raw `contacts`).
SECTIONS = [
    ("advice, gender, queue", ["advice"], ["advice", "advice topics", "queue"]),
    ("activities", ["activities"], ["activities"]),
    ("contacts and online", ["contacts", "online"], ["contacts", "online"]),
    ("multimedia", ["multimedia"], ["multimedia entries", "multimedia occupancy", "digital help"]),
    ("questionnaires", ["questionnaires"], ["questionnaires"]),
    ("team", ["team"], ["team"]),
]


def _ratio(numerator: float, denominator: float) -> str:
    return f"{numerator / denominator:.2f}" if denominator else "—"


def _print_generation(generated: dict) -> None:
    rows = generated["rows"]
    first, last = generated["years"]
    print(f"\nAnnual report: {last - first + 1} synthetic years ({first}–{last}) in a database of its own")
    print(f"  {'generation step':<52} {'seconds':>8} {'rows':>12}")
    steps = generated["steps"]
    for number, (label, seconds) in enumerate(steps):
        table = label.split(" ")[0]
        last = all(later.split(" ")[0] != table for later, _seconds in steps[number + 1 :])
        count = f"{rows[table]:,}" if table in rows and last else ""
        print(f"  {label:<52} {seconds:>8.1f} {count:>12}")
    staff = rows["citedesmetiers_user"]
    print(f"  {'citedesmetiers_user (staff accounts with their roles)':<52} {'':>8} {staff:>12,}")
    print(f"  {'in all (database ' + generated['size'] + ')':<52} {generated['seconds']:>8.1f}")


def _print_measures(figures: dict) -> None:
    year, before = figures["years"]
    report, raw = figures["report"], figures["raw"]
    print(
        f"\nAnnual report {year} (every indicator, and {before} for the comparison): in-process, production "
        f"settings, best of {figures['runs']} after a warm-up"
    )
    print(f"  {'measure':<56} {'ms':>9} {'SQL ms':>9} {'statements':>10}")
    for label, measured in [
        (f"full annual report: stats.report.figures({year})", report),
        ("raw SQL aggregates of the same indicators, by hand", raw),
    ]:
        print(
            f"  {label:<56} {measured['ms']:>9,.0f} {measured['sql_ms']:>9,.0f} {measured['statements']:>10}"
        )
    print(f"  {'report / raw SQL':<56} {_ratio(report['ms'], raw['ms']):>9}")
    if "kept" in figures:  # the same report read again: its kept figures of closed days read, not counted
        kept = figures["kept"]
        print(
            f"  {'the report again, its kept figures read (not counted)':<56} {kept['ms']:>9,.0f} "
            f"{kept['sql_ms']:>9,.0f} {kept['statements']:>10}"
        )
        print(f"  {'report again / raw SQL':<56} {_ratio(kept['ms'], raw['ms']):>9}")
    print(
        f"  {'report outside SQL (rows to objects, Python), ms':<56} {report['ms'] - report['sql_ms']:>9,.0f}"
    )
    print(
        f"\n  {'by section, both years':<26} {'report ms':>10} {'in SQL':>8} {'stmts':>6} {'raw SQL ms':>11}"
        f" {'stmts':>6} {'ratio':>6}   (report: one run of each section)"
    )
    for label, sections, families in SECTIONS:
        measured = {
            key: sum(figures["sections"][name][key] for name in sections)
            for key in ("ms", "sql_ms", "statements")
        }
        raw_ms = sum(figures["families"][family] for family in families)
        print(
            f"  {label:<26} {measured['ms']:>10,.0f} {measured['sql_ms']:>8,.0f} {measured['statements']:>6}"
            f" {raw_ms:>11,.0f} {2 * len(families):>6} {_ratio(measured['ms'], raw_ms):>6}"
        )
    print(
        f"\n  {'headline figures':<26} {f'{year} report':>13} {f'{year} raw':>11} {f'{before} report':>13}"
        f" {f'{before} raw':>11} {'agree':>6}"
    )
    disagree = []
    for row in figures["headlines"]:
        agree = [int(value) for value in row["report"]] == [int(value) for value in row["raw"]]
        if not agree:
            disagree.append(row["label"])
        print(
            f"  {row['label']:<26} {int(row['report'][0]):>13,} {int(row['raw'][0]):>11,}"
            f" {int(row['report'][1]):>13,} {int(row['raw'][1]):>11,} {'yes' if agree else 'NO':>6}"
        )
    if disagree:
        print(f"  THE REPORT AND THE RAW SQL DISAGREE on: {', '.join(disagree)}")
    print("\n  the report's 5 slowest statements (ms, selector, statement)")
    for statement in figures["slowest"]:
        print(f"  {statement['ms']:>7,.0f}  {statement['caller']}")
        print(f"           {statement['sql']}")
    for plan in figures["plans"]:
        print(f"\n  EXPLAIN (ANALYZE, BUFFERS), {plan['caller']}: {plan['sql']}")
        for line in plan["plan"]:
            print(f"    {line if len(line) <= 140 else line[:139] + '…'}")


# The histories measured, each in a database of its own: the year of the report and the one it is compared
# with, then ten years (the report's time must not grow with the history).
HISTORIES = (range(YEAR - 1, YEAR + 1), YEARS)


def main() -> None:
    ratios = []
    for years in HISTORIES:
        with harness.bench_database("report") as url:
            generated = generate(url, years=years)
            env = harness.production_env(url)
            generated["steps"].append(("daily summaries (manage.py summarise_days)", harness.summarise(env)))
            _print_generation(generated)
            sys.stdout.flush()
            figures = harness.in_django(env, "from bench import report; report.measure()")
        _print_measures(figures)
        sys.stdout.flush()
        report, raw, kept = figures["report"], figures["raw"], figures["kept"]
        ratios.append((len(years), report["ms"] / raw["ms"], kept["ms"] / raw["ms"]))
    print(f"\n  {'history':<10} {'report / raw SQL':>17} {'kept / raw SQL':>15} {'goal':>6}")
    for history, counted, kept_ratio in ratios:
        print(f"  {f'{history} years':<10} {counted:>17.2f} {kept_ratio:>15.2f} {GOAL_RATIO:>6.1f}")
