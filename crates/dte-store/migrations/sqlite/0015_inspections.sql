-- 双随机一公开 random inspections (issue 14 item 3): each city's published list of inspection
-- items (检查事项清单), the conflicts inspectors declare with a target, and the draws — the
-- seed, the candidates with their weights, the count and the selection by dte-draw-v1, with
-- the inspectors drawn per target — kept so anyone can replay them. The rules are
-- dte_domain::inspection's; "never twice" is a constraint as well:
--   * inspector_conflicts_once: a conflict is declared once per inspector and target;
--   * inspection_draw_targets_once: a target appears once in a draw, each position once.
-- Nothing here changes or is deleted once written. SQLite flavour; keep in step with
-- ../postgres.

CREATE TABLE inspection_items (
    id INTEGER PRIMARY KEY,
    region TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    subject TEXT NOT NULL,
    content TEXT NOT NULL,
    method TEXT NOT NULL CHECK (method IN ('on_site', 'documents')),
    created_by INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX inspection_items_region ON inspection_items (region);

CREATE TABLE inspector_conflicts (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    target_kind TEXT NOT NULL CHECK (target_kind IN ('institution', 'class')),
    target_id INTEGER NOT NULL,
    reason TEXT NOT NULL,
    declared_at TEXT NOT NULL,
    CONSTRAINT inspector_conflicts_once UNIQUE (user_id, target_kind, target_id)
);

CREATE TABLE inspection_draws (
    id INTEGER PRIMARY KEY,
    region TEXT NOT NULL,
    target_kind TEXT NOT NULL CHECK (target_kind IN ('institution', 'class')),
    algorithm TEXT NOT NULL,
    seed TEXT NOT NULL CHECK (length(seed) = 64),
    count INTEGER NOT NULL CHECK (count > 0),
    candidates TEXT NOT NULL,
    selected TEXT NOT NULL,
    drawn_by INTEGER NOT NULL REFERENCES users (id),
    drawn_at TEXT NOT NULL
);
CREATE INDEX inspection_draws_region ON inspection_draws (region);

CREATE TABLE inspection_draw_targets (
    draw_id INTEGER NOT NULL REFERENCES inspection_draws (id),
    position INTEGER NOT NULL,
    target TEXT NOT NULL,
    tier TEXT NOT NULL CHECK (tier IN ('high', 'medium', 'low')),
    first_inspector INTEGER NOT NULL REFERENCES users (id),
    second_inspector INTEGER NOT NULL REFERENCES users (id),
    PRIMARY KEY (draw_id, position),
    CONSTRAINT inspection_draw_targets_once UNIQUE (draw_id, target),
    CONSTRAINT inspection_draw_targets_two_inspectors CHECK (first_inspector <> second_inspector)
);

CREATE TRIGGER inspection_items_no_update BEFORE UPDATE ON inspection_items
BEGIN
    SELECT RAISE(ABORT, 'inspection_items keeps its history: UPDATE refused');
END;
CREATE TRIGGER inspection_items_no_delete BEFORE DELETE ON inspection_items
BEGIN
    SELECT RAISE(ABORT, 'inspection_items keeps its history: DELETE refused');
END;
CREATE TRIGGER inspector_conflicts_no_update BEFORE UPDATE ON inspector_conflicts
BEGIN
    SELECT RAISE(ABORT, 'inspector_conflicts keeps its history: UPDATE refused');
END;
CREATE TRIGGER inspector_conflicts_no_delete BEFORE DELETE ON inspector_conflicts
BEGIN
    SELECT RAISE(ABORT, 'inspector_conflicts keeps its history: DELETE refused');
END;
CREATE TRIGGER inspection_draws_no_update BEFORE UPDATE ON inspection_draws
BEGIN
    SELECT RAISE(ABORT, 'inspection_draws keeps its history: UPDATE refused');
END;
CREATE TRIGGER inspection_draws_no_delete BEFORE DELETE ON inspection_draws
BEGIN
    SELECT RAISE(ABORT, 'inspection_draws keeps its history: DELETE refused');
END;
CREATE TRIGGER inspection_draw_targets_no_update BEFORE UPDATE ON inspection_draw_targets
BEGIN
    SELECT RAISE(ABORT, 'inspection_draw_targets keeps its history: UPDATE refused');
END;
CREATE TRIGGER inspection_draw_targets_no_delete BEFORE DELETE ON inspection_draw_targets
BEGIN
    SELECT RAISE(ABORT, 'inspection_draw_targets keeps its history: DELETE refused');
END;
