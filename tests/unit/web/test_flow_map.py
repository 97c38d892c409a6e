"""The flow map: agencies as nodes, arrows as wide as the records shared, [c] kept hidden."""

from __future__ import annotations

import re
from xml.etree import ElementTree

from broker.statistics.report import ReportTable
from broker.web.flow_map import MapWords, flow_map

WORDS = MapWords("Sharing", "A map", "Wider arrows: more records.", "None.")
FLOWS = ReportTable(
    "sharing_flows",
    "t",
    ("Sender", "gdas", "gwent-police", "probation-wales", "Total"),
    (
        ("gwent-police", 40, 0, 120, 160),
        ("probation-wales", None, None, 0, 90),
        ("Total", None, None, 120, 250),
    ),
)
NAMES = {"gwent-police": "Heddlu Gwent", "gdas": "<GDAS & co>"}
SVG = "{http://www.w3.org/2000/svg}"


def _parsed(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def test_each_flow_is_an_arrow_labelled_with_its_number() -> None:
    """Three agencies are nodes; each non-zero flow is an arrow with its number, the larger
    flow the wider arrow, and a [c] flow a thin dotted arrow labelled [c]."""
    root = _parsed(flow_map(FLOWS, NAMES, WORDS))
    assert len(root.findall(f".//{SVG}circle")) == 3
    arrows = root.findall(f".//{SVG}path[@marker-end]")
    assert len(arrows) == 4  # 40, 120 and two [c]; zeros draw nothing
    widths = sorted(float(a.get("stroke-width", "0")) for a in arrows)
    assert widths[0] == widths[1] == 1.5 and widths[2] < widths[3]
    numbers = [t.text for t in root.findall(f".//{SVG}text[@class='number']")]
    assert sorted(numbers, key=str) == sorted(["120", "40", "[c]", "[c]"], key=str)
    hidden = root.findall(f".//{SVG}path[@class='arrow arrow-hidden']")
    assert len(hidden) == 2 and all(a.get("stroke-dasharray") == "2,3" for a in hidden)


def test_the_map_is_a_named_still_image_that_escapes_names() -> None:
    """Role img with a title and description; names are text (escaped), never markup;
    nothing runs and nothing is loaded."""
    svg = flow_map(FLOWS, NAMES, WORDS)
    root = _parsed(svg)
    assert root.get("role") == "img"
    assert root.findtext(f"{SVG}title") == "Sharing" and root.findtext(f"{SVG}desc") == "A map"
    assert "&lt;GDAS &amp; co&gt;" in svg and "Heddlu Gwent" in svg
    assert "<script" not in svg and not re.search(r'(href|src)="https?://', svg)


def test_refusals_are_dashed_and_an_empty_period_says_so() -> None:
    """The refusals map draws dashed arrows; a table with no flows says there were none."""
    refused = _parsed(flow_map(FLOWS, NAMES, WORDS, refused=True))
    shown = refused.findall(f".//{SVG}path[@class='arrow']")
    assert shown and all(a.get("stroke-dasharray") == "8,4" for a in shown)
    empty = ReportTable("refusal_flows", "t", ("Sender", "Total"), (("Total", 0),))
    assert "None." in flow_map(empty, NAMES, WORDS)


def test_nodes_follow_the_order_given() -> None:
    """Agencies sit in the order given (the registry's, so an area's agencies are together):
    the first at the top."""
    root = _parsed(flow_map(FLOWS, NAMES, WORDS, order=["probation-wales", "gdas"]))
    first = root.findall(f".//{SVG}text[@class='node-label']")[0]
    assert "".join(first.itertext()) == "probation-wales"
