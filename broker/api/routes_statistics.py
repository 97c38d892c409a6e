"""Oversight statistics: the published (small-number suppressed) report and its downloads.

``oversight`` callers get all of Wales, a DPO the flows involving their agency; every other
role is refused. Numbers come only from :class:`OversightStatistics`, so every value has been
through disclosure control: counts from 1 to 4, and cells that would reveal them, are ``[c]``.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response

from broker.api.auth import authenticated
from broker.http.context import ApiContext, api_context
from broker.http.problems import ProblemError
from broker.identity.principal import Principal
from broker.statistics.exports import MEDIA_TYPES, ReleaseInfo, render_export, to_json
from broker.statistics.oversight import OversightStatistics, scope_for
from broker.statistics.report import Report, Scope
from broker.statistics.uk_month import uk_month

__all__ = ["router"]

router = APIRouter(prefix="/statistics", tags=["oversight statistics"])

Caller = Annotated[Principal, Depends(authenticated)]
Context = Annotated[ApiContext, Depends(api_context)]
Month = Annotated[str | None, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]


def _statistics(context: ApiContext) -> OversightStatistics:
    if context.statistics is None:
        raise ProblemError(503, "statistics are not available: no statistics store is configured")
    return context.statistics


async def _allowed(
    context: ApiContext, principal: Principal, first: str | None, last: str | None, area: str | None
) -> tuple[OversightStatistics, str, str, Scope]:
    """The statistics, the period and the caller's scope; a problem if they may not ask."""
    scope = scope_for(principal)
    if scope is None:
        raise ProblemError(403, f"this needs the role oversight or dpo, not {principal.role.value}")
    statistics = _statistics(context)
    if area is not None and area not in statistics.context.areas:
        raise ProblemError(422, f"area {area!r} is not an area")
    last_month = last or uk_month(datetime.now(UTC))
    first_month = first or f"{int(last_month[:4]) - 1}{last_month[4:]}"
    if first_month > last_month:
        raise ProblemError(422, f"from {first_month} is after to {last_month}")
    return statistics, first_month, last_month, Scope(agency=scope.agency, area=area)


@router.get(
    "",
    summary="The published statistics for a period (JSON; [c] marks suppressed values)",
    responses={403: {"description": "The caller is neither oversight nor a DPO."}},
)
async def statistics_report(
    context: Context,
    principal: Caller,
    first: Annotated[Month, Query(alias="from")] = None,
    last: Annotated[Month, Query(alias="to")] = None,
    area: str | None = None,
) -> Any:
    """Every table of the report (docs/statistics.md gives the schema)."""
    import json

    statistics, first_month, last_month, scope = await _allowed(
        context, principal, first, last, area
    )
    report = await asyncio.to_thread(statistics.report, first_month, last_month, scope)
    return json.loads(to_json(report, statistics.context.labels("en"), _info(statistics)))


@router.get(
    "/export",
    summary="Download the published statistics as CSV, ODS or JSON",
    responses={403: {"description": "The caller is neither oversight nor a DPO."}},
)
async def statistics_export(
    context: Context,
    principal: Caller,
    export_format: Annotated[Literal["csv", "ods", "json"], Query(alias="format")] = "csv",
    first: Annotated[Month, Query(alias="from")] = None,
    last: Annotated[Month, Query(alias="to")] = None,
    area: str | None = None,
) -> Response:
    """The same numbers as the report, as a file."""
    statistics, first_month, last_month, scope = await _allowed(
        context, principal, first, last, area
    )
    labels, info = statistics.context.labels("en"), _info(statistics)

    def render(report: Report) -> bytes:
        return render_export(report, export_format, labels, info)

    _, body = await asyncio.to_thread(
        statistics.export, first_month, last_month, scope, export_format, render
    )
    name = f"iom-statistics-{first_month}-to-{last_month}.{export_format}"
    return Response(
        body,
        media_type=MEDIA_TYPES[export_format],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _info(statistics: OversightStatistics) -> ReleaseInfo:
    return ReleaseInfo(contact=statistics.context.contact)
