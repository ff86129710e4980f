"""The report's figures as tables people read: labels in the active language, this period next to the
same period a year earlier, and small-cell protection on every table meant for publication.

Each table is built once here and rendered by the dashboard, the printable report, the PDF, the
workbook (one sheet per table) and the CSV. Counts from 1 to 4 are shown as "<5" (stats.suppression),
with the other cells needed so that none can be worked out from the totals."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.utils import formats
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activites.models import Kind
from citedesmetiers.models import AgeBand, Audience, Gender, Language, Partner, Status, Theme
from conseil.models import HeardOf, Mode, Topic
from ressources.models import HelpTopic
from stats import definitions
from stats.suppression import SUPPRESSED, THRESHOLD, protect_column

# Row labels the tables do not find in a reference table.
NONE_LABEL = gettext_lazy("Not recorded")
AGE_GROUP_LABELS = {
    "under-25": gettext_lazy("Under 25"),
    "25-49": gettext_lazy("25 to 49"),
    "50-plus": gettext_lazy("50 and over"),
    "unknown": gettext_lazy("Not recorded"),
}
MODE_OF_SERVICE = {
    "advice": gettext_lazy("Individual advice"),
    "multimedia_documentation": gettext_lazy("Multimedia and documentation"),
    "activity_participants": gettext_lazy("Activity participants"),
    "outreach": gettext_lazy("Outreach (fairs, events, Formtruck)"),
    "remote": gettext_lazy("E-mail and phone"),
}
TEAM_LABELS = {
    "back_office": gettext_lazy("Back office"),
    "advisers": gettext_lazy("Advisers"),
    "reception_and_stewards": gettext_lazy("Reception agents and digital stewards"),
}


@dataclass
class Table:
    """One table: its title, what it shows, rows of (label, value, previous value); `protected` when its
    counts went through small-cell protection (values may then be the "<5" marker)."""

    key: str
    title: str
    definition: str = ""
    rows: list[tuple[str, object, object]] = field(default_factory=list)
    total: tuple[object, object] | None = None
    protected: bool = False
    unit: str = ""

    @property
    def columns(self) -> tuple[str, str, str]:
        return (_("Item"), _("This period"), _("A year earlier"))


def _reference_labels(model, key: str = "code") -> Callable[[str], str]:
    names = {str(getattr(row, key)): str(row) for row in model.objects.all()}
    return lambda code: names.get(code, str(NONE_LABEL) if code in ("", "None") else code)


def _choice_labels(choices) -> Callable[[str], str]:
    names = {str(value): str(label) for value, label in choices}
    return lambda code: names.get(code, str(NONE_LABEL) if code in ("", "None") else code)


def _month_label(key: str) -> str:
    year, month = (int(part) for part in key.split("-"))
    return formats.date_format(date(year, month, 1), "YEAR_MONTH_FORMAT")


LABELS: dict[str, Callable[[], Callable[[str], str]]] = {
    "theme": lambda: _reference_labels(Theme),
    "partner": lambda: _reference_labels(Partner, "pk"),
    "language": lambda: _reference_labels(Language),
    "gender": lambda: _reference_labels(Gender),
    "age_band": lambda: _reference_labels(AgeBand),
    "status": lambda: _reference_labels(Status),
    "topic": lambda: _reference_labels(Topic),
    "help_topic": lambda: _reference_labels(HelpTopic),
    "kind": lambda: _choice_labels(Kind.choices),
    "audience": lambda: _choice_labels(Audience.choices),
    "mode": lambda: _choice_labels(Mode.choices),
    "heard_of": lambda: _choice_labels(HeardOf.choices),
    "age_group": lambda: _choice_labels(AGE_GROUP_LABELS.items()),
    "service": lambda: _choice_labels(MODE_OF_SERVICE.items()),
    "team": lambda: _choice_labels(TEAM_LABELS.items()),
    "weekday": lambda: lambda code: str(WEEKDAYS[int(code) - 1]),
    "hour": lambda: lambda code: f"{int(code):02d}:00",
    "month": lambda: _month_label,
}


def _get(figures: dict | None, path: str):
    value = figures
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def counts_table(
    key: str,
    title: str,
    current: dict | None,
    previous: dict | None,
    *,
    name: Callable[[str], str],
    definition: str = "",
    order: list[str] | None = None,
    protect: bool = True,
) -> Table:
    """A table of counts by category with its total, both periods, protected for publication."""
    known_before = previous is not None
    current, previous = current or {}, previous or {}
    keys = order or sorted(set(current) | set(previous), key=lambda code: (-current.get(code, 0), code))
    now_values = [current.get(code, 0) for code in keys]
    then_values = [previous.get(code, 0) for code in keys]
    if protect:
        now = protect_column(now_values)
        then = protect_column(then_values)
        now_cells, then_cells = _marked(now_values, now.cells), _marked(then_values, then.cells)
        total = (_marked([sum(now_values)], [now.total])[0], _marked([sum(then_values)], [then.total])[0])
    else:
        now_cells, then_cells = now_values, then_values
        total = (sum(now_values), sum(then_values))
    if not known_before:  # nothing to compare with (before the opening): "—", not zeros
        then_cells, total = [None] * len(keys), (total[0], None)
    rows = [
        (name(code), value, before) for code, value, before in zip(keys, now_cells, then_cells, strict=True)
    ]
    return Table(key, title, definition, rows, total, protected=protect)


# A count hidden only so that a small one cannot be worked out from the totals: it is not small itself.
HIDDEN = "x"


def _marked(values: list[int], cells) -> list:
    """The protected cells, each hidden one marked "<5" when it is small and "x" when it was hidden only
    to protect another (showing "<5" there would tell something false)."""
    return [
        (str(cell) if 0 < value < THRESHOLD else HIDDEN) if cell is SUPPRESSED else cell
        for value, cell in zip(values, cells, strict=True)
    ]


def figures_table(current: dict, previous: dict) -> Table:
    """The key figures of the report with their definitions' titles (totals: not small cells)."""
    rows = []
    for key in definitions.KEY_FIGURES:
        if _get(current, key.split(".")[0]) is None:
            continue  # a section this scope does not see
        rows.append((definitions.label(key), _get(current, key), _get(previous, key)))
    return Table("figures", _("Key figures"), "", rows, None, protected=False)


def report_tables(current: dict, previous: dict) -> list[Table]:
    """Every table of the report, in the order of the printed report, in the active language."""
    tables = [figures_table(current, previous)]
    namers: dict[str, Callable[[str], str]] = {}

    def namer(kind: str) -> Callable[[str], str]:
        """The labels of a kind of code, read once for the whole report."""
        if kind not in namers:
            namers[kind] = LABELS[kind]()
        return namers[kind]

    def add(key: str, path: str, title, labels: str, definition_key: str = "", **options):
        definition = definitions.definition(definition_key) if definition_key else ""
        tables.append(
            counts_table(
                key,
                str(title),
                _get(current, path),
                _get(previous, path),
                name=namer(labels),
                definition=definition,
                **options,
            )
        )

    if "contacts" in current:
        add(
            "services",
            "contacts.services_by_mode",
            _("Services delivered, by mode"),
            "service",
            "contacts.services_total",
            order=list(MODE_OF_SERVICE),
            protect=False,
        )
        add(
            "contacts_month",
            "contacts.by_month",
            _("Visits by month"),
            "month",
            "contacts.on_site_visits",
            order=sorted(set(_get(current, "contacts.by_month") or {})),
            protect=False,
        )
        add(
            "contacts_weekday",
            "contacts.by_weekday",
            _("Visits by weekday"),
            "weekday",
            order=[str(day) for day in range(1, 8)],
            protect=False,
        )
        add(
            "contacts_hour",
            "contacts.by_hour",
            _("Visits by hour"),
            "hour",
            order=sorted(_get(current, "contacts.by_hour") or {}, key=int),
            protect=False,
        )
        add("contacts_theme", "contacts.by_theme", _("Visits by theme"), "theme")
    add("advice_theme", "advice.by_theme", _("Advice sessions by theme"), "theme", "advice.sessions")
    add("advice_topic", "advice.by_topic", _("Advice sessions by topic"), "topic")
    add("advice_partner", "advice.by_partner", _("Advice sessions by institution"), "partner")
    add("advice_language", "advice.by_language", _("Advice sessions by language"), "language")
    add("advice_mode", "advice.by_mode", _("Advice sessions by mode"), "mode")
    add("advice_gender", "advice.by_gender", _("Advice sessions by gender"), "gender", "gender.women_pct")
    add(
        "advice_age",
        "advice.by_age_group",
        _("Advice sessions by age"),
        "age_group",
        "advice.by_age_group",
        order=list(AGE_GROUP_LABELS),
    )
    add("advice_age_band", "advice.by_age_band", _("Advice sessions by age band"), "age_band")
    add("activities_theme", "activities.by_theme", _("Activities by theme"), "theme", "activities.count")
    add(
        "participants_theme",
        "activities.participants_by_theme",
        _("Participants by theme"),
        "theme",
        "activities.participants",
    )
    add("activities_kind", "activities.by_kind", _("Activities by type"), "kind")
    add("activities_partner", "activities.by_partner", _("Activities by organiser"), "partner")
    add("activities_language", "activities.by_language", _("Activities by language"), "language")
    add("activities_audience", "activities.by_audience", _("Activities by audience"), "audience")
    if "multimedia" in current:
        help_now = {
            code: row["count"] for code, row in (_get(current, "multimedia.help_by_topic") or {}).items()
        }
        help_then = {
            code: row["count"] for code, row in (_get(previous, "multimedia.help_by_topic") or {}).items()
        }
        tables.append(
            counts_table(
                "help_topic",
                _("Digital help by topic"),
                help_now,
                help_then,
                name=namer("help_topic"),
                definition=definitions.definition("multimedia.help_by_topic"),
            )
        )
    if "questionnaires" in current:
        for name, title, labels in (
            ("status", _("Questionnaires: status"), "status"),
            ("heard_of", _("Questionnaires: how they heard of the centre"), "heard_of"),
        ):
            add(f"questionnaire_{name}", f"questionnaires.profile.{name}", title, labels)
    if "team" in current:
        add("team", "team", _("The team"), "team", "team", order=list(TEAM_LABELS), protect=False)
    return tables
