"""A subject access request's answer as one ZIP file a person can keep, read and check.

It holds ``answer.html`` (the entries in words, in English then Welsh, readable offline and
printable with ``answer.css``), ``README.txt``, the log's public key ``log.vkey``, and per entry
``receipts/receipt-<id>.json`` (as the portal's receipt), ``.entry`` and ``.tlog-proof`` (the
two files ``iom-broker log verify-proof`` checks).
"""

from __future__ import annotations

import base64
import io
import json
import zipfile
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from broker.http.sentences import Language, long_date
from broker.records.subject_requests import SubjectAccessRequest
from broker.supervisee.disclosures import Disclosure
from broker.web.routes_portal_receipts import verify_command
from broker.web.texts import texts
from broker.web.timeline_days import uk_time

__all__ = ["answer_zip"]

_HERE = Path(__file__).parent
_ENV = Environment(
    loader=FileSystemLoader(_HERE / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.globals.update(long_date=long_date, uk_time=uk_time)
_LANGUAGES: tuple[Language, Language] = ("en", "cy")


def answer_zip(
    request: SubjectAccessRequest,
    agency: dict[Language, str] | None,
    items: dict[Language, list[Disclosure]],
    vkey: str,
) -> bytes:
    """The ZIP file of ``request``'s answer: ``agency`` and ``items`` in each language
    (``agency`` None: an answer about every service, as ``iom-broker log export`` writes)."""
    every = "" if agency is not None else "_all"
    sections = [
        (
            lang,
            texts(lang),
            "" if agency is None else agency[lang],
            items[lang],
            {part: texts(lang)[f"answer_{part}{every}"] for part in ("intro", "part", "none")},
        )
        for lang in _LANGUAGES
    ]
    page = _ENV.get_template("answer_document.html").render(
        answered=request,
        sections=sections,
        commands={i.disclosure_id: verify_command(i.disclosure_id, vkey) for i in items["en"]},
    )
    readme = "\n\n".join(texts(lang)["answer_readme"] for lang in _LANGUAGES)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("answer.html", page)
        bundle.writestr("answer.css", (_HERE / "static" / "answer.css").read_text("utf-8"))
        bundle.writestr("README.txt", readme + "\n")
        bundle.writestr("log.vkey", vkey + "\n")
        for item in items["en"]:
            name = f"receipts/receipt-{item.disclosure_id}"
            receipt = json.dumps(item.model_dump(mode="json"), ensure_ascii=False, indent=2)
            bundle.writestr(f"{name}.json", receipt)
            bundle.writestr(f"{name}.entry", base64.b64decode(item.receipt.entry))
            bundle.writestr(f"{name}.tlog-proof", item.receipt.proof)
    return buffer.getvalue()
