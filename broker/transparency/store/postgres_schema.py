"""The PostgreSQL tables of the log store (created if missing; the audit is append-only)."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS log_state (id int PRIMARY KEY CHECK (id = 1), size bigint NOT NULL);
INSERT INTO log_state (id, size) VALUES (1, 0) ON CONFLICT DO NOTHING;
CREATE TABLE IF NOT EXISTS entries (
  idx bigint PRIMARY KEY,
  disclosure_id text NOT NULL UNIQUE,
  subject text,
  permitted boolean NOT NULL,
  decided_at_ms bigint NOT NULL,
  expires_at_ms bigint NOT NULL,
  content bytea,
  erased_at_ms bigint
);
CREATE INDEX IF NOT EXISTS entries_by_subject
  ON entries (subject, decided_at_ms DESC, idx DESC) WHERE subject IS NOT NULL;
CREATE INDEX IF NOT EXISTS entries_by_expiry ON entries (expires_at_ms) WHERE content IS NOT NULL;
CREATE TABLE IF NOT EXISTS nodes (
  level smallint NOT NULL, idx bigint NOT NULL, hash bytea NOT NULL, PRIMARY KEY (level, idx)
);
CREATE TABLE IF NOT EXISTS checkpoints (
  size bigint PRIMARY KEY, root bytea NOT NULL, note text NOT NULL, published_at_ms bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS cosignatures (
  size bigint NOT NULL, witness text NOT NULL, line text NOT NULL,
  cosigned_at_ms bigint NOT NULL, PRIMARY KEY (size, witness)
);
CREATE TABLE IF NOT EXISTS restrictions (
  id bigserial PRIMARY KEY,
  idx bigint NOT NULL REFERENCES entries (idx),
  reason text NOT NULL, set_by text NOT NULL, set_at_ms bigint NOT NULL,
  review_date text NOT NULL, lifted_by text, lifted_at_ms bigint
);
CREATE INDEX IF NOT EXISTS active_restrictions ON restrictions (idx) WHERE lifted_at_ms IS NULL;
CREATE TABLE IF NOT EXISTS audit (
  seq bigserial PRIMARY KEY,
  at_ms bigint NOT NULL, actor text NOT NULL, action text NOT NULL,
  target text NOT NULL, detail text NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_by_action ON audit (action, seq);
CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS
  $$ BEGIN RAISE EXCEPTION 's.62 audit is append-only'; END $$;
CREATE OR REPLACE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit
  FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE OR REPLACE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
  FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
"""
