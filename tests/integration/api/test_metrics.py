"""Prometheus metrics: the log's size and requests counted by route template."""

from __future__ import annotations

import httpx

from broker.transparency.log import TransparencyLog
from tests.integration.transparency.conftest import disclosure


async def test_metrics_count_requests_by_template_and_show_log_size(
    client: httpx.AsyncClient, transparency_log: TransparencyLog
) -> None:
    """Requests are labelled by route template (no raw ids); the log size is a gauge."""
    transparency_log.append_disclosures([disclosure(i) for i in range(4)])
    await client.get("/schemas/ids/1")
    await client.get("/schemas/ids/99999")
    text = (await client.get("/metrics")).text
    assert "iom_transparency_log_entries 4.0" in text
    assert 'route="/schemas/ids/{schema_id}",status="200"' in text
    assert 'route="/schemas/ids/{schema_id}",status="404"' in text
    assert "/schemas/ids/99999" not in text
