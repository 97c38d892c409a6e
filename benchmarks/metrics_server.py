"""The API app measuring a real Kafka's router-group lag, under uvicorn: what
``metrics_scrape_benchmark`` starts.

    .venv/bin/python -m benchmarks.metrics_server --state DIR --bootstrap HOST:PORT --port PORT

The same ``create_app`` as ``iom-broker api run`` and the same lag probe ``build_context``
wires (``group_lag_probe`` over every agency's ingress topic, group ``iom-router``); tokens
are checked against the benchmark issuer's key in ``DIR/issuer.pem`` as in
``benchmarks.timeline_server``.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import uvicorn

from benchmarks.timeline_server import build_app_context
from broker.kafka.consumer_lag import group_lag_probe
from broker.kafka.topics import ingress_topic
from broker.logging_setup import configure_logging
from broker.server.app import create_app
from broker.settings import RouterSettings
from broker.startup_heap import freeze_startup_heap


def main() -> None:
    """Serve until SIGTERM."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--state", type=Path, required=True)
    parser.add_argument("--bootstrap", required=True, help="Kafka bootstrap servers")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    configure_logging("warning")
    store_url = f"sqlite:///{args.state / 'log.sqlite3'}"
    context = build_app_context(args.state, store_url, rate=1000.0)
    topics = [ingress_topic(agency) for agency in context.agencies.ids]
    probe = group_lag_probe(args.bootstrap, RouterSettings().group_id, topics)
    app = create_app(replace(context, router_lag=probe))
    freeze_startup_heap()
    uvicorn.run(app, host="127.0.0.1", port=args.port, access_log=False, log_config=None)


if __name__ == "__main__":
    main()
