"""Small-cell protection for the tables of counts published in the annual report.

A count from 1 to `threshold - 1` (1 to 4 by default) is never published: it is shown as "<5" (primary
suppression). Zero is published: it reveals nothing. Totals are computed from the true counts and follow
the same rule. Secondary suppression then hides further counts so that no hidden one can be recomputed
from what is published: the cells, the row and column totals and the grand total.

How. A table with its margins is a circulation on a small network: source → row i (the row total), row
i → column j (the cell), column j → sink (the column total), sink → source (the grand total). A
published count fixes the flow on its arc; a hidden one is only known to lie within bounds. A hidden
count can take another value in a table consistent with everything published exactly when it lies on a
cycle of the residual network (every arc of the cycle can move by one in its direction), and since the
constraint matrix of a network is totally unimodular, that other table has integer counts. Hence:

1. primary suppression: every count (cell or total) from 1 to threshold - 1;
2. the line rule, iterated until stable: no row, column or line of totals has exactly one hidden count
   (the smallest non-zero cell of the line is hidden next; a zero cell only if none is left, a total only
   if the line has no cell left, a zero total last);
3. the exact check: every hidden count must lie on a residual cycle; when one does not, the cheapest
   cycle through it (Dijkstra, same order of preference) is hidden. Hiding only adds arcs, so a
   protected count stays protected, and the counts of the new cycle are protected by it: one pass over
   the hidden counts suffices (plus the few that the fallback below hides).

Readers know more than non-negativity: zeros are published, so a hidden count that is small is at least
1, and the label says it is below the threshold. With `label_aware` (the default) the check bounds every
primary count to 1..threshold-1 (as if the reader knew which hidden counts are primary: conservative);
where the labels alone pin a count whatever is hidden (four hidden 1s whose hidden total is 4), the
count is protected against a reader who only uses non-negativity. Either way no hidden count can be
recomputed from the published counts, the margins and non-negativity. Secondary counts print as "<5"
too (one sentinel), whatever their value; the check gives them no upper bound.

Pure functions, no Django: the tables are lists of lists of non-negative ints.
"""

import heapq
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeAlias

THRESHOLD = 5


@dataclass(frozen=True)
class Suppressed:
    """A hidden count; it prints as "<5" (less than the threshold)."""

    threshold: int = THRESHOLD

    def __str__(self) -> str:
        return f"<{self.threshold}"


SUPPRESSED = Suppressed()

Count: TypeAlias = int | Suppressed
# ("cell", i, j), ("row", i), ("column", j) or ("total",) in a table; ("cell", i) or ("total",) in a column.
Position: TypeAlias = tuple[str | int, ...]


@dataclass(frozen=True)
class ProtectedTable:
    cells: tuple[tuple[Count, ...], ...]
    row_totals: tuple[Count, ...]
    column_totals: tuple[Count, ...]
    total: Count


@dataclass(frozen=True)
class ProtectedColumn:
    cells: tuple[Count, ...]
    total: Count


def published(value: Count) -> int | str:
    """The value as printed: the count itself, or "<5" for a suppressed one."""
    return str(value) if isinstance(value, Suppressed) else value


def protect_table(
    cells: Sequence[Sequence[int]], *, threshold: int = THRESHOLD, label_aware: bool = True
) -> ProtectedTable:
    """The table with its row, column and grand totals, every count that is small or would let one be
    recomputed replaced by a Suppressed sentinel; the other counts are the true ones."""
    rows = _checked_table(cells)
    network = _table_network(rows, threshold=_checked_threshold(threshold))
    _protect(network, label_aware=label_aware)
    return _table_result(network, len(rows), len(rows[0]) if rows else 0)


def protect_column(
    values: Sequence[int], *, threshold: int = THRESHOLD, label_aware: bool = True
) -> ProtectedColumn:
    """A one-dimensional table (the counts and their total) protected by the same rules as `protect_table`."""
    counts = _checked_counts(values)
    network = _column_network(counts, threshold=_checked_threshold(threshold))
    _protect(network, label_aware=label_aware)
    shown = [network.shown(edge) for edge in range(len(network.values))]
    return ProtectedColumn(cells=tuple(shown[:-1]), total=shown[-1])


def disclosure_ranges(
    cells: Sequence[Sequence[int]] | Sequence[int],
    protected: ProtectedTable | ProtectedColumn,
    *,
    threshold: int = THRESHOLD,
    label_aware: bool = True,
) -> dict[Position, tuple[int, int | None]]:
    """For each suppressed count of `protected` (made from the true `cells`), the smallest and largest
    value it takes among the integer tables consistent with what is published (None: no upper bound)."""
    threshold = _checked_threshold(threshold)
    if isinstance(protected, ProtectedColumn):
        network = _column_network(_checked_counts(cells), threshold=threshold)
        shown: list[Count] = [*protected.cells, protected.total]
        positions: list[Position] = [("cell", i) for i in range(len(protected.cells))] + [("total",)]
    else:
        rows = _checked_table(cells)
        network = _table_network(rows, threshold=threshold)
        shown = [count for row in protected.cells for count in row]
        shown += [*protected.row_totals, *protected.column_totals, protected.total]
        positions = [("cell", i, j) for i, row in enumerate(rows) for j in range(len(row))]
        positions += [("row", i) for i in range(len(rows))]
        positions += [("column", j) for j in range(len(rows[0]) if rows else 0)]
        positions += [("total",)]
    if len(shown) != len(network.values):
        raise ValueError("the protected table does not have the shape of the cells")
    for edge, count in enumerate(shown):
        if isinstance(count, Suppressed):
            network.hidden[edge] = True
        elif count != network.values[edge]:
            raise ValueError(f"{positions[edge]}: published {count}, true count {network.values[edge]}")
    return {
        positions[edge]: _range(network, edge, label_aware=label_aware)
        for edge in range(len(shown))
        if network.hidden[edge]
    }


# The network: arc e goes from tails[e] to heads[e] and carries values[e]. Node 0 is the source, node 1
# the sink. `weights` orders the candidates for secondary suppression (lowest first).


@dataclass
class _Network:
    node_count: int
    tails: list[int]
    heads: list[int]
    values: list[int]
    weights: list[int]
    threshold: int
    hidden: list[bool]
    # Per node: (arc, the other end, True when the arc leaves the node).
    incidence: list[list[tuple[int, int, bool]]]

    def primary(self, edge: int) -> bool:
        return 1 <= self.values[edge] < self.threshold

    def bounds(self, edge: int, *, label_aware: bool) -> tuple[int, int | None]:
        if label_aware and self.primary(edge):
            return 1, self.threshold - 1
        return 0, None

    def shown(self, edge: int) -> Count:
        if not self.hidden[edge]:
            return self.values[edge]
        return SUPPRESSED if self.threshold == THRESHOLD else Suppressed(self.threshold)


def _network(node_count: int, arcs: list[tuple[int, int, int, bool]], threshold: int) -> _Network:
    """Arcs are (tail, head, value, is_total). Hiding costs: non-zero cells by value, then zero cells
    (a hidden zero can only go up: it protects little), then non-zero totals by value, then zero totals;
    each tier costs more than any path through the cheaper ones."""
    factor = len(arcs) + 1  # the count of hidden arcs only breaks ties between equal values
    grand = sum(value for *_, value, is_total in arcs if not is_total)
    zero_cell = factor * (grand + 1)
    total_base = zero_cell * factor
    zero_total = (total_base + grand * factor + 1) * factor

    def weight(value: int, is_total: bool) -> int:
        if is_total:
            return total_base + value * factor + 1 if value else zero_total
        return value * factor + 1 if value else zero_cell

    weights = [weight(value, is_total) for *_, value, is_total in arcs]
    incidence: list[list[tuple[int, int, bool]]] = [[] for _ in range(node_count)]
    for edge, (tail, head, _, _) in enumerate(arcs):
        incidence[tail].append((edge, head, True))
        incidence[head].append((edge, tail, False))
    return _Network(
        node_count=node_count,
        tails=[arc[0] for arc in arcs],
        heads=[arc[1] for arc in arcs],
        values=[arc[2] for arc in arcs],
        weights=weights,
        threshold=threshold,
        hidden=[False] * len(arcs),
        incidence=incidence,
    )


def _table_network(rows: list[list[int]], *, threshold: int) -> _Network:
    """Arcs in order: the cells row by row, the row totals, the column totals, the grand total."""
    height, width = len(rows), len(rows[0]) if rows else 0
    row_node, column_node = 2, 2 + height
    arcs = [(row_node + i, column_node + j, rows[i][j], False) for i in range(height) for j in range(width)]
    arcs += [(0, row_node + i, sum(rows[i]), True) for i in range(height)]
    arcs += [(column_node + j, 1, sum(row[j] for row in rows), True) for j in range(width)]
    arcs.append((1, 0, sum(map(sum, rows)), True))
    return _network(2 + height + width, arcs, threshold)


def _column_network(counts: list[int], *, threshold: int) -> _Network:
    arcs = [(0, 1, value, False) for value in counts]
    arcs.append((1, 0, sum(counts), True))
    return _network(2, arcs, threshold)


def _table_result(network: _Network, height: int, width: int) -> ProtectedTable:
    shown = [network.shown(edge) for edge in range(len(network.values))]
    cells = tuple(tuple(shown[i * width : (i + 1) * width]) for i in range(height))
    margins = height * width
    return ProtectedTable(
        cells=cells,
        row_totals=tuple(shown[margins : margins + height]),
        column_totals=tuple(shown[margins + height : margins + height + width]),
        total=shown[-1],
    )


def _protect(network: _Network, *, label_aware: bool) -> None:
    for edge in range(len(network.values)):
        network.hidden[edge] = network.primary(edge)
    _line_rule(network)
    queue = deque(edge for edge, hidden in enumerate(network.hidden) if hidden)
    while queue:
        edge = queue.popleft()
        if _protected(network, edge, label_aware=label_aware):
            continue
        added = _hide_cycle(network, edge, label_aware=True) if label_aware else None
        if added is None and not (label_aware and _protected(network, edge, label_aware=False)):
            # The labels alone pin this count: protect it at least against non-negativity.
            added = _hide_cycle(network, edge, label_aware=False)
        queue.extend(added or ())


def _line_rule(network: _Network) -> None:
    """Until no node has exactly one hidden arc: hide the cheapest published arc of the first such node."""
    node = 0
    while node < network.node_count:
        arcs = network.incidence[node]
        candidates = [edge for edge, _, _ in arcs if not network.hidden[edge]]
        if len(arcs) - len(candidates) == 1 and candidates:
            network.hidden[min(candidates, key=lambda edge: (network.weights[edge], edge))] = True
            node = 0
        else:
            node += 1


def _protected(network: _Network, edge: int, *, label_aware: bool) -> bool:
    """Whether the hidden arc lies on a cycle of hidden arcs that can all move by one."""
    low, high = network.bounds(edge, label_aware=label_aware)
    value, tail, head = network.values[edge], network.tails[edge], network.heads[edge]

    def closes(source: int, target: int) -> bool:
        return _cheapest_path(network, edge, source, target, label_aware=label_aware) is not None

    # Up: a path back from head to tail closes a cycle; down: a path from tail to head.
    return ((high is None or value < high) and closes(head, tail)) or (value > low and closes(tail, head))


def _hide_cycle(network: _Network, edge: int, *, label_aware: bool) -> list[int] | None:
    """Hides the published arcs of the cheapest cycle that would protect the arc; the newly hidden arcs,
    or None when no cycle exists even with every count hidden."""
    low, high = network.bounds(edge, label_aware=label_aware)
    value, tail, head = network.values[edge], network.tails[edge], network.heads[edge]
    options = []
    if high is None or value < high:
        options.append(_cheapest_path(network, edge, head, tail, label_aware=label_aware, hiding=True))
    if value > low:
        options.append(_cheapest_path(network, edge, tail, head, label_aware=label_aware, hiding=True))
    found = [option for option in options if option is not None]
    if not found:
        return None
    _, path = min(found, key=lambda option: option[0])
    added = [arc for arc in path if not network.hidden[arc]]
    for arc in added:
        network.hidden[arc] = True
    return added


def _cheapest_path(
    network: _Network, excluded: int, source: int, target: int, *, label_aware: bool, hiding: bool = False
) -> tuple[int, list[int]] | None:
    """The cheapest residual path from source to target avoiding the excluded arc: hidden arcs are free
    where their bounds leave room, published ones cost their weight (only when `hiding`)."""
    best = {source: 0}
    reached_by: dict[int, tuple[int, int]] = {}
    heap = [(0, source)]
    done = set()
    while heap:
        cost, node = heapq.heappop(heap)
        if node in done:
            continue
        if node == target:
            path = []
            while node != source:
                arc, node = reached_by[node]
                path.append(arc)
            return cost, path[::-1]
        done.add(node)
        for arc, other, leaving in network.incidence[node]:
            if arc == excluded or other in done:
                continue
            value = network.values[arc]
            if network.hidden[arc]:
                low, high = network.bounds(arc, label_aware=label_aware)
                usable = (high is None or value < high) if leaving else value > low
                step = 0
            else:
                usable = hiding and (leaving or value > 0)
                step = network.weights[arc]
            if usable and cost + step < best.get(other, cost + step + 1):
                best[other] = cost + step
                reached_by[other] = (arc, node)
                heapq.heappush(heap, (cost + step, other))
    return None


def _range(network: _Network, edge: int, *, label_aware: bool) -> tuple[int, int | None]:
    low, high = network.bounds(edge, label_aware=label_aware)
    value, tail, head = network.values[edge], network.tails[edge], network.heads[edge]
    up = _max_flow(
        network, edge, head, tail, label_aware=label_aware, limit=None if high is None else high - value
    )
    down = _max_flow(network, edge, tail, head, label_aware=label_aware, limit=value - low)
    return low if down is None else value - down, None if up is None else value + up


def _max_flow(
    network: _Network, excluded: int, source: int, target: int, *, label_aware: bool, limit: int | None
) -> int | None:
    """How much the hidden arcs (all but the excluded one) can carry from source to target around the
    true counts, within their bounds, up to the limit (Edmonds–Karp); None when unbounded."""
    capacity: dict[tuple[int, int], int | None] = {}  # None: no upper bound
    for arc, hidden in enumerate(network.hidden):
        if hidden and arc != excluded:
            low, high = network.bounds(arc, label_aware=label_aware)
            value, tail, head = network.values[arc], network.tails[arc], network.heads[arc]
            for start, end, room in (
                (tail, head, None if high is None else high - value),
                (head, tail, value - low),
            ):
                before = capacity.get((start, end), 0)
                capacity[start, end] = None if before is None or room is None else before + room
                capacity.setdefault((end, start), 0)
    neighbours: dict[int, list[int]] = {}
    for start, end in sorted(capacity):
        neighbours.setdefault(start, []).append(end)

    def augmenting_path(unbounded_only: bool) -> list[tuple[int, int]] | None:
        reached_by = {source: source}
        queue = deque([source])
        while queue and target not in reached_by:
            node = queue.popleft()
            for other in neighbours.get(node, ()):
                room = capacity[node, other]
                if other not in reached_by and (room is None if unbounded_only else room != 0):
                    reached_by[other] = node
                    queue.append(other)
        if target not in reached_by:
            return None
        path, node = [], target
        while node != source:
            path.append((reached_by[node], node))
            node = reached_by[node]
        return path

    if limit is None and augmenting_path(unbounded_only=True) is not None:
        return None
    # Now every path has a bounded arc: the flow is finite.
    flow = 0
    while limit is None or flow < limit:
        path = augmenting_path(unbounded_only=False)
        if path is None:
            break
        rooms = [room for room in map(capacity.get, path) if room is not None]
        push = min(rooms if limit is None else [limit - flow, *rooms])
        for start, end in path:
            room, back = capacity[start, end], capacity[end, start]
            capacity[start, end] = None if room is None else room - push
            capacity[end, start] = None if back is None else back + push
        flow += push
    return flow


def _checked_threshold(threshold: int) -> int:
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
        raise ValueError(f"the threshold must be a positive int, not {threshold!r}")
    return threshold


def _checked_counts(values: Sequence[int]) -> list[int]:
    counts = list(values)
    for value in counts:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"counts must be non-negative ints, not {value!r}")
    return counts


def _checked_table(cells: Sequence[Sequence[int]]) -> list[list[int]]:
    rows = [_checked_counts(row) for row in cells]
    if any(len(row) != len(rows[0]) for row in rows):
        raise ValueError("the table must be rectangular")
    return rows
