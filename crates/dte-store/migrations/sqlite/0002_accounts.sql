-- Accounts, sessions and sign-in throttling (accounts issue). SQLite flavour; keep in step
-- with ../postgres. Tokens are stored only as SHA-256 digests; passwords only as Argon2id.

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('province-admin', 'city-admin', 'training-institution',
        'evaluation-institution', 'trainee', 'inspector', 'auditor')),
    region_name TEXT REFERENCES regions (name),
    institution_id INTEGER REFERENCES institutions (id),
    person_id INTEGER,
    password_hash TEXT,
    status TEXT NOT NULL CHECK (status IN ('active', 'pending_activation', 'disabled')),
    activation_digest TEXT,
    activation_expires_at TEXT,
    created_at TEXT NOT NULL,
    password_changed_at TEXT,
    CONSTRAINT users_username_key UNIQUE (username),
    CONSTRAINT users_city_admin_region CHECK (role <> 'city-admin' OR region_name IS NOT NULL),
    CONSTRAINT users_institution_bound CHECK (role NOT IN ('training-institution', 'evaluation-institution') OR institution_id IS NOT NULL),
    CONSTRAINT users_trainee_person CHECK (role <> 'trainee' OR person_id IS NOT NULL)
);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    token_digest TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('browser', 'api')),
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    client_address TEXT,
    CONSTRAINT sessions_token_digest_key UNIQUE (token_digest)
);
CREATE INDEX sessions_user_id ON sessions (user_id);

CREATE TABLE sign_in_failures (
    id INTEGER PRIMARY KEY,
    subject TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
CREATE INDEX sign_in_failures_subject ON sign_in_failures (subject, failed_at);
