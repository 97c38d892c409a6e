"""Who gets which statistics through the API, and that no route gives a small number away."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from broker.http.context import ApiContext
from broker.identity.principal import Principal, Role
from broker.statistics.facts import Fact, Measure
from broker.statistics.store import StatisticsStore
from tests.support.api_callers import ISSUER_APP, TOKEN_TTL_S, bearer
from tests.support.statistics_data import StoreOf, disclosed, statistics_app

OVERSIGHT = bearer(Role.OVERSIGHT)
GWENT_DPO = bearer(Role.DPO, agency="gwent-police")
DYFED_DPO = bearer(Role.DPO, agency="dyfed-powys-police")
REFUSED = {
    "supervisee": bearer(Role.SUPERVISEE, "subj-a"),
    "agency_system": {
        "Authorization": "Bearer "
        + ISSUER_APP.mint(
            Principal("gwent-police-adapter", Role.AGENCY_SYSTEM, agency="gwent-police"),
            ttl_s=TOKEN_TTL_S,
        )
    },
    "auditor": bearer(Role.AUDITOR),
    "operator": bearer(Role.OPERATOR),
    "service": bearer(Role.SERVICE),
}
PERIOD = {"from": "2026-01", "to": "2026-02"}


@pytest.fixture
def statistics_store(store_of: StoreOf) -> StatisticsStore:
    """Statistics with large flows and one flow of 3 (which must never be shown)."""
    return store_of(
        {
            disclosed("gwent-police", "probation-wales"): 40,
            disclosed("gwent-police", "newport-housing"): 3,
            disclosed("gwent-police", "gdas"): 25,
            disclosed("dyfed-powys-police", "probation-wales", area="dyfed-powys"): 31,
            Fact(Measure.COHORT_NET, "2026-01", area="gwent", cohort="FIXED"): 17,
            Fact(Measure.COHORT_NET, "2026-01", area="gwent", cohort="FLEX"): 2,
        }
    )


@pytest.fixture
async def stats_client(
    context: ApiContext, statistics_store: StatisticsStore
) -> AsyncIterator[httpx.AsyncClient]:
    """The app with the statistics above."""
    async with statistics_app(context, statistics_store) as http:
        yield http


def _table(document: dict[str, Any], table_id: str) -> dict[str, Any]:
    return next(t for t in document["tables"] if t["id"] == table_id)


async def test_oversight_sees_every_flow_in_wales(stats_client: httpx.AsyncClient) -> None:
    """The oversight role gets both police forces' flows, the small one as [c]."""
    response = await stats_client.get("/statistics", params=PERIOD, headers=OVERSIGHT)
    assert response.status_code == 200
    flows = _table(response.json(), "sharing_flows")
    senders = [row[0] for row in flows["rows"]]
    assert senders == ["Dyfed-Powys Police", "Gwent Police", "Total"]
    assert "[c]" in flows["rows"][1]


async def test_a_dpo_sees_only_flows_involving_their_agency(
    stats_client: httpx.AsyncClient,
) -> None:
    """Dyfed-Powys Police's DPO gets its own flow and nothing of Gwent Police's."""
    response = await stats_client.get("/statistics", params=PERIOD, headers=DYFED_DPO)
    assert response.status_code == 200
    flows = _table(response.json(), "sharing_flows")
    assert flows["rows"] == [["Dyfed-Powys Police", 31, 31], ["Total", 31, 31]]
    assert "Gwent Police" not in response.text


@pytest.mark.parametrize("role", sorted(REFUSED))
async def test_other_roles_get_no_statistics(stats_client: httpx.AsyncClient, role: str) -> None:
    """Supervisees, agency systems, auditors, operators and services are refused (403)."""
    for path in ("/statistics", "/statistics/export"):
        response = await stats_client.get(path, params=PERIOD, headers=REFUSED[role])
        assert response.status_code == 403, (path, response.text)
    assert (await stats_client.get("/statistics")).status_code == 401


@pytest.mark.parametrize("caller", [OVERSIGHT, GWENT_DPO])
async def test_no_export_shows_a_count_from_1_to_4(
    stats_client: httpx.AsyncClient, caller: dict[str, str]
) -> None:
    """In the CSV download, every count is [c], 0 or at least 5, for every role that may
    download: the flow of 3 to housing and the Flex cohort of 2 are [c]."""
    response = await stats_client.get(
        "/statistics/export", params={**PERIOD, "format": "csv"}, headers=caller
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    shares = {"net_widening", "time_in_cohort", "recording_quality"}
    for row in rows:
        if row["table"] not in shares:
            assert row["value"] not in {"1", "2", "3", "4"}, row
    housing = [
        r
        for r in rows
        if r["table"] == "sharing_flows" and r["column"] == "Newport City Council Housing"
    ]
    assert housing and all(r["value"] in {"[c]", "0"} for r in housing)
    flex = [
        r
        for r in rows
        if r["table"] == "cohort_size" and r["row"] == "Gwent" and r["column"] == "Flex"
    ]
    assert [r["value"] for r in flex] == ["[c]"]


async def test_the_ods_download_is_a_spreadsheet(stats_client: httpx.AsyncClient) -> None:
    """format=ods returns an OpenDocument spreadsheet named for its period."""
    response = await stats_client.get(
        "/statistics/export", params={**PERIOD, "format": "ods"}, headers=OVERSIGHT
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/vnd.oasis.opendocument.spreadsheet"
    assert (
        'filename="iom-statistics-2026-01-to-2026-02.ods"'
        in response.headers["content-disposition"]
    )
    assert response.content.startswith(b"PK")
