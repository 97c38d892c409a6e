"""The console's editor: propose a change to an agreement, checked as the DPO types.

The page works without JavaScript (sending the form checks it on the server and shows the
problems in an error summary); with it, ``console-editor.js`` posts the text to the ``check``
route a moment after the DPO stops typing and shows the same ``file:line: message`` lines.
A valid change with a reason is not proposed at once: the DPO first reads it on a GOV.UK
check-answers page (the change in words, the reason, who must approve) and sends it from
there (``/propose``), through the policy administration service as the API does, so it is
checked again and audited the same way.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from broker.http.context import ApiContext
from broker.http.policy_problems import policy_problem
from broker.identity.principal import Principal
from broker.policy.change_in_words import change_in_words
from broker.policy.problem_words import problems_in
from broker.policy.problems import PolicyError
from broker.web.agreement_check import agreement_path, check_agreement, proposed_policy
from broker.web.console_auth import Context, Dpo
from broker.web.console_pages import console_page, not_found
from broker.web.forms import read_form
from broker.web.session import portal_language

__all__ = ["check_page", "router"]

router = APIRouter(prefix="/console", include_in_schema=False)

_MAX_TEXT = 60_000
_MAX_REASON = 1000
_MAX_FORM = 200_000
"""Bytes of a posted editor form read (the API's body limit is smaller and applies first)."""


def line_of(problem: str, shown_path: str) -> int | None:
    """The line of the edited file a ``file:line: message`` problem is on (None elsewhere)."""
    where = problem.partition(": ")[0]
    path, _, line = where.rpartition(":")
    return int(line) if path == shown_path and line.isdigit() else None


def _editor(
    request: Request,
    context: Context,
    dpo: Principal,
    agreement_id: str,
    path: str,
    text: str,
    problems: list[str],
    status_code: int = 200,
    unchanged: bool = False,
    reason: str = "",
    reason_error: str = "",
) -> HTMLResponse:
    shown = context.policies.current.where(path)
    return console_page(
        request,
        context,
        dpo,
        "editor.html",
        "agreements",
        status_code=status_code,
        agreement_id=agreement_id,
        path=path,
        shown_path=shown,
        text=text,
        problems=[(p, line_of(p, shown)) for p in problems_in(problems, portal_language(request))],
        unchanged=unchanged,
        change_reason=reason,
        reason_error=reason_error,
    )


@router.get("/agreements/{agreement_id}/edit", response_class=HTMLResponse)
def edit(request: Request, context: Context, dpo: Dpo, agreement_id: str) -> Response:
    """The agreement's YAML in a text box, ready to change."""
    path = agreement_path(context.policies, agreement_id)
    if path is None:
        return not_found(request)
    text = context.policies.current.files[path]
    return _editor(request, context, dpo, agreement_id, path, text, [])


@router.post("/agreements/{agreement_id}/check")
async def check(request: Request, context: Context, dpo: Dpo, agreement_id: str) -> JSONResponse:
    """Live validation: ``{"problems": [...], "unchanged": bool}`` for the posted text."""
    path = agreement_path(context.policies, agreement_id)
    if path is None:
        return JSONResponse({"problems": ["no such agreement"]}, status_code=404)
    text = (await read_form(request, _MAX_FORM)).get("text", "")
    if len(text) > _MAX_TEXT:
        problems = [f"{path}: agreement texts are limited to {_MAX_TEXT} characters"]
    else:
        problems = await run_in_threadpool(check_agreement, context.policies, path, text)
        problems = problems_in(problems, portal_language(request))
    unchanged = text == context.policies.current.files[path]
    return JSONResponse(
        {"problems": problems, "unchanged": unchanged}, headers={"Cache-Control": "no-store"}
    )


def _reason_error(reason: str) -> str:
    if not reason:
        return "reason_missing"
    return "reason_too_long" if len(reason) > _MAX_REASON else ""


def check_page(
    request: Request,
    context: ApiContext,
    dpo: Principal,
    path: str,
    text: str,
    reason: str,
    back_action: str = "",
    back_label: str = "check_back",
) -> HTMLResponse:
    """Check your answers: the change in words, the reason, and who must approve it.

    "Back" (``back_label``, a text key) posts the text and reason to ``back_action`` (the
    YAML editor unless given)."""
    workspace = context.policies
    proposed = proposed_policy(workspace, path, text)
    lang = portal_language(request)
    changes = change_in_words(workspace.policy_set, proposed, context.agencies, lang)
    agreement_id = request.path_params["agreement_id"]
    return console_page(
        request,
        context,
        dpo,
        "check_proposal.html",
        "agreements",
        page_path=f"/console/agreements/{agreement_id}/edit",
        back_action=back_action or f"/console/agreements/{agreement_id}/edit",
        back_label=back_label,
        agreement_id=agreement_id,
        text=text,
        change_reason=reason,
        changes=changes,
        parties=workspace.affected_by((path,), proposed),
    )


async def _answers(request: Request) -> tuple[str, str, bool]:
    form = await read_form(request, _MAX_FORM)
    text = form.get("text", "").replace("\r\n", "\n")
    reason = " ".join(form.get("reason", "").split())
    return text, reason, form.get("change") == "1"


@router.post("/agreements/{agreement_id}/edit", response_class=HTMLResponse)
async def submit(request: Request, context: Context, dpo: Dpo, agreement_id: str) -> Response:
    """Check the change and its reason; problems come back on the editor, a valid change
    opens the check-answers page (nothing is proposed yet)."""
    path = agreement_path(context.policies, agreement_id)
    if path is None:
        return not_found(request)
    text, reason, change = await _answers(request)
    if change:
        return _editor(request, context, dpo, agreement_id, path, text, [], reason=reason)
    if text == context.policies.current.files[path]:
        return _editor(
            request, context, dpo, agreement_id, path, text, [], 422, True, reason=reason
        )
    if len(text) > _MAX_TEXT:
        problems = [f"{path}: agreement texts are limited to {_MAX_TEXT} chars"]
        return _editor(request, context, dpo, agreement_id, path, text, problems, 422)
    problems = await run_in_threadpool(check_agreement, context.policies, path, text)
    reason_error = _reason_error(reason)
    if problems or reason_error:
        return _editor(
            request, context, dpo, agreement_id, path, text, problems, 422,
            reason=reason, reason_error=reason_error,
        )  # fmt: skip
    return await run_in_threadpool(check_page, request, context, dpo, path, text, reason)


@router.post("/agreements/{agreement_id}/propose", response_class=HTMLResponse)
async def propose(request: Request, context: Context, dpo: Dpo, agreement_id: str) -> Response:
    """Send the checked proposal; it is checked again, so a stale page cannot skip a check."""
    path = agreement_path(context.policies, agreement_id)
    if path is None:
        return not_found(request)
    text, reason, _ = await _answers(request)
    reason_error = _reason_error(reason)
    unchanged = text == context.policies.current.files[path]
    if unchanged or reason_error or len(text) > _MAX_TEXT:
        return _editor(
            request, context, dpo, agreement_id, path, text, [], 422, unchanged,
            reason=reason, reason_error=reason_error,
        )  # fmt: skip
    assert dpo.agency is not None
    try:
        made = await run_in_threadpool(
            context.policy_admin.propose, {path: text}, dpo.subject, dpo.agency, reason
        )
    except PolicyError as error:
        problem = policy_problem(error)
        problems = [str(p) for p in problem.extra.get("problems", [problem.detail])]
        return _editor(
            request, context, dpo, agreement_id, path, text, problems, 422, reason=reason
        )
    return RedirectResponse(f"/console/proposals/{made.proposal_id}?made=1", status_code=303)
