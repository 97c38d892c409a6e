"""The one scenario check the CLI and the API share names each failing scenario by title."""

from __future__ import annotations

from broker.catalogue.catalogue import default_catalogue
from broker.catalogue.codec import AvroCodec
from broker.policy.build import build_policy
from broker.policy.engine import CompiledPolicy
from broker.policy.policy_source import PolicySource
from broker.policy_admin.policy_directory import policy_context, read_policy_source
from broker.policy_admin.scenario_runs import ScenariosFailed, scenario_failures
from broker.settings import PROJECT_ROOT
from tests.unit.identity.keys import agencies

POLICIES = PROJECT_ROOT / "policies"
PATH = "agreements/gwent-gdas-treatment-dda.yaml"


def _policy(replace: tuple[str, str] = ("", "")) -> CompiledPolicy:
    source = read_policy_source(POLICIES)
    files = dict(source.files)
    files[PATH] = files[PATH].replace(*replace) if replace[0] else files[PATH]
    context = policy_context(default_catalogue(), agencies())
    return build_policy(PolicySource(files), context)[0]


def test_the_shipped_policy_fails_no_scenario() -> None:
    """Every shipped scenario passes the shipped policy, so nothing is reported."""
    assert scenario_failures(POLICIES, _policy(), AvroCodec(default_catalogue())) == []


def test_a_failing_scenario_is_named_with_its_file_and_line() -> None:
    """Without the outcome field, scenario 09 fails; the refusal names it and the line."""
    policy = _policy((", payload.outcome]", "]"))
    failures = scenario_failures(POLICIES, policy, AvroCodec(default_catalogue()), "scenarios")
    assert [(f.name, f.file) for f in failures] == [
        (
            "Treatment progress is shared while consent is given",
            "scenarios/09-gdas-consent-given.yaml",
        )
    ]
    assert failures[0].problems[0].startswith("scenarios/09-gdas-consent-given.yaml:20: ")
    assert str(ScenariosFailed(failures)).startswith(
        "scenario 'Treatment progress is shared while consent is given' fails: scenarios/09"
    )
