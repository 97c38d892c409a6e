"""The console's oversight statistics over the real app: charts, tables, downloads, [c]."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from broker.http.context import ApiContext
from broker.identity.principal import Role
from broker.server.app import create_app
from broker.settings import Settings
from broker.statistics.facts import Fact, Measure
from broker.statistics.oversight import OversightStatistics
from broker.statistics.store import StatisticsStore
from broker.statistics.wiring import statistics_context
from tests.support.api_callers import token
from tests.support.web_sessions import session_cookie

PERIOD = "from=2026-01&to=2026-03"


def _flow(sender: str, recipient: str, n_month: str = "2026-02") -> Fact:
    return Fact(
        Measure.DISCLOSED,
        n_month,
        area="gwent",
        agency=sender,
        recipient=recipient,
        event_type="arrest",
        purpose="offender_management",
        legal_basis="dpa2018_s35",
    )


@pytest.fixture
def statistics_store(tmp_path: Path) -> Iterator[StatisticsStore]:
    """Three months of Gwent statistics with one flow of 2 (never to be shown)."""
    store = StatisticsStore(f"sqlite:///{tmp_path / 'statistics.sqlite3'}")
    counts = {
        Fact(Measure.COHORT_NET, "2026-01", area="gwent", cohort="FIXED"): 30,
        Fact(Measure.COHORT_NET, "2026-02", area="gwent", cohort="FLEX"): 12,
        Fact(Measure.COHORT_NET, "2026-03", area="gwent", cohort="FREE"): 9,
        Fact(Measure.COHORT_NET, "2026-01", area="dyfed-powys", cohort="FIXED"): 25,
        _flow("gwent-police", "probation-wales"): 60,
        _flow("gwent-police", "aneurin-bevan-uhb"): 2,
        _flow("gwent-police", "gdas"): 35,
        Fact(
            Measure.REFUSED,
            "2026-02",
            area="gwent",
            agency="gwent-police",
            recipient="newport-housing",
            event_type="arrest",
            reason="no_rule",
        ): 14,
        Fact(Measure.RECEIVED, "2026-02", area="gwent", agency="gwent-police"): 97,
        Fact(
            Measure.DEAD_LETTERED,
            "2026-02",
            area="gwent",
            agency="gwent-police",
            reason="undecodable",
        ): 6,
    }
    store.apply(counts, {}, {("disclosures", 0): (1, "")})
    yield store
    store.close()


@pytest.fixture
async def console(
    context: ApiContext, statistics_store: StatisticsStore
) -> AsyncIterator[httpx.AsyncClient]:
    """Gwent Police's DPO signed in to the console over the statistics above."""
    context.statistics = OversightStatistics(statistics_store, statistics_context(Settings()))
    transport = httpx.ASGITransport(app=create_app(context))
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as http:
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
    for chart in ("cohort-gwent", "flows", "quality"):
        assert f'src="/console/statistics/charts/{chart}.svg?' in html
    assert "cohort-dyfed-powys" not in html, "Gwent Police's DPO sees Gwent's cohort only"
    assert html.count('<img class="oversight-chart"') == len(re.findall(r'alt="[^"]{20,}"', html))
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
