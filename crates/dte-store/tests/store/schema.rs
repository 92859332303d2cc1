//! Schema parity (issue 12, item 6): the SQLite and PostgreSQL migrations define the same
//! tables, the same columns (and which may be null) per table, the same named constraints,
//! foreign keys, unique keys, number of checks per table, indexes and triggers. Each schema is
//! read from a freshly migrated database (`sqlite_master` and its pragmas; `pg_catalog` and
//! `information_schema`), not from the migration files, so the two can no longer drift.

use dte_store::Backend;
use dte_store::testing::fresh_database;
use sqlx::{PgPool, SqlitePool};
use std::collections::{BTreeMap, BTreeSet};

/// A foreign key: (table, its columns, the referenced table, the referenced columns).
type ForeignKey = (String, Vec<String>, String, Vec<String>);

/// What the comparison looks at, the same for both databases.
#[derive(Debug, Default)]
struct Schema {
    /// Table → column → whether it is `NOT NULL` (primary-key columns count as not null).
    columns: BTreeMap<String, BTreeMap<String, bool>>,
    /// (table, name, kind) of every constraint written with `CONSTRAINT name`.
    named_constraints: BTreeSet<(String, String, &'static str)>,
    foreign_keys: BTreeSet<ForeignKey>,
    /// (table, columns) of the unique constraints, named or not (unique indexes are below).
    unique_keys: BTreeSet<(String, Vec<String>)>,
    /// Table → how many check constraints it has, named or not.
    checks: BTreeMap<String, usize>,
    /// (table, name, unique, partial) of the indexes made by `CREATE INDEX`.
    indexes: BTreeSet<(String, String, bool, bool)>,
    /// (table, name) of the triggers.
    triggers: BTreeSet<(String, String)>,
}

/// The migration bookkeeping table, which sqlx makes differently on each database.
const MIGRATIONS_TABLE: &str = "_sqlx_migrations";

/// Deliberate differences: checks that only SQLite has, as (table, how many, why).
const SQLITE_ONLY_CHECKS: &[(&str, usize, &str)] = &[(
    "audit_log",
    1,
    "SQLite keeps `at` as fixed-width RFC 3339 text so text order is time order, and checks \
     its form; PostgreSQL's TIMESTAMPTZ column is typed and needs no check",
)];

/// Deliberate differences: the audit tables' guard triggers, as (table, name), on SQLite and
/// on PostgreSQL. The two databases guard the log differently: SQLite's triggers `RAISE` on
/// each UPDATE and DELETE (one trigger per statement kind), PostgreSQL's call one PL/pgSQL
/// function for UPDATE and DELETE together and another for TRUNCATE, which SQLite has not.
/// Both sets are written out so a trigger added on one side only still fails this test.
const SQLITE_TRIGGERS: &[(&str, &str)] = &[
    ("complaints", "complaints_no_delete"),
    ("complaints", "complaints_resolution_only"),
    ("flag_reviews", "flag_reviews_no_delete"),
    ("flag_reviews", "flag_reviews_no_update"),
    ("sanctions", "sanctions_lift_only"),
    ("sanctions", "sanctions_no_delete"),
    ("violations", "violations_no_delete"),
    ("violations", "violations_no_update"),
    (
        "inspection_draw_targets",
        "inspection_draw_targets_no_delete",
    ),
    (
        "inspection_draw_targets",
        "inspection_draw_targets_no_update",
    ),
    ("inspection_draws", "inspection_draws_no_delete"),
    ("inspection_draws", "inspection_draws_no_update"),
    ("inspection_items", "inspection_items_no_delete"),
    ("inspection_items", "inspection_items_no_update"),
    ("inspector_conflicts", "inspector_conflicts_no_delete"),
    ("inspector_conflicts", "inspector_conflicts_no_update"),
    ("audit_head", "audit_head_no_delete"),
    ("audit_head", "audit_head_no_rewind"),
    ("audit_log", "audit_log_no_delete"),
    ("audit_log", "audit_log_no_update"),
    ("fund_entries", "fund_entries_no_delete"),
    ("fund_entries", "fund_entries_no_update"),
];
const POSTGRES_TRIGGERS: &[(&str, &str)] = &[
    ("complaints", "complaints_append_only"),
    ("flag_reviews", "flag_reviews_append_only"),
    ("sanctions", "sanctions_append_only"),
    ("violations", "violations_append_only"),
    (
        "inspection_draw_targets",
        "inspection_draw_targets_append_only",
    ),
    ("inspection_draws", "inspection_draws_append_only"),
    ("inspection_items", "inspection_items_append_only"),
    ("inspector_conflicts", "inspector_conflicts_append_only"),
    ("audit_head", "audit_head_forward_only"),
    ("audit_head", "audit_head_no_truncate"),
    ("audit_log", "audit_log_append_only"),
    ("fund_entries", "fund_entries_append_only"),
];

/// SQLite and PostgreSQL define the same schema, table by table; the deliberate differences
/// are listed above with the reason for each.
#[tokio::test]
async fn the_sqlite_and_postgresql_migrations_define_the_same_schema() {
    let Some(postgres) = fresh_database(Backend::Postgres).await.unwrap() else {
        return;
    };
    let sqlite = fresh_database(Backend::Sqlite).await.unwrap().unwrap();
    let mut sqlite = read_sqlite(&SqlitePool::connect(&sqlite.url).await.unwrap()).await;
    for (table, extra, _why) in SQLITE_ONLY_CHECKS {
        let checks = sqlite.checks.get_mut(*table).unwrap();
        *checks = checks.checked_sub(*extra).unwrap();
    }
    let pool = PgPool::connect(&postgres.url).await.unwrap();
    let postgres = read_postgres(&pool, &sqlite.named_constraints).await;

    // The readers found something to compare, so an empty reading cannot pass.
    assert!(sqlite.columns.len() > 20, "{:?}", sqlite.columns.keys());
    assert!(
        sqlite.named_constraints.contains(&(
            "check_ins".to_owned(),
            "check_ins_idempotency_key".to_owned(),
            "unique"
        )),
        "{:?}",
        sqlite.named_constraints
    );
    assert!(sqlite.foreign_keys.len() > 10 && sqlite.indexes.len() > 10);
    assert_eq!(
        sqlite.columns.keys().collect::<Vec<_>>(),
        postgres.columns.keys().collect::<Vec<_>>(),
        "the same tables"
    );
    for (table, columns) in &sqlite.columns {
        assert_eq!(
            Some(columns),
            postgres.columns.get(table),
            "the same columns and nullability in {table} (SQLite left, PostgreSQL right)"
        );
    }
    assert_eq!(
        sqlite.named_constraints, postgres.named_constraints,
        "the same named constraints"
    );
    assert_eq!(
        sqlite.foreign_keys, postgres.foreign_keys,
        "the same foreign keys"
    );
    assert_eq!(
        sqlite.unique_keys, postgres.unique_keys,
        "the same unique keys"
    );
    assert_eq!(
        sqlite.checks, postgres.checks,
        "the same number of checks per table"
    );
    assert_eq!(sqlite.indexes, postgres.indexes, "the same indexes");
    let named = |triggers: &[(&str, &str)]| -> BTreeSet<(String, String)> {
        triggers
            .iter()
            .map(|(table, name)| ((*table).to_owned(), (*name).to_owned()))
            .collect()
    };
    assert_eq!(sqlite.triggers, named(SQLITE_TRIGGERS), "SQLite's triggers");
    assert_eq!(
        postgres.triggers,
        named(POSTGRES_TRIGGERS),
        "PostgreSQL's triggers"
    );
}

async fn read_sqlite(pool: &SqlitePool) -> Schema {
    let mut schema = Schema::default();
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master
         WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> $1 ORDER BY name",
    )
    .bind(MIGRATIONS_TABLE)
    .fetch_all(pool)
    .await
    .unwrap();
    for (table, sql) in &tables {
        let columns: Vec<(String, i64, i64)> =
            sqlx::query_as("SELECT name, \"notnull\", pk FROM pragma_table_info($1)")
                .bind(table)
                .fetch_all(pool)
                .await
                .unwrap();
        schema.columns.insert(
            table.clone(),
            columns
                .into_iter()
                .map(|(name, not_null, pk)| (name, not_null != 0 || pk > 0))
                .collect(),
        );
        let tokens = tokens(sql);
        schema.checks.insert(
            table.clone(),
            tokens
                .iter()
                .filter(|token| token.as_str() == "CHECK")
                .count(),
        );
        for (index, token) in tokens.iter().enumerate() {
            if token != "CONSTRAINT" {
                continue;
            }
            let name = tokens[index + 1].to_lowercase();
            let kind = match tokens[index + 2].as_str() {
                "UNIQUE" => "unique",
                "CHECK" => "check",
                "FOREIGN" | "REFERENCES" => "foreign key",
                "PRIMARY" => "primary key",
                other => panic!("{table}: constraint {name} of unknown kind {other}"),
            };
            schema.named_constraints.insert((table.clone(), name, kind));
        }
        let keys: Vec<(i64, i64, String, String, Option<String>)> = sqlx::query_as(
            "SELECT id, seq, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list($1)
             ORDER BY id, seq",
        )
        .bind(table)
        .fetch_all(pool)
        .await
        .unwrap();
        let mut by_id: BTreeMap<i64, ForeignKey> = BTreeMap::new();
        for (id, _, target, from, to) in keys {
            let to = match to {
                Some(to) => to,
                None => sqlite_primary_key(pool, &target).await,
            };
            let key = by_id
                .entry(id)
                .or_insert_with(|| (table.clone(), Vec::new(), target.clone(), Vec::new()));
            key.1.push(from);
            key.3.push(to);
        }
        schema.foreign_keys.extend(by_id.into_values());
        let indexes: Vec<(String, i64, String, i64)> =
            sqlx::query_as("SELECT name, \"unique\", origin, partial FROM pragma_index_list($1)")
                .bind(table)
                .fetch_all(pool)
                .await
                .unwrap();
        for (name, unique, origin, partial) in indexes {
            match origin.as_str() {
                "c" => {
                    schema
                        .indexes
                        .insert((table.clone(), name, unique != 0, partial != 0));
                }
                "u" => {
                    let columns: Vec<(String,)> =
                        sqlx::query_as("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                            .bind(&name)
                            .fetch_all(pool)
                            .await
                            .unwrap();
                    let columns = columns.into_iter().map(|(column,)| column).collect();
                    schema.unique_keys.insert((table.clone(), columns));
                }
                _ => {}
            }
        }
    }
    let triggers: Vec<(String, String)> = sqlx::query_as(
        "SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger' ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    schema.triggers.extend(triggers);
    schema
}

/// The primary-key columns of an SQLite table, for a foreign key that names none (joined by
/// commas if there are several; none of ours has several).
async fn sqlite_primary_key(pool: &SqlitePool, table: &str) -> String {
    let columns: Vec<(String,)> =
        sqlx::query_as("SELECT name FROM pragma_table_info($1) WHERE pk > 0 ORDER BY pk")
            .bind(table)
            .fetch_all(pool)
            .await
            .unwrap();
    columns
        .into_iter()
        .map(|(column,)| column)
        .collect::<Vec<_>>()
        .join(",")
}

/// Reads PostgreSQL's schema. PostgreSQL names every constraint, choosing a name for those the
/// migration left unnamed (`{table}_{columns}_key`, `_fkey`, `_check`, `_pkey`); SQLite keeps
/// those unnamed, so a chosen name counts as named only when SQLite names it too.
async fn read_postgres(
    pool: &PgPool,
    sqlite_named: &BTreeSet<(String, String, &'static str)>,
) -> Schema {
    let mut schema = Schema::default();
    let columns: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT c.table_name::text, c.column_name::text, c.is_nullable::text
         FROM information_schema.columns c
         JOIN information_schema.tables t
           ON t.table_schema = c.table_schema AND t.table_name = c.table_name
         WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
           AND c.table_name <> $1",
    )
    .bind(MIGRATIONS_TABLE)
    .fetch_all(pool)
    .await
    .unwrap();
    for (table, column, nullable) in columns {
        let table_columns = schema.columns.entry(table.clone()).or_default();
        table_columns.insert(column, nullable == "NO");
        schema.checks.entry(table).or_insert(0);
    }
    type ConstraintRow = (
        String,
        String,
        String,
        Vec<String>,
        Option<String>,
        Vec<String>,
    );
    let constraints: Vec<ConstraintRow> = sqlx::query_as(
        "SELECT c.conname::text, r.relname::text, c.contype::text,
                ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
                      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n
                      ORDER BY k.i),
                f.relname::text,
                ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
                      JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n
                      ORDER BY k.i)
         FROM pg_constraint c
         JOIN pg_class r ON r.oid = c.conrelid
         JOIN pg_namespace s ON s.oid = r.relnamespace
         LEFT JOIN pg_class f ON f.oid = c.confrelid
         WHERE s.nspname = 'public' AND r.relname <> $1",
    )
    .bind(MIGRATIONS_TABLE)
    .fetch_all(pool)
    .await
    .unwrap();
    for (name, table, kind, columns, target, target_columns) in constraints {
        let kind = match kind.as_str() {
            "p" => "primary key",
            "u" => "unique",
            "c" => "check",
            "f" => "foreign key",
            other => panic!("{table}: constraint {name} of unexpected kind {other}"),
        };
        let chosen = postgres_chose_name(&name, &table, kind, &columns);
        if !chosen || sqlite_named.contains(&(table.clone(), name.clone(), kind)) {
            schema
                .named_constraints
                .insert((table.clone(), name.clone(), kind));
        }
        match kind {
            "unique" => {
                schema.unique_keys.insert((table, columns));
            }
            "check" => *schema.checks.entry(table).or_insert(0) += 1,
            "foreign key" => {
                let target = target.unwrap_or_default();
                schema
                    .foreign_keys
                    .insert((table, columns, target, target_columns));
            }
            _ => {}
        }
    }
    let indexes: Vec<(String, String, bool, bool)> = sqlx::query_as(
        "SELECT t.relname::text, i.relname::text, x.indisunique, x.indpred IS NOT NULL
         FROM pg_index x
         JOIN pg_class i ON i.oid = x.indexrelid
         JOIN pg_class t ON t.oid = x.indrelid
         JOIN pg_namespace s ON s.oid = t.relnamespace
         WHERE s.nspname = 'public' AND t.relname <> $1
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                           WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid
                             AND c.contype IN ('p', 'u', 'x'))",
    )
    .bind(MIGRATIONS_TABLE)
    .fetch_all(pool)
    .await
    .unwrap();
    schema.indexes.extend(indexes);
    let triggers: Vec<(String, String)> = sqlx::query_as(
        "SELECT c.relname::text, t.tgname::text FROM pg_trigger t
         JOIN pg_class c ON c.oid = t.tgrelid
         JOIN pg_namespace s ON s.oid = c.relnamespace
         WHERE s.nspname = 'public' AND NOT t.tgisinternal",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    schema.triggers.extend(triggers);
    schema
}

/// Whether `name` is the name PostgreSQL chooses for an unnamed constraint of this kind on
/// these columns: `{table}_pkey`, `{table}_{columns}_key`, `{table}_{columns}_fkey`,
/// `{table}_{column}_check` or `{table}_check`, with a number after it when taken.
fn postgres_chose_name(name: &str, table: &str, kind: &str, columns: &[String]) -> bool {
    let base = name.trim_end_matches(|c: char| c.is_ascii_digit());
    let joined = columns.join("_");
    match kind {
        "primary key" => base == format!("{table}_pkey"),
        "unique" => base == format!("{table}_{joined}_key"),
        "foreign key" => base == format!("{table}_{joined}_fkey"),
        "check" => {
            base == format!("{table}_check")
                || columns
                    .iter()
                    .any(|column| base == format!("{table}_{column}_check"))
        }
        _ => false,
    }
}

/// The words of an SQLite `CREATE TABLE` statement, upper-cased, without comments, string
/// literals or punctuation; quoted identifiers lose their quotes.
fn tokens(sql: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut characters = sql.chars().peekable();
    while let Some(character) = characters.next() {
        match character {
            '-' if characters.peek() == Some(&'-') => {
                for next in characters.by_ref() {
                    if next == '\n' {
                        break;
                    }
                }
            }
            '\'' => {
                for next in characters.by_ref() {
                    if next == '\'' {
                        break;
                    }
                }
            }
            '"' | '`' => {
                let mut word = String::new();
                for next in characters.by_ref() {
                    if next == character {
                        break;
                    }
                    word.push(next);
                }
                tokens.push(word.to_uppercase());
            }
            c if c.is_alphanumeric() || c == '_' => {
                let mut word = c.to_string();
                while let Some(&next) = characters.peek() {
                    if !(next.is_alphanumeric() || next == '_') {
                        break;
                    }
                    word.push(next);
                    characters.next();
                }
                tokens.push(word.to_uppercase());
            }
            _ => {}
        }
    }
    tokens
}
