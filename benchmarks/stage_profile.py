"""Where the CPU goes, per stage, in the policy engine, an adapter and the log writer's append.

    .venv/bin/python -m benchmarks.stage_profile policy|adapters|log [--top 25]

Runs one component's hot loop under cProfile (no Kafka; the log appends go to a temporary
SQLite file) and prints each stage's share of the profiled time, then the functions with the
most time of their own. cProfile slows Python code more than C code, so read the shares, not
the absolute times. ``--plain`` runs the loop alone, for a sampling profiler:
``py-spy record --function -f raw -o stacks.txt -- python -m benchmarks.stage_profile log
--plain`` gives the flame-graph stacks in benchmarks/profiles/ (BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

#: component -> (stage label, file the function is in ('' for a C function), function name)
STAGES = {
    "policy": [
        ("route (all)", "engine.py", "route"),
        ("decide", "engine.py", "evaluate"),
        ("CEL context", "condition_context.py", "condition_context"),
        ("CEL run", "conditions.py", "holds"),
        ("minimise", "engine.py", "minimise"),
    ],
    "adapters": [
        ("convert + encode (all)", "adapter_benchmark.py", "convert_only"),
        ("parse + map + build", "adapter.py", "convert"),
        ("encode (all)", "codec.py", "encode_event"),
        ("validate + Avro write", "codec.py", "_write"),
        ("validate", "validation.py", "check_record"),
        ("partition key", "publisher.py", "partition_key"),
    ],
    "log": [
        ("append (all)", "log.py", "append_disclosures"),
        ("entry from disclosure", "entry.py", "entry_from_disclosure"),
        ("canonical JSON", "entry.py", "encode"),
        ("subject index", "subject_index.py", "subject_index"),
        ("retention", "retention.py", "retention_ends"),
        ("tree nodes + rows", "common.py", "plan_append"),
        ("SQLite statements", "", "<method 'executemany' of 'sqlite3.Cursor' objects>"),
        ("SQLite execute (incl. COMMIT)", "", "<method 'execute' of 'sqlite3.Cursor' objects>"),
    ],
}


def policy_loop() -> Callable[[], None]:
    """200,000 route calls over the policy benchmark's mix."""
    from benchmarks.policy_benchmark import workload
    from broker.agency_registry import load_agencies
    from broker.catalogue.catalogue import default_catalogue
    from broker.catalogue.codec import AvroCodec
    from broker.policy.engine import PolicyEngine
    from broker.policy_admin.policy_directory import load_policy, policy_context
    from broker.settings import PROJECT_ROOT

    catalogue = default_catalogue()
    agencies = load_agencies(PROJECT_ROOT / "policies" / "agencies.yaml")
    policy, _ = load_policy(PROJECT_ROOT / "policies", policy_context(catalogue, agencies))
    engine = PolicyEngine(policy, b"benchmark-pseudonym-key".ljust(32, b"\0"))
    cases = workload(AvroCodec(catalogue), 2_000)
    now = cases[0].event.occurred_at

    def run() -> None:
        for index in range(200_000):
            case = cases[index % len(cases)]
            engine.route(case.event, case.subject, case.identifiers, now)

    return run


def adapters_loop() -> Callable[[], None]:
    """Every adapter converting and encoding 10,000 records."""
    from benchmarks.adapter_benchmark import cases, convert_only, documents
    from broker.catalogue.catalogue import default_catalogue
    from broker.catalogue.codec import AvroCodec

    codec = AvroCodec(default_catalogue())
    work = []
    for case in cases():
        docs = documents(case.records(10_000), 1_000, case.suffix, case.header)
        work.append((case.build(), docs))

    def run() -> None:
        for adapter, docs in work:
            convert_only(adapter, codec, docs)

    return run


def log_loop() -> Callable[[], None]:
    """60,000 disclosures appended in batches of 2,000 to a fresh SQLite log (then removed)."""
    from benchmarks.transparency_benchmark import disclosure
    from broker.logging_setup import configure_logging
    from broker.transparency.log import TransparencyLog
    from broker.transparency.note import NoteSigner
    from broker.transparency.store.sqlite_store import SqliteStore

    configure_logging("warning")
    folder = Path(tempfile.mkdtemp(prefix="iom-stage-profile-"))
    store = SqliteStore(folder / "log.sqlite3")
    log = TransparencyLog(store, NoteSigner.generate("bench.iom-broker/log"), bytes(32))
    batches = [
        [disclosure(n, 20_000) for n in range(f, f + 2_000)] for f in range(0, 60_000, 2_000)
    ]

    def run() -> None:
        for batch in batches:
            log.append_disclosures(batch)
        store.close()
        shutil.rmtree(folder)

    return run


LOOPS = {"policy": policy_loop, "adapters": adapters_loop, "log": log_loop}


def stage_shares(stats: pstats.Stats, component: str) -> list[tuple[str, float]]:
    """Each stage's cumulative time as a share of the whole profiled run."""
    table = stats.stats  # type: ignore[attr-defined]
    total = stats.total_tt  # type: ignore[attr-defined]
    shares = []
    for label, file, name in STAGES[component]:
        cumulative = sum(
            entry[3]
            for (path, _, function), entry in table.items()
            if function == name and path.endswith(file)
        )
        shares.append((label, cumulative / total))
    return shares


def main() -> None:
    """Profile one component and print the stage table and the top functions."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("component", choices=sorted(LOOPS))
    parser.add_argument("--top", type=int, default=25, help="functions listed by own time")
    parser.add_argument(
        "--plain", action="store_true", help="run the loop without cProfile (to sample it)"
    )
    args = parser.parse_args()
    run = LOOPS[args.component]()
    if args.plain:
        run()
        return
    profile = cProfile.Profile()
    profile.runcall(run)
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    print(f"{args.component}: {stats.total_tt:.2f} s profiled")  # type: ignore[attr-defined]
    print("| stage | share of profiled time |\n|---|---|")
    for label, share in stage_shares(stats, args.component):
        print(f"| {label} | {share:.0%} |")
    stats.strip_dirs().sort_stats("tottime").print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
