"""The console's editor: propose a change to an agreement, checked as the DPO types.

The page works without JavaScript (sending the form checks it on the server and shows the
problems in an error summary); with it, ``console-editor.js`` posts the text to the ``check``
route a moment after the DPO stops typing and shows the same ``file:line: message`` lines.
A valid change becomes a proposal through the policy administration service, as through the
API, so it is checked and audited the same way.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from broker.http.policy_problems import policy_problem
from broker.identity.principal import Principal
from broker.policy.problems import PolicyError
from broker.web.agreement_check import agreement_path, check_agreement
from broker.web.console_auth import Context, Dpo
from broker.web.console_pages import console_page, not_found
from broker.web.forms import read_form

__all__ = ["router"]

router = APIRouter(prefix="/console", include_in_schema=False)

_MAX_TEXT = 60_000
_MAX_FORM = 200_000
"""Bytes of a posted editor form read (the API's body limit is smaller and applies first)."""


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
) -> HTMLResponse:
    return console_page(
        request,
        context,
        dpo,
        "editor.html",
        "agreements",
        status_code=status_code,
        agreement_id=agreement_id,
        path=path,
        shown_path=context.policies.current.where(path),
        text=text,
        problems=problems,
        unchanged=unchanged,
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
    unchanged = text == context.policies.current.files[path]
    return JSONResponse(
        {"problems": problems, "unchanged": unchanged}, headers={"Cache-Control": "no-store"}
    )


@router.post("/agreements/{agreement_id}/edit", response_class=HTMLResponse)
async def submit(request: Request, context: Context, dpo: Dpo, agreement_id: str) -> Response:
    """Propose the change; problems come back on the editor, a proposal opens its page."""
    path = agreement_path(context.policies, agreement_id)
    if path is None:
        return not_found(request)
    text = (await read_form(request, _MAX_FORM)).get("text", "").replace("\r\n", "\n")
    if text == context.policies.current.files[path]:
        return _editor(request, context, dpo, agreement_id, path, text, [], 422, unchanged=True)
    if len(text) > _MAX_TEXT:
        problems = [f"{path}: agreement texts are limited to {_MAX_TEXT} chars"]
        return _editor(request, context, dpo, agreement_id, path, text, problems, 422)
    assert dpo.agency is not None
    try:
        made = await run_in_threadpool(
            context.policy_admin.propose, {path: text}, dpo.subject, dpo.agency
        )
    except PolicyError as error:
        problem = policy_problem(error)
        problems = [str(p) for p in problem.extra.get("problems", [problem.detail])]
        return _editor(request, context, dpo, agreement_id, path, text, problems, 422)
    return RedirectResponse(f"/console/proposals/{made.proposal_id}?made=1", status_code=303)
