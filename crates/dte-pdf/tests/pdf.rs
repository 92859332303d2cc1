//! Checks the certificates of 附件3 and 附件4 with real PDF tools, never byte snapshots:
//! `pdfinfo`, `pdftotext`, `pdffonts`, `pdfimages`, `pdftoppm` (Debian's poppler-utils) and
//! `zbarimg` (zbar-tools), and likewise the hours record and the table documents (the notice, a
//! claim's form and ledger). A missing tool fails the test that needs it; nothing is skipped.

#![allow(clippy::unwrap_used, clippy::expect_used)] // An integration-test crate: a failed unwrap is a failed test.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, LazyLock};

use chrono::NaiveDate;
use dte_pdf::{
    LevelCertificate, PdfError, Renderer, TableColumn, TableDocument, TrainingCertificate,
};

/// The limits on pictures, in a file of their own.
#[path = "pdf/pictures.rs"]
mod pictures;

/// One renderer for the whole binary, shared by the test threads as a server would share it.
static RENDERER: LazyLock<Renderer> =
    LazyLock::new(|| Renderer::new().expect("the embedded fonts and templates load"));

static SEAL: LazyLock<Arc<[u8]>> =
    LazyLock::new(|| Arc::from(&include_bytes!("fixtures/seal.png")[..]));
static PHOTO: LazyLock<Arc<[u8]>> =
    LazyLock::new(|| Arc::from(&include_bytes!("fixtures/photo.png")[..]));

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

fn training() -> TrainingCertificate {
    TrainingCertificate {
        number: "LNPX-2026-000123".into(),
        holder_name: "张晓明".into(),
        start_date: date(2026, 3, 2),
        end_date: date(2026, 4, 30),
        occupation: "人工智能工程技术人员".into(),
        direction: Some("机器学习".into()),
        level: "中级".into(),
        hours: 80,
        institution: "辽宁省数字技术职业培训学校".into(),
        issue_date: date(2026, 5, 8),
        seal_png: Some(SEAL.clone()),
        verification_url: "https://dte.ln.example/v/LNPX-2026-000123".into(),
    }
}

fn level() -> LevelCertificate {
    LevelCertificate {
        number: "LNDJ-2026-004567".into(),
        holder_name: "李婉清".into(),
        id_kind: "居民身份证".into(),
        id_number: "210102199001011234".into(),
        occupation: "工业互联网工程技术人员".into(),
        direction: Some("工业互联网平台".into()),
        level: "高级".into(),
        institution: "辽宁省职业技能鉴定评价中心".into(),
        issue_date: date(2026, 7, 15),
        photo: Some(PHOTO.clone()),
        seal_png: Some(SEAL.clone()),
        verification_url: "https://dte.ln.example/v/LNDJ-2026-004567".into(),
    }
}

/// A scratch folder of this test's own under the target directory, emptied first; the PDFs stay
/// there after the run for a person to look at.
fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("dte-pdf")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes a PDF into the test's scratch folder.
fn save(test: &str, pdf: &[u8]) -> PathBuf {
    let path = scratch(test).join("certificate.pdf");
    std::fs::write(&path, pdf).unwrap();
    path
}

/// Runs a tool, failing the test loudly when the tool is not installed or fails.
fn run(tool: &str, args: &[&str]) -> String {
    let package = if tool == "zbarimg" {
        "zbar-tools"
    } else {
        "poppler-utils"
    };
    let output = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|error| {
            panic!("`{tool}` could not run ({error}): install the Debian package {package}")
        });
    assert!(
        output.status.success(),
        "`{tool} {}` failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// The PDF's text with all whitespace removed: pdftotext spaces out justified CJK lines.
fn text_of(pdf: &Path) -> String {
    run("pdftotext", &["-enc", "UTF-8", arg(pdf), "-"])
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// The value of one `pdfinfo` line, e.g. "Pages" or "Page size".
fn info(pdf: &Path, key: &str) -> String {
    let report = run("pdfinfo", &[arg(pdf)]);
    let line = report
        .lines()
        .find(|line| line.starts_with(&format!("{key}:")))
        .unwrap_or_else(|| panic!("pdfinfo printed no {key}: {report}"));
    line[key.len() + 1..].trim().to_owned()
}

/// The fonts `pdffonts` lists, as (name, embedded) pairs.
fn fonts_of(pdf: &Path) -> Vec<(String, bool)> {
    run("pdffonts", &[arg(pdf)])
        .lines()
        .skip(2)
        .map(|line| {
            let columns: Vec<&str> = line.split_whitespace().collect();
            // name type encoding emb sub uni object ID; the type may be two words.
            let embedded = columns[columns.len() - 5] == "yes";
            (columns[0].to_owned(), embedded)
        })
        .collect()
}

/// The raster images `pdfimages -list` reports, soft masks left out, as (encoding, object
/// number) pairs: an image drawn on several pages is listed once per page with one object.
fn images_of(pdf: &Path) -> Vec<(String, String)> {
    run("pdfimages", &["-list", arg(pdf)])
        .lines()
        .skip(2)
        .filter_map(|line| {
            // page num type width height color comp bpc enc interp object ID ...
            let columns: Vec<&str> = line.split_whitespace().collect();
            (columns[2] == "image").then(|| (columns[8].to_owned(), columns[10].to_owned()))
        })
        .collect()
}

/// The page size `pdfinfo` reports, in points (poppler prints three decimals or two).
fn page_size(pdf: &Path) -> (f64, f64) {
    let size = info(pdf, "Page size");
    let numbers: Vec<f64> = size
        .split_whitespace()
        .filter_map(|word| word.parse().ok())
        .take(2)
        .collect();
    (numbers[0], numbers[1])
}

/// Millimetres in PDF points.
fn points(millimetres: f64) -> f64 {
    millimetres / 25.4 * 72.0
}

fn assert_size(pdf: &Path, width_mm: f64, height_mm: f64) {
    let (width, height) = page_size(pdf);
    assert!(
        (width - points(width_mm)).abs() < 0.01 && (height - points(height_mm)).abs() < 0.01,
        "{width} x {height} pts is not {width_mm} x {height_mm} mm"
    );
}

/// Rasterises page `page` at 150 dpi and decodes every QR code on it.
fn qr_codes_on(pdf: &Path, page: usize) -> Vec<String> {
    let prefix = pdf.with_file_name(format!("page-{page}"));
    let number = page.to_string();
    let args = [
        "-png",
        "-r",
        "150",
        "-f",
        &number,
        "-l",
        &number,
        "-singlefile",
        arg(pdf),
    ];
    run("pdftoppm", &[&args[..], &[arg(&prefix)]].concat());
    let png = prefix.with_extension("png");
    run("zbarimg", &["-q", "--raw", arg(&png)])
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn training_certificate_is_one_a5_portrait_page_per_附件3() {
    let pdf = save("a5", &RENDERER.render_training(&training()).unwrap());
    assert_eq!(info(&pdf, "Pages"), "1");
    // 419.53 x 595.28 pts.
    assert_size(&pdf, 148.0, 210.0);
}

#[test]
fn training_certificate_prints_the_plans_sentence_with_every_field_filled_per_附件3() {
    let pdf = save("sentence", &RENDERER.render_training(&training()).unwrap());
    let text = text_of(&pdf);
    for expected in [
        "培训合格证书",
        "张晓明同志于2026年3月2日至2026年4月30日参加人工智能工程技术人员职业机器学习方向中级等级培训（计80学时），经考核合格，准予结业。",
        "辽宁省数字技术职业培训学校",
        "发证日期：2026年5月8日",
        "机构信息查询网址：http://www.osta.org.cn/http://zsgx.mohrss.gov.cn/",
        "证书编号：LNPX-2026-000123",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text:?}");
    }
}

#[test]
fn training_certificate_without_a_direction_leaves_the_direction_out_per_附件3() {
    let mut certificate = training();
    certificate.direction = None;
    let pdf = save(
        "no-direction",
        &RENDERER.render_training(&certificate).unwrap(),
    );
    let text = text_of(&pdf);
    assert!(
        text.contains("参加人工智能工程技术人员职业中级等级培训（计80学时）"),
        "{text}"
    );
    assert!(!text.contains("方向"), "{text}");

    // A blank direction is no direction either.
    certificate.direction = Some("  ".into());
    let pdf = save(
        "blank-direction",
        &RENDERER.render_training(&certificate).unwrap(),
    );
    assert!(!text_of(&pdf).contains("方向"));
}

#[test]
fn training_certificate_embeds_the_kai_font_and_no_other_per_附件3() {
    let pdf = save("fonts", &RENDERER.render_training(&training()).unwrap());
    let fonts = fonts_of(&pdf);
    assert!(!fonts.is_empty());
    assert!(
        fonts.iter().all(|(_, embedded)| *embedded),
        "every font is embedded: {fonts:?}"
    );
    assert!(
        fonts.iter().all(|(name, _)| name.contains("LXGWWenKai")),
        "{fonts:?}"
    );
}

#[test]
fn training_certificate_qr_code_decodes_to_the_exact_verification_url() {
    let pdf = save("qr", &RENDERER.render_training(&training()).unwrap());
    assert_eq!(
        qr_codes_on(&pdf, 1),
        ["https://dte.ln.example/v/LNPX-2026-000123"]
    );
}

#[test]
fn training_certificate_carries_the_seal_only_when_one_is_given_per_附件3() {
    let pdf = save("seal", &RENDERER.render_training(&training()).unwrap());
    assert_eq!(
        images_of(&pdf).len(),
        1,
        "the seal is the only raster image"
    );

    let mut certificate = training();
    certificate.seal_png = None;
    let pdf = save("no-seal", &RENDERER.render_training(&certificate).unwrap());
    assert!(images_of(&pdf).is_empty(), "no seal, no image");
    assert!(
        text_of(&pdf).contains("辽宁省数字技术职业培训学校"),
        "the name stays"
    );
}

#[test]
fn a_seal_that_is_not_a_png_is_refused() {
    let mut certificate = training();
    certificate.seal_png = Some(Arc::from(&b"GIF89a not really"[..]));
    let error = RENDERER.render_training(&certificate).unwrap_err();
    assert!(
        matches!(error, PdfError::UnsupportedImage { which: "seal", .. }),
        "{error}"
    );
}

#[test]
fn a_rare_character_in_a_name_prints_from_the_fallback_font() {
    // 𠈌 (U+2020C, CJK Extension B) is not in WenKai and comes from AR PL UKai; 䶮 (U+4DAE,
    // Extension A) and 龘 (U+9F98) are in WenKai itself.
    let mut certificate = training();
    certificate.holder_name = "刘𠈌䶮龘".into();
    let pdf = save("rare", &RENDERER.render_training(&certificate).unwrap());
    assert!(
        text_of(&pdf).contains("刘𠈌䶮龘同志于"),
        "every character prints"
    );
    let fonts = fonts_of(&pdf);
    assert!(
        fonts.iter().any(|(name, _)| name.contains("UKai")),
        "fallback embedded: {fonts:?}"
    );
    assert!(fonts.iter().all(|(_, embedded)| *embedded), "{fonts:?}");
}

#[test]
fn a_character_no_embedded_font_has_is_refused_rather_than_printed_as_a_box() {
    // 𱍊 (U+3134A) is in CJK Extension G (2020), newer than both fonts.
    let mut certificate = training();
    certificate.holder_name = "王𱍊".into();
    let error = RENDERER.render_training(&certificate).unwrap_err();
    assert!(
        matches!(&error, PdfError::MissingGlyphs(missing) if missing == "𱍊"),
        "{error}"
    );
}

#[test]
fn typst_markup_in_user_text_prints_literally() {
    let tricky = r#"#set text(red) *粗* _斜_ $x^2$ [链接] <标签> @引用 \ "引号" // 注释"#;
    let mut certificate = training();
    certificate.holder_name = tricky.into();
    certificate.institution = "#panic(\"boom\")".into();
    certificate.number = "A#1*[2]$3".into();
    let pdf = save("markup", &RENDERER.render_training(&certificate).unwrap());
    let text = text_of(&pdf);
    let squeezed: String = tricky.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(text.contains(&format!("{squeezed}同志于")), "{text}");
    assert!(text.contains("#panic(\"boom\")"), "{text}");
    assert!(text.contains("证书编号：A#1*[2]$3"), "{text}");
}

#[test]
fn a_batch_of_training_certificates_is_one_pdf_with_a_page_each() {
    let certificates: Vec<TrainingCertificate> = (1..=7)
        .map(|index| {
            let mut certificate = training();
            certificate.number = format!("LNPX-2026-{index:06}");
            certificate.verification_url = format!("https://dte.ln.example/v/{index}");
            certificate
        })
        .collect();
    let mut reports = Vec::new();
    let pdf = RENDERER
        .render_training_batch(&certificates, &mut |done, total| {
            reports.push((done, total))
        })
        .unwrap();
    let pdf = save("batch", &pdf);
    assert_eq!(info(&pdf, "Pages"), "7");
    assert_eq!(reports.last(), Some(&(7, 7)));
    assert!(
        reports.windows(2).all(|pair| pair[0].0 < pair[1].0),
        "{reports:?}"
    );
    let text = text_of(&pdf);
    for index in 1..=7 {
        assert!(text.contains(&format!("证书编号：LNPX-2026-{index:06}")));
    }
    // Each page carries its own QR code.
    assert_eq!(qr_codes_on(&pdf, 5), ["https://dte.ln.example/v/5"]);
    // The seal is drawn on every page but stored once.
    let images = images_of(&pdf);
    assert_eq!(images.len(), 7, "{images:?}");
    assert!(images.iter().all(|image| image == &images[0]), "{images:?}");
}

#[test]
fn an_empty_batch_is_refused() {
    let error = RENDERER
        .render_training_batch(&[], &mut |_, _| {})
        .unwrap_err();
    assert!(matches!(error, PdfError::EmptyBatch));
}

#[test]
fn level_certificate_is_one_a4_landscape_page_per_附件4() {
    let pdf = save("a4", &RENDERER.render_level(&level()).unwrap());
    assert_eq!(info(&pdf, "Pages"), "1");
    // 841.89 x 595.28 pts.
    assert_size(&pdf, 297.0, 210.0);
}

#[test]
fn level_certificate_prints_the_statement_and_every_field_per_附件4() {
    let pdf = save("level-fields", &RENDERER.render_level(&level()).unwrap());
    let text = text_of(&pdf);
    for expected in [
        "专业技术等级证书",
        "本证书由辽宁省职业技能鉴定评价中心颁发，表明持证人通过本机构组织的专业技术等级考核，具备相应专业技术水平。",
        "发证日期：2026年7月15日",
        "姓名：李婉清",
        "证件类别：居民身份证",
        "证件号码：210102199001011234",
        "职业名称：工业互联网工程技术人员",
        "职业方向：工业互联网平台",
        "专业技术等级：高级",
        "证书编号：LNDJ-2026-004567",
        "评价机构信息备案网址：http://www.osta.org.cnhttp://zsgx.mohrss.gov.cn/",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text:?}");
    }
    let fonts = fonts_of(&pdf);
    assert!(fonts.iter().all(|(_, embedded)| *embedded), "{fonts:?}");
}

#[test]
fn level_certificate_without_a_direction_prints_a_dash_per_附件4() {
    let mut certificate = level();
    certificate.direction = None;
    let pdf = save("level-dash", &RENDERER.render_level(&certificate).unwrap());
    assert!(text_of(&pdf).contains("职业方向：——专业技术等级：高级"));
}

#[test]
fn level_certificate_qr_code_decodes_to_the_exact_verification_url() {
    let pdf = save("level-qr", &RENDERER.render_level(&level()).unwrap());
    assert_eq!(
        qr_codes_on(&pdf, 1),
        ["https://dte.ln.example/v/LNDJ-2026-004567"]
    );
}

#[test]
fn level_certificate_takes_a_jpeg_photo_or_prints_an_empty_frame_per_附件4() {
    // A real JPEG, made by pdftoppm from a training certificate.
    let dir = scratch("jpeg-source");
    let source = dir.join("source.pdf");
    std::fs::write(&source, RENDERER.render_training(&training()).unwrap()).unwrap();
    let prefix = dir.join("photo");
    run(
        "pdftoppm",
        &[
            "-jpeg",
            "-r",
            "30",
            "-singlefile",
            arg(&source),
            arg(&prefix),
        ],
    );
    let jpeg = std::fs::read(prefix.with_extension("jpg")).unwrap();

    let mut certificate = level();
    certificate.photo = Some(Arc::from(jpeg));
    certificate.seal_png = None;
    let pdf = save("level-jpeg", &RENDERER.render_level(&certificate).unwrap());
    let images = images_of(&pdf);
    assert_eq!(images.len(), 1, "{images:?}");
    assert_eq!(images[0].0, "jpeg", "the photo is embedded as it came");
    assert!(!text_of(&pdf).contains("二寸免冠照片"));

    certificate.photo = None;
    let pdf = save("level-frame", &RENDERER.render_level(&certificate).unwrap());
    assert!(images_of(&pdf).is_empty());
    assert!(
        text_of(&pdf).contains("二寸免冠照片"),
        "the empty frame says what goes there"
    );
}

#[test]
fn a_batch_of_level_certificates_is_one_pdf_with_a_page_each() {
    let certificates: Vec<LevelCertificate> = (1..=3)
        .map(|index| {
            let mut certificate = level();
            certificate.number = format!("LNDJ-2026-{index:06}");
            certificate
        })
        .collect();
    let pdf = RENDERER
        .render_level_batch(&certificates, &mut |_, _| {})
        .unwrap();
    let pdf = save("level-batch", &pdf);
    assert_eq!(info(&pdf, "Pages"), "3");
    assert!(text_of(&pdf).contains("证书编号：LNDJ-2026-000003"));
}

#[test]
fn one_renderer_serves_many_threads_at_once() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Renderer>();

    let outputs: Vec<(String, Vec<u8>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|thread| {
                scope.spawn(move || {
                    (0..3)
                        .map(|round| {
                            let mut certificate = training();
                            certificate.number = format!("T{thread}-R{round}");
                            let pdf = RENDERER.render_training(&certificate).unwrap();
                            (certificate.number, pdf)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| handle.join().unwrap())
            .collect()
    });
    assert_eq!(outputs.len(), 12);
    for (index, (number, pdf)) in outputs.iter().enumerate() {
        let path = save(&format!("threads-{index}"), pdf);
        assert!(
            text_of(&path).contains(&format!("证书编号：{number}")),
            "{number}"
        );
    }
}

fn hours_record() -> dte_pdf::HoursRecord {
    use dte_pdf::{HoursRecord, HoursRecordLine, HoursRecordYear};
    let line = |title: &str, completed_on: NaiveDate, hours| HoursRecordLine {
        class_title: title.into(),
        institution: "东北大学".into(),
        occupation: "人工智能".into(),
        level: "中级".into(),
        start_date: date(2026, 3, 2),
        end_date: completed_on,
        completed_on,
        hours,
    };
    HoursRecord {
        holder_name: "张晓明".into(),
        id_number_masked: "210102********1234".into(),
        printed_on: date(2027, 3, 1),
        years: vec![
            HoursRecordYear {
                year: 2026,
                hours: 152,
                trainings: vec![
                    line("AI一期", date(2026, 4, 30), 80),
                    line("链二期", date(2026, 11, 2), 72),
                ],
            },
            HoursRecordYear {
                year: 2027,
                hours: 64,
                trainings: vec![line("AI三期", date(2027, 1, 8), 64)],
            },
        ],
    }
}

#[test]
fn continuing_education_hours_record_is_a4_with_every_year_training_and_total() {
    // Issue 6 item 6: each trainee's hours per year as a printable PDF.
    let pdf = save(
        "hours_record",
        &RENDERER.render_hours(&hours_record()).unwrap(),
    );
    assert_size(&pdf, 210.0, 297.0);
    assert_eq!(info(&pdf, "Pages"), "1");
    let text = text_of(&pdf);
    for expected in [
        "继续教育学时记录",
        "张晓明",
        "210102********1234",
        "216学时",
        "2027年3月1日",
        "2026年度：152学时",
        "AI一期",
        "链二期",
        "AI三期",
        "东北大学",
        "2026年11月2日",
        "2026年度合计",
        "2027年度：64学时",
        "2027年度合计",
    ] {
        assert!(text.contains(expected), "{expected} missing from {text}");
    }
    let fonts = fonts_of(&pdf);
    assert!(!fonts.is_empty());
    assert!(
        fonts.iter().all(|(_, embedded)| *embedded),
        "every font embedded: {fonts:?}"
    );
}

#[test]
fn an_empty_hours_record_says_there_is_nothing_yet() {
    let mut record = hours_record();
    record.years.clear();
    let pdf = save("hours_empty", &RENDERER.render_hours(&record).unwrap());
    assert!(text_of(&pdf).contains("暂无已结业的培训"));
}

fn table(rows: usize, tricky: &str) -> TableDocument {
    let column = |header: &str, width: f64, right: bool| TableColumn {
        header: header.into(),
        width,
        right,
    };
    TableDocument {
        title: format!("大连职业技能培训补贴公示{tricky}"),
        fields: vec![
            ("地区".into(), "大连".into()),
            ("班期".into(), tricky.into()),
        ],
        paragraphs: vec![format!("段落：{tricky}")],
        columns: vec![
            column("序号", 10.0, true),
            column("姓名", 20.0, false),
            column("证件号码", 40.0, false),
            column("培训机构", 70.0, false),
            column("补贴金额（元）", 40.0, true),
        ],
        rows: (1..=rows)
            .map(|n| {
                vec![
                    n.to_string(),
                    "欧**".into(),
                    "210202********1234".into(),
                    if n == 1 {
                        tricky.into()
                    } else {
                        "大连理工大学".into()
                    },
                    "1,600.00".into(),
                ]
            })
            .collect(),
        totals: vec![("补贴金额合计".into(), format!("{rows} 人"))],
        notes: vec!["姓名、证件号码按规定部分隐去。".into()],
    }
}

#[test]
fn a_table_document_is_a4_and_prints_markup_in_user_text_literally() {
    // Issue 13 item 6: the notice, claim form and ledger are A4 tables; what users typed (a
    // class title, an institution's name) reaches typst only as data.
    let tricky = r#"#panic("boom") *粗* $x^2$ [链接] <标签> @引用 // 注释"#;
    let pdf = save("table", &RENDERER.render_table(&table(3, tricky)).unwrap());
    assert_size(&pdf, 210.0, 297.0);
    let text = text_of(&pdf);
    let squeezed: String = tricky.chars().filter(|c| !c.is_whitespace()).collect();
    for expected in [
        format!("大连职业技能培训补贴公示{squeezed}"),
        format!("班期：{squeezed}"),
        format!("段落：{squeezed}"),
        "210202********1234".to_owned(),
        "补贴金额合计：3人".to_owned(),
    ] {
        assert!(text.contains(&expected), "{expected} missing from {text}");
    }
    assert!(fonts_of(&pdf).iter().all(|(_, embedded)| *embedded));
}

#[test]
fn a_table_document_of_5000_lines_repeats_its_header_on_every_page() {
    // The most lines a claim document holds (dte_app::claims::DOCUMENT_LINES_MAX).
    let started = std::time::Instant::now();
    let pdf = save(
        "table_5000",
        &RENDERER.render_table(&table(5_000, "")).unwrap(),
    );
    let took = started.elapsed();
    let pages: usize = info(&pdf, "Pages").parse().unwrap();
    assert!(pages > 50, "{pages} pages");
    let text = run("pdftotext", &["-enc", "UTF-8", arg(&pdf), "-"]);
    assert_eq!(
        text.matches("证件号码").count(),
        pages + 1,
        "a header a page"
    );
    assert!(text.contains("5000"), "the last line");
    eprintln!("5,000 lines: {pages} pages in {took:?}");
}
