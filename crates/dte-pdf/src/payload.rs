//! The data one typst document reads: certificates as JSON (`/data.json`) and their pictures —
//! QR codes, seals, photos — packed into one binary blob (`/assets.bin`) that the templates slice.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use serde::Serialize;

use crate::hours::HoursRecord;
use crate::picture::{PictureError, PictureFormat, check_picture};
use crate::table::TableDocument;
use crate::{LevelCertificate, PdfError, TrainingCertificate};

/// Which template a document uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// 培训合格证书, `templates/training.typ`.
    Training,
    /// 专业技术等级证书, `templates/level.typ`.
    Level,
    /// 继续教育学时记录, `templates/hours.typ`.
    Hours,
    /// A document of one table (公示, 补贴申请表, 培训台账), `templates/table.typ`.
    Table,
}

/// Everything one document needs, ready to hand to typst.
#[derive(Debug)]
pub(crate) struct Payload {
    pub(crate) kind: Kind,
    data: Data,
    assets: Vec<u8>,
    /// Pictures already in the blob, so that a seal shared by a whole class is stored once.
    stored: Vec<(Arc<[u8]>, Asset)>,
}

/// The JSON document; the templates read it with `json("/data.json")`.
#[derive(Debug, Default, Serialize)]
struct Data {
    /// The PDF's title, e.g. "培训合格证书 PX-2026-0001".
    title: String,
    training: Vec<TrainingData>,
    level: Vec<LevelData>,
    hours: Option<HoursData>,
    table: Option<TableDocument>,
}

/// Where one picture lies in `/assets.bin`, and how typst should decode it.
#[derive(Debug, Clone, Copy, Serialize)]
struct Asset {
    offset: usize,
    length: usize,
    format: &'static str,
}

/// One 培训合格证书 as the template sees it: dates already written the Chinese way.
#[derive(Debug, Serialize)]
struct TrainingData {
    number: String,
    name: String,
    start: String,
    end: String,
    occupation: String,
    direction: Option<String>,
    level: String,
    hours: u32,
    institution: String,
    issued: String,
    qr: Asset,
    seal: Option<Asset>,
}

/// One 专业技术等级证书 as the template sees it.
#[derive(Debug, Serialize)]
struct LevelData {
    number: String,
    name: String,
    id_kind: String,
    id_number: String,
    occupation: String,
    direction: Option<String>,
    level: String,
    institution: String,
    issued: String,
    qr: Asset,
    photo: Option<Asset>,
    seal: Option<Asset>,
}

/// A continuing-education hours record as the template sees it.
#[derive(Debug, Serialize)]
struct HoursData {
    name: String,
    id_number: String,
    printed: String,
    total: u32,
    years: Vec<HoursYearData>,
}

#[derive(Debug, Serialize)]
struct HoursYearData {
    year: i32,
    hours: u32,
    trainings: Vec<HoursLineData>,
}

#[derive(Debug, Serialize)]
struct HoursLineData {
    class_title: String,
    institution: String,
    occupation: String,
    level: String,
    start: String,
    end: String,
    completed: String,
    hours: u32,
}

impl Payload {
    /// An empty document of the given kind.
    pub(crate) fn new(kind: Kind) -> Self {
        Self {
            kind,
            data: Data::default(),
            assets: Vec::new(),
            stored: Vec::new(),
        }
    }

    /// Adds one 培训合格证书 as the next page.
    pub(crate) fn push_training(
        &mut self,
        certificate: &TrainingCertificate,
    ) -> Result<(), PdfError> {
        let qr = self.push_qr(&certificate.verification_url)?;
        let seal = match &certificate.seal_png {
            Some(bytes) => Some(self.push_picture(bytes, "seal", &certificate.number, false)?),
            None => None,
        };
        self.set_title("培训合格证书", &certificate.number);
        self.data.training.push(TrainingData {
            number: certificate.number.clone(),
            name: certificate.holder_name.clone(),
            start: chinese_date(certificate.start_date),
            end: chinese_date(certificate.end_date),
            occupation: certificate.occupation.clone(),
            direction: non_blank(certificate.direction.as_deref()),
            level: certificate.level.clone(),
            hours: certificate.hours,
            institution: certificate.institution.clone(),
            issued: chinese_date(certificate.issue_date),
            qr,
            seal,
        });
        Ok(())
    }

    /// Adds one 专业技术等级证书 as the next page.
    pub(crate) fn push_level(&mut self, certificate: &LevelCertificate) -> Result<(), PdfError> {
        let qr = self.push_qr(&certificate.verification_url)?;
        let photo = match &certificate.photo {
            Some(bytes) => Some(self.push_picture(bytes, "photo", &certificate.number, true)?),
            None => None,
        };
        let seal = match &certificate.seal_png {
            Some(bytes) => Some(self.push_picture(bytes, "seal", &certificate.number, false)?),
            None => None,
        };
        self.set_title("专业技术等级证书", &certificate.number);
        self.data.level.push(LevelData {
            number: certificate.number.clone(),
            name: certificate.holder_name.clone(),
            id_kind: certificate.id_kind.clone(),
            id_number: certificate.id_number.clone(),
            occupation: certificate.occupation.clone(),
            direction: non_blank(certificate.direction.as_deref()),
            level: certificate.level.clone(),
            institution: certificate.institution.clone(),
            issued: chinese_date(certificate.issue_date),
            qr,
            photo,
            seal,
        });
        Ok(())
    }

    /// A continuing-education hours record: the whole document.
    pub(crate) fn hours(record: &HoursRecord) -> Self {
        let mut payload = Payload::new(Kind::Hours);
        payload.data.title = format!("继续教育学时记录 {}", record.holder_name);
        payload.data.hours = Some(HoursData {
            name: record.holder_name.clone(),
            id_number: record.id_number_masked.clone(),
            printed: chinese_date(record.printed_on),
            total: record.years.iter().map(|year| year.hours).sum(),
            years: record
                .years
                .iter()
                .map(|year| HoursYearData {
                    year: year.year,
                    hours: year.hours,
                    trainings: year
                        .trainings
                        .iter()
                        .map(|line| HoursLineData {
                            class_title: line.class_title.clone(),
                            institution: line.institution.clone(),
                            occupation: line.occupation.clone(),
                            level: line.level.clone(),
                            start: chinese_date(line.start_date),
                            end: chinese_date(line.end_date),
                            completed: chinese_date(line.completed_on),
                            hours: line.hours,
                        })
                        .collect(),
                })
                .collect(),
        });
        payload
    }

    /// A document of one table: the whole document, passed as it is.
    pub(crate) fn table(document: &TableDocument) -> Self {
        let mut payload = Payload::new(Kind::Table);
        payload.data.title = document.title.clone();
        payload.data.table = Some(document.clone());
        payload
    }

    /// The JSON text of `/data.json`.
    pub(crate) fn json(&self) -> Result<String, PdfError> {
        Ok(serde_json::to_string(&self.data)?)
    }

    /// The bytes of `/assets.bin`, consuming the payload.
    pub(crate) fn into_assets(self) -> Vec<u8> {
        self.assets
    }

    /// Names the PDF after its first certificate, or after the count for a batch.
    fn set_title(&mut self, certificate_name: &str, number: &str) {
        let count = self.data.training.len() + self.data.level.len() + 1;
        self.data.title = if count == 1 {
            format!("{certificate_name} {number}")
        } else {
            format!("{certificate_name}（{count} 份）")
        };
    }

    /// Encodes the verification address as a QR code (level M, quiet zone included) and stores
    /// its SVG; one SVG unit is one module, and the template scales it to size.
    fn push_qr(&mut self, url: &str) -> Result<Asset, PdfError> {
        let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)?;
        let svg = code
            .render::<svg::Color<'_>>()
            .module_dimensions(1, 1)
            .quiet_zone(true)
            .dark_color(svg::Color("#000000"))
            .light_color(svg::Color("#ffffff"))
            .build();
        Ok(self.append(svg.as_bytes(), "svg"))
    }

    /// Checks a seal or photo (its format and, from its header, its size: `check_picture`) and
    /// stores it once, however many certificates share it.
    fn push_picture(
        &mut self,
        bytes: &Arc<[u8]>,
        which: &'static str,
        number: &str,
        jpeg_allowed: bool,
    ) -> Result<Asset, PdfError> {
        if let Some((_, asset)) = self
            .stored
            .iter()
            .find(|(known, _)| Arc::ptr_eq(known, bytes))
        {
            return Ok(*asset);
        }
        let unsupported = || PdfError::UnsupportedImage {
            which,
            number: number.to_owned(),
            expected: if jpeg_allowed { "PNG or JPEG" } else { "PNG" },
        };
        let picture = check_picture(bytes).map_err(|error| match error {
            PictureError::NotPngOrJpeg => unsupported(),
            error => PdfError::Picture {
                which,
                number: number.to_owned(),
                error,
            },
        })?;
        let format = match picture.format {
            PictureFormat::Png => "png",
            PictureFormat::Jpeg if jpeg_allowed => "jpg",
            PictureFormat::Jpeg => return Err(unsupported()),
        };
        let asset = self.append(bytes, format);
        self.stored.push((Arc::clone(bytes), asset));
        Ok(asset)
    }

    /// Appends bytes to the blob and says where they went.
    fn append(&mut self, bytes: &[u8], format: &'static str) -> Asset {
        let offset = self.assets.len();
        self.assets.extend_from_slice(bytes);
        Asset {
            offset,
            length: bytes.len(),
            format,
        }
    }
}

/// Writes a date the way Chinese certificates do, without leading zeros: 2026年3月5日. The
/// template's text settings put the small gaps between digits and 年/月/日.
pub(crate) fn chinese_date(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// Treats an empty or blank direction as none, so that "方向" never follows nothing.
fn non_blank(direction: Option<&str>) -> Option<String> {
    direction
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(str::to_owned)
}
