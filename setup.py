"""Build step of the wheel: copy the broker's data into the package (``broker/data/``).

Everything else is in pyproject.toml. A wheel carries what an installed broker reads by
default (``broker.package_data``): the event schemas (``schemas/``), the default policies and
agency registry (``policies/``) and the front-end files the portal, the console and ``/docs``
serve, taken from ``node_modules/`` exactly as package-lock.json pins them (run ``npm ci``
first; ``make wheel`` does). Editable installs skip the copy: they read the checkout's folders.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
NODE_MODULES = ROOT / "node_modules"
GOVUK_DIST = NODE_MODULES / "govuk-frontend" / "dist" / "govuk"
SWAGGER_UI = NODE_MODULES / "swagger-ui-dist"
SWAGGER_DIGESTS = ROOT / "broker" / "api" / "api_docs_assets.sha256"


def _swagger_files() -> list[str]:
    """The Swagger UI files ``/docs`` serves: those whose digests are recorded."""
    lines = SWAGGER_DIGESTS.read_text("utf-8").splitlines()
    return [line.partition("  ")[2] for line in lines if line.strip() and line[0] != "#"]


def _copies() -> list[tuple[Path, Path]]:
    """``(source, destination under broker/data)`` for every file or folder the wheel carries."""
    web = Path("web")
    return [
        (ROOT / "schemas", Path("schemas")),
        (ROOT / "policies", Path("policies")),
        (GOVUK_DIST / "govuk-frontend.min.css", web / "govuk-frontend" / "govuk-frontend.min.css"),
        (GOVUK_DIST / "govuk-frontend.min.js", web / "govuk-frontend" / "govuk-frontend.min.js"),
        (GOVUK_DIST / "assets", web / "govuk-frontend" / "assets"),
        (GOVUK_DIST.parent.parent / "package.json", web / "govuk-frontend" / "package.json"),
        *[(SWAGGER_UI / name, web / "swagger-ui-dist" / name) for name in _swagger_files()],
        (SWAGGER_UI / "LICENSE", web / "swagger-ui-dist" / "LICENSE"),
        (SWAGGER_UI / "package.json", web / "swagger-ui-dist" / "package.json"),
    ]


class BuildWithData(build_py):
    """``build_py`` that also copies the schemas, policies and web assets into the package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        missing = [str(source) for source, _ in _copies() if not source.exists()]
        if missing:
            raise SystemExit(f"error: {missing[0]} is missing; run `npm ci` first")
        data = Path(self.build_lib) / "broker" / "data"
        shutil.rmtree(data, ignore_errors=True)  # nothing left over from an earlier build
        for source, relative in _copies():
            target = data / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, target, dirs_exist_ok=True)
            else:
                shutil.copyfile(source, target)


setup(cmdclass={"build_py": BuildWithData})
