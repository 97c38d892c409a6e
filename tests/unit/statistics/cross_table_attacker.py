"""An attacker of several published tables at once, written apart from the suppression code.

It knows what a reader of a release knows: every shown value of every table, that each
table's totals are sums, that a ``[c]`` holds at least 1, and which numbers two tables both
show (a total in one and the same total in another). For one suppressed cell it looks for
another set of tables, consistent with all of that, in which the cell differs: one unknown
per suppressed number (a number hidden in two tables is one unknown; a number hidden in one
table but shown in another is known), changes of -1, 0 or +1, every row and column of every
table still adding up. Finding one proves the cell cannot be worked out by differencing; "no
witness" may be a false alarm (larger changes are not tried), never a false all-clear.
"""

from __future__ import annotations

from collections.abc import Sequence

Grid = list[list[int | None]]
Truth = list[list[int]]
Spot = tuple[int, int, int]
"""A cell of one table: (table, row, column), totals last."""


def _constraints(truths: Sequence[Truth]) -> list[tuple[list[Spot], Spot]]:
    """Each table's rows and columns: (the cells, the total they add up to)."""
    found: list[tuple[list[Spot], Spot]] = []
    for t, truth in enumerate(truths):
        last_row, last_column = len(truth) - 1, len(truth[0]) - 1
        for r in range(len(truth)):
            found.append(([(t, r, c) for c in range(last_column)], (t, r, last_column)))
        for c in range(len(truth[0])):
            found.append(([(t, r, c) for r in range(last_row)], (t, last_row, c)))
    return found


def can_be_derived_across(
    published: Sequence[Grid],
    truths: Sequence[Truth],
    same_numbers: Sequence[Sequence[Spot]],
    target: Spot,
) -> bool:
    """True when no alternative set of tables gives ``target`` another value."""
    t, r, c = target
    if published[t][r][c] is not None:
        return True
    unknown: dict[Spot, int] = {}  # spot -> its unknown's index
    known: set[Spot] = set()
    names: list[Spot] = []
    for group in same_numbers:
        if any(published[g][gr][gc] is not None for g, gr, gc in group):
            known.update(group)
        elif group:
            for spot in group:
                unknown[spot] = len(names)
            names.append(group[0])
    for g, grid in enumerate(published):
        for gr, row in enumerate(grid):
            for gc, value in enumerate(row):
                spot = (g, gr, gc)
                if value is None and spot not in known and spot not in unknown:
                    unknown[spot] = len(names)
                    names.append(spot)
    return not any(_witness(truths, unknown, names, unknown[target], step) for step in (1, -1))


def _witness(
    truths: Sequence[Truth],
    unknown: dict[Spot, int],
    names: list[Spot],
    target: int,
    step: int,
) -> bool:
    """Depth-first search over the unknowns in order, checking each row and column as soon as
    its last unknown is set."""
    checks: dict[int, list[tuple[list[Spot], Spot]]] = {}
    for cells, total in _constraints(truths):
        involved = [unknown[s] for s in (*cells, total) if s in unknown]
        if involved:
            checks.setdefault(max(involved), []).append((cells, total))
    change: list[int] = [0] * len(names)

    def delta(spot: Spot) -> int:
        index = unknown.get(spot)
        return 0 if index is None else change[index]

    def holds(index: int) -> bool:
        return all(
            sum(delta(s) for s in cells) == delta(total) for cells, total in checks.get(index, [])
        )

    def search(index: int) -> bool:
        if index == len(names):
            return True
        t, r, c = names[index]
        options = (step,) if index == target else (0, 1, -1)
        for option in options:
            if truths[t][r][c] + option < 1:
                continue
            change[index] = option
            if holds(index) and search(index + 1):
                return True
        change[index] = 0
        return False

    return search(0)
