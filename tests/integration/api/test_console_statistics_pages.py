"""The console's oversight statistics over the real app: charts, tables, downloads, [c]."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest

from broker.http.context import ApiContext
from broker.identity.principal import Role
from broker.statistics.facts import Fact, Measure
from broker.statistics.store import StatisticsStore
from tests.support.api_callers import token
from tests.support.statistics_data import StoreOf, dead_lettered, disclosed, refused, statistics_app
from tests.support.web_sessions import session_cookie, signed_in_as

PERIOD = "from=2026-01&to=2026-03"


@pytest.fixture
def statistics_store(store_of: StoreOf) -> StatisticsStore:
    """Three months of Gwent statistics with one flow of 2 (never to be shown)."""
    return store_of(
        {
            Fact(Measure.COHORT_NET, "2026-01", area="gwent", cohort="FIXED"): 30,
            Fact(Measure.COHORT_NET, "2026-02", area="gwent", cohort="FLEX"): 12,
            Fact(Measure.COHORT_NET, "2026-03", area="gwent", cohort="FREE"): 9,
            Fact(Measure.COHORT_NET, "2026-01", area="dyfed-powys", cohort="FIXED"): 25,
            disclosed("gwent-police", "probation-wales", "2026-02"): 60,
            disclosed("gwent-police", "aneurin-bevan-uhb", "2026-02"): 2,
            disclosed("gwent-police", "gdas", "2026-02"): 35,
            refused("gwent-police", "newport-housing", "2026-02"): 14,
            Fact(Measure.RECEIVED, "2026-02", area="gwent", agency="gwent-police"): 97,
            dead_lettered("gwent-police", "2026-02"): 6,
        }
    )


@pytest.fixture
async def console(
    context: ApiContext, statistics_store: StatisticsStore
) -> AsyncIterator[httpx.AsyncClient]:
    """Gwent Police's DPO signed in to the console over the statistics above."""
    async with statistics_app(context, statistics_store) as http:
        dpo = token(Role.DPO, agency="gwent-police")
        http.cookies.set("iom_console", session_cookie(context, dpo))
        yield http


async def test_the_page_shows_charts_with_tables_and_hides_small_numbers(
    console: httpx.AsyncClient,
) -> None:
    """Each chart is an image with a text alternative, followed by its table; the flow of 2
    is [c] and no table cell on the page holds 1 to 4."""
    page = await console.get(f"/console/statistics?{PERIOD}")
    assert page.status_code == 200
    html = page.text
    for chart in ("cohort-gwent", "flows", "refusals", "quality"):
        assert f'src="/console/statistics/charts/{chart}.svg?' in html
    assert "cohort-dyfed-powys" not in html, "Gwent Police's DPO sees Gwent's cohort only"
    assert html.count('<img class="oversight-chart') == len(re.findall(r'alt="[^"]{20,}"', html))
    assert 'id="table-sharing-flows"' in html and "[c]" in html
    cells = re.findall(
        r'<td class="govuk-table__cell govuk-table__cell--numeric">([^<]*)</td>', html
    )
    assert cells and not {"1", "2", "3", "4"} & set(cells)
    assert 'aria-current="page"' in html and "Statistics" in html


async def test_a_chart_is_a_titled_described_svg_that_loads_nothing(
    console: httpx.AsyncClient,
) -> None:
    """The cohort chart is SVG with a title and description, no script, no network."""
    chart = await console.get(f"/console/statistics/charts/cohort-gwent.svg?{PERIOD}")
    assert chart.status_code == 200
    assert chart.headers["content-type"].startswith("image/svg+xml")
    assert chart.headers["content-security-policy"].startswith("default-src 'none'")
    svg = chart.text
    assert '<title id="chart-title">People in IOM cohorts: Gwent</title>' in svg
    assert '<desc id="chart-desc">' in svg and "<script" not in svg
    assert not re.search(r'(href|src)="https?://', svg)
    assert "Fixed" in svg and "Flex" in svg and "Free" in svg


async def test_the_page_reads_in_welsh(console: httpx.AsyncClient) -> None:
    """In Welsh: the heading, the cohort names and the area names."""
    page = await console.get(f"/console/statistics?{PERIOD}&lang=cy")
    assert "Ystadegau goruchwylio" in page.text
    assert "Sefydlog" in page.text and "Heddlu Gwent" in page.text


async def test_downloads_come_from_the_page(console: httpx.AsyncClient) -> None:
    """The ODS link downloads a spreadsheet of the same period."""
    page = await console.get(f"/console/statistics?{PERIOD}")
    link = re.search(r'href="(/console/statistics/download\?format=ods[^"]*)"', page.text)
    assert link is not None
    download = await console.get(link.group(1).replace("&amp;", "&"))
    assert download.status_code == 200
    assert (
        'filename="iom-statistics-2026-01-to-2026-03.ods"'
        in download.headers["content-disposition"]
    )


async def test_a_wrong_month_says_so_and_shows_the_last_twelve_months(
    console: httpx.AsyncClient,
) -> None:
    """'2026-13' is not a month: an error summary, and the default period instead."""
    page = await console.get("/console/statistics?from=2026-13&to=2026-03")
    assert page.status_code == 200
    assert 'id="statistics-error"' in page.text


async def test_an_oversight_member_sees_all_of_wales_but_no_dpo_page(
    console: httpx.AsyncClient,
) -> None:
    """Signed in for the oversight group: every area's cohort chart, a menu of statistics
    only, the console's first page leads to the statistics, DPO pages say "not for your
    role" (403) and their forms refuse it."""
    console.cookies.set("iom_console", signed_in_as(console, token(Role.OVERSIGHT)))
    page = await console.get(f"/console/statistics?{PERIOD}")
    assert page.status_code == 200
    assert "cohort-gwent" in page.text and "cohort-dyfed-powys" in page.text
    assert "Signed in for the oversight group" in page.text
    assert 'id="nav-statistics"' in page.text and 'id="nav-agreements"' not in page.text
    first = await console.get("/console")
    assert first.status_code == 303 and first.headers["location"] == "/console/statistics"
    for path in ("/console/proposals", "/console/history", "/console/dead-letters"):
        refused = await console.get(path)
        assert refused.status_code == 403, path
        assert "This page is not for your role" in refused.text
        assert 'href="/console/statistics"' in refused.text
    welsh = await console.get("/console/areas?lang=cy")
    assert welsh.status_code == 403 and "dudalen hon ar gyfer eich rôl" in welsh.text
    chart = await console.get(f"/console/statistics/charts/cohort-dyfed-powys.svg?{PERIOD}")
    assert chart.status_code == 200
    download = await console.get(f"/console/statistics/download?format=csv&{PERIOD}")
    assert download.status_code == 200 and "Dyfed-Powys" in download.text


async def test_other_roles_cannot_use_the_console(console: httpx.AsyncClient) -> None:
    """An operator's or auditor's session is not a console session: sign in."""
    for role in (Role.OPERATOR, Role.AUDITOR):
        console.cookies.set("iom_console", signed_in_as(console, token(role)))
        page = await console.get(f"/console/statistics?{PERIOD}")
        assert page.status_code == 303 and page.headers["location"] == "/console/sign-in"
