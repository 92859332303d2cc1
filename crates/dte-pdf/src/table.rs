//! A printable A4 document of one table (issue 13 item 6): the public notice (公示), a claim's
//! 补贴申请表 and 培训台账. The caller decides every word and figure; this module only lays
//! them out, passing them to typst as JSON data through `templates/table.typ`.

use serde::Serialize;

/// One document: a title, labelled fields, paragraphs, the table, totals and notes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableDocument {
    /// The heading, also the PDF's title.
    pub title: String,
    /// Labelled values above the table (班期, 地区, 公示期 …), two to a line.
    pub fields: Vec<(String, String)>,
    /// Paragraphs between the fields and the table.
    pub paragraphs: Vec<String>,
    pub columns: Vec<TableColumn>,
    /// The rows, each with one cell per column.
    pub rows: Vec<Vec<String>>,
    /// Labelled totals under the table.
    pub totals: Vec<(String, String)>,
    /// Small print at the end (where the figures come from, the date printed).
    pub notes: Vec<String>,
}

/// One column of the table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableColumn {
    pub header: String,
    /// Its share of the width, relative to the other columns.
    pub width: f64,
    /// Figures are aligned to the right.
    pub right: bool,
}
