//! The score sheet import: all or nothing, every problem with its row and column.

use super::{
    ABSENT, MAX_SCORE_ROWS, ScoreColumn, ScoreRow, ScoreRowError, ScoreSheetErrors, SheetCandidate,
    SheetResult,
};
use crate::roster::FileError;
use crate::roster::sheet::{Cell, HEADER_SEARCH_ROWS, SheetRow, read_first_sheet};
use dte_domain::evaluation::{Score, ScoreError};
use std::collections::HashMap;

/// Reads a filled-in score sheet of the exam plan whose candidates are `candidates`. Either
/// every candidate has exactly one valid row and the rows come back (in sheet order), or
/// nothing does and every problem is listed: bad scores, unknown or repeated 考生号, a name
/// that is not the candidate's, and candidates without a row.
pub fn parse_score_sheet(
    bytes: &[u8],
    candidates: &[SheetCandidate],
) -> Result<Vec<ScoreRow>, ScoreSheetErrors> {
    let rows = read_first_sheet(bytes).map_err(ScoreSheetErrors::File)?;
    let (header_position, columns) = find_header(&rows)?;
    let data: Vec<&SheetRow> = rows[header_position + 1..]
        .iter()
        .filter(|row| {
            ScoreColumn::ALL
                .into_iter()
                .any(|column| column.required() && cell(&columns, row, column).is_some())
        })
        .collect();
    if data.len() > MAX_SCORE_ROWS {
        return Err(ScoreSheetErrors::File(FileError::TooManyRows {
            limit: MAX_SCORE_ROWS,
        }));
    }
    let by_key: HashMap<i64, &SheetCandidate> = candidates
        .iter()
        .map(|candidate| (candidate.key, candidate))
        .collect();
    let mut first_row_of_key: HashMap<i64, u32> = HashMap::new();
    let mut parsed = Vec::new();
    let mut errors = Vec::new();
    for row in data {
        let number = row.index + 1;
        let mut error = |column: ScoreColumn, message: String| {
            errors.push(ScoreRowError {
                row: number,
                column: column.header().to_owned(),
                message,
            })
        };
        let key = match read_key(cell(&columns, row, ScoreColumn::Key)) {
            Ok(key) => Some(key),
            Err(message) => {
                error(ScoreColumn::Key, message);
                None
            }
        };
        let candidate = key.and_then(|key| {
            let found = by_key.get(&key).copied();
            if found.is_none() {
                error(
                    ScoreColumn::Key,
                    format!(
                        "考生号 {key} 不在本次考核的考生中：请使用下载的成绩单，不要改动考生号"
                    ),
                );
            }
            found
        });
        if let Some(candidate) = candidate {
            let first = *first_row_of_key.entry(candidate.key).or_insert(number);
            if first != number {
                error(
                    ScoreColumn::Key,
                    format!("与第 {first} 行的考生号重复：每位考生只能有一行"),
                );
            }
            let name = match cell(&columns, row, ScoreColumn::Name) {
                Some(Cell::Text(text)) => text.as_str(),
                _ => "",
            };
            if name != candidate.name {
                error(
                    ScoreColumn::Name,
                    format!(
                        "姓名“{name}”与考生号 {} 的考生“{}”不符：请核对是否错行",
                        candidate.key, candidate.name
                    ),
                );
            }
        }
        let theory = cell(&columns, row, ScoreColumn::Theory);
        let ability = cell(&columns, row, ScoreColumn::Ability);
        let result =
            if is_absent(theory) || is_absent(ability) || (theory.is_none() && ability.is_none()) {
                Some(SheetResult::Absent)
            } else {
                let mut score = |column: ScoreColumn, value: Option<&Cell>| match read_score(value)
                {
                    Ok(score) => Some(score),
                    Err(refusal) => {
                        let hint = match refusal {
                            ScoreError::Missing => format!("：缺考的两科都填“{ABSENT}”"),
                            _ => String::new(),
                        };
                        error(column, format!("{refusal}{hint}"));
                        None
                    }
                };
                let theory = score(ScoreColumn::Theory, theory);
                let ability = score(ScoreColumn::Ability, ability);
                theory
                    .zip(ability)
                    .map(|(theory, ability)| SheetResult::Sat { theory, ability })
            };
        if let (Some(candidate), Some(result)) = (candidate, result) {
            parsed.push(ScoreRow {
                row: number,
                key: candidate.key,
                result,
            });
        }
    }
    for candidate in candidates {
        if !first_row_of_key.contains_key(&candidate.key) {
            errors.push(ScoreRowError {
                row: 0,
                column: ScoreColumn::Key.header().to_owned(),
                message: format!(
                    "考生“{}”（考生号 {}）没有成绩行：缺考的请填“{ABSENT}”",
                    candidate.name, candidate.key
                ),
            });
        }
    }
    if !errors.is_empty() {
        return Err(ScoreSheetErrors::Rows(errors));
    }
    if parsed.is_empty() {
        return Err(ScoreSheetErrors::File(FileError::NoRows));
    }
    Ok(parsed)
}

/// The header row (within the first rows) and the column of each header found.
fn find_header(rows: &[SheetRow]) -> Result<(usize, HashMap<ScoreColumn, u32>), ScoreSheetErrors> {
    let header_of = |cell: &Cell| match cell {
        Cell::Text(text) => ScoreColumn::ALL
            .into_iter()
            .find(|column| column.header() == text),
        _ => None,
    };
    for (position, row) in rows.iter().take(HEADER_SEARCH_ROWS).enumerate() {
        let mut columns = HashMap::new();
        for (index, cell) in &row.cells {
            if let Some(column) = header_of(cell) {
                columns.entry(column).or_insert(*index);
            }
        }
        if ScoreColumn::ALL
            .into_iter()
            .all(|column| !column.required() || columns.contains_key(&column))
        {
            return Ok((position, columns));
        }
    }
    Err(ScoreSheetErrors::NoHeader)
}

/// The cell of `column` in `row`, if the column was found and the cell is not blank.
fn cell<'a>(
    columns: &HashMap<ScoreColumn, u32>,
    row: &'a SheetRow,
    column: ScoreColumn,
) -> Option<&'a Cell> {
    columns.get(&column).and_then(|index| row.cell(*index))
}

fn read_key(cell: Option<&Cell>) -> Result<i64, String> {
    let parsed = match cell {
        Some(Cell::Text(text)) => text.parse::<i64>().ok(),
        Some(Cell::Number(number)) if number.fract() == 0.0 && number.abs() < 1e15 => {
            Some(*number as i64)
        }
        None => return Err("未填写考生号".to_owned()),
        _ => None,
    };
    parsed.ok_or_else(|| "考生号须为成绩单上的数字：请不要改动考生号".to_owned())
}

fn is_absent(cell: Option<&Cell>) -> bool {
    matches!(cell, Some(Cell::Text(text)) if text == ABSENT)
}

fn read_score(cell: Option<&Cell>) -> Result<Score, ScoreError> {
    match cell {
        None => Err(ScoreError::Missing),
        Some(Cell::Text(text)) => Score::parse(text),
        Some(Cell::Number(number)) => Score::from_number(*number),
        Some(_) => Err(ScoreError::NotANumber),
    }
}
