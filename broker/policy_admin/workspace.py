"""Policy proposals for the DPO routes: the current texts, proposed changes, and simulation.

A proposal is the current policy with some agreement files replaced, added or removed. It is
checked exactly as ``iom-broker policy validate`` checks a directory, so problems carry the same
``file:line`` messages. Proposals, approvals, activations and the history of who did what
are kept in the API's records database (:mod:`broker.records`), so a restart loses none;
without one, a private in-memory database is used.

Approval: the affected parties are the agencies that are parties to a changed agreement
(before or after the change); a party named by kind (``police``) means every agency of that
kind in the registry, which errs on the side of asking more DPOs. Each affected agency's DPO
must approve, a DPO approves only for their own agency, and the proposer's approval alone is
never enough.

Activation: once approved, a DPO of an affected agency schedules the proposal (now or later,
through :mod:`broker.policy_admin.service`); :mod:`broker.policy_admin.activation_runner`
publishes it when due. Scheduling is refused when the proposed policy fails one of the policy
directory's scenarios, the check ``iom-broker policy activate`` runs
(:func:`broker.policy_admin.scenario_runs.scenario_failures`).
A proposal made against a version that is no longer current cannot be activated (it would
undo the change made since).
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import structlog

from broker.catalogue.codec import AvroCodec
from broker.domain.event import Event
from broker.policy.engine import CompiledPolicy
from broker.policy.policy_set import PolicySet
from broker.policy.policy_source import AGREEMENTS_DIR, PolicySource
from broker.policy.problems import PolicyError, Problem
from broker.policy.simulate import SimulationReport
from broker.policy.validate import PolicyContext
from broker.policy.yaml_source import LineList, parse_yaml
from broker.policy_admin.approvals_guard import hand_edited_approvals
from broker.policy_admin.errors import NotAParty
from broker.policy_admin.policy_directory import SCENARIOS_DIR
from broker.policy_admin.scenario_runs import (
    ScenarioFailure,
    build_event,
    scenario_failures,
)
from broker.policy_admin.traffic_replay import simulate
from broker.records.activation_store import ACTIVATED, ActivationRow, ActivationStore
from broker.records.database import RecordsDatabase
from broker.records.people_names import PeopleNames
from broker.records.proposal_store import ProposalEvent, ProposalRow, ProposalStore

__all__ = ["AGREEMENT_PATH", "WITHDRAWN", "PolicyWorkspace", "Proposal", "ProposalStatus"]

log = structlog.get_logger(__name__)

ProposalStatus = Literal[
    "awaiting_approval", "approved", "scheduled", "activated", "outdated", "withdrawn"
]
WITHDRAWN = "withdrawn"
"""The history action of a proposal its proposer withdrew (it can then never be activated)."""

AGREEMENT_PATH = re.compile(r"^agreements/[a-z0-9][a-z0-9-]{0,80}\.yaml$")
MAX_PROPOSALS = 1000
MAX_EVENTS = 5000


@dataclass(frozen=True)
class Proposal:
    """A checked proposal: who made it, when, and the whole proposed policy."""

    proposal_id: str
    proposer: str
    agency: str
    submitted_at: datetime
    changed: tuple[str, ...]
    source: PolicySource
    compiled: CompiledPolicy
    warnings: tuple[Problem, ...]
    base_version: str = ""
    """The policy version the proposal was made against."""
    reason: str = ""
    """Why the proposer wants the change, in their words."""


class PolicyWorkspace:
    """The current policy and the proposals made against it; thread-safe."""

    def __init__(
        self,
        current: PolicySource,
        context: PolicyContext,
        codec: AvroCodec,
        records: RecordsDatabase | None = None,
        scenario_root: Path | None = None,
    ) -> None:
        """``scenario_root``: the policy directory whose scenarios an activation must pass."""
        from broker.policy.build import build_policy

        self.scenario_root = scenario_root
        self.current = current
        self.context = context
        self.codec = codec
        self.compiled, _ = build_policy(current, context)
        self.records = records or RecordsDatabase()
        self.store = ProposalStore(self.records)
        self.activations = ActivationStore(self.records)
        self.people = PeopleNames(self.records)
        self._proposals: dict[str, Proposal] = {}
        self._lock = threading.Lock()
        self._current_proposal: str | None = None
        self.refresh_current()

    @property
    def policy_set(self) -> PolicySet:
        """The current, valid policy set."""
        return self.compiled.policy

    def propose(
        self,
        changes: Mapping[str, str | None],
        proposer: str,
        agency: str,
        at: datetime,
        reason: str = "",
    ) -> Proposal:
        """Check the current policy with ``changes`` applied (None removes a file), and why.

        Raise PolicyError whose problems are the CLI's ``file:line`` messages, also when a
        changed file's ``approvals:`` differ from the current ones (:mod:`.approvals_guard`).
        """
        from broker.policy.build import build_policy

        bad = [path for path in changes if not AGREEMENT_PATH.match(path)]
        if bad:
            raise PolicyError(f"{bad[0]!r} is not an agreement path like {AGREEMENTS_DIR}x.yaml")
        files = dict(self.current.files)
        for path, text in changes.items():
            if text is None:
                files.pop(path, None)
            else:
                files[path] = text
        source = PolicySource(files, label=self.current.label)
        compiled, warnings = build_policy(source, self.context)
        changed_files = {source.where(path) for path in changes}
        by_hand = hand_edited_approvals(self.policy_set, compiled.policy, changed_files)
        if by_hand:
            raise PolicyError.from_problems(by_hand)
        proposal = Proposal(
            str(uuid.uuid4()),
            proposer,
            agency,
            at,
            tuple(sorted(changes)),
            source,
            compiled,
            tuple(warnings),
            self.current.version,
            reason,
        )
        row = ProposalRow(
            proposal.proposal_id,
            proposer,
            agency,
            _ms(at),
            proposal.base_version,
            source.version,
            proposal.changed,
            dict(source.files),
            source.label,
            reason,
        )
        try:
            self.store.add(row, MAX_PROPOSALS)
        except ValueError as error:
            raise PolicyError(str(error)) from None
        with self._lock:
            self._proposals[proposal.proposal_id] = proposal
        return proposal

    def affected(self, proposal: Proposal) -> tuple[str, ...]:
        """The agencies whose DPO must approve ``proposal``, sorted."""
        return self.affected_by(proposal.changed, proposal.compiled.policy)

    def affected_by(self, changed: tuple[str, ...], proposed: PolicySet) -> tuple[str, ...]:
        """The agencies whose DPO must approve changing the files ``changed`` into ``proposed``."""
        files = {self.current.where(path) for path in changed}
        agreements = [
            a for a in (*self.policy_set.agreements, *proposed.agreements) if a.file in files
        ]
        agencies = self.context.agencies
        found: set[str] = set()
        for agreement in agreements:
            for party in agreement.parties:
                if party in agencies:
                    found.add(party)
                else:
                    found.update(a.agency_id for a in agencies if a.kind == party)
        return tuple(sorted(found))

    def approve(
        self, proposal: Proposal, agency: str, dpo: str, at: datetime | None = None
    ) -> dict[str, str]:
        """Record ``dpo``'s approval for ``agency``; return every approval (agency → DPO).

        Raise NotAParty when ``agency`` is not an affected party.
        """
        if agency not in self.affected(proposal):
            raise NotAParty(agency)
        when = _ms(at or datetime.now(UTC))
        return self.store.approve(proposal.proposal_id, agency, dpo, when)

    def approvals(self, proposal: Proposal) -> dict[str, str]:
        """The approvals so far (agency → DPO)."""
        return self.store.approvals(proposal.proposal_id)

    def approved(self, proposal: Proposal) -> bool:
        """Every affected agency approved, and not only the proposer."""
        approvals = self.approvals(proposal)
        everyone = all(agency in approvals for agency in self.affected(proposal))
        return everyone and any(dpo != proposal.proposer for dpo in approvals.values())

    def forget(self, proposal_id: str) -> None:
        """Drop a proposal whose transaction rolled back from the in-memory cache."""
        with self._lock:
            self._proposals.pop(proposal_id, None)

    def get(self, proposal_id: str) -> Proposal | None:
        """The proposal, if it exists (read back from the records after a restart)."""
        with self._lock:
            known = self._proposals.get(proposal_id)
        if known is not None:
            return known
        row = self.store.get(proposal_id)
        if row is None:
            return None
        try:
            proposal = self._rebuild(row)
        except PolicyError as error:
            # e.g. the agency registry changed since: the stored texts no longer check
            log.warning(
                "policy.proposal_unreadable", proposal_id=proposal_id, problem=str(error)[:200]
            )
            return None
        with self._lock:
            return self._proposals.setdefault(proposal_id, proposal)

    def proposal_ids(self) -> list[str]:
        """Every proposal's id, newest first."""
        return self.store.ids()

    def history(self, proposal: Proposal) -> list[ProposalEvent]:
        """Who did what to ``proposal``, oldest first."""
        return self.store.history(proposal.proposal_id)

    def record(
        self, proposal: Proposal, actor: str, action: str, detail: str, at: datetime
    ) -> None:
        """Add an event to ``proposal``'s history."""
        self.store.record(proposal.proposal_id, _ms(at), actor, action, detail)

    def activation(self, proposal: Proposal) -> ActivationRow | None:
        """``proposal``'s activation (scheduled, activated, cancelled...), if one was asked for."""
        return self.activations.get(proposal.proposal_id)

    def outdated(self, proposal: Proposal) -> bool:
        """The current version is no longer the one ``proposal`` was made against."""
        return proposal.base_version != self.current.version

    def withdrawn(self, proposal: Proposal) -> bool:
        """The proposer withdrew ``proposal``."""
        return any(e.action == WITHDRAWN for e in self.history(proposal))

    def status(self, proposal: Proposal) -> ProposalStatus:
        """``awaiting_approval``, ``approved``, ``scheduled``, ``activated``, ``outdated`` or
        ``withdrawn``."""
        activation = self.activation(proposal)
        if activation is not None and activation.state == ACTIVATED:
            return "activated"
        if activation is not None and activation.state in ("scheduled", "publishing"):
            return "scheduled"
        if self.withdrawn(proposal):
            return "withdrawn"
        if self.outdated(proposal):
            return "outdated"
        return "approved" if self.approved(proposal) else "awaiting_approval"

    def scenario_failures(self, proposal: Proposal) -> list[ScenarioFailure]:
        """The scenarios ``proposal``'s policy fails (none without a ``scenario_root``)."""
        if self.scenario_root is None:
            return []
        return scenario_failures(
            self.scenario_root, proposal.compiled, self.codec, shown=SCENARIOS_DIR
        )

    def make_current(self, proposal: Proposal) -> None:
        """Follow ``proposal`` as the current policy (after it was activated)."""
        with self._lock:
            self.current = proposal.source
            self.compiled = proposal.compiled
            self._current_proposal = proposal.proposal_id

    def refresh_current(self) -> None:
        """Follow the proposal activated last through any API process sharing the records."""
        latest = self.activations.latest_activated()
        if latest is None or latest == self._current_proposal:
            return
        proposal = self.get(latest)
        if proposal is not None:
            self.make_current(proposal)

    def _rebuild(self, row: ProposalRow) -> Proposal:
        from broker.policy.build import build_policy

        source = PolicySource(row.files, label=row.label)
        compiled, warnings = build_policy(source, self.context)
        return Proposal(
            row.proposal_id,
            row.proposer,
            row.agency,
            datetime.fromtimestamp(row.submitted_at_ms / 1000, UTC),
            row.changed,
            source,
            compiled,
            tuple(warnings),
            row.base_version,
            self._reason(row.proposal_id),
        )

    def _reason(self, proposal_id: str) -> str:
        events = self.store.history(proposal_id)
        return next((e.detail for e in events if e.action == "proposed"), "")

    def proposals(self) -> list[Proposal]:
        """Every proposal, oldest first (the console's approval queue reads them)."""
        found = (self.get(proposal_id) for proposal_id in self.proposal_ids())
        return sorted((p for p in found if p is not None), key=lambda p: p.submitted_at)

    def simulate(self, proposal: Proposal, traffic_yaml: str) -> SimulationReport:
        """Replay the events of a traffic file's text under the current and proposed policy."""
        return simulate(self.events(traffic_yaml), self.compiled, proposal.compiled)

    def events(self, traffic_yaml: str, source: str = "traffic") -> list[Event]:
        """The events of a traffic text (``events:`` list); raise PolicyError with lines."""
        data = parse_yaml(traffic_yaml, source)
        items = data.get("events")
        if not isinstance(items, LineList) or not items:
            raise PolicyError(f"{source}:{data.line}: expected a non-empty 'events' list")
        if len(items) > MAX_EVENTS:
            raise PolicyError(f"{source}: at most {MAX_EVENTS} events per simulation")
        events = []
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise PolicyError(f"{source}:{items.line_of(index)}: each event must be a mapping")
            try:
                events.append(build_event(self.codec, item, f"{source}#{index}"))
            except ValueError as error:
                raise PolicyError(f"{source}:{items.line_of(index)}: {error}") from None
        return sorted(events, key=lambda e: e.occurred_at)


def _ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)
