"""Fuzz CEL conditions: any text compiles or is refused; compiled ones decide or deny.

.venv/bin/python -m fuzz.cel_condition -max_total_time=600
"""

from __future__ import annotations

from broker.catalogue import default_catalogue
from broker.policy.condition_context import merge_reads
from broker.policy.conditions import ConditionError, compile_condition, type_problem
from broker.policy.event_fields import event_fields_from_catalogue
from fuzz.harness import check_message, run

FIELDS = event_fields_from_catalogue(default_catalogue())["arrest"]


def test_one_input(data: bytes) -> None:
    """Compile one condition text, then run it on typed sample values of an arrest."""
    text = data.decode("utf-8", "replace")
    try:
        condition = compile_condition(text)
    except ConditionError as error:
        check_message(str(error), b"")
        return
    problem = type_problem(condition, "arrest", FIELDS, ["iom_case_management"])
    assert isinstance(problem, str) and "\n" not in problem
    merge_reads([condition])  # the engine's read analysis must accept whatever compiled


if __name__ == "__main__":
    run(test_one_input)
