//! The payments and clawbacks report (issue 13 item 6): for the classes of one year in the
//! principal's scope (a city its region, the province everything), what was paid, clawed back
//! and recovered, by region, year, occupation, level and fund source, with counts. A payment
//! comes from one fund and a recovery returns to one; a clawback case is of lines, not of a
//! fund, so its amount stands on a row without a fund source. [`subsidy_report`] sums the
//! store's facts; its rows add up to its totals, which are summed from the facts directly.

use super::documents::{Column, Document, DocumentFormat, Download, column, figure, printed_note};
use crate::{Context, Principal, ServiceError};
use dte_domain::Fen;
use dte_domain::access::{Action, Facts};
use dte_domain::money::MoneyOverflow;
use dte_domain::subsidy::FundSource;
use dte_store::{ReportKey, SubsidyReportFacts};
use std::collections::BTreeMap;

/// The most payments, cases or recoveries a report sums; beyond it the report is refused.
pub const REPORT_FACTS_MAX: usize = 200_000;

/// The figures of one row, or of the whole report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReportFigures {
    pub payments: u64,
    pub paid: Fen,
    pub clawbacks: u64,
    pub clawed_back: Fen,
    pub recoveries: u64,
    pub recovered: Fen,
}

/// One row: a region, year, occupation, level and fund source (none for clawback cases).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    pub key: ReportKey,
    pub source: Option<FundSource>,
    pub figures: ReportFigures,
}

/// The report: its rows in order (region, year, occupation, level, then 专账结余, 就业补助资金,
/// and the row without a fund source) and its totals.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubsidyReport {
    pub rows: Vec<ReportRow>,
    pub totals: ReportFigures,
}

fn add(total: &mut Fen, amount: Fen) -> Result<(), MoneyOverflow> {
    *total = total.checked_add(amount)?;
    Ok(())
}

/// Sums the facts by region, year, occupation, level and fund source.
pub fn subsidy_report(facts: &SubsidyReportFacts) -> Result<SubsidyReport, MoneyOverflow> {
    let mut rows: BTreeMap<(ReportKey, bool, Option<FundSource>), ReportFigures> = BTreeMap::new();
    let mut totals = ReportFigures::default();
    for payment in &facts.payments {
        let figures = rows
            .entry((payment.key.clone(), false, Some(payment.source)))
            .or_default();
        figures.payments += 1;
        add(&mut figures.paid, payment.amount)?;
        totals.payments += 1;
        add(&mut totals.paid, payment.amount)?;
    }
    for case in &facts.clawbacks {
        let figures = rows.entry((case.key.clone(), true, None)).or_default();
        figures.clawbacks += 1;
        add(&mut figures.clawed_back, case.amount)?;
        totals.clawbacks += 1;
        add(&mut totals.clawed_back, case.amount)?;
    }
    for recovery in &facts.recoveries {
        let figures = rows
            .entry((recovery.key.clone(), false, Some(recovery.source)))
            .or_default();
        figures.recoveries += 1;
        add(&mut figures.recovered, recovery.amount)?;
        totals.recoveries += 1;
        add(&mut totals.recovered, recovery.amount)?;
    }
    Ok(SubsidyReport {
        rows: rows
            .into_iter()
            .map(|((key, _, source), figures)| ReportRow {
                key,
                source,
                figures,
            })
            .collect(),
        totals,
    })
}

const REPORT_COLUMNS: &[Column] = &[
    column("地区", 16.0),
    figure("年度", 12.0),
    column("职业", 40.0),
    column("等级", 12.0),
    column("资金来源", 40.0),
    figure("拨付笔数", 16.0),
    figure("拨付金额（元）", 26.0),
    figure("追回案件数", 18.0),
    figure("应追回金额（元）", 26.0),
    figure("追回到账笔数", 20.0),
    figure("已追回金额（元）", 26.0),
];

fn cells(figures: &ReportFigures) -> [String; 6] {
    [
        figures.payments.to_string(),
        figures.paid.yuan(),
        figures.clawbacks.to_string(),
        figures.clawed_back.yuan(),
        figures.recoveries.to_string(),
        figures.recovered.yuan(),
    ]
}

/// The report of `year` (this year in Asia/Shanghai when none is given) in the principal's
/// scope, as an .xlsx.
pub async fn subsidy_report_download(
    context: &Context,
    principal: &Principal,
    year: Option<i32>,
) -> Result<Download, ServiceError> {
    crate::access::authorize(principal, Action::ListClaims, &Facts::default())?;
    let year = year.unwrap_or_else(|| chrono::Datelike::year(&context.clock.today()));
    if !(2000..=2100).contains(&year) {
        return Err(ServiceError::invalid("year", "年度应为 2000 至 2100"));
    }
    let scope = crate::classes::scope(principal)?;
    let limit = i64::try_from(REPORT_FACTS_MAX).unwrap_or(i64::MAX);
    let facts = context
        .store
        .subsidy_report_facts(&scope, year, limit)
        .await?;
    if [
        facts.payments.len(),
        facts.clawbacks.len(),
        facts.recoveries.len(),
    ]
    .iter()
    .any(|count| *count > REPORT_FACTS_MAX)
    {
        let mut error = ServiceError::invalid(
            "year",
            "该年度的拨付或追回记录过多，无法汇总为一个文件；请按地区分别导出",
        );
        error.code = "document_too_long";
        return Err(error);
    }
    let report = subsidy_report(&facts).map_err(ServiceError::internal)?;
    super::documents::check_lines(report.rows.len() + 1, "该报表")?;
    let occupations = context.store.occupations(year).await?;
    let name = |key: &ReportKey| {
        occupations
            .iter()
            .find(|occupation| occupation.code == key.occupation)
            .map_or_else(
                || key.occupation.as_str().to_owned(),
                |occupation| occupation.name.clone(),
            )
    };
    let mut rows: Vec<Vec<String>> = report
        .rows
        .iter()
        .map(|row| {
            let mut cells_of_row = vec![
                row.key.region.clone(),
                row.key.year.to_string(),
                name(&row.key),
                row.key.level.label().to_owned(),
                row.source
                    .map_or("（追回案件，不分资金来源）", FundSource::label)
                    .to_owned(),
            ];
            cells_of_row.extend(cells(&row.figures));
            cells_of_row
        })
        .collect();
    let mut total = vec![
        "合计".to_owned(),
        year.to_string(),
        String::new(),
        String::new(),
        String::new(),
    ];
    total.extend(cells(&report.totals));
    rows.push(total);
    let scope_label = match &scope {
        dte_domain::Scope::Province => "全省".to_owned(),
        dte_domain::Scope::Region(region) => region.clone(),
        _ => "本机构".to_owned(),
    };
    let document = Document {
        file_stem: format!("subsidies-{year}"),
        sheet_name: "补贴拨付与追回",
        title: format!("{year} 年度职业技能培训补贴拨付与追回情况"),
        fields: vec![
            ("范围".into(), scope_label),
            ("年度".into(), format!("{year} 年（按班期年度）")),
        ],
        paragraphs: Vec::new(),
        columns: REPORT_COLUMNS,
        rows,
        totals: vec![
            (
                "拨付".into(),
                format!(
                    "{} 笔，{} 元",
                    report.totals.payments,
                    report.totals.paid.yuan()
                ),
            ),
            (
                "应追回".into(),
                format!(
                    "{} 件，{} 元",
                    report.totals.clawbacks,
                    report.totals.clawed_back.yuan()
                ),
            ),
            (
                "已追回".into(),
                format!(
                    "{} 笔，{} 元",
                    report.totals.recoveries,
                    report.totals.recovered.yuan()
                ),
            ),
        ],
        notes: vec![
            "拨付按资金来源分列；追回款按退回的资金来源分列；追回案件的应追回金额不分资金来源。"
                .into(),
            printed_note(context),
        ],
    };
    super::documents::render(context, document, DocumentFormat::Xlsx).await
}
