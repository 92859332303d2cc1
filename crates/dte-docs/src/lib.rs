//! DTE's documents: Excel workbooks people download (and, as capabilities arrive, rosters).
//!
//! This crate turns plain records into file bytes. It does no I/O and knows nothing of the
//! database or HTTP; callers hand it rows and send the bytes.

pub mod catalog;

/// A document could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("Excel workbook: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}
