//! The roster import: all or nothing. Every row is checked with the domain's parsers and every
//! problem is reported with its row and column; rows come back only when there is none.

use super::fields::{
    parse_category, parse_employer, parse_graduation_year, parse_name, parse_phone,
    parse_resident_id, parse_subsidy,
};
use super::sheet::{Cell, HEADER_SEARCH_ROWS, SheetRow, read_first_sheet};
use super::{
    FileError, MAX_ROSTER_ROWS, RosterColumn, RosterErrors, RosterRow, RowError, SubsidyChoice,
};
use chrono::NaiveDate;
use std::collections::HashMap;

/// Reads a filled-in roster: the first sheet of an .xlsx, columns found by their headers.
/// `today` bounds birth dates and graduation years. Either every row is valid and all are
/// returned, or nothing is and every problem is listed.
pub fn parse_roster(
    bytes: &[u8],
    subsidy_categories: &[SubsidyChoice],
    today: NaiveDate,
) -> Result<Vec<RosterRow>, RosterErrors> {
    let rows = read_first_sheet(bytes).map_err(RosterErrors::File)?;
    let (header_position, columns) = find_header(&rows)?;
    let data = &rows[header_position + 1..];

    let is_blank = |row: &SheetRow| columns.values().all(|column| row.cell(*column).is_none());
    if data.iter().filter(|row| !is_blank(row)).count() > MAX_ROSTER_ROWS {
        return Err(RosterErrors::File(FileError::TooManyRows {
            limit: MAX_ROSTER_ROWS,
        }));
    }
    let context = RowContext {
        columns: &columns,
        subsidy_categories,
        today,
    };
    let mut parsed = Vec::new();
    let mut errors = Vec::new();
    let mut first_row_of_id = HashMap::new();
    for row in data.iter().filter(|row| !is_blank(row)) {
        match context.parse_row(row, &mut first_row_of_id) {
            Ok(roster_row) => parsed.push(roster_row),
            Err(row_errors) => errors.extend(row_errors),
        }
    }
    if !errors.is_empty() {
        return Err(RosterErrors::Rows(errors));
    }
    if parsed.is_empty() {
        return Err(RosterErrors::File(FileError::NoRows));
    }
    Ok(parsed)
}

/// What every row is checked against.
struct RowContext<'a> {
    columns: &'a HashMap<RosterColumn, u32>,
    subsidy_categories: &'a [SubsidyChoice],
    today: NaiveDate,
}

/// The problems found so far in one row.
struct RowCheck {
    row: u32,
    errors: Vec<RowError>,
}

impl RowContext<'_> {
    /// Checks one row, returning it or every problem in it. `first_row_of_id` remembers where
    /// each ID number first appeared, so a repeat is reported on the later row.
    fn parse_row(
        &self,
        row: &SheetRow,
        first_row_of_id: &mut HashMap<String, u32>,
    ) -> Result<RosterRow, Vec<RowError>> {
        let mut check = RowCheck {
            row: row.index + 1,
            errors: Vec::new(),
        };
        let cell =
            |column: RosterColumn| self.columns.get(&column).and_then(|index| row.cell(*index));
        use RosterColumn as C;

        let name = check.field(C::Name, parse_name(cell(C::Name)));
        let resident_id = check
            .field(
                C::ResidentId,
                parse_resident_id(cell(C::ResidentId), self.today),
            )
            .and_then(|id| {
                let first = *first_row_of_id
                    .entry(id.expose().to_owned())
                    .or_insert(check.row);
                let repeated = (first != check.row).then(|| {
                    format!(
                        "与第 {first} 行的公民身份号码重复：同一学员只能填写一行，请删除重复的行"
                    )
                });
                check.field(C::ResidentId, repeated.map_or(Ok(id), Err))
            });
        let phone = check.field(C::Phone, parse_phone(cell(C::Phone)));
        let category = check.field(C::Category, parse_category(cell(C::Category)));
        let employer_or_school = check.field(
            C::EmployerOrSchool,
            parse_employer(cell(C::EmployerOrSchool), category),
        );
        let graduation_year = check.field(
            C::GraduationYear,
            parse_graduation_year(cell(C::GraduationYear), category, self.today),
        );
        let subsidy_category = check.field(
            C::SubsidyCategory,
            parse_subsidy(cell(C::SubsidyCategory), self.subsidy_categories),
        );
        if !check.errors.is_empty() {
            return Err(check.errors);
        }
        match (
            name,
            resident_id,
            phone,
            category,
            employer_or_school,
            graduation_year,
            subsidy_category,
        ) {
            (
                Some(name),
                Some(resident_id),
                Some(phone),
                Some(category),
                Some(employer_or_school),
                Some(graduation_year),
                Some(subsidy_category),
            ) => Ok(RosterRow {
                row: check.row,
                name,
                resident_id,
                phone,
                category,
                employer_or_school,
                graduation_year,
                subsidy_category,
            }),
            // Unreachable: a missing field always recorded an error above.
            _ => Err(check.errors),
        }
    }
}

impl RowCheck {
    /// Keeps a field's value, or records why it is wrong.
    fn field<T>(&mut self, column: RosterColumn, result: Result<T, String>) -> Option<T> {
        result
            .map_err(|message| {
                self.errors.push(RowError {
                    row: self.row,
                    column: column.header().to_owned(),
                    message,
                });
            })
            .ok()
    }
}

/// Finds the header row among the first rows and the column of each known header.
fn find_header(rows: &[SheetRow]) -> Result<(usize, HashMap<RosterColumn, u32>), RosterErrors> {
    if rows.is_empty() {
        return Err(RosterErrors::File(FileError::NoRows));
    }
    let position = rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .position(|row| {
            row.cells
                .iter()
                .filter(|(_, cell)| header_column(cell).is_some())
                .count()
                >= 2
        })
        .ok_or(RosterErrors::File(FileError::NoHeader {
            searched: HEADER_SEARCH_ROWS,
        }))?;
    let header = &rows[position];
    let header_row = header.index + 1;
    let mut columns = HashMap::new();
    let mut errors = Vec::new();
    for (index, cell) in &header.cells {
        let Some(column) = header_column(cell) else {
            continue;
        };
        if let Some(first) = columns.insert(column, *index) {
            errors.push(RowError {
                row: header_row,
                column: column.header().to_owned(),
                message: format!(
                    "表头中有两列都是“{}”（第 {} 列和第 {} 列）：请删除多余的一列",
                    column.header(),
                    column_letters(first),
                    column_letters(*index)
                ),
            });
            columns.insert(column, first);
        }
    }
    for column in RosterColumn::ALL {
        if column.required() && !columns.contains_key(&column) {
            errors.push(RowError {
                row: header_row,
                column: column.header().to_owned(),
                message: format!(
                    "缺少“{}”列：请在表头行添加这一列（列名须与模板一致），或重新下载模板填写",
                    column.header()
                ),
            });
        }
    }
    if errors.is_empty() {
        Ok((position, columns))
    } else {
        Err(RosterErrors::Rows(errors))
    }
}

/// The roster column a header cell names, tolerating spaces and a required-field star.
fn header_column(cell: &Cell) -> Option<RosterColumn> {
    let Cell::Text(text) = cell else {
        return None;
    };
    let compact: String = text
        .chars()
        .filter(|character| !character.is_whitespace())
        .collect();
    let compact = compact
        .trim_start_matches(['*', '＊'])
        .trim_end_matches(['*', '＊']);
    RosterColumn::ALL
        .into_iter()
        .find(|column| column.header() == compact || column.aliases().contains(&compact))
}

/// Spreadsheet column letters for a 0-based index: 0 → A, 27 → AB.
fn column_letters(index: u32) -> String {
    let mut letters = Vec::new();
    let mut remaining = index + 1;
    while remaining > 0 {
        let digit = (remaining - 1) % 26;
        letters.push(char::from(b'A' + digit as u8));
        remaining = (remaining - 1) / 26;
    }
    letters.iter().rev().collect()
}
