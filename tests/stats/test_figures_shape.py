"""The figures' shape (stats.figures): what the selectors return is exactly what the types say, and every
dotted path the code names reaches a figure (issue 20)."""

import re
import types
import typing
from pathlib import Path

import pytest

from citedesmetiers.models import Partner
from stats import figures, periods, selectors
from stats.selectors import Scope

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SECTIONS = "|".join(typing.get_type_hints(figures.Figures))
PATH = re.compile(rf"[\"']((?:{SECTIONS})(?:\.[a-z_0-9]+)+)[\"']")


def differences(value, shape, where: str = "figures") -> list[str]:
    """Where `value` departs from the type `shape`: a key missing or unknown, a value of another type."""
    if typing.is_typeddict(shape):
        hints = typing.get_type_hints(shape)
        if not isinstance(value, dict):
            return [f"{where}: {type(value).__name__}, not a dict"]
        found = [f"{where}.{key}: missing" for key in shape.__required_keys__ - set(value)]
        found += [f"{where}.{key}: unknown" for key in set(value) - set(hints)]
        for key in set(value) & set(hints):
            found += differences(value[key], hints[key], f"{where}.{key}")
        return found
    origin, arguments = typing.get_origin(shape), typing.get_args(shape)
    if origin in (typing.Union, types.UnionType):
        if any(not differences(value, option, where) for option in arguments):
            return []
        return [f"{where}: {value!r} is none of {shape}"]
    if origin is dict:
        if not isinstance(value, dict):
            return [f"{where}: {type(value).__name__}, not a dict"]
        found = [f"{where}: key {key!r} is not text" for key in value if not isinstance(key, str)]
        for key, item in value.items():
            found += differences(item, arguments[1], f"{where}[{key!r}]")
        return found
    if origin is list:
        if not isinstance(value, list):
            return [f"{where}: {type(value).__name__}, not a list"]
        return [
            problem
            for index, item in enumerate(value)
            for problem in differences(item, arguments[0], f"{where}[{index}]")
        ]
    if shape is type(None):
        return [] if value is None else [f"{where}: {value!r}, not None"]
    if shape is float:
        return [] if isinstance(value, float) else [f"{where}: {value!r}, not a float"]
    if not isinstance(value, shape) or (shape is int and isinstance(value, bool)):
        return [f"{where}: {value!r}, not {shape.__name__}"]
    return []


def test_the_centres_and_an_institutions_figures_have_exactly_their_types_shape(march):
    month, year = periods.month(2026, 3), periods.year(2026)
    for found in selectors.reports([month, year]):
        assert differences(found, figures.Figures) == []
        assert {"contacts", "multimedia", "questionnaires", "online", "team"} <= set(found)
        assert found["advice"]["queue"]["by_theme"]  # the breakdowns are checked too, not empty dicts
    actiris = selectors.report(month, scope=Scope(partner=Partner.objects.get(code="actiris")))
    assert differences(actiris, figures.Figures) == []
    assert "contacts" not in actiris


def test_a_shape_that_departs_is_told():
    assert differences({"start": "2026-03-01", "end": 3}, figures.PeriodShown) == [
        "figures.slug: missing",
        "figures.end: 3, not str",
    ]


def test_every_dotted_path_the_code_names_reaches_a_figure():
    named = {
        found
        for folder, pattern in (("stats", "*.py"), ("templates", "*.html"))
        for source in (ROOT / folder).rglob(pattern)
        for found in PATH.findall(source.read_text(encoding="utf-8"))
    }
    assert len(named) > 40
    assert sorted(path for path in named if not figures.path_exists(path)) == []


@pytest.mark.parametrize(
    ("path", "exists"),
    [
        ("advice.queue.by_hour", True),
        ("questionnaires.profile.status", True),  # any code below a dict of codes
        ("contacts.services_by_mode.remote", True),
        ("contacts.remote", False),
        ("advice.queue.by_month", False),
        ("gender.women_pct.more", False),
    ],
)
def test_a_path_is_checked_key_by_key(path, exists):
    assert figures.path_exists(path) is exists


def test_every_key_of_the_json_format_is_documented():
    """docs/figures.md lists the JSON export's keys (`.by_*` standing for every breakdown)."""
    text = (ROOT / "docs" / "figures.md").read_text(encoding="utf-8")
    listed = text[text.index("The JSON\nformat is stable") : text.index("Codes, never translated labels")]
    documented = {
        *re.findall(r"`\.?([a-z_0-9]+)`", listed),  # `tickets`, `.men`
        *re.findall(r"`([a-z_]+)\.[a-z_0-9]+`", listed),  # `gender.women`: gender and women
        *re.findall(r"`[a-z_]+\.([a-z_0-9]+)`", listed),
    }
    wildcards = re.findall(r"`\.([a-z_]+)\*`", listed)

    def keys(shape) -> set[str]:
        found: set[str] = set()
        for name, hint in typing.get_type_hints(shape).items():
            found.add(name)
            for inner in (hint, *typing.get_args(hint)):
                if typing.is_typeddict(inner):
                    found |= keys(inner)
        return found

    missing = {
        key
        for key in keys(figures.Figures)
        if key not in documented and not any(key.startswith(prefix) for prefix in wildcards)
    }
    assert wildcards == ["by_", "participants_by_"]
    assert sorted(missing) == []
