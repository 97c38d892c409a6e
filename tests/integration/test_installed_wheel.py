"""The built wheel, installed into a fresh virtual environment outside the checkout, works.

The wheel is built from this checkout (``pip wheel --no-deps``, which runs setup.py's data
copy); the environment is created without pip or the project's packages, and the project's pip
installs the wheel into it with its pinned dependencies (from PyPI, through pip's cache). Every
command runs from a temporary folder with a minimal environment (no ``PYTHONPATH``, no
``IOM_*`` besides the Kafka jar cache, so ``dev up`` does not download Kafka again): what it
reads can only come from the installed package.
"""

from __future__ import annotations

import hashlib
import json
import os
import ssl
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from broker.api.api_docs import recorded_digests
from broker.devtools.processes import pid_alive
from broker.project_root import PROJECT_ROOT

GOVUK_CSS = PROJECT_ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"


@dataclass(frozen=True)
class Installed:
    """A virtual environment holding the installed wheel, and a folder outside the checkout."""

    venv: Path
    workdir: Path

    def run(self, *arguments: str) -> subprocess.CompletedProcess[str]:
        """Run one of the environment's programs from ``workdir`` with a minimal environment."""
        environment = {
            "PATH": f"{self.venv / 'bin'}:{os.environ['PATH']}",
            "HOME": os.environ.get("HOME", str(self.workdir)),
            "IOM_KAFKA_CACHE_DIR": str(PROJECT_ROOT / ".cache" / "kafka"),
        }
        return subprocess.run(
            [str(self.venv / "bin" / arguments[0]), *arguments[1:]],
            cwd=self.workdir,
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )


def _checked(command: list[str]) -> None:
    """Run a build or install step without ``PYTHONPATH`` (which would show pip the checkout
    as already installed)."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        command, env=environment, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    """The wheel built from this checkout, installed into a new environment."""
    dist = tmp_path_factory.mktemp("dist")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    _checked([*pip, "wheel", "--no-deps", "--quiet", "--wheel-dir", str(dist), str(PROJECT_ROOT)])
    (wheel,) = dist.glob("iom_broker-*.whl")
    venv = tmp_path_factory.mktemp("venv")
    _checked([sys.executable, "-m", "venv", "--without-pip", "--clear", str(venv)])
    _checked([*pip, "--python", str(venv / "bin" / "python"), "install", "--quiet", str(wheel)])
    yield Installed(venv, tmp_path_factory.mktemp("elsewhere"))


def test_the_installed_package_is_imported_and_carries_its_data(installed: Installed) -> None:
    """Python imports broker from the new environment (the checkout is not on sys.path) and
    its schemas, policies and web assets come from the package."""
    probe = (
        "import json, sys, broker, broker.package_data as p;"
        "print(json.dumps({'file': broker.__file__, 'path': sys.path,"
        " 'installed': p.is_installed(), 'schemas': str(p.schema_dir()),"
        " 'govuk': str(p.govuk_frontend_dir())}))"
    )
    done = installed.run("python", "-c", probe)
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout)
    assert Path(found["file"]).is_relative_to(installed.venv)
    assert not [entry for entry in found["path"] if entry.startswith(str(PROJECT_ROOT))]
    assert found["installed"] is True
    assert Path(found["schemas"]).is_relative_to(installed.venv)
    assert (Path(found["govuk"]) / "govuk-frontend.min.css").is_file()


def test_installed_policy_validate_checks_the_bundled_policy(installed: Installed) -> None:
    """`iom-broker policy validate` passes on the bundled policy, the same one as the
    checkout's (same digest)."""
    done = installed.run("iom-broker", "policy", "validate")
    assert done.returncode == 0, done.stderr[-2000:]
    checkout = subprocess.run(
        [sys.executable, "-m", "broker.cli", "policy", "validate"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.startswith("ok: policy sha256:")
    assert done.stdout.splitlines()[0] == checkout.stdout.splitlines()[0]


def test_installed_adapters_register_under_the_entry_point_group(installed: Installed) -> None:
    """The four adapters (import package iom_adapters) are found through the
    ``iom_broker.adapters`` entry points of the installed distribution."""
    done = installed.run("iom-broker", "adapter", "list")
    assert done.returncode == 0, done.stderr[-2000:]
    names = [line.split()[0] for line in done.stdout.splitlines()]
    assert names == ["health-fhir", "mapping", "police-custody", "probation-hmpps"]


def _get(url: str, tls: ssl.SSLContext) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=10, context=tls) as response:
        return response.status, response.headers.get("Content-Type", ""), response.read()


@pytest.mark.kafka
def test_installed_dev_up_serves_the_portal_console_and_docs(installed: Installed) -> None:
    """`iom-broker dev up` from the installed copy keeps its state in ./.state/dev and its
    API serves the portal's and the console's sign-in pages, govuk-frontend and Swagger UI;
    `dev down` stops everything."""
    up = installed.run("iom-broker", "dev", "up")
    state = installed.workdir / ".state" / "dev"
    assert up.returncode == 0, up.stderr[-2000:]
    info = json.loads((state / "stack.json").read_text())
    pids = [info["router_pid"], info["log_writer_pid"], info["issuer_pid"], info["api_pid"]]
    try:
        tls = ssl.create_default_context(cafile=info["ca_file"])
        api = info["api_url"]
        status, kind, page = _get(f"{api}/portal/sign-in", tls)
        assert (status, kind) == (200, "text/html; charset=utf-8")
        assert b"/govuk/govuk-frontend.min.css" in page
        status, _, page = _get(f"{api}/console/sign-in", tls)
        assert status == 200 and b"/portal-static/portal.css" in page
        _, _, css = _get(f"{api}/govuk/govuk-frontend.min.css", tls)
        assert css == (GOVUK_CSS / "govuk-frontend.min.css").read_bytes()
        status, kind, _ = _get(f"{api}/assets/images/favicon.svg", tls)
        assert (status, kind) == (200, "image/svg+xml")
        status, _, page = _get(f"{api}/docs", tls)
        assert status == 200 and b"swagger-ui-bundle.js" in page
        for name, digest in recorded_digests().items():
            _, _, served = _get(f"{api}/docs/assets/{name}", tls)
            assert hashlib.sha256(served).hexdigest() == digest, name
        browser = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=tls), urllib.request.HTTPCookieProcessor()
        )
        with browser.open(f"{api}/portal/sign-in/start?lang=en", timeout=10) as issuer_page:
            assert issuer_page.url.startswith(f"{info['token_issuer_url']}/authorize?")
            assert b"DEVELOPMENT ONLY" in issuer_page.read()
    finally:
        down = installed.run("iom-broker", "dev", "down")
    assert down.returncode == 0, down.stderr[-2000:]
    assert not any(pid_alive(pid) for pid in pids)
