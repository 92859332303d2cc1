-- The per-session secret behind the classroom's rotating check-in code (attendance issue),
-- kept as a keyring envelope like personal data. SQLite flavour; keep in step with ../postgres.

CREATE TABLE session_secrets (
    session_id INTEGER PRIMARY KEY REFERENCES class_sessions (id),
    secret_cipher TEXT NOT NULL,
    created_at TEXT NOT NULL
);
