"""Reading a posted HTML form (``application/x-www-form-urlencoded``) with bounds."""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import Request

__all__ = ["read_form", "read_form_lists"]


async def read_form(request: Request, max_bytes: int = 16384) -> dict[str, str]:
    """The form's fields (first value each); a body past ``max_bytes`` is cut there."""
    body = (await request.body())[:max_bytes].decode("utf-8", "replace")
    try:
        fields = parse_qs(body, max_num_fields=10)
    except ValueError:
        return {}
    return {name: values[0] for name, values in fields.items()}


async def read_form_lists(
    request: Request, max_bytes: int = 16384, max_fields: int = 500
) -> dict[str, list[str]]:
    """Every value of each field (checkboxes send one per ticked box); bounded like
    :func:`read_form`, with up to ``max_fields`` fields."""
    body = (await request.body())[:max_bytes].decode("utf-8", "replace")
    try:
        return parse_qs(body, max_num_fields=max_fields)
    except ValueError:
        return {}
