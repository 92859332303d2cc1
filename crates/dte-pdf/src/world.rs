//! The typst side: embedded fonts, the standard library and the templates, loaded once, and a
//! small `World` per render whose fixed virtual files carry that render's data.
//!
//! typst interns every file path for the life of the process (at most 65,535 of them), so the
//! paths are fixed — `/training.typ`, `/level.typ`, `/hours.typ`, `/table.typ`, `/common.typ`, `/data.json`,
//! `/assets.bin` — and only their contents change from one render to the next. Each render gets
//! its own `CertificateWorld`, so threads never share mutable state; typst's memoisation
//! (comemo) is keyed by the contents it reads and is itself thread-safe.

use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::ecow::EcoVec;
use typst::foundations::{Bytes, Datetime, Duration};
use typst::layout::{Frame, FrameItem};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::PdfOptions;

use crate::PdfError;
use crate::payload::{Kind, Payload};

/// LXGW WenKai Regular (霞鹜文楷, SIL OFL 1.1): the Kai face of both certificates.
static WENKAI: &[u8] = include_bytes!("../fonts/LXGWWenKai-Regular.ttf");
/// AR PL UKai (Arphic Public License): the fallback for characters WenKai lacks, such as
/// 𠈌 (U+2020C), which do occur in names.
static UKAI: &[u8] = include_bytes!("../fonts/ukai.ttc");

/// The shared template: page furniture, fonts and sizes used by both certificates.
static COMMON_TYP: &str = include_str!("../templates/common.typ");
/// The 培训合格证书 template (附件3).
static TRAINING_TYP: &str = include_str!("../templates/training.typ");
/// The 专业技术等级证书 template (附件4).
static LEVEL_TYP: &str = include_str!("../templates/level.typ");
/// The continuing-education hours record template.
static HOURS_TYP: &str = include_str!("../templates/hours.typ");
/// The template of a document of one table (公示, 补贴申请表, 培训台账).
static TABLE_TYP: &str = include_str!("../templates/table.typ");

/// What every render shares; immutable after `Engine::new`, hence `Send + Sync`.
pub(crate) struct Engine {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    common: Source,
    training: Source,
    level: Source,
    hours: Source,
    table: Source,
    data_id: FileId,
    assets_id: FileId,
}

/// The world of one render: the shared engine plus this render's data and pictures.
struct CertificateWorld<'a> {
    engine: &'a Engine,
    main: FileId,
    data: Bytes,
    assets: Bytes,
}

impl Engine {
    /// Loads the fonts, the library and the parsed templates.
    pub(crate) fn new() -> Result<Self, PdfError> {
        let mut fonts: Vec<Font> = Font::iter(Bytes::new(WENKAI)).collect();
        if fonts.is_empty() {
            return Err(PdfError::Font("LXGWWenKai-Regular.ttf"));
        }
        // Face 0 of the collection is AR PL UKai CN (mainland forms); typst names its family
        // "AR PL UKai", reading the trailing "CN" as a width ("condensed") and dropping it.
        fonts.push(Font::new(Bytes::new(UKAI), 0).ok_or(PdfError::Font("ukai.ttc"))?);
        let book = FontBook::from_fonts(&fonts);
        Ok(Self {
            library: LazyHash::new(Library::default()),
            book: LazyHash::new(book),
            fonts,
            common: Source::new(file_id("/common.typ")?, COMMON_TYP.to_owned()),
            training: Source::new(file_id("/training.typ")?, TRAINING_TYP.to_owned()),
            level: Source::new(file_id("/level.typ")?, LEVEL_TYP.to_owned()),
            hours: Source::new(file_id("/hours.typ")?, HOURS_TYP.to_owned()),
            table: Source::new(file_id("/table.typ")?, TABLE_TYP.to_owned()),
            data_id: file_id("/data.json")?,
            assets_id: file_id("/assets.bin")?,
        })
    }

    /// Lays the payload out with its template and writes the PDF.
    pub(crate) fn compile(&self, payload: Payload) -> Result<Vec<u8>, PdfError> {
        let main = match payload.kind {
            Kind::Training => self.training.id(),
            Kind::Level => self.level.id(),
            Kind::Hours => self.hours.id(),
            Kind::Table => self.table.id(),
        };
        let data = Bytes::from_string(payload.json()?);
        let assets = Bytes::new(payload.into_assets());
        let world = CertificateWorld {
            engine: self,
            main,
            data,
            assets,
        };

        let warned = typst::compile::<PagedDocument>(&world);
        // The templates are ours and fixed, so any warning means a certificate would not print
        // as intended (an unknown font family, say): refuse rather than print it wrong.
        if !warned.warnings.is_empty() {
            return Err(PdfError::Layout(describe(&warned.warnings)));
        }
        let document = warned
            .output
            .map_err(|errors| PdfError::Layout(describe(&errors)))?;
        // typst prints an empty box for a character that no font has; a certificate with a
        // box in the holder's name is wrong, so say which characters could not be printed.
        let missing = missing_glyphs(&document);
        if !missing.is_empty() {
            return Err(PdfError::MissingGlyphs(missing));
        }
        typst_pdf::pdf(&document, &PdfOptions::default())
            .map_err(|errors| PdfError::Export(describe(&errors)))
    }

    /// The parsed template behind a file id, if it is one of ours.
    fn source(&self, id: FileId) -> Option<&Source> {
        [
            &self.common,
            &self.training,
            &self.level,
            &self.hours,
            &self.table,
        ]
        .into_iter()
        .find(|source| source.id() == id)
    }
}

impl World for CertificateWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.engine.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.engine.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.engine.source(id).cloned().ok_or_else(|| not_found(id))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.engine.data_id {
            Ok(self.data.clone())
        } else if id == self.engine.assets_id {
            Ok(self.assets.clone())
        } else if let Some(source) = self.engine.source(id) {
            Ok(Bytes::from_string(source.text().to_owned()))
        } else {
            Err(not_found(id))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.engine.fonts.get(index).cloned()
    }

    /// The templates never ask for today's date: every date comes from the data.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

/// Interns one of the fixed virtual paths.
fn file_id(path: &str) -> Result<FileId, PdfError> {
    let vpath = VirtualPath::new(path)
        .map_err(|error| PdfError::Layout(format!("bad virtual path {path}: {error}")))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// The error for a file the templates should never ask for.
fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_with_slash().into())
}

/// The characters that were laid out as "notdef" boxes because no embedded font has them, each
/// listed once.
fn missing_glyphs(document: &PagedDocument) -> String {
    let mut missing = String::new();
    for page in document.pages() {
        collect_missing(&page.frame, &mut missing);
    }
    missing
}

/// Walks one frame and its groups for glyph 0, the "notdef" box.
fn collect_missing(frame: &Frame, missing: &mut String) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(group) => collect_missing(&group.frame, missing),
            FrameItem::Text(text) => {
                let boxes = text.glyphs.iter().filter(|glyph| glyph.id == 0);
                for character in boxes.filter_map(|glyph| text.text.get(glyph.range())) {
                    for c in character.chars() {
                        if !missing.contains(c) {
                            missing.push(c);
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// Joins typst's diagnostics into one readable message.
fn describe(diagnostics: &EcoVec<SourceDiagnostic>) -> String {
    diagnostics
        .iter()
        .map(|diagnostic| {
            let mut text = diagnostic.message.to_string();
            for hint in &diagnostic.hints {
                text.push_str(" (hint: ");
                text.push_str(&hint.v);
                text.push(')');
            }
            text
        })
        .collect::<Vec<_>>()
        .join("; ")
}
