"""The console's oversight statistics in Chromium: charts with their tables, both languages,
1280 px and 375 px, no serious axe violations."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from broker.settings import ApiSettings, Settings
from broker.statistics.facts import Fact, Measure
from broker.statistics.oversight import OversightStatistics
from broker.statistics.store import StatisticsStore
from broker.statistics.uk_month import month_range
from broker.statistics.wiring import statistics_context
from broker.transparency.log import TransparencyLog
from tests.e2e.conftest import RunningIssuer, _served, _signing_in_context, screenshot
from tests.e2e.console_session import sign_in_dpo, sign_in_oversight
from tests.e2e.test_accessibility import serious_violations

MONTHS = month_range("2026-01", "2026-12")
PERIOD = "from=2026-01&to=2026-12"
LOCAL = {"gwent": ("gwent-police", "aneurin-bevan-uhb", "newport-housing", "gdas")}


def _year_of_statistics(path: Path) -> StatisticsStore:
    """A year in Gwent and Dyfed-Powys: cohorts that grow, flows, refusals, dead letters."""
    chance = random.Random(7)
    store = StatisticsStore(f"sqlite:///{path}")
    counts: dict[Fact, int] = {}
    for month in MONTHS:
        for area, size in (("gwent", 6), ("dyfed-powys", 3)):
            for cohort, share in (("FIXED", 3), ("FLEX", 2), ("FREE", 1)):
                counts[Fact(Measure.COHORT_NET, month, area=area, cohort=cohort)] = (
                    size * share - chance.randrange(3)
                )
                counts[Fact(Measure.ENROLMENTS, month, area=area, cohort=cohort)] = size * share
        for recipient in (*LOCAL["gwent"][1:], "probation-wales"):
            fact = Fact(
                Measure.DISCLOSED, month, area="gwent", agency="gwent-police",
                recipient=recipient, event_type="arrest", purpose="iom_case_management",
                legal_basis="dpa2018_part3_s35",
            )  # fmt: skip
            counts[fact] = chance.randrange(1, 90)
        refused = Fact(
            Measure.REFUSED, month, area="gwent", agency="gwent-police",
            recipient="newport-housing", event_type="arrest", reason="no_rule",
        )  # fmt: skip
        counts[refused] = chance.randrange(5, 30)
        counts[Fact(Measure.RECEIVED, month, area="gwent", agency="gwent-police")] = 300
        dead = Fact(
            Measure.DEAD_LETTERED, month, area="gwent", agency="gwent-police", reason="undecodable"
        )
        counts[dead] = chance.randrange(0, 9)
        exits = Fact(Measure.TIME_IN_COHORT, month, area="gwent", cohort="FIXED", days=90)
        counts[exits] = 3
        counts[Fact(Measure.DESELECTIONS, month, area="gwent", cohort="FIXED")] = 3
    store.apply(counts, {}, {("disclosures", 0): (1, "")})
    return store


@pytest.fixture(scope="module")
def console_url(
    shared_log: TransparencyLog,
    dev_issuer: RunningIssuer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """The app over a year of statistics, signing in via the development issuer."""
    store = _year_of_statistics(tmp_path_factory.mktemp("statistics") / "statistics.sqlite3")
    statistics = OversightStatistics(store, statistics_context(Settings()))
    context = _signing_in_context(
        dev_issuer, settings=ApiSettings(), log=shared_log, statistics=statistics
    )
    with _served(context, dev_issuer) as url:
        yield url
    store.close()


def test_police_dpo_reads_the_oversight_statistics(page: Page, console_url: str) -> None:
    """Gwent Police's DPO sees cohort charts and their tables, flows with refusals apart and
    recording quality, in English and Welsh, at 1280 px and 375 px, with no axe violations."""
    sign_in_dpo(page, console_url, "gwent-police")
    page.click("#nav-statistics")
    expect(page.locator("h1")).to_have_text("Oversight statistics")
    page.goto(f"{console_url}/console/statistics?{PERIOD}")
    charts = page.locator("img.oversight-chart")
    expect(charts).to_have_count(4)  # Gwent's cohort only (its police's area), 2 maps, quality
    for index in range(4):
        loaded = charts.nth(index).evaluate("image => image.complete && image.naturalWidth > 0")
        assert loaded, f"chart {index} did not load"
    expect(page.locator("#table-sharing-flows")).to_contain_text("Gwent Police")
    expect(page.locator("#table-time-in-cohort")).to_contain_text("90")
    assert serious_violations(page) == []
    screenshot(page, "console-statistics-en")
    page.set_viewport_size({"width": 375, "height": 800})
    assert serious_violations(page) == []
    screenshot(page, "console-statistics-en-375")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.click("#language-switch")
    expect(page.locator("h1")).to_have_text("Ystadegau goruchwylio")
    expect(page.locator("#table-cohort-size")).to_contain_text("Sefydlog")
    expect(page.locator("#table-legal-basis")).not_to_contain_text("dpa2018_part3_s35")
    assert serious_violations(page) == []
    screenshot(page, "console-statistics-cy")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "console-statistics-cy-375")


def test_a_chart_opened_on_its_own_is_a_readable_image(page: Page, console_url: str) -> None:
    """The flow map, opened by itself, draws Gwent Police and its four recipients as nodes
    and one numbered arrow per recipient; the refusals map one dashed arrow."""
    sign_in_dpo(page, console_url, "gwent-police")
    page.goto(f"{console_url}/console/statistics/charts/flows.svg?{PERIOD}")
    expect(page.locator("svg title#chart-title")).to_have_text("Sharing between agencies")
    expect(page.locator("svg circle")).to_have_count(5)
    expect(page.locator("svg path.arrow")).to_have_count(4)
    expect(page.locator("svg text.number")).to_have_count(4)
    expect(page.locator("svg .node-label", has_text="Gwent Police")).to_have_count(1)
    page.goto(f"{console_url}/console/statistics/charts/refusals.svg?{PERIOD}&lang=cy")
    expect(page.locator("svg title#chart-title")).to_have_text("Gwrthodiadau rhwng asiantaethau")
    expect(page.locator("svg path.arrow[stroke-dasharray='8,4']")).to_have_count(1)


def test_oversight_member_reads_statistics_but_not_the_policy_pages(
    page: Page, console_url: str
) -> None:
    """The oversight group's member signs in, lands on the statistics of all of Wales (every
    area's cohort chart), has no policy pages in the menu, and a policy page says it is not
    for their role, in English and Welsh."""
    sign_in_oversight(page, console_url)
    expect(page.locator("h1")).to_have_text("Oversight statistics")
    expect(page.locator(".console-who")).to_have_text("Signed in for the oversight group")
    expect(page.locator("#nav-agreements")).to_have_count(0)
    page.goto(f"{console_url}/console/statistics?{PERIOD}")
    expect(page.locator("img.oversight-chart[src*='cohort-dyfed-powys']")).to_have_count(1)
    expect(page.locator("img.oversight-chart[src*='cohort-gwent']")).to_have_count(1)
    assert serious_violations(page) == []
    screenshot(page, "console-statistics-oversight-en")
    editor = "/console/agreements/wales-iom-baseline/edit"
    for path in ("/console/proposals", editor, "/console/history"):
        page.goto(f"{console_url}{path}")
        expect(page.locator("h1")).to_have_text("This page is not for your role")
    assert serious_violations(page) == []
    screenshot(page, "console-not-for-role-en")
    page.click("#language-switch")
    expect(page.locator("h1")).to_have_text("Nid yw'r dudalen hon ar gyfer eich rôl")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "console-not-for-role-cy-375")
    page.click("#go-to-statistics")
    expect(page.locator("h1")).to_have_text("Ystadegau goruchwylio")
