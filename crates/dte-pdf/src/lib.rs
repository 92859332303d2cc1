//! DTE's certificates as PDF: the 培训合格证书 (附件3) and the 专业技术等级证书 (附件4), rendered
//! in-process by typst with embedded Kai fonts and a QR code that links to public verification.
//!
//! A [`Renderer`] is built once, at start-up, and then shared by every thread that prints:
//!
//! ```no_run
//! # fn main() -> Result<(), dte_pdf::PdfError> {
//! use chrono::NaiveDate;
//! use dte_pdf::{Renderer, TrainingCertificate};
//!
//! let renderer = Renderer::new()?;
//! let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
//! let certificate = TrainingCertificate {
//!     number: "PX-2026-0001".into(),
//!     holder_name: "张三".into(),
//!     start_date: date(2026, 3, 2),
//!     end_date: date(2026, 4, 30),
//!     occupation: "人工智能工程技术人员".into(),
//!     direction: None,
//!     level: "中级".into(),
//!     hours: 80,
//!     institution: "辽宁某培训学校".into(),
//!     issue_date: date(2026, 5, 8),
//!     seal_png: None,
//!     verification_url: "https://dte.example/v/PX-2026-0001".into(),
//! };
//! let pdf: Vec<u8> = renderer.render_training(&certificate)?;
//! # Ok(()) }
//! ```
//!
//! Text reaches typst only as JSON data (`/data.json`) and pictures only as one binary blob
//! (`/assets.bin`); nothing a user typed is ever spliced into typst markup, so a name such as
//! `#*$[` prints literally. The wording of the two certificates lives in the templates under
//! `templates/`, and nowhere else.

mod hours;
mod payload;
pub mod picture;
mod table;
mod world;

pub use hours::{HoursRecord, HoursRecordLine, HoursRecordYear};
pub use table::{TableColumn, TableDocument};

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::NaiveDate;

use crate::payload::{Kind, Payload};
use crate::world::Engine;

/// One 培训合格证书 (附件3), as the training institution issues it at the end of a class.
///
/// The page follows 附件3's 制作说明: A5 portrait, a 2.25 pt border of 132 × 188 mm, the title
/// in 30 pt Kai, the sentence in 16 pt, the addresses and the number in 14 pt, single-spaced.
/// Choices the sample leaves open:
/// - Without a direction the sentence drops "… 方向" and reads "参加 X 职业 Y 等级培训".
/// - "培训机构印章" in the sample marks where the seal goes; it is not printed as text. The
///   seal image is stamped over the institution's name and the issue date, as a seal is.
/// - The QR code (not in the sample, which predates online verification) sits at the lower
///   left, beside the institution's name, with a 9 pt caption "扫码查验证书".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingCertificate {
    /// 证书编号, set by the training institution.
    pub number: String,
    /// The trainee's name, printed as given (rare characters fall back to AR PL UKai).
    pub holder_name: String,
    /// The first day of the training.
    pub start_date: NaiveDate,
    /// The last day of the training.
    pub end_date: NaiveDate,
    /// 职业名称, e.g. 人工智能工程技术人员.
    pub occupation: String,
    /// 职业方向; `None` leaves the words "… 方向" out of the sentence altogether.
    pub direction: Option<String>,
    /// 等级 as printed, e.g. 初级, 中级 or 高级.
    pub level: String,
    /// 学时 of the training.
    pub hours: u32,
    /// 培训机构名称, as listed in the ministry's catalogue.
    pub institution: String,
    /// 发证日期.
    pub issue_date: NaiveDate,
    /// The institution's seal as a PNG (ideally with a transparent background); `None` prints
    /// no seal, leaving the area for a stamp by hand.
    pub seal_png: Option<Arc<[u8]>>,
    /// The public verification address the QR code encodes, exactly as given.
    pub verification_url: String,
}

/// One 专业技术等级证书 (附件4), as the evaluation institution issues it after the examination.
///
/// The page is A4 landscape, an open booklet of two A5 panels, each with the training
/// certificate's border: 附件4 lists its content in two groups — the statement with the issuer,
/// date and seal; then the photo, QR code and seven fields — which is the familiar two-panel
/// booklet, and one A5 page could not hold a 35 × 49 mm photo, the QR code, seven 14 pt fields,
/// the statement and the seal without shrinking the type below 附件3's sizes. Folded, it is the
/// size of the training certificate.
///
/// The statement reads "本证书由 X 颁发，表明持证人通过本机构组织的专业技术等级考核，具备相应
/// 专业技术水平。": the seed's OCR ("通过本机构的组织的…考核，其等级职等相应专业技术水平") is
/// garbled there, and this is the cleanest reading that keeps every word it clearly has. Likewise
/// its "专业等级等级" is 专业技术等级, "二十元整照片" is 二寸免冠照片, and the addresses are those
/// of 附件3 (http://www.osta.org.cn and http://zsgx.mohrss.gov.cn/).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelCertificate {
    /// 证书编号.
    pub number: String,
    /// 姓名.
    pub holder_name: String,
    /// 证件类别, e.g. 居民身份证.
    pub id_kind: String,
    /// 证件号码, printed in full (the certificate belongs to its holder; masking is for the
    /// public verification page).
    pub id_number: String,
    /// 职业名称.
    pub occupation: String,
    /// 职业方向; `None` prints "——" as 附件4's note 3 asks.
    pub direction: Option<String>,
    /// 专业技术等级 as printed, e.g. 初级, 中级 or 高级.
    pub level: String,
    /// 评价机构名称, as listed in the ministry's catalogue.
    pub institution: String,
    /// 发证日期.
    pub issue_date: NaiveDate,
    /// 二寸免冠照片 as PNG or JPEG; `None` prints an empty frame where a photo is pasted.
    pub photo: Option<Arc<[u8]>>,
    /// The evaluation institution's seal as a PNG; `None` prints no seal.
    pub seal_png: Option<Arc<[u8]>>,
    /// The public verification address the QR code encodes, exactly as given.
    pub verification_url: String,
}

/// What can go wrong while printing a certificate.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The verification address is too long for a QR code.
    #[error("the verification address cannot be encoded as a QR code: {0}")]
    QrCode(#[from] qrcode::types::QrError),
    /// A picture is neither PNG nor JPEG (the seal must be PNG).
    #[error("the {which} of certificate {number} is not a {expected} image")]
    UnsupportedImage {
        /// Which picture: "seal" or "photo".
        which: &'static str,
        /// The number of the certificate it belongs to.
        number: String,
        /// The formats accepted for that picture.
        expected: &'static str,
    },
    /// A picture is larger than [`picture::check_picture`] allows, or its header is unreadable.
    #[error("the {which} of certificate {number} is refused: {error}")]
    Picture {
        /// Which picture: "seal" or "photo".
        which: &'static str,
        /// The number of the certificate it belongs to.
        number: String,
        /// Why, in Chinese.
        error: picture::PictureError,
    },
    /// A batch must hold at least one certificate.
    #[error("a batch of certificates is empty")]
    EmptyBatch,
    /// Some characters are in none of the embedded fonts and would print as empty boxes; the
    /// string lists them.
    #[error("no embedded font can print these characters: {0}")]
    MissingGlyphs(String),
    /// The bundled font files could not be read (a broken build).
    #[error("the bundled font {0} could not be loaded")]
    Font(&'static str),
    /// typst refused the template or the data; the message lists its diagnostics.
    #[error("typst could not lay out the certificate: {0}")]
    Layout(String),
    /// typst could not write the PDF; the message lists its diagnostics.
    #[error("typst could not write the PDF: {0}")]
    Export(String),
    /// The data could not be serialised for typst.
    #[error("the certificate data could not be serialised: {0}")]
    Json(#[from] serde_json::Error),
}

/// Prints certificates. Build it once (it parses the fonts and templates, ~0.1 s) and share it:
/// it is `Send + Sync`, and any number of threads may render at the same time.
pub struct Renderer {
    engine: Engine,
    /// Renders since start-up, used to age typst's memoisation caches now and then.
    renders: AtomicUsize,
}

/// How many renders pass between two calls of `comemo::evict`.
const EVICT_EVERY: usize = 64;
/// How many eviction rounds a cached result may go unused before it is dropped.
const EVICT_MAX_AGE: usize = 4;

impl Renderer {
    /// Loads the embedded fonts, typst's standard library and the two templates.
    pub fn new() -> Result<Self, PdfError> {
        Ok(Self {
            engine: Engine::new()?,
            renders: AtomicUsize::new(0),
        })
    }

    /// Renders one 培训合格证书 (附件3) as a one-page A5 PDF.
    pub fn render_training(&self, certificate: &TrainingCertificate) -> Result<Vec<u8>, PdfError> {
        self.render_training_batch(std::slice::from_ref(certificate), &mut |_, _| {})
    }

    /// Renders many 培训合格证书 into ONE PDF with one page per certificate, in order.
    ///
    /// `progress(done, total)` is called as the work advances: once per certificate while the
    /// data is prepared, then once more with `done == total` when the PDF is written.
    pub fn render_training_batch(
        &self,
        certificates: &[TrainingCertificate],
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Vec<u8>, PdfError> {
        if certificates.is_empty() {
            return Err(PdfError::EmptyBatch);
        }
        let total = certificates.len();
        let mut payload = Payload::new(Kind::Training);
        for (index, certificate) in certificates.iter().enumerate() {
            payload.push_training(certificate)?;
            // The last step is reported only once the PDF exists.
            if index + 1 < total {
                progress(index + 1, total);
            }
        }
        let pdf = self.compile(payload)?;
        progress(total, total);
        Ok(pdf)
    }

    /// Renders one 专业技术等级证书 (附件4) as a one-page A4 landscape PDF (see
    /// [`LevelCertificate`] for why that size).
    pub fn render_level(&self, certificate: &LevelCertificate) -> Result<Vec<u8>, PdfError> {
        self.render_level_batch(std::slice::from_ref(certificate), &mut |_, _| {})
    }

    /// Renders many 专业技术等级证书 into ONE PDF with one page per certificate, in order;
    /// `progress` is called as for [`Renderer::render_training_batch`].
    pub fn render_level_batch(
        &self,
        certificates: &[LevelCertificate],
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Vec<u8>, PdfError> {
        if certificates.is_empty() {
            return Err(PdfError::EmptyBatch);
        }
        let total = certificates.len();
        let mut payload = Payload::new(Kind::Level);
        for (index, certificate) in certificates.iter().enumerate() {
            payload.push_level(certificate)?;
            if index + 1 < total {
                progress(index + 1, total);
            }
        }
        let pdf = self.compile(payload)?;
        progress(total, total);
        Ok(pdf)
    }

    /// Renders a trainee's continuing-education hours record (继续教育学时记录) as an A4
    /// portrait PDF: one table per year with each completed training and the year's total.
    pub fn render_hours(&self, record: &HoursRecord) -> Result<Vec<u8>, PdfError> {
        self.compile(Payload::hours(record))
    }

    /// Renders a document of one table (the public notice, a claim's 补贴申请表 or 培训台账) as
    /// an A4 portrait PDF, the table's header repeated on every page.
    pub fn render_table(&self, document: &TableDocument) -> Result<Vec<u8>, PdfError> {
        self.compile(Payload::table(document))
    }

    /// Lays out and exports one document, then ages typst's caches every so often so that a
    /// long-running server does not keep every past certificate's layout in memory.
    fn compile(&self, payload: Payload) -> Result<Vec<u8>, PdfError> {
        let result = self.engine.compile(payload);
        let count = self.renders.fetch_add(1, Ordering::Relaxed) + 1;
        if count.is_multiple_of(EVICT_EVERY) {
            typst::comemo::evict(EVICT_MAX_AGE);
        }
        result
    }
}

impl std::fmt::Debug for Renderer {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Renderer")
            .field("renders", &self.renders.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}
