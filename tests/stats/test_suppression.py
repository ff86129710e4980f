"""Small-cell protection (stats.suppression): hand-made cases, then properties on random linked tables
checked by the independent attacker of tests/stats/attacker.py: no small count shown, no hidden count
worked out exactly, no "<5" narrowed within 1–4."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stats.suppression import HIDDEN, SMALL, WITHHELD, System, mark_range, protect, ranges
from tests.stats.attacker import Knowledge, disclosures


def examples(count: int) -> settings:
    return settings(
        max_examples=count, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
    )


def column(values: list[int]) -> System:
    system = System()
    keys = [system.count(("cell", index), value) for index, value in enumerate(values)]
    system.count(("total",), sum(values), cost=8)
    system.line(("total",), keys)
    return system


def knowledge_of(system: System, marks: dict) -> tuple[Knowledge, dict]:
    """What a reader of the protected counts knows: the counts or their marks, and the relations."""
    knows = Knowledge()
    for key, value in system.values.items():
        if key in system.unpublished:
            knows.exists(key)
        else:
            knows.see(key, marks.get(key, value))
    knows.sums = [(total, list(parts)) for total, parts in system.lines]
    knows.at_most = list(system.bounds)
    return knows, dict(system.values)


def safe(system: System, marks: dict) -> list[str]:
    return disclosures(*knowledge_of(system, marks))


def test_a_small_count_is_hidden_with_another_and_keeps_its_whole_range():
    system = column([2, 7, 30])
    marks = protect(system)
    assert marks[("cell", 0)] == SMALL
    assert sum(mark == HIDDEN for mark in marks.values()) >= 1
    assert ranges(system, marks)[("cell", 0)] == (1, 4)
    assert safe(system, marks) == []


def test_nothing_small_nothing_hidden():
    assert protect(column([12, 30, 7, 0])) == {}


def test_four_small_counts_under_a_small_total_are_not_broken_down():
    """Shown as "<5" under a "<5" total, each would be 1: the breakdown is withheld."""
    system = column([1, 1, 1, 1, 0])
    marks = protect(system)
    assert marks[("total",)] == SMALL
    assert {marks.get(("cell", index)) for index in range(4)} == {WITHHELD}
    assert safe(system, marks) == []


def test_a_small_count_beside_one_of_five_hides_the_total():
    """[1, 5 | 6]: hiding the 5 (5 or more) would pin the 1; the total goes too."""
    system = column([1, 5])
    marks = protect(system)
    assert marks[("total",)] == HIDDEN
    assert safe(system, marks) == []


def test_a_key_figure_shared_by_two_tables_is_hidden_in_both():
    """The institution's sessions are the total of its table by theme and of its table by language."""
    system = System()
    total = system.count(("sessions",), 3, cost=64)
    for grouping, values in (("theme", [2, 1, 0]), ("language", [3, 0])):
        system.line(total, [system.count((grouping, index), value) for index, value in enumerate(values)])
    marks = protect(system)
    assert marks[("sessions",)] == SMALL
    assert safe(system, marks) == []


def test_an_age_group_minus_its_published_bands():
    system = System()
    bands = [system.count(("band", index), value) for index, value in enumerate([3, 20, 9])]
    group = system.count(("group",), 32, cost=8)
    system.line(group, bands)
    other = system.count(("band", 3), 40)
    system.count(("total",), 72, cost=64)
    system.line(("total",), [*bands, other])
    system.line(("total",), [group, other])
    marks = protect(system)
    assert marks[("band", 0)] == SMALL
    assert safe(system, marks) == []


def test_the_counts_hidden_alongside_are_drawn_not_the_smallest():
    """Which count of 5 or more is hidden depends on a fixed draw, not on its size."""
    chosen = set()
    for salt in range(12):
        marks = protect(column([2, 9, 40, 300, 55]), salt=str(salt))
        chosen |= {key for key, mark in marks.items() if mark == HIDDEN}
    assert len(chosen) > 1


def test_the_same_counts_and_salt_give_the_same_marks():
    system = column([2, 9, 40, 300, 55, 3])
    assert protect(system, salt="2025") == protect(column([2, 9, 40, 300, 55, 3]), salt="2025")


def test_what_the_marks_tell():
    assert mark_range(SMALL) == (1, 4)
    assert mark_range(HIDDEN) == (5, None)
    assert mark_range(WITHHELD) == (0, None)


def test_a_system_refuses_counts_that_do_not_add_up():
    system = System()
    system.count("a", 2)
    system.count("total", 3)
    with pytest.raises(ValueError, match="sum"):
        system.line("total", ["a"])
    with pytest.raises(ValueError, match="non-negative"):
        system.count("b", -1)


# --- properties on random linked tables --------------------------------------------------------------

small_heavy = st.one_of(st.integers(0, 6), st.integers(0, 60))


@st.composite
def linked_tables(draw):
    """Institutions × codes for two groupings sharing each institution's total, the centre's columns as
    their sums, a table of mentions bounded by the totals, and a part of the centre no report shows."""
    scopes = draw(st.integers(1, 4))
    width = [draw(st.integers(1, 4)), draw(st.integers(1, 3))]
    first = [[draw(small_heavy) for _ in range(width[0])] for _ in range(scopes)]
    second = []
    for row in first:  # the second grouping splits the same total differently
        total, cells = sum(row), []
        for _ in range(width[1] - 1):
            cells.append(draw(st.integers(0, total - sum(cells))))
        second.append([*cells, total - sum(cells)])
    system = System()
    centre = system.count(("total",), sum(map(sum, first)), cost=64)
    totals = [system.count(("scope", i), sum(first[i]), cost=8) for i in range(scopes)]
    system.line(centre, totals)
    for name, table in (("a", first), ("b", second)):
        columns = []
        for j in range(len(table[0])):
            keys = [system.count((name, i, j), table[i][j]) for i in range(scopes)]
            columns.append(system.count((name, "col", j), sum(table[i][j] for i in range(scopes)), cost=8))
            system.line(columns[-1], keys)
        system.line(centre, columns)
        for i in range(scopes):
            system.line(totals[i], [(name, i, j) for j in range(len(table[0]))])
    mentions = []
    for i in range(scopes):
        value = draw(st.integers(0, sum(first[i])))
        mentions.append(system.count(("mention", i), value))
        system.bound(mentions[-1], totals[i])
    system.count(("mention", "*"), sum(system.values[key] for key in mentions), cost=8)
    system.line(("mention", "*"), mentions)
    unseen = system.count(("unseen",), draw(st.integers(0, 5)), published=False)
    system.count(("reported",), system.values[centre] + system.values[unseen], cost=64)
    system.line(("reported",), [centre, unseen])
    return system


@given(linked_tables(), st.integers(0, 3))
@examples(60)
def test_no_attacker_works_out_a_hidden_count_of_linked_tables(system, salt):
    marks = protect(system, salt=str(salt))
    assert safe(system, marks) == []
    assert not set(marks) & system.unpublished


def test_a_count_without_upper_bound_is_not_taken_for_a_contradiction():
    """Linked tables hypothesis once drew: the reported total (the centre's + an unpublished count) has no
    largest value, which HiGHS's presolve reports as "infeasible or unbounded"; the attacker must tell."""
    system = System()
    for key, value, cost in [
        (("total",), 6, 64),
        (("scope", 0), 6, 8),
        (("a", 0, 0), 1, 1.0),
        (("a", "col", 0), 1, 8),
        (("a", 0, 1), 5, 1.0),
        (("a", "col", 1), 5, 8),
        (("b", 0, 0), 6, 1.0),
        (("b", "col", 0), 6, 8),
        (("mention", 0), 0, 1.0),
        (("mention", "*"), 0, 8),
        (("reported",), 6, 64),
    ]:
        system.count(key, value, cost=cost)
    system.count(("unseen",), 0, published=False)
    for total, parts in [
        (("total",), [("scope", 0)]),
        (("a", "col", 0), [("a", 0, 0)]),
        (("a", "col", 1), [("a", 0, 1)]),
        (("total",), [("a", "col", 0), ("a", "col", 1)]),
        (("scope", 0), [("a", 0, 0), ("a", 0, 1)]),
        (("b", "col", 0), [("b", 0, 0)]),
        (("total",), [("b", "col", 0)]),
        (("scope", 0), [("b", 0, 0)]),
        (("mention", "*"), [("mention", 0)]),
        (("reported",), [("total",), ("unseen",)]),
    ]:
        system.line(total, parts)
    system.bound(("mention", 0), ("scope", 0))
    assert safe(system, protect(system, salt="0")) == []


@given(st.lists(small_heavy, min_size=1, max_size=8))
@examples(80)
def test_no_attacker_works_out_a_hidden_count_of_a_column(values):
    system = column(values)
    assert safe(system, protect(system)) == []


def test_the_attacker_sees_through_a_naive_protection():
    """Hiding the small counts only: each is worked out from the total (the attacker is not blind)."""
    system = column([2, 7, 30])
    assert safe(system, {("cell", 0): SMALL}) == ["('cell', 0): worked out exactly (2)"]
    four = column([1, 1, 1, 1])
    assert len(safe(four, {**{("cell", i): SMALL for i in range(4)}, ("total",): SMALL})) == 5
