"""``iom-broker identity ...``: the dev issuer and CA, Kafka ACLs, keys."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from broker.cli.command_settings import command_settings
from broker.cli.defaults import DEV_STATE
from broker.cli.failure import fail

identity_app = typer.Typer(
    help="Identity and access: development issuer, Kafka ACLs, secrets.", no_args_is_help=True
)

StateOption = Annotated[Path, typer.Option("--state", help="Folder of the development stack.")]


@identity_app.command("issuer")
def identity_issuer(
    state: StateOption = DEV_STATE,
    port: Annotated[int, typer.Option(help="HTTPS port.")] = 8443,
    bind: Annotated[
        str, typer.Option(help="Address to listen on (0.0.0.0 only inside a container network).")
    ] = "127.0.0.1",
    url: Annotated[
        str | None, typer.Option(help="Issuer URL (iss); default https://127.0.0.1:PORT.")
    ] = None,
) -> None:
    """Run the DEVELOPMENT OIDC issuer on https://127.0.0.1:PORT until Ctrl-C."""
    from broker.agency_registry import load_agencies
    from broker.devtools.identity.dev_issuer import DevelopmentOnlyError, DevIssuer
    from broker.devtools.identity.dev_issuer_server import DevIssuerServer
    from broker.devtools.identity.dev_pki import DevPki
    from broker.devtools.identity.dev_sign_in import DevSignIn

    settings = command_settings()
    identity_dir = state / "identity"
    agencies = load_agencies(settings.agencies_file)
    try:
        issuer = DevIssuer.open(
            identity_dir, settings, agencies, issuer_url=url or f"https://127.0.0.1:{port}"
        )
    except DevelopmentOnlyError as error:
        fail(str(error), 2)
    pki = DevPki(state / "pki")
    cert = pki.issue("iom-http")
    issuer.record(identity_dir)
    typer.echo(f"development issuer: {issuer.issuer_url} (trust {pki.ca_file}); Ctrl-C stops")
    if bind not in ("127.0.0.1", "::1", "localhost"):
        typer.echo(
            f"warning: listening on {bind}: anyone who can reach it can sign in as any "
            "development user; use only on a private container network",
            err=True,
        )
    sign_in = DevSignIn(issuer, identity_dir, agencies)
    DevIssuerServer(issuer, port, cert.cert_file, cert.key_file, sign_in, host=bind).serve_forever()


@identity_app.command("pki")
def identity_pki(
    state: StateOption = DEV_STATE,
    host: Annotated[
        list[str] | None, typer.Option(help="Extra host name the certificates must name.")
    ] = None,
) -> None:
    """Make the DEVELOPMENT CA and the certificates of the issuer/API (iom-http) and the Kafka
    node (iom-kafka-node) in STATE/pki, naming loopback and each --host (reused when present)."""
    from broker.devtools.identity.dev_pki import LOOPBACK_NAMES, DevPki
    from broker.devtools.kafka.secured_local_kafka import HTTP_CERT_NAME, NODE_PRINCIPAL

    settings = command_settings()
    if settings.security.mode != "development":
        fail("the development CA is not made in production mode", 2)
    names = (*LOOPBACK_NAMES, *(host or []))
    pki = DevPki(state / "pki")
    http = pki.issue(HTTP_CERT_NAME, names)
    node = pki.issue(NODE_PRINCIPAL, names, client=True)
    typer.echo(f"CA {pki.ca_file}; {http.cert_file}; {node.bundle_file}")


@identity_app.command("acls")
def identity_acls(
    bootstrap: Annotated[str | None, typer.Option(help="Kafka bootstrap servers.")] = None,
    dry_run: Annotated[bool, typer.Option(help="Print the ACL plan, change nothing.")] = False,
) -> None:
    """Create the Kafka ACLs the agency registry implies (idempotent; prunes stale ones).

    Connects with the configured identity (IOM_IDENTITY__CLIENT_ID etc.), which must be the
    admin principal, and IOM_SECURITY__KAFKA_AUTH=true.
    """
    import asyncio

    from broker.agency_registry import load_agencies
    from broker.identity.token_client import TokenClient
    from broker.kafka.acl_admin import confluent_admin_config, ensure_acls
    from broker.kafka.acls import acl_plan
    from broker.kafka.broker_principals import broker_principals

    settings = command_settings()
    agencies = load_agencies(settings.agencies_file)
    principals = broker_principals(settings)
    plan = acl_plan(agencies, principals)
    if dry_run:
        for entry in plan:
            typer.echo(str(entry))
        return
    if not settings.security.kafka_auth:
        fail("ACLs need an authenticated cluster: set IOM_SECURITY__KAFKA_AUTH=true", 2)
    config = confluent_admin_config(
        bootstrap or settings.kafka.bootstrap_servers,
        security_protocol=settings.security.kafka_security_protocol,
        ca_file=settings.security.kafka_ca_file,
        token_client=TokenClient.from_settings(settings.identity),
    )
    managed = [f"User:{a.principal}" for a in agencies]
    managed += [f"User:{principals.router}", f"User:{principals.log_writer}"]
    managed.append(f"User:{principals.statistics}")
    report = asyncio.run(ensure_acls(config, plan, managed_principals=managed))
    typer.echo(
        f"{len(report.created)} ACLs created, {len(report.deleted)} deleted, "
        f"{report.unchanged} already present"
    )


@identity_app.command("add-pseudonym-key")
def add_pseudonym_key_command(
    file: Annotated[Path, typer.Option(help="Pseudonymisation keys file (created 0600).")],
    kid: Annotated[str, typer.Option(help="Id of the new key, e.g. 2026-01.")],
) -> None:
    """Add a new pseudonymisation key; it becomes current, older ones still verify."""
    from broker.secrets.pseudonyms import PseudonymError
    from broker.secrets.secret_files import SecretFileError, add_pseudonym_key

    try:
        keyring = add_pseudonym_key(file, kid)
    except (PseudonymError, SecretFileError) as error:
        fail(str(error))
    typer.echo(f"{file}: keys {', '.join(keyring.key_ids)}; current {keyring.current}")


@identity_app.command("create-log-signing-key")
def create_log_signing_key_command(
    file: Annotated[Path, typer.Option(help="Where to write the Ed25519 key (0600).")],
) -> None:
    """Generate the transparency log's checkpoint signing key (refuses to overwrite)."""
    from broker.secrets.secret_files import SecretFileError, create_log_signing_key

    try:
        create_log_signing_key(file)
    except SecretFileError as error:
        fail(str(error))
    typer.echo(f"{file}: Ed25519 log signing key written")
