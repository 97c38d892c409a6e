"""The s.62 audit row of each appended entry keeps its JSON detail spelling."""

from __future__ import annotations

import json

import pytest

from broker.transparency.store.common import audit_detail


@pytest.mark.parametrize(
    ("recipient", "event_type"),
    [("probation-wales", "arrest"), ('q"uo\\te\n', "caf\u00e9\u2028"), ("", ""), (None, "arrest")],
)
@pytest.mark.parametrize("index", [0, 7, 10**12])
def testaudit_detail_is_the_sorted_json_it_always_was(
    index: int, recipient: str, event_type: str
) -> None:
    """An audit row's detail reads exactly as json.dumps with sorted keys wrote it before."""
    expected = json.dumps(
        {"index": index, "recipient": recipient, "event_type": event_type}, sort_keys=True
    )
    assert audit_detail(index, recipient, event_type) == expected
