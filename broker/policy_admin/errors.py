"""Why a policy change was refused: one class per reason, each with a one-line message.

The HTTP layers map them to problem details in one place (:mod:`broker.http.policy_problems`);
an invalid policy is a :class:`broker.policy.problems.PolicyError` and a failing scenario a
:class:`broker.policy_admin.scenario_runs.ScenariosFailed`, as for the CLI.
"""

from __future__ import annotations

__all__ = [
    "AlreadyScheduled",
    "NotAParty",
    "NotApproved",
    "NotTheProposer",
    "NothingScheduled",
    "Outdated",
    "PolicyChangeRefused",
    "UnknownProposal",
    "WithdrawTooLate",
    "Withdrawn",
]


class PolicyChangeRefused(Exception):
    """A proposal, approval or activation the rules do not allow; the message says why."""


class UnknownProposal(PolicyChangeRefused):
    """No proposal has this id."""

    def __init__(self, proposal_id: str) -> None:
        super().__init__(f"no proposal {proposal_id}")


class NotAParty(PolicyChangeRefused):
    """The DPO's agency is not a party to the changed agreements."""

    def __init__(self, agency: str) -> None:
        super().__init__(f"agency {agency!r} is not a party to this change")


class NotApproved(PolicyChangeRefused):
    """An affected agency's DPO has not approved yet (or only the proposer has)."""

    def __init__(self) -> None:
        super().__init__("every affected agency's DPO must approve before activation")


class Outdated(PolicyChangeRefused):
    """Another version became current since the proposal was made."""

    def __init__(self) -> None:
        super().__init__("the policy changed since this proposal; propose it again")


class AlreadyScheduled(PolicyChangeRefused):
    """The proposal's activation is already scheduled or done."""

    def __init__(self) -> None:
        super().__init__("this proposal is already scheduled or activated")


class NothingScheduled(PolicyChangeRefused):
    """There is no scheduled activation to cancel."""

    def __init__(self) -> None:
        super().__init__("no scheduled activation to cancel (it may have happened already)")


class NotTheProposer(PolicyChangeRefused):
    """Only the DPO who made a proposal may withdraw it."""

    def __init__(self) -> None:
        super().__init__("only the DPO who made this proposal can withdraw it")


class WithdrawTooLate(PolicyChangeRefused):
    """A proposal that is scheduled or activated is not withdrawn (cancel the activation)."""

    def __init__(self) -> None:
        super().__init__(
            "this proposal is scheduled or activated; cancel its activation instead of withdrawing"
        )


class Withdrawn(PolicyChangeRefused):
    """The proposer withdrew the proposal: it cannot be approved, scheduled or withdrawn again."""

    def __init__(self) -> None:
        super().__init__("this proposal was withdrawn by the DPO who made it")
