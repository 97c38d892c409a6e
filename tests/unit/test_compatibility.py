"""backward_problems: Avro schema resolution, reader = new schema, writer = old schema."""

from __future__ import annotations

from typing import Any

import pytest

from broker.catalogue import backward_problems


def record(*fields: dict[str, Any], name: str = "Thing", **extra: Any) -> dict[str, Any]:
    return {"type": "record", "name": name, "namespace": "t", "fields": list(fields), **extra}


def field(name: str, type_: Any, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, **extra}


def enum(*symbols: str, **extra: Any) -> dict[str, Any]:
    return {"type": "enum", "name": "Colour", "symbols": list(symbols), **extra}


def test_identical_schemas_are_compatible() -> None:
    """A schema can always read its own data."""
    schema = record(field("a", "string"), field("b", ["null", "long"], default=None))
    assert backward_problems(schema, schema) == []


def test_adding_a_field_with_a_default_is_compatible() -> None:
    """A new field with a default is filled in when reading old data."""
    old = record(field("a", "string"))
    new = record(field("a", "string"), field("b", ["null", "string"], default=None))
    assert backward_problems(new, old) == []


def test_adding_a_field_without_a_default_is_a_problem_naming_its_path() -> None:
    """Old data has no value for a new required field, so the reader cannot fill it."""
    old = record(field("a", "string"))
    new = record(field("a", "string"), field("b", "string"))
    assert backward_problems(new, old) == [
        "Thing.b: field added without a default; data written by the old schema has no value for it"
    ]


def test_removing_a_field_is_compatible() -> None:
    """The reader skips fields it no longer declares."""
    old = record(field("a", "string"), field("b", "int"))
    assert backward_problems(record(field("a", "string")), old) == []


def test_a_renamed_field_resolves_through_its_alias() -> None:
    """A field renamed with the old name as an alias still reads old data."""
    old = record(field("crn", "string"))
    new = record(field("case_reference", "string", aliases=["crn"]))
    assert backward_problems(new, old) == []


def test_removing_an_enum_symbol_is_a_problem() -> None:
    """Old data may hold a symbol the new enum lacks."""
    old = record(field("c", enum("RED", "GREEN", "BLUE")))
    new = record(field("c", enum("RED", "GREEN")))
    assert backward_problems(new, old) == [
        "Thing.c: enum Colour lost symbol(s) BLUE and has no default; old data may hold them"
    ]


def test_removing_an_enum_symbol_is_fine_when_the_enum_has_a_default() -> None:
    """An enum default absorbs symbols the reader no longer knows."""
    old = record(field("c", enum("RED", "GREEN", "BLUE")))
    new = record(field("c", enum("RED", "GREEN", "OTHER", default="OTHER")))
    assert backward_problems(new, old) == []


def test_adding_an_enum_symbol_is_compatible() -> None:
    """Old data only holds old symbols, all of which the new enum has."""
    old = record(field("c", enum("RED")))
    assert backward_problems(record(field("c", enum("RED", "GREEN"))), old) == []


@pytest.mark.parametrize(
    ("writer", "reader"),
    [
        ("int", "long"),
        ("int", "float"),
        ("int", "double"),
        ("long", "float"),
        ("long", "double"),
        ("float", "double"),
        ("string", "bytes"),
        ("bytes", "string"),
    ],
)
def test_avro_promotions_are_compatible(writer: str, reader: str) -> None:
    """Avro widens int, long and float, and reads string and bytes as each other."""
    assert backward_problems(record(field("x", reader)), record(field("x", writer))) == []


@pytest.mark.parametrize(
    ("writer", "reader"),
    [
        ("int", "string"),
        ("long", "int"),
        ("double", "float"),
        ("string", "int"),
        ("boolean", "int"),
    ],
)
def test_other_type_changes_are_problems(writer: str, reader: str) -> None:
    """Narrowing or changing a type cannot read old data, and the path is named."""
    assert backward_problems(record(field("x", reader)), record(field("x", writer))) == [
        f"Thing.x: {writer} written by the old schema cannot be read as {reader}"
    ]


def test_making_a_field_optional_is_compatible() -> None:
    """A union reader containing the old type reads old data."""
    old = record(field("x", "string"))
    assert backward_problems(record(field("x", ["null", "string"], default=None)), old) == []


def test_making_an_optional_field_required_is_a_problem() -> None:
    """Old data may hold null, which a plain string reader cannot take."""
    old = record(field("x", ["null", "string"], default=None))
    assert backward_problems(record(field("x", "string")), old) == [
        "Thing.x: null written by the old schema cannot be read as string (writer union branch)"
    ]


def test_dropping_a_union_branch_is_a_problem() -> None:
    """A union branch the old schema could write must still have a match in the new union."""
    old = record(field("x", ["null", "string", "int"]))
    assert backward_problems(record(field("x", ["null", "string"])), old) == [
        "Thing.x: int written by the old schema has no match in the union (null, string)"
    ]


def test_union_branches_may_be_promoted() -> None:
    """An int branch is read by a long branch of the new union."""
    old = record(field("x", ["null", "int"]))
    assert backward_problems(record(field("x", ["null", "long"])), old) == []


def test_a_renamed_record_needs_an_alias() -> None:
    """Named types match by name; a rename without the old name as alias is a problem."""
    old = record(field("a", "string"), name="Old")
    assert backward_problems(record(field("a", "string"), name="New"), old) == [
        "New: type name changed from t.Old to t.New without an alias"
    ]
    aliased = record(field("a", "string"), name="New", aliases=["Old"])
    assert backward_problems(aliased, old) == []


def test_a_changed_fixed_size_is_a_problem() -> None:
    """Fixed types must keep their size."""
    old = record(field("h", {"type": "fixed", "name": "Hash", "size": 32}))
    new = record(field("h", {"type": "fixed", "name": "Hash", "size": 16}))
    assert backward_problems(new, old) == ["Thing.h: fixed size changed from 32 to 16"]


def test_array_items_and_map_values_are_resolved_with_their_paths() -> None:
    """Element types follow the same rules, and problems name items [] and values {}."""
    old = record(
        field("xs", {"type": "array", "items": "int"}),
        field("m", {"type": "map", "values": "string"}),
    )
    new = record(
        field("xs", {"type": "array", "items": "long"}),
        field("m", {"type": "map", "values": "int"}),
    )
    assert backward_problems(new, old) == [
        "Thing.m{}: string written by the old schema cannot be read as int"
    ]


def test_changing_a_logical_type_is_a_problem() -> None:
    """A date that becomes a plain int still decodes but means something else, so it is flagged."""
    old = record(field("d", {"type": "int", "logicalType": "date"}))
    assert backward_problems(record(field("d", "int")), old) == [
        "Thing.d: logical type changed from date to none"
    ]


def test_problems_in_nested_records_name_the_full_path() -> None:
    """A break deep inside a nested record is reported with the path from the top record."""
    inner_old = {"type": "record", "name": "Inner", "fields": [field("n", "int")]}
    inner_new = {"type": "record", "name": "Inner", "fields": [field("n", "string")]}
    old = record(field("outer", ["null", inner_old], default=None))
    new = record(field("outer", ["null", inner_new], default=None))
    assert backward_problems(new, old) == [
        "Thing.outer.n: int written by the old schema cannot be read as string"
    ]


def test_named_types_used_again_by_name_are_resolved() -> None:
    """A type defined once and referred to by name later is checked like the definition."""
    level_old = enum("LOW", "HIGH")
    level_new = enum("LOW")
    old = record(field("before", level_old), field("after", "Colour"))
    new = record(field("before", level_new), field("after", "Colour"))
    problems = backward_problems(new, old)
    assert problems == [
        "Thing.before: enum Colour lost symbol(s) HIGH and has no default; old data may hold them"
    ]


def test_recursive_types_terminate() -> None:
    """A self-referencing record (a linked list) is checked without looping forever."""
    node = record(field("value", "int"), field("next", ["null", "t.Thing"], default=None))
    wider = record(field("value", "long"), field("next", ["null", "t.Thing"], default=None))
    assert backward_problems(wider, node) == []
