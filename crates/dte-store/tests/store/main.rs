//! The storage crate's one integration-test binary: the storage story (`story`), the audit
//! log (`audit`), classes, quotas and enrolment (`classes`), and the parity of the two
//! schemas (`schema`). Every test runs against
//! SQLite and, when `DTE_TEST_DATABASE_URL` names a server, PostgreSQL; both must tell the
//! same story.

#![allow(clippy::unwrap_used, clippy::expect_used)] // An integration-test crate: a failed unwrap is a failed test.

mod attendance;
mod audit;
mod calendar;
mod certificates;
mod claims;
mod classes;
mod exams;
mod online;
mod schema;
mod story;
