//! The blank roster template: a 花名册 sheet with the layout's headers, text-formatted number
//! columns and drop-down lists, and a protected 填写说明 sheet that explains every column and
//! holds the list of subsidised categories the drop-down offers.

use super::{MAX_ROSTER_ROWS, RosterColumn, SubsidyChoice};
use crate::DocumentError;
use dte_domain::TraineeCategory;
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, Format, FormatAlign,
    FormatBorder, Formula, Workbook, Worksheet,
};

/// The name of the sheet trainees are entered on.
pub(super) const ROSTER_SHEET: &str = "花名册";

/// The name of the instructions sheet.
const INSTRUCTIONS_SHEET: &str = "填写说明";

/// The choice meaning "not in a subsidised category".
pub(super) const NO_SUBSIDY: &str = "无";

/// Writes the template for the given subsidised categories (names in the drop-down, codes
/// explained on 填写说明).
pub fn roster_template(subsidy_categories: &[SubsidyChoice]) -> Result<Vec<u8>, DocumentError> {
    let mut workbook = Workbook::new();
    let header = header_format();
    let text = Format::new().set_num_format_index(49);

    let sheet = workbook.add_worksheet().set_name(ROSTER_SHEET)?;
    for (index, column) in RosterColumn::ALL.into_iter().enumerate() {
        let index = index as u16;
        sheet.write_string_with_format(0, index, column.header(), &header)?;
        sheet.set_column_width(index, column.width())?;
        if matches!(column, RosterColumn::ResidentId | RosterColumn::Phone) {
            sheet.set_column_format(index, &text)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    let subsidy_list = write_instructions(workbook.add_worksheet(), subsidy_categories)?;
    add_validations(workbook.worksheet_from_name(ROSTER_SHEET)?, &subsidy_list)?;
    Ok(workbook.save_to_buffer()?)
}

/// The header cells' look, shared with the export.
pub(super) fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_background_color("#EEF2F6")
}

/// The position of a column in template order.
pub(super) fn column_index(column: RosterColumn) -> u16 {
    RosterColumn::ALL
        .iter()
        .position(|candidate| *candidate == column)
        .unwrap_or(0) as u16
}

/// Adds the drop-downs and checks to the data rows of the roster sheet.
fn add_validations(sheet: &mut Worksheet, subsidy_list: &Formula) -> Result<(), DocumentError> {
    let last_row = MAX_ROSTER_ROWS as u32;
    let labels: Vec<&str> = TraineeCategory::ALL
        .into_iter()
        .map(TraineeCategory::label)
        .collect();
    let category = DataValidation::new()
        .allow_list_strings(&labels)?
        .set_input_title("学员类别")?
        .set_input_message("从下拉列表选择：在岗、拟从事、全日制高校毕业学年学生")?
        .set_error_title("学员类别")?
        .set_error_message("请从下拉列表中选择学员类别")?;
    let subsidy = DataValidation::new()
        .allow_list_formula(subsidy_list.clone())
        .set_input_title("补贴人员类别")?
        .set_input_message("从下拉列表选择；不属于补贴人员类别的选“无”或留空")?
        .set_error_title("补贴人员类别")?
        .set_error_message("请从下拉列表中选择补贴人员类别，或选“无”")?;
    let resident_id = DataValidation::new()
        .allow_text_length(DataValidationRule::EqualTo(18))
        .set_input_title("公民身份号码")?
        .set_input_message("18 位，末位可为 X；本列为文本格式，请勿改为数字")?
        .set_error_title("公民身份号码")?
        .set_error_message("公民身份号码应为 18 位")?;
    let year = DataValidation::new()
        .allow_whole_number(DataValidationRule::Between(1950, 2100))
        .set_input_title("毕业年份")?
        .set_input_message("全日制高校毕业学年学生必填，如 2027")?
        .set_error_title("毕业年份")?
        .set_error_message("请填写四位数的年份，如 2027")?
        .set_error_style(DataValidationErrorStyle::Stop);
    for (column, validation) in [
        (RosterColumn::Category, &category),
        (RosterColumn::SubsidyCategory, &subsidy),
        (RosterColumn::ResidentId, &resident_id),
        (RosterColumn::GraduationYear, &year),
    ] {
        let index = column_index(column);
        sheet.add_data_validation(1, index, last_row, index, validation)?;
    }
    Ok(())
}

/// Writes 填写说明 and returns the range of subsidised-category names (with 无) for the
/// drop-down. The sheet is protected so the list cannot be edited by accident.
fn write_instructions(
    sheet: &mut Worksheet,
    subsidy_categories: &[SubsidyChoice],
) -> Result<Formula, DocumentError> {
    sheet.set_name(INSTRUCTIONS_SHEET)?;
    let title = Format::new().set_bold().set_font_size(14);
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let header = header_format();
    let cell = Format::new().set_border(FormatBorder::Thin);

    sheet.write_string_with_format(0, 0, "数字技术工程师培育项目 学员花名册填写说明", &title)?;
    let general = [
        "1. 在“花名册”工作表中每位学员填写一行，从第 2 行开始；请勿修改第 1 行的列名（列的顺序可以调整）。",
        "2. 导入时整表检查：只要有一处不符合要求，整个文件都不会导入；系统会列出每一处问题（第几行、哪一列、原因），改正后重新上传即可。",
        &format!(
            "3. 一个文件最多 {MAX_ROSTER_ROWS} 名学员；同一公民身份号码在一个文件中只能出现一次。"
        ),
        "4. 请保存为 Excel 工作簿（.xlsx）格式后上传。",
    ];
    let mut row = 2;
    for line in general {
        sheet.merge_range(row, 0, row, 2, line, &wrap)?;
        sheet.set_row_height(row, 32)?;
        row += 1;
    }
    row += 1;
    sheet.write_string_with_format(row, 0, "列名", &header)?;
    sheet.merge_range(row, 1, row, 2, "填写要求", &header)?;
    row += 1;
    for column in RosterColumn::ALL {
        sheet.write_string_with_format(row, 0, column.header(), &cell)?;
        let format = Format::new().set_text_wrap().set_border(FormatBorder::Thin);
        sheet.merge_range(row, 1, row, 2, column.instruction(), &format)?;
        sheet.set_row_height(row, 48)?;
        row += 1;
    }
    row += 1;
    sheet.write_string_with_format(row, 0, "补贴人员类别可选值", &bold)?;
    row += 1;
    sheet.write_string_with_format(row, 0, "代码", &header)?;
    sheet.write_string_with_format(row, 1, "名称（下拉列表中显示）", &header)?;
    row += 1;
    let first_choice = row;
    for choice in subsidy_categories {
        sheet.write_string_with_format(row, 0, &choice.code, &cell)?;
        sheet.write_string_with_format(row, 1, &choice.name, &cell)?;
        row += 1;
    }
    sheet.write_string_with_format(row, 0, "", &cell)?;
    sheet.write_string_with_format(row, 1, NO_SUBSIDY, &cell)?;
    let last_choice = row;
    sheet.set_column_width(0, 16)?;
    sheet.set_column_width(1, 40)?;
    sheet.set_column_width(2, 60)?;
    sheet.protect();

    Ok(Formula::new(format!(
        "='{INSTRUCTIONS_SHEET}'!$B${}:$B${}",
        first_choice + 1,
        last_choice + 1
    )))
}
