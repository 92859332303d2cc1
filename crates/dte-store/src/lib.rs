//! DTE's storage: one interface (`Store`) over SQLite and PostgreSQL.
//!
//! Every query is written once, in SQL both databases accept (`$1` placeholders, `RETURNING`,
//! `ON CONFLICT`), and compiled for both pools by the `with_db!` macro. Only the DDL differs,
//! so each backend has its own `migrations/` folder. The backend is chosen once, from the
//! database URL's scheme, in `Store::connect`.

mod accounts;
mod attendance;
mod audit;
mod calendar;
mod catalog;
mod certificates;
mod claim_reports;
mod claims;
mod classes;
mod completion;
mod corrections;
mod enrolments;
mod error;
mod exams;
mod inspections;
mod monitoring;
mod online;
mod recordings;
mod supervision;
#[cfg(feature = "testing")]
pub mod testing;

pub use accounts::{AccountRefusal, AccountRequest, NewSession, NewUser, Session, User};
pub use attendance::{CheckInOutcome, CheckInWriter, NewCheckIn, SessionRow};
pub use audit::{
    AUDIT_PAGE_MAX, Actor, AuditBreak, AuditFilter, AuditOutcome, AuditRecord, AuditVerification,
    NewAuditEntry, mask_personal_data, mask_personal_data_in_json,
};
pub use calendar::{CalendarChange, CalendarDayRow};
pub use catalog::{
    CatalogVersion, InstitutionListingRow, InstitutionRow, LevelRow, OccupationRow, ReferenceLoad,
    RegionRow, SettingRow, SubsidyCategoryRow,
};
pub use certificates::{
    CERTIFICATE_PAGE_MAX, CertificateDetails, CertificateFilter, CertificateRow,
    CertificateSignature, IssueRefusal, NewCertificate, Revocation,
};
pub use claim_reports::{ClawbackFact, PaymentFact, RecoveryFact, ReportKey, SubsidyReportFacts};
pub use claims::{
    ClaimChange, ClaimFilter, ClaimLineRow, ClaimRow, ClawbackRow, LineReasonRow, NewClaimLine,
    NewFundEntry, NewPayment, ObjectionRow, PaymentRow,
};
pub use classes::{CLASS_PAGE_MAX, ClassFilter, ClassRow, NewClass, QuotaChange, QuotaUsage};
pub use completion::{CompletionResultRow, NewCompletionResult, SealRow};
pub use corrections::{AcceptedCheck, CorrectionRow, NewCorrection, SessionCounts};
pub use enrolments::*;
pub use error::StoreError;
pub use exams::{
    CandidateResult, CandidateRow, ExamPlanFilter, ExamPlanRow, NewCandidate, NewExamPlan,
};
pub use inspections::{
    ConflictRow, DrawRow, DrawnTarget, DrawnTargetRow, InspectionItemRow, NewDraw,
    NewInspectionItem,
};
pub use monitoring::{FenceViolation, LiveSession};
pub use online::{NewHeartbeat, OnlineCreditRow, OnlineLearning, PresenceCheckRow};
pub use recordings::{
    MaterialRow, NewRecording, RecordingRow, RecordingSource, SessionRecording, UploadRow,
};
pub use supervision::{
    ComplaintRow, FlagReviewRow, NewComplaint, NewFlagReview, NewSanction, NewViolation,
    SanctionRow, ViolationRow,
};

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};
use std::str::FromStr;
use std::time::Duration;

/// Runs `$body` with `$pool` bound to whichever pool the store holds. The body is compiled
/// once per backend, so one SQL text serves both.
macro_rules! with_db {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.db {
            $crate::Db::Sqlite($pool) => $body,
            $crate::Db::Postgres($pool) => $body,
        }
    };
}
pub(crate) use with_db;

/// The database behind a `Store`.
#[derive(Clone)]
pub(crate) enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Which database a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The handle every other crate uses to read and write DTE's data. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    db: Db,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "Store({:?})", self.backend())
    }
}

impl Store {
    /// Connects to `url`: `postgres://…` (or `postgresql://…`) selects PostgreSQL, `sqlite:…`
    /// an SQLite file, created when missing, in WAL mode with foreign keys enforced and
    /// `synchronous=FULL` so a committed write survives a power cut.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url)?.application_name("dte");
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await?;
            Ok(Store {
                db: Db::Postgres(pool),
            })
        } else if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await?;
            Ok(Store {
                db: Db::Sqlite(pool),
            })
        } else {
            Err(StoreError::UnsupportedUrl)
        }
    }

    /// The SQLite URL of the default database file inside a data folder.
    pub fn sqlite_url_in(data_dir: &std::path::Path) -> String {
        format!("sqlite://{}", data_dir.join("dte.sqlite3").display())
    }

    /// Which database this store uses.
    pub fn backend(&self) -> Backend {
        match self.db {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Brings the schema up to date. Safe to run at every start.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match &self.db {
            Db::Sqlite(pool) => sqlx::migrate!("./migrations/sqlite").run(pool).await?,
            Db::Postgres(pool) => sqlx::migrate!("./migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    /// Answers whether the database can be reached (for `/readyz`).
    pub async fn ping(&self) -> Result<(), StoreError> {
        with_db!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// Closes every connection, waiting for running queries (graceful shutdown).
    pub async fn close(&self) {
        with_db!(self, pool => pool.close().await);
    }
}
