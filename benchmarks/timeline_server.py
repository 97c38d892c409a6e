"""The API app over a benchmark log, under uvicorn: what ``timeline_benchmark`` starts.

    .venv/bin/python -m benchmarks.timeline_server --state DIR --store URL --port PORT

The same ``create_app`` as ``iom-broker api run``; only its collaborators differ: tokens are
checked against the benchmark issuer's public key in ``DIR/issuer.pem`` (no issuer process), the
portal's sessions are kept in ``DIR/sessions.sqlite3`` (made by :func:`portal_sessions`),
Kafka readiness always answers yes, and the per-supervisee rate limit is ``--rate`` (a
closed-loop load generator would otherwise measure the limiter, not the timeline).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn

from broker.agency_registry import load_agencies
from broker.catalogue.catalogue import default_catalogue
from broker.catalogue.codec import AvroCodec
from broker.devtools.identity.signing_keys import load_or_create_signing_key, public_jwks
from broker.domain.agency import AgencyDirectory
from broker.http.context import ApiContext
from broker.identity.jwks_source import StaticKeySource
from broker.identity.session_seal import SessionTokens
from broker.identity.token_validator import TokenValidator
from broker.logging_setup import configure_logging
from broker.policy_admin.policy_directory import policy_context, read_policy_source
from broker.policy_admin.workspace import PolicyWorkspace
from broker.records.database import RecordsDatabase
from broker.records.web_sessions import WebSessionStore
from broker.server.app import create_app
from broker.settings import PROJECT_ROOT, ApiSettings
from broker.startup_heap import freeze_startup_heap
from broker.transparency.keys import load_index_key, load_signer
from broker.transparency.log import TransparencyLog
from broker.transparency.store import open_store
from broker.web.signed_in_session import keep_session

ISSUER = "https://issuer.bench.iom-broker"
AUDIENCE = "iom-broker"
ORIGIN = "bench.iom-broker/log"


def open_bench_log(state: Path, store_url: str) -> TransparencyLog:
    """The benchmark log at ``store_url`` with its keys in ``state`` (created on first use)."""
    signer = load_signer(state / "log-signing.key", ORIGIN)
    return TransparencyLog(open_store(store_url), signer, load_index_key(state / "index.key"))


async def _reachable() -> bool:
    return True


def _validator(state: Path, agencies: AgencyDirectory) -> TokenValidator:
    issuer_key = load_or_create_signing_key(state / "issuer.pem")
    return TokenValidator(
        issuer=ISSUER,
        audience=AUDIENCE,
        keys=StaticKeySource(public_jwks([issuer_key])),
        agencies=agencies,
    )


def _sessions(state: Path) -> WebSessionStore:
    return WebSessionStore(RecordsDatabase(f"sqlite:///{state / 'sessions.sqlite3'}"))


def portal_sessions(state: Path, tokens: list[str]) -> list[str]:
    """A portal session per supervisee token, kept where the server finds them; the cookies."""
    agencies = load_agencies(PROJECT_ROOT / "policies" / "agencies.yaml")
    validator, store = _validator(state, agencies), _sessions(state)
    cookies = []
    for token in tokens:
        principal, expires = validator.validate_expiring(token)
        cookies.append(keep_session(store, "portal", SessionTokens(token), expires, principal))
    store.database.close()
    return cookies


def build_app_context(state: Path, store_url: str, rate: float) -> ApiContext:
    """The API's collaborators for the benchmark."""
    agencies = load_agencies(PROJECT_ROOT / "policies" / "agencies.yaml")
    catalogue = default_catalogue()
    validator = _validator(state, agencies)
    return ApiContext(
        settings=ApiSettings(supervisee_rate_per_s=rate, supervisee_burst=max(20, int(rate))),
        validator=validator,
        log=open_bench_log(state, store_url),
        catalogue=catalogue,
        agencies=agencies,
        kafka_probe=_reachable,
        policies=PolicyWorkspace(
            read_policy_source(PROJECT_ROOT / "policies"),
            policy_context(catalogue, agencies),
            AvroCodec(catalogue),
        ),
        web_sessions=_sessions(state),
    )


def main() -> None:
    """Serve until SIGTERM."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--state", type=Path, required=True)
    parser.add_argument("--store", required=True, help="log store URL")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--rate", type=float, default=1000.0, help="requests/s per supervisee")
    args = parser.parse_args()
    configure_logging("warning")
    app = create_app(build_app_context(args.state, args.store, args.rate))
    freeze_startup_heap()
    uvicorn.run(app, host="127.0.0.1", port=args.port, access_log=False, log_config=None)


if __name__ == "__main__":
    main()
