"""An attacker for the tests: someone who holds everything a set of publications shows, knows how their
counts add up (from the definitions printed with them) and what each mark means, and works out with
integer programming (HiGHS through scipy.optimize.milp) the smallest and largest value every hidden count
can take. Written apart from stats.suppression, from the published tables themselves: what it knows is
listed by the test that builds its `Knowledge`."""

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_array

# What a mark tells: "<5" from 1 to 4, "x" 5 or more, "·" (or a count never shown) nothing.
MARK_RANGES = {"<5": (1, 4), "x": (5, np.inf), "·": (0, np.inf), None: (0, np.inf)}


@dataclass
class Knowledge:
    """What the attacker reads: each count as shown (an int, a mark, or None for a count that exists but
    is never shown), and the relations between them: total = sum(parts), and smaller <= larger."""

    shown: dict[Hashable, object] = field(default_factory=dict)
    sums: list[tuple[Hashable, list[Hashable]]] = field(default_factory=list)
    at_most: list[tuple[Hashable, Hashable]] = field(default_factory=list)

    def see(self, key: Hashable, value) -> None:
        """A count as a publication shows it; shown twice, it must read the same."""
        if key in self.shown and self.shown[key] != value:
            raise AssertionError(f"{key!r} shown as {self.shown[key]!r} and as {value!r}")
        self.shown[key] = value

    def exists(self, key: Hashable) -> None:
        """A count the reader knows exists without seeing it (what is left of a sum)."""
        self.shown.setdefault(key, None)

    def hidden(self) -> list[Hashable]:
        return [key for key, value in self.shown.items() if not isinstance(value, int)]


def ranges(knowledge: Knowledge) -> dict[Hashable, tuple[float, float]]:
    """For every hidden count (a mark, not a count never shown), its smallest and largest possible value
    given everything shown (inf: no upper bound)."""
    relations: list[tuple[dict, float, float]] = []
    for total, parts in knowledge.sums:
        coefficients: dict = defaultdict(int)
        for part in parts:
            coefficients[part] += 1
        coefficients[total] -= 1
        relations.append((coefficients, 0.0, 0.0))
    for smaller, larger in knowledge.at_most:
        relations.append(({smaller: 1, larger: -1}, -np.inf, 0.0))
    unknown = set(knowledge.hidden())
    touching: dict = defaultdict(list)
    for index, (coefficients, _low, _high) in enumerate(relations):
        for key in coefficients:
            if key in unknown:
                touching[key].append(index)
    found = {}
    for key in sorted(unknown, key=repr):
        if knowledge.shown[key] is None:
            continue
        group, stack = {key}, [key]
        while stack:
            for index in touching[stack.pop()]:
                for other in relations[index][0]:
                    if other in unknown and other not in group:
                        group.add(other)
                        stack.append(other)
        variables = sorted(group, key=repr)
        found[key] = (
            _extreme(key, variables, relations, touching, knowledge, 1),
            -_extreme(key, variables, relations, touching, knowledge, -1),
        )
    return found


def _extreme(key, variables, relations, touching, knowledge, sign) -> float:
    """The smallest value of sign * key over the hidden `variables`, the rest at their shown values."""
    position = {name: index for index, name in enumerate(variables)}
    rows = sorted({index for name in variables for index in touching[name]})
    matrix = lil_array((max(len(rows), 1), len(variables)))
    lower, upper = np.zeros(max(len(rows), 1)), np.zeros(max(len(rows), 1))
    for row, index in enumerate(rows):
        coefficients, low, high = relations[index]
        constant = 0
        for name, coefficient in coefficients.items():
            if name in position:
                matrix[row, position[name]] = coefficient
            else:
                constant += coefficient * knowledge.shown[name]
        lower[row], upper[row] = low - constant, high - constant
    low = [MARK_RANGES[knowledge.shown[name]][0] for name in variables]
    high = [MARK_RANGES[knowledge.shown[name]][1] for name in variables]
    cost = np.zeros(len(variables))
    cost[position[key]] = sign
    problem = {
        "integrality": np.ones(len(variables)),
        "bounds": Bounds(low, high),
        "constraints": [LinearConstraint(matrix.tocsr(), lower, upper)] if rows else [],
    }
    result = milp(cost, **problem)
    if result.status == 4:  # HiGHS's presolve could not tell unbounded from infeasible: is it feasible?
        feasible = milp(np.zeros(len(variables)), **problem)
        result = feasible if feasible.x is None else type(result)(status=3)
    if result.status == 3:  # unbounded: only a largest value can be
        return -np.inf
    assert result.x is not None, f"what is published contradicts itself around {key!r}"
    return sign * result.x[position[key]]


def disclosures(knowledge: Knowledge, truth: dict) -> list[str]:
    """What the attacker learns that a publication must not give away: a small count shown as it is, a
    hidden count worked out exactly, a hidden count from 1 to 4 narrowed within 1–4. Empty: safe."""
    found = []
    for key, value in knowledge.shown.items():
        if isinstance(value, int) and 1 <= value <= 4:
            found.append(f"{key!r}: a small count shown ({value})")
    for key, (low, high) in ranges(knowledge).items():
        true = truth[key]
        if low == high:
            found.append(f"{key!r}: worked out exactly ({true})")
        elif 1 <= true <= 4 and (low > 1 or high < 4):
            found.append(f"{key!r}: {true} narrowed to {low:g}–{high:g}")
    return found
