-- Attendance corrections (attendance issue, item 2): the institution says a trainee was there
-- (补签) or was not (a record voided), always with a reason; the latest correction of a
-- trainee's check-in (or check-out) of a session decides it. Check-ins themselves are never
-- changed. SQLite flavour; keep in step with ../postgres.

CREATE TABLE attendance_corrections (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES class_sessions (id),
    class_id INTEGER NOT NULL REFERENCES classes (id),
    person_id INTEGER NOT NULL REFERENCES persons (id),
    kind TEXT NOT NULL CHECK (kind IN ('in', 'out')),
    present BOOLEAN NOT NULL,
    reason TEXT NOT NULL CHECK (length(reason) > 0),
    made_by INTEGER REFERENCES users (id),
    made_at TEXT NOT NULL
);
CREATE INDEX attendance_corrections_class ON attendance_corrections (class_id, session_id, person_id);
