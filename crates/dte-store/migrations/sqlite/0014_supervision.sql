-- Supervision's consequences (issue 14 items 5-7): reviews of risk flags, violations found by
-- inspections, confirmed flags or upheld complaints, the sanctions a violation carries and
-- their lifting, and complaints (举报投诉) from the public. The rules are
-- dte_domain::supervision's; this schema keeps what they decided, and "never twice" is a
-- constraint as well:
--   * flag_reviews_once: one review per flag (by its key, dte_domain::flags::Flag::key);
--   * violations_one_per_source: a finding, a flag or a complaint becomes one violation;
--   * sanctions_lift_complete / complaints_resolution_complete: a lift or a resolution is
--     written whole, and only once (the UPDATE requires it not to have happened).
-- Nothing here is deleted; the UPDATE triggers refuse every change but the one lift or
-- resolution. SQLite flavour; keep in step with ../postgres.

CREATE TABLE flag_reviews (
    id INTEGER PRIMARY KEY,
    flag_key TEXT NOT NULL,
    class_id INTEGER NOT NULL REFERENCES classes (id),
    kind TEXT NOT NULL,
    verdict TEXT NOT NULL CHECK (verdict IN ('confirmed', 'dismissed')),
    reason TEXT NOT NULL CHECK (length(trim(reason)) BETWEEN 2 AND 500),
    reviewed_by INTEGER NOT NULL REFERENCES users (id),
    reviewed_at TEXT NOT NULL,
    CONSTRAINT flag_reviews_once UNIQUE (flag_key)
);

CREATE TABLE complaints (
    id INTEGER PRIMARY KEY,
    region TEXT NOT NULL,
    target_kind TEXT NOT NULL CHECK (target_kind IN ('institution', 'class')),
    target_id INTEGER NOT NULL,
    institution_id INTEGER NOT NULL REFERENCES institutions (id),
    content TEXT NOT NULL,
    contact_cipher TEXT NOT NULL,
    contact_masked TEXT NOT NULL,
    name TEXT,
    lodged_at TEXT NOT NULL,
    outcome TEXT CHECK (outcome IN ('upheld', 'not_upheld')),
    remark TEXT,
    resolved_by INTEGER REFERENCES users (id),
    resolved_at TEXT,
    CONSTRAINT complaints_resolution_complete CHECK (
        (outcome IS NULL AND remark IS NULL AND resolved_by IS NULL AND resolved_at IS NULL)
        OR (outcome IS NOT NULL AND remark IS NOT NULL AND resolved_by IS NOT NULL
            AND resolved_at IS NOT NULL))
);
CREATE INDEX complaints_region ON complaints (region);
CREATE INDEX complaints_target ON complaints (target_kind, target_id);

CREATE TABLE violations (
    id INTEGER PRIMARY KEY,
    region TEXT NOT NULL,
    kind TEXT NOT NULL,
    source_kind TEXT NOT NULL CHECK (source_kind IN ('finding', 'flag', 'complaint')),
    source_ref TEXT NOT NULL,
    target_kind TEXT NOT NULL CHECK (target_kind IN ('institution', 'class', 'person')),
    target_id INTEGER NOT NULL,
    institution_id INTEGER NOT NULL REFERENCES institutions (id),
    class_id INTEGER REFERENCES classes (id),
    description TEXT NOT NULL,
    recorded_by INTEGER NOT NULL REFERENCES users (id),
    recorded_at TEXT NOT NULL,
    CONSTRAINT violations_one_per_source UNIQUE (source_kind, source_ref)
);
CREATE INDEX violations_region ON violations (region);

CREATE TABLE sanctions (
    id INTEGER PRIMARY KEY,
    violation_id INTEGER NOT NULL REFERENCES violations (id),
    region TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('interview', 'correction_order', 'exclude_person',
        'exclude_class', 'clawback', 'suspension', 'removal', 'blacklist')),
    target_kind TEXT NOT NULL CHECK (target_kind IN ('institution', 'class', 'person')),
    target_id INTEGER NOT NULL,
    institution_id INTEGER NOT NULL REFERENCES institutions (id),
    starts_on TEXT NOT NULL,
    until_on TEXT,
    remark TEXT NOT NULL,
    imposed_by INTEGER NOT NULL REFERENCES users (id),
    imposed_at TEXT NOT NULL,
    lifted_on TEXT,
    lift_reason TEXT,
    lifted_by INTEGER REFERENCES users (id),
    lifted_at TEXT,
    CONSTRAINT sanctions_lift_complete CHECK (
        (lifted_on IS NULL AND lift_reason IS NULL AND lifted_by IS NULL AND lifted_at IS NULL)
        OR (lifted_on IS NOT NULL AND lift_reason IS NOT NULL AND lifted_by IS NOT NULL
            AND lifted_at IS NOT NULL AND lifted_on >= starts_on))
);
CREATE INDEX sanctions_region ON sanctions (region);
CREATE INDEX sanctions_target ON sanctions (target_kind, target_id);

CREATE TRIGGER flag_reviews_no_update BEFORE UPDATE ON flag_reviews
BEGIN
    SELECT RAISE(ABORT, 'flag_reviews keeps its history: UPDATE refused');
END;
CREATE TRIGGER violations_no_update BEFORE UPDATE ON violations
BEGIN
    SELECT RAISE(ABORT, 'violations keeps its history: UPDATE refused');
END;
-- A sanction changes once: its lift, and nothing else.
CREATE TRIGGER sanctions_lift_only BEFORE UPDATE ON sanctions
WHEN OLD.lifted_on IS NOT NULL OR NEW.lifted_on IS NULL
    OR NEW.violation_id IS NOT OLD.violation_id OR NEW.region IS NOT OLD.region
    OR NEW.kind IS NOT OLD.kind OR NEW.target_kind IS NOT OLD.target_kind
    OR NEW.target_id IS NOT OLD.target_id OR NEW.institution_id IS NOT OLD.institution_id
    OR NEW.starts_on IS NOT OLD.starts_on OR NEW.until_on IS NOT OLD.until_on
    OR NEW.remark IS NOT OLD.remark OR NEW.imposed_by IS NOT OLD.imposed_by
    OR NEW.imposed_at IS NOT OLD.imposed_at
BEGIN
    SELECT RAISE(ABORT, 'sanctions keeps its history: UPDATE refused');
END;
-- A complaint changes once: its resolution, and nothing else.
CREATE TRIGGER complaints_resolution_only BEFORE UPDATE ON complaints
WHEN OLD.outcome IS NOT NULL OR NEW.outcome IS NULL
    OR NEW.region IS NOT OLD.region OR NEW.target_kind IS NOT OLD.target_kind
    OR NEW.target_id IS NOT OLD.target_id OR NEW.institution_id IS NOT OLD.institution_id
    OR NEW.content IS NOT OLD.content OR NEW.contact_cipher IS NOT OLD.contact_cipher
    OR NEW.contact_masked IS NOT OLD.contact_masked OR NEW.name IS NOT OLD.name
    OR NEW.lodged_at IS NOT OLD.lodged_at
BEGIN
    SELECT RAISE(ABORT, 'complaints keeps its history: UPDATE refused');
END;
CREATE TRIGGER flag_reviews_no_delete BEFORE DELETE ON flag_reviews
BEGIN
    SELECT RAISE(ABORT, 'flag_reviews keeps its history: DELETE refused');
END;
CREATE TRIGGER violations_no_delete BEFORE DELETE ON violations
BEGIN
    SELECT RAISE(ABORT, 'violations keeps its history: DELETE refused');
END;
CREATE TRIGGER sanctions_no_delete BEFORE DELETE ON sanctions
BEGIN
    SELECT RAISE(ABORT, 'sanctions keeps its history: DELETE refused');
END;
CREATE TRIGGER complaints_no_delete BEFORE DELETE ON complaints
BEGIN
    SELECT RAISE(ABORT, 'complaints keeps its history: DELETE refused');
END;
