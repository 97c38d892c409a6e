"""What a server-side web session adds to each portal or console page, in one process.

    .venv/bin/python -m benchmarks.session_lookup_benchmark [--rounds 7] [--calls 2000]

Keeps one portal session in a SQLite records database, then times, in interleaved rounds,
finding it by the cookie's hash and unsealing its tokens (what sessions add), and validating
its access token (what every page did before). Prints the median microseconds per call of
each and the load average. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from broker.identity.principal import Role
from broker.identity.session_seal import SessionTokens, session_hash, unseal_tokens
from broker.records.database import RecordsDatabase
from broker.records.web_sessions import WebSessionStore
from broker.web.signed_in_session import keep_session
from tests.support.api_callers import token
from tests.unit.identity.keys import validator


def main() -> None:
    """Time both steps and print their medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="iom-session-bench-"))
    store = WebSessionStore(RecordsDatabase(f"sqlite:///{folder / 'records.sqlite3'}"))
    checker = validator()
    access = token(Role.SUPERVISEE, "subj-a")
    principal, expires = checker.validate_expiring(access)
    session = keep_session(store, "portal", SessionTokens(access, "r", "i"), expires, principal)
    hashed = session_hash(session)

    def lookup() -> object:
        found = store.find(hashed, "portal")
        assert found is not None
        return unseal_tokens(session, found.tokens)

    steps: dict[str, Callable[[], object]] = {
        "session lookup and unseal": lookup,
        "access-token validation": lambda: checker.validate_expiring(access),
    }
    timings: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(args.rounds):
        for name, step in steps.items():
            started = time.perf_counter()
            for _ in range(args.calls):
                step()
            timings[name].append((time.perf_counter() - started) / args.calls * 1e6)
    for name, values in timings.items():
        print(f"{name}: median {statistics.median(values):.0f} µs per call")
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
