//! DTE's documents: Excel workbooks people download, and rosters (花名册) uploaded and exported.
//!
//! This crate turns plain records into file bytes and uploaded bytes into checked records. It
//! does no I/O and knows nothing of the database or HTTP; callers hand it rows or bytes.

pub mod catalog;
pub mod roster;

/// A document could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("Excel workbook: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}
