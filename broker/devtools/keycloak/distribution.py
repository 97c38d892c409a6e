"""Keycloak from Maven Central: download, unpack and build once per version, like Kafka's jars.

``ensure_keycloak()`` fetches ``org.keycloak:keycloak-quarkus-dist:<version>:zip`` with Maven
into ``<cache>/<version>/``, unpacks it into ``home/`` and runs ``kc.sh build`` with
:data:`BUILD_OPTIONS` (health endpoint on, the development file database). Each step leaves
a marker only once it succeeded, so an interrupted run is redone and a finished one is reused;
concurrent callers wait on a file lock. The cache is shared by every state folder; Keycloak's
data lives in each state folder.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from collections.abc import Mapping
from pathlib import Path

import structlog

from broker.devtools.kafka.jars import (
    DEPENDENCY_PLUGIN_VERSION,
    KafkaToolingError,
    Runner,
    exclusive_lock,
    require_executable,
)
from broker.devtools.processes import tail_text
from broker.package_data import SOURCE_ROOT, is_installed

__all__ = [
    "BUILD_OPTIONS",
    "CACHE_DIR_VARIABLE",
    "KEYCLOAK_VERSION",
    "KeycloakToolingError",
    "default_cache_root",
    "ensure_keycloak",
]

KEYCLOAK_VERSION = "26.5.6"
CACHE_DIR_VARIABLE = "IOM_KEYCLOAK_CACHE_DIR"
BUILD_OPTIONS = ("--db=dev-file", "--health-enabled=true")
"""Build-time options ``kc.sh build`` bakes in; ``start --optimized`` then skips the build."""
_STEP_TIMEOUT_S = 900.0
_ZIP = "keycloak-quarkus-dist-{version}.zip"
_BUILT_MARKER = "built.json"

log = structlog.get_logger(__name__)


class KeycloakToolingError(KafkaToolingError):
    """Fetching, unpacking or building Keycloak failed; the message is one line."""


def default_cache_root(environ: Mapping[str, str] = os.environ) -> Path:
    """``IOM_KEYCLOAK_CACHE_DIR`` if set; ``.cache/keycloak`` in a checkout; else the user's
    cache folder (``$XDG_CACHE_HOME/iom-broker/keycloak``)."""
    if explicit := environ.get(CACHE_DIR_VARIABLE):
        return Path(explicit)
    if not is_installed():
        return SOURCE_ROOT / ".cache" / "keycloak"
    user_cache = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(user_cache) / "iom-broker" / "keycloak"


def ensure_keycloak(
    version: str = KEYCLOAK_VERSION,
    cache_root: Path | None = None,
    runner: Runner = subprocess.run,
) -> Path:
    """Return Keycloak ``version``'s built home folder (holding ``bin/kc.sh``), fetching,
    unpacking and building it first if needed."""
    version_dir = (cache_root or default_cache_root()) / version
    home = version_dir / "home"
    if _built(home):
        return home
    version_dir.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(version_dir / ".lock"):
        if _built(home):
            return home
        archive = _download(version, version_dir, runner)
        if not (home / "bin" / "kc.sh").is_file():
            _unpack(archive, version, home)
        _build(home, version, runner)
    return home


def _built(home: Path) -> bool:
    try:
        recorded = json.loads((home / _BUILT_MARKER).read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(recorded, dict) and recorded.get("options") == list(BUILD_OPTIONS)


def _download(version: str, version_dir: Path, runner: Runner) -> Path:
    archive = version_dir / _ZIP.format(version=version)
    if archive.is_file() and zipfile.is_zipfile(archive):
        return archive
    mvn = require_executable("mvn", f"download Keycloak {version} from Maven Central")
    staging = version_dir / "download.partial"
    shutil.rmtree(staging, ignore_errors=True)
    command = [
        mvn,
        "-q",
        "-B",
        f"org.apache.maven.plugins:maven-dependency-plugin:{DEPENDENCY_PLUGIN_VERSION}:copy",
        f"-Dartifact=org.keycloak:keycloak-quarkus-dist:{version}:zip",
        f"-DoutputDirectory={staging}",
    ]
    log.info("keycloak.downloading", version=version, cache=str(version_dir))
    result = _run(runner, command, version_dir, f"fetching Keycloak {version}")
    fetched = staging / archive.name
    if result.returncode != 0 or not fetched.is_file():
        output = (result.stdout or "") + (result.stderr or "")
        raise KeycloakToolingError(
            f"mvn failed (exit {result.returncode}) fetching Keycloak {version} into "
            f"{staging}: {tail_text(output.splitlines())}"
        )
    fetched.replace(archive)
    shutil.rmtree(staging, ignore_errors=True)
    return archive


def _unpack(archive: Path, version: str, home: Path) -> None:
    staging = home.parent / "home.partial"
    shutil.rmtree(staging, ignore_errors=True)
    with zipfile.ZipFile(archive) as bundle:
        bundle.extractall(staging)
    inner = staging / f"keycloak-{version}"
    if not (inner / "bin" / "kc.sh").is_file():
        raise KeycloakToolingError(f"{archive} holds no keycloak-{version}/bin/kc.sh")
    for script in (inner / "bin").glob("*.sh"):
        script.chmod(0o755)
    shutil.rmtree(home, ignore_errors=True)
    inner.rename(home)
    shutil.rmtree(staging, ignore_errors=True)


def _build(home: Path, version: str, runner: Runner) -> None:
    require_executable("java", f"run Keycloak {version}")
    (home / _BUILT_MARKER).unlink(missing_ok=True)
    command = [str(home / "bin" / "kc.sh"), "build", *BUILD_OPTIONS]
    log.info("keycloak.building", version=version, options=list(BUILD_OPTIONS))
    result = _run(runner, command, home, f"building Keycloak {version}")
    if result.returncode != 0:
        output = (result.stdout or "") + (result.stderr or "")
        raise KeycloakToolingError(
            f"kc.sh build failed (exit {result.returncode}) in {home}: "
            f"{tail_text(output.splitlines())}"
        )
    marker = {"version": version, "options": list(BUILD_OPTIONS)}
    (home / _BUILT_MARKER).write_text(json.dumps(marker, indent=1), "utf-8")
    log.info("keycloak.built", version=version, home=str(home))


def _run(
    runner: Runner, command: list[str], cwd: Path, doing: str
) -> subprocess.CompletedProcess[str]:
    try:
        return runner(
            command,
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=_STEP_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise KeycloakToolingError(
            f"{Path(command[0]).name} did not finish within {_STEP_TIMEOUT_S:.0f}s {doing}"
        ) from exc
