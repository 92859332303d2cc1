//! What an uploaded workbook may expand to, measured before calamine reads it (issue 15 item 1).
//!
//! An .xlsx is a zip of XML parts, and a few hundred kilobytes of zip can inflate to gigabytes.
//! calamine reads the shared strings and the styles whole when it opens a workbook — before the
//! row and cell caps of `sheet.rs` can help — and reserves room for as many strings as the
//! shared-strings part declares. So every upload (rosters and score sheets alike) first passes
//! [`check_workbook`]: the declared size of each part and of all parts together, the number of
//! parts, and then, reading each part through a `take` limit, the shared strings (declared and
//! actual count, total text) and the other records calamine keeps (styles, sheets, defined
//! names, relationships). This file is the one place those limits live.

use quick_xml::Reader as XmlReader;
use quick_xml::events::{BytesStart, Event};
use std::fmt;
use std::io::{BufReader, Cursor, Read};
use zip::ZipArchive;

/// The stable code of a workbook refused for one of these limits.
pub const WORKBOOK_TOO_LARGE: &str = "workbook_too_large";

/// The most one part of a workbook may expand to, in bytes.
pub const MAX_PART_BYTES: u64 = 32 * MB;

/// The most all parts of a workbook together may expand to, in bytes.
pub const MAX_WORKBOOK_BYTES: u64 = 64 * MB;

/// The most parts (files inside the zip) a workbook may have.
pub const MAX_PARTS: usize = 1_000;

/// The most shared strings a workbook may declare or hold.
pub const MAX_SHARED_STRINGS: u64 = 500_000;

/// The most text, in bytes as stored (before unescaping, which only shortens it), all shared
/// strings together may hold.
pub const MAX_SHARED_TEXT_BYTES: u64 = 16 * MB;

/// The most other records calamine keeps in memory (cell formats, fonts, fills, borders, number
/// formats, sheets, defined names, relationships) a workbook may hold. Excel itself allows at
/// most 64,000 cell formats; a roster has a few dozen records.
pub const MAX_RECORDS: u64 = 200_000;

const MB: u64 = 1024 * 1024;

/// The limit a workbook went over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkbookLimit {
    /// One part expands beyond [`MAX_PART_BYTES`].
    PartBytes,
    /// All parts together expand beyond [`MAX_WORKBOOK_BYTES`].
    WorkbookBytes,
    /// More than [`MAX_PARTS`] parts.
    Parts,
    /// More than [`MAX_SHARED_STRINGS`] shared strings, declared or found.
    SharedStrings,
    /// More than [`MAX_SHARED_TEXT_BYTES`] of shared-string text.
    SharedText,
    /// More than [`MAX_RECORDS`] other records.
    Records,
}

impl WorkbookLimit {
    /// The limit as a number of its unit, for tests and messages.
    pub fn limit(self) -> u64 {
        match self {
            WorkbookLimit::PartBytes => MAX_PART_BYTES,
            WorkbookLimit::WorkbookBytes => MAX_WORKBOOK_BYTES,
            WorkbookLimit::Parts => MAX_PARTS as u64,
            WorkbookLimit::SharedStrings => MAX_SHARED_STRINGS,
            WorkbookLimit::SharedText => MAX_SHARED_TEXT_BYTES,
            WorkbookLimit::Records => MAX_RECORDS,
        }
    }
}

impl fmt::Display for WorkbookLimit {
    /// What went over which limit, in Chinese; the file kind is said as 花名册 (the score sheet
    /// says 成绩单 in its place).
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self {
            WorkbookLimit::PartBytes => {
                format!("工作簿中有部件解压后超过 {} MB", MAX_PART_BYTES / MB)
            }
            WorkbookLimit::WorkbookBytes => {
                format!("工作簿解压后超过 {} MB", MAX_WORKBOOK_BYTES / MB)
            }
            WorkbookLimit::Parts => format!("工作簿包含的部件超过 {MAX_PARTS} 个"),
            WorkbookLimit::SharedStrings => {
                format!("工作簿的共享字符串超过 {MAX_SHARED_STRINGS} 条")
            }
            WorkbookLimit::SharedText => {
                format!("工作簿的文字总量超过 {} MB", MAX_SHARED_TEXT_BYTES / MB)
            }
            WorkbookLimit::Records => {
                format!("工作簿的格式、名称等记录超过 {MAX_RECORDS} 条")
            }
        };
        write!(
            formatter,
            "文件过大，无法导入：{what}的上限。请只保留花名册的工作表和内容，另存为新的 .xlsx 后再上传"
        )
    }
}

/// Why a workbook did not pass [`check_workbook`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Over one of the limits.
    TooLarge(WorkbookLimit),
    /// Not a zip at all.
    NotZip,
    /// A part could not be read (a part longer than its header says is one).
    Unreadable,
}

/// Measures every part of the workbook in `bytes` against the limits above, reading at most
/// [`MAX_WORKBOOK_BYTES`] of inflated data in all and keeping none of it.
pub(crate) fn check_workbook(bytes: &[u8]) -> Result<(), Refusal> {
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(|_| Refusal::NotZip)?;
    if archive.len() > MAX_PARTS {
        return Err(Refusal::TooLarge(WorkbookLimit::Parts));
    }
    // First what the headers declare, before inflating anything.
    let mut declared_total = 0u64;
    for index in 0..archive.len() {
        let part = archive
            .by_index_data(index)
            .map_err(|_| Refusal::Unreadable)?;
        if part.size() > MAX_PART_BYTES {
            return Err(Refusal::TooLarge(WorkbookLimit::PartBytes));
        }
        declared_total = declared_total.saturating_add(part.size());
        if declared_total > MAX_WORKBOOK_BYTES {
            return Err(Refusal::TooLarge(WorkbookLimit::WorkbookBytes));
        }
    }
    // Then what the parts hold, each read through a limit, so that a header that lies cannot
    // make us inflate more (the zip reader also stops at the declared size).
    let mut tally = Tally::default();
    let mut inflated_total = 0u64;
    for index in 0..archive.len() {
        let part = archive.by_index(index).map_err(|_| Refusal::Unreadable)?;
        if part.is_dir() {
            continue;
        }
        let budget = MAX_PART_BYTES.min(MAX_WORKBOOK_BYTES - inflated_total);
        let mut limited = Counted {
            inner: part.take(budget + 1),
            count: 0,
        };
        tally.scan(&mut limited)?;
        // Parts that are not XML stop the scan early; count the rest of their bytes too.
        std::io::copy(&mut limited, &mut std::io::sink()).map_err(|_| Refusal::Unreadable)?;
        if limited.count > budget {
            return Err(Refusal::TooLarge(if limited.count > MAX_PART_BYTES {
                WorkbookLimit::PartBytes
            } else {
                WorkbookLimit::WorkbookBytes
            }));
        }
        inflated_total += limited.count;
    }
    Ok(())
}

/// A reader that counts the bytes it has given.
struct Counted<R> {
    inner: R,
    count: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buffer)?;
        self.count += read as u64;
        Ok(read)
    }
}

/// What the parts read so far hold, across the whole workbook.
#[derive(Debug, Default)]
struct Tally {
    shared_strings: u64,
    shared_text: u64,
    records: u64,
}

impl Tally {
    /// Reads one part as calamine would (the same parser, configured the same way) and counts
    /// what calamine would keep of it. A part that is not XML ends at its first error: calamine
    /// would stop at the same place, if it ever read that part.
    fn scan(&mut self, part: &mut impl Read) -> Result<(), Refusal> {
        let mut xml = XmlReader::from_reader(BufReader::new(part));
        let config = xml.config_mut();
        config.check_end_names = false;
        config.trim_text(false);
        config.check_comments = false;
        config.expand_empty_elements = true;
        let mut buffer = Vec::new();
        let mut inside_string = 0u32;
        loop {
            buffer.clear();
            let Ok(event) = xml.read_event_into(&mut buffer) else {
                return Ok(());
            };
            match event {
                Event::Start(element) => match element.local_name().as_ref() {
                    "sst" => check_declared_count(&element)?,
                    "si" => {
                        self.shared_strings += 1;
                        if self.shared_strings > MAX_SHARED_STRINGS {
                            return Err(Refusal::TooLarge(WorkbookLimit::SharedStrings));
                        }
                        inside_string += 1;
                    }
                    "xf" | "font" | "fill" | "border" | "numFmt" | "sheet" | "definedName"
                    | "Relationship" => {
                        self.records += 1;
                        if self.records > MAX_RECORDS {
                            return Err(Refusal::TooLarge(WorkbookLimit::Records));
                        }
                    }
                    _ => {}
                },
                Event::End(element) if element.local_name().as_ref() == "si" => {
                    inside_string = inside_string.saturating_sub(1);
                }
                Event::Text(text) if inside_string > 0 => self.add_text(text.len())?,
                Event::CData(text) if inside_string > 0 => self.add_text(text.len())?,
                // `&amp;` and its kind: the name and its two delimiters.
                Event::GeneralRef(name) if inside_string > 0 => self.add_text(name.len() + 2)?,
                Event::Eof => return Ok(()),
                _ => {}
            }
        }
    }

    fn add_text(&mut self, length: usize) -> Result<(), Refusal> {
        self.shared_text += length as u64;
        if self.shared_text > MAX_SHARED_TEXT_BYTES {
            return Err(Refusal::TooLarge(WorkbookLimit::SharedText));
        }
        Ok(())
    }
}

/// Refuses a shared-strings table that declares more strings than allowed: calamine reserves
/// room for `uniqueCount` strings before reading one. A count that is not a plain number is
/// refused too, rather than guessing how calamine reads it. (`count`, the number of cells that
/// use a shared string, is never allocated for, and a legitimate roster may exceed
/// `uniqueCount` there; it is not bounded.)
fn check_declared_count(element: &BytesStart<'_>) -> Result<(), Refusal> {
    for attribute in element.attributes().flatten() {
        if attribute.key.as_ref() == "uniqueCount" {
            let declared = attribute.value.parse::<u64>().ok();
            if declared.is_none_or(|count| count > MAX_SHARED_STRINGS) {
                return Err(Refusal::TooLarge(WorkbookLimit::SharedStrings));
            }
        }
    }
    Ok(())
}
