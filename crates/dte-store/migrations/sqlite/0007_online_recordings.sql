-- Online learning and session recordings (issue 5, items 3 and 5): the learning page's
-- heartbeats and presence confirmations, what the page plays, every session's recording (a
-- file in the data folder or an external reference) and the resumable uploads that bring
-- files in. SQLite flavour; keep in step with ../postgres.

-- One heartbeat of the learning page, stamped with the server's clock.
CREATE TABLE heartbeats (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES class_sessions (id),
    person_id INTEGER NOT NULL REFERENCES persons (id),
    at TEXT NOT NULL,
    visible BOOLEAN NOT NULL,
    page_id TEXT NOT NULL
);
CREATE INDEX heartbeats_session_person ON heartbeats (session_id, person_id, at);

-- The random number a trainee's presence confirmations are drawn from, per session, kept so the
-- schedule can be shown again to an auditor.
CREATE TABLE presence_seeds (
    session_id INTEGER NOT NULL REFERENCES class_sessions (id),
    person_id INTEGER NOT NULL REFERENCES persons (id),
    seed INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (session_id, person_id)
);

-- A presence confirmation asked on the learning page (the `ordinal`-th of the session), and when
-- it was answered.
CREATE TABLE presence_checks (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES class_sessions (id),
    person_id INTEGER NOT NULL REFERENCES persons (id),
    ordinal INTEGER NOT NULL,
    asked_at TEXT NOT NULL,
    answered_at TEXT,
    CONSTRAINT presence_checks_ordinal_key UNIQUE (session_id, person_id, ordinal)
);

-- What the learning page of an online session plays: a file in the data folder.
CREATE TABLE session_materials (
    session_id INTEGER PRIMARY KEY REFERENCES class_sessions (id),
    title TEXT NOT NULL,
    file_path TEXT NOT NULL,
    content_type TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size_bytes INTEGER NOT NULL CHECK (size_bytes >= 0),
    registered_by INTEGER REFERENCES users (id),
    registered_at TEXT NOT NULL
);

-- A session's recording (全程录像): a file in the data folder (path relative to it) or a
-- reference to external storage, with its SHA-256, size, duration and retention date.
CREATE TABLE recordings (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES class_sessions (id),
    class_id INTEGER NOT NULL REFERENCES classes (id),
    file_path TEXT,
    external_ref TEXT,
    content_type TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size_bytes INTEGER NOT NULL CHECK (size_bytes >= 0),
    duration_seconds INTEGER NOT NULL CHECK (duration_seconds > 0),
    retain_until TEXT NOT NULL,
    registered_by INTEGER REFERENCES users (id),
    registered_at TEXT NOT NULL,
    CONSTRAINT recordings_session_key UNIQUE (session_id),
    CONSTRAINT recordings_file_or_reference CHECK ((file_path IS NULL) <> (external_ref IS NULL))
);
CREATE INDEX recordings_class ON recordings (class_id);

-- A resumable upload into the data folder: the bytes received so far are the temporary file's
-- length; completed when the file is moved into place and registered.
CREATE TABLE uploads (
    id TEXT PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES class_sessions (id),
    class_id INTEGER NOT NULL REFERENCES classes (id),
    purpose TEXT NOT NULL CHECK (purpose IN ('recording', 'material')),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    total_bytes INTEGER NOT NULL CHECK (total_bytes >= 0),
    duration_seconds INTEGER,
    title TEXT,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    completed_at TEXT
);
