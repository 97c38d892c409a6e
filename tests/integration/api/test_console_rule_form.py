"""The console's form editor for one rule, and the YAML editor's line links, in process."""

from __future__ import annotations

import re
from html import unescape

import httpx

from broker.identity.principal import Role
from tests.e2e.console_changes import AGREEMENT, CURRENT
from tests.integration.api.test_console_pages import _as_dpo
from tests.support.api_callers import bearer

RULE = "gdas-treatment-progress-to-probation"
FORM = f"/console/agreements/{AGREEMENT}/rules/{RULE}/change"
REASON = "GDAS asked to keep treatment outcomes for two years"
_LOCATION = re.compile(r"/console/proposals/([0-9a-f-]{36})")
_CHECKED = re.compile(r'name="(\w+)" type="(?:checkbox|radio)" value="([^"]*)" checked')


def _answers(html: str) -> list[tuple[str, str]]:
    """The form's ticked boxes and chosen radios, and its text inputs, as the browser sends."""
    answers = _CHECKED.findall(html)
    for name in ("retention_years", "retention_months", "other_condition"):
        found = re.search(rf'name="{name}" [^>]*value="([^"]*)"', html)
        answers.append((name, unescape(found.group(1)) if found else ""))
    for name, chosen in re.findall(r'name="(transform-[^"]+)">(.*?)</select>', html, re.S):
        picked = re.search(r'<option value="([^"]*)" selected>', chosen)
        answers.append((name, picked.group(1) if picked else ""))
    return answers


def _form(answers: list[tuple[str, str]]) -> dict[str, list[str]]:
    """The answers as httpx sends a form with repeated fields."""
    form: dict[str, list[str]] = {}
    for name, value in answers:
        form.setdefault(name, []).append(value)
    return form


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


async def test_the_form_shows_the_rule_in_words(client: httpx.AsyncClient) -> None:
    """Recipients, events, details, purpose and law are ticked as the rule says, in words."""
    await _as_dpo(client, "gdas")
    page = await client.get(FORM)
    assert page.status_code == 200
    answers = _answers(page.text)
    assert ("to", "probation-wales") in answers
    assert ("fields", "payload.outcome") in answers
    assert ("purpose", "substance_misuse_treatment") in answers
    assert ("retention_years", "1") in answers
    words = _text(page.text)
    assert "The Probation Service in Wales" in words
    assert "outcomes of referrals" in words


async def test_a_form_edit_proposes_the_same_text_as_the_yaml_editor(
    client: httpx.AsyncClient,
) -> None:
    """Changing the retention to 2 years in the form proposes exactly the text an expert
    would have typed (one line changed), after the same check-answers page."""
    csrf = await _as_dpo(client, "gdas")
    answers = [(k, v) for k, v in _answers((await client.get(FORM)).text) if k != "retention_years"]
    answers += [("retention_years", "2"), ("reason", REASON), ("csrf_token", csrf)]
    check = await client.post(FORM, data=_form(answers))
    assert check.status_code == 200, _text(check.text)
    assert "Kept for 2 years (was 1 year" in _text(check.text)
    sent_text = unescape(re.search(r'name="text" value="([^"]*)"', check.text, re.S).group(1))  # type: ignore[union-attr]
    assert sent_text == CURRENT.replace("retention: P1Y", "retention: P2Y")
    sent = await client.post(
        f"/console/agreements/{AGREEMENT}/propose",
        data={"csrf_token": csrf, "text": sent_text, "reason": REASON},
    )
    assert sent.status_code == 303
    found = _LOCATION.search(sent.headers["location"])
    assert found is not None
    proposal = await client.get(
        f"/policies/proposals/{found.group(1)}", headers=bearer(Role.DPO, agency="gdas")
    )
    assert proposal.json()["reason"] == REASON


async def test_the_form_says_what_is_missing(client: httpx.AsyncClient) -> None:
    """Nothing ticked and a retention in words: each problem links to its own field."""
    csrf = await _as_dpo(client, "gdas")
    sent = await client.post(
        FORM, data={"csrf_token": csrf, "retention_years": "two", "reason": REASON}
    )
    assert sent.status_code == 422
    for anchor, words in (
        ("to", "Select who receives it"),
        ("events", "Select at least one event"),
        ("fields", "Select at least one detail"),
        ("retention_years", "Enter the years and months as whole numbers"),
    ):
        assert f'<a href="#{anchor}">{words}' in sent.text


async def test_a_form_problem_from_the_text_check_names_the_field_in_welsh(
    client: httpx.AsyncClient,
) -> None:
    """A recipient who is not a party is refused by the same check as the YAML, shown in
    Welsh against the recipients' field."""
    csrf = await _as_dpo(client, "gdas")
    client.cookies.set("iom_lang", "cy")
    answers = [(k, v) for k, v in _answers((await client.get(FORM)).text) if k != "to"]
    answers += [("to", "gwent-police"), ("reason", REASON), ("csrf_token", csrf)]
    sent = await client.post(FORM, data=_form(answers))
    assert sent.status_code == 422
    shown = unescape(sent.text)
    assert f"<a href=\"#to\">rheol '{RULE}': nid yw 'gwent-police' yn barti i'r cytundeb" in shown


async def test_a_hand_edited_approval_is_refused_with_a_link_to_its_line(
    client: httpx.AsyncClient,
) -> None:
    """Writing another DPO's approval into the YAML is refused; the error links to line 16."""
    csrf = await _as_dpo(client, "probation-wales")
    text = CURRENT.replace("dpo: Mark Thomas", "dpo: Siân Morgan")
    sent = await client.post(
        f"/console/agreements/{AGREEMENT}/edit",
        data={"csrf_token": csrf, "text": text, "reason": REASON},
    )
    assert sent.status_code == 422
    assert 'href="#line-16" class="console-problem" data-line="16"' in sent.text
    assert "cannot be changed by hand" in sent.text
    assert '<li id="line-16">  - {party: gdas, dpo: Siân Morgan' in unescape(sent.text)


async def test_back_from_the_check_page_shows_the_answers_given(
    client: httpx.AsyncClient,
) -> None:
    """Going back from the check page shows the form as the DPO left it, not as the file is."""
    csrf = await _as_dpo(client, "gdas")
    text = CURRENT.replace("retention: P1Y", "retention: P2Y").replace(" payload.referral_id,", "")
    back = await client.post(
        FORM, data={"csrf_token": csrf, "text": text, "reason": REASON, "change": "1"}
    )
    answers = _answers(back.text)
    assert ("retention_years", "2") in answers
    assert ("fields", "payload.referral_id") not in answers
    assert REASON in back.text
