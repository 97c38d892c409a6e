"""The flow map: agencies as nodes, an arrow from sender to recipient as wide as the records
shared, drawn on the server as a still SVG image from a published table.

pygal has no node-link chart, so the picture is a small Jinja2 template
(``templates/flow_map.svg``, autoescaped: agency names are text, never markup) over the
layout worked out here. Agencies sit on a circle in the registry's order (so an area's
agencies are neighbours); arrows bend to their right, so A to B and B to A are two arrows;
a suppressed count is a thin dotted arrow labelled ``[c]``; a zero draws no arrow. The image
has a ``<title>`` and a ``<desc>``, every arrow carries its number as text (not width or
colour alone), and the page puts the same numbers in a table next to it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from broker.statistics.disclosure_control import shown
from broker.statistics.report import ReportTable

__all__ = ["Arrow", "MapWords", "Node", "flow_map"]

WIDTH = 760
_CENTRE = (380.0, 300.0)
_RADIUS = 200.0
_NODE_RADIUS = 9.0
_WIDEST = 12.0
_THINNEST = 1.5
_BEND = 0.18
_LINE = 17
_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class MapWords:
    """The words of one map in the page's language."""

    title: str
    description: str
    legend: str
    nothing: str


@dataclass(frozen=True)
class Node:
    """An agency: where it sits, and its name in lines placed beside it."""

    x: float
    y: float
    lines: tuple[str, ...]
    label_x: float
    label_y: float
    anchor: str


@dataclass(frozen=True)
class Arrow:
    """A flow: its curve (an SVG path), width, arrowhead length, number as written and where
    it is written."""

    path: str
    width: float
    head: float
    text: str
    text_x: float
    text_y: float
    hidden: bool


def _wrapped(name: str, width: int = 18) -> tuple[str, ...]:
    """``name`` in lines of about ``width`` characters (at most three)."""
    lines: list[str] = []
    for word in name.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return tuple(lines[:3])


def _flows(table: ReportTable) -> dict[tuple[str, str], int | float | None]:
    """(sender, recipient) -> published count, leaving out zeros and the totals."""
    recipients = table.headings[1:-1]
    found: dict[tuple[str, str], int | float | None] = {}
    for row in table.rows[:-1]:
        for recipient, value in zip(recipients, row[1:-1], strict=True):
            if value != 0 and not isinstance(value, str):
                found[(str(row[0]), recipient)] = value
    return found


def _nodes(agencies: Sequence[str], labels: Mapping[str, str]) -> dict[str, Node]:
    nodes: dict[str, Node] = {}
    for index, agency in enumerate(agencies):
        angle = -math.pi / 2 + 2 * math.pi * index / len(agencies)
        cos, sin = math.cos(angle), math.sin(angle)
        lines = _wrapped(labels.get(agency, agency))
        x, y = _CENTRE[0] + _RADIUS * cos, _CENTRE[1] + _RADIUS * sin
        anchor = "start" if cos > 0.3 else "end" if cos < -0.3 else "middle"
        label_x = x + (_NODE_RADIUS + 8) * cos
        above = sin < -0.3
        below = sin > 0.3
        label_y = (
            y - _NODE_RADIUS - 8 - _LINE * (len(lines) - 1)
            if above
            else y + _NODE_RADIUS + 16
            if below
            else y + 5 - _LINE * (len(lines) - 1) / 2
        )
        nodes[agency] = Node(x, y, lines, label_x, label_y, anchor)
    return nodes


def _arrow(start: Node, end: Node, value: int | float | None, largest: float) -> Arrow:
    """A quadratic curve bending to the right of the direction of travel, stopping short of
    both nodes (so the arrowhead shows), labelled at its middle."""
    dx, dy = end.x - start.x, end.y - start.y
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    control = (
        (start.x + end.x) / 2 - uy * length * _BEND,
        (start.y + end.y) / 2 + ux * length * _BEND,
    )

    def towards(node: Node, gap: float) -> tuple[float, float]:
        cx, cy = control[0] - node.x, control[1] - node.y
        reach = math.hypot(cx, cy) or 1.0
        return node.x + cx / reach * gap, node.y + cy / reach * gap

    width = _THINNEST if value is None else _THINNEST + (_WIDEST - _THINNEST) * value / largest
    head = min(28.0, max(9.0, 2.2 * width))
    x1, y1 = towards(start, _NODE_RADIUS + 2)
    x2, y2 = towards(end, _NODE_RADIUS + 2 + head)
    mid_x = 0.25 * x1 + 0.5 * control[0] + 0.25 * x2
    mid_y = 0.25 * y1 + 0.5 * control[1] + 0.25 * y2
    return Arrow(
        f"M{x1:.1f},{y1:.1f} Q{control[0]:.1f},{control[1]:.1f} {x2:.1f},{y2:.1f}",
        round(width, 1),
        round(head, 1),
        shown(value),
        round(mid_x, 1),
        round(mid_y + 4, 1),
        value is None,
    )


def flow_map(
    table: ReportTable,
    labels: Mapping[str, str],
    words: MapWords,
    *,
    order: Sequence[str] = (),
    refused: bool = False,
) -> str:
    """The SVG of ``table`` (sender rows, recipient columns, totals last, as published): one
    node per agency in it (in ``order`` first), one arrow per non-zero flow. ``refused``
    draws dashed arrows (refusals are shown apart from sharing)."""
    flows = _flows(table)
    present = {agency for pair in flows for agency in pair}
    agencies = [a for a in order if a in present] + sorted(present - set(order))
    nodes = _nodes(agencies, labels)
    numbers = [float(v) for v in flows.values() if v is not None]
    largest = max(numbers, default=1.0) or 1.0
    arrows = [
        _arrow(nodes[sender], nodes[recipient], value, largest)
        for (sender, recipient), value in sorted(flows.items(), key=lambda item: -(item[1] or 0))
    ]
    return _ENV.get_template("flow_map.svg").render(
        width=WIDTH,
        height=int(_CENTRE[1] * 2 + 40),
        words=words,
        nodes=list(nodes.values()),
        arrows=arrows,
        refused=refused,
    )
