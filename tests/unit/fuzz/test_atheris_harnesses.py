"""The coverage-guided harnesses in fuzz/ run cleanly for a short bounded burst (CI smoke run)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from broker.settings import PROJECT_ROOT

HARNESSES = ["avro_decode", "proof_verifier", "cel_condition", "adapter_parsers"]
RUNS = os.environ.get("IOM_ATHERIS_RUNS", "400")


@pytest.mark.parametrize("harness", HARNESSES)
def test_harness_finds_nothing_in_a_short_run(harness: str) -> None:
    """A bounded libFuzzer run of each harness ends without a crash, hang or unclean message."""
    result = subprocess.run(
        [sys.executable, "-m", f"fuzz.{harness}", f"-runs={RUNS}", "-timeout=20", "-seed=1"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "IOM_FUZZ_INSTRUMENT": "0"},  # instrumenting takes minutes
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "DONE" in result.stderr
