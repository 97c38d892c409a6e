"""Welsh soft mutation of a name or noun put after a preposition ("wrth Wasanaeth…").

Prepositions such as ``wrth``, ``i``, ``am``, ``o``, ``gan``, ``dan`` and ``drwy`` soft-mutate
the first consonant of the word that follows: p→b, t→d, c→g, b→f, d→dd, g→(dropped), m→f,
ll→l, rh→r. Names are mutated like any other noun ("wrth Fwrdd Iechyd", "i Went"), with the
exceptions that apply to proper names:

- a name that starts with the article ``Y``/``Yr`` keeps its noun as it is and the article
  is written in lower case mid-sentence ("wrth y Gwasanaeth Prawf"); after ``i`` and ``o`` the
  article is joined ("i'r Gwasanaeth", "o'r Gwasanaeth");
- initialisms and acronyms (``GIG``, ``HMP``, ``IOM``) and names that are not Welsh words
  (listed in :data:`NOT_MUTATED`) are left alone;
- only the first word of the name changes ("Tai Cyngor Sir Gâr" → "Dai Cyngor Sir Gâr").
"""

from __future__ import annotations

__all__ = ["NOT_MUTATED", "SOFT_MUTATING", "after_preposition", "soft_mutation"]

#: Prepositions followed by a soft mutation.
SOFT_MUTATING = frozenset(
    {"am", "ar", "at", "gan", "heb", "i", "o", "dan", "tan", "dros", "drwy", "trwy", "wrth", "hyd"}
)

#: First words of names that are not Welsh words, so they are never mutated.
NOT_MUTATED = frozenset({"Barnardo's", "Bevan", "Dyfed-Powys"})

_PAIRS = (("ll", "l"), ("rh", "r"), ("p", "b"), ("t", "d"), ("c", "g"), ("b", "f"), ("d", "dd"))
_ONE_LETTER = {"g": "", "m": "f"}
_ARTICLES = ("Y ", "Yr ", "y ", "yr ")
_JOINS_ARTICLE = frozenset({"i", "o"})


def soft_mutation(word: str) -> str:
    """``word`` with its first consonant soft-mutated, keeping a capital letter."""
    if not word or word in NOT_MUTATED or (len(word) > 1 and word.isupper()):
        return word
    lower = word.lower()
    for before, after in _PAIRS:
        if lower.startswith(before):
            return _with_case(word, after, len(before))
    first = lower[0]
    if first in _ONE_LETTER:
        replacement = _ONE_LETTER[first]
        if replacement == "":
            rest = word[1:]
            return rest[:1].upper() + rest[1:] if word[0].isupper() else rest
        return _with_case(word, replacement, 1)
    return word


def after_preposition(preposition: str, phrase: str) -> str:
    """``preposition`` and ``phrase`` as they are written together mid-sentence."""
    for article in _ARTICLES:
        if phrase.startswith(article):
            rest = phrase[len(article) :]
            if preposition in _JOINS_ARTICLE:
                return f"{preposition}'r {rest}"
            return f"{preposition} {article.lower()}{rest}"
    if preposition not in SOFT_MUTATING:
        return f"{preposition} {phrase}"
    first, space, rest = phrase.partition(" ")
    return f"{preposition} {soft_mutation(first)}{space}{rest}"


def _with_case(word: str, replacement: str, replaced: int) -> str:
    if word[0].isupper():
        replacement = replacement[:1].upper() + replacement[1:]
    return replacement + word[replaced:]
