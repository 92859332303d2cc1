-- Subsidy claims (补贴申领, issue 13): a training institution's claim for a subsidised class,
-- one line per subsidised trainee, the city's review with four eyes, the public notice (公示)
-- and its objections, payments from the city's fund accounts, and clawbacks (追回).
-- The rules are dte_domain::subsidy's; this schema holds what they decided and makes "never
-- twice" a constraint as well as a rule:
--   * claim_lines_subsidy_held: one approved, paid or clawed-back line per person,
--     occupation and level, so two approvals racing each other leave one;
--   * paid_subsidies' primary key: one payment per person, occupation and level, ever (a
--     clawed-back line keeps its row, so it is never paid again);
--   * claims_one_open_per_class: one claim in progress per class.
-- fund_entries are append-only (corrections are new entries). SQLite flavour; keep in step with
-- ../postgres.

CREATE TABLE claims (
    id INTEGER PRIMARY KEY,
    class_id INTEGER NOT NULL REFERENCES classes (id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'in_review', 'in_notice',
        'approved', 'paid', 'partly_rejected', 'rejected', 'withdrawn')),
    opened_by INTEGER NOT NULL REFERENCES users (id),
    opened_at TEXT NOT NULL,
    submitted_at TEXT,
    review_due_on TEXT,
    reviewed_by INTEGER REFERENCES users (id),
    reviewed_at TEXT,
    approved_by INTEGER REFERENCES users (id),
    approved_at TEXT,
    notice_starts_on TEXT,
    notice_ends_on TEXT,
    closed_at TEXT,
    CONSTRAINT claims_four_eyes CHECK (approved_by IS NULL OR approved_by <> reviewed_by)
);
CREATE UNIQUE INDEX claims_one_open_per_class ON claims (class_id)
    WHERE status IN ('draft', 'submitted', 'in_review', 'in_notice', 'approved');
CREATE INDEX claims_status ON claims (status);

CREATE TABLE claim_lines (
    id INTEGER PRIMARY KEY,
    claim_id INTEGER NOT NULL REFERENCES claims (id),
    enrolment_id INTEGER NOT NULL REFERENCES enrolments (id),
    person_id INTEGER NOT NULL REFERENCES persons (id),
    occupation_code TEXT NOT NULL REFERENCES occupations (code),
    level TEXT NOT NULL CHECK (level IN ('junior', 'intermediate', 'senior')),
    hours INTEGER NOT NULL CHECK (hours > 0),
    rate_fen_per_hour INTEGER NOT NULL CHECK (rate_fen_per_hour > 0),
    amount_fen INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('claimed', 'ineligible', 'approved', 'rejected',
        'paid', 'clawed_back')),
    -- The reasons as a JSON array of {"code", "message"}, empty when none.
    reasons TEXT NOT NULL DEFAULT '[]',
    review_decision TEXT CHECK (review_decision IN ('approve', 'reject')),
    review_reason TEXT,
    review_remark TEXT,
    CONSTRAINT claim_lines_amount CHECK (amount_fen = hours * rate_fen_per_hour),
    CONSTRAINT claim_lines_once_per_claim UNIQUE (claim_id, enrolment_id)
);
CREATE UNIQUE INDEX claim_lines_subsidy_held ON claim_lines (person_id, occupation_code, level)
    WHERE status IN ('approved', 'paid', 'clawed_back');
CREATE INDEX claim_lines_person ON claim_lines (person_id);

CREATE TABLE claim_objections (
    id INTEGER PRIMARY KEY,
    claim_id INTEGER NOT NULL REFERENCES claims (id),
    line_id INTEGER NOT NULL REFERENCES claim_lines (id),
    -- The objector's contact, sealed like ID numbers; the masked form is what lists show.
    contact_cipher TEXT NOT NULL,
    contact_masked TEXT NOT NULL,
    content TEXT NOT NULL,
    lodged_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'upheld', 'dismissed')),
    resolution TEXT,
    resolved_by INTEGER REFERENCES users (id),
    resolved_at TEXT
);
CREATE INDEX claim_objections_claim ON claim_objections (claim_id, status);

-- One row per fund source of a payment: a split payment is two rows under one voucher.
CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    claim_id INTEGER NOT NULL REFERENCES claims (id),
    fund_source TEXT NOT NULL CHECK (fund_source IN ('skills_upgrading_balance',
        'employment_subsidy_fund')),
    amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
    paid_on TEXT NOT NULL,
    voucher TEXT NOT NULL,
    recorded_by INTEGER NOT NULL REFERENCES users (id),
    recorded_at TEXT NOT NULL,
    CONSTRAINT payments_once_per_source UNIQUE (claim_id, fund_source)
);

-- Never paid twice for a person, occupation and level (SPEC step 9).
CREATE TABLE paid_subsidies (
    person_id INTEGER NOT NULL REFERENCES persons (id),
    occupation_code TEXT NOT NULL REFERENCES occupations (code),
    level TEXT NOT NULL CHECK (level IN ('junior', 'intermediate', 'senior')),
    line_id INTEGER NOT NULL REFERENCES claim_lines (id),
    claim_id INTEGER NOT NULL REFERENCES claims (id),
    paid_on TEXT NOT NULL,
    CONSTRAINT paid_subsidies_once PRIMARY KEY (person_id, occupation_code, level),
    CONSTRAINT paid_subsidies_one_per_line UNIQUE (line_id)
);

-- A city's fund accounts: allocations (positive), payments (negative), recoveries (positive)
-- and corrections, per region, year and source; the balance is the sum.
CREATE TABLE fund_entries (
    id INTEGER PRIMARY KEY,
    region_name TEXT NOT NULL REFERENCES regions (name),
    year INTEGER NOT NULL,
    fund_source TEXT NOT NULL CHECK (fund_source IN ('skills_upgrading_balance',
        'employment_subsidy_fund')),
    kind TEXT NOT NULL CHECK (kind IN ('allocation', 'payment', 'recovery', 'correction')),
    amount_fen INTEGER NOT NULL CHECK (amount_fen <> 0),
    payment_id INTEGER REFERENCES payments (id),
    note TEXT NOT NULL,
    recorded_by INTEGER NOT NULL REFERENCES users (id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX fund_entries_account ON fund_entries (region_name, year, fund_source);

CREATE TABLE clawbacks (
    id INTEGER PRIMARY KEY,
    claim_id INTEGER NOT NULL REFERENCES claims (id),
    amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
    recovered_fen INTEGER NOT NULL DEFAULT 0 CHECK (recovered_fen >= 0),
    status TEXT NOT NULL CHECK (status IN ('open', 'partly_recovered', 'recovered',
        'written_off')),
    reason TEXT NOT NULL,
    opened_by INTEGER NOT NULL REFERENCES users (id),
    opened_at TEXT NOT NULL,
    written_off_by INTEGER REFERENCES users (id),
    write_off_reason TEXT,
    closed_at TEXT,
    CONSTRAINT clawbacks_within_amount CHECK (recovered_fen <= amount_fen),
    CONSTRAINT clawbacks_second_account CHECK (written_off_by IS NULL OR written_off_by <> opened_by)
);

-- A paid line is clawed back at most once.
CREATE TABLE clawback_lines (
    clawback_id INTEGER NOT NULL REFERENCES clawbacks (id),
    line_id INTEGER NOT NULL REFERENCES claim_lines (id),
    amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
    CONSTRAINT clawback_lines_once PRIMARY KEY (line_id)
);

CREATE TABLE recoveries (
    id INTEGER PRIMARY KEY,
    clawback_id INTEGER NOT NULL REFERENCES clawbacks (id),
    amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
    recovered_on TEXT NOT NULL,
    voucher TEXT NOT NULL,
    recorded_by INTEGER NOT NULL REFERENCES users (id),
    recorded_at TEXT NOT NULL
);

CREATE TRIGGER fund_entries_no_update BEFORE UPDATE ON fund_entries
BEGIN
    SELECT RAISE(ABORT, 'fund_entries is append-only: UPDATE refused');
END;

CREATE TRIGGER fund_entries_no_delete BEFORE DELETE ON fund_entries
BEGIN
    SELECT RAISE(ABORT, 'fund_entries is append-only: DELETE refused');
END;
