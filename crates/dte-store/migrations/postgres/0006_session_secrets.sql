-- The per-session secret behind the classroom's rotating check-in code (attendance issue),
-- kept as a keyring envelope like personal data. PostgreSQL flavour; keep in step with ../sqlite.

CREATE TABLE session_secrets (
    session_id BIGINT PRIMARY KEY REFERENCES class_sessions (id),
    secret_cipher TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
