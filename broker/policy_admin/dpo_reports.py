"""Plain-text reports for DPOs: an area diff, a simulation (explain: :mod:`.explanation`)."""

from __future__ import annotations

import dataclasses
from typing import Any

from broker.policy.area_diff import AreaFlowDifference, FlowTerms
from broker.policy.simulate import SimulationReport
from broker.policy_admin.synthetic_traffic import SyntheticRun


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
