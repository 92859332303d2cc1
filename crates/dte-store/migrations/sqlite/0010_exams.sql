-- Level evaluation (issue 6 item 3): exam plans agreed between a training institution and an
-- evaluation institution for one finished class, their candidates and scores. SQLite flavour;
-- keep in step with ../postgres. Scores are whole tenths of a mark (855 is 85.5).

CREATE TABLE exam_plans (
    id INTEGER PRIMARY KEY,
    class_id INTEGER NOT NULL REFERENCES classes (id),
    training_institution_id INTEGER NOT NULL REFERENCES institutions (id),
    evaluation_institution_id INTEGER NOT NULL REFERENCES institutions (id),
    occupation_code TEXT NOT NULL REFERENCES occupations (code),
    level TEXT NOT NULL CHECK (level IN ('junior', 'intermediate', 'senior')),
    exam_date TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('proposed', 'agreed', 'declined', 'scores_entered',
        'certificates_issued')),
    decline_reason TEXT,
    proposed_by INTEGER REFERENCES users (id),
    proposed_at TEXT NOT NULL,
    decided_by INTEGER REFERENCES users (id),
    decided_at TEXT,
    scored_at TEXT,
    issued_at TEXT
);
-- One live plan per class: a declined plan may be followed by a new proposal.
CREATE UNIQUE INDEX exam_plans_one_live_per_class ON exam_plans (class_id) WHERE status <> 'declined';
CREATE INDEX exam_plans_evaluation ON exam_plans (evaluation_institution_id, status);
CREATE INDEX exam_plans_training ON exam_plans (training_institution_id, status);

CREATE TABLE exam_candidates (
    id INTEGER PRIMARY KEY,
    exam_plan_id INTEGER NOT NULL REFERENCES exam_plans (id),
    person_id INTEGER NOT NULL REFERENCES persons (id),
    enrolment_id INTEGER NOT NULL REFERENCES enrolments (id),
    -- The training certificate that made the person a candidate, when the certificate store
    -- knows it.
    training_certificate_number TEXT,
    absent BOOLEAN NOT NULL DEFAULT FALSE,
    theory_tenths INTEGER CHECK (theory_tenths BETWEEN 0 AND 1000),
    ability_tenths INTEGER CHECK (ability_tenths BETWEEN 0 AND 1000),
    passed BOOLEAN,
    level_certificate_number TEXT,
    CONSTRAINT exam_candidates_plan_person_key UNIQUE (exam_plan_id, person_id),
    CONSTRAINT exam_candidates_scored CHECK (
        (absent AND theory_tenths IS NULL AND ability_tenths IS NULL)
        OR NOT absent)
);
CREATE INDEX exam_candidates_person ON exam_candidates (person_id);
