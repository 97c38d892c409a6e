"""Where the broker finds its data: bundled in an installed wheel, or beside a source checkout.

A built wheel carries the event schemas, the default policies and agency registry and the
front-end assets under ``broker/data/`` (copied there at build time by ``setup.py``). Run from
a checkout (``pip install -e .`` or ``PYTHONPATH``), the same things are the checkout's own
``schemas/``, ``policies/`` and ``node_modules/`` folders, as they have always been. Nothing in
an installed copy reads the folder it was built from.

Mutable state (keys, stores, the development stack) defaults to ``.state`` in the checkout, or
in the current directory for an installed copy; every default can be overridden by a setting.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "BUNDLED_DATA",
    "SOURCE_ROOT",
    "agencies_file",
    "govuk_frontend_dir",
    "is_installed",
    "policy_dir",
    "schema_dir",
    "state_dir",
    "swagger_ui_dir",
]

PACKAGE_DIR = Path(__file__).resolve().parent
BUNDLED_DATA = PACKAGE_DIR / "data"
"""The data folder of a built wheel (absent in a source checkout)."""
SOURCE_ROOT = PACKAGE_DIR.parent
"""The checkout holding this package when it runs from source."""


def is_installed() -> bool:
    """True when this package was installed from a built wheel (it carries its own data)."""
    return BUNDLED_DATA.is_dir()


def _data_root() -> Path:
    return BUNDLED_DATA if is_installed() else SOURCE_ROOT


def schema_dir() -> Path:
    """The event catalogue: ``catalogue.yaml`` and the ``*.avsc`` files."""
    return _data_root() / "schemas"


def policy_dir() -> Path:
    """The default policy directory: vocabulary, agreements, scenarios, sample traffic."""
    return _data_root() / "policies"


def agencies_file() -> Path:
    """The default agency registry."""
    return policy_dir() / "agencies.yaml"


def govuk_frontend_dir() -> Path:
    """govuk-frontend's built CSS, JS and ``assets/`` (npm package, pinned in package.json)."""
    if is_installed():
        return BUNDLED_DATA / "web" / "govuk-frontend"
    return SOURCE_ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"


def swagger_ui_dir() -> Path:
    """The Swagger UI files ``/docs`` serves (npm package ``swagger-ui-dist``)."""
    if is_installed():
        return BUNDLED_DATA / "web" / "swagger-ui-dist"
    return SOURCE_ROOT / "node_modules" / "swagger-ui-dist"


def state_dir() -> Path:
    """Default folder of keys, stores and stacks: the checkout's ``.state``, or ``./.state``."""
    return (Path.cwd() if is_installed() else SOURCE_ROOT) / ".state"
