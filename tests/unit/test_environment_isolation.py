"""A developer's ``IOM_*`` shell variables cannot change the result of a unit test."""

from __future__ import annotations

import os
import subprocess
import sys

from broker.project_root import PROJECT_ROOT

#: Variables that would break the settings tests if they reached them.
SHELL = {"IOM_LOG_LEVEL": "loud", "IOM_KAFKA__BOOTSTRAP_SERVERS": "shell.example:1"}


def test_unit_tests_see_no_iom_variable() -> None:
    """Inside a unit test the environment holds no ``IOM_*`` variable."""
    assert [name for name in os.environ if name.startswith("IOM_")] == []


def test_a_bad_iom_variable_in_the_shell_leaves_the_unit_tests_green() -> None:
    """With a bad log level and another Kafka address exported, the settings tests still pass."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    command += [
        f"{__file__}::test_unit_tests_see_no_iom_variable",
        str(PROJECT_ROOT / "tests" / "unit" / "test_settings.py"),
    ]
    result = subprocess.run(
        command,
        cwd=PROJECT_ROOT,
        env={**os.environ, **SHELL},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert " passed" in result.stdout and "skipped" not in result.stdout
