"""``iom-broker policy ...``: validate, explain, simulate, diff and activate sharing policies."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from broker.cli.command_settings import command_settings
from broker.cli.expected_failures import debug_option, expected_failures
from broker.cli.failure import exit_with
from broker.cli.json_output import JsonOption
from broker.cli.progress import counted, progress

if TYPE_CHECKING:
    from broker.catalogue.codec import AvroCodec
    from broker.policy.engine import CompiledPolicy
    from broker.policy.policy_source import PolicySource
    from broker.policy.policy_words import Language
    from broker.policy.problems import PolicyError, Problem
    from broker.policy.validate import PolicyContext
    from broker.settings import Settings

policy_app = typer.Typer(help="Sharing policies (agreements a DPO can read).", no_args_is_help=True)

DirArgument = Annotated[
    Path | None, typer.Argument(help="Policy directory (default: the configured one).")
]
PolicyOption = Annotated[
    Path | None, typer.Option("--policy", help="Policy directory (default: the configured one).")
]
BootstrapOption = Annotated[str | None, typer.Option(help="Kafka bootstrap servers.")]


@policy_app.callback()
def _options(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the traceback of a failure, not one line.")
    ] = False,
) -> None:
    """Sharing policies (agreements a DPO can read)."""
    debug_option(debug)


@dataclass(frozen=True)
class _Setup:
    """What every policy command needs: settings, the catalogue, its codec, the context."""

    settings: Settings
    codec: AvroCodec
    context: PolicyContext


def _setup() -> _Setup:
    from broker.agency_registry import load_agencies
    from broker.catalogue.catalogue import SchemaCatalogue
    from broker.catalogue.codec import AvroCodec
    from broker.policy_admin.policy_directory import policy_context

    settings = command_settings(log_level="warning", log_format="console")
    catalogue = SchemaCatalogue.load(settings.schema_dir)
    context = policy_context(catalogue, load_agencies(settings.agencies_file))
    return _Setup(settings, AvroCodec(catalogue), context)


def _problems(error: PolicyError) -> list[str]:
    return [str(p) for p in error.problems] or [str(error)]


def _exit_status(error: ValueError) -> int:
    """2 when a file or directory could not be read at all, 1 when what it says is wrong."""
    from broker.policy.problems import PolicyUnreadable

    return 2 if isinstance(error, PolicyUnreadable) else 1


def _checked(directory: Path, setup: _Setup) -> tuple[PolicySource, CompiledPolicy, list[Problem]]:
    from broker.policy.build import build_policy
    from broker.policy.problems import PolicyError
    from broker.policy_admin.policy_directory import read_policy_source

    try:
        source = read_policy_source(directory)
        policy, warnings = build_policy(source, setup.context)
    except PolicyError as error:
        exit_with(_problems(error), _exit_status(error))
    return source, policy, warnings


def _scenario_failures(directory: Path, policy: CompiledPolicy, setup: _Setup) -> list[str]:
    from broker.policy_admin.scenario_runs import scenario_failures

    failures = scenario_failures(directory, policy, setup.codec)
    return [line for failure in failures for line in failure.problems]


@policy_app.command("validate")
def validate(directory: DirArgument = None, as_json: JsonOption = False) -> None:
    """Check every agreement and run the scenarios; exit 0 when valid, 1 with file:line errors."""
    import json

    from broker.policy_admin.policy_directory import scenario_files

    setup = _setup()
    directory = directory or setup.settings.policy_file
    _, policy, warnings = _checked(directory, setup)
    failures = _scenario_failures(directory, policy, setup)
    rules = sum(len(a.rules) for a in policy.policy.agreements)
    if as_json:
        body = {
            "valid": not failures,
            "version": policy.version,
            "agreements": len(policy.policy.agreements),
            "rules": rules,
            "scenarios": len(scenario_files(directory)),
            "warnings": [str(p) for p in warnings],
            "scenario_failures": failures,
        }
        typer.echo(json.dumps(body, indent=2, ensure_ascii=False))
        if failures:
            raise typer.Exit(1)
        return
    for problem in warnings:
        typer.echo(str(problem))
    if failures:
        exit_with(failures)
    typer.echo(
        f"ok: policy {policy.version}: {len(policy.policy.agreements)} agreements, {rules} rules,"
        f" {len(scenario_files(directory))} scenarios pass, {len(warnings)} warnings"
    )


@policy_app.command("explain")
def explain(
    event: Annotated[Path, typer.Option("--event", help="YAML event (or scenario) file.")],
    to: Annotated[str | None, typer.Option("--to", help="Only this recipient agency.")] = None,
    policy_dir: PolicyOption = None,
    language: Annotated[str, typer.Option(help="en or cy (Welsh).")] = "en",
    area: Annotated[
        str | None, typer.Option(help="The person's IOM area, if the file has no subject.")
    ] = None,
    cohort: Annotated[
        str, typer.Option(help="Their cohort, if the file has no subject.")
    ] = "FIXED",
    as_json: JsonOption = False,
) -> None:
    """Say whether and why an event would be shared, under which rule, with which fields.

    Without a subject section in the file, the person is taken to be enrolled in the
    given cohort and area (default: the sending agency's area). A refusal because a
    rule's condition was false names that condition in words. Everything is in the
    chosen language.
    """
    import dataclasses
    import json

    from broker.policy.engine import PolicyEngine
    from broker.policy_admin.explain_input import explain_input
    from broker.policy_admin.explanation import explain as explained
    from broker.policy_admin.explanation import explanation_lines, not_a_recipient
    from broker.policy_admin.scenario_runs import SCENARIO_PSEUDONYM_KEY

    lang = _language(language)
    setup = _setup()
    _, policy, _ = _checked(policy_dir or setup.settings.policy_file, setup)
    if to is not None and to not in setup.context.agencies:
        exit_with([f"--to: unknown agency {to!r}"], 2)
    try:
        built, subject, now = explain_input(event, setup.codec, policy, area, cohort)
    except ValueError as error:
        exit_with([str(error)], _exit_status(error))
    identifiers = subject.identifiers.with_added(built.subject) if subject else built.subject
    routed = PolicyEngine(policy, SCENARIO_PSEUDONYM_KEY).route(built, subject, identifiers, now)
    if to is not None:
        routed = [r for r in routed if r.decision.recipient == to]
    explanation = explained(policy, setup.context.agencies, built, subject, routed, lang)
    if as_json:
        typer.echo(json.dumps(dataclasses.asdict(explanation), indent=2, ensure_ascii=False))
        return
    if to is not None and not routed:
        typer.echo(not_a_recipient(to, lang))
        return
    for line in explanation_lines(explanation):
        typer.echo(line)


@policy_app.command("simulate")
def simulate(
    proposed: Annotated[Path, typer.Option("--proposed", help="Proposed policy directory.")],
    current: Annotated[
        Path | None,
        typer.Option("--current", help="Current policy (default: the active or configured one)."),
    ] = None,
    events: Annotated[
        Path | None, typer.Option("--events", help="YAML traffic file instead of Kafka.")
    ] = None,
    bootstrap: BootstrapOption = None,
    as_json: JsonOption = False,
) -> None:
    """Replay recorded traffic and generated events for every changed rule through the
    current and proposed policy; report the differences and which changed rules were tested."""
    import asyncio
    import json

    from broker.kafka.client_options import kafka_client_options
    from broker.policy.build import build_policy
    from broker.policy.problems import PolicyError
    from broker.policy.simulate import compare_decisions
    from broker.policy_admin.activation_publisher import read_active
    from broker.policy_admin.dpo_reports import simulation_json, simulation_lines
    from broker.policy_admin.synthetic_traffic import synthetic_run
    from broker.policy_admin.traffic_replay import events_from_file, events_from_kafka, replay

    setup = _setup()
    servers = bootstrap or setup.settings.kafka.bootstrap_servers
    options = kafka_client_options(setup.settings)
    _, proposed_policy, _ = _checked(proposed, setup)
    try:
        with expected_failures(f"reading traffic from Kafka at {servers}"):
            if current is not None:
                current_policy = _checked(current, setup)[1]
            elif (
                events is None and (found := asyncio.run(read_active(servers, options))) is not None
            ):
                current_policy = build_policy(found.source, setup.context)[0]
            else:
                current_policy = _checked(setup.settings.policy_file, setup)[1]
            if events is not None:
                traffic = events_from_file(events, setup.codec)
            else:
                with progress("Reading recorded traffic from Kafka"):
                    traffic = asyncio.run(
                        events_from_kafka(servers, setup.codec, setup.context.agencies, options)
                    )
    except PolicyError as error:
        exit_with(_problems(error), _exit_status(error))
    with progress("Replaying recorded events", len(traffic)) as advance:
        pairs = list(replay(counted(traffic, advance), current_policy, proposed_policy))
    versions = (current_policy.version, proposed_policy.version)
    report = compare_decisions(pairs, len(traffic), *versions)
    with progress("Generating test events for the changed rules"):
        run = synthetic_run(current_policy, proposed_policy, setup.context, setup.codec, pairs)
    generated = compare_decisions(run.pairs, run.events, *versions)
    if as_json:
        typer.echo(json.dumps(simulation_json(report, run, generated), indent=2))
        return
    for line in simulation_lines(report, run, generated):
        typer.echo(line)


@policy_app.command("diff")
def diff(
    area: Annotated[
        list[str] | None,
        typer.Option("--area", help="Two areas: --area gwent --area dyfed-powys."),
    ] = None,
    proposed: Annotated[
        Path | None,
        typer.Option("--proposed", help="A proposed policy directory: the change in words."),
    ] = None,
    policy_dir: PolicyOption = None,
    language: Annotated[str, typer.Option(help="en or cy (Welsh).")] = "en",
    as_json: JsonOption = False,
) -> None:
    """Show how two areas' policies differ, or what a proposed policy changes, in words.

    With --proposed DIR: each changed agreement and rule (who shares what with whom, which
    details and how, purpose, law, retention, condition), against --policy (default: the
    configured policy directory).
    """
    from broker.policy.area_diff import area_diff
    from broker.policy_admin.dpo_reports import diff_lines

    lang = _language(language)
    if proposed is not None:
        if area:
            exit_with(["give either --proposed or two --area options, not both"], 2)
        _proposed_diff(proposed, policy_dir, lang, as_json)
        return
    area = area or []
    if len(area) != 2:
        exit_with([f"give exactly two areas with --area, not {len(area)}"], 2)
    setup = _setup()
    _, policy, _ = _checked(policy_dir or setup.settings.policy_file, setup)
    known = policy.policy.vocabulary.areas
    for name in area:
        if name not in known:
            exit_with([f"unknown area {name!r} (known: {', '.join(sorted(known))})"], 2)
    differences = area_diff(policy.policy, setup.context.agencies, area[0], area[1])
    if as_json:
        import dataclasses
        import json

        typer.echo(json.dumps([dataclasses.asdict(d) for d in differences], indent=2))
        return
    for line in diff_lines(area[0], area[1], differences):
        typer.echo(line)


def _language(language: str) -> Language:
    if language not in ("en", "cy"):
        exit_with([f"unknown language {language!r} (use en or cy)"], 2)
    return "cy" if language == "cy" else "en"


def _proposed_diff(proposed: Path, current: Path | None, lang: Language, as_json: bool) -> None:
    import dataclasses
    import json

    from broker.policy.change_in_words import change_in_words, change_sentences

    setup = _setup()
    _, now, _ = _checked(current or setup.settings.policy_file, setup)
    _, then, _ = _checked(proposed, setup)
    changes = change_in_words(now.policy, then.policy, setup.context.agencies, lang)
    if as_json:
        body = {
            "current_version": now.version,
            "proposed_version": then.version,
            "language": lang,
            "agreements": [dataclasses.asdict(change) for change in changes],
        }
        typer.echo(json.dumps(body, indent=2, ensure_ascii=False))
        return
    for line in change_sentences(changes, lang):
        typer.echo(line)


@policy_app.command("activate")
def activate(
    directory: DirArgument = None,
    bootstrap: BootstrapOption = None,
    by: Annotated[str | None, typer.Option(help="Who activates it (default: your user).")] = None,
) -> None:
    """Publish a valid, fully approved policy version: every router switches to it, no restart."""
    import asyncio
    import getpass
    from datetime import UTC, datetime

    from broker.kafka.client_options import kafka_client_options
    from broker.policy.activation import Activation
    from broker.policy.problems import CODE_UNAPPROVED
    from broker.policy_admin.activation_publisher import publish_activation

    setup = _setup()
    directory = directory or setup.settings.policy_file
    source, policy, warnings = _checked(directory, setup)
    unapproved = [str(p) for p in warnings if p.code == CODE_UNAPPROVED]
    if unapproved:
        exit_with([*unapproved, "not activated: every party must approve first"])
    failures = _scenario_failures(directory, policy, setup)
    if failures:
        exit_with([*failures, "not activated: a scenario fails"])
    activation = Activation(source, datetime.now(UTC), by or getpass.getuser())
    servers = bootstrap or setup.settings.kafka.bootstrap_servers
    options = kafka_client_options(setup.settings)  # secured: the admin principal
    with expected_failures(f"publishing the policy to Kafka at {servers}"):
        asyncio.run(publish_activation(servers, activation, options))
    typer.echo(f"activated policy {policy.version}; routers switch to it between batches")


@policy_app.command("active")
def active(bootstrap: BootstrapOption = None, as_json: JsonOption = False) -> None:
    """Show the policy version routers are following on the policies topic."""
    import asyncio
    import json

    from broker.kafka.client_options import kafka_client_options
    from broker.policy_admin.activation_publisher import read_active

    setup = _setup()
    servers = bootstrap or setup.settings.kafka.bootstrap_servers
    with expected_failures(f"reading the active policy from Kafka at {servers}"):
        found = asyncio.run(read_active(servers, kafka_client_options(setup.settings)))
    if as_json:
        body = None
        if found is not None:
            body = {
                "version": found.version,
                "activated_at": found.activated_at.isoformat(),
                "activated_by": found.activated_by,
                "agreements": len(found.source.agreement_paths()),
            }
        typer.echo(json.dumps({"active": body}, indent=2))
        return
    if found is None:
        typer.echo("no version activated: routers use their configured policy directory")
        return
    typer.echo(
        f"{found.version} activated {found.activated_at.isoformat()} by {found.activated_by}"
        f" ({len(found.source.agreement_paths())} agreements)"
    )
