//! What can go wrong in storage, in the storage's words.

/// A storage failure. Constraint violations carry the constraint's name so the web layer can
/// answer 409/422 with a message about the field at fault.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unsupported database URL: use postgres://… or sqlite:…")]
    UnsupportedUrl,
    #[error("record not found")]
    NotFound,
    /// The record is no longer in the state the change expected (someone else acted first).
    #[error("the record changed meanwhile")]
    Conflict,
    #[error("constraint {constraint} violated")]
    Constraint { constraint: String },
    #[error("reference data: {0}")]
    Reference(#[from] dte_domain::reference::ReferenceError),
    /// The settings in force do not make a complete policy (a setting missing or out of range).
    #[error("policy settings: {0}")]
    Policy(#[from] dte_domain::PolicyError),
    #[error("stored value is corrupt: {0}")]
    Corrupt(String),
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Database(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> StoreError {
        if let sqlx::Error::RowNotFound = error {
            return StoreError::NotFound;
        }
        if let Some(database_error) = error.as_database_error() {
            if let Some(constraint) = database_error.constraint() {
                return StoreError::Constraint {
                    constraint: constraint.to_owned(),
                };
            }
            if database_error.is_unique_violation()
                || database_error.is_foreign_key_violation()
                || database_error.is_check_violation()
            {
                return StoreError::Constraint {
                    constraint: database_error.message().to_owned(),
                };
            }
        }
        StoreError::Database(error)
    }
}

/// A stored value that does not read back as its type: names what and shows the value.
pub(crate) fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what}: {value}"))
}

/// A stored value of one record that does not read back as its type: names the table, the
/// record's id, the column and the value, so whoever repairs it knows where to look.
pub(crate) fn corrupt_record(table: &str, id: i64, column: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{table} {id}: {column} {value:?}"))
}

/// A stored count (never negative) as `u32`, saturating.
pub(crate) fn count(value: i64) -> u32 {
    u32::try_from(value.max(0)).unwrap_or(u32::MAX)
}
