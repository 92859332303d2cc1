-- Attendance (attendance issue): check-ins and check-outs with their position, device and
-- idempotency key, one accepted record per trainee per session and kind. SQLite flavour; keep
-- in step with ../postgres.

CREATE TABLE check_ins (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES class_sessions (id),
    class_id INTEGER NOT NULL REFERENCES classes (id),
    person_id INTEGER NOT NULL REFERENCES persons (id),
    kind TEXT NOT NULL CHECK (kind IN ('in', 'out')),
    at TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    accuracy_m REAL NOT NULL,
    device_id TEXT NOT NULL,
    distance_outside_m REAL NOT NULL,
    late BOOLEAN NOT NULL,
    accepted BOOLEAN NOT NULL,
    refusal TEXT,
    idempotency_key TEXT NOT NULL,
    CONSTRAINT check_ins_idempotency_key UNIQUE (idempotency_key)
);
-- One accepted check-in (and one check-out) per trainee per session: retries and races land
-- on this index, not on a second row.
CREATE UNIQUE INDEX check_ins_one_accepted ON check_ins (session_id, person_id, kind) WHERE accepted;
CREATE INDEX check_ins_class ON check_ins (class_id, at);
CREATE INDEX check_ins_device ON check_ins (device_id, at);
