"""The DPO-readable scenario files in policies/scenarios/ hold under the shipped agreements."""

from __future__ import annotations

from pathlib import Path

import pytest

from broker.policy_admin.policy_directory import scenario_files
from broker.policy_admin.scenario_runs import check_scenario_file
from tests.unit.policy.support import POLICIES, codec, engine, shipped

SCENARIOS = scenario_files(POLICIES)


def test_there_are_scenarios_for_both_local_areas() -> None:
    """Scenarios cover Gwent and Dyfed-Powys, each with a one-sentence description."""
    texts = [path.read_text(encoding="utf-8") for path in SCENARIOS]
    assert len(SCENARIOS) >= 10
    assert any("area: gwent" in t for t in texts) and any("area: dyfed-powys" in t for t in texts)
    assert all("\ndescription: " in t for t in texts)


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario_holds(path: Path) -> None:
    """The scenario's expected decisions and fields are exactly what the policy produces."""
    assert check_scenario_file(path, engine(shipped()), codec()) == []


def test_a_scenario_that_no_longer_holds_names_the_recipient_and_field(tmp_path: Path) -> None:
    """A wrong expectation is reported at its line, with the expected and actual values."""
    original = POLICIES / "scenarios" / "01-gwent-arrest-reaches-probation.yaml"
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(
        original.read_text(encoding="utf-8").replace(
            "payload.offence_category: Theft", "payload.offence_category: Robbery"
        )
    )
    problems = check_scenario_file(wrong, engine(shipped()), codec())
    assert [str(p) for p in problems] == [
        f"{wrong}:20: 'probation-wales': expected 'payload.offence_category' = 'Robbery',"
        " got 'Theft'"
    ]
