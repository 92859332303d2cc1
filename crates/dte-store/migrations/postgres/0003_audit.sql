-- The tamper-evident, append-only audit log (GB/T 22239-2019 8.1.4.3 安全审计 and 8.1.4.4
-- integrity). PostgreSQL flavour; keep in step with ../sqlite. This migration references no
-- other table, so it applies whether or not the accounts migration exists.
--
-- Each entry carries the hash of the entry before it (prev_hash) and its own hash over a
-- canonical text of every stored field (see `AuditRecord::canonical` in src/audit.rs), so
-- changing, removing or inserting a row breaks the chain. `audit_head` holds the id and hash
-- of the last entry: appends lock its row first (an UPDATE, which locks like SELECT … FOR
-- UPDATE), which serialises them into one unbroken chain, and a truncated tail no longer
-- matches it. before_json and after_json are TEXT, not JSONB: the hash covers the exact text,
-- and JSONB would reorder keys and lose it.
--
-- Running the application with least privilege (separation of duties, 8.1.4.3 c): the triggers
-- below stop UPDATE, DELETE and TRUNCATE from any role, but the owner of a table can disable
-- its triggers. So the application must not connect as the owner:
--
--   -- The migration owner runs `dte db migrate` and owns every table, the trigger function and
--   -- the triggers; it alone (or a superuser) could ALTER, DISABLE TRIGGER or DROP them.
--   CREATE ROLE dte_owner LOGIN PASSWORD '…';
--   CREATE DATABASE dte OWNER dte_owner;
--   -- The application role: ordinary rights on the ordinary tables, and on the audit tables
--   -- only what appending and reading need.
--   CREATE ROLE dte_app LOGIN PASSWORD '…';
--   GRANT CONNECT ON DATABASE dte TO dte_app;
--   GRANT USAGE ON SCHEMA public TO dte_app;
--   GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO dte_app;
--   GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO dte_app;
--   REVOKE ALL ON audit_log, audit_head FROM dte_app;
--   GRANT SELECT, INSERT ON audit_log TO dte_app;
--   GRANT SELECT, UPDATE ON audit_head TO dte_app;
--
-- Run these grants again after every migration that adds tables (or use ALTER DEFAULT
-- PRIVILEGES FOR ROLE dte_owner, then REVOKE on the audit tables again: a blanket default grant
-- would hand dte_app UPDATE and DELETE on audit_log). As dte_app, UPDATE, DELETE and TRUNCATE
-- of audit_log fail with "permission denied" (SQLSTATE 42501) before any trigger runs. The
-- owner can still rewrite history; the hash chain detects that, and copying the head hash that
-- `dte audit verify` prints to somewhere the owner cannot write makes even a fully re-hashed
-- chain detectable.

CREATE TABLE audit_log (
    id BIGINT PRIMARY KEY CHECK (id > 0),
    at TIMESTAMPTZ NOT NULL,
    actor_user_id BIGINT,
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
);

CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor_username ON audit_log (actor_username, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id);

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END;
$$;

CREATE TRIGGER audit_log_append_only
BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

-- The single row naming the last entry. Appends advance it; nothing may delete it or move it
-- backwards.
CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    last_id BIGINT NOT NULL CHECK (last_id >= 0),
    last_hash TEXT NOT NULL CHECK (length(last_hash) = 64)
);

INSERT INTO audit_head (id, last_id, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE FUNCTION audit_head_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.last_id >= OLD.last_id AND NEW.id = OLD.id THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_head may only move forward: % refused', TG_OP;
END;
$$;

CREATE TRIGGER audit_head_forward_only
BEFORE UPDATE OR DELETE ON audit_head
FOR EACH ROW EXECUTE FUNCTION audit_head_guard();

CREATE TRIGGER audit_head_no_truncate
BEFORE TRUNCATE ON audit_head
FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
