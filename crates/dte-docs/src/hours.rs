//! A trainee's continuing-education hours (继续教育学时, issue 6 item 6) as an .xlsx: one sheet
//! with each completed training under its year and the year's total, and a summary sheet of
//! hours per year. The hours are decided by `dte_domain::evaluation::continuing_education_hours`;
//! this module only lays them out.

use crate::DocumentError;
use chrono::NaiveDate;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};

/// Whose record it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoursHolder {
    pub name: String,
    /// Masked: the record is a summary, not an identity document.
    pub id_number_masked: String,
}

/// One year of the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoursYear {
    pub year: i32,
    pub hours: u32,
    pub trainings: Vec<HoursTraining>,
}

/// One completed training.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoursTraining {
    pub class_title: String,
    pub institution: String,
    pub occupation: String,
    pub level: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub completed_on: NaiveDate,
    pub hours: u32,
}

const HEADERS: [&str; 8] = [
    "年度",
    "班期",
    "培训机构",
    "职业",
    "等级",
    "培训日期",
    "结业日期",
    "学时",
];

/// Writes the record: the holder on the first row, headers on the second, then each year's
/// trainings followed by its total.
pub fn hours_workbook(holder: &HoursHolder, years: &[HoursYear]) -> Result<Vec<u8>, DocumentError> {
    let mut workbook = Workbook::new();
    let title_format = Format::new()
        .set_bold()
        .set_font_size(14)
        .set_align(FormatAlign::Center);
    let header = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_background_color("#DDEBF7")
        .set_align(FormatAlign::Center);
    let cell = Format::new().set_border(FormatBorder::Thin);
    let total = Format::new().set_bold().set_border(FormatBorder::Thin);

    let sheet = workbook.add_worksheet().set_name("继续教育学时")?;
    let title = format!(
        "继续教育学时记录：{}（{}）",
        holder.name, holder.id_number_masked
    );
    sheet.merge_range(0, 0, 0, (HEADERS.len() - 1) as u16, &title, &title_format)?;
    for (index, name) in HEADERS.iter().enumerate() {
        sheet.write_string_with_format(1, index as u16, *name, &header)?;
    }
    let mut row = 2u32;
    for year in years {
        for training in &year.trainings {
            sheet.write_number_with_format(row, 0, f64::from(year.year), &cell)?;
            sheet.write_string_with_format(row, 1, &training.class_title, &cell)?;
            sheet.write_string_with_format(row, 2, &training.institution, &cell)?;
            sheet.write_string_with_format(row, 3, &training.occupation, &cell)?;
            sheet.write_string_with_format(row, 4, &training.level, &cell)?;
            let dates = format!("{} 至 {}", training.start_date, training.end_date);
            sheet.write_string_with_format(row, 5, dates, &cell)?;
            sheet.write_string_with_format(row, 6, training.completed_on.to_string(), &cell)?;
            sheet.write_number_with_format(row, 7, f64::from(training.hours), &cell)?;
            row += 1;
        }
        sheet.merge_range(row, 0, row, 6, &format!("{} 年度合计", year.year), &total)?;
        sheet.write_number_with_format(row, 7, f64::from(year.hours), &total)?;
        row += 1;
    }
    for (index, width) in [8.0, 28.0, 26.0, 24.0, 8.0, 26.0, 12.0, 8.0]
        .into_iter()
        .enumerate()
    {
        sheet.set_column_width(index as u16, width)?;
    }
    sheet.set_freeze_panes(2, 0)?;

    let summary = workbook.add_worksheet().set_name("年度汇总")?;
    summary.write_string_with_format(0, 0, "年度", &header)?;
    summary.write_string_with_format(0, 1, "继续教育学时", &header)?;
    for (offset, year) in years.iter().enumerate() {
        let line = 1 + offset as u32;
        summary.write_number_with_format(line, 0, f64::from(year.year), &cell)?;
        summary.write_number_with_format(line, 1, f64::from(year.hours), &cell)?;
    }
    summary.set_column_width(1, 14)?;
    Ok(workbook.save_to_buffer()?)
}
