"""The fuzzing pass's parts: bad values, the fields a page offers, the requests, and the rows' bounds.

`tests/test_fuzz.py` walks every URL of the project for anonymous visitors and every role with these.
Everything random comes from one seeded `random.Random`, so a failure replays with the same seed
(`CDM_FUZZ_SEED`).
"""

import inspect
import random
import re
import sys
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.apps import apps
from django.db.models import (
    CharField,
    DateField,
    DateTimeField,
    IntegerField,
    Q,
    TextField,
)
from django.db.models.functions import Length
from django.urls import Resolver404, resolve

from citedesmetiers import dates, limits

MEGABYTE = "x" * (1024 * 1024)

# The bad values, by what a field expects. Each request draws from them with the seeded generator.
BAD_DATES = [
    "0001-01-01",
    "9999-12-31",
    "2024-02-30",
    "-1",
    "99999",
    "0000-00-00",
    "1999-12-31",
    "2101-01-01",
]
BAD_NUMBERS = ["0", "-1", "-2147483649", "2147483648", "9223372036854775808", "1e309", "NaN", "99999", "1.5"]
BAD_TEXTS = [
    "\x00",
    "a\x00b",
    "ｓｔｅｗａｒｄ",  # full-width letters
    "１２３４５６",  # full-width digits
    "line\r\nbreak",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "é" * 300,
    "",
]
WRONG_TYPES = ["abc", ["1", "2"], ["2024-01-01", "abc"]]
BAD_PERIODS = ["0001", "9999", "0001-01", "9999-12", "2024-13", "2024-W60", "-1", "year", "99999"]

# Query parameters every page is also tried with, whether it shows them or not.
COMMON_PARAMS = ["start", "end", "page", "period", "year", "q", "theme", "format", "lang", "past", "day"]
# Field names that expect a date or a number (the HTML's input type says it too, when there is one).
DATE_NAMES = re.compile(r"(^|_)(start|end|date|day|from|to|since|until|occurred_at|when)(_|$)")
NUMBER_NAMES = re.compile(r"(^|_)(count|page|year|pk|id|capacity|headcount|weeks|minutes|number|copy)(_|$)")
PERIOD_NAMES = re.compile(r"(^|_)(period|month|week)(_|$)")

# The view-source idioms through which a view reads a query parameter.
_READS = [
    re.compile(r"""GET(?:\.get|\.getlist)?\(\s*["']([\w-]+)["']"""),
    re.compile(r"""GET\[\s*["']([\w-]+)["']\s*\]"""),
    re.compile(r"""["']([\w-]+)["']\s+(?:not\s+)?in\s+request\.GET"""),
]


@dataclass
class Form:
    """A form of a page: where it goes, how, and its fields with the values the page offers."""

    method: str
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)

    def baseline(self) -> dict[str, object]:
        """The values a person would send without touching anything (the page's own values)."""
        return {
            name: values if len(values) > 1 else values[0] for name, values in self.fields.items() if values
        }


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: set[str] = set()
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "?" in (attrs.get("href") or ""):
            query = attrs["href"].split("?", 1)[1].split("#", 1)[0]
            self.links |= {part.split("=", 1)[0] for part in query.split("&") if part}
        elif tag == "form":
            self._form = Form(method=(attrs.get("method") or "get").lower(), action=attrs.get("action") or "")
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag in ("input", "button") and attrs.get("name"):
            kind = (attrs.get("type") or ("submit" if tag == "button" else "text")).lower()
            if kind == "file":
                return
            values = self._form.fields.setdefault(attrs["name"], [])
            self._form.kinds.setdefault(attrs["name"], kind)
            if kind in ("checkbox", "radio"):
                if "checked" in attrs or not values:
                    values.insert(0 if "checked" in attrs else len(values), attrs.get("value") or "on")
                if not any(value for value in values) and "checked" not in attrs:
                    del values[:]
            elif kind not in ("submit", "reset", "image") or not values:
                values.append(attrs.get("value") or "")
        elif tag == "select" and attrs.get("name"):
            self._select = attrs["name"]
            self._form.fields.setdefault(self._select, [])
            self._form.kinds.setdefault(self._select, "select")
        elif tag == "option" and self._select:
            values = self._form.fields[self._select]
            value = attrs.get("value", "")
            if "selected" in attrs:
                values.insert(0, value)
            elif not values:
                values.append(value)
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = attrs["name"]
            self._form.fields.setdefault(self._textarea, [""])
            self._form.kinds.setdefault(self._textarea, "textarea")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def page_forms(html: str) -> tuple[list[Form], set[str]]:
    """The forms of a page (one value per field: the selected or first one) and its links' query names."""
    parser = _FormParser()
    parser.feed(html)
    for form in parser.forms:
        for values in form.fields.values():
            del values[1:]  # one value each: the page's choice
    return parser.forms, parser.links


def view_params(path: str) -> set[str]:
    """The query parameters the view of `path` (or any function of its module) reads from request.GET."""
    try:
        view = inspect.unwrap(resolve(path).func)
    except Resolver404:
        return set()
    module = sys.modules.get(getattr(view, "__module__", ""), None)
    try:
        source = inspect.getsource(module) if module else ""
    except (OSError, TypeError):
        source = ""
    return {name for pattern in _READS for name in pattern.findall(source)}


def kind_of(name: str, html_kind: str = "") -> str:
    """What a field expects: date, number, period or text (from its HTML type, else from its name)."""
    if html_kind in ("date", "datetime-local", "month", "week", "time"):
        return "date"
    if html_kind == "number":
        return "number"
    if PERIOD_NAMES.search(name):
        return "period"
    if DATE_NAMES.search(name):
        return "date"
    if NUMBER_NAMES.search(name):
        return "number"
    return "text"


POOLS = {"date": BAD_DATES, "number": BAD_NUMBERS, "period": BAD_PERIODS + BAD_DATES, "text": BAD_TEXTS}
EVERYTHING = BAD_DATES + BAD_NUMBERS + BAD_TEXTS + WRONG_TYPES


def bad_value(rng: random.Random, kind: str, *, big: bool = True) -> object:
    """One bad value: mostly what breaks this kind of field, else anything, now and then 1 MB of text."""
    roll = rng.random()
    if big and roll < 0.04:
        return MEGABYTE
    if roll < 0.7:
        return rng.choice(POOLS[kind])
    return rng.choice(EVERYTHING)


def mutate(rng: random.Random, names: list[str], kinds: dict[str, str], *, at_most: int | None = 3) -> dict:
    """Bad values for one to `at_most` of `names` (all of them with `at_most=None`)."""
    chosen = list(names) if at_most is None else rng.sample(names, min(len(names), rng.randint(1, at_most)))
    values = {name: bad_value(rng, kind_of(name, kinds.get(name, ""))) for name in chosen}
    # At most one megabyte per request: enough to prove the point, and the pass stays fast.
    big = [name for name, value in values.items() if value is MEGABYTE]
    for name in big[1:]:
        values[name] = rng.choice(BAD_TEXTS)
    return values


def shown(values: dict) -> str:
    """A request's parameters, short enough for a failure's message."""

    def short(value):
        text = repr(value)
        return text if len(text) <= 40 else f"{text[:20]}…({len(text)} chars)"

    return ", ".join(f"{name}={short(value)}" for name, value in values.items())


@dataclass
class Tally:
    """What the pass tried and what failed (failures grouped by request shape, with a first example)."""

    requests: int = 0
    batches: int = 0
    by_method: dict[str, int] = field(default_factory=lambda: {"GET": 0, "POST": 0})
    statuses: dict[int, int] = field(default_factory=dict)
    failures: dict[tuple, list[str]] = field(default_factory=dict)
    seen_forms: set[tuple] = field(default_factory=set)  # (action, fields) of the forms fuzzed
    fuzzed: set[str] = field(default_factory=set)  # the pages fuzzed in full
    seconds: dict[str, float] = field(default_factory=dict)
    values: dict[str, int] = field(default_factory=dict)  # the bad values sent, by kind
    started: float = field(default_factory=time.monotonic)

    def count_values(self, data: dict) -> None:
        for value in data.values():
            kind = _value_kind(value)
            self.values[kind] = self.values.get(kind, 0) + 1

    def record(self, method: str, status: int) -> None:
        self.requests += 1
        self.by_method[method] += 1
        self.statuses[status] = self.statuses.get(status, 0) + 1

    def fail(self, who: str, method: str, path: str, data: dict, error: str) -> None:
        key = (method, path, tuple(sorted(data)), error.splitlines()[0][:160] if error else "")
        self.failures.setdefault(key, []).append(f"{who}: {shown(data)}")

    def report(self, limit: int = 30) -> str:
        lines = []
        for (method, path, _names, error), examples in list(self.failures.items())[:limit]:
            lines.append(f"{method} {path} ×{len(examples)} ({error}), e.g. {examples[0]}")
        return "\n".join(lines)

    def summary(self, *, paths: int, roles: int, seed: int) -> str:
        statuses = ", ".join(f"{status}: {count}" for status, count in sorted(self.statuses.items()))
        failed = sum(len(examples) for examples in self.failures.values())
        sent = ", ".join(f"{kind}: {count}" for kind, count in sorted(self.values.items()))
        top = sorted(self.seconds.items(), key=lambda item: -item[1])[:5]
        slowest = ", ".join(f"{path} {seconds:.1f} s" for path, seconds in top)
        return (
            f"fuzzing pass (seed {seed}): {self.requests} requests ({self.by_method['GET']} GET, "
            f"{self.by_method['POST']} POST) over {paths} URLs × {roles} visitors ({self.batches} pairs) "
            f"in {time.monotonic() - self.started:.1f} s; values sent {{{sent}}}; statuses {{{statuses}}}; "
            f"{failed} failed requests of {len(self.failures)} kinds; slowest URLs: {slowest}"
        )


def _value_kind(value) -> str:
    if isinstance(value, list):
        return "list"
    if value is MEGABYTE:
        return "1 MB"
    if "\x00" in value:
        return "NUL"
    if value in BAD_DATES or value in BAD_PERIODS:
        return "date"
    if value in BAD_NUMBERS:
        return "number"
    if any(ord(char) > 0xFF00 for char in value):
        return "full-width"
    return "text"


def _error(response) -> str:
    exc_info = getattr(response, "exc_info", None)
    if exc_info and exc_info[1] is not None:
        return f"{type(exc_info[1]).__name__}: {exc_info[1]}"
    return str(response.status_code)


def send(client, tally: Tally, method: str, path: str, data: dict, *, who: str, headers=None) -> object:
    """One request; a 500 or an exception (while rendering or streaming) becomes a failure, not a crash."""
    began = time.monotonic()
    try:
        if method == "GET":
            response = client.get(path, data, headers=headers or {})
        else:
            response = client.post(path, data, headers=headers or {})
        if response.streaming:
            for _chunk in response.streaming_content:
                pass
    except Exception as error:  # any exception is the finding, reported with its request
        tally.record(method, 500)
        tally.fail(who, method, path, data, f"{type(error).__name__}: {error}")
        return None
    finally:
        tally.seconds[path] = tally.seconds.get(path, 0) + time.monotonic() - began
    tally.record(method, response.status_code)
    if response.status_code >= 500:
        tally.fail(who, method, path, data, _error(response))
    return response


# --- the rows' bounds -----------------------------------------------------------------------------

PROJECT_APPS = ("citedesmetiers", "accueil", "conseil", "activites", "ressources", "stats")
_CONTROL = r"[\x01-\x1f\x7f]"


def _bounds_of(model_field) -> tuple[int | None, int | None]:
    low = high = None
    for validator in model_field.validators:
        limit = getattr(validator, "limit_value", None)
        if not isinstance(limit, int):
            continue
        if validator.code == "min_value":
            low = limit if low is None else max(low, limit)
        elif validator.code == "max_value":
            high = limit if high is None else min(high, limit)
    return low, high


def out_of_range_rows() -> list[str]:
    """Every row of the project's tables that holds a value outside what the product accepts.

    Dates and times within `dates.filter_days()` (the database's range), numbers within their model
    validators, texts within their length, one-line titles on one line, and the ceilings of
    `citedesmetiers.limits` that depend on another column (an activity's headcount and its places).
    """
    first, last = dates.filter_days()
    found = []
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS or model._meta.proxy or not model._meta.managed:
            continue
        rows = model._default_manager.all()
        for column in model._meta.concrete_fields:
            name = column.name
            if isinstance(column, DateTimeField):
                bad = rows.exclude(dates.in_range(name))
            elif isinstance(column, DateField):
                bad = rows.filter(Q(**{f"{name}__lt": first}) | Q(**{f"{name}__gt": last}))
            elif isinstance(column, IntegerField) and not column.primary_key and not column.is_relation:
                low, high = _bounds_of(column)
                condition = Q()
                if low is not None:
                    condition |= Q(**{f"{name}__lt": low})
                if high is not None:
                    condition |= Q(**{f"{name}__gt": high})
                if not condition:
                    continue
                bad = rows.filter(condition)
            elif isinstance(column, TextField | CharField) and column.max_length:
                bad = rows.alias(_length=Length(name)).filter(_length__gt=column.max_length)
                if name.startswith("title"):
                    bad = bad | rows.filter(**{f"{name}__regex": _CONTROL})
            else:
                continue
            for pk in bad.values_list("pk", flat=True)[:3]:
                found.append(f"{model._meta.label}#{pk}.{name}")
    walk_in = apps.get_model("activites", "WalkIn")
    for pk in walk_in.objects.filter(count__gt=limits.WALK_IN_MAX).values_list("pk", flat=True):
        found.append(f"activites.WalkIn#{pk}.count above {limits.WALK_IN_MAX}")
    activity = apps.get_model("activites", "Activity")
    for row in activity.objects.filter(headcount__gt=0).select_related("room"):
        if row.headcount > limits.headcount_ceiling(row.places):
            found.append(f"activites.Activity#{row.pk}.headcount {row.headcount} for {row.places} places")
    visit = apps.get_model("accueil", "Visit")
    found += [
        f"accueil.Visit#{pk}.count" for pk in visit.objects.filter(count__gt=500).values_list("pk", flat=True)
    ]
    return sorted(set(found))
