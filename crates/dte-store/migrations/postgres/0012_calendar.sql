-- The holiday calendar (放假调休, issue 13 item 2): one row per day that differs from Monday to
-- Friday, a holiday day off (working = false) or an adjusted working day (调休上班, working =
-- true), with the holiday's name. Rows come from the reference data (added_by NULL) or from
-- the province (its account). A year with rows is covered; other years count Monday to Friday
-- (dte_domain::calendar). PostgreSQL flavour; keep in step with ../sqlite.

CREATE TABLE calendar_days (
    date DATE PRIMARY KEY,
    year BIGINT NOT NULL,
    working BOOLEAN NOT NULL,
    name TEXT NOT NULL,
    added_by BIGINT REFERENCES users (id),
    added_at TIMESTAMPTZ NOT NULL,
    CONSTRAINT calendar_days_year_check CHECK (EXTRACT(YEAR FROM date) = year),
    CONSTRAINT calendar_days_name_check CHECK (char_length(btrim(name)) BETWEEN 1 AND 32)
);

CREATE INDEX calendar_days_year ON calendar_days (year);
