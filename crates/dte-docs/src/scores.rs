//! Score sheets (成绩单) of an exam plan (issue 6 item 3): the .xlsx an evaluation institution
//! downloads with the candidates listed, fills with 理论知识成绩 and 专业能力成绩, and uploads
//! again. The import is all or nothing, like the roster's: every bad row is named as
//! `第 N 行 [列名]：原因` and nothing is returned unless every candidate has a valid row.
//!
//! Candidates are matched by 考生号 (the number the sheet gives each candidate) and the name on
//! the row must be the candidate's, so a sorted or shifted sheet never gives one person's
//! scores to another. A row with both scores blank, or "缺考" in either, is an absence.

mod import;
mod template;

pub use import::parse_score_sheet;
pub use template::score_sheet_template;

use crate::roster::FileError;
use dte_domain::evaluation::Score;
use std::fmt;

/// The most candidates one sheet holds: far above any class (`MAX_CAPACITY` is 200).
pub const MAX_SCORE_ROWS: usize = 1_000;

/// What an absent candidate's score cells say.
pub const ABSENT: &str = "缺考";

/// One candidate as the sheet lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetCandidate {
    /// 考生号: the key the import matches rows by (the person's id).
    pub key: i64,
    pub name: String,
    /// The ID number as the evaluation institution may see it (masked).
    pub id_number_masked: String,
    /// Scores already entered, written into the sheet so that a correction starts from them.
    pub scores: Option<SheetResult>,
}

/// A candidate's result read from a sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetResult {
    Absent,
    Sat { theory: Score, ability: Score },
}

/// One valid row of a filled-in sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreRow {
    /// The spreadsheet row, from 1.
    pub row: u32,
    pub key: i64,
    pub result: SheetResult,
}

/// The columns of a score sheet, in order; the template writes these headers and the import
/// finds columns by them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScoreColumn {
    Key,
    Name,
    IdNumber,
    Theory,
    Ability,
}

/// One problem in one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreRowError {
    pub row: u32,
    pub column: String,
    pub message: String,
}

/// Why a sheet is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoreSheetErrors {
    /// The file itself is not a readable workbook.
    #[error("{}", file_message(.0))]
    File(FileError),
    /// The header row lacks a column the import needs.
    #[error(
        "成绩单的前 10 行中没有找到表头（考生号、姓名、理论知识成绩、专业能力成绩）：请使用下载的成绩单模板，不要删除或改动表头行"
    )]
    NoHeader,
    /// Rows with problems, and candidates without a row (row 0).
    #[error("{}", display_lines(.0))]
    Rows(Vec<ScoreRowError>),
}

impl ScoreColumn {
    pub const ALL: [ScoreColumn; 5] = [
        ScoreColumn::Key,
        ScoreColumn::Name,
        ScoreColumn::IdNumber,
        ScoreColumn::Theory,
        ScoreColumn::Ability,
    ];

    pub fn header(self) -> &'static str {
        match self {
            ScoreColumn::Key => "考生号",
            ScoreColumn::Name => "姓名",
            ScoreColumn::IdNumber => "证件号码",
            ScoreColumn::Theory => "理论知识成绩",
            ScoreColumn::Ability => "专业能力成绩",
        }
    }

    /// Whether the import needs the column (证件号码 is shown for people, never read).
    pub fn required(self) -> bool {
        !matches!(self, ScoreColumn::IdNumber)
    }
}

impl fmt::Display for ScoreRowError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.row == 0 {
            write!(formatter, "[{}]：{}", self.column, self.message)
        } else {
            write!(
                formatter,
                "第 {} 行 [{}]：{}",
                self.row, self.column, self.message
            )
        }
    }
}

fn display_lines(errors: &[ScoreRowError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The roster reader's file errors, said of a score sheet.
fn file_message(error: &FileError) -> String {
    match error {
        FileError::NoRows => "成绩单中没有考生行：请使用下载的成绩单模板填写".to_owned(),
        FileError::TooManyRows { .. } => {
            format!("一份成绩单最多 {MAX_SCORE_ROWS} 名考生，本文件超过了这个数量")
        }
        other => other.to_string().replace("花名册", "成绩单"),
    }
}
