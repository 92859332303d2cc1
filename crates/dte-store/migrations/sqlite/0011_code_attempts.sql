-- Classroom codes judged per trainee and session (hardening issue, item 2): at most a fixed
-- number of wrong codes (dte_domain::attendance::WRONG_CODES_PER_SESSION) per trainee and
-- session, then the session is closed to that trainee's check-ins until the institution
-- corrects the attendance. A code being judged holds a slot; a right one gives it back, so
-- concurrent guesses cannot exceed the limit. SQLite flavour; keep in step with ../postgres.

CREATE TABLE check_code_attempts (
    session_id INTEGER NOT NULL REFERENCES class_sessions (id),
    person_id INTEGER NOT NULL REFERENCES persons (id),
    wrong_codes INTEGER NOT NULL CHECK (wrong_codes >= 0),
    PRIMARY KEY (session_id, person_id)
);
