//! Each roster field checked on its own, with the domain's parsers where there is one. Every
//! message says what is wrong and how to fix it, and none repeats a full ID number.

use super::SubsidyChoice;
use super::sheet::Cell;
use super::template::NO_SUBSIDY;
use chrono::{Datelike, NaiveDate};
use dte_domain::{IdError, Phone, ResidentId, TraineeCategory};

/// The longest name accepted, in characters.
const MAX_NAME_CHARS: usize = 50;

/// The longest employer or school accepted, in characters.
const MAX_EMPLOYER_CHARS: usize = 100;

/// The earliest graduation year accepted.
const EARLIEST_GRADUATION_YEAR: i32 = 1950;

/// How many years after this one a graduation year may lie (a first-year student's).
const LATEST_GRADUATION_YEARS_AHEAD: i32 = 6;

/// A cell as plain text; numbers print without a trailing `.0`.
fn plain_text(cell: Option<&Cell>) -> Result<Option<String>, String> {
    match cell {
        None => Ok(None),
        Some(Cell::Text(text)) => Ok(Some(text.clone())),
        Some(Cell::Number(number)) => Ok(Some(format_number(*number))),
        Some(Cell::Bool(value)) => Ok(Some(if *value { "TRUE" } else { "FALSE" }.to_owned())),
        Some(Cell::Date) => Err("单元格是日期格式：请把单元格格式改为“文本”后重新填写".to_owned()),
        Some(Cell::Error(error)) => {
            Err(format!("单元格内容是公式错误 {error}：请改为直接填写内容"))
        }
    }
}

/// A number as people write it: integers without decimals.
fn format_number(number: f64) -> String {
    if number.fract() == 0.0 && number.abs() < 1e15 {
        format!("{number:.0}")
    } else {
        number.to_string()
    }
}

/// Full-width digits and letters (from a Chinese input method) as ASCII; spaces removed.
fn ascii_compact(text: &str) -> String {
    text.chars()
        .filter(|character| !character.is_whitespace())
        .map(|character| match character {
            '\u{FF01}'..='\u{FF5E}' => {
                char::from_u32(character as u32 - 0xFEE0).unwrap_or(character)
            }
            other => other,
        })
        .collect()
}

pub(super) fn parse_name(cell: Option<&Cell>) -> Result<String, String> {
    let name = plain_text(cell)?.ok_or("请填写姓名")?;
    if name.chars().any(|character| character.is_ascii_digit()) {
        return Err("姓名中不应有数字：请检查是否与其他列错位".to_owned());
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(format!(
            "姓名过长（超过 {MAX_NAME_CHARS} 个字）：请与身份证核对"
        ));
    }
    Ok(name)
}

pub(super) fn parse_resident_id(
    cell: Option<&Cell>,
    today: NaiveDate,
) -> Result<ResidentId, String> {
    let text = match cell {
        None => return Err(IdError::Empty.to_string()),
        Some(Cell::Number(number)) if number.abs() >= 1e15 => {
            return Err("公民身份号码被存成了数字，末尾几位已丢失（Excel 数字只保留 15 位有效数字）：请将该列设为文本格式后重新填写".to_owned());
        }
        Some(Cell::Number(number)) if number.fract() != 0.0 => {
            return Err("公民身份号码被存成了数字：请将该列设为文本格式后重新填写".to_owned());
        }
        other => plain_text(other)?.unwrap_or_default(),
    };
    ResidentId::parse(&ascii_compact(&text), today)
        .map_err(|error| format!("{error}：请与身份证核对后改正"))
}

pub(super) fn parse_phone(cell: Option<&Cell>) -> Result<Phone, String> {
    let text = plain_text(cell)?.unwrap_or_default();
    Phone::parse(&ascii_compact(&text))
        .map_err(|error| format!("{error}：请填写本人的 11 位手机号码"))
}

pub(super) fn parse_category(cell: Option<&Cell>) -> Result<TraineeCategory, String> {
    let choices = || {
        TraineeCategory::ALL
            .into_iter()
            .map(TraineeCategory::label)
            .collect::<Vec<_>>()
            .join("、")
    };
    let text = plain_text(cell)?.ok_or_else(|| format!("请填写学员类别：{}", choices()))?;
    TraineeCategory::parse(&text)
        .ok_or_else(|| format!("学员类别只能是 {} 之一：请从下拉列表中选择", choices()))
}

pub(super) fn parse_employer(
    cell: Option<&Cell>,
    category: Option<TraineeCategory>,
) -> Result<String, String> {
    let text = plain_text(cell)?.unwrap_or_default();
    if text.chars().count() > MAX_EMPLOYER_CHARS {
        return Err(format!(
            "内容过长（超过 {MAX_EMPLOYER_CHARS} 个字）：请填写单位或学校的全称即可"
        ));
    }
    if text.is_empty() {
        match category {
            Some(TraineeCategory::InPost) => return Err("在岗学员请填写工作单位".to_owned()),
            Some(TraineeCategory::GraduatingStudent) => {
                return Err("全日制高校毕业学年学生请填写就读学校".to_owned());
            }
            _ => {}
        }
    }
    Ok(text)
}

/// A four-digit year between 1950 and a few years ahead; required for graduating students.
/// Whether the class falls in a student's graduating academic year (毕业学年) is the
/// enrolment rule's to decide (`dte_domain::eligibility`), not the file's.
pub(super) fn parse_graduation_year(
    cell: Option<&Cell>,
    category: Option<TraineeCategory>,
    today: NaiveDate,
) -> Result<Option<i32>, String> {
    let graduating = category == Some(TraineeCategory::GraduatingStudent);
    let Some(text) = plain_text(cell)? else {
        return if graduating {
            Err("全日制高校毕业学年学生请填写毕业年份（四位数字，如 2027）".to_owned())
        } else {
            Ok(None)
        };
    };
    let compact = ascii_compact(&text);
    let digits = compact.strip_suffix('年').unwrap_or(&compact);
    let year: i32 = digits
        .parse()
        .ok()
        .filter(|_| digits.len() == 4)
        .ok_or("毕业年份应为四位数字的年份，如 2027")?;
    let latest = today.year() + LATEST_GRADUATION_YEARS_AHEAD;
    if !(EARLIEST_GRADUATION_YEAR..=latest).contains(&year) {
        return Err(format!(
            "毕业年份应在 {EARLIEST_GRADUATION_YEAR} 至 {latest} 年之间：请核对"
        ));
    }
    Ok(Some(year))
}

/// A subsidised category by name or code; blank or 无 means none.
pub(super) fn parse_subsidy(
    cell: Option<&Cell>,
    choices: &[SubsidyChoice],
) -> Result<Option<String>, String> {
    let Some(text) = plain_text(cell)? else {
        return Ok(None);
    };
    if text == NO_SUBSIDY {
        return Ok(None);
    }
    choices
        .iter()
        .find(|choice| choice.name == text || choice.code.eq_ignore_ascii_case(&text))
        .map(|choice| Some(choice.code.clone()))
        .ok_or_else(|| {
            let names: Vec<&str> = choices
                .iter()
                .map(|choice| choice.name.as_str())
                .chain([NO_SUBSIDY])
                .collect();
            format!(
                "不是可选的补贴人员类别：请从下拉列表中选择（{}）",
                names.join("、")
            )
        })
}
