//! A trainee's continuing-education hours record (继续教育学时记录, issue 6 item 6) as a printable
//! A4 PDF. The hours are decided by `dte_domain::evaluation::continuing_education_hours`; this
//! module only prints them, passing them to typst as JSON like the certificates.

use chrono::NaiveDate;

/// One trainee's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoursRecord {
    pub holder_name: String,
    /// Masked: the record is a summary, not an identity document.
    pub id_number_masked: String,
    /// The day it is printed.
    pub printed_on: NaiveDate,
    /// Earliest year first.
    pub years: Vec<HoursRecordYear>,
}

/// One calendar year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoursRecordYear {
    pub year: i32,
    pub hours: u32,
    pub trainings: Vec<HoursRecordLine>,
}

/// One completed training.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoursRecordLine {
    pub class_title: String,
    pub institution: String,
    pub occupation: String,
    pub level: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub completed_on: NaiveDate,
    pub hours: u32,
}
