"""A flood of malformed records from one agency: all dead-lettered, good traffic keeps flowing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from broker.catalogue.catalogue import default_catalogue
from broker.catalogue.codec import AvroCodec
from broker.kafka.topic_reader import read_topic
from broker.kafka.topics import dlq_topic
from broker.router.dead_letter import HEADER_REASON
from tests.faults.flood_traffic import (
    FLOOD_MAX_RECORD_BYTES,
    SUBJECTS,
    malformed_records,
    measure_drain,
)
from tests.faults.reconciliation import reconcile
from tests.faults.stream_harness import (
    SCALE,
    TEST_TIMEOUT_S,
    FaultAgencies,
    prepare_topics,
    write_fault_policy,
)

GOOD = round(2000 * SCALE)
BAD = round(2000 * SCALE)

pytestmark = pytest.mark.timeout(TEST_TIMEOUT_S)


@pytest.mark.kafka
async def test_malformed_flood_is_dead_lettered_and_good_traffic_keeps_flowing(
    kafka_bootstrap: str, tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    """Every bad record of the flooding agency lands in its DLQ; every good event is decided."""
    codec = AvroCodec(default_catalogue())
    calm, flooded = FaultAgencies.fresh(), FaultAgencies.fresh()
    for agencies, folder in ((calm, tmp_path / "calm"), (flooded, tmp_path / "flooded")):
        folder.mkdir()
        write_fault_policy(folder, agencies)
        await prepare_topics(kafka_bootstrap, agencies)
    bad = malformed_records(flooded, codec, BAD)
    baseline, calm_ids = await measure_drain(
        kafka_bootstrap, tmp_path / "calm", codec, calm, GOOD, []
    )
    flood, flooded_ids = await measure_drain(
        kafka_bootstrap, tmp_path / "flooded", codec, flooded, GOOD, bad
    )
    ratio = flood.good_per_s / baseline.good_per_s
    record_property("good_throughput_ratio", round(ratio, 3))
    print(
        f"good traffic alone: {baseline.good_per_s:,.0f} events/s; with {BAD} malformed: "
        f"{flood.good_per_s:,.0f} good events/s (ratio {ratio:.2f}), "
        f"{flood.records_per_s:,.0f} records/s in all; router peak RSS "
        f"{baseline.peak_rss_kib // 1024} MiB calm, {flood.peak_rss_kib // 1024} MiB flooded"
    )

    letters = await read_topic(kafka_bootstrap, dlq_topic(flooded.housing))
    by_key = {letter.key: letter for letter in letters}
    assert len(letters) == len(by_key) == BAD, "a bad record was lost or dead-lettered twice"
    for record in bad:
        letter = by_key[record.key[: FLOOD_MAX_RECORD_BYTES // 2]]
        assert record.value.startswith(letter.value or b""), "the DLQ changed the bytes"
        if len(record.key) + len(record.value) <= FLOOD_MAX_RECORD_BYTES:
            assert (letter.value or b"") == record.value, "the DLQ did not keep the bytes"
        if record.reason is not None:
            assert dict(letter.headers)[HEADER_REASON].decode() == record.reason
    print(Counter(dict(letter.headers)[HEADER_REASON].decode() for letter in letters))

    dead_letter_keys = [r.key[: FLOOD_MAX_RECORD_BYTES // 2] for r in bad]
    runs: list[tuple[FaultAgencies, list[str], list[bytes]]] = [
        (calm, calm_ids, []),
        (flooded, flooded_ids, dead_letter_keys),
    ]
    for agencies, ids, bad_keys in runs:
        result = await reconcile(
            kafka_bootstrap,
            codec,
            agencies,
            published=SUBJECTS + GOOD + len(bad_keys),
            expected_good=ids,
            expected_bad_keys=bad_keys,
            store=None,
        )
        print(result.summary())
        assert result.problems == []
        assert result.delivered == SUBJECTS + GOOD
