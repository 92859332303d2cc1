//! The catalogs as one .xlsx workbook: 职业目录, 机构目录 and 地区名额 sheets, laid out like the
//! plan's annexes so officials can work with them in a spreadsheet.

use crate::DocumentError;
use dte_domain::Fen;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet};

/// One occupation row: name, code, and (hours, rate, subsidy) per level, lowest first.
#[derive(Debug, Clone)]
pub struct OccupationLine {
    pub name: String,
    pub code: String,
    pub levels: [(u32, Fen, Fen); 3],
}

/// One institution row.
#[derive(Debug, Clone)]
pub struct InstitutionLine {
    pub name: String,
    pub kind: String,
    pub contact_person: String,
    pub contact_phone: String,
    pub occupations: String,
}

/// One region row.
#[derive(Debug, Clone)]
pub struct RegionLine {
    pub name: String,
    pub quota: u32,
}

/// Writes the catalog workbook for a year.
pub fn catalog_workbook(
    year: i32,
    occupations: &[OccupationLine],
    institutions: &[InstitutionLine],
    regions: &[RegionLine],
) -> Result<Vec<u8>, DocumentError> {
    let mut workbook = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_background_color("#EEF2F6");
    let cell = Format::new().set_border(FormatBorder::Thin);
    let money = Format::new()
        .set_border(FormatBorder::Thin)
        .set_num_format("#,##0.00");

    let sheet = workbook.add_worksheet().set_name("职业目录")?;
    sheet.write_string(
        0,
        0,
        format!("数字技术工程师培育项目培训补贴参考标准（{year} 年，附件5）"),
    )?;
    let titles = ["职业（工种）名称", "职业代码"];
    write_row(sheet, 1, &titles, &header)?;
    for (index, level) in ["初级", "中级", "高级"].iter().enumerate() {
        let column = 2 + index as u16 * 3;
        sheet.write_string_with_format(1, column, format!("{level}学时要求"), &header)?;
        sheet.write_string_with_format(
            1,
            column + 1,
            format!("{level}补贴标准（元/学时）"),
            &header,
        )?;
        sheet.write_string_with_format(1, column + 2, format!("{level}每人补贴（元）"), &header)?;
    }
    for (offset, occupation) in occupations.iter().enumerate() {
        let row = 2 + offset as u32;
        sheet.write_string_with_format(row, 0, &occupation.name, &cell)?;
        sheet.write_string_with_format(row, 1, &occupation.code, &cell)?;
        for (index, (hours, rate, subsidy)) in occupation.levels.iter().enumerate() {
            let column = 2 + index as u16 * 3;
            sheet.write_number_with_format(row, column, f64::from(*hours), &cell)?;
            sheet.write_number_with_format(row, column + 1, yuan(*rate), &money)?;
            sheet.write_number_with_format(row, column + 2, yuan(*subsidy), &money)?;
        }
    }
    sheet.set_column_width(0, 24)?;
    sheet.set_column_width(1, 12)?;

    let sheet = workbook.add_worksheet().set_name("机构目录")?;
    write_row(
        sheet,
        0,
        &["机构名称", "类别", "联系人", "联系电话", "职业"],
        &header,
    )?;
    for (offset, institution) in institutions.iter().enumerate() {
        let row = 1 + offset as u32;
        let values = [
            &institution.name,
            &institution.kind,
            &institution.contact_person,
            &institution.contact_phone,
            &institution.occupations,
        ];
        for (column, value) in values.iter().enumerate() {
            sheet.write_string_with_format(row, column as u16, value.as_str(), &cell)?;
        }
    }
    sheet.set_column_width(0, 30)?;
    sheet.set_column_width(4, 60)?;

    let sheet = workbook.add_worksheet().set_name("地区名额")?;
    write_row(sheet, 0, &["地区", "数字技术工程师培育人数（人）"], &header)?;
    for (offset, region) in regions.iter().enumerate() {
        let row = 1 + offset as u32;
        sheet.write_string_with_format(row, 0, &region.name, &cell)?;
        sheet.write_number_with_format(row, 1, f64::from(region.quota), &cell)?;
    }
    let total_row = 1 + regions.len() as u32;
    sheet.write_string_with_format(total_row, 0, "合计", &header)?;
    let total: u32 = regions.iter().map(|region| region.quota).sum();
    sheet.write_number_with_format(total_row, 1, f64::from(total), &header)?;
    sheet.set_column_width(1, 28)?;

    Ok(workbook.save_to_buffer()?)
}

fn write_row(
    sheet: &mut Worksheet,
    row: u32,
    titles: &[&str],
    format: &Format,
) -> Result<(), DocumentError> {
    for (column, title) in titles.iter().enumerate() {
        sheet.write_string_with_format(row, column as u16, *title, format)?;
    }
    Ok(())
}

/// Fen as a number of yuan for a spreadsheet cell. Exact for every amount below 2^53 fen.
fn yuan(amount: Fen) -> f64 {
    amount.get() as f64 / 100.0
}
