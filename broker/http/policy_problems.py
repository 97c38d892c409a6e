"""The one place a refused policy change becomes an RFC 9457 problem (JSON API and console).

Invalid policy and failing scenarios are 422 with every ``file:line`` problem; the typed
refusals of :mod:`broker.policy_admin.errors` each have their own status, so a new error
type is mapped here on purpose rather than by accident.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from broker.http.problems import ProblemError, problem_response
from broker.policy.problems import PolicyError
from broker.policy_admin.errors import (
    AlreadyScheduled,
    NotAParty,
    NotApproved,
    NothingScheduled,
    NotTheProposer,
    Outdated,
    PolicyChangeRefused,
    UnknownProposal,
    Withdrawn,
    WithdrawTooLate,
)
from broker.policy_admin.scenario_runs import ScenariosFailed

__all__ = ["REFUSAL_STATUS", "install_policy_problem_handlers", "policy_problem"]

REFUSAL_STATUS: dict[type[PolicyChangeRefused], int] = {
    UnknownProposal: 404,
    NotAParty: 403,
    NotApproved: 409,
    Outdated: 409,
    AlreadyScheduled: 409,
    NothingScheduled: 409,
    NotTheProposer: 403,
    WithdrawTooLate: 409,
    Withdrawn: 409,
}

PolicyFailure = PolicyChangeRefused | PolicyError | ScenariosFailed


def policy_problem(error: PolicyFailure) -> ProblemError:
    """The problem answering ``error`` (a refusal not in the table is a 409)."""
    if isinstance(error, PolicyError):
        problems = [str(p) for p in error.problems] or [str(error)]
        return ProblemError(
            422, problems[0], title="Invalid policy", extra={"problems": problems[:200]}
        )
    if isinstance(error, ScenariosFailed):
        scenarios = [
            {"name": f.name, "file": f.file, "problems": list(f.problems[:20])}
            for f in error.failures
        ]
        return ProblemError(
            422, str(error), title="A scenario fails", extra={"scenarios": scenarios}
        )
    return ProblemError(REFUSAL_STATUS.get(type(error), 409), str(error))


async def _policy_failure(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, PolicyChangeRefused | PolicyError | ScenariosFailed)
    problem = policy_problem(exc)
    return problem_response(
        problem.status, problem.detail, title=problem.title, extra=problem.extra
    )


def install_policy_problem_handlers(app: FastAPI) -> None:
    """Answer every refused policy change raised by a route as its problem."""
    for kind in (PolicyChangeRefused, PolicyError, ScenariosFailed):
        app.add_exception_handler(kind, _policy_failure)
