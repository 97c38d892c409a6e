"""Policy engine throughput and latency: decisions, including minimisation, on one core.

    .venv/bin/python -m benchmarks.policy_benchmark --events 200000

Uses the shipped agreements (policies/). Each event of a realistic mix (every catalogue event
type, people in Gwent and Dyfed-Powys, all cohorts, some with recorded consent) goes through
``PolicyEngine.route``: decide for every recipient serving the person's area (4 here), then
build the minimised, transformed delivery for every permitted one. Nothing else is timed: no
Avro encoding, no Kafka (``benchmarks/router_benchmark.py`` covers the pipeline).

Reported: decisions per second over the whole run, and latency percentiles per ``route`` call
(one event, all its decisions) and per decision (a call's time divided by its decisions).
The process is pinned to one CPU when the OS allows it.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import statistics
import time
from dataclasses import dataclass

from broker.agency_registry import load_agencies
from broker.catalogue.catalogue import default_catalogue
from broker.catalogue.codec import AvroCodec
from broker.domain.event import Event
from broker.domain.subject import SubjectIdentifiers, SubjectRecord
from broker.policy.engine import PolicyEngine
from broker.policy_admin.policy_directory import load_policy, policy_context
from broker.settings import PROJECT_ROOT
from tests.unit.event_examples import SOURCE_AGENCY, example_event

DYFED_POWYS_SOURCES = {
    "gwent-police": "dyfed-powys-police",
    "aneurin-bevan-uhb": "hywel-dda-uhb",
    "newport-housing": "carmarthenshire-housing",
    "gdas": "ddas",
}
VARIATIONS = {
    "breach": [{"action": "WARNING"}, {"action": "BREACH_PROCEEDINGS"}],
    "referral": [{"service": s} for s in ("HOUSING", "DRUG_AND_ALCOHOL", "MENTAL_HEALTH")],
    "referral_outcome": [{"service": "HOUSING"}, {"service": "DRUG_AND_ALCOHOL"}],
    "risk_level_change": [
        {"previous_level": "LOW", "new_level": "MEDIUM"},
        {"previous_level": "MEDIUM", "new_level": "HIGH"},
    ],
}


@dataclass(frozen=True)
class Case:
    """One event and the person it is about."""

    event: Event
    subject: SubjectRecord
    identifiers: SubjectIdentifiers


def workload(codec: AvroCodec, size: int, seed: int = 7) -> list[Case]:
    """``size`` events across every type, both areas, all cohorts, with and without consent."""
    rng = random.Random(seed)
    identifiers = SubjectIdentifiers(crn="X1", pnc_id="2019/1A", nhs_number="9990000018")
    cases = []
    for index in range(size):
        event_type = rng.choice(default_catalogue().event_types())
        area = rng.choice(["gwent", "dyfed-powys"])
        source = SOURCE_AGENCY[event_type]
        if area == "dyfed-powys":
            source = DYFED_POWYS_SOURCES.get(source, source)
        overrides = rng.choice(VARIATIONS.get(event_type, [{}]))
        record = example_event(event_type, source_agency=source, **overrides)
        decoded = codec.decode_event(codec.encode_event(record))
        consents = (("substance_misuse_treatment", "given"),) if index % 3 == 0 else ()
        subject = SubjectRecord(
            f"subj-{index % 50}",
            rng.choice(["FIXED", "FLEX", "FREE"]),
            True,
            identifiers,
            record["envelope"]["occurred_at"],
            area=area,
            consents=consents,
        )
        event = Event.from_record(decoded.schema_id, decoded.record)
        cases.append(Case(event, subject, identifiers.with_added(event.subject)))
    return cases


def percentile(sorted_values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of the sorted values fall (nearest rank)."""
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def main() -> None:
    """Run the benchmark and print the figures recorded in BENCHMARKS.md."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=200_000, help="route calls to time")
    parser.add_argument("--distinct", type=int, default=2_000, help="distinct events in the mix")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    catalogue = default_catalogue()
    codec = AvroCodec(catalogue)
    agencies = load_agencies(PROJECT_ROOT / "policies" / "agencies.yaml")
    policy, _ = load_policy(PROJECT_ROOT / "policies", policy_context(catalogue, agencies))
    engine = PolicyEngine(policy, b"benchmark-pseudonym-key".ljust(32, b"\0"))
    cases = workload(codec, args.distinct)
    now = cases[0].event.occurred_at
    for case in cases:  # warm-up: compiled tables, per-recipient keys, CEL programs
        engine.route(case.event, case.subject, case.identifiers, now)

    per_call: list[float] = []
    per_decision: list[float] = []
    decisions = permitted = 0
    clock = time.perf_counter_ns
    gc.collect()
    started = clock()
    for index in range(args.events):
        case = cases[index % len(cases)]
        before = clock()
        routed = engine.route(case.event, case.subject, case.identifiers, now)
        elapsed = clock() - before
        per_call.append(elapsed / 1000)
        per_decision.append(elapsed / 1000 / max(len(routed), 1))
        decisions += len(routed)
        permitted += sum(1 for r in routed if r.delivery is not None)
    total = (clock() - started) / 1e9

    per_call.sort()
    per_decision.sort()
    rules = len(list(policy.policy.rules()))
    print(f"policy {policy.version}; {rules} rules; Python {platform.python_version()}")
    print(f"{args.events} events, {decisions} decisions ({permitted} permitted and minimised)")
    print(f"throughput: {decisions / total:,.0f} decisions/s ({args.events / total:,.0f} events/s)")
    for label, values in (("per decision", per_decision), ("per event", per_call)):
        p50, p99 = percentile(values, 0.50), percentile(values, 0.99)
        print(
            f"{label}: p50 {p50:.1f} us, p99 {p99:.1f} us,"
            f" max {values[-1]:.1f} us, mean {statistics.fmean(values):.1f} us"
        )


if __name__ == "__main__":
    main()
