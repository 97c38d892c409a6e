"""The console's form editor: change one rule with radios, checkboxes and selects, in words.

The form (:mod:`broker.web.rule_form`) shows who receives the rule's events, which events and
details, how each detail is sent, the purpose, legal basis, retention and the common
conditions, each with the names a DPO reads. Sending it writes the answers into the agreement
text (:func:`broker.policy.rule_edit.edit_rule`) and checks it exactly as the YAML editor
does; a valid change goes to the same check-answers page and is proposed through the same
``/propose`` route, so both editors make the same proposal. Problems the text check finds are
shown against the form field of the rule key they are on.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from broker.http.context import ApiContext
from broker.identity.principal import Principal
from broker.policy.agreement import Agreement, Rule
from broker.policy.problem_words import problem_in
from broker.policy.problems import PolicyError
from broker.policy.rule_edit import RuleChoices, choices_of, edit_rule
from broker.policy.yaml_source import LineDict, LineList, parse_yaml
from broker.web.agreement_check import agreement_path, check_agreement, proposed_policy
from broker.web.console_auth import Context, Dpo
from broker.web.console_pages import console_page, not_found
from broker.web.forms import read_form_lists
from broker.web.routes_console_editor import check_page
from broker.web.rule_form import FormProblem, choices_from, rule_form
from broker.web.session import portal_language

__all__ = ["router"]

router = APIRouter(prefix="/console", include_in_schema=False)

_MAX_FORM = 200_000
_MAX_REASON = 1000
_FIELD_OF_KEY = {
    "to": "to",
    "events": "events",
    "fields": "fields",
    "transform": "fields",
    "purpose": "purpose",
    "legal_basis": "legal_basis",
    "retention": "retention_years",
    "when": "other_condition",
}


def _found(context: ApiContext, agreement_id: str, rule_id: str) -> tuple[Agreement, Rule] | None:
    agreement = next(
        (a for a in context.policies.policy_set.agreements if a.agreement_id == agreement_id),
        None,
    )
    rule = (
        None
        if agreement is None
        else next((r for r in agreement.rules if r.rule_id == rule_id), None)
    )
    return None if agreement is None or rule is None else (agreement, rule)


def _form_page(
    request: Request,
    context: ApiContext,
    dpo: Principal,
    agreement: Agreement,
    rule: Rule,
    choices: RuleChoices,
    reason: str = "",
    problems: tuple[FormProblem, ...] = (),
    status_code: int = 200,
) -> HTMLResponse:
    lang = portal_language(request)
    workspace = context.policies
    form = rule_form(
        agreement,
        rule,
        choices,
        workspace.policy_set.vocabulary,
        workspace.context.event_fields,
        context.agencies,
        lang,
    )
    return console_page(
        request,
        context,
        dpo,
        "rule_form.html",
        "agreements",
        status_code=status_code,
        agreement=agreement,
        agreement_title=agreement.title_in(lang),
        rule=rule,
        form=form,
        change_reason=reason,
        problems=problems,
    )


def _key_at(text: str, rule_id: str, line: int) -> str:
    """The key of rule ``rule_id`` on or above ``line`` of ``text`` ('' if not in the rule)."""
    try:
        rules = parse_yaml(text, "agreement").get("rules")
    except PolicyError:
        return ""
    items = rules if isinstance(rules, LineList) else []
    item = next((i for i in items if isinstance(i, LineDict) and i.get("id") == rule_id), None)
    if item is None:
        return ""
    above = [(at, key) for key, at in item.key_lines.items() if at <= line]
    return max(above)[1] if above else ""


def _text_problems(text: str, rule_id: str, lines: list[str], lang: str) -> list[FormProblem]:
    found = []
    for line in lines:
        where, _, message = line.partition(": ")
        number = where.rpartition(":")[2]
        key = _key_at(text, rule_id, int(number)) if number.isdigit() else ""
        shown = problem_in(line, "cy" if lang == "cy" else "en").partition(": ")[2] or message
        found.append(FormProblem(_FIELD_OF_KEY.get(key, "to"), shown))
    return found


@router.get("/agreements/{agreement_id}/rules/{rule_id}/change", response_class=HTMLResponse)
def change_form(
    request: Request, context: Context, dpo: Dpo, agreement_id: str, rule_id: str
) -> Response:
    """The rule's form, filled in with what it says now."""
    found = _found(context, agreement_id, rule_id)
    if found is None:
        return not_found(request)
    agreement, rule = found
    return _form_page(request, context, dpo, agreement, rule, choices_of(rule))


def _came_back(context: ApiContext, path: str, rule: Rule, text: str) -> RuleChoices:
    """The choices of the text the check-answers page sent back (the rule's own if unusable)."""
    try:
        proposed = proposed_policy(context.policies, path, text)
    except PolicyError:
        return choices_of(rule)
    again = next(
        (r for a in proposed.agreements for r in a.rules if r.rule_id == rule.rule_id), rule
    )
    return choices_of(again)


@router.post("/agreements/{agreement_id}/rules/{rule_id}/change", response_class=HTMLResponse)
async def send_form(
    request: Request, context: Context, dpo: Dpo, agreement_id: str, rule_id: str
) -> Response:
    """Write the answers into the agreement text and check it; problems come back on the form,
    a valid change opens the check-answers page (nothing is proposed yet)."""
    found = _found(context, agreement_id, rule_id)
    path = agreement_path(context.policies, agreement_id)
    if found is None or path is None:
        return not_found(request)
    agreement, rule = found
    form = await read_form_lists(request, _MAX_FORM)
    reason = " ".join(((form.get("reason") or [""])[0]).split())
    current = context.policies.current.files[path]
    if (form.get("change") or [""])[0] == "1":
        text = (form.get("text") or [""])[0].replace("\r\n", "\n")
        choices = await run_in_threadpool(_came_back, context, path, rule, text)
        return _form_page(request, context, dpo, agreement, rule, choices, reason)
    choices, problems = choices_from(form, rule)
    text = current if problems else edit_rule(current, agreement, rule, choices)
    if not problems and text == current:
        problems.append(FormProblem("to", "editor_unchanged"))
    if not problems:
        lines = await run_in_threadpool(check_agreement, context.policies, path, text)
        problems += _text_problems(text, rule_id, lines, portal_language(request))
    if not reason:
        problems.append(FormProblem("reason", "reason_missing"))
    elif len(reason) > _MAX_REASON:
        problems.append(FormProblem("reason", "reason_too_long"))
    if problems:
        return _form_page(
            request, context, dpo, agreement, rule, choices, reason, tuple(problems), 422
        )
    back = f"/console/agreements/{agreement_id}/rules/{rule_id}/change"
    return await run_in_threadpool(
        check_page, request, context, dpo, path, text, reason, back, "form_back"
    )
