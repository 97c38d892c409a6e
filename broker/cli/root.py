"""The ``iom-broker`` command: one sub-app per module, each importing its heavy parts lazily."""

from __future__ import annotations

import typer

from broker.cli.adapter import adapter_app
from broker.cli.api import api_app
from broker.cli.dev import demo, dev_app
from broker.cli.identity import identity_app
from broker.cli.kafka import kafka_app
from broker.cli.log import log_app
from broker.cli.policy import policy_app
from broker.cli.router import router_app
from broker.cli.stats import stats_app
from broker.secrets.owner_only import use_owner_only_umask

app = typer.Typer(
    help="IOM information-sharing broker.",
    no_args_is_help=True,
    rich_markup_mode=None,  # plain help: no <bool> metavars on flags, no markup to escape
)
app.add_typer(dev_app, name="dev")
app.add_typer(router_app, name="router")
app.add_typer(kafka_app, name="kafka")
app.add_typer(policy_app, name="policy")
app.add_typer(identity_app, name="identity")
app.add_typer(adapter_app, name="adapter")
app.add_typer(log_app, name="log")
app.add_typer(api_app, name="api")
app.add_typer(stats_app, name="stats")
app.command("demo")(demo)


@app.callback()
def _owner_only_files() -> None:
    """Every command creates files 0600 and folders 0700 (umask 077), and so do the processes
    it starts: state holds personal data and keys that no other local user may read."""
    use_owner_only_umask()
