"""axe-core (from npm) finds no serious or critical accessibility violations on any page."""

from __future__ import annotations

from typing import Any, cast

import pytest
from playwright.sync_api import Page

from broker.settings import PROJECT_ROOT
from tests.e2e.test_portal import sign_in

AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGES = [
    "/portal",
    "/portal?from-day=31&from-month=2&from-year=2025",
    "/portal/subject-access-requests",
]


def serious_violations(page: Page) -> list[str]:
    """The ids and first targets of axe's serious and critical WCAG 2.2 AA violations."""
    page.add_script_tag(path=AXE)
    result = cast(
        dict[str, Any],
        page.evaluate(
            "() => axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"
        ),
    )
    assert result["passes"], "axe checked nothing"
    return [
        f"{v['id']}: {v['nodes'][0]['target']}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_pages_have_no_serious_violations(page: Page, portal_url: str, lang: str) -> None:
    """Sign-in (ours and the development issuer's), timeline and request pages pass axe in
    English and Welsh."""
    assert AXE.exists(), "axe-core is not installed: run 'make test' (npm ci)"
    page.goto(f"{portal_url}/portal/sign-in?lang={lang}")
    assert serious_violations(page) == []
    page.click("#sign-in")
    page.wait_for_selector("#dev-sign-in")
    assert serious_violations(page) == [], "development issuer's sign-in page"
    sign_in(page, portal_url, lang=lang)
    for path in PAGES:
        page.goto(f"{portal_url}{path}")
        assert serious_violations(page) == [], path
