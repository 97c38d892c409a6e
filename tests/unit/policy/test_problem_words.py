"""Validation problems read in Welsh from a message catalogue, file, line and values kept."""

from __future__ import annotations

import pytest

from broker.policy.problem_words import problem_in


@pytest.mark.parametrize(
    ("english", "welsh"),
    [
        (
            "a.yaml:19: rule 'arrest': unknown purpose 'curiosity'",
            "a.yaml:19: rheol 'arrest': diben anhysbys 'curiosity'",
        ),
        (
            "a.yaml:9: a data disclosure agreement (dda) is one-way, but its rules share from"
            " 'gdas', 'probation-wales'; use 'isp' for two-way sharing",
            "a.yaml:9: mae cytundeb datgelu data (dda) yn unffordd, ond mae ei reolau'n rhannu o"
            " 'gdas', 'probation-wales'; defnyddiwch 'isp' ar gyfer rhannu dwyffordd",
        ),
        (
            "a.yaml:3: warning: review date '2020-01-01' has passed",
            "a.yaml:3: rhybudd: mae'r dyddiad adolygu '2020-01-01' wedi mynd heibio",
        ),
        (
            "a.yaml:15: rule 'arrest' has no 'retention'",
            "a.yaml:15: nid oes gan reol 'arrest' 'retention'",
        ),
    ],
)
def test_common_messages_have_welsh_texts(english: str, welsh: str) -> None:
    """The Welsh line keeps the file, line and quoted values of the English one."""
    assert problem_in(english, "cy") == welsh
    assert problem_in(english, "en") == english


def test_a_message_the_catalogue_does_not_know_stays_english() -> None:
    """An unknown message is shown as written rather than half translated."""
    line = "a.yaml:4: condition 'x >': Syntax error"
    assert problem_in(line, "cy") == line
