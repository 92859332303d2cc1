//! Measures certificates per second: single 培训合格证书 and 专业技术等级证书 renders, and
//! 100-page training batches. Bounded: a few hundred renders in all, well under a minute in
//! release. Run: `cargo bench -p dte-pdf --bench render`.

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use dte_pdf::{LevelCertificate, PdfError, Renderer, TrainingCertificate};

/// Single renders timed per kind.
const SINGLES: usize = 200;
/// 100-page batches timed.
const BATCHES: usize = 5;
/// Pages in one batch.
const BATCH_SIZE: usize = 100;

fn main() -> Result<(), PdfError> {
    let started = Instant::now();
    let renderer = Renderer::new()?;
    println!("Renderer::new: {:.1} ms", millis(started.elapsed()));

    let seal: Arc<[u8]> = Arc::from(&include_bytes!("../tests/fixtures/seal.png")[..]);
    let photo: Arc<[u8]> = Arc::from(&include_bytes!("../tests/fixtures/photo.png")[..]);
    let date = |year, month, day| NaiveDate::from_ymd_opt(year, month, day).unwrap_or_default();
    let training = |index: usize| TrainingCertificate {
        number: format!("LNPX-2026-{index:06}"),
        holder_name: "张晓明".into(),
        start_date: date(2026, 3, 2),
        end_date: date(2026, 4, 30),
        occupation: "人工智能工程技术人员".into(),
        direction: Some("机器学习".into()),
        level: "中级".into(),
        hours: 80,
        institution: "辽宁省数字技术职业培训学校".into(),
        issue_date: date(2026, 5, 8),
        seal_png: Some(Arc::clone(&seal)),
        verification_url: format!("https://dte.ln.example/v/LNPX-2026-{index:06}"),
    };
    let level = |index: usize| LevelCertificate {
        number: format!("LNDJ-2026-{index:06}"),
        holder_name: "李婉清".into(),
        id_kind: "居民身份证".into(),
        id_number: "210102199001011234".into(),
        occupation: "工业互联网工程技术人员".into(),
        direction: None,
        level: "高级".into(),
        institution: "辽宁省职业技能鉴定评价中心".into(),
        issue_date: date(2026, 7, 15),
        photo: Some(Arc::clone(&photo)),
        seal_png: Some(Arc::clone(&seal)),
        verification_url: format!("https://dte.ln.example/v/LNDJ-2026-{index:06}"),
    };

    let started = Instant::now();
    let first = renderer.render_training(&training(0))?;
    println!(
        "first training certificate: {:.1} ms, {} bytes",
        millis(started.elapsed()),
        first.len()
    );

    let started = Instant::now();
    let mut bytes = 0;
    for index in 1..=SINGLES {
        bytes += black_box(renderer.render_training(&training(index))?).len();
    }
    report(
        "training, single renders",
        SINGLES,
        started.elapsed(),
        bytes / SINGLES,
    );

    let started = Instant::now();
    let mut bytes = 0;
    for index in 1..=SINGLES {
        bytes += black_box(renderer.render_level(&level(index))?).len();
    }
    report(
        "level, single renders",
        SINGLES,
        started.elapsed(),
        bytes / SINGLES,
    );

    let batch: Vec<TrainingCertificate> = (0..BATCH_SIZE).map(training).collect();
    let started = Instant::now();
    let mut bytes = 0;
    for _ in 0..BATCHES {
        bytes += black_box(renderer.render_training_batch(&batch, &mut |_, _| {})?).len();
    }
    report(
        &format!("training, {BATCH_SIZE}-page batches"),
        BATCHES * BATCH_SIZE,
        started.elapsed(),
        bytes / BATCHES,
    );
    Ok(())
}

/// Prints one line of results.
fn report(what: &str, certificates: usize, elapsed: Duration, bytes_per_pdf: usize) {
    let seconds = elapsed.as_secs_f64();
    println!(
        "{what}: {certificates} certificates in {seconds:.2} s = {:.0} certificates/s \
         ({:.2} ms each, {bytes_per_pdf} bytes a PDF)",
        certificates as f64 / seconds,
        1000.0 * seconds / certificates as f64,
    );
}

fn millis(elapsed: Duration) -> f64 {
    elapsed.as_secs_f64() * 1000.0
}
