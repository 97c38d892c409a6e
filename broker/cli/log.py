"""``iom-broker log ...``: the offline verifier, subject export, and the log writer process."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from broker.cli.command_settings import command_settings
from broker.cli.failure import exit_with, fail
from broker.cli.json_output import JsonOption, print_json
from broker.cli.log_store_check import missing_log_setting
from broker.cli.progress import progress

if TYPE_CHECKING:
    from broker.transparency.cosignature import WitnessVerifier
    from broker.transparency.log import TransparencyLog
    from broker.transparency.note import NoteVerifier

log_app = typer.Typer(
    help="The transparency log: verify receipts offline, export, run the writer.",
    no_args_is_help=True,
)
writer_app = typer.Typer(
    help="The log writer: disclosures topic -> log store.", no_args_is_help=True
)
log_app.add_typer(writer_app, name="writer")

VkeyOption = Annotated[
    str,
    typer.Option(
        "--vkey", help="The log's verifier key 'name+keyid+base64', or a file holding it."
    ),
]

WitnessOption = Annotated[
    list[str] | None,
    typer.Option(
        "--witness",
        help="A witness's cosignature key 'name+keyid+base64', or a file holding it (repeatable).",
    ),
]
QuorumOption = Annotated[
    int | None,
    typer.Option(
        "--quorum",
        min=0,
        help="How many of the --witness keys must have cosigned (default: all of them).",
    ),
]


def _text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except OSError as error:
        exit_with([f"{path}: cannot read ({error.strerror})"])
    except UnicodeDecodeError:
        exit_with([f"{path}: not UTF-8 text"])


def _verifier(vkey: str) -> NoteVerifier:
    from broker.transparency.errors import TransparencyError
    from broker.transparency.note import NoteVerifier

    candidate = Path(vkey)
    text = _text(candidate).strip() if "+" not in vkey and candidate.is_file() else vkey
    try:
        return NoteVerifier.from_vkey(text)
    except TransparencyError as error:
        exit_with([f"--vkey: {error}"])


def _witnesses(vkeys: list[str] | None, quorum: int | None) -> tuple[list[WitnessVerifier], int]:
    """The --witness keys and the quorum (default: every witness given)."""
    from broker.transparency.cosignature import WitnessVerifier
    from broker.transparency.errors import TransparencyError

    verifiers: list[WitnessVerifier] = []
    for vkey in vkeys or []:
        candidate = Path(vkey)
        text = _text(candidate).strip() if "+" not in vkey and candidate.is_file() else vkey
        try:
            verifiers.append(WitnessVerifier.from_vkey(text))
        except TransparencyError as error:
            exit_with([f"--witness: {error}"])
    wanted = len(verifiers) if quorum is None else quorum
    if wanted > len(verifiers):
        exit_with([f"--quorum {wanted}: only {len(verifiers)} --witness keys given"])
    return verifiers, wanted


def _cosigners(
    note: str, witnesses: list[WitnessVerifier], quorum: int, source: str
) -> list[str] | None:
    """The witnesses that cosigned ``note`` (None when none were asked for); exit 1 naming
    what is missing below quorum."""
    from broker.transparency.cosignature import check_quorum
    from broker.transparency.errors import TransparencyError

    if not witnesses:
        return None
    try:
        found = check_quorum(note, witnesses, quorum)
    except TransparencyError as error:
        exit_with([f"{source}: {error}"])
    return [c.witness for c in found]


def _verified(cosigners: list[str] | None, as_json: bool, **checked: str) -> None:
    """Print the ok line, or with ``--json`` what was checked and who cosigned."""
    if as_json:
        print_json({"ok": True, **checked, "cosigned_by": cosigners})
    elif cosigners is None:
        typer.echo("ok")
    else:
        typer.echo(f"ok (cosigned by {', '.join(cosigners) or 'no witness'})")


@log_app.command("verify-proof")
def verify_proof(
    proof_file: Annotated[Path, typer.Argument(help="A c2sp.org/tlog-proof@v1 file.")],
    vkey: VkeyOption,
    entry: Annotated[Path, typer.Option("--entry", help="File with the raw entry bytes.")],
    witness: WitnessOption = None,
    quorum: QuorumOption = None,
    as_json: JsonOption = False,
) -> None:
    """Check that ENTRY is in the log under a checkpoint signed by VKEY (and cosigned by
    QUORUM of the --witness keys); print ok or why not."""
    from broker.transparency.errors import TransparencyError
    from broker.transparency.proof_files import parse_tlog_proof
    from broker.transparency.verifier import verify_entry_proof

    verifier = _verifier(vkey)
    witnesses, wanted = _witnesses(witness, quorum)
    try:
        entry_bytes = entry.read_bytes()
    except OSError as error:
        exit_with([f"{entry}: cannot read ({error.strerror})"])
    text = _text(proof_file)
    try:
        verify_entry_proof(text, entry_bytes, verifier, str(proof_file))
        note = parse_tlog_proof(text, str(proof_file)).checkpoint
    except TransparencyError as error:
        exit_with([str(error)])
    cosigners = _cosigners(note, witnesses, wanted, str(proof_file))
    _verified(cosigners, as_json, proof=str(proof_file), entry=str(entry))


@log_app.command("verify-consistency")
def verify_consistency_command(
    old_checkpoint: Annotated[Path, typer.Argument(help="The older signed checkpoint.")],
    new_body: Annotated[Path, typer.Argument(help="c2sp.org/tlog-witness add-checkpoint body.")],
    vkey: VkeyOption,
    witness: WitnessOption = None,
    quorum: QuorumOption = None,
    as_json: JsonOption = False,
) -> None:
    """Check that the body's checkpoint extends OLD_CHECKPOINT (append-only) and is cosigned
    by QUORUM of the --witness keys; print ok or why."""
    from broker.transparency.errors import TransparencyError
    from broker.transparency.proof_files import parse_consistency_body
    from broker.transparency.verifier import verify_checkpoint_consistency

    verifier = _verifier(vkey)
    witnesses, wanted = _witnesses(witness, quorum)
    body = _text(new_body)
    try:
        verify_checkpoint_consistency(
            _text(old_checkpoint), body, verifier, str(old_checkpoint), str(new_body)
        )
        note = parse_consistency_body(body, str(new_body)).checkpoint
    except TransparencyError as error:
        exit_with([str(error)])
    cosigners = _cosigners(note, witnesses, wanted, str(new_body))
    _verified(cosigners, as_json, old_checkpoint=str(old_checkpoint), new=str(new_body))


def _open_log(existing: bool = False) -> TransparencyLog:
    """The configured log; with ``existing``, exit 2 unless its store and keys already exist
    (reading must never create an empty log: an export from it would look like "no entries")."""
    from broker.transparency.errors import StoreUnavailableError, TransparencyError
    from broker.transparency.wiring import open_log

    settings = command_settings().transparency
    if existing:
        missing = missing_log_setting(settings)
        if missing:
            fail(missing, 2)
    try:
        return open_log(settings)
    except (TransparencyError, StoreUnavailableError, ValueError) as error:
        fail(str(error))


@log_app.command("export")
def export(
    subject: Annotated[str, typer.Option("--subject", help="The subject's reference (subj-...).")],
    out: Annotated[Path, typer.Option("--out", help="Folder to write the export into.")],
    actor: Annotated[str, typer.Option(help="Who makes this export (for the s.62 audit).")],
    reference: Annotated[
        str, typer.Option(help="The request's reference (SAR-...), shown on the answer.")
    ] = "",
    as_json: JsonOption = False,
) -> None:
    """Write a subject's entries with proof files, for a subject access response.

    The folder gets answer.zip, the answer to send the person: the entries in words in
    English and Welsh, each with receipt files that verify offline (as the portal's answer);
    and, for tools, entries.json with each entry's .entry and .tlog-proof file.
    """
    from broker.cli.log_answer import answer_words, write_answer
    from broker.domain.subject_ref_syntax import SUBJECT_REF_CHARACTERS, is_subject_ref
    from broker.transparency.export import export_subject

    if not is_subject_ref(subject):
        fail(f"--subject: a subject reference must be {SUBJECT_REF_CHARACTERS}")
    settings = command_settings()
    try:
        words = answer_words(settings)
    except ValueError as error:  # the agency registry or policy files, one line
        fail(str(error), 2)
    log = _open_log(existing=True)
    with progress("Exporting entries") as advance:
        summary = export_subject(log, subject, out, actor, advance)
    answer = write_answer(words, settings, log, subject, summary, out, reference)
    if as_json:
        body = {"entries": summary.entries, "checkpoint_size": summary.checkpoint_size}
        print_json({**body, "folder": str(out), "answer": str(answer)})
        return
    typer.echo(
        f"{summary.entries} entries under checkpoint size {summary.checkpoint_size} in {out}; "
        f"the answer to send is {answer}"
    )


@log_app.command("checkpoint")
def checkpoint() -> None:
    """Sign a checkpoint of the current tree now (if it grew) and print it."""
    typer.echo(_open_log().publish_checkpoint().note, nl=False)


@log_app.command("vkey")
def vkey_command() -> None:
    """Print the log's verifier key (give it to anyone who verifies receipts)."""
    typer.echo(_open_log().verifier.vkey)


@log_app.command("prove")
def prove(
    disclosure: Annotated[str, typer.Argument(help="Disclosure id of the entry.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for ENTRY and PROOF files.")],
) -> None:
    """Write one entry's bytes and its tlog-proof against the latest checkpoint."""
    transparency_log = _open_log()
    stored = transparency_log.store.entry_by_disclosure(disclosure)
    if stored is None or stored.content is None:
        exit_with([f"disclosure {disclosure}: no entry with content in the log"])
    latest = transparency_log.publish_checkpoint()
    proof = transparency_log.inclusion_proof(stored.index, latest.size)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{stored.index:06d}.entry").write_bytes(stored.content)
    text = transparency_log.tlog_proof(stored.index, latest, proof)
    (out / f"{stored.index:06d}.tlog-proof").write_text(text, encoding="utf-8")
    typer.echo(f"entry {stored.index} under checkpoint size {latest.size} in {out}")


@log_app.command("consistency")
def consistency(
    old_size: Annotated[int, typer.Argument(help="Tree size of the older checkpoint.")],
) -> None:
    """Print an add-checkpoint body from OLD_SIZE to the latest checkpoint."""
    from broker.transparency.errors import TransparencyError

    transparency_log = _open_log()
    latest = transparency_log.publish_checkpoint()
    try:
        body = transparency_log.consistency_body(old_size, latest)
    except TransparencyError as error:
        exit_with([str(error)])
    typer.echo(body, nl=False)


@log_app.command("verify-store")
def verify_store() -> None:
    """Recompute the whole log from its leaves and check every node, entry and checkpoint."""
    from broker.transparency.integrity import check_store

    transparency_log = _open_log()
    report = check_store(transparency_log.store, transparency_log.verifier)
    for problem in report.problems:
        typer.echo(problem, err=True)
    if not report.ok:
        raise typer.Exit(1)
    typer.echo(
        f"ok: {report.size} leaves, {report.contents_checked} entries re-hashed, "
        f"{report.checkpoints_checked} checkpoints"
    )


@log_app.command("sweep")
def sweep() -> None:
    """Erase the content of entries whose retention has ended (leaf hashes stay)."""
    from broker.transparency.retention_sweep import erase_expired

    erased = erase_expired(_open_log().store, datetime.now(UTC))
    typer.echo(f"{erased} entries erased")


@log_app.command("restrict")
def restrict(
    disclosure: Annotated[str, typer.Argument(help="Disclosure id of the entry to restrict.")],
    reason: Annotated[str, typer.Option(help="Why (DPA 2018 s.45(4)), e.g. live investigation.")],
    by: Annotated[str, typer.Option(help="Who sets the restriction.")],
    review: Annotated[str, typer.Option(help="Review date, YYYY-MM-DD.")],
) -> None:
    """Hide an entry from its subject until lifted (s.45(4)); audited."""
    from broker.transparency.errors import TransparencyError
    from broker.transparency.restrictions import restrict_entry

    try:
        review_date = date.fromisoformat(review)
    except ValueError:
        exit_with([f"--review: {review!r} is not a date YYYY-MM-DD"])
    try:
        ident = restrict_entry(
            _open_log().store, disclosure, reason, by, review_date, datetime.now(UTC)
        )
    except TransparencyError as error:
        exit_with([str(error)])
    typer.echo(f"restriction {ident} set")


@log_app.command("lift")
def lift(
    restriction: Annotated[int, typer.Argument(help="Restriction id.")],
    by: Annotated[str, typer.Option(help="Who lifts it.")],
) -> None:
    """Lift a restriction: the entry is shown to its subject again; audited."""
    from broker.transparency.restrictions import lift_restriction

    if not lift_restriction(_open_log().store, restriction, by, datetime.now(UTC)):
        exit_with([f"restriction {restriction}: not found or already lifted"])
    typer.echo(f"restriction {restriction} lifted")


@log_app.command("monitor")
def monitor(
    url: Annotated[str, typer.Argument(help="The log's tlog-tiles prefix, e.g. https://host/log")],
    vkey: VkeyOption,
    witness: WitnessOption = None,
    quorum: QuorumOption = None,
    mirror: Annotated[
        Path, typer.Option("--mirror", help="Folder for the mirrored tiles and last checkpoint.")
    ] = Path(".state/monitor"),
    interval: Annotated[
        float, typer.Option("--interval", min=0.1, help="Seconds between checks.")
    ] = 30.0,
    once: Annotated[bool, typer.Option("--once", help="Check one checkpoint, then exit.")] = False,
    ca_file: Annotated[
        Path | None, typer.Option("--ca-file", help="CA certificates (PEM) to trust for HTTPS.")
    ] = None,
) -> None:
    """Mirror a running log's tiles and check every new checkpoint extends the last one (and is
    cosigned by QUORUM of the --witness keys); exit 1 with one line on any inconsistency."""
    import time

    import httpx

    from broker.transparency.errors import TransparencyError
    from broker.transparency.monitor import LogMonitor

    verifier = _verifier(vkey)
    witnesses, wanted = _witnesses(witness, quorum)
    client = httpx.Client(verify=str(ca_file) if ca_file else True, timeout=10.0)
    prefix = url.rstrip("/")

    def fetch(path: str) -> bytes:
        try:
            response = client.get(f"{prefix}/{path}")
        except httpx.HTTPError as error:
            exit_with([f"{prefix}/{path}: cannot fetch ({type(error).__name__})"])
        if response.status_code != 200:
            exit_with([f"{prefix}/{path}: HTTP {response.status_code}"])
        return response.content

    watcher = LogMonitor(mirror, fetch, verifier, witnesses, wanted)
    while True:
        try:
            seen = watcher.check()
        except TransparencyError as error:
            exit_with([f"{prefix}: {error}"])
        cosigned = ", ".join(c.witness for c in seen.cosignatures)
        typer.echo(
            f"ok: size {seen.checkpoint.size} extends size {seen.previous_size or 0}"
            + (f", cosigned by {cosigned}" if cosigned else "")
        )
        if once:
            return
        time.sleep(interval)


@writer_app.command("run")
def writer_run() -> None:
    """Append disclosures to the log until SIGTERM or Ctrl-C (settings from IOM_* variables);
    submit each new checkpoint to the configured witnesses meanwhile."""
    import asyncio
    import signal

    import httpx

    from broker.bootstrap import load_core
    from broker.ready_file import ready_file
    from broker.transparency.errors import TransparencyError
    from broker.transparency.log_writer import LogWriter, open_log_when_reachable
    from broker.transparency.witness_submitter import WitnessSubmitter, witnesses_from

    settings = command_settings()
    codec = load_core(settings).codec
    try:
        witnesses = witnesses_from(settings.transparency.witnesses)
    except TransparencyError as error:
        fail(f"setting transparency.witnesses: {error}", 2)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        transparency_log = await open_log_when_reachable(settings.transparency, stop)
        if transparency_log is None:
            return
        async with httpx.AsyncClient() as client:
            submitter = WitnessSubmitter(
                transparency_log, witnesses, client, settings.transparency.witness_poll_s
            )
            witnessing = asyncio.create_task(submitter.run(stop) if witnesses else stop.wait())
            writer = LogWriter(settings, transparency_log, codec)
            try:
                async with ready_file(writer.ready, settings.ready_file):
                    await writer.run(stop)
            finally:
                stop.set()
                await witnessing

    asyncio.run(main())
