"""How long a subject access request's answer takes to gather and zip, by number of entries.

Builds a SQLite transparency log in a temporary folder with ``--entries`` disclosures about
one person from Gwent Police to probation (plus as many about others), marks a request to Gwent
Police answered, and times reading the person's entries in English and Welsh
(:func:`answer_entries`, with proofs and s.62 audit rows) and building the ZIP file
(:func:`answer_zip`).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from broker.http.sentences import Language
from broker.identity.principal import Principal, Role
from broker.supervisee.access_answers import answer_entries
from broker.transparency.log import TransparencyLog
from broker.transparency.store.sqlite_store import SqliteStore
from broker.web.answer_bundle import answer_zip
from tests.support.api_context import api_over
from tests.support.log_records import INDEX_KEY, SIGNER, START, Clock, disclosure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = SqliteStore(Path(folder) / "log.sqlite3")
        log = TransparencyLog(store, SIGNER, INDEX_KEY, "P6Y", Clock())
        records = [
            disclosure(i, "subj-a" if i % 2 else "subj-b", decided_at=START + timedelta(minutes=i))
            for i in range(2 * args.entries)
        ]
        log.append_disclosures(records)
        context = api_over("sqlite:///:memory:", log)
        person = Principal("person-a", Role.SUPERVISEE, subject_ref="subj-a")
        requests = context.subject_requests
        (request,) = requests.submit("subj-a", ["gwent-police"], START.date())
        answered = requests.complete("gwent-police", request.request_id, START.date())
        started = time.perf_counter()
        langs: tuple[Language, Language] = ("en", "cy")
        items = {lang: answer_entries(context, person, answered, lang) for lang in langs}
        gathered = time.perf_counter()
        body = answer_zip(
            answered, {"en": "Gwent Police", "cy": "Heddlu Gwent"}, items, log.verifier.vkey
        )
        zipped = time.perf_counter()
        store.close()
    print(
        f"{len(items['en'])} entries: gather (en + cy, with proofs) {gathered - started:.2f} s,"
        f" zip {zipped - gathered:.2f} s, {len(body) / 1024:.0f} KiB"
    )


if __name__ == "__main__":
    main()
