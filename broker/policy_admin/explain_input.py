"""Read the input of ``policy explain``: an event file, optionally with the person's situation.

The file is either a scenario file (``event`` and ``subject``), or just the event (``type``,
``from``, ``subject`` identifiers, ``payload``). Without a ``subject`` section the person is
taken to be enrolled in the Fixed cohort of the sending agency's area, and the report says so.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from broker.catalogue.codec import AvroCodec
from broker.domain.event import Event
from broker.domain.subject import SubjectRecord
from broker.policy.engine import CompiledPolicy
from broker.policy.problems import PolicyError, PolicyUnreadable
from broker.policy.scenario import DEFAULT_TIME, parse_subject
from broker.policy.vocabulary import NATIONAL_AREA
from broker.policy.yaml_source import LineDict, parse_yaml
from broker.policy_admin.scenario_runs import build_event


def explain_input(
    path: Path,
    codec: AvroCodec,
    policy: CompiledPolicy,
    area: str | None = None,
    cohort: str = "FIXED",
) -> tuple[Event, SubjectRecord | None, datetime]:
    """The event, the subject and the decision time; raise ValueError with one line.

    ``area`` and ``cohort`` describe the person when the file does not.
    """
    try:
        data = parse_yaml(path.read_text(encoding="utf-8"), str(path))
        event_spec = data.get("event", data)
        if not isinstance(event_spec, LineDict):
            raise ValueError(f"{path}:{data.line_of('event')}: 'event' must be a mapping")
        event = build_event(codec, event_spec, str(path))
        if "subject" in data and "event" in data:
            subject = parse_subject(data["subject"], str(path), data.line_of("subject"))
        else:
            area = area or policy.policy.area_of(event.source_agency)
            if area is None or area == NATIONAL_AREA:
                raise ValueError(
                    f"{path}: say which IOM area the person is managed in, e.g. --area gwent"
                )
            subject = SubjectRecord(
                "subj-explain", cohort, True, event.subject, DEFAULT_TIME, area=area
            )
    except OSError as error:
        raise PolicyUnreadable(f"{path}: cannot read ({error.strerror})") from None
    except PolicyError as error:
        raise ValueError(str(error)) from None
    decided_at = data.get("decided_at")
    return event, subject, decided_at if isinstance(decided_at, datetime) else DEFAULT_TIME
