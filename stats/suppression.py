"""Small-cell protection of a publication: every count from 1 to 4 is hidden, and further counts are hidden
so that no hidden count can be worked out from everything the publication shows together.

A publication is described as a `System`: its counts (each published number that counts people,
sessions or activities, under one key however many tables show it) and what a reader knows binds them:
`line(total, parts)` (a total is the sum of its parts: a table's rows, a hierarchy such as an age group and
its bands, an institution's figures adding up to the centre's) and `bound(smaller, larger)` (a topic
counts at most the sessions). The tables of a report, its key figures and its drill-downs are one system,
so they are protected jointly (the "linked tables" of statistical offices).

Each hidden count carries a mark that tells the reader what it is, and what the reader may use:
- SMALL ("<5"): a count from 1 to 4 (primary suppression);
- HIDDEN ("x"): a count of 5 or more, hidden only so that a small one cannot be worked out;
- WITHHELD ("·"): a count not broken down, hidden whatever it is, zero included: the parts of a total below
  5 (a published 0 next to two "<5" under a "<5" total would pin them), and any count whose mark would
  tell too much (a "<5" whose neighbours' marks leave it one value).

The guarantee, checked exactly with integer programming (HiGHS through scipy.optimize.milp) over every
table, total and key figure of the system at once, with the reader knowing every published count, every
relation and every mark's range: no hidden count can be worked out exactly, and a hidden count from 1 to
4 can still be anything from 1 to 4. Which counts are hidden alongside a small one is chosen by a fixed
draw among the counts of 5 or more, never by their size, so that the choice tells nothing about them;
the fewest are hidden (cells before totals, totals before headline figures).

Pure functions on plain numbers, no Django.
"""

import hashlib
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_array

THRESHOLD = 5
SMALL = "<5"
HIDDEN = "x"
WITHHELD = "·"
MARKS = (SMALL, HIDDEN, WITHHELD)
_UNPUBLISHED = "unpublished"  # never shown: the reader knows only that it is a non-negative count

Key = Hashable

# What hiding a count costs, by its place: a cell of a table, a margin (a subtotal), a headline figure.
CELL, MARGIN, HEADLINE = 1.0, 8.0, 64.0


@dataclass
class System:
    """Counts and the relations between them that a reader of the publication knows."""

    values: dict[Key, int] = field(default_factory=dict)
    costs: dict[Key, float] = field(default_factory=dict)
    lines: list[tuple[Key, tuple[Key, ...]]] = field(default_factory=list)
    bounds: list[tuple[Key, Key]] = field(default_factory=list)
    unpublished: set[Key] = field(default_factory=set)

    def count(self, key: Key, value: int, *, cost: float = CELL, published: bool = True) -> Key:
        """Adds a count (the same key twice must have the same value; the higher cost is kept). An
        unpublished count is one the reader knows exists but never sees (part of a published sum)."""
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{key!r}: counts are non-negative ints, not {value!r}")
        if self.values.setdefault(key, value) != value:
            raise ValueError(f"{key!r}: two values, {self.values[key]} and {value}")
        self.costs[key] = max(self.costs.get(key, cost), cost)
        if not published:
            self.unpublished.add(key)
        return key

    def line(self, total: Key, parts: Iterable[Key]) -> None:
        """`total` is the sum of `parts` (every key already counted, the sum checked)."""
        parts = tuple(parts)
        if sum(self.values[part] for part in parts) != self.values[total]:
            raise ValueError(f"{total!r} is not the sum of its parts")
        self.lines.append((total, parts))

    def bound(self, smaller: Key, larger: Key) -> None:
        """`smaller` is at most `larger` (a count of mentions against the count of what is mentioned)."""
        if self.values[smaller] > self.values[larger]:
            raise ValueError(f"{smaller!r} is larger than {larger!r}")
        self.bounds.append((smaller, larger))


def protect(system: System, *, threshold: int = THRESHOLD, salt: str = "") -> dict[Key, str]:
    """The mark of every hidden count (keys absent from the result are published as they are). `salt`
    seeds the fixed draw (the same system and salt: the same marks)."""
    return _Protection(system, threshold, salt).run()


def ranges(
    system: System, marks: dict[Key, str], *, threshold: int = THRESHOLD
) -> dict[Key, tuple[int, int | None]]:
    """For each hidden count, the smallest and largest value it can take given everything published, the
    relations and the marks (None: no upper bound): what the most informed reader can work out."""
    work = _Protection(system, threshold, "")
    work.marks = dict.fromkeys(system.unpublished, _UNPUBLISHED) | dict(marks)
    return {key: work.range_of(key) for key in sorted(marks, key=repr)}


def mark_range(mark: str, *, threshold: int = THRESHOLD) -> tuple[int, int | None]:
    """What a mark tells the reader: "<5" from 1 to 4, "x" 5 or more, "·" nothing."""
    if mark == SMALL:
        return 1, threshold - 1
    return (threshold, None) if mark == HIDDEN else (0, None)


class _Protection:
    def __init__(self, system: System, threshold: int, salt: str):
        if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
            raise ValueError(f"the threshold must be a positive int, not {threshold!r}")
        self.system, self.threshold, self.salt = system, threshold, salt
        self.values = system.values
        self.marks: dict[Key, str] = {}
        # Each relation as (coefficients by key, lower, upper) on sum(coefficient * value).
        self.relations: list[tuple[dict[Key, int], float, float]] = []
        for total, parts in system.lines:
            coefficients: dict[Key, int] = defaultdict(int)
            for part in parts:
                coefficients[part] += 1
            coefficients[total] -= 1
            self.relations.append((dict(coefficients), 0, 0))
        for smaller, larger in system.bounds:
            self.relations.append(({smaller: 1, larger: -1}, -np.inf, 0))
        self.touching: dict[Key, list[int]] = defaultdict(list)
        for index, (coefficients, _low, _high) in enumerate(self.relations):
            for key in coefficients:
                self.touching[key].append(index)

    # --- marks ---------------------------------------------------------------------------------------

    def small(self, key: Key) -> bool:
        return 1 <= self.values[key] < self.threshold

    def run(self) -> dict[Key, str]:
        for key in self.values:
            if key in self.system.unpublished:
                self.marks[key] = _UNPUBLISHED
            elif self.small(key):
                self.marks[key] = SMALL
        # A total below the threshold is not broken down: its parts are withheld, zeros included, and so
        # are the parts of a withheld part that is itself a total.
        changed = True
        while changed:
            changed = False
            for total, parts in self.system.lines:
                if self.marks.get(total) in (SMALL, WITHHELD):
                    for part in parts:
                        if self.marks.get(part) not in (WITHHELD, _UNPUBLISHED):
                            self.marks[part] = WITHHELD
                            changed = True
        pending = sorted((key for key, mark in self.marks.items() if mark != _UNPUBLISHED), key=repr)
        while pending:
            key = pending.pop()
            target = self.failing_target(key)
            if target is None:
                continue
            added = self.hide_for(key, target)
            pending.extend([key, *sorted(added, key=repr)])
        # A withheld zero that the reader can work out anyway is shown as the zero it is: showing what can
        # be worked out changes nothing a reader can know.
        for key in sorted(self.marks, key=repr):
            if self.marks[key] == WITHHELD and self.values[key] == 0:
                largest = self.solve(self.component(key), {key: -1})
                if largest != "unbounded" and largest is not None and largest[key] == 0:
                    del self.marks[key]
        return {key: mark for key, mark in self.marks.items() if mark != _UNPUBLISHED}

    def bounds_of(self, key: Key) -> tuple[float, float]:
        mark = self.marks.get(key)
        if mark is None:
            return self.values[key], self.values[key]
        low, high = mark_range(mark, threshold=self.threshold)
        return low, np.inf if high is None else high

    # --- what a reader can work out ---------------------------------------------------------------------

    def component(self, key: Key) -> list[Key]:
        """The hidden counts linked to `key` through relations with hidden counts."""
        seen, stack = {key}, [key]
        while stack:
            for index in self.touching[stack.pop()]:
                for other in self.relations[index][0]:
                    if other not in seen and other in self.marks:
                        seen.add(other)
                        stack.append(other)
        return sorted(seen, key=repr)

    def solve(self, keys: list[Key], objective: dict[Key, float], fixed: dict[Key, int] | None = None):
        """Minimises `objective` over the hidden `keys` (the others at their published values); the
        solution by key, or None when infeasible, or "unbounded"."""
        position = {key: index for index, key in enumerate(keys)}
        low = np.array([self.bounds_of(key)[0] for key in keys], dtype=float)
        high = np.array([self.bounds_of(key)[1] for key in keys], dtype=float)
        for key, value in (fixed or {}).items():
            low[position[key]] = high[position[key]] = value
        matrix, lower, upper, rows = self.relation_rows(position, len(keys))
        cost = np.zeros(len(keys))
        for key, weight in objective.items():
            cost[position[key]] = weight
        result = milp(
            cost,
            integrality=np.ones(len(keys)),
            bounds=Bounds(low, high),
            constraints=[LinearConstraint(matrix.tocsr(), lower, upper)] if rows else [],
        )
        if result.status == 3:  # unbounded
            return "unbounded"
        if result.x is None:
            return None
        return {key: round(result.x[position[key]]) for key in keys}

    def relation_rows(self, position: dict[Key, int], columns: int, extra: int = 0):
        """The relations touching the counts of `position` as rows of a constraint matrix over `columns`
        variables (the other counts at their values), with `extra` empty rows after them: (matrix,
        lower bounds, upper bounds, number of relation rows)."""
        indices = sorted({index for key in position for index in self.touching[key]})
        height = max(len(indices) + extra, 1)
        matrix, lower, upper = lil_array((height, columns)), np.zeros(height), np.zeros(height)
        for row, index in enumerate(indices):
            coefficients, row_low, row_high = self.relations[index]
            constant = 0
            for key, coefficient in coefficients.items():
                if key in position:
                    matrix[row, position[key]] = coefficient
                else:
                    constant += coefficient * self.values[key]
            lower[row], upper[row] = row_low - constant, row_high - constant
        return matrix, lower, upper, len(indices)

    def range_of(self, key: Key) -> tuple[int, int | None]:
        keys = self.component(key)
        smallest = self.solve(keys, {key: 1})
        largest = self.solve(keys, {key: -1})
        if smallest is None or largest is None:
            raise ValueError("the published counts contradict each other")
        high = None if largest == "unbounded" else largest[key]
        return smallest[key], high

    def failing_target(self, key: Key) -> int | None:
        """A value the hidden count must be able to take and cannot (None: it is protected)."""
        value = self.values[key]
        if value == 0:
            return None  # a zero withheld with its line: knowing it is zero tells nothing
        keys = self.component(key)
        wanted = [1, self.threshold - 1] if self.small(key) else []
        for target in wanted:
            if self.solve(keys, {}, fixed={key: target}) is None:
                return target
        if wanted:
            return None  # 1 and threshold - 1 both possible: not exact either
        for target in (value + 1, value - 1):
            if target >= 0 and self.solve(keys, {}, fixed={key: target}) is not None:
                return None
        return value + 1

    # --- hiding more -------------------------------------------------------------------------------------

    def draw(self, key: Key) -> float:
        """A fixed number in [0, 1) for a count: the order among counts of equal cost."""
        digest = hashlib.blake2b(f"{self.salt}|{key!r}".encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big") / 2**64

    def neighbourhood(self, key: Key, hops: int | None) -> set[Key]:
        """The counts within `hops` relations of `key` (None: every count linked to it)."""
        reached, frontier, step = {key}, [key], 0
        while frontier and (hops is None or step < hops):
            step += 1
            following = []
            for current in frontier:
                for index in self.touching[current]:
                    for other in self.relations[index][0]:
                        if other not in reached:
                            reached.add(other)
                            following.append(other)
            frontier = following
        return reached

    def hide_for(self, key: Key, target: int) -> list[Key]:
        """Hides or withholds the cheapest counts that let `key` take `target`; the counts changed."""
        # The nearest counts first: a cover found close by is cheap to find and small.
        for hops in (2, 3, 4, None):
            chosen = self.cheapest_cover(key, target, self.neighbourhood(key, hops))
            if chosen:
                self.marks.update(chosen)
                return list(chosen)
        raise ValueError(f"{key!r} cannot be protected")

    def cheapest_cover(self, key: Key, target: int, area: set[Key]) -> dict[Key, str] | None:
        """An integer programme: the values of the counts in `area` such that `key` equals `target`, where
        a published count may leave its value only if hidden ("x": 5 or more) and any count may lose what
        its mark tells if withheld ("·"), each at a cost; the cheapest marks to add, or None."""
        keys = sorted(area, key=repr)
        position = {other: index for index, other in enumerate(keys)}
        # No count of a witness table needs to exceed twice the largest count near by (a smaller bound
        # only narrows the search: any cover found is still a true one).
        big = 2 * max(self.values[other] for other in keys) + self.threshold * 4 + target
        low = np.array([self.bounds_of(other)[0] for other in keys], dtype=float)
        high = np.array([self.bounds_of(other)[1] for other in keys], dtype=float)
        # The choices: (count, new mark, its cost, bounds it lifts: lower to, upper to).
        choices = []
        for other in keys:
            if other == key:
                continue
            value, mark, weight = self.values[other], self.marks.get(other), self.cost(other)
            if mark is None and value >= self.threshold:
                choices.append((other, HIDDEN, weight, self.threshold, big))
            elif mark is None or mark in (SMALL, HIDDEN):
                choices.append((other, WITHHELD, 2 * weight, 0, big))
        low[position[key]] = high[position[key]] = target
        n, m = len(keys), len(choices)
        low, high = np.concatenate([low, np.zeros(m)]), np.concatenate([high, np.ones(m)])
        matrix, lower, upper, rows = self.relation_rows(position, n + m, extra=2 * m)
        cost = np.zeros(n + m)
        for number, (other, _mark, weight, lifted_low, lifted_high) in enumerate(choices):
            column, where = n + number, position[other]
            # value >= low - (low - lifted_low) * chosen; value <= high + (lifted_high - high) * chosen
            row = rows + 2 * number
            matrix[row, where], matrix[row, column] = 1, low[where] - lifted_low
            lower[row], upper[row] = low[where], np.inf
            rise = lifted_high - high[where] if np.isfinite(high[where]) else 0
            matrix[row + 1, where], matrix[row + 1, column] = 1, -rise
            lower[row + 1], upper[row + 1] = -np.inf, high[where] if np.isfinite(high[where]) else np.inf
            low[where], high[where] = min(low[where], lifted_low), max(high[where], lifted_high)
            cost[column] = weight
        result = milp(
            cost,
            integrality=np.ones(n + m),
            bounds=Bounds(low, high),
            constraints=[LinearConstraint(matrix.tocsr(), lower, upper)],
            # A good cover soon rather than the best one late: any cover found protects.
            options={"time_limit": 2.0, "mip_rel_gap": 0.25},
        )
        if result.x is None:
            return None
        return {
            other: mark for number, (other, mark, *_rest) in enumerate(choices) if result.x[n + number] > 0.5
        }

    def cost(self, key: Key) -> float:
        """What hiding a count costs: its place (cell, margin, headline), times a fixed draw in [1, 1.5)."""
        return self.system.costs.get(key, CELL) * (1 + self.draw(key) / 2)
