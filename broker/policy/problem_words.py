"""Welsh texts for the common policy validation messages (a message catalogue). Pure.

Validation writes each problem in English, one line, ``file:line: message`` with the bad value
quoted (:mod:`broker.policy.validate`). A Welsh reader gets the same line with the message
in Welsh when it matches one of the patterns below; the file, line and quoted values are
kept as written. A message no pattern knows stays in English rather than being guessed.
"""

from __future__ import annotations

import re

from broker.policy.policy_words import Language

__all__ = ["problem_in", "problems_in"]

_Q = r"('[^']*')"
"""A quoted value, kept as it is."""

_CATALOGUE: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(f"^{pattern}$"), welsh)
    for pattern, welsh in (
        (rf"rule {_Q}: unknown purpose {_Q}", r"rheol \1: diben anhysbys \2"),
        (rf"rule {_Q}: unknown legal basis {_Q}", r"rheol \1: sail gyfreithiol anhysbys \2"),
        (rf"rule {_Q}: unknown agency {_Q}", r"rheol \1: asiantaeth anhysbys \2"),
        (rf"rule {_Q}: unknown event type {_Q}", r"rheol \1: math o ddigwyddiad anhysbys \2"),
        (
            rf"rule {_Q}: retention {_Q} is not an ISO 8601 duration such as P2Y",
            r"rheol \1: nid yw'r cyfnod cadw \2 yn gyfnod ISO 8601 fel P2Y",
        ),
        (
            rf"rule {_Q}: {_Q} is not a party to this agreement",
            r"rheol \1: nid yw \2 yn barti i'r cytundeb hwn",
        ),
        (rf"rule {_Q}: {_Q} cannot share with itself", r"rheol \1: ni all \2 rannu ag ef ei hun"),
        (
            rf"rule {_Q}: field {_Q} is listed twice",
            r"rheol \1: mae'r maes \2 wedi'i restru ddwywaith",
        ),
        (
            rf"rule {_Q}: field {_Q} does not exist in event {_Q}",
            r"rheol \1: nid yw'r maes \2 yn bodoli yn y digwyddiad \3",
        ),
        (
            rf"rule {_Q}: transform on a field not shared: {_Q}",
            r"rheol \1: trawsnewid ar faes nad yw'n cael ei rannu: \2",
        ),
        (
            rf"rule id {_Q} is already used at (\S+)",
            r"mae'r rheol \1 eisoes yn cael ei defnyddio yn \2",
        ),
        (
            rf"warning: party {_Q} has not approved this agreement",
            r"rhybudd: nid yw'r parti \1 wedi cymeradwyo'r cytundeb hwn",
        ),
        (
            r"warning: review date '([^']*)' has passed",
            r"rhybudd: mae'r dyddiad adolygu '\1' wedi mynd heibio",
        ),
        (
            r"warning: no review_date: agreements must be reviewed",
            r"rhybudd: dim review_date: rhaid adolygu cytundebau",
        ),
        (
            r"a data disclosure agreement \(dda\) is one-way, but its rules share from (.*);"
            r" use 'isp' for two-way sharing",
            r"mae cytundeb datgelu data (dda) yn unffordd, ond mae ei reolau'n rhannu o \1;"
            r" defnyddiwch 'isp' ar gyfer rhannu dwyffordd",
        ),
        (
            rf"approval by {_Q}, who is not a party",
            r"cymeradwyaeth gan \1, nad yw'n barti",
        ),
        (rf"unknown party {_Q}", r"parti anhysbys \1"),
        (rf"party {_Q} does not serve area {_Q}", r"nid yw'r parti \1 yn gwasanaethu ardal \2"),
        (rf"unknown area {_Q} \(known: (.*)\)", r"ardal anhysbys \1 (hysbys: \2)"),
        (
            rf"unknown key {_Q} in (an agreement|a rule|an approval) \(expected one of: (.*)\)",
            r"allwedd anhysbys \1 (disgwylir un o: \3)",
        ),
        (rf"rule {_Q} has no {_Q}", r"nid oes gan reol \1 \2"),
        (rf"the agreement has no {_Q}", r"nid oes gan y cytundeb \1"),
        (rf"a rule has no {_Q}", r"nid oes gan reol \1"),
        (rf"an approval has no {_Q}", r"nid oes gan gymeradwyaeth \1"),
        (rf"{_Q} must not be empty", r"ni ddylai \1 fod yn wag"),
        (
            rf"{_Q} must be a date like 2027-03-31, not (.*)",
            r"rhaid i \1 fod yn ddyddiad fel 2027-03-31, nid \2",
        ),
        (
            rf"unknown transform {_Q} for {_Q} \(use one of: (.*)\)",
            r"trawsnewid anhysbys \1 ar gyfer \2 (defnyddiwch un o: \3)",
        ),
        (
            rf"unknown kind {_Q} \(use 'isp' or 'dda'\)",
            r"math anhysbys \1 (defnyddiwch 'isp' neu 'dda')",
        ),
        (rf"key {_Q} appears twice", r"mae'r allwedd \1 yn ymddangos ddwywaith"),
        (r"not valid YAML: (.*)", r"nid yw'n YAML dilys: \1"),
        (
            r"the 'approvals' list is recorded by the system when each party's DPO approves;"
            r" it cannot be changed by hand \(put it back as it was\)",
            r"mae'r system yn cofnodi'r rhestr 'approvals' pan fydd SDD pob parti yn"
            r" cymeradwyo; ni ellir ei newid â llaw (rhowch hi'n ôl fel yr oedd)",
        ),
    )
)

_LOCATED = re.compile(r"^(\S+?:\d+: |\S+?: )(.*)$")


def problem_in(line: str, lang: Language) -> str:
    """``line`` (``file:line: message``) with its message in ``lang`` when the catalogue has it."""
    if lang != "cy":
        return line
    found = _LOCATED.match(line)
    where, message = (found.group(1), found.group(2)) if found else ("", line)
    for pattern, welsh in _CATALOGUE:
        if pattern.match(message):
            return where + pattern.sub(welsh, message)
    return line


def problems_in(lines: list[str], lang: Language) -> list[str]:
    """Each of ``lines`` in ``lang`` (see :func:`problem_in`)."""
    return [problem_in(line, lang) for line in lines]
