"""The Welsh sign-off list in docs/ is generated from the texts and kept up to date."""

from __future__ import annotations

from broker.devtools.welsh_signoff import SIGNOFF_FILE, render_signoff
from broker.web.texts import TEXTS


def test_the_signoff_list_is_up_to_date() -> None:
    """docs/welsh-signoff.md is what the texts make now (run python -m
    broker.devtools.welsh_signoff after changing a text)."""
    assert SIGNOFF_FILE.read_text("utf-8") == render_signoff()


def test_the_list_has_every_page_text_with_its_welsh() -> None:
    """Each page text appears with a non-empty Welsh text, so none waits only in English."""
    listed = render_signoff()
    for key in TEXTS["en"]:
        assert TEXTS["cy"].get(key), key
        assert f"| `{key}` | " in listed, key
