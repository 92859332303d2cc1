//! A workbook of one table (issue 13 item 6): the public notice (公示), a claim's 补贴申请表 and
//! 培训台账, and the report of payments and clawbacks. The caller decides every word and figure
//! (money already written in 元 from integer fen); this module only lays them out: the title,
//! labelled fields, paragraphs, the header and rows (frozen under the header), the totals and
//! notes, every cell as text so that masked ID numbers and amounts stay exactly as given.

use crate::DocumentError;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};

/// One sheet of one table.
#[derive(Debug, Clone, PartialEq)]
pub struct TableSheet {
    /// The worksheet's name (at most 31 characters, none of `[]:*?/\`).
    pub sheet_name: String,
    pub title: String,
    /// Labelled values above the table, one to a row.
    pub fields: Vec<(String, String)>,
    pub paragraphs: Vec<String>,
    /// The columns' headers and widths (in characters).
    pub columns: Vec<(String, f64)>,
    /// The rows, each with one cell per column.
    pub rows: Vec<Vec<String>>,
    /// Labelled totals under the table.
    pub totals: Vec<(String, String)>,
    pub notes: Vec<String>,
}

/// Writes the sheet as an .xlsx workbook.
pub fn table_workbook(sheet: &TableSheet) -> Result<Vec<u8>, DocumentError> {
    let mut workbook = Workbook::new();
    let title_format = Format::new()
        .set_bold()
        .set_font_size(14)
        .set_align(FormatAlign::Center);
    let header = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_background_color("#DDEBF7")
        .set_align(FormatAlign::Center)
        .set_text_wrap();
    let cell = Format::new().set_border(FormatBorder::Thin).set_text_wrap();
    let label = Format::new().set_bold();
    let wrapped = Format::new().set_text_wrap();
    let last = u16::try_from(sheet.columns.len().max(3) - 1).unwrap_or(u16::MAX);

    let worksheet = workbook.add_worksheet().set_name(&sheet.sheet_name)?;
    worksheet.merge_range(0, 0, 0, last, &sheet.title, &title_format)?;
    let mut row = 1u32;
    for (name, value) in &sheet.fields {
        worksheet.write_string_with_format(row, 0, name, &label)?;
        worksheet.merge_range(row, 1, row, last, value, &Format::new())?;
        row += 1;
    }
    for paragraph in &sheet.paragraphs {
        worksheet.merge_range(row, 0, row, last, paragraph, &wrapped)?;
        worksheet.set_row_height(row, 45)?;
        row += 1;
    }
    row += 1;
    let header_row = row;
    for (index, (name, width)) in sheet.columns.iter().enumerate() {
        let column = u16::try_from(index).unwrap_or(u16::MAX);
        worksheet.write_string_with_format(row, column, name, &header)?;
        worksheet.set_column_width(column, *width)?;
    }
    row += 1;
    for line in &sheet.rows {
        for (index, value) in line.iter().enumerate() {
            let column = u16::try_from(index).unwrap_or(u16::MAX);
            worksheet.write_string_with_format(row, column, value, &cell)?;
        }
        row += 1;
    }
    row += 1;
    for (name, value) in &sheet.totals {
        worksheet.write_string_with_format(row, 0, name, &label)?;
        worksheet.merge_range(row, 1, row, last, value, &Format::new())?;
        row += 1;
    }
    for note in &sheet.notes {
        worksheet.merge_range(row, 0, row, last, note, &wrapped)?;
        row += 1;
    }
    worksheet.set_freeze_panes(header_row + 1, 0)?;
    Ok(workbook.save_to_buffer()?)
}
