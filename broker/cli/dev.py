"""``iom-broker dev ...`` and ``iom-broker demo``: the local development stack."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from broker.cli.command_settings import command_settings
from broker.cli.defaults import DEMO_STATE, DEV_STATE
from broker.cli.failure import fail

dev_app = typer.Typer(
    help="The local development stack (real Kafka, router).", no_args_is_help=True
)

StateOption = Annotated[Path, typer.Option("--state", help="Folder for the stack's data and logs.")]
IssuerStateOption = Annotated[
    Path, typer.Option("--state", help="Folder of the development stack.")
]

InsecureOption = Annotated[
    bool,
    typer.Option(
        "--insecure", help="Plaintext Kafka without authentication or ACLs (debugging only)."
    ),
]


NoWitnessOption = Annotated[
    bool,
    typer.Option(
        "--no-witness",
        envvar="IOM_DEV_NO_WITNESS",
        help="Run without the development witness (litewitness, which needs Go 1.24 to build):"
        " checkpoints are signed by the log alone.",
    ),
]


BrokersOption = Annotated[
    int,
    typer.Option(
        "--brokers",
        min=1,
        help="Kafka nodes on loopback (3: a cluster; topics get 3 replicas, min ISR 2).",
    ),
]


@dev_app.command("token")
def dev_token(
    agency: Annotated[str | None, typer.Option(help="Token of this agency's system.")] = None,
    supervisee: Annotated[
        str | None, typer.Option(help="Token of the supervisee with this subject reference.")
    ] = None,
    dpo: Annotated[str | None, typer.Option(help="Token of this agency's DPO.")] = None,
    operator: Annotated[
        bool, typer.Option("--operator", help="Token of an operator (scrapes /metrics).")
    ] = False,
    oversight: Annotated[
        bool, typer.Option("--oversight", help="Token of the oversight group (statistics).")
    ] = False,
    ttl: Annotated[int, typer.Option(help="Lifetime in seconds.", min=30, max=86400)] = 3600,
    state: IssuerStateOption = DEV_STATE,
) -> None:
    """Print a DEVELOPMENT token signed by the dev issuer in STATE (never in production)."""
    from broker.agency_registry import load_agencies
    from broker.devtools.identity.dev_issuer import DevelopmentOnlyError, DevIssuer
    from broker.devtools.identity.dev_users import (
        dev_dpo,
        dev_operator,
        dev_oversight,
        dev_supervisee,
    )
    from broker.domain.agency import AgencyDirectoryError
    from broker.domain.subject_ref_syntax import SUBJECT_REF_CHARACTERS, is_subject_ref

    options = (
        ("agency", agency),
        ("supervisee", supervisee),
        ("dpo", dpo),
        ("operator", operator),
        ("oversight", oversight),
    )
    chosen = [name for name, v in options if v]
    if len(chosen) != 1:
        fail("give exactly one of --agency, --supervisee, --dpo or --operator (or --oversight)", 2)
    settings = command_settings()
    longest = settings.identity.max_token_lifetime_seconds
    if ttl > longest:
        fail(
            f"--ttl {ttl}: longer than identity.max_token_lifetime_seconds ({longest}), "
            "so the broker would refuse the token",
            2,
        )
    if supervisee is not None and not is_subject_ref(supervisee):
        fail(f"--supervisee: a subject reference must be {SUBJECT_REF_CHARACTERS}", 2)
    if _stack_identity(state) == "keycloak":
        _keycloak_token(state, agency=agency, dpo=dpo, supervisee=supervisee, oversight=oversight)
        return
    identity_dir = state / "identity"
    try:
        agencies = load_agencies(settings.agencies_file)
        issuer = DevIssuer.open(
            identity_dir, settings, agencies, issuer_url=DevIssuer.recorded_url(identity_dir)
        )
    except (DevelopmentOnlyError, AgencyDirectoryError) as error:
        fail(str(error), 2)
    for name in (agency, dpo):
        if name is not None and name not in agencies:
            fail(f"unknown agency {name!r}; known: {', '.join(agencies.ids)}", 2)
    if agency is not None:
        principal = issuer.client_principal(agencies.get(agency).principal)
    elif dpo is not None:
        principal = dev_dpo(dpo)
    elif operator:
        principal = dev_operator()
    elif oversight:
        principal = dev_oversight()
    else:
        assert supervisee is not None
        principal = dev_supervisee(supervisee)
    typer.echo(issuer.mint(principal, ttl_s=ttl))


IdentityOption = Annotated[
    str,
    typer.Option(
        "--identity",
        help="Who issues tokens: 'dev-issuer' (the project's own) or 'keycloak' (a real "
        "Keycloak from Maven Central, realm generated from the registry).",
    ),
]


def _stack_identity(state: Path) -> str | None:
    """The identity provider ``stack.json`` in ``state`` records, if a stack runs there."""
    import json

    try:
        recorded = json.loads((state / "stack.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    provider = recorded.get("identity_provider") if isinstance(recorded, dict) else None
    return provider if isinstance(provider, str) else None


def _keycloak_token(
    state: Path,
    *,
    agency: str | None,
    dpo: str | None,
    supervisee: str | None,
    oversight: bool,
) -> None:
    """Print a token from the stack's Keycloak (five minutes; ``--ttl`` does not apply)."""
    from broker.agency_registry import load_agencies
    from broker.devtools.keycloak.dev_tokens import client_token, person_token, running_realm
    from broker.devtools.keycloak.realm_plan import supervisee_username
    from broker.identity.token_client import TokenRequestError

    settings = command_settings()
    agencies = load_agencies(settings.agencies_file)
    for name in (agency, dpo):
        if name is not None and name not in agencies:
            fail(f"unknown agency {name!r}; known: {', '.join(agencies.ids)}", 2)
    try:
        if agency is not None:
            realm = running_realm(state, settings, agencies)
            typer.echo(client_token(realm, agencies.get(agency).principal))
            return
        if supervisee is not None:
            username = supervisee_username(supervisee)
        else:
            username = f"dpo-{dpo}" if dpo else ("oversight" if oversight else "operator")
        typer.echo(person_token(state, settings, agencies, username, subject_ref=supervisee))
    except TokenRequestError as error:
        fail(str(error))


@dev_app.command("up")
def dev_up(
    state: StateOption = DEV_STATE,
    insecure: InsecureOption = False,
    brokers: BrokersOption = 1,
    no_witness: NoWitnessOption = False,
    identity: IdentityOption = "dev-issuer",
) -> None:
    """Start the identity provider, Kafka (OAUTHBEARER + ACLs), the router, the log writer and
    the witness in the background; write STATE/stack.json."""
    from broker.devtools.devstack.stack import DevStack, StackError

    if identity not in ("dev-issuer", "keycloak"):
        fail(f"--identity {identity!r}: choose 'dev-issuer' or 'keycloak'", 2)
    try:
        stack = DevStack(
            state,
            command_settings(),
            secure=not insecure,
            brokers=brokers,
            witness=not no_witness,
            identity="keycloak" if identity == "keycloak" else "dev-issuer",
        )
        info = stack.up()
    except StackError as error:
        fail(str(error))
    typer.echo(f"stack up: bootstrap {info.bootstrap_servers}; details in {state / 'stack.json'}")
    if info.token_issuer_url:
        typer.echo(
            f"authentication on: issuer {info.token_issuer_url} (CA {info.ca_file}); "
            f"try: iom-broker dev token --state {state} --agency gwent-police"
        )


@dev_app.command("env")
def dev_env(
    state: StateOption = DEV_STATE,
    principal: Annotated[
        str, typer.Option("--as", help="Client id to connect as (an agency's principal too).")
    ] = "iom-admin",
) -> None:
    """Print export IOM_... lines that connect a command to the running stack as PRINCIPAL.

    Kafka (with the CA and the principal's key when secured), the transparency log's store,
    signing and index keys and witnesses, and the statistics store: so, after
    eval "$(iom-broker dev env)", policy activate, log export and stats export all work
    on the running stack.
    """
    import json
    import shlex

    from broker.devtools.devstack.stack import log_store_env
    from broker.devtools.devstack.stack_access import StackAccess

    stack_file = state / "stack.json"
    if not stack_file.exists():
        fail(f"no running stack in {state} (no stack.json); run dev up")
    try:
        env = StackAccess.from_stack_file(stack_file).process_env(principal)
    except ValueError as error:
        fail(str(error), 2)
    recorded = json.loads(stack_file.read_text())
    if recorded.get("log_store"):  # so `iom-broker log export` reads the stack's log
        env.update(log_store_env(Path(recorded.get("state_dir", state)), recorded["log_store"]))
    if recorded.get("witness_url") and recorded.get("witness_vkeys"):
        witness = {"url": recorded["witness_url"], "vkey": recorded["witness_vkeys"][0]}
        env["IOM_TRANSPARENCY__WITNESSES"] = json.dumps([witness])
    if recorded.get("statistics_store"):  # so `iom-broker stats export` reads its statistics
        env["IOM_STATISTICS__STORE_URL"] = recorded["statistics_store"]
    for name, value in env.items():
        typer.echo(f"export {name}={shlex.quote(value)}")


@dev_app.command("down")
def dev_down(state: StateOption = DEV_STATE) -> None:
    """Stop everything `dev up` started in STATE."""
    from broker.devtools.devstack.stack import DevStack

    DevStack(state, command_settings()).down()
    typer.echo("stack down")


def demo(
    state: StateOption = DEMO_STATE,
    keep_running: Annotated[bool, typer.Option(help="Leave the stack running afterwards.")] = False,
    insecure: InsecureOption = False,
    no_witness: NoWitnessOption = False,
) -> None:
    """Start the stack, replay a scripted IOM story and show what each agency received."""
    import shutil
    import sys

    from rich.console import Console

    from broker.bootstrap import load_core
    from broker.devtools.demo.front_ends import list_demo_person, print_front_ends, subject_ref_of
    from broker.devtools.demo.run_demo import run_demo
    from broker.devtools.demo.story import demo_story
    from broker.devtools.devstack.stack import DevStack, StackError

    settings = command_settings({"log_level": "warning", "log_format": "console"})
    console = Console()
    stack = DevStack(state, settings, secure=not insecure, witness=not no_witness)
    stack.down()
    shutil.rmtree(state, ignore_errors=True)
    try:
        with console.status("Starting the stack (first run downloads Kafka)..."):
            info = stack.up()
    except StackError as error:
        fail(str(error))
    try:
        report = run_demo(stack.access(), load_core(settings), settings, console)
        if info.api_url:
            enrolment = demo_story()[0].record or {}
            rhys = subject_ref_of(report.disclosures, enrolment["envelope"]["event_id"])
            if info.token_issuer_url:
                list_demo_person(state, rhys)
            print_front_ends(console, info.api_url, state, rhys)
        if not keep_running and sys.stdin.isatty():
            input("\nThe stack is running: browse the front ends, then press Enter to stop it. ")
    finally:
        if keep_running:
            console.print(f"Stack left running: iom-broker dev down --state {state}")
        else:
            stack.down()


@dev_app.command("keycloak-realm")
def dev_keycloak_realm(
    out: Annotated[Path, typer.Option("--out", help="File to write the realm's JSON to.")],
    state: StateOption = DEV_STATE,
    public_url: Annotated[
        str | None,
        typer.Option(
            "--public-url",
            help="The portal's and console's address (e.g. https://localhost:8443): its "
            "sign-in callbacks and signed-out pages are registered exactly.",
        ),
    ] = None,
) -> None:
    """Write the development realm (generated from the agency registry, clients' keys from
    STATE) as the JSON file Keycloak imports at start-up (kc.sh start --import-realm).

    DEVELOPMENT ONLY: the file holds the development people's password; it is written 0600.
    """
    import json

    from broker.agency_registry import load_agencies
    from broker.devtools.keycloak.dev_realm import dev_realm_plan
    from broker.identity.sign_in_flow import AREAS, SIGNED_IN_PATH
    from broker.secrets.private_files import write_private_bytes

    settings = command_settings()
    base = public_url.rstrip("/") if public_url else None
    callbacks = [f"{base}/{area}/{SIGNED_IN_PATH}" for area in AREAS] if base else []
    plan = dev_realm_plan(state, settings, load_agencies(settings.agencies_file), callbacks)
    text = json.dumps(plan.realm_import(), indent=2, sort_keys=True) + "\n"
    write_private_bytes(out, text.encode("utf-8"))
    typer.echo(f"realm {plan.realm['realm']} written to {out}")
