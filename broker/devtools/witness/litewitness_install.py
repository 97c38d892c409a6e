"""Install litewitness and witnessctl (filippo.io/torchwood, pinned) into ``.cache/witness``.

``go install`` builds both commands from the Go module proxy into
``<cache>/<version>/bin``, once: a marker file is written only after the build succeeded, so
an interrupted run is redone and a completed one reused. Concurrent callers are serialised by
a file lock (like the Kafka jars). Go comes from the machine (``go`` on PATH or
``/usr/local/go/bin/go``) and must be 1.24 or newer (torchwood's ``go.mod``); Debian 12's
``golang-go`` is 1.19, so without a newer Go the error says so and suggests
``dev up --no-witness``.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import structlog

__all__ = [
    "TORCHWOOD_MODULE",
    "TORCHWOOD_VERSION",
    "WitnessToolingError",
    "default_cache_root",
    "ensure_litewitness",
    "find_go",
]

TORCHWOOD_MODULE = "filippo.io/torchwood"
TORCHWOOD_VERSION = "v0.6.1"
COMMANDS = ("litewitness", "witnessctl")
GO_MINIMUM = (1, 24)
NO_GO_HINT = (
    "install Go 1.24 or newer (https://go.dev/dl/), or run without a witness: "
    "dev up --no-witness (make demo: IOM_DEV_NO_WITNESS=1)"
)
GO_TIMEOUT_S = 900.0
MARKER = "complete"

log = structlog.get_logger(__name__)


class WitnessToolingError(RuntimeError):
    """Go is missing or ``go install`` failed; the message is one line."""


def default_cache_root() -> Path:
    """``<project root>/.cache/witness``, where builds are cached per version."""
    return Path(__file__).resolve().parents[3] / ".cache" / "witness"


GO_PLACES = ("/usr/local/go/bin/go", "/usr/lib/go/bin/go")
"""Where Go is looked for when ``go`` is not on PATH (the official toolchain's usual place)."""


def find_go() -> str:
    """The ``go`` command (1.24 or newer): on PATH, else in :data:`GO_PLACES`; a one-line
    error naming what is missing otherwise."""
    found = shutil.which("go") or next((p for p in GO_PLACES if os.access(p, os.X_OK)), None)
    if found is None:
        raise WitnessToolingError(f"go not found, needed to build litewitness: {NO_GO_HINT}")
    version = _go_version(found)
    if version < GO_MINIMUM:
        shown = ".".join(map(str, version))
        raise WitnessToolingError(
            f"go {shown} at {found} is too old to build litewitness: {NO_GO_HINT}"
        )
    return found


def _go_version(go: str) -> tuple[int, int]:
    """``(major, minor)`` of ``go version`` (``go version go1.24.3 linux/amd64``); (0, 0) if
    it does not answer so."""
    try:
        answer = subprocess.run(
            [go, "version"], capture_output=True, text=True, timeout=60, check=False
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return (0, 0)
    match = re.search(r"\bgo(\d+)\.(\d+)", answer)
    return (int(match[1]), int(match[2])) if match else (0, 0)


def ensure_litewitness(cache_root: Path | None = None, version: str = TORCHWOOD_VERSION) -> Path:
    """The folder holding ``litewitness`` and ``witnessctl`` of ``version``, built if needed."""
    version_dir = (cache_root or default_cache_root()) / version
    bin_dir = version_dir / "bin"
    if (version_dir / MARKER).exists():
        return bin_dir
    version_dir.mkdir(parents=True, exist_ok=True)
    with _locked(version_dir / ".lock"):
        if (version_dir / MARKER).exists():  # another process finished meanwhile
            return bin_dir
        _install(version, version_dir, bin_dir)
    return bin_dir


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _install(version: str, version_dir: Path, bin_dir: Path) -> None:
    go = find_go()
    packages = [f"{TORCHWOOD_MODULE}/cmd/{name}@{version}" for name in COMMANDS]
    env = {**os.environ, "GOBIN": str(bin_dir), "GOFLAGS": "-mod=mod", "CGO_ENABLED": "0"}
    log.info("witness.installing", module=TORCHWOOD_MODULE, version=version, cache=str(bin_dir))
    try:
        result = subprocess.run(
            [go, "install", *packages],
            cwd=version_dir,
            env=env,
            capture_output=True,
            text=True,
            timeout=GO_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise WitnessToolingError(
            f"go install {TORCHWOOD_MODULE}@{version} did not finish within {GO_TIMEOUT_S:.0f}s"
        ) from None
    missing = [name for name in COMMANDS if not (bin_dir / name).is_file()]
    if result.returncode != 0 or missing:
        tail = " | ".join(line for line in result.stderr.splitlines()[-4:] if line.strip())
        raise WitnessToolingError(
            f"go install {TORCHWOOD_MODULE}@{version} failed (exit {result.returncode}): {tail}"
        )
    (version_dir / MARKER).write_text(version + "\n", encoding="utf-8")
    log.info("witness.installed", version=version, bin=str(bin_dir))
