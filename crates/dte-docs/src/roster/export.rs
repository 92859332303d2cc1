//! A class roster exported as .xlsx or CSV. The layout's columns come first, in template order
//! and under the template's headers, so an export with full values imports again; 序号,
//! 是否享受补贴 and 状态 are extra columns the import ignores.

use super::template::{NO_SUBSIDY, header_format};
use super::{RosterColumn, RosterExportRow};
use crate::DocumentError;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};

/// The column before the layout's columns.
const SEQUENCE_HEADER: &str = "序号";

/// The columns after the layout's columns.
const TRAILING_HEADERS: [&str; 2] = ["是否享受补贴", "状态"];

/// The UTF-8 byte order mark, without which Excel reads a CSV file as the local code page.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Writes a class roster as a workbook: the title on the first row, headers on the second.
pub fn roster_workbook(title: &str, rows: &[RosterExportRow]) -> Result<Vec<u8>, DocumentError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name("花名册")?;
    let headers = headers();
    let last_column = (headers.len() - 1) as u16;
    let title_format = Format::new()
        .set_bold()
        .set_font_size(14)
        .set_align(FormatAlign::Center);
    let header = header_format();
    let cell = Format::new().set_border(FormatBorder::Thin);
    let text = Format::new()
        .set_border(FormatBorder::Thin)
        .set_num_format_index(49);

    sheet.merge_range(0, 0, 0, last_column, title, &title_format)?;
    for (index, name) in headers.iter().enumerate() {
        sheet.write_string_with_format(1, index as u16, *name, &header)?;
    }
    for (offset, row) in rows.iter().enumerate() {
        let line = 2 + offset as u32;
        sheet.write_number_with_format(line, 0, (offset + 1) as f64, &cell)?;
        for (index, value) in values(row).into_iter().enumerate() {
            let column = 1 + index as u16;
            match value {
                Value::Text(value) => sheet.write_string_with_format(line, column, value, &text)?,
                Value::Number(value) => {
                    sheet.write_number_with_format(line, column, f64::from(value), &cell)?
                }
                Value::Blank => sheet.write_blank(line, column, &cell)?,
            };
        }
    }
    sheet.set_column_width(0, 6)?;
    for (index, column) in RosterColumn::ALL.into_iter().enumerate() {
        sheet.set_column_width(1 + index as u16, column.width())?;
    }
    sheet.set_column_width(last_column - 1, 12)?;
    sheet.set_column_width(last_column, 12)?;
    sheet.set_freeze_panes(2, 0)?;
    sheet.autofilter(1, 0, 1 + rows.len() as u32, last_column)?;
    Ok(workbook.save_to_buffer()?)
}

/// Writes a class roster as CSV: UTF-8 with a byte order mark so Excel shows the Chinese,
/// CRLF line ends, quoting per RFC 4180. An all-digit ID number gets a leading tab so Excel
/// keeps it as text instead of rounding it to 15 digits (the import trims it); free text
/// starting with `=`, `+`, `-` or `@` gets a leading `'` so Excel never runs it as a formula.
pub fn roster_csv(rows: &[RosterExportRow]) -> Vec<u8> {
    let mut out = String::new();
    push_line(&mut out, headers().iter().map(|header| csv_field(header)));
    for (offset, row) in rows.iter().enumerate() {
        let sequence = (offset + 1).to_string();
        let fields = values(row)
            .into_iter()
            .enumerate()
            .map(|(index, value)| match value {
                Value::Text(text) if index == id_position() && is_all_digits(&text) => {
                    csv_field(&format!("\t{text}"))
                }
                Value::Text(text) => csv_field(&neutralize(&text)),
                Value::Number(number) => number.to_string(),
                Value::Blank => String::new(),
            });
        push_line(&mut out, std::iter::once(sequence).chain(fields));
    }
    let mut bytes = UTF8_BOM.to_vec();
    bytes.extend_from_slice(out.as_bytes());
    bytes
}

/// One exported cell.
enum Value {
    Text(String),
    Number(i32),
    Blank,
}

/// Every header of an export, in order.
fn headers() -> Vec<&'static str> {
    std::iter::once(SEQUENCE_HEADER)
        .chain(RosterColumn::ALL.into_iter().map(RosterColumn::header))
        .chain(TRAILING_HEADERS)
        .collect()
}

/// A row's values after 序号: the layout's columns in order, then the trailing ones.
fn values(row: &RosterExportRow) -> Vec<Value> {
    let mut values: Vec<Value> = RosterColumn::ALL
        .into_iter()
        .map(|column| match column {
            RosterColumn::Name => Value::Text(row.name.clone()),
            RosterColumn::ResidentId => Value::Text(row.id_number.clone()),
            RosterColumn::Phone => Value::Text(row.phone.clone()),
            RosterColumn::Category => Value::Text(row.category.label().to_owned()),
            RosterColumn::EmployerOrSchool if row.employer_or_school.is_empty() => Value::Blank,
            RosterColumn::EmployerOrSchool => Value::Text(row.employer_or_school.clone()),
            RosterColumn::GraduationYear => row.graduation_year.map_or(Value::Blank, Value::Number),
            RosterColumn::SubsidyCategory => Value::Text(
                row.subsidy_category_name
                    .clone()
                    .unwrap_or_else(|| NO_SUBSIDY.to_owned()),
            ),
        })
        .collect();
    values.push(Value::Text(
        if row.subsidised { "是" } else { "否" }.to_owned(),
    ));
    values.push(Value::Text(row.status.clone()));
    values
}

/// The index of the ID number among a row's values.
fn id_position() -> usize {
    RosterColumn::ALL
        .iter()
        .position(|column| *column == RosterColumn::ResidentId)
        .unwrap_or(usize::MAX)
}

fn is_all_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit())
}

/// Text that a spreadsheet would take for a formula, made inert.
fn neutralize(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// A CSV field, quoted when it holds a separator, a quote, a line break or edge spaces.
fn csv_field(text: &str) -> String {
    let needs_quotes =
        text.contains([',', '"', '\r', '\n', '\t']) || text.starts_with(' ') || text.ends_with(' ');
    if needs_quotes {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

fn push_line(out: &mut String, fields: impl Iterator<Item = String>) {
    let fields: Vec<String> = fields.collect();
    out.push_str(&fields.join(","));
    out.push_str("\r\n");
}
