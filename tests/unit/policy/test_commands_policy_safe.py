"""The policy commands a DPO scripts: JSON output, the change in words, one-line failures."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from broker.cli.log import log_app
from broker.cli.policy import policy_app
from tests.unit.policy.support import POLICIES, write_policy_copy

runner = CliRunner()
TRAFFIC = str(POLICIES / "traffic" / "sample-month.yaml")
GDAS = Path("agreements") / "gwent-gdas-treatment-dda.yaml"


def _proposed(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the shipped policy with one edit to the GDAS agreement."""
    proposed = write_policy_copy(tmp_path / "proposed")
    agreement = proposed / GDAS
    agreement.write_text(agreement.read_text().replace(old, new))
    return proposed


def test_diff_proposed_prints_the_change_in_words(tmp_path: Path) -> None:
    """``diff --proposed`` says the retention in years, not P2Y, in English and in Welsh."""
    proposed = _proposed(tmp_path, "retention: P1Y", "retention: P2Y")
    english = runner.invoke(
        policy_app, ["diff", "--proposed", str(proposed), "--policy", str(POLICIES)]
    )
    assert english.exit_code == 0, english.output
    assert "    Kept for 2 years instead of 1 year." in english.stdout.splitlines()
    welsh = runner.invoke(
        policy_app,
        ["diff", "--proposed", str(proposed), "--policy", str(POLICIES), "--language", "cy"],
    )
    assert "    Cedwir am 2 flynedd yn lle 1 flwyddyn." in welsh.stdout.splitlines()


def test_diff_proposed_json_has_each_aspect_before_and_after(tmp_path: Path) -> None:
    """The JSON names the changed rule and its retention aspect with both values in words."""
    proposed = _proposed(tmp_path, "retention: P1Y", "retention: P2Y")
    result = runner.invoke(
        policy_app, ["diff", "--proposed", str(proposed), "--policy", str(POLICIES), "--json"]
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    (agreement,) = body["agreements"]
    (rule,) = agreement["rules"]
    assert rule["rule_id"] == "gdas-treatment-progress-to-probation"
    retention = next(a for a in rule["aspects"] if a["key"] == "retention")
    assert retention == {
        "key": "retention",
        "label": "Kept for",
        "now": "2 years",
        "was": "1 year",
        "change": "changed",
    }


def test_simulate_tests_a_changed_rule_the_traffic_never_reaches(tmp_path: Path) -> None:
    """Removing a detail from a rule the sample month never hits is found by generated events,
    so the report does not claim "no difference"."""
    proposed = _proposed(tmp_path, ", payload.outcome]", "]")
    args = ["simulate", "--proposed", str(proposed), "--current", str(POLICIES)]
    result = runner.invoke(policy_app, [*args, "--events", TRAFFIC])
    assert result.exit_code == 0, result.output
    assert "No decision would change in the recorded traffic." in result.stdout
    assert "-payload.outcome" in result.stdout
    assert "rule gdas-treatment-progress-to-probation (changed): tested" in result.stdout
    assert "No difference" not in result.stdout
    as_json = json.loads(runner.invoke(policy_app, [*args, "--events", TRAFFIC, "--json"]).stdout)
    assert as_json["traffic"]["changes"] == []
    assert as_json["generated"]["changes"][0]["detail"] == "-payload.outcome"
    assert as_json["rules"][0]["tested_by_traffic"] is False
    assert as_json["rules"][0]["tested_by_generated_events"] is True
    assert as_json["no_difference"] is False


def test_simulate_reports_a_retention_only_change_as_such(tmp_path: Path) -> None:
    """A retention change is listed as terms-only: nobody receives anything different."""
    proposed = _proposed(tmp_path, "retention: P1Y", "retention: P2Y")
    result = runner.invoke(
        policy_app,
        ["simulate", "--proposed", str(proposed), "--current", str(POLICIES), "--events", TRAFFIC],
    )
    assert (
        "rule gdas-treatment-progress-to-probation (changed; only its purpose, legal basis or"
        " retention changes): tested"
    ) in result.stdout


def test_validate_json_reports_the_summary() -> None:
    """``validate --json`` gives the version, counts and no failures for the shipped policy."""
    result = runner.invoke(policy_app, ["validate", str(POLICIES), "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["valid"] is True and body["agreements"] == 4 and body["scenarios"] == 12
    assert body["version"].startswith("sha256:") and body["scenario_failures"] == []


def test_active_against_unreachable_kafka_is_one_line_and_exit_2() -> None:
    """No Kafka listening: one line on stderr naming what failed, exit 2, no traceback."""
    result = runner.invoke(policy_app, ["active", "--bootstrap", "127.0.0.1:1"])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: reading the active policy from Kafka at 127.0.0.1:1 failed")
    assert "--debug" in lines[0]


def test_log_export_refuses_a_log_store_that_does_not_exist(tmp_path: Path) -> None:
    """An export never creates an empty log: it names the setting to fix and exits 2."""
    missing = tmp_path / "nowhere" / "log.sqlite3"
    result = runner.invoke(
        log_app,
        ["export", "--subject", "subj-abc", "--out", str(tmp_path / "out"), "--actor", "dpo"],
        env={"IOM_TRANSPARENCY__STORE_URL": f"sqlite:///{missing}"},
    )
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: no transparency log at {missing} (IOM_TRANSPARENCY__STORE_URL); point it at"
        ' the running stack\'s log (eval "$(iom-broker dev env)")'
    )
    assert not missing.parent.exists() and not (tmp_path / "out").exists()
