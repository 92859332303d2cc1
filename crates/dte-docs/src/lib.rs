//! DTE's documents: Excel workbooks people download, rosters (花名册) and exam score sheets
//! (成绩单) uploaded and exported, continuing-education hours records, and documents of one
//! table (the public notice, a claim's form and ledger, the payments report).
//!
//! This crate turns plain records into file bytes and uploaded bytes into checked records. It
//! does no I/O and knows nothing of the database or HTTP; callers hand it rows or bytes.

pub mod catalog;
pub mod hours;
pub mod roster;
pub mod scores;
pub mod table;

/// A document could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("Excel workbook: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}
