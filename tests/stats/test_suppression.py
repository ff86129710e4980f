"""Small-cell protection of the published tables, checked against the true tables: hand-made examples,
then properties on random tables, where "cannot be recomputed" is checked independently of the module:
by exhaustive search on small tables, by an explicit other table (a certificate) on large ones."""

import random
import time
from collections import deque

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stats.suppression import (
    SUPPRESSED,
    THRESHOLD,
    ProtectedColumn,
    ProtectedTable,
    Suppressed,
    disclosure_ranges,
    protect_column,
    protect_table,
    published,
)

S = SUPPRESSED


def examples(count: int) -> settings:
    """Hypothesis settings: `count` examples, no deadline (the exhaustive searches vary), no example
    database written into the project."""
    return settings(
        max_examples=count, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
    )


# The true table and the published one as (m+1) × (n+1) grids: cells, then the row totals in the last
# column, the column totals in the last row and the grand total in the corner.


def true_grid(cells: list[list[int]]) -> list[list[int]]:
    width = len(cells[0])
    grid = [[*row, sum(row)] for row in cells]
    grid.append([sum(row[j] for row in grid) for j in range(width + 1)])
    return grid


def shown_grid(table: ProtectedTable) -> list[list[object]]:
    grid = [[*row, total] for row, total in zip(table.cells, table.row_totals, strict=True)]
    grid.append([*table.column_totals, table.total])
    return grid


def hidden(value: object) -> bool:
    return isinstance(value, Suppressed)


def grid_positions(grid: list[list[object]]) -> list[tuple[int, int]]:
    return [(i, j) for i, row in enumerate(grid) for j in range(len(row))]


def small(value: int, threshold: int) -> bool:
    return 1 <= value < threshold


def bounds(value: int, *, threshold: int, label_aware: bool) -> tuple[int, float]:
    """What a reader knows of a hidden count: non-negative; label-aware, a small one is 1..threshold-1."""
    if label_aware and small(value, threshold):
        return 1, threshold - 1
    return 0, float("inf")


# Exhaustive search: every table of non-negative ints that agrees with what is published.


def table_exists(cells, table, target, low, high, *, threshold, label_aware, cap, radius=None) -> bool:
    """Whether some table consistent with the published grid puts the hidden count at `target` (a grid
    position) within low..high: non-negative cells, at most `cap` (and within `radius` of the truth if
    given), the reader's bounds on hidden counts. A depth-first search over the hidden cells, pruned by
    the partial sums of every line (row, column, whole table); exhaustive when it answers no."""
    truth, shown = true_grid(cells), shown_grid(table)
    height, width = len(cells), len(cells[0])
    for i, j in grid_positions(shown):
        assert hidden(shown[i][j]) or shown[i][j] == truth[i][j]
    ti, tj = target
    unknown = [(i, j) for i in range(height) for j in range(width) if hidden(shown[i][j])]
    # The target first if it is a cell, then the cells of its line.
    unknown.sort(key=lambda p: (p != target, not ((ti in (height, p[0])) and (tj in (width, p[1])))))
    lines = [([(i, j) for j in range(width)], (i, width)) for i in range(height)]
    lines += [([(i, j) for i in range(height)], (height, j)) for j in range(width)]
    lines.append(([(i, j) for i in range(height) for j in range(width)], (height, width)))
    lines_of = {p: [k for k, (members, _) in enumerate(lines) if p in members] for p in unknown}

    def reader_bounds(i, j):
        if hidden(shown[i][j]):
            return bounds(truth[i][j], threshold=threshold, label_aware=label_aware)
        return shown[i][j], shown[i][j]

    def cell_bounds(i, j):
        lowest, highest = reader_bounds(i, j)
        highest = min(highest, cap, *(t for t in (shown[i][width], shown[height][j]) if not hidden(t)))
        if radius is not None:
            lowest, highest = max(lowest, truth[i][j] - radius), min(highest, truth[i][j] + radius)
        if (i, j) == target:
            lowest, highest = max(lowest, low), min(highest, high)
        return lowest, int(highest)

    box = {p: cell_bounds(*p) for p in unknown}
    sums = []
    for _, grid in lines:
        lowest, highest = reader_bounds(*grid)
        sums.append((max(lowest, low), min(highest, high)) if grid == target else (lowest, highest))
    fixed = [sum(truth[i][j] for i, j in members if (i, j) not in box) for members, _ in lines]
    value = {}

    def feasible(k):
        members, _ = lines[k]
        assigned = fixed[k] + sum(value[p] for p in members if p in value)
        rest = [box[p] for p in members if p in box and p not in value]
        lowest, highest = sums[k]
        return assigned + sum(b[0] for b in rest) <= highest and assigned + sum(b[1] for b in rest) >= lowest

    def search(index):
        if index == len(unknown):
            return True
        p = unknown[index]
        lowest, highest = box[p]
        start = truth[p[0]][p[1]]
        for candidate in sorted(range(lowest, highest + 1), key=lambda v: (abs(v - start), v)):
            value[p] = candidate
            if all(feasible(k) for k in lines_of[p]) and search(index + 1):
                return True
        value.pop(p, None)
        return False

    return all(feasible(k) for k in range(len(lines))) and search(0)


def other_table_exists(cells, table, target, *, threshold, label_aware, cap) -> bool:
    """Whether a table consistent with what is published gives the hidden count at `target` another
    value: looked for near the truth (every cell within one) first, then among all tables."""
    true_value = true_grid(cells)[target[0]][target[1]]
    options = {"threshold": threshold, "label_aware": label_aware, "cap": cap}
    return any(
        table_exists(cells, table, target, low, high, radius=radius, **options)
        for radius in (1, None)
        for low, high in ((true_value + 1, float("inf")), (0, true_value - 1))
    )


# Certificates: another table, found by a search in the test and checked directly.


def certificate(cells, table, target, *, threshold, label_aware):
    """Another grid consistent with the published one in which the count at `target` differs, found as
    an alternating cycle of hidden counts through it; None if the search finds none."""
    truth, shown = true_grid(cells), shown_grid(table)
    last_row, last_column = len(cells), len(cells[0])

    def sign(i, j):  # the grid's line equations, with every line summing to zero: cells +, margins -
        return -1 if (i == last_row) != (j == last_column) else 1

    def allowed(i, j, change):
        low, high = bounds(truth[i][j], threshold=threshold, label_aware=label_aware)
        return low <= truth[i][j] + change <= high

    ti, tj = target
    for direction in (1, -1):
        if not allowed(ti, tj, direction * sign(ti, tj)):
            continue
        # From the target's column back to its row: column → row steps take -direction, row → column +.
        start, goal = ("column", tj), ("row", ti)
        reached_by = {start: None}
        queue = deque([start])
        while queue and goal not in reached_by:
            kind, index = node = queue.popleft()
            for other in range(last_column + 1 if kind == "row" else last_row + 1):
                i, j = (index, other) if kind == "row" else (other, index)
                nxt = ("column", other) if kind == "row" else ("row", other)
                step = direction if kind == "row" else -direction
                if (i, j) == target or nxt in reached_by or not hidden(shown[i][j]):
                    continue
                if allowed(i, j, step * sign(i, j)):
                    reached_by[nxt] = (node, (i, j), step)
                    queue.append(nxt)
        if goal in reached_by:
            other = [row[:] for row in truth]
            other[ti][tj] += direction * sign(ti, tj)
            node = goal
            while reached_by[node] is not None:
                node, (i, j), step = reached_by[node]
                other[i][j] += step * sign(i, j)
            return other
    return None


def check_certificate(cells, table, target, grid, *, threshold, label_aware):
    """The grid is a table consistent with everything published, within the reader's bounds, and the
    count at `target` differs from the truth."""
    truth, shown = true_grid(cells), shown_grid(table)
    height, width = len(cells), len(cells[0])
    for i in range(height):
        assert sum(grid[i][:width]) == grid[i][width]
    assert sum(grid[height][:width]) == grid[height][width]
    for j in range(width):
        assert sum(grid[i][j] for i in range(height)) == grid[height][j]
    for i, j in grid_positions(grid):
        if hidden(shown[i][j]):
            low, high = bounds(truth[i][j], threshold=threshold, label_aware=label_aware)
            assert low <= grid[i][j] <= high
        else:
            assert grid[i][j] == shown[i][j]
    assert grid[target[0]][target[1]] != truth[target[0]][target[1]]


# The properties every protected table has.


def check_basic(cells, table, *, threshold):
    """No published count is small; every published count is the true one; the line rule holds."""
    truth, shown = true_grid(cells), shown_grid(table)
    height, width = len(cells), len(cells[0])
    assert len(table.cells) == height
    assert all(len(row) == width for row in table.cells)
    for i, j in grid_positions(truth):
        if not hidden(shown[i][j]):
            assert shown[i][j] == truth[i][j]
            assert not small(shown[i][j], threshold)
        else:
            assert shown[i][j] == Suppressed(threshold)
            assert str(shown[i][j]) == f"<{threshold}"
    for i in range(height):
        if not hidden(table.row_totals[i]):
            assert sum(map(hidden, table.cells[i])) != 1
    for j in range(width):
        if not hidden(table.column_totals[j]):
            assert sum(hidden(row[j]) for row in table.cells) != 1


def protected_everywhere(cells, table, *, threshold, label_aware, exhaustive):
    """Every hidden count takes at least two values among the tables consistent with what is published."""
    truth, shown = true_grid(cells), shown_grid(table)
    cap = sum(map(sum, cells)) + threshold + 1
    for target in grid_positions(shown):
        if not hidden(shown[target[0]][target[1]]):
            continue
        if exhaustive:
            assert other_table_exists(
                cells, table, target, threshold=threshold, label_aware=label_aware, cap=cap
            ), f"{target} (true {truth[target[0]][target[1]]}) can be recomputed from {shown}"
        else:
            grid = certificate(cells, table, target, threshold=threshold, label_aware=label_aware)
            assert grid is not None, f"{target} (true {truth[target[0]][target[1]]}): no other table"
            check_certificate(cells, table, target, grid, threshold=threshold, label_aware=label_aware)


def labels_cannot_pin(cells, *, threshold):
    """Whether every hidden count can be protected from a reader of the labels: "<2" says 1, and a
    small total can pin its small cells (four hidden 1s whose total is 4); otherwise there is room."""
    totals = [*true_grid(cells)[-1], *map(sum, cells)]
    return threshold >= 3 and not any(small(value, threshold) for value in totals)


def tables(max_side, max_value):
    return st.integers(1, max_side).flatmap(
        lambda width: st.lists(
            st.lists(st.integers(0, max_value), min_size=width, max_size=width), min_size=1, max_size=max_side
        )
    )


# Hand-made examples.


def test_one_small_cell_hides_a_rectangle():
    cells = [[3, 10, 20], [12, 30, 40], [15, 25, 50]]
    table = protect_table(cells)
    # The 3 is hidden; its row and its column each need a second hidden cell (the smallest: 10 and 12),
    # which leaves row 1 and column 1 with one hidden cell each: 30 closes both.
    assert table == ProtectedTable(
        cells=((S, S, 20), (S, S, 40), (15, 25, 50)),
        row_totals=(33, 82, 90),
        column_totals=(30, 65, 110),
        total=205,
    )
    assert [[published(count) for count in row] for row in table.cells] == [
        ["<5", "<5", 20],
        ["<5", "<5", 40],
        [15, 25, 50],
    ]
    # What a reader can still tell about the hidden cells.
    assert disclosure_ranges(cells, table) == {
        ("cell", 0, 0): (1, 4),
        ("cell", 0, 1): (9, 12),
        ("cell", 1, 0): (11, 14),
        ("cell", 1, 1): (28, 31),
    }


def test_column_with_one_small_count():
    column = protect_column([120, 3, 45, 0])
    assert column == ProtectedColumn(cells=(120, S, S, 0), total=168)
    assert [published(count) for count in column.cells] == [120, "<5", "<5", 0]
    assert disclosure_ranges([120, 3, 45, 0], column) == {("cell", 1): (1, 4), ("cell", 2): (44, 47)}


def test_sentinel_prints_as_less_than_five():
    assert str(SUPPRESSED) == "<5"
    assert THRESHOLD == 5
    assert published(SUPPRESSED) == "<5"
    assert published(0) == 0
    assert published(17) == 17
    assert str(protect_column([2, 9, 9], threshold=3).cells[0]) == "<3"


def test_two_hidden_ones_are_not_enough_for_a_reader_of_the_labels():
    # 1 + 1 = 52 - 50: a reader who knows that "<5" means 1 to 4 finds both 1s.
    assert protect_column([1, 1, 50]) == ProtectedColumn(cells=(S, S, S), total=52)
    # Against non-negativity alone, two hidden counts suffice.
    plain = protect_column([1, 1, 50], label_aware=False)
    assert plain == ProtectedColumn(cells=(S, S, 50), total=52)
    assert disclosure_ranges([1, 1, 50], plain, label_aware=False) == {
        ("cell", 0): (0, 2),
        ("cell", 1): (0, 2),
    }
    assert disclosure_ranges([1, 1, 50], plain) == {("cell", 0): (1, 1), ("cell", 1): (1, 1)}


def test_small_total_is_hidden():
    column = protect_column([1, 0, 2])
    assert column == ProtectedColumn(cells=(S, 0, S), total=S)
    table = protect_table([[0, 3], [0, 0]])
    assert table == ProtectedTable(cells=((0, S), (0, 0)), row_totals=(S, 0), column_totals=(0, S), total=S)


def test_single_row_table_hides_column_totals():
    # Each column has a single cell: its total is the cell, so a hidden cell needs a hidden column total.
    table = protect_table([[3, 10, 20]])
    assert table == ProtectedTable(cells=((S, S, 20),), row_totals=(33,), column_totals=(S, S, 20), total=33)


def test_zero_hidden_only_when_the_other_choice_is_a_total():
    cells = [[15, 0, 2], [0, 2, 6]]
    table = protect_table(cells)
    # Row 0 pairs the 2 with 15 rather than 0. Column 0 then needs a partner for 15: its 0 or its
    # total; the hidden 0 (which can only go up) costs the reader less than a hidden total.
    assert table == ProtectedTable(
        cells=((S, 0, S), (S, S, S)), row_totals=(17, 8), column_totals=(15, S, S), total=25
    )
    protected_everywhere(cells, table, threshold=5, label_aware=True, exhaustive=True)
    # A zero total is the last resort: here the second row total goes with the small one, not the 0.
    assert protect_table([[0, 0], [15, 6], [0, 2]]) == ProtectedTable(
        cells=((0, 0), (15, S), (0, S)), row_totals=(0, S, S), column_totals=(15, 8), total=23
    )


def test_labels_alone_can_pin_counts():
    # Four hidden 1s with a total below 5: "<5" everywhere and each at least 1 leaves only 1s. Nothing
    # hidden can prevent it; the counts are protected against non-negativity alone.
    cells = [[1], [1], [1], [1]]
    table = protect_table(cells)
    assert all(hidden(value) for value in [*table.row_totals, *table.column_totals, table.total])
    assert disclosure_ranges(cells, table)[("cell", 0, 0)] == (1, 1)
    assert disclosure_ranges(cells, table, label_aware=False)[("cell", 0, 0)] == (0, None)


def test_empty_and_degenerate_tables():
    assert protect_table([]) == ProtectedTable(cells=(), row_totals=(), column_totals=(), total=0)
    assert protect_table([[]]) == ProtectedTable(cells=((),), row_totals=(0,), column_totals=(), total=0)
    assert protect_column([]) == ProtectedColumn(cells=(), total=0)
    assert protect_column([4]) == ProtectedColumn(cells=(S,), total=S)
    assert protect_column([3, 1], threshold=1) == ProtectedColumn(cells=(3, 1), total=4)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: protect_table([[1, 2], [3]]), "rectangular"),
        (lambda: protect_table([[1, -2]]), "non-negative"),
        (lambda: protect_column([1.5]), "non-negative"),
        (lambda: protect_column([True]), "non-negative"),
        (lambda: protect_column([1], threshold=0), "threshold"),
        (lambda: disclosure_ranges([[1, 2]], protect_table([[1, 2, 3]])), "shape"),
        (lambda: disclosure_ranges([[10, 20]], protect_table([[10, 21]])), "true count"),
    ],
)
def test_invalid_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# Properties on random tables.


@examples(400)
@given(cells=tables(4, 12), threshold=st.sampled_from([2, 3, 5]), label_aware=st.booleans())
def test_small_tables_exhaustively(cells, threshold, label_aware):
    table = protect_table(cells, threshold=threshold, label_aware=label_aware)
    check_basic(cells, table, threshold=threshold)
    assert protect_table(cells, threshold=threshold, label_aware=label_aware) == table
    protected_everywhere(cells, table, threshold=threshold, label_aware=False, exhaustive=True)
    if label_aware and labels_cannot_pin(cells, threshold=threshold):
        protected_everywhere(cells, table, threshold=threshold, label_aware=True, exhaustive=True)


@examples(200)
@given(cells=tables(3, 8), threshold=st.sampled_from([3, 5]), label_aware=st.booleans())
def test_disclosure_ranges_match_exhaustive_search(cells, threshold, label_aware):
    table = protect_table(cells, threshold=threshold, label_aware=label_aware)
    ranges = disclosure_ranges(cells, table, threshold=threshold, label_aware=label_aware)
    truth, shown = true_grid(cells), shown_grid(table)
    height, width = len(cells), len(cells[0])
    names = {(i, j): ("cell", i, j) for i in range(height) for j in range(width)}
    names |= {(i, width): ("row", i) for i in range(height)}
    names |= {(height, j): ("column", j) for j in range(width)}
    names[height, width] = ("total",)
    positions = [p for p in grid_positions(shown) if hidden(shown[p[0]][p[1]])]
    assert set(ranges) == {names[p] for p in positions}
    cap = sum(map(sum, cells)) + threshold + 1
    options = {"threshold": threshold, "label_aware": label_aware, "cap": cap}
    for p in positions:
        low, high = ranges[names[p]]
        true_value = truth[p[0]][p[1]]
        assert low <= true_value
        assert high is None or true_value <= high
        # Every value of the range is taken (up to the cap when unbounded); none outside it is.
        for candidate in range(low, (cap if high is None else high) + 1):
            assert table_exists(cells, table, p, candidate, candidate, **options), (p, candidate)
        assert not table_exists(cells, table, p, 0, low - 1, **options)
        if high is not None:
            assert not table_exists(cells, table, p, high + 1, float("inf"), **options)


@examples(150)
@given(
    cells=tables(8, 60) | tables(8, 8),
    threshold=st.sampled_from([3, 5]),
    label_aware=st.booleans(),
)
def test_medium_tables_with_certificates(cells, threshold, label_aware):
    table = protect_table(cells, threshold=threshold, label_aware=label_aware)
    check_basic(cells, table, threshold=threshold)
    protected_everywhere(cells, table, threshold=threshold, label_aware=False, exhaustive=False)
    if label_aware and labels_cannot_pin(cells, threshold=threshold):
        protected_everywhere(cells, table, threshold=threshold, label_aware=True, exhaustive=False)


@examples(100)
@given(
    cells=tables(6, 200).map(
        lambda rows: [[value if value == 0 or value >= THRESHOLD else 0 for value in row] for row in rows]
    )
)
def test_tables_without_small_counts_are_unchanged(cells):
    table = protect_table(cells)
    truth = true_grid(cells)
    assert table == ProtectedTable(
        cells=tuple(map(tuple, cells)),
        row_totals=tuple(row[-1] for row in truth[:-1]),
        column_totals=tuple(truth[-1][:-1]),
        total=truth[-1][-1],
    )


@pytest.mark.parametrize(("height", "width"), [(1, 1), (3, 4), (30, 20)])
def test_zeros_are_unchanged(height, width):
    cells = [[0] * width for _ in range(height)]
    assert protect_table(cells) == ProtectedTable(
        cells=tuple((0,) * width for _ in range(height)),
        row_totals=(0,) * height,
        column_totals=(0,) * width,
        total=0,
    )


@examples(300)
@given(
    values=st.lists(st.integers(0, 12), max_size=7),
    threshold=st.sampled_from([2, 3, 5]),
    label_aware=st.booleans(),
)
def test_columns(values, threshold, label_aware):
    column = protect_column(values, threshold=threshold, label_aware=label_aware)
    assert protect_column(values, threshold=threshold, label_aware=label_aware) == column
    # A column is the one-row table with its column totals dropped: check it as a one-column table.
    as_table = ProtectedTable(
        cells=tuple((count,) for count in column.cells),
        row_totals=column.cells,
        column_totals=(column.total,),
        total=column.total,
    )
    if values:
        cells = [[value] for value in values]
        check_basic(cells, as_table, threshold=threshold)
        assert sum(map(hidden, column.cells)) != 1 or hidden(column.total)
        protected_everywhere(cells, as_table, threshold=threshold, label_aware=False, exhaustive=True)
        if label_aware and threshold >= 3 and not small(sum(values), threshold):
            protected_everywhere(cells, as_table, threshold=threshold, label_aware=True, exhaustive=True)
    if not any(small(value, threshold) for value in [*values, sum(values)]):
        assert column == ProtectedColumn(cells=tuple(values), total=sum(values))


def test_report_sized_tables():
    generator = random.Random(2024)  # noqa: S311 (test data)
    for _ in range(5):
        # Report-like counts: mostly large, about one cell in five small, a few zeros.
        cells = [
            [generator.choice([0, *range(1, 5), *range(5, 400, 7), *range(5, 400, 13)]) for _ in range(20)]
            for _ in range(30)
        ]
        started = time.perf_counter()
        table = protect_table(cells)
        elapsed = time.perf_counter() - started
        assert elapsed < 5, f"{elapsed:.1f} s for a 30 × 20 table"
        check_basic(cells, table, threshold=THRESHOLD)
        assert protect_table(cells) == table
        protected_everywhere(cells, table, threshold=THRESHOLD, label_aware=False, exhaustive=False)
        protected_everywhere(cells, table, threshold=THRESHOLD, label_aware=True, exhaustive=False)
