"""A rule's condition (``when:``) in words, for the common forms a DPO writes.

Recognised, joined by ``&&`` (and) or ``||`` (or), without brackets:

- ``subject.cohort in ['FIXED', 'FLEX']`` / ``== 'FIXED'`` -> "the person is in the Fixed or
  Flex cohort";
- ``subject.consents.<purpose> == 'given'`` -> "the person has consented to sharing for <purpose
  name>" (also ``!= 'withdrawn'`` and the other states);
- ``subject.area == 'gwent'``, ``payload.<field> == / != / in [...]`` -> "the <detail> is (not)
  <value>".

Anything else gives None and is shown verbatim: a condition is never paraphrased wrongly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from broker.policy.policy_words import Language, field_name, symbol_name
from broker.policy.vocabulary import Term

__all__ = ["and_join", "condition_words"]

_VALUE = r"'[^'\\]*'|\"[^\"\\]*\""
_TEST = re.compile(
    rf"^(?P<name>(?:subject|payload)(?:\.[A-Za-z_]\w*)+)\s*"
    rf"(?:(?P<op>==|!=)\s*(?P<value>{_VALUE})|in\s*\[(?P<list>\s*(?:{_VALUE})(?:\s*,\s*(?:{_VALUE}))*\s*,?\s*)\])$"
)
_LIST_ITEM = re.compile(_VALUE)
_TAKES_AC = re.compile(r"^(?:[aeiouwyâêîôûŵŷ]|(?:mae|mai|mewn|na|nad|ni|nid|sydd|fel)\b)", re.I)
_WORDS = {
    "en": {
        "or": " or ",
        "list_or": " or ",
        "cohort": "the person is in the {values} cohort",
        "not_cohort": "the person is not in the {values} cohort",
        "consent_given": "the person has consented to sharing for {purpose}",
        "consent_not_given": "the person has not consented to sharing for {purpose}",
        "consent_withdrawn": "the person has withdrawn consent to sharing for {purpose}",
        "consent_not_withdrawn": "the person has not withdrawn consent to sharing for {purpose}",
        "consent_none": "the person has not been asked about sharing for {purpose}",
        "consent_not_none": "the person has been asked about sharing for {purpose}",
        "area": "the person's IOM area is {values}",
        "not_area": "the person's IOM area is not {values}",
        "is": "the {field} is {values}",
        "is_not": "the {field} is not {values}",
    },
    "cy": {
        "or": " neu ",
        "list_or": " neu ",
        "cohort": "mae'r unigolyn yn y garfan {values}",
        "not_cohort": "nid yw'r unigolyn yn y garfan {values}",
        "consent_given": "mae'r unigolyn wedi cydsynio i rannu at ddiben {purpose}",
        "consent_not_given": "nid yw'r unigolyn wedi cydsynio i rannu at ddiben {purpose}",
        "consent_withdrawn": "mae'r unigolyn wedi tynnu ei gydsyniad i rannu at ddiben {purpose}"
        " yn ôl",
        "consent_not_withdrawn": "nid yw'r unigolyn wedi tynnu ei gydsyniad i rannu at ddiben"
        " {purpose} yn ôl",
        "consent_none": "ni ofynnwyd i'r unigolyn am rannu at ddiben {purpose}",
        "consent_not_none": "gofynnwyd i'r unigolyn am rannu at ddiben {purpose}",
        "area": "ardal IOM yr unigolyn yw {values}",
        "not_area": "nid {values} yw ardal IOM yr unigolyn",
        "is": "{values} yw'r {field}",
        "is_not": "nid {values} yw'r {field}",
    },
}


def condition_words(text: str, lang: Language, purposes: Mapping[str, Term]) -> str | None:
    """The condition in words, or None when it is not one of the common forms."""
    if "(" in text or ")" in text or ("&&" in text and "||" in text):
        return None
    joiner = "&&" if "&&" in text else "||"
    parts = [_test(part.strip(), lang, purposes) for part in text.split(joiner)]
    if any(part is None for part in parts):
        return None
    if joiner == "||":
        return _WORDS[lang]["or"].join(p for p in parts if p)
    return and_join([p for p in parts if p], lang)


def and_join(parts: list[str], lang: Language) -> str:
    """Parts joined by "and" ("a", or "ac" before a vowel or "mae" and the like in Welsh)."""
    text = parts[0]
    for part in parts[1:]:
        if lang == "cy":
            text += " ac " if _TAKES_AC.match(part) else " a "
        else:
            text += " and "
        text += part
    return text


def _test(text: str, lang: Language, purposes: Mapping[str, Term]) -> str | None:
    match = _TEST.match(" ".join(text.split()))
    if match is None:
        return None
    name, op = match.group("name"), match.group("op") or "in"
    raw = [match.group("value")] if match.group("value") else _LIST_ITEM.findall(match["list"])
    values = [item[1:-1] for item in raw]
    words = _WORDS[lang]
    negated = op == "!="
    if name.startswith("subject.consents."):
        purpose = purposes.get(name.removeprefix("subject.consents."))
        if purpose is None or len(values) != 1 or values[0] not in ("given", "withdrawn", "none"):
            return None
        key = f"consent_{'not_' if negated else ''}{values[0]}"
        return words[key].format(purpose=purpose.name_cy if lang == "cy" else purpose.name_en)
    shown = words["list_or"].join(symbol_name(v, lang) for v in values)
    if name == "subject.cohort":
        return words["not_cohort" if negated else "cohort"].format(values=shown)
    if name == "subject.area":
        return words["not_area" if negated else "area"].format(values=", ".join(values))
    if not name.startswith("payload.") or name.count(".") != 1:
        return None
    return words["is_not" if negated else "is"].format(field=field_name(name, lang), values=shown)
