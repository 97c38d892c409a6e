"""The SQLite tables of the log store (created if missing; the audit is append-only)."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS log_state (id INTEGER PRIMARY KEY CHECK (id = 1), size INTEGER NOT NULL);
INSERT OR IGNORE INTO log_state (id, size) VALUES (1, 0);
CREATE TABLE IF NOT EXISTS entries (
  idx INTEGER PRIMARY KEY,
  disclosure_id TEXT NOT NULL UNIQUE,
  subject TEXT,
  permitted INTEGER NOT NULL,
  decided_at_ms INTEGER NOT NULL,
  expires_at_ms INTEGER NOT NULL,
  content BLOB,
  erased_at_ms INTEGER
);
CREATE INDEX IF NOT EXISTS entries_by_subject
  ON entries (subject, decided_at_ms DESC, idx DESC) WHERE subject IS NOT NULL;
CREATE INDEX IF NOT EXISTS entries_by_expiry
  ON entries (expires_at_ms) WHERE content IS NOT NULL;
CREATE TABLE IF NOT EXISTS nodes (
  level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (level, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS checkpoints (
  size INTEGER PRIMARY KEY, root BLOB NOT NULL, note TEXT NOT NULL, published_at_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS cosignatures (
  size INTEGER NOT NULL, witness TEXT NOT NULL, line TEXT NOT NULL,
  cosigned_at_ms INTEGER NOT NULL, PRIMARY KEY (size, witness)
);
CREATE TABLE IF NOT EXISTS restrictions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  idx INTEGER NOT NULL REFERENCES entries (idx),
  reason TEXT NOT NULL, set_by TEXT NOT NULL, set_at_ms INTEGER NOT NULL,
  review_date TEXT NOT NULL, lifted_by TEXT, lifted_at_ms INTEGER
);
CREATE INDEX IF NOT EXISTS active_restrictions ON restrictions (idx) WHERE lifted_at_ms IS NULL;
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at_ms INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
  target TEXT NOT NULL, detail TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_by_action ON audit (action, seq);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 's.62 audit is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 's.62 audit is append-only'); END;
"""
