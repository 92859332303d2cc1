-- Classes (班期) with their timetables, quotas with history, people (one record per human,
-- personal data encrypted) and real-name enrolments with their documents (classes issue).
-- SQLite flavour; keep in step with ../postgres.

-- One record per human. The ID number and phone are kept only encrypted (AES-256-GCM
-- envelopes, key outside the database), with a keyed blind index (HMAC) for exact look-up and
-- duplicate detection, and the masked form for lists. No column holds them in the clear.
CREATE TABLE persons (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    id_number_cipher TEXT NOT NULL,
    id_number_index TEXT NOT NULL,
    id_number_masked TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    phone_cipher TEXT,
    phone_index TEXT,
    phone_masked TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CONSTRAINT persons_id_number_index_key UNIQUE (id_number_index)
);
CREATE INDEX persons_phone_index ON persons (phone_index);

CREATE TABLE classes (
    id INTEGER PRIMARY KEY,
    institution_id INTEGER NOT NULL REFERENCES institutions (id),
    region_name TEXT NOT NULL REFERENCES regions (name),
    occupation_code TEXT NOT NULL REFERENCES occupations (code),
    direction TEXT,
    level TEXT NOT NULL CHECK (level IN ('junior', 'intermediate', 'senior')),
    funding TEXT NOT NULL CHECK (funding IN ('market', 'subsidised')),
    title TEXT NOT NULL,
    venue_address TEXT NOT NULL,
    venue_lat REAL NOT NULL,
    venue_lon REAL NOT NULL,
    fence_json TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    year INTEGER NOT NULL,
    capacity INTEGER NOT NULL CHECK (capacity > 0),
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'rejected',
        'running', 'finished', 'closed')),
    rejection_reason TEXT,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    submitted_at TEXT,
    decided_at TEXT,
    decided_by INTEGER REFERENCES users (id),
    CONSTRAINT classes_dates CHECK (end_date >= start_date)
);
CREATE INDEX classes_region_status ON classes (region_name, status);
CREATE INDEX classes_institution ON classes (institution_id);

CREATE TABLE class_sessions (
    id INTEGER PRIMARY KEY,
    class_id INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    session_date TEXT NOT NULL,
    start_time TEXT NOT NULL,
    end_time TEXT NOT NULL,
    delivery TEXT NOT NULL CHECK (delivery IN ('offline', 'online')),
    hours INTEGER NOT NULL CHECK (hours > 0),
    teacher TEXT NOT NULL,
    CONSTRAINT class_sessions_class_position_key UNIQUE (class_id, position)
);

-- Every change of a region's yearly quota, by whom and why (the plan: 名额动态调整).
CREATE TABLE region_quota_changes (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    region_name TEXT NOT NULL REFERENCES regions (name),
    quota_before INTEGER NOT NULL,
    quota_after INTEGER NOT NULL CHECK (quota_after >= 0),
    reason TEXT NOT NULL,
    changed_by INTEGER REFERENCES users (id),
    changed_at TEXT NOT NULL
);

CREATE TABLE enrolments (
    id INTEGER PRIMARY KEY,
    class_id INTEGER NOT NULL REFERENCES classes (id),
    person_id INTEGER NOT NULL REFERENCES persons (id),
    category TEXT NOT NULL CHECK (category IN ('in_post', 'prospective', 'graduating_student')),
    employer_or_school TEXT NOT NULL,
    graduation_year INTEGER,
    subsidy_category TEXT,
    subsidised BOOLEAN NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'withdrawn')),
    commitment_signed_at TEXT,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    CONSTRAINT enrolments_class_person_key UNIQUE (class_id, person_id)
);
CREATE INDEX enrolments_person ON enrolments (person_id);

-- Photos, subsidy-category proofs and signed commitment letters (承诺书) of an enrolment.
CREATE TABLE enrolment_documents (
    id INTEGER PRIMARY KEY,
    enrolment_id INTEGER NOT NULL REFERENCES enrolments (id),
    kind TEXT NOT NULL CHECK (kind IN ('photo', 'proof', 'commitment')),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    content BLOB NOT NULL,
    uploaded_by INTEGER REFERENCES users (id),
    uploaded_at TEXT NOT NULL
);
CREATE INDEX enrolment_documents_enrolment ON enrolment_documents (enrolment_id);
