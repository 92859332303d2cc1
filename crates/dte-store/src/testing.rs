//! Fresh databases for tests: a temporary SQLite file, or a new database on the PostgreSQL
//! server named by `DTE_TEST_DATABASE_URL`. Used by this crate's storage story and by the web
//! crate's `spawn_app`.

use crate::{Backend, Store, StoreError};
use std::path::PathBuf;

/// The environment variable naming a PostgreSQL server for tests, e.g.
/// `postgres://postgres@127.0.0.1:55432/postgres`.
pub const TEST_DATABASE_URL: &str = "DTE_TEST_DATABASE_URL";

/// A fresh, migrated database for one test. Dropping it removes an SQLite file; PostgreSQL
/// test databases live in a throwaway cluster that the test script discards.
#[derive(Debug)]
pub struct TestDatabase {
    pub store: Store,
    pub url: String,
    sqlite_dir: Option<PathBuf>,
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some(dir) = &self.sqlite_dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// The PostgreSQL server for tests, when one is configured. When `DTE_REQUIRE_POSTGRES=1`
/// (the README's test command sets it) a missing server is an error, not a skip.
pub fn postgres_server() -> Option<String> {
    match std::env::var(TEST_DATABASE_URL) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("DTE_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "DTE_REQUIRE_POSTGRES=1 but {TEST_DATABASE_URL} is not set"
            );
            None
        }
    }
}

/// Creates a fresh, migrated database of the given backend. Returns `None` for PostgreSQL
/// when no server is configured.
pub async fn fresh_database(backend: Backend) -> Result<Option<TestDatabase>, StoreError> {
    let unique = format!(
        "{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let (url, sqlite_dir) = match backend {
        Backend::Sqlite => {
            let dir = std::env::temp_dir().join(format!("dte-test-{unique}"));
            std::fs::create_dir_all(&dir)
                .map_err(|error| StoreError::Corrupt(error.to_string()))?;
            (Store::sqlite_url_in(&dir), Some(dir))
        }
        Backend::Postgres => {
            let Some(server) = postgres_server() else {
                return Ok(None);
            };
            let admin = Store::connect(&server).await?;
            let name = format!("dte_test_{unique}_{}", nanos());
            if let crate::Db::Postgres(pool) = &admin.db {
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(pool)
                    .await?;
            }
            admin.close().await;
            (replace_database(&server, &name), None)
        }
    };
    let store = Store::connect(&url).await?;
    store.migrate().await?;
    Ok(Some(TestDatabase {
        store,
        url,
        sqlite_dir,
    }))
}

impl TestDatabase {
    /// Everything the database holds on disk, as bytes to search: for SQLite the database file
    /// with its WAL and shared-memory files, for PostgreSQL the output of `pg_dump` (both
    /// formats an attacker with the files or a backup would have). Panics when `pg_dump`
    /// cannot run: a test that cannot look must not pass.
    pub fn dump(&self) -> Vec<u8> {
        match &self.sqlite_dir {
            Some(dir) => {
                let mut bytes = Vec::new();
                for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                    bytes.extend(std::fs::read(entry.path()).unwrap_or_default());
                }
                bytes
            }
            None => {
                let output = std::process::Command::new("pg_dump")
                    .arg("--no-owner")
                    .arg(format!("--dbname={}", self.url))
                    .output();
                match output {
                    Ok(output) if output.status.success() => output.stdout,
                    Ok(output) => panic!(
                        "pg_dump failed: {}",
                        String::from_utf8_lossy(&output.stderr)
                    ),
                    Err(error) => panic!("pg_dump could not run: {error}"),
                }
            }
        }
    }
}

static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_nanos() % 1_000_000_000)
        .unwrap_or(0)
}

/// Swaps the database name in a PostgreSQL URL, keeping any query string.
fn replace_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|index| index + 3).unwrap_or(0);
    let host_end = base[scheme_end..]
        .find('/')
        .map(|index| scheme_end + index)
        .unwrap_or(base.len());
    let mut result = format!("{}/{database}", &base[..host_end]);
    if let Some(query) = query {
        result.push('?');
        result.push_str(query);
    }
    result
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_database_name_is_replaced_and_the_query_kept() {
        assert_eq!(
            super::replace_database("postgres://u@127.0.0.1:5432/postgres?sslmode=disable", "x"),
            "postgres://u@127.0.0.1:5432/x?sslmode=disable"
        );
        assert_eq!(
            super::replace_database("postgres://u@h:1", "x"),
            "postgres://u@h:1/x"
        );
    }
}
