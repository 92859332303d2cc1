-- The plan's catalogs (两目录): occupations with hours and rates per year, institutions and
-- their listings per occupation with status history, regions with yearly quotas, and the
-- policy settings with effective dates. SQLite flavour; keep in step with ../postgres.

CREATE TABLE reference_years (
    year INTEGER PRIMARY KEY,
    digest TEXT NOT NULL,
    source TEXT NOT NULL,
    loaded_at TEXT NOT NULL
);

CREATE TABLE occupations (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL
);

CREATE TABLE occupation_levels (
    year INTEGER NOT NULL,
    occupation_code TEXT NOT NULL REFERENCES occupations (code),
    level TEXT NOT NULL CHECK (level IN ('junior', 'intermediate', 'senior')),
    hours INTEGER NOT NULL CHECK (hours > 0),
    rate_fen_per_hour INTEGER NOT NULL CHECK (rate_fen_per_hour > 0),
    PRIMARY KEY (year, occupation_code, level)
);

CREATE TABLE institutions (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('training', 'evaluation')),
    contact_person TEXT,
    contact_phone TEXT,
    CONSTRAINT institutions_kind_name_key UNIQUE (kind, name)
);

CREATE TABLE institution_listings (
    id INTEGER PRIMARY KEY,
    institution_id INTEGER NOT NULL REFERENCES institutions (id),
    occupation_code TEXT NOT NULL REFERENCES occupations (code),
    position INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'removed')),
    CONSTRAINT institution_listings_institution_occupation_key UNIQUE (institution_id, occupation_code)
);

CREATE TABLE institution_listing_events (
    id INTEGER PRIMARY KEY,
    listing_id INTEGER NOT NULL REFERENCES institution_listings (id),
    status TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'removed')),
    reason TEXT NOT NULL,
    happened_at TEXT NOT NULL
);

CREATE TABLE regions (
    name TEXT PRIMARY KEY,
    full_name TEXT NOT NULL,
    division_code TEXT,
    position INTEGER NOT NULL
);

CREATE TABLE region_quotas (
    year INTEGER NOT NULL,
    region_name TEXT NOT NULL REFERENCES regions (name),
    quota INTEGER NOT NULL CHECK (quota >= 0),
    PRIMARY KEY (year, region_name)
);

CREATE TABLE settings (
    key TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (key, effective_from)
);

CREATE TABLE subsidy_categories (
    code TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    name TEXT NOT NULL,
    proof TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (code, effective_from)
);
