"""Which language to answer a supervisee in: ``?lang=`` first, then ``Accept-Language``."""

from __future__ import annotations

from broker.http.sentences import Language

__all__ = ["choose_language"]

_MAX_HEADER = 512


def _weight(parameters: list[str]) -> float:
    for parameter in parameters:
        name, _, value = parameter.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                return max(0.0, min(1.0, float(value)))
            except ValueError:
                return 0.0
    return 1.0


def choose_language(lang: Language | None, accept_language: str | None) -> Language:
    """``lang`` if given; else the best of Welsh and English the header asks for; else English."""
    if lang is not None:
        return lang
    choices: list[tuple[float, int, Language]] = []
    for position, item in enumerate((accept_language or "")[:_MAX_HEADER].split(",")):
        tag, *parameters = item.split(";")
        primary = tag.strip().lower().split("-")[0]
        if primary in ("cy", "en"):
            weight = _weight(parameters)
            if weight > 0:
                choices.append((-weight, position, "cy" if primary == "cy" else "en"))
    return min(choices)[2] if choices else "en"
