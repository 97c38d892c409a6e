"""Unit-suite isolation: no ``IOM_*`` variable of the developer's shell reaches a unit test.

The variables are removed while the unit modules are imported (some load the shipped
settings at import) and while their tests run, then put back for the other suites. A test
that needs a variable sets it with ``monkeypatch.setenv``. Test budgets read at import
(``IOM_FUZZ_EXAMPLES``, ``IOM_ATHERIS_RUNS``) are read before this applies and still work.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Generator, Iterator

import pytest

#: The prefix of every setting's environment variable (``IOM_KAFKA__BOOTSTRAP_SERVERS``...).
SETTINGS_PREFIX = "IOM_"


@contextlib.contextmanager
def without_settings_variables() -> Iterator[None]:
    """Remove every ``IOM_*`` variable inside the block; restore them after it."""
    with pytest.MonkeyPatch.context() as patch:
        for name in [name for name in os.environ if name.startswith(SETTINGS_PREFIX)]:
            patch.delenv(name)
        yield


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
    """Import and collect each unit module without the shell's ``IOM_*`` variables."""
    with without_settings_variables():
        return (yield)


@pytest.fixture(scope="package", autouse=True)
def environment_without_settings() -> Iterator[None]:
    """No ``IOM_*`` variable while the unit tests and their fixtures (of any scope) run."""
    with without_settings_variables():
        yield
