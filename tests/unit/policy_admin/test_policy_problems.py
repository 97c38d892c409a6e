"""How refused policy changes read as problem details, for the API and the console alike."""

from __future__ import annotations

from broker.http.policy_problems import policy_problem
from broker.policy.problems import PolicyError
from broker.policy_admin.errors import (
    AlreadyScheduled,
    NotAParty,
    NotApproved,
    NothingScheduled,
    Outdated,
    UnknownProposal,
)


def test_each_refusal_has_its_status_and_one_line() -> None:
    """Not a party is 403, an unknown proposal 404, the workflow's conflicts 409."""
    answers = {
        type(e).__name__: (policy_problem(e).status, policy_problem(e).detail)
        for e in (
            NotAParty("gwent-police"),
            UnknownProposal("p-1"),
            NotApproved(),
            Outdated(),
            AlreadyScheduled(),
            NothingScheduled(),
        )
    }
    assert answers == {
        "NotAParty": (403, "agency 'gwent-police' is not a party to this change"),
        "UnknownProposal": (404, "no proposal p-1"),
        "NotApproved": (409, "every affected agency's DPO must approve before activation"),
        "Outdated": (409, "the policy changed since this proposal; propose it again"),
        "AlreadyScheduled": (409, "this proposal is already scheduled or activated"),
        "NothingScheduled": (
            409,
            "no scheduled activation to cancel (it may have happened already)",
        ),
    }


def test_a_value_error_is_not_a_policy_refusal() -> None:
    """An invalid policy is a 422 listing its problems, never mistaken for a 409 conflict."""
    problem = policy_problem(PolicyError("p.yaml:3: unknown purpose 'curiosity'"))
    assert (problem.status, problem.extra["problems"]) == (
        422,
        ["p.yaml:3: unknown purpose 'curiosity'"],
    )
