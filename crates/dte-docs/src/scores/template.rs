//! The score sheet's .xlsx: the plan's title, the headers, one row per candidate with 考生号,
//! 姓名 and the masked 证件号码 locked, and the two score columns open, validated as decimals
//! from 0 to 100 (Excel's own check; the import checks again).

use super::{ABSENT, ScoreColumn, SheetCandidate, SheetResult};
use crate::DocumentError;
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, Format, FormatAlign, FormatBorder, Workbook,
};

/// Writes the score sheet of an exam plan: `title` on the first row (e.g. the plan's class and
/// exam date), headers on the second, a row per candidate from the third.
pub fn score_sheet_template(
    title: &str,
    candidates: &[SheetCandidate],
) -> Result<Vec<u8>, DocumentError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name("成绩单")?;
    let last_column = (ScoreColumn::ALL.len() - 1) as u16;
    let title_format = Format::new()
        .set_bold()
        .set_font_size(14)
        .set_align(FormatAlign::Center);
    let header = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_background_color("#DDEBF7")
        .set_align(FormatAlign::Center);
    let locked = Format::new()
        .set_border(FormatBorder::Thin)
        .set_num_format_index(49);
    let open = Format::new().set_border(FormatBorder::Thin).set_unlocked();

    sheet.merge_range(0, 0, 0, last_column, title, &title_format)?;
    for (index, column) in ScoreColumn::ALL.into_iter().enumerate() {
        sheet.write_string_with_format(1, index as u16, column.header(), &header)?;
    }
    for (offset, candidate) in candidates.iter().enumerate() {
        let row = 2 + offset as u32;
        sheet.write_string_with_format(row, 0, candidate.key.to_string(), &locked)?;
        sheet.write_string_with_format(row, 1, &candidate.name, &locked)?;
        sheet.write_string_with_format(row, 2, &candidate.id_number_masked, &locked)?;
        match candidate.scores {
            Some(SheetResult::Sat { theory, ability }) => {
                sheet.write_number_with_format(row, 3, tenths(theory.tenths()), &open)?;
                sheet.write_number_with_format(row, 4, tenths(ability.tenths()), &open)?;
            }
            Some(SheetResult::Absent) => {
                sheet.write_string_with_format(row, 3, ABSENT, &open)?;
                sheet.write_string_with_format(row, 4, ABSENT, &open)?;
            }
            None => {
                sheet.write_blank(row, 3, &open)?;
                sheet.write_blank(row, 4, &open)?;
            }
        }
    }
    if !candidates.is_empty() {
        let last_row = 1 + candidates.len() as u32;
        let validation = DataValidation::new()
            .allow_any_value()
            .set_input_title("成绩")?
            .set_input_message("0 到 100，最多一位小数；缺考填“缺考”")?
            .set_error_style(DataValidationErrorStyle::Warning);
        sheet.add_data_validation(2, 3, last_row, 4, &validation)?;
    }
    for (index, width) in [10.0, 12.0, 22.0, 14.0, 14.0].into_iter().enumerate() {
        sheet.set_column_width(index as u16, width)?;
    }
    sheet.set_freeze_panes(2, 0)?;
    sheet.protect();
    Ok(workbook.save_to_buffer()?)
}

fn tenths(value: u16) -> f64 {
    f64::from(value) / 10.0
}
