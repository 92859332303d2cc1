-- Completion (结业考核) and certificates of both kinds (certificates issue, issue 6): the
-- institution's completion results, its certificate numbering pattern and seal, and the
-- certificates themselves — 培训合格证书 (`training`, issued by the training institution for a
-- class) and 专业技术等级证书 (`level`, issued by the evaluation institution for an exam). The
-- signature over each certificate's canonical fields is stored with the id of the key that
-- made it; the signing key itself is never in the database. SQLite flavour; keep in step with
-- ../postgres.

-- One result per trainee of a class: passed or failed, with a score and/or a remark.
CREATE TABLE completion_results (
    id INTEGER PRIMARY KEY,
    class_id INTEGER NOT NULL REFERENCES classes (id),
    person_id INTEGER NOT NULL REFERENCES persons (id),
    passed BOOLEAN NOT NULL,
    score INTEGER CHECK (score IS NULL OR (score >= 0 AND score <= 100)),
    remark TEXT,
    recorded_by INTEGER REFERENCES users (id),
    recorded_at TEXT NOT NULL,
    CONSTRAINT completion_results_class_person_key UNIQUE (class_id, person_id)
);

-- The pattern an institution numbers its certificates with (e.g. `LNPX{year}-{seq:5}`), and
-- the last sequence number used per period (the year when the pattern has `{year}`, else 0).
CREATE TABLE certificate_number_patterns (
    institution_id INTEGER PRIMARY KEY REFERENCES institutions (id),
    pattern TEXT NOT NULL,
    updated_by INTEGER REFERENCES users (id),
    updated_at TEXT NOT NULL,
    CONSTRAINT certificate_number_patterns_pattern_key UNIQUE (pattern)
);
CREATE TABLE certificate_sequences (
    institution_id INTEGER NOT NULL REFERENCES institutions (id),
    period INTEGER NOT NULL,
    last_seq INTEGER NOT NULL CHECK (last_seq >= 0),
    PRIMARY KEY (institution_id, period)
);

-- The institution's seal image (PNG) printed on its certificates.
CREATE TABLE institution_seals (
    institution_id INTEGER PRIMARY KEY REFERENCES institutions (id),
    content_type TEXT NOT NULL CHECK (content_type = 'image/png'),
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    content BLOB NOT NULL,
    uploaded_by INTEGER REFERENCES users (id),
    uploaded_at TEXT NOT NULL
);

CREATE TABLE certificates (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('training', 'level')),
    person_id INTEGER NOT NULL REFERENCES persons (id),
    -- The holder's name as printed (a later change of the person's record does not alter it).
    holder_name TEXT NOT NULL,
    -- The issuer: the training institution (training) or the evaluation institution (level).
    issuer_institution_id INTEGER NOT NULL REFERENCES institutions (id),
    issuer_name TEXT NOT NULL,
    -- The training institution whose class the holder came from (its own for `training`).
    training_institution_id INTEGER REFERENCES institutions (id),
    class_id INTEGER REFERENCES classes (id),
    -- The region whose city bureau supervises it (the class's region).
    region_name TEXT NOT NULL REFERENCES regions (name),
    occupation_code TEXT NOT NULL REFERENCES occupations (code),
    occupation_name TEXT NOT NULL,
    direction TEXT,
    level TEXT NOT NULL CHECK (level IN ('junior', 'intermediate', 'senior')),
    -- Training only: the class's dates and hours, as the plan's sentence states them.
    start_date TEXT,
    end_date TEXT,
    hours INTEGER CHECK (hours IS NULL OR hours > 0),
    -- Level only: 证件类别 (the 证件号码 is the person's, kept encrypted on persons), the photo
    -- document and the exam it came from (the exam tables belong to the level evaluation).
    id_kind TEXT,
    photo_document_id INTEGER REFERENCES enrolment_documents (id),
    exam_id INTEGER,
    issued_on TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    issued_by INTEGER REFERENCES users (id),
    -- Ed25519 over the canonical form (dte_domain::certificate::canonical), base64url.
    signature TEXT NOT NULL,
    key_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('valid', 'revoked')),
    revoked_on TEXT,
    revocation_reason TEXT,
    revoked_at TEXT,
    revoked_by INTEGER REFERENCES users (id),
    CONSTRAINT certificates_number_key UNIQUE (number),
    CONSTRAINT certificates_training_fields CHECK (kind <> 'training'
        OR (class_id IS NOT NULL AND start_date IS NOT NULL AND end_date IS NOT NULL AND hours IS NOT NULL)),
    CONSTRAINT certificates_level_fields CHECK (kind <> 'level' OR id_kind IS NOT NULL),
    CONSTRAINT certificates_revocation CHECK (status = 'valid'
        OR (revoked_on IS NOT NULL AND revocation_reason IS NOT NULL AND revoked_at IS NOT NULL))
);
-- One training certificate per trainee and class; one level certificate per candidate and exam.
CREATE UNIQUE INDEX certificates_training_once ON certificates (class_id, person_id) WHERE kind = 'training';
CREATE UNIQUE INDEX certificates_level_once ON certificates (exam_id, person_id) WHERE kind = 'level' AND exam_id IS NOT NULL;
CREATE INDEX certificates_person ON certificates (person_id);
CREATE INDEX certificates_issuer ON certificates (issuer_institution_id, id);
CREATE INDEX certificates_training_institution ON certificates (training_institution_id, id);
CREATE INDEX certificates_region ON certificates (region_name, id);
