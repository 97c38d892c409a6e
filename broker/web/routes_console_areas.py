"""The console's area differences: how two IOM areas' effective policies differ.

The same comparison as ``iom-broker policy diff --area A --area B`` (``broker.policy.area_diff``):
flows by kind of agency, with the terms each area's rules set, where they differ.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from broker.policy.area_diff import AreaFlowDifference, FlowTerms, area_diff
from broker.web.console_auth import Context, Dpo
from broker.web.console_pages import console_page

__all__ = ["AreaRow", "area_row", "router"]

router = APIRouter(prefix="/console", include_in_schema=False)


@dataclass(frozen=True)
class AreaRow:
    """A differing flow: each area's terms, fields only one side shares, terms that differ."""

    sender: str
    recipient: str
    event_type: str
    left: tuple[FlowTerms, ...]
    right: tuple[FlowTerms, ...]
    only_left: tuple[str, ...]
    only_right: tuple[str, ...]
    differing: tuple[str, ...]
    """Names of the differing terms: ``purpose``, ``legal_basis``, ``condition``, ``retention``,
    ``transforms``, ``rules``."""


def area_row(difference: AreaFlowDifference) -> AreaRow:
    """The parts of a difference the page shows."""
    sender, recipient, event_type = difference.flow
    left, right = difference.left, difference.right
    only_left: tuple[str, ...] = ()
    only_right: tuple[str, ...] = ()
    differing: list[str] = []
    if left and right:
        before, after = dict(left[0].fields), dict(right[0].fields)
        only_left = tuple(name for name in before if name not in after)
        only_right = tuple(name for name in after if name not in before)
        if any(before[n] != after[n] for n in before if n in after):
            differing.append("transforms")
        differing += [
            label
            for label in ("purpose", "legal_basis", "condition", "retention")
            if getattr(left[0], label) != getattr(right[0], label)
        ]
        if len(left) != len(right):
            differing.append("rules")
    return AreaRow(
        sender, recipient, event_type, left, right, only_left, only_right, tuple(differing)
    )


@router.get("/areas", response_class=HTMLResponse)
def areas(request: Request, context: Context, dpo: Dpo) -> HTMLResponse:
    """Pick two areas; their differing flows as a table (English and Welsh area names)."""
    known = context.vocabulary.areas
    ids = list(known)
    left = request.query_params.get("left", "")
    right = request.query_params.get("right", "")
    if left not in known or right not in known:
        left, right = (ids[1], ids[2]) if len(ids) > 2 else (ids[0], ids[-1])
    rows: list[AreaRow] = []
    if left != right:
        policy = context.policies.policy_set
        rows = [area_row(d) for d in area_diff(policy, context.agencies, left, right)]
    return console_page(
        request,
        context,
        dpo,
        "areas.html",
        "areas",
        areas=known,
        left=left,
        right=right,
        same=left == right,
        rows=rows,
    )
