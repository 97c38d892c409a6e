"""Fuzz the Avro decoding path: Confluent frames through the codec and the router's processor.

    .venv/bin/python -m fuzz.avro_decode -max_total_time=600

Every input is decoded as an event, a delivery and a disclosure, then routed as an ingress
record: decoding may refuse with a CatalogueError (clean message); routing never raises.
"""

from __future__ import annotations

from broker.bootstrap import load_core
from broker.catalogue import CatalogueError
from broker.domain.cohort_table import CohortTable
from broker.policy.engine import PolicyEngine
from broker.router.dead_letter import HEADER_DETAIL
from broker.router.record_processor import IngressRecord, RecordProcessor
from broker.settings import load_settings
from fuzz.harness import check_message, run

CORE = load_core(load_settings())
PROCESSOR = RecordProcessor(
    CORE.codec, PolicyEngine(CORE.policy, b"p" * 32), CORE.agencies, CohortTable(b"k" * 32), 65536
)
SCHEMA_IDS = sorted(entry.schema_id for entry in CORE.codec.catalogue.entries())


def test_one_input(data: bytes) -> None:
    """Decode and route one input; anything but a clean refusal is a finding."""
    if data[:1] == b"\xff" and len(data) > 2:  # 0xff first: a frame with a registered id
        data = b"\x00" + SCHEMA_IDS[data[1] % len(SCHEMA_IDS)].to_bytes(4, "big") + data[2:]
    for decode in (
        CORE.codec.decode_event,
        CORE.codec.decode_delivery,
        CORE.codec.decode_disclosure,
    ):
        try:
            decode(data)
        except CatalogueError as error:
            check_message(str(error))
    outcome = PROCESSOR.process(IngressRecord("ingress.gwent-police", 0, 0, b"k", data))
    PROCESSOR._cohort.discard()
    for letter in outcome.records if outcome.dead_letter_reason else ():
        check_message(dict(letter.headers)[HEADER_DETAIL].decode() or "-")


if __name__ == "__main__":
    run(test_one_input)
