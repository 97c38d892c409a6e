"""The tables of the API's records (created if missing); ``{serial}`` is the dialect's key type.

Columns added after a table was first shipped are also added to older databases by
:mod:`broker.records.migrations`, which creates their indexes too.
"""

from __future__ import annotations

__all__ = ["POSTGRES_SCHEMA", "SQLITE_SCHEMA"]

_TABLES = """
CREATE TABLE IF NOT EXISTS proposals (
  proposal_id TEXT PRIMARY KEY,
  proposer TEXT NOT NULL, agency TEXT NOT NULL, submitted_at_ms BIGINT NOT NULL,
  base_version TEXT NOT NULL, version TEXT NOT NULL,
  changed TEXT NOT NULL, files TEXT NOT NULL, label TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS approvals (
  proposal_id TEXT NOT NULL REFERENCES proposals (proposal_id),
  agency TEXT NOT NULL, dpo TEXT NOT NULL, at_ms BIGINT NOT NULL,
  PRIMARY KEY (proposal_id, agency)
);
CREATE TABLE IF NOT EXISTS proposal_events (
  seq {serial},
  proposal_id TEXT NOT NULL REFERENCES proposals (proposal_id),
  at_ms BIGINT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS proposal_events_by_proposal ON proposal_events (proposal_id, seq);
CREATE TABLE IF NOT EXISTS activations (
  proposal_id TEXT PRIMARY KEY REFERENCES proposals (proposal_id),
  due_at_ms BIGINT NOT NULL, requested_by TEXT NOT NULL, requested_at_ms BIGINT NOT NULL,
  state TEXT NOT NULL, claimed_by TEXT, claimed_at_ms BIGINT, done_at_ms BIGINT
);
CREATE INDEX IF NOT EXISTS activations_due ON activations (state, due_at_ms);
CREATE TABLE IF NOT EXISTS policy_audit_outbox (
  seq {serial},
  at_ms BIGINT NOT NULL, actor TEXT NOT NULL, policy_version TEXT NOT NULL, change TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS subject_requests (
  request_id TEXT PRIMARY KEY,
  subject_ref TEXT NOT NULL, received_on TEXT NOT NULL, status TEXT NOT NULL,
  extension_months INTEGER NOT NULL DEFAULT 0, extension_notice TEXT, extended_on TEXT,
  completed_on TEXT, addressee TEXT, reference TEXT, submission_key TEXT
);
CREATE INDEX IF NOT EXISTS subject_requests_by_subject ON subject_requests (subject_ref);
CREATE INDEX IF NOT EXISTS subject_requests_by_status ON subject_requests (status, received_on);
CREATE TABLE IF NOT EXISTS web_sessions (
  session_hash TEXT PRIMARY KEY,
  area TEXT NOT NULL, role TEXT NOT NULL, subject TEXT NOT NULL, agency TEXT,
  created_at_ms BIGINT NOT NULL, seen_at_ms BIGINT NOT NULL,
  access_expires_at_ms BIGINT NOT NULL, tokens TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS web_sessions_by_seen ON web_sessions (seen_at_ms);
CREATE INDEX IF NOT EXISTS web_sessions_by_created ON web_sessions (created_at_ms);
CREATE TABLE IF NOT EXISTS people (
  account TEXT PRIMARY KEY, name TEXT NOT NULL, seen_at_ms BIGINT NOT NULL
);
"""

SQLITE_SCHEMA = _TABLES.replace("{serial}", "INTEGER PRIMARY KEY AUTOINCREMENT")
POSTGRES_SCHEMA = _TABLES.replace("{serial}", "BIGSERIAL PRIMARY KEY")
