"""Validate a mapping file against the catalogue and compile it (errors as ``file:line``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from broker.catalogue.catalogue import SchemaCatalogue
from broker.domain.subject import IDENTIFIER_TYPES
from broker.kafka.topics import validate_agency
from iom_adapters.mapping.spec import (
    Condition,
    EventRule,
    InputFormat,
    MappingSpec,
    ValueSpec,
    parse_path,
)
from iom_adapters.sdk.catalogue_fields import FieldType, payload_fields
from iom_adapters.sdk.values import zone
from iom_adapters.sdk.yaml_lines import ConfigFileError, Key, LocatedYaml, load_located

_TOP = {"agency", "description", "input", "record_id", "timezone", "check_identifiers", "events"}
_INPUT = {"format", "delimiter", "records"}
_RULE = {"event_type", "description", "when", "occurred_at", "subject", "payload", "key"}
_VALUE = {"field", "value", "map", "unmapped", "default", "format", "transform"}
_TRANSFORMS = {"upper", "lower", "digits"}
_FORMATS: tuple[InputFormat, ...] = ("csv", "json", "jsonl")


def load_mapping(path: Path, catalogue: SchemaCatalogue) -> MappingSpec:
    """Read and compile a mapping file; raise ConfigFileError at the first problem."""
    return compile_mapping(load_located(path), catalogue)


def compile_mapping(doc: LocatedYaml, catalogue: SchemaCatalogue) -> MappingSpec:
    """Compile parsed YAML; every error names ``file:line`` and the setting."""
    return _Compiler(doc, catalogue).spec()


class _Compiler:
    def __init__(self, doc: LocatedYaml, catalogue: SchemaCatalogue) -> None:
        self.doc = doc
        self.catalogue = catalogue
        self.format: InputFormat = "csv"
        self.timezone = "Europe/London"

    def fail(self, keys: Sequence[Key], problem: str) -> ConfigFileError:
        return self.doc.error(keys, problem)

    def mapping(self, value: Any, keys: Sequence[Key], allowed: set[str]) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(keys, "expected a mapping")
        for name in value:
            if name not in allowed:
                raise self.fail(
                    (*keys, name), f"unknown setting; allowed: {', '.join(sorted(allowed))}"
                )
        return value

    def spec(self) -> MappingSpec:
        top = self.mapping(self.doc.data, (), _TOP)
        for required in ("agency", "record_id", "events"):
            if required not in top:
                raise self.fail((), f"missing required setting {required!r}")
        agency = top["agency"]
        try:
            validate_agency(str(agency))
        except ValueError as error:
            raise self.fail(("agency",), str(error)) from None
        source = self.mapping(top.get("input", {}), ("input",), _INPUT)
        self.format = source.get("format", "csv")
        if self.format not in _FORMATS:
            raise self.fail(
                ("input", "format"), f"{self.format!r} is not one of {', '.join(_FORMATS)}"
            )
        delimiter = source.get("delimiter", ",")
        if not isinstance(delimiter, str) or len(delimiter) != 1:
            raise self.fail(("input", "delimiter"), "expected one character")
        records = source.get("records")
        if records is not None and (self.format == "csv" or not isinstance(records, str)):
            raise self.fail(("input", "records"), "a JSON path, only for json input")
        self.timezone = str(top.get("timezone", "Europe/London"))
        try:
            zone(self.timezone)
        except Exception:
            raise self.fail(("timezone",), f"unknown time zone {self.timezone!r}") from None
        events = top["events"]
        if not isinstance(events, list) or not events:
            raise self.fail(("events",), "expected a non-empty list of event rules")
        return MappingSpec(
            path=self.doc.path,
            agency=str(agency),
            input_format=self.format,
            delimiter=delimiter,
            records_path=parse_path(records, self.format) if records else None,
            record_id=self.sources(top["record_id"], ("record_id",)),
            timezone=self.timezone,
            check_identifiers=bool(top.get("check_identifiers", True)),
            rules=tuple(self.rule(rule, ("events", i)) for i, rule in enumerate(events)),
        )

    def sources(self, value: Any, keys: tuple[Key, ...]) -> tuple[ValueSpec, ...]:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
            raise self.fail(keys, "expected a field name or a list of field names")
        return tuple(
            ValueSpec(f"{keys[-1]}[{i}]", "string", False, parse_path(s, self.format), s)
            for i, s in enumerate(items)
        )

    def rule(self, value: Any, keys: tuple[Key, ...]) -> EventRule:
        rule = self.mapping(value, keys, _RULE)
        event_type = rule.get("event_type")
        if event_type not in self.catalogue.event_types():
            known = ", ".join(self.catalogue.event_types())
            raise self.fail(
                (*keys, "event_type"), f"{event_type!r} is not a catalogue event type ({known})"
            )
        for required in ("occurred_at", "subject", "payload"):
            if required not in rule:
                raise self.fail(keys, f"missing required setting {required!r}")
        fields = payload_fields(self.catalogue, event_type)
        payload = self.mapping(rule["payload"], (*keys, "payload"), set(fields))
        for name, kind in fields.items():
            if name not in payload and not kind.optional:
                raise self.fail(
                    (*keys, "payload"), f"required field {name!r} of {event_type} is not mapped"
                )
        subject = self.mapping(rule["subject"], (*keys, "subject"), set(IDENTIFIER_TYPES))
        if not subject:
            raise self.fail((*keys, "subject"), "map at least one identifier")
        occurred = FieldType("occurred_at", "timestamp", False)
        return EventRule(
            event_type=event_type,
            when=self.condition(rule.get("when"), (*keys, "when")),
            occurred_at=self.value(rule["occurred_at"], (*keys, "occurred_at"), occurred),
            subject={
                name: self.value(spec, (*keys, "subject", name), FieldType(name, "string", True))
                for name, spec in subject.items()
            },
            payload={
                name: self.value(spec, (*keys, "payload", name), fields[name])
                for name, spec in payload.items()
            },
            key=self.sources(rule["key"], (*keys, "key")) if "key" in rule else (),
            all_fields=tuple(fields),
        )

    def condition(self, value: Any, keys: tuple[Key, ...]) -> Condition | None:
        if value is None:
            return None
        when = self.mapping(value, keys, {"field", "equals", "in"})
        if not isinstance(when.get("field"), str):
            raise self.fail(keys, "needs 'field' and one of 'equals' or 'in'")
        if ("equals" in when) == ("in" in when):
            raise self.fail(keys, "needs exactly one of 'equals' or 'in'")
        values = [when["equals"]] if "equals" in when else when["in"]
        if not isinstance(values, list) or not values:
            raise self.fail((*keys, "in"), "expected a non-empty list")
        return Condition(
            parse_path(when["field"], self.format),
            when["field"],
            frozenset(str(v).strip().casefold() for v in values),
        )

    def value(self, value: Any, keys: tuple[Key, ...], kind: FieldType) -> ValueSpec:
        spec = {"field": value} if isinstance(value, str) else self.mapping(value, keys, _VALUE)
        if ("field" in spec) == ("value" in spec):
            raise self.fail(
                keys, "needs exactly one of 'field' (from the record) or 'value' (fixed)"
            )
        formats = spec.get("format", ())
        formats = (formats,) if isinstance(formats, str) else tuple(formats)
        if formats and kind.kind not in ("date", "timestamp"):
            raise self.fail(
                (*keys, "format"),
                f"only date and timestamp fields take a format ({kind.describe()})",
            )
        transform = spec.get("transform")
        if transform is not None and transform not in _TRANSFORMS:
            raise self.fail(
                (*keys, "transform"),
                f"{transform!r} is not one of {', '.join(sorted(_TRANSFORMS))}",
            )
        mapping = spec.get("map")
        if mapping is not None:
            if not isinstance(mapping, Mapping) or not mapping:
                raise self.fail((*keys, "map"), "expected a mapping of source text to values")
            for source_text, target in mapping.items():
                self.check_constant(target, (*keys, "map", source_text), kind)
            mapping = {str(k).strip().casefold(): v for k, v in mapping.items()}
        for name in ("value", "unmapped", "default"):
            if spec.get(name) is not None:
                self.check_constant(spec[name], (*keys, name), kind, formats)
        source = spec.get("field")
        if source is not None and not isinstance(source, str):
            raise self.fail((*keys, "field"), "expected a column name or JSON path")
        return ValueSpec(
            target=".".join(str(k) for k in keys[2:]),
            kind=kind.kind,
            optional=kind.optional,
            source=parse_path(source, self.format) if source else None,
            source_label=source or "",
            constant=spec.get("value"),
            mapping=mapping,
            unmapped=spec.get("unmapped"),
            default=spec.get("default"),
            formats=formats,
            transform=transform,
            symbols=kind.symbols,
        )

    def check_constant(
        self, value: Any, keys: tuple[Key, ...], kind: FieldType, formats: tuple[str, ...] = ()
    ) -> None:
        if kind.kind == "enum" and value not in kind.symbols:
            raise self.fail(
                keys, f"{value!r} is not a {kind.enum_name} symbol ({', '.join(kind.symbols)})"
            )
        if kind.kind in ("date", "timestamp") and isinstance(value, str):
            for fmt in formats:
                try:
                    datetime.strptime(value, fmt)
                    return
                except ValueError:
                    continue
            try:
                datetime.fromisoformat(value)
            except ValueError:
                raise self.fail(keys, f"{value!r} is not an ISO 8601 {kind.kind}") from None
