//! Rosters (花名册, SPEC step 3): the .xlsx template an institution fills in, the all-or-nothing
//! import of a filled-in workbook into checked rows, and the export of a class roster as .xlsx
//! or CSV.
//!
//! [`RosterColumn`] is the one definition of the layout: the template writes its headers, the
//! import finds columns by them, and the export writes them first, so an export with full
//! values imports again.

mod export;
mod fields;
mod import;
pub mod limits;
pub(crate) mod sheet;
mod template;

pub use export::{roster_csv, roster_workbook};
pub use import::parse_roster;
pub use template::roster_template;

use dte_domain::{Phone, ResidentId, TraineeCategory};
use limits::{WORKBOOK_TOO_LARGE, WorkbookLimit};
use std::fmt;

/// The most trainee rows one imported file may hold.
pub const MAX_ROSTER_ROWS: usize = 20_000;

/// A subsidised category (补贴人员类别) the caller offers: its stable code and its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubsidyChoice {
    pub code: String,
    pub name: String,
}

/// One trainee read from an imported roster, every field checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterRow {
    /// The 1-based spreadsheet row number, for messages that point back into the file.
    pub row: u32,
    pub name: String,
    pub resident_id: ResidentId,
    pub phone: Phone,
    pub category: TraineeCategory,
    /// The employer (在岗) or school (graduating students); may be empty for 拟从事.
    pub employer_or_school: String,
    pub graduation_year: Option<i32>,
    /// The code of the chosen [`SubsidyChoice`], or `None` for 无 / blank.
    pub subsidy_category: Option<String>,
}

/// One trainee of an exported class roster. The caller decides whether `id_number` and
/// `phone` are masked or full; the export writes them as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterExportRow {
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub category: TraineeCategory,
    pub employer_or_school: String,
    pub graduation_year: Option<i32>,
    pub subsidy_category_name: Option<String>,
    pub subsidised: bool,
    pub status: String,
}

/// The columns of a roster, in template order. Their headers are the layout's one definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RosterColumn {
    Name,
    ResidentId,
    Phone,
    Category,
    EmployerOrSchool,
    GraduationYear,
    SubsidyCategory,
}

/// One problem in an imported roster: where it is and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The 1-based spreadsheet row number (the header row for a missing or repeated column).
    pub row: u32,
    /// The column's header, e.g. 公民身份号码.
    pub column: String,
    /// What is wrong and how to fix it, in Chinese. Never contains a full ID number.
    pub message: String,
}

/// Why an imported roster was refused as a whole. Nothing of it is returned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RosterErrors {
    /// The file could not be read as a roster at all; no row was checked.
    #[error("{0}")]
    File(FileError),
    /// Every problem found, in row order; one line each when displayed.
    #[error("{}", display_lines(.0))]
    Rows(Vec<RowError>),
}

/// A problem with the file as a whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error(
        "这是旧版 Excel 文件（.xls），无法导入：请在 Excel 中“另存为”Excel 工作簿（.xlsx）后再上传"
    )]
    LegacyXls,
    #[error(
        "文件不是 Excel 工作簿（.xlsx），无法导入：请下载花名册模板，填写后以 .xlsx 格式保存再上传"
    )]
    NotXlsx,
    #[error("无法读取工作簿，文件可能已损坏：请在 Excel 中重新打开并保存为 .xlsx 后再上传")]
    Unreadable,
    #[error("工作簿中没有工作表：请使用花名册模板填写")]
    NoSheet,
    #[error(
        "第一个工作表的前 {searched} 行中没有找到表头（姓名、公民身份号码等列名）：请使用花名册模板，不要删除或改动表头行"
    )]
    NoHeader { searched: usize },
    #[error("花名册中没有学员：请从表头的下一行开始，每位学员填写一行")]
    NoRows,
    #[error("一个文件最多导入 {limit} 名学员，本文件超过了这个数量：请拆分为几个文件分别导入")]
    TooManyRows { limit: usize },
    #[error("第一个工作表的内容过多（超过 {limit} 个单元格）：请删除花名册以外的行和列后再上传")]
    TooManyCells { limit: usize },
    /// The workbook expands beyond one of the limits of [`limits`]; nothing of it was decoded.
    #[error("{0}")]
    TooLarge(WorkbookLimit),
}

impl FileError {
    /// The stable code of a refusal that has one of its own (a workbook over a size limit:
    /// [`WORKBOOK_TOO_LARGE`]); callers answer their generic code for the others.
    pub fn code(&self) -> Option<&'static str> {
        match self {
            FileError::TooLarge(_) => Some(WORKBOOK_TOO_LARGE),
            _ => None,
        }
    }
}

impl RosterColumn {
    /// Every column, in template order.
    pub const ALL: [RosterColumn; 7] = [
        RosterColumn::Name,
        RosterColumn::ResidentId,
        RosterColumn::Phone,
        RosterColumn::Category,
        RosterColumn::EmployerOrSchool,
        RosterColumn::GraduationYear,
        RosterColumn::SubsidyCategory,
    ];

    /// The header written in the template and looked for on import.
    pub fn header(self) -> &'static str {
        match self {
            RosterColumn::Name => "姓名",
            RosterColumn::ResidentId => "公民身份号码",
            RosterColumn::Phone => "手机号码",
            RosterColumn::Category => "学员类别",
            RosterColumn::EmployerOrSchool => "工作单位或学校",
            RosterColumn::GraduationYear => "毕业年份",
            RosterColumn::SubsidyCategory => "补贴人员类别",
        }
    }

    /// Other headers accepted on import for the same column, as other programs spell them.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            RosterColumn::Name => &["学员姓名"],
            RosterColumn::ResidentId => &["身份证号码", "身份证号", "公民身份证号码", "证件号码"],
            RosterColumn::Phone => &["手机号", "手机"],
            RosterColumn::Category => &["学员类型", "培训对象类别"],
            RosterColumn::EmployerOrSchool => &["工作单位/学校", "工作单位（学校）", "单位或学校"],
            RosterColumn::GraduationYear => &["毕业年度"],
            RosterColumn::SubsidyCategory => &["补贴类别", "补贴对象类别"],
        }
    }

    /// Whether an import without this column is refused. The others may be left out of a file
    /// whose rows never need them.
    pub fn required(self) -> bool {
        matches!(
            self,
            RosterColumn::Name
                | RosterColumn::ResidentId
                | RosterColumn::Phone
                | RosterColumn::Category
        )
    }

    /// How to fill the column in, for the template's 填写说明 sheet.
    pub fn instruction(self) -> &'static str {
        match self {
            RosterColumn::Name => "必填。与居民身份证上的姓名一致。",
            RosterColumn::ResidentId => {
                "必填。18 位公民身份号码，末位 X 大小写均可。本列已设为文本格式；从其他表格粘贴时请用“选择性粘贴 → 数值”，并确认号码没有变成 2.10102E+17 这样的科学计数法（变成数字后末尾几位会丢失）。"
            }
            RosterColumn::Phone => "必填。11 位大陆手机号码。",
            RosterColumn::Category => {
                "必填。从下拉列表选择：在岗、拟从事、全日制高校毕业学年学生。"
            }
            RosterColumn::EmployerOrSchool => {
                "在岗学员必填工作单位，全日制高校毕业学年学生必填就读学校，拟从事人员可不填。"
            }
            RosterColumn::GraduationYear => {
                "全日制高校毕业学年学生必填，填写四位年份（如 2027）；其他学员可不填。"
            }
            RosterColumn::SubsidyCategory => {
                "从下拉列表选择（可选值见下表，也可填写代码）；不属于补贴人员类别的填“无”或留空。"
            }
        }
    }

    /// The column width in the template and the export, in Excel character units.
    fn width(self) -> f64 {
        match self {
            RosterColumn::Name => 12.0,
            RosterColumn::ResidentId => 22.0,
            RosterColumn::Phone => 15.0,
            RosterColumn::Category => 24.0,
            RosterColumn::EmployerOrSchool => 30.0,
            RosterColumn::GraduationYear => 10.0,
            RosterColumn::SubsidyCategory => 30.0,
        }
    }
}

impl RosterErrors {
    /// The row problems; empty when the file as a whole was refused.
    pub fn rows(&self) -> &[RowError] {
        match self {
            RosterErrors::File(_) => &[],
            RosterErrors::Rows(rows) => rows,
        }
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "第 {} 行 [{}]：{}",
            self.row, self.column, self.message
        )
    }
}

fn display_lines(rows: &[RowError]) -> String {
    rows.iter()
        .map(RowError::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}
