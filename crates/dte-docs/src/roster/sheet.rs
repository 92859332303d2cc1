//! Reading the first worksheet of an uploaded .xlsx into rows of non-blank cells, streaming and
//! with limits, so a hostile or oversized file costs bounded memory and time: the workbook is
//! first measured by `limits.rs`, then its first sheet is streamed under row and cell caps.

use super::limits::{Refusal, check_workbook};
use super::{FileError, MAX_ROSTER_ROWS};
use calamine::{DataRef, Reader, Xlsx};
use std::io::Cursor;

/// Rows searched for the header row (a title row may stand above it).
pub(crate) const HEADER_SEARCH_ROWS: usize = 10;

/// Columns read; cells further right are ignored.
const MAX_COLUMNS: u32 = 256;

/// Cells (blank ones included) read before the file is refused as too large.
const MAX_CELLS: usize = 5_000_000;

/// A cell's value as the import cares about it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    /// Text, trimmed, never empty.
    Text(String),
    Number(f64),
    Bool(bool),
    /// A date or time; the roster has no date columns.
    Date,
    /// A formula error such as #N/A.
    Error(String),
}

/// One non-blank spreadsheet row: its 0-based row index and its cells by 0-based column.
#[derive(Debug, Clone)]
pub(crate) struct SheetRow {
    pub index: u32,
    pub cells: Vec<(u32, Cell)>,
}

impl SheetRow {
    /// The cell in a column, if it is not blank.
    pub fn cell(&self, column: u32) -> Option<&Cell> {
        self.cells
            .iter()
            .find(|(index, _)| *index == column)
            .map(|(_, cell)| cell)
    }
}

/// Reads the non-blank rows of the workbook's first sheet, in order.
pub(crate) fn read_first_sheet(bytes: &[u8]) -> Result<Vec<SheetRow>, FileError> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(FileError::LegacyXls);
    }
    if !bytes.starts_with(b"PK") {
        return Err(FileError::NotXlsx);
    }
    check_workbook(bytes).map_err(|refusal| match refusal {
        Refusal::TooLarge(limit) => FileError::TooLarge(limit),
        Refusal::NotZip => FileError::NotXlsx,
        Refusal::Unreadable => FileError::Unreadable,
    })?;
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| FileError::NotXlsx)?;
    let first = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or(FileError::NoSheet)?;
    let mut reader = workbook
        .worksheet_cells_reader(&first)
        .map_err(|_| FileError::Unreadable)?;

    let mut rows: Vec<SheetRow> = Vec::new();
    let mut cells_read = 0usize;
    // The header may sit below a title, so allow a few rows above the data.
    let row_limit = MAX_ROSTER_ROWS + HEADER_SEARCH_ROWS;
    while let Some(cell) = reader.next_cell().map_err(|_| FileError::Unreadable)? {
        cells_read += 1;
        if cells_read > MAX_CELLS {
            return Err(FileError::TooManyCells { limit: MAX_CELLS });
        }
        let (row, column) = cell.get_position();
        if column >= MAX_COLUMNS {
            continue;
        }
        let Some(value) = convert(cell.get_value()) else {
            continue;
        };
        match rows.last_mut() {
            Some(last) if last.index == row => last.cells.push((column, value)),
            _ => {
                if rows.len() >= row_limit {
                    return Err(FileError::TooManyRows {
                        limit: MAX_ROSTER_ROWS,
                    });
                }
                rows.push(SheetRow {
                    index: row,
                    cells: vec![(column, value)],
                });
            }
        }
    }
    // Cells come in row order in every writer we know; sort anyway so a rows-out-of-order
    // file still reads correctly.
    if rows.windows(2).any(|pair| pair[0].index >= pair[1].index) {
        rows.sort_by_key(|row| row.index);
        rows.dedup_by(|later, earlier| {
            if later.index == earlier.index {
                earlier.cells.append(&mut later.cells);
                true
            } else {
                false
            }
        });
    }
    Ok(rows)
}

/// A cell's value, or `None` when it is blank (empty, or only spaces).
fn convert(value: &DataRef<'_>) -> Option<Cell> {
    match value {
        DataRef::Empty => None,
        DataRef::String(text) => text_cell(text),
        DataRef::SharedString(text) => text_cell(text),
        DataRef::Float(number) => Some(Cell::Number(*number)),
        DataRef::Int(number) => Some(Cell::Number(*number as f64)),
        DataRef::Bool(value) => Some(Cell::Bool(*value)),
        DataRef::DateTime(_) | DataRef::DateTimeIso(_) | DataRef::DurationIso(_) => {
            Some(Cell::Date)
        }
        DataRef::Error(error) => Some(Cell::Error(error.to_string())),
    }
}

/// Text with invisible characters removed and surrounding spaces (full-width ones too) trimmed.
fn text_cell(text: &str) -> Option<Cell> {
    let cleaned: String = text
        .chars()
        .filter(|character| !matches!(character, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}'))
        .collect();
    let trimmed = cleaned.trim();
    (!trimmed.is_empty()).then(|| Cell::Text(trimmed.to_owned()))
}
