"""Plain-text reports for DPOs: explain a decision, an area diff, a simulation."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any

from broker.domain.agency import AgencyDirectory
from broker.domain.event import Event
from broker.domain.subject import SubjectRecord
from broker.policy.area_diff import AreaFlowDifference, FlowTerms
from broker.policy.engine import CompiledPolicy, Routed
from broker.policy.reasons import reason_text
from broker.policy.scenario import delivered_fields
from broker.policy.simulate import SimulationReport
from broker.policy_admin.synthetic_traffic import SyntheticRun

_TRANSFORM_WORDS = {
    "generalise": "generalised",
    "mask": "masked",
    "pseudonymise": "pseudonymised",
}


def explain_lines(
    policy: CompiledPolicy,
    agencies: AgencyDirectory,
    event: Event,
    subject: SubjectRecord | None,
    routed: list[Routed],
    language: str = "en",
) -> list[str]:
    """Whether and why each recipient would receive the event, and which fields."""
    source = _name(agencies, event.source_agency)
    if subject is None:
        who = "someone not enrolled in IOM"
    else:
        state = "enrolled" if subject.enrolled else "deselected"
        who = f"someone {state} in the {subject.cohort} cohort, area {subject.area or '(none)'}"
    lines = [f"Event {event.event_type!r} from {source}, about {who}.", f"Policy {policy.version}."]
    vocabulary = policy.policy.vocabulary
    agreements = {a.agreement_id: a for a in policy.policy.agreements}
    for outcome in routed:
        decision = outcome.decision
        recipient = _name(agencies, decision.recipient)
        lines.append("")
        if not decision.permitted:
            considered = f" (rules considered: {', '.join(decision.rule_ids)})"
            lines.append(
                f"{recipient}: NOT SHARED - {reason_text(decision.reason, language)}"
                + (considered if decision.rule_ids else "")
            )
            continue
        agreement = agreements.get(str(decision.agreement))
        purpose = vocabulary.purposes[str(decision.purpose)]
        basis = vocabulary.legal_bases[str(decision.legal_basis)]
        welsh = language == "cy"
        lines.append(f"{recipient}: SHARED")
        version = f", version {agreement.version}" if agreement else ""
        lines.append(f"  rule        {decision.rule_id} (agreement {decision.agreement}{version})")
        lines.append(f"  purpose     {purpose.name_cy if welsh else purpose.name_en}")
        lines.append(f"              {purpose.explanation_cy if welsh else purpose.explanation_en}")
        lines.append(f"  legal basis {basis.name_cy if welsh else basis.name_en}")
        lines.append(f"  retention   {decision.retention}")
        transforms = dict(decision.transforms)
        label = "  fields"
        for name, value in delivered_fields(outcome).items():
            how = _TRANSFORM_WORDS.get(transforms.get(name, ""), "")
            lines.append(f"{label:<14}{name} = {_shown(value)}" + (f" ({how})" if how else ""))
            label = ""
        if label:
            lines.append("  fields      (envelope only)")
    return lines


def diff_lines(left_area: str, right_area: str, differences: list[AreaFlowDifference]) -> list[str]:
    """The flows that differ between two areas, with each side's terms."""
    if not differences:
        return [f"{left_area} and {right_area} share exactly the same flows on the same terms."]
    lines = [f"{len(differences)} flows differ between {left_area} and {right_area}:"]
    for difference in differences:
        source, recipient, event_type = difference.flow
        lines.append("")
        lines.append(
            f"{source} -> {recipient}, {event_type}: {'; '.join(difference.differences())}"
        )
        lines += _terms_lines(left_area, difference.left)
        lines += _terms_lines(right_area, difference.right)
    return lines


def simulation_lines(
    report: SimulationReport, run: SyntheticRun, generated: SimulationReport
) -> list[str]:
    """What would be shared differently, in recorded traffic and in the generated events, and
    whether each changed rule was tested. "No difference" only when every one was."""
    lines = [
        f"Replayed {report.events} events ({report.decisions} decisions) under"
        f" {report.current_version} (current) and {report.proposed_version} (proposed).",
    ]
    lines += _change_lines(report, "in the recorded traffic")
    lines.append(
        f"Generated {run.events} test events for the {len(run.coverage)} changed rules"
        f" ({generated.decisions} decisions)."
    )
    lines += _change_lines(generated, "in the generated events")
    for coverage in run.coverage:
        delta = coverage.delta
        tested = "tested" if coverage.exercised else "NOT TESTED (no event met its condition)"
        terms = "; only its purpose, legal basis or retention changes" if delta.terms_only else ""
        lines.append(f"  rule {delta.rule_id} ({delta.kind}{terms}): {tested}")
    if not run.all_exercised:
        lines.append("Not every changed rule was tested: no difference is not proof of none.")
    elif not report.changes and not generated.changes:
        lines.append("No difference: the proposed policy shares exactly what the current one does.")
    return lines


def simulation_json(
    report: SimulationReport, run: SyntheticRun, generated: SimulationReport
) -> dict[str, Any]:
    """The simulation as JSON: both sets of flow changes and each changed rule's coverage."""
    return {
        "current_version": report.current_version,
        "proposed_version": report.proposed_version,
        "traffic": _report_json(report),
        "generated": _report_json(generated),
        "rules": [
            {
                "agreement_id": c.delta.agreement_id,
                "rule_id": c.delta.rule_id,
                "change": c.delta.kind,
                "changed": list(c.delta.changed),
                "terms_only": c.delta.terms_only,
                "tested_by_traffic": c.by_traffic,
                "tested_by_generated_events": c.by_generated,
            }
            for c in run.coverage
        ],
        "all_changed_rules_tested": run.all_exercised,
        "no_difference": run.all_exercised and not report.changes and not generated.changes,
    }


def _report_json(report: SimulationReport) -> dict[str, Any]:
    return {
        "events": report.events,
        "decisions": report.decisions,
        "changes": [dataclasses.asdict(change) for change in report.changes],
    }


def _change_lines(report: SimulationReport, where: str) -> list[str]:
    if not report.changes:
        return [f"No decision would change {where}."]
    lines = [f"{report.changed_decisions} decisions would change {where}:"]
    for change in report.changes:
        lines.append(
            f"  {change.change:<8} {change.source} -> {change.recipient}"
            f" {change.event_type}: {change.count} x ({change.detail})"
        )
    return lines


def _terms_lines(area: str, terms: tuple[FlowTerms, ...]) -> list[str]:
    if not terms:
        return [f"  {area:<12} not shared"]
    lines = []
    for term in terms:
        condition = f"; when {term.condition}" if term.condition else ""
        lines.append(
            f"  {area:<12} rule {term.rule_id} ({term.agreement_id}): {term.purpose},"
            f" {term.legal_basis}, keep {term.retention}{condition}"
        )
        fields = [f"{name} ({how})" if how else name for name, how in term.fields]
        lines.append(f"  {'':<12} fields {', '.join(fields)}")
    return lines


def _name(agencies: AgencyDirectory, agency_id: str) -> str:
    if agency_id in agencies:
        return f"{agencies.get(agency_id).name_en} ({agency_id})"
    return agency_id


def _shown(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)
