"""The console's oversight statistics: charts with their tables, and the downloads.

An oversight member sees all of Wales; a DPO the sharing that involves their agency and the
cohort of the area it serves (:func:`broker.statistics.oversight.scope_for`). Every number
comes from a published report (small numbers suppressed). Charts are SVG images from this
origin, each followed by a table of the same numbers.
"""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime
from typing import Literal

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from broker.http.context import ApiContext
from broker.identity.principal import Principal
from broker.statistics.disclosure_control import shown
from broker.statistics.exports import MEDIA_TYPES, ReleaseInfo, render_export
from broker.statistics.oversight import OversightStatistics, scope_for
from broker.statistics.report import Report, Scope
from broker.statistics.uk_month import uk_month
from broker.web.console_auth import ConsoleUser, Context
from broker.web.console_pages import console_page, not_found
from broker.web.flow_map import MapWords, flow_map
from broker.web.oversight_charts import cohort_chart, quality_chart
from broker.web.session import portal_language
from broker.web.texts import texts
from broker.web.texts_statistics import STATISTICS_HEADINGS

__all__ = ["router"]

router = APIRouter(prefix="/console/statistics", include_in_schema=False)

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
#: Charts are images: styles inside the SVG only, nothing loaded, nothing run.
_SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"


def _period(request: Request) -> tuple[str, str, bool]:
    """The period asked for (default: the 12 months to this one) and whether it was valid."""
    query = request.query_params
    this_month = uk_month(datetime.now(UTC))
    last = query.get("to") or this_month
    year_before = f"{int(last[:4]) - 1}{last[4:]}" if _MONTH.match(last) else ""
    first = query.get("from") or year_before
    if _MONTH.match(first) and _MONTH.match(last) and first <= last:
        return first, last, True
    return f"{int(this_month[:4]) - 1}{this_month[4:]}", this_month, False


def _scope(principal: Principal, statistics: OversightStatistics, area: str | None) -> Scope:
    scope = scope_for(principal) or Scope(agency="")
    known = area if area in statistics.context.areas else None
    return Scope(agency=scope.agency, area=known)


async def _report(
    request: Request, context: ApiContext, principal: Principal
) -> tuple[Report, OversightStatistics, bool] | None:
    statistics = context.statistics
    if statistics is None:
        return None
    first, last, valid = _period(request)
    scope = _scope(principal, statistics, request.query_params.get("area"))
    try:
        report = await asyncio.to_thread(statistics.report, first, last, scope)
    except Exception:
        return None
    return report, statistics, valid


@router.get("", response_class=HTMLResponse)
async def statistics_page(request: Request, context: Context, user: ConsoleUser) -> HTMLResponse:
    """Cohorts over time, net-widening, sharing, refusals, recording quality: charts + tables."""
    found = await _report(request, context, user)
    if found is None:
        return console_page(request, context, user, "statistics.html", "statistics", report=None)
    report, statistics, valid = found
    lang = portal_language(request)
    labels = {
        **statistics.context.labels(lang),
        **STATISTICS_HEADINGS[lang],
    }
    words = texts(lang)
    query = {"from": report.first_month, "to": report.last_month}
    if report.scope.area:
        query["area"] = report.scope.area
    return console_page(
        request,
        context,
        user,
        "statistics.html",
        "statistics",
        report=report,
        period_valid=valid,
        areas=statistics.context.areas,
        label=labels,
        show=lambda value: labels.get(value, value) if isinstance(value, str) else shown(value),
        caption=lambda table: words.get(f"statistics_table_{table.table_id}", table.title).format(
            month=report.last_month
        ),
        query="&".join(f"{k}={v}" for k, v in query.items()),
        threshold=f"{statistics.context.threshold_percent:g}",
        shown_areas=[
            a
            for a in statistics.context.areas
            if report.scope.shows_area(a, statistics.context.agency_areas)
        ],
    )


@router.get("/charts/{name}.svg")
async def statistics_chart(
    request: Request, context: Context, user: ConsoleUser, name: str
) -> Response:
    """One chart as an SVG image: ``cohort-<area>``, ``flows``, ``refusals`` or ``quality``."""
    found = await _report(request, context, user)
    if found is None:
        return not_found(request)
    report, statistics, _ = found
    lang = portal_language(request)
    words, labels = texts(lang), statistics.context.labels(lang)
    if name.startswith("cohort-") and name[7:] in statistics.context.areas:
        area = name[7:]
        title = f"{words['statistics_cohort']}: {labels.get(area, area)}"
        description = words["statistics_cohort_chart"].format(area=labels.get(area, area))
        svg = cohort_chart(report.table("cohort_size_by_month"), area, labels, title, description)
    elif name in ("flows", "refusals"):
        refused = name == "refusals"
        key = "statistics_refusals" if refused else "statistics_sharing"
        map_words = MapWords(
            words["statistics_refusals_map" if refused else "statistics_sharing"],
            words[f"{key}_chart"],
            words["statistics_map_legend"],
            words["statistics_map_nothing"],
        )
        table = report.table("refusal_flows" if refused else "sharing_flows")
        order = list(statistics.context.agency_areas)
        svg = flow_map(table, labels, map_words, order=order, refused=refused)
    elif name == "quality":
        title = words["statistics_quality"]
        svg = quality_chart(
            report.table("recording_quality"), labels, title, words["statistics_quality_chart"]
        )
    else:
        return not_found(request)
    return Response(
        svg,
        media_type="image/svg+xml",
        headers={"Content-Security-Policy": _SVG_POLICY, "Cache-Control": "no-store"},
    )


@router.get("/download")
async def statistics_download(
    request: Request,
    context: Context,
    user: ConsoleUser,
    format: Literal["csv", "ods", "json"] = "csv",
) -> Response:
    """The same statistics as a file: CSV, ODS (with a cover sheet) or JSON."""
    statistics = context.statistics
    if statistics is None:
        return not_found(request)
    first, last, _ = _period(request)
    scope = _scope(user, statistics, request.query_params.get("area"))
    labels, info = statistics.context.labels("en"), ReleaseInfo(contact=statistics.context.contact)

    def render(report: Report) -> bytes:
        return render_export(report, format, labels, info)

    _, body = await asyncio.to_thread(statistics.export, first, last, scope, format, render)
    name = f"iom-statistics-{first}-to-{last}.{format}"
    return Response(
        body,
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
