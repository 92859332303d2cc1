-- The holiday calendar (放假调休, issue 13 item 2): one row per day that differs from Monday to
-- Friday, a holiday day off (working = false) or an adjusted working day (调休上班, working =
-- true), with the holiday's name. Rows come from the reference data (added_by NULL) or from
-- the province (its account). A year with rows is covered; other years count Monday to Friday
-- (dte_domain::calendar). SQLite flavour; keep in step with ../postgres.

CREATE TABLE calendar_days (
    date TEXT PRIMARY KEY,
    year INTEGER NOT NULL,
    working BOOLEAN NOT NULL,
    name TEXT NOT NULL,
    added_by INTEGER REFERENCES users (id),
    added_at TEXT NOT NULL,
    CONSTRAINT calendar_days_year_check CHECK (CAST(substr(date, 1, 4) AS INTEGER) = year),
    CONSTRAINT calendar_days_name_check CHECK (length(trim(name)) BETWEEN 1 AND 32)
);

CREATE INDEX calendar_days_year ON calendar_days (year);
