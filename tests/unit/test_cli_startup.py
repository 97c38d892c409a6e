"""``iom-broker`` prints its help without importing the heavy libraries its commands use."""

from __future__ import annotations

import subprocess
import sys

import pytest

from broker.project_root import PROJECT_ROOT

HEAVY = {"cel", "aiokafka", "fastapi"}


def imported_top_level_modules(arguments: list[str]) -> set[str]:
    """Run ``python -X importtime -m broker.cli ARGUMENTS``; the top-level packages it imported."""
    finished = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "broker.cli", *arguments],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    assert "Usage:" in finished.stdout
    names = [
        line.rsplit("|", 1)[1].strip()
        for line in finished.stderr.splitlines()
        if line.startswith("import time:") and line.count("|") == 2
    ]
    assert "broker.cli.root" in names  # the profile is the command's own
    return {name.split(".")[0] for name in names}


@pytest.mark.parametrize("arguments", [["--help"], ["policy", "--help"]])
def test_help_imports_neither_cel_aiokafka_nor_fastapi(arguments: list[str]) -> None:
    """`iom-broker --help` and `iom-broker policy --help` import no CEL, Kafka client or web app."""
    assert imported_top_level_modules(arguments) & HEAVY == set()
