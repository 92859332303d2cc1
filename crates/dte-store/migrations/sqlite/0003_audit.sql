-- The tamper-evident, append-only audit log (GB/T 22239-2019 8.1.4.3 安全审计 and 8.1.4.4
-- integrity). SQLite flavour; keep in step with ../postgres. This migration references no
-- other table, so it applies whether or not the accounts migration exists.
--
-- Each entry carries the hash of the entry before it (prev_hash) and its own hash over a
-- canonical text of every stored field (see `AuditRecord::canonical` in src/audit.rs), so
-- changing, removing or inserting a row breaks the chain. `audit_head` holds the id and hash
-- of the last entry: appends lock it first, which serialises them into one unbroken chain,
-- and a truncated tail no longer matches it.
--
-- SQLite has no roles: the triggers below refuse UPDATE and DELETE from the application (and
-- from mistakes), but anyone with write access to the file can drop them. That is what the
-- hash chain is for: `dte audit verify` detects the change. Tables are STRICT so a stored
-- value always has its declared type, and `at` is kept as fixed-width RFC 3339 UTC text with
-- microseconds (2026-11-27T01:00:00.000000Z) so text order is time order.

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY CHECK (id > 0),
    at TEXT NOT NULL CHECK (at GLOB
        '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    actor_user_id INTEGER,
    actor_username TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    client_address TEXT,
    request_id TEXT,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT,
    before_json TEXT,
    after_json TEXT,
    outcome TEXT NOT NULL CHECK (outcome IN ('success', 'denied', 'failed')),
    prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
    hash TEXT NOT NULL CHECK (length(hash) = 64)
) STRICT;

CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor_username ON audit_log (actor_username, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused');
END;

-- The single row naming the last entry. Appends advance it; nothing may delete it or move it
-- backwards.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_id INTEGER NOT NULL CHECK (last_id >= 0),
    last_hash TEXT NOT NULL CHECK (length(last_hash) = 64)
) STRICT;

INSERT INTO audit_head (id, last_id, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TRIGGER audit_head_no_rewind BEFORE UPDATE ON audit_head
WHEN NEW.last_id < OLD.last_id OR NEW.id <> OLD.id
BEGIN
    SELECT RAISE(ABORT, 'audit_head may only move forward: UPDATE refused');
END;

CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
BEGIN
    SELECT RAISE(ABORT, 'audit_head may only move forward: DELETE refused');
END;
