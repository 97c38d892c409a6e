"""The ``iom-broker policy`` commands a DPO runs: validate, explain, diff, simulate, activate."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from broker.cli.policy import policy_app
from tests.unit.policy.support import POLICIES, write_policy_copy

runner = CliRunner()
TRAFFIC = str(POLICIES / "traffic" / "sample-month.yaml")


def test_validate_passes_the_shipped_policy() -> None:
    """Exit 0 and a one-line summary naming the version, agreements and scenarios."""
    result = runner.invoke(policy_app, ["validate", str(POLICIES)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok: policy sha256:")
    assert "4 agreements" in result.stdout and "12 scenarios pass" in result.stdout


def test_validate_fails_with_file_line_errors(tmp_path: Path) -> None:
    """A typo in an agreement exits 1 with the file, line and the value quoted."""
    policies = write_policy_copy(tmp_path / "policies")
    agreement = policies / "agreements" / "gwent-iom-isp.yaml"
    agreement.write_text(agreement.read_text().replace("to: newport-housing", "to: newport-housng"))
    result = runner.invoke(policy_app, ["validate", str(policies)])
    assert result.exit_code == 1
    assert f"{agreement}:39: rule 'gwent-release-to-housing': unknown agency 'newport-housng'" in (
        result.stderr
    )


def test_validate_fails_when_a_scenario_no_longer_holds(tmp_path: Path) -> None:
    """Changing a rule that a scenario relies on is caught by validate."""
    policies = write_policy_copy(tmp_path / "policies")
    baseline = policies / "agreements" / "wales-iom-baseline.yaml"
    baseline.write_text(
        baseline.read_text().replace(
            "fields: [subject.crn, payload.offence_category, payload.offence_description]",
            "fields: [subject.crn, payload.offence_category]",
        )
    )
    result = runner.invoke(policy_app, ["validate", str(policies)])
    assert result.exit_code == 1
    assert "expected 'payload.offence_description' = 'Theft from a shop', but it is not sent" in (
        result.stderr
    )


def test_explain_says_why_not_in_plain_words() -> None:
    """Explaining the consent-withdrawn scenario names the reason and the rule considered."""
    scenario = POLICIES / "scenarios" / "08-gdas-consent-withdrawn.yaml"
    result = runner.invoke(
        policy_app, ["explain", "--event", str(scenario), "--to", "probation-wales"]
    )
    assert result.exit_code == 0, result.output
    assert (
        "The Probation Service in Wales (probation-wales): NOT SHARED - consent withdrawn"
        " (rules considered: gdas-treatment-progress-to-probation)"
    ) in result.stdout


def test_explain_lists_fields_after_transforms(tmp_path: Path) -> None:
    """A bare event file, with the person's area given, shows each field as it would be sent."""
    event = tmp_path / "release.yaml"
    event.write_text(
        "type: prison_release\nfrom: probation-wales\nsubject: {pnc_id: 2019/0012345A}\n"
        "payload: {prison: HMP Cardiff, release_type: CONDITIONAL_RELEASE,"
        " licence_end_date: 2027-01-09, release_address_postcode: NP19 0AA}\n"
    )
    result = runner.invoke(
        policy_app, ["explain", "--event", str(event), "--to", "gwent-police", "--area", "gwent"]
    )
    assert result.exit_code == 0, result.output
    assert "Gwent Police (gwent-police): SHARED" in result.stdout
    assert (
        "postcode of the release address (payload.release_address_postcode) = NP19 (generalised)"
        in result.stdout
    )
    assert "  purpose         Protecting the public" in result.stdout
    assert (
        "  retention       " in result.stdout
        and "P" not in result.stdout.split("retention")[1].split("\n")[0]
    )


def test_explain_in_welsh() -> None:
    """Every word is in Welsh on request: labels, purpose, retention, the decision."""
    scenario = POLICIES / "scenarios" / "07-referral-goes-only-to-its-service.yaml"
    result = runner.invoke(
        policy_app,
        ["explain", "--event", str(scenario), "--to", "newport-housing", "--language", "cy"],
    )
    assert result.exit_code == 0, result.output
    assert "  diben           Cymorth tai" in result.stdout
    assert (
        "WEDI'I RANNU" in result.stdout
        and "Digwyddiad: atgyfeiriadau at wasanaeth" in result.stdout
    )
    for english in ("purpose", "retention", "SHARED", "Event", "year"):
        assert english not in result.stdout


def test_explain_names_the_false_condition_in_welsh() -> None:
    """A refusal because a rule's condition was false says which condition, in words."""
    scenario = POLICIES / "scenarios" / "10-dyfed-powys-warnings-stay-with-probation.yaml"
    result = runner.invoke(
        policy_app,
        ["explain", "--event", str(scenario), "--to", "dyfed-powys-police", "--language", "cy"],
    )
    assert result.exit_code == 0, result.output
    assert "HEB EI RANNU - nid yw'r amod yn wir" in result.stdout
    assert "yr amod nad oedd yn wir: nid rhybudd yw'r camau a gymerwyd" in result.stdout
    assert "(rheol dp-breach-enforcement-to-police)" in result.stdout


def test_explain_as_json() -> None:
    """--json gives each recipient's decision with the false condition as written and in words."""
    import json

    scenario = POLICIES / "scenarios" / "10-dyfed-powys-warnings-stay-with-probation.yaml"
    result = runner.invoke(
        policy_app, ["explain", "--event", str(scenario), "--to", "dyfed-powys-police", "--json"]
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["policy_version"].startswith("sha256:")
    (recipient,) = body["recipients"]
    assert (recipient["recipient"], recipient["shared"]) == ("dyfed-powys-police", False)
    assert recipient["false_conditions"] == [
        {
            "rule_id": "dp-breach-enforcement-to-police",
            "condition": "payload.action != 'WARNING'",
            "words": "the action taken is not a warning",
        }
    ]


def test_diff_shows_how_two_areas_differ() -> None:
    """Gwent and Dyfed-Powys differ on breach warnings, among others."""
    result = runner.invoke(policy_app, ["diff", "--area", "gwent", "--area", "dyfed-powys"])
    assert result.exit_code == 0, result.output
    assert "probation -> police, breach: condition: (none) -> payload.action != 'WARNING'" in (
        result.stdout
    )


def test_diff_refuses_an_unknown_area() -> None:
    """An area not in the vocabulary is refused, listing the known ones."""
    result = runner.invoke(policy_app, ["diff", "--area", "gwent", "--area", "mercia"])
    assert result.exit_code == 2
    assert "unknown area 'mercia' (known: dyfed-powys, gwent, wales)" in result.stderr


def test_simulate_reports_what_a_proposal_would_change(tmp_path: Path) -> None:
    """Replaying the sample traffic shows the Gwent breach warning would stop reaching police."""
    proposed = write_policy_copy(tmp_path / "proposed")
    baseline = proposed / "agreements" / "wales-iom-baseline.yaml"
    fields = "    fields: [subject.pnc_id, payload.order_type, payload.action]\n"
    baseline.write_text(
        baseline.read_text().replace(fields, fields + "    when: payload.action != 'WARNING'\n")
    )
    result = runner.invoke(
        policy_app,
        ["simulate", "--proposed", str(proposed), "--current", str(POLICIES), "--events", TRAFFIC],
    )
    assert result.exit_code == 0, result.output
    assert "Replayed 10 events (40 decisions)" in result.stdout
    assert "stops    probation-wales -> gwent-police breach: 1 x" in result.stdout


def test_activate_refuses_an_agreement_not_every_party_approved(tmp_path: Path) -> None:
    """Nothing is published while a party's DPO has not signed off."""
    policies = write_policy_copy(tmp_path / "policies")
    dda = policies / "agreements" / "gwent-gdas-treatment-dda.yaml"
    dda.write_text(
        dda.read_text().replace("  - {party: gdas, dpo: Mark Thomas, date: 2026-02-16}\n", "")
    )
    result = runner.invoke(policy_app, ["activate", str(policies), "--bootstrap", "127.0.0.1:1"])
    assert result.exit_code == 1
    assert "party 'gdas' has not approved this agreement" in result.stderr
    assert "not activated: every party must approve first" in result.stderr
