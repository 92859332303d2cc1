//! The documents of a claim (issue 13 items 3 and 6), each as an A4 PDF (`dte-pdf`'s table
//! document) and an .xlsx (`dte-docs`'s table workbook) built from one [`Document`]: the public
//! notice (公示) for posting, downloadable by anyone once the claim has been on notice; and the
//! claim form (补贴申请表) and training ledger (培训台账) for those who may read the claim,
//! audited as `claim.document`. Holders are masked as on certificates and ID numbers as the
//! store keeps them (`210202********1234`); money is integer fen shown in 元; times are
//! Asia/Shanghai. A document holds at most [`DOCUMENT_LINES_MAX`] lines.

use super::review::on_notice;
use super::{ClaimView, claim_not_found};
use crate::audit::Event;
use crate::{Context, Principal, ServiceError};
use chrono::NaiveDate;
use dte_domain::Fen;
use dte_domain::flags::MaskedName;
use dte_domain::subsidy::{LineDecision, LineStatus};
use dte_store::{ClaimLineRow, ClaimRow};

/// The most lines one document holds; a longer one is refused, never cut short.
pub const DOCUMENT_LINES_MAX: usize = 5_000;

/// The two forms of every document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentFormat {
    Pdf,
    Xlsx,
}

impl DocumentFormat {
    /// The file name's extension.
    pub fn extension(self) -> &'static str {
        match self {
            DocumentFormat::Pdf => "pdf",
            DocumentFormat::Xlsx => "xlsx",
        }
    }

    /// The media type of the bytes.
    pub fn content_type(self) -> &'static str {
        match self {
            DocumentFormat::Pdf => "application/pdf",
            DocumentFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        }
    }
}

/// Which document of a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimDocument {
    /// 补贴申请表.
    Form,
    /// 培训台账.
    Ledger,
}

impl ClaimDocument {
    fn name(self) -> &'static str {
        match self {
            ClaimDocument::Form => "form",
            ClaimDocument::Ledger => "ledger",
        }
    }
}

/// A file to hand out.
#[derive(Debug, Clone)]
pub struct Download {
    pub file_name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// One column: its header and its width on the A4 page in millimetres (the columns of a
/// document add up to the page's 180 mm; a sheet takes them as character widths).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Column {
    pub header: &'static str,
    pub width: f64,
    pub right: bool,
}

pub(crate) const fn column(header: &'static str, width: f64) -> Column {
    Column {
        header,
        width,
        right: false,
    }
}

pub(crate) const fn figure(header: &'static str, width: f64) -> Column {
    Column {
        header,
        width,
        right: true,
    }
}

/// A document of one table, before it is a PDF or a workbook.
#[derive(Debug, Clone)]
pub(crate) struct Document {
    pub file_stem: String,
    pub sheet_name: &'static str,
    pub title: String,
    pub fields: Vec<(String, String)>,
    pub paragraphs: Vec<String>,
    pub columns: &'static [Column],
    pub rows: Vec<Vec<String>>,
    pub totals: Vec<(String, String)>,
    pub notes: Vec<String>,
}

/// Refuses a document of more than [`DOCUMENT_LINES_MAX`] lines with a clear message.
pub fn check_lines(count: usize, what: &str) -> Result<(), ServiceError> {
    if count > DOCUMENT_LINES_MAX {
        let mut error = ServiceError::invalid(
            "lines",
            format!(
                "{what}共 {} 行，超过单个文件 {} 行的上限，无法生成；请缩小范围后再试",
                dte_domain::group_thousands(count as u64),
                dte_domain::group_thousands(DOCUMENT_LINES_MAX as u64)
            ),
        );
        error.code = "document_too_long";
        return Err(error);
    }
    Ok(())
}

/// Renders a document as a PDF (on the blocking pool) or a workbook.
pub(crate) async fn render(
    context: &Context,
    document: Document,
    format: DocumentFormat,
) -> Result<Download, ServiceError> {
    check_lines(document.rows.len(), &document.title)?;
    let file_name = format!("{}.{}", document.file_stem, format.extension());
    let bytes = match format {
        DocumentFormat::Pdf => {
            let renderer = context.certificates.renderer()?;
            let printable = dte_pdf::TableDocument {
                title: document.title,
                fields: document.fields,
                paragraphs: document.paragraphs,
                columns: document
                    .columns
                    .iter()
                    .map(|column| dte_pdf::TableColumn {
                        header: column.header.to_owned(),
                        width: column.width,
                        right: column.right,
                    })
                    .collect(),
                rows: document.rows,
                totals: document.totals,
                notes: document.notes,
            };
            crate::certificates::print::blocking(move || renderer.render_table(&printable)).await?
        }
        DocumentFormat::Xlsx => {
            let sheet = dte_docs::table::TableSheet {
                sheet_name: document.sheet_name.to_owned(),
                title: document.title,
                fields: document.fields,
                paragraphs: document.paragraphs,
                columns: document
                    .columns
                    .iter()
                    .map(|column| (column.header.to_owned(), column.width * 0.65))
                    .collect(),
                rows: document.rows,
                totals: document.totals,
                notes: document.notes,
            };
            dte_docs::table::table_workbook(&sheet).map_err(ServiceError::internal)?
        }
    };
    Ok(Download {
        file_name,
        content_type: format.content_type(),
        bytes,
    })
}

/// "2026-12-01 10:00（北京时间）": when a document was printed.
pub(crate) fn printed_note(context: &Context) -> String {
    let now = context
        .clock
        .now()
        .with_timezone(&chrono_tz::Asia::Shanghai);
    format!("生成时间：{}（北京时间）", now.format("%Y-%m-%d %H:%M"))
}

fn period(from: NaiveDate, to: NaiveDate) -> String {
    format!("{from} 至 {to}")
}

fn masked(line: &ClaimLineRow) -> String {
    MaskedName::mask(&line.holder_name).as_str().to_owned()
}

fn sum(lines: &[&ClaimLineRow]) -> Fen {
    Fen::new(lines.iter().map(|line| line.amount.get()).sum())
}

const NOTICE_COLUMNS: &[Column] = &[
    figure("序号", 10.0),
    column("姓名", 16.0),
    column("证件号码", 32.0),
    column("培训机构", 34.0),
    column("职业", 34.0),
    column("等级", 12.0),
    figure("补贴金额（元）", 22.0),
    column("备注", 20.0),
];

/// The public notice of a claim for posting: the claim must have been on notice (a claim
/// never noticed, or a missing id, answers the same not-found). Nobody signs in.
pub async fn notice_document(
    context: &Context,
    id: i64,
    format: DocumentFormat,
) -> Result<Download, ServiceError> {
    let not_found = || ServiceError::not_found("notice_not_found", "未找到该公示");
    let claim = context
        .store
        .claim_in_scope(&dte_domain::Scope::Province, id)
        .await?
        .ok_or_else(not_found)?;
    let (Some(starts_on), Some(ends_on)) = (claim.notice_starts_on, claim.notice_ends_on) else {
        return Err(not_found());
    };
    let class = context
        .store
        .class_in_scope(&dte_domain::Scope::Province, claim.class_id)
        .await?
        .ok_or_else(not_found)?;
    let lines: Vec<ClaimLineRow> = context
        .store
        .claim_lines(id)
        .await?
        .into_iter()
        .filter(on_notice)
        .collect();
    let paid: Vec<&ClaimLineRow> = lines
        .iter()
        .filter(|line| line.status != LineStatus::Rejected)
        .collect();
    let rows = lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            vec![
                (index + 1).to_string(),
                masked(line),
                line.id_number_masked.clone(),
                claim.institution_name.clone(),
                class.occupation_name.clone(),
                line.level.label().to_owned(),
                line.amount.yuan(),
                match line.status {
                    LineStatus::Rejected => "异议成立，不予补贴".to_owned(),
                    LineStatus::ClawedBack => "已追回".to_owned(),
                    _ => String::new(),
                },
            ]
        })
        .collect();
    let document = Document {
        file_stem: format!("notice-{id}"),
        sheet_name: "公示",
        title: format!("{}职业技能培训补贴公示", claim.region),
        fields: vec![
            ("地区".into(), claim.region.clone()),
            ("公示期".into(), period(starts_on, ends_on)),
            ("培训机构".into(), claim.institution_name.clone()),
            ("班期".into(), claim.class_title.clone()),
            ("职业".into(), class.occupation_name.clone()),
            ("等级".into(), claim.level.label().to_owned()),
        ],
        paragraphs: vec![
            format!(
                "根据辽宁省数字技术工程师培育项目实施方案，现将{}“{}”班期拟拨付培训补贴的人员予以公示，公示期为 {}。",
                claim.institution_name,
                claim.class_title,
                period(starts_on, ends_on)
            ),
            objection_text(&claim, ends_on),
        ],
        columns: NOTICE_COLUMNS,
        rows,
        totals: vec![(
            "补贴金额合计".into(),
            format!("{} 人，{} 元", paid.len(), sum(&paid).yuan()),
        )],
        notes: vec![
            "姓名、证件号码按规定部分隐去。".into(),
            printed_note(context),
        ],
    };
    render(context, document, format).await
}

/// How to object to a notice: where, by when and who decides.
fn objection_text(claim: &ClaimRow, ends_on: NaiveDate) -> String {
    format!(
        "对公示人员有异议的，请于 {ends_on} 前通过数字技术工程师培育项目平台的公示页面提交异议并留下联系方式，由{}人社局核实处理。",
        claim.region
    )
}

/// A claim's form or ledger, for those who may read the claim; audited as `claim.document`
/// with which document.
pub async fn claim_document(
    context: &Context,
    principal: &Principal,
    id: i64,
    which: ClaimDocument,
    format: DocumentFormat,
) -> Result<Download, ServiceError> {
    let view = super::claim(context, principal, id).await?;
    let class = crate::classes::class_for(context, principal, view.claim.class_id)
        .await
        .map_err(|_| claim_not_found())?;
    check_lines(view.lines.len(), "该申领")?;
    let document = match which {
        ClaimDocument::Form => form(context, &view, &class),
        ClaimDocument::Ledger => super::ledger::ledger(context, &view, class).await?,
    };
    let download = render(context, document, format).await?;
    let event = Event::success("claim.document", "claim", id.to_string()).with_after(
        serde_json::json!({"document": format!("{}.{}", which.name(), format.extension())}),
    );
    crate::audit::record(context, principal, event).await?;
    Ok(download)
}

/// The fields every document of a claim opens with.
pub(crate) fn claim_fields(claim: &ClaimRow, class: &dte_store::ClassRow) -> Vec<(String, String)> {
    vec![
        ("申领编号".into(), claim.id.to_string()),
        ("申领状态".into(), claim.status.label().to_owned()),
        ("班期".into(), claim.class_title.clone()),
        ("培训机构".into(), claim.institution_name.clone()),
        ("地区".into(), claim.region.clone()),
        ("培训日期".into(), period(class.start_date, class.end_date)),
        ("职业".into(), class.occupation_name.clone()),
        ("等级".into(), claim.level.label().to_owned()),
    ]
}

const FORM_COLUMNS: &[Column] = &[
    figure("序号", 10.0),
    column("姓名", 14.0),
    column("证件号码", 31.0),
    figure("学时", 11.0),
    figure("标准（元/学时）", 17.0),
    figure("金额（元）", 19.0),
    column("状态", 19.0),
    column("原因及审核意见", 59.0),
];

/// The reasons of a line and the reviewer's rejection, in Chinese.
fn reasons(line: &ClaimLineRow) -> String {
    let mut parts: Vec<String> = line
        .reasons
        .iter()
        .map(|reason| reason.message.clone())
        .collect();
    if line.review_decision.as_deref() == Some("reject") {
        let reason = line.review_reason.as_deref().unwrap_or_default();
        let label = LineDecision::REJECTIONS
            .iter()
            .find(|(code, _)| *code == reason)
            .map_or(reason, |(_, label)| *label);
        let remark = line.review_remark.as_deref().unwrap_or_default();
        parts.push(format!("审核不予核准：{label}（{remark}）"));
    }
    parts.join("；")
}

/// 补贴申请表: the claim, each line with its reasons, and the totals.
fn form(context: &Context, view: &ClaimView, class: &dte_store::ClassRow) -> Document {
    let claim = &view.claim;
    let mut fields = claim_fields(claim, class);
    if let Some(submitted) = claim.submitted_at {
        let at = submitted.with_timezone(&chrono_tz::Asia::Shanghai);
        fields.push(("提交时间".into(), at.format("%Y-%m-%d %H:%M").to_string()));
    }
    if let Some(due) = claim.review_due_on {
        fields.push(("审核期限".into(), due.to_string()));
    }
    if let (Some(from), Some(to)) = (claim.notice_starts_on, claim.notice_ends_on) {
        fields.push(("公示期".into(), period(from, to)));
    }
    let rows = view
        .lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            vec![
                (index + 1).to_string(),
                masked(line),
                line.id_number_masked.clone(),
                line.hours.to_string(),
                line.rate_fen_per_hour.yuan(),
                line.amount.yuan(),
                line.status.label().to_owned(),
                reasons(line),
            ]
        })
        .collect();
    let claimed: Vec<&ClaimLineRow> = view
        .lines
        .iter()
        .filter(|line| line.status != LineStatus::Ineligible)
        .collect();
    let approved: Vec<&ClaimLineRow> = view
        .lines
        .iter()
        .filter(|line| line.status.holds_subsidy())
        .collect();
    Document {
        file_stem: format!("claim-{}-form", claim.id),
        sheet_name: "补贴申请表",
        title: "职业技能培训补贴申请表".into(),
        fields,
        paragraphs: Vec::new(),
        columns: FORM_COLUMNS,
        rows,
        totals: vec![
            (
                "申领合计".into(),
                format!("{} 人，{} 元", claimed.len(), sum(&claimed).yuan()),
            ),
            (
                "核准合计".into(),
                format!("{} 人，{} 元", approved.len(), sum(&approved).yuan()),
            ),
            ("已拨付".into(), format!("{} 元", claim.paid.yuan())),
        ],
        notes: vec![
            "补贴金额按辽宁省数字技术工程师培育项目实施方案附件5：学时要求 × 补贴标准。姓名、证件号码按规定部分隐去。".into(),
            printed_note(context),
        ],
    }
}
