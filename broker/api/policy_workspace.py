"""Policy proposals for the DPO routes: the current texts, proposed changes, and simulation.

A proposal is the current policy with some agreement files replaced, added or removed. It is
checked exactly as ``iom-broker policy validate`` checks a directory, so problems carry the same
``file:line`` messages. Proposals are kept in memory for now; approval and activation are
not offered through the API yet (``iom-broker policy activate`` does it).

Approval: the affected parties are the agencies that are parties to a changed agreement
(before or after the change); a party named by kind (``police``) means every agency of that
kind in the registry, which errs on the side of asking more DPOs. Each affected agency's DPO
must approve, a DPO approves only for their own agency, and the proposer's approval alone is
never enough.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from broker.catalogue.codec import AvroCodec
from broker.domain.event import Event
from broker.policy.engine import CompiledPolicy
from broker.policy.policy_set import PolicySet
from broker.policy.policy_source import AGREEMENTS_DIR, PolicySource
from broker.policy.problems import PolicyError, Problem
from broker.policy.simulate import SimulationReport
from broker.policy.validate import PolicyContext
from broker.policy.yaml_source import LineList, parse_yaml
from broker.policy_scenarios import build_event
from broker.policy_simulation import simulate

__all__ = ["AGREEMENT_PATH", "PolicyWorkspace", "Proposal"]

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


class PolicyWorkspace:
    """The current policy and the proposals made against it; thread-safe."""

    def __init__(self, current: PolicySource, context: PolicyContext, codec: AvroCodec) -> None:
        from broker.policy.build import build_policy

        self.current = current
        self.context = context
        self.codec = codec
        self.compiled, _ = build_policy(current, context)
        self._proposals: dict[str, Proposal] = {}
        self._approvals: dict[str, dict[str, str]] = {}
        self._lock = threading.Lock()

    @property
    def policy_set(self) -> PolicySet:
        """The current, valid policy set."""
        return self.compiled.policy

    def propose(
        self, changes: Mapping[str, str | None], proposer: str, agency: str, at: datetime
    ) -> Proposal:
        """Check the current policy with ``changes`` applied (None removes a file).

        Raise PolicyError whose problems are the CLI's ``file:line`` messages.
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
        proposal = Proposal(
            str(uuid.uuid4()),
            proposer,
            agency,
            at,
            tuple(sorted(changes)),
            source,
            compiled,
            tuple(warnings),
        )
        with self._lock:
            if len(self._proposals) >= MAX_PROPOSALS:
                raise PolicyError(f"at most {MAX_PROPOSALS} open proposals")
            self._proposals[proposal.proposal_id] = proposal
        return proposal

    def affected(self, proposal: Proposal) -> tuple[str, ...]:
        """The agencies whose DPO must approve ``proposal``, sorted."""
        files = {self.current.where(path) for path in proposal.changed}
        agreements = [
            a
            for a in (*self.policy_set.agreements, *proposal.compiled.policy.agreements)
            if a.file in files
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

    def approve(self, proposal: Proposal, agency: str, dpo: str) -> dict[str, str]:
        """Record ``dpo``'s approval for ``agency``; return every approval (agency → DPO).

        Raise PermissionError when ``agency`` is not an affected party.
        """
        if agency not in self.affected(proposal):
            raise PermissionError(f"agency {agency!r} is not a party to this change")
        with self._lock:
            approvals = self._approvals.setdefault(proposal.proposal_id, {})
            approvals.setdefault(agency, dpo)
            return dict(approvals)

    def approvals(self, proposal: Proposal) -> dict[str, str]:
        """The approvals so far (agency → DPO)."""
        with self._lock:
            return dict(self._approvals.get(proposal.proposal_id, {}))

    def approved(self, proposal: Proposal) -> bool:
        """Every affected agency approved, and not only the proposer."""
        approvals = self.approvals(proposal)
        everyone = all(agency in approvals for agency in self.affected(proposal))
        return everyone and any(dpo != proposal.proposer for dpo in approvals.values())

    def get(self, proposal_id: str) -> Proposal | None:
        """The proposal, if it exists."""
        with self._lock:
            return self._proposals.get(proposal_id)

    def proposals(self) -> list[Proposal]:
        """Every proposal, oldest first (the console's approval queue reads them)."""
        with self._lock:
            return sorted(self._proposals.values(), key=lambda p: p.submitted_at)

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
