//! Supervision's consequences (培训监督, SPEC step 10; issue 14 items 5–7): a city reviews each
//! risk flag, a finding, a confirmed flag or an upheld complaint becomes a violation, and a
//! violation carries sanctions whose effects bite where the plan's money and catalogs are
//! decided. The plan (辽人社发〔2023〕36号) 五: 各市人社部门要加强对培训机构的资质、招生、培训过程和
//! 资金使用的监督; 七（二）: 对弄虚作假、骗取补贴的，依法依规追回资金并严肃处理.
//!
//! Here live what may be recorded ([`check_review`], [`check_violation`], [`check_sanction`],
//! [`check_lift`], [`check_complaint`], [`check_resolution`]) and what a sanction does on a date
//! ([`SanctionFact::in_force`], [`subsidy_exclusions`]). Suspension and removal from the catalog
//! take effect through the catalog's own standing of the institution; a clawback opens the
//! subsidy issue's case.

use crate::Violation;
use crate::phone::Phone;
use chrono::{Months, NaiveDate};

/// What a city decided about a risk flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagVerdict {
    /// The pattern is fraud or a breach: it becomes a violation.
    Confirmed,
    /// The pattern has an innocent cause, written down.
    Dismissed,
}

impl FlagVerdict {
    pub fn as_str(self) -> &'static str {
        match self {
            FlagVerdict::Confirmed => "confirmed",
            FlagVerdict::Dismissed => "dismissed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FlagVerdict::Confirmed => "确认违规",
            FlagVerdict::Dismissed => "排除",
        }
    }

    pub fn parse(text: &str) -> Option<FlagVerdict> {
        match text {
            "confirmed" => Some(FlagVerdict::Confirmed),
            "dismissed" => Some(FlagVerdict::Dismissed),
            _ => None,
        }
    }
}

/// The kinds of violation (违规类型) a supervisor records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViolationKind {
    /// 代签到、冒名顶替: someone checked in or sat for another.
    ProxyAttendance,
    /// 虚假培训: training that did not take place as reported.
    FalseTraining,
    /// 虚报学时: hours claimed beyond those attended.
    InflatedHours,
    /// 伪造材料: forged enrolment, category or commitment documents.
    ForgedDocuments,
    /// 未按规定全程录像: sessions without their recording.
    MissingRecording,
    /// 招收不符合条件人员: trainees outside the plan's conditions.
    IneligibleTrainees,
    /// 其他违规.
    Other,
}

impl ViolationKind {
    pub const ALL: [ViolationKind; 7] = [
        ViolationKind::ProxyAttendance,
        ViolationKind::FalseTraining,
        ViolationKind::InflatedHours,
        ViolationKind::ForgedDocuments,
        ViolationKind::MissingRecording,
        ViolationKind::IneligibleTrainees,
        ViolationKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ViolationKind::ProxyAttendance => "proxy_attendance",
            ViolationKind::FalseTraining => "false_training",
            ViolationKind::InflatedHours => "inflated_hours",
            ViolationKind::ForgedDocuments => "forged_documents",
            ViolationKind::MissingRecording => "missing_recording",
            ViolationKind::IneligibleTrainees => "ineligible_trainees",
            ViolationKind::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ViolationKind::ProxyAttendance => "代签到、冒名顶替",
            ViolationKind::FalseTraining => "虚假培训",
            ViolationKind::InflatedHours => "虚报学时",
            ViolationKind::ForgedDocuments => "伪造材料",
            ViolationKind::MissingRecording => "未按规定全程录像",
            ViolationKind::IneligibleTrainees => "招收不符合条件人员",
            ViolationKind::Other => "其他违规",
        }
    }

    pub fn parse(text: &str) -> Option<ViolationKind> {
        ViolationKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == text)
    }
}

/// Where a violation was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ViolationSource {
    /// A finding of an inspection, by its id.
    Finding(i64),
    /// A risk flag the city confirmed, by its key.
    Flag(String),
    /// A complaint the city upheld, by its id.
    Complaint(i64),
}

impl ViolationSource {
    /// The stored kind and reference (one violation per source: a constraint too).
    pub fn parts(&self) -> (&'static str, String) {
        match self {
            ViolationSource::Finding(id) => ("finding", id.to_string()),
            ViolationSource::Flag(key) => ("flag", key.clone()),
            ViolationSource::Complaint(id) => ("complaint", id.to_string()),
        }
    }

    pub fn from_parts(kind: &str, reference: &str) -> Option<ViolationSource> {
        match kind {
            "finding" => reference.parse().ok().map(ViolationSource::Finding),
            "flag" => Some(ViolationSource::Flag(reference.to_owned())),
            "complaint" => reference.parse().ok().map(ViolationSource::Complaint),
            _ => None,
        }
    }

    pub fn label(&self) -> String {
        match self {
            ViolationSource::Finding(id) => format!("检查发现 #{id}"),
            ViolationSource::Flag(_) => "风险提示复核确认".to_owned(),
            ViolationSource::Complaint(id) => format!("举报投诉 #{id}"),
        }
    }
}

/// Whom a violation or sanction is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    Institution(i64),
    Class(i64),
    Person(i64),
}

impl Target {
    pub fn parts(self) -> (&'static str, i64) {
        match self {
            Target::Institution(id) => ("institution", id),
            Target::Class(id) => ("class", id),
            Target::Person(id) => ("person", id),
        }
    }

    pub fn from_parts(kind: &str, id: i64) -> Option<Target> {
        match kind {
            "institution" => Some(Target::Institution(id)),
            "class" => Some(Target::Class(id)),
            "person" => Some(Target::Person(id)),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Target::Institution(_) => "机构",
            Target::Class(_) => "班期",
            Target::Person(_) => "人员",
        }
    }
}

/// The sanctions of issue 14 item 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SanctionKind {
    /// 约谈: a recorded interview with the institution.
    Interview,
    /// 责令整改: a correction order with a deadline, closed after a follow-up.
    CorrectionOrder,
    /// 取消个人补贴资格: the person's claim lines are refused.
    ExcludePerson,
    /// 取消班期补贴: every line of the class is refused.
    ExcludeClass,
    /// 追回补贴: opens the clawback case of what was paid.
    Clawback,
    /// 暂停培训资格: the institution opens, enrols and is paid nothing while it lasts.
    Suspension,
    /// 移出目录: the institution leaves the catalog.
    Removal,
    /// 列入失信名单: an institution or a person who took part in fraud, for the settings' period.
    Blacklist,
}

impl SanctionKind {
    pub const ALL: [SanctionKind; 8] = [
        SanctionKind::Interview,
        SanctionKind::CorrectionOrder,
        SanctionKind::ExcludePerson,
        SanctionKind::ExcludeClass,
        SanctionKind::Clawback,
        SanctionKind::Suspension,
        SanctionKind::Removal,
        SanctionKind::Blacklist,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SanctionKind::Interview => "interview",
            SanctionKind::CorrectionOrder => "correction_order",
            SanctionKind::ExcludePerson => "exclude_person",
            SanctionKind::ExcludeClass => "exclude_class",
            SanctionKind::Clawback => "clawback",
            SanctionKind::Suspension => "suspension",
            SanctionKind::Removal => "removal",
            SanctionKind::Blacklist => "blacklist",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SanctionKind::Interview => "约谈",
            SanctionKind::CorrectionOrder => "责令整改",
            SanctionKind::ExcludePerson => "取消个人补贴资格",
            SanctionKind::ExcludeClass => "取消班期补贴",
            SanctionKind::Clawback => "追回补贴",
            SanctionKind::Suspension => "暂停培训资格",
            SanctionKind::Removal => "移出目录",
            SanctionKind::Blacklist => "列入失信名单",
        }
    }

    pub fn parse(text: &str) -> Option<SanctionKind> {
        SanctionKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == text)
    }

    /// Whether the target fits the sanction: an interview, a suspension or a removal is of an
    /// institution; a correction order of an institution or a class; an exclusion of its
    /// person or class; a clawback of a class or a person; the 失信 list of an institution or
    /// a person.
    pub fn fits(self, target: Target) -> bool {
        matches!(
            (self, target),
            (
                SanctionKind::Interview | SanctionKind::Suspension | SanctionKind::Removal,
                Target::Institution(_),
            ) | (
                SanctionKind::CorrectionOrder,
                Target::Institution(_) | Target::Class(_)
            ) | (SanctionKind::ExcludePerson, Target::Person(_))
                | (SanctionKind::ExcludeClass, Target::Class(_))
                | (SanctionKind::Clawback, Target::Class(_) | Target::Person(_))
                | (
                    SanctionKind::Blacklist,
                    Target::Institution(_) | Target::Person(_)
                )
        )
    }

    /// The plan's 六（一）: the province keeps the two catalogs (两目录由省人社厅实行动态管理), so a
    /// suspension or a removal from the catalog is the province's; the city of the region
    /// imposes the others.
    pub fn province_only(self) -> bool {
        matches!(self, SanctionKind::Suspension | SanctionKind::Removal)
    }

    /// Whether lifting the sanction means something (an interview took place; a clawback is
    /// closed by recovery or write-off in its case; a removal is undone by listing again).
    pub fn liftable(self) -> bool {
        matches!(
            self,
            SanctionKind::CorrectionOrder
                | SanctionKind::ExcludePerson
                | SanctionKind::ExcludeClass
                | SanctionKind::Suspension
                | SanctionKind::Blacklist
        )
    }
}

/// A sanction as the effects read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SanctionFact {
    pub id: i64,
    pub kind: SanctionKind,
    pub target: Target,
    pub from: NaiveDate,
    /// The last day it lasts (a correction order's deadline, the 失信 list's end); `None`: until
    /// lifted.
    pub until: Option<NaiveDate>,
    /// The day it was lifted.
    pub lifted_on: Option<NaiveDate>,
}

impl SanctionFact {
    /// Whether the sanction holds on `day`: from its first day, to its last if it has one, and
    /// not on or after the day it was lifted.
    pub fn in_force(&self, day: NaiveDate) -> bool {
        day >= self.from
            && self.until.is_none_or(|until| day <= until)
            && self.lifted_on.is_none_or(|lifted| day < lifted)
    }

    /// How a claim line's reason names it: `取消班期补贴（#12，2026-04-01 起）`.
    pub fn label(&self) -> String {
        format!(
            "{}（#{}，{} 起）",
            self.kind.label(),
            self.id,
            self.from.format("%Y-%m-%d")
        )
    }
}

/// Whether a sanction in force on `day` takes the institution out of the catalog: a suspension
/// (暂停) or a removal (移出目录) of it (issue 14 item 1: a suspended or removed institution opens
/// no class, enrols no one, gets no exam plan and no claim paid). The one place the rule lives;
/// `dte_app::catalog::standing` asks it.
pub fn suspended_by_sanction(
    sanctions: &[SanctionFact],
    institution_id: i64,
    day: NaiveDate,
) -> bool {
    sanctions.iter().any(|sanction| {
        sanction.in_force(day)
            && matches!(
                sanction.kind,
                SanctionKind::Suspension | SanctionKind::Removal
            )
            && sanction.target == Target::Institution(institution_id)
    })
}

/// The sanctions that exclude a claim line of `person` in `class` of `institution` from subsidy
/// on `day` (issue 14 item 5; the subsidy issue's `excluded_by_sanction`): the person's or the
/// class's exclusion, the 失信 list of the person or of the institution, and the institution's
/// suspension or removal ([`suspended_by_sanction`]: no claim paid). The one place the rule
/// lives.
pub fn subsidy_exclusions(
    sanctions: &[SanctionFact],
    institution_id: i64,
    class_id: i64,
    person_id: i64,
    day: NaiveDate,
) -> Vec<String> {
    sanctions
        .iter()
        .filter(|sanction| sanction.in_force(day))
        .filter(|sanction| match (sanction.kind, sanction.target) {
            (SanctionKind::ExcludePerson, Target::Person(id)) => id == person_id,
            (SanctionKind::ExcludeClass, Target::Class(id)) => id == class_id,
            (SanctionKind::Blacklist, Target::Person(id)) => id == person_id,
            (SanctionKind::Blacklist, Target::Institution(id)) => id == institution_id,
            (SanctionKind::Suspension | SanctionKind::Removal, Target::Institution(id)) => {
                id == institution_id
            }
            _ => false,
        })
        .map(SanctionFact::label)
        .collect()
}

fn text_between(
    field: &str,
    text: &str,
    range: std::ops::RangeInclusive<usize>,
    what: &str,
) -> Result<String, Violation> {
    let text = text.trim();
    if range.contains(&text.chars().count()) {
        Ok(text.to_owned())
    } else {
        Err(Violation {
            field: field.to_owned(),
            code: "invalid_text",
            message: format!("请填写{what}（{} 至 {} 字）", range.start(), range.end()),
        })
    }
}

/// A flag review: confirmed with the violation's kind, or dismissed with its reason (issue 14
/// item 6: 确认 → 违规，排除须写明理由). Answers the trimmed reason.
pub fn check_review(verdict: FlagVerdict, reason: &str) -> Result<String, Violation> {
    let what = match verdict {
        FlagVerdict::Confirmed => "确认违规的依据",
        FlagVerdict::Dismissed => "排除的理由",
    };
    text_between("reason", reason, 2..=500, what)
}

/// A violation's description (2–1000 characters).
pub fn check_violation(description: &str) -> Result<String, Violation> {
    text_between("description", description, 2..=1000, "违规情况")
}

/// What a sanction is given with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SanctionDraft {
    pub kind: SanctionKind,
    pub target: Target,
    /// The first day (an interview's date).
    pub from: NaiveDate,
    /// A correction order's deadline.
    pub deadline: Option<NaiveDate>,
    /// The decision (and an interview's record).
    pub remark: String,
}

/// Whether a sanction may be given on `today` (issue 14 item 5), with its last day: a
/// correction order's deadline after its first day, the 失信 list for `blacklist_months` (the
/// setting), none for the others; the target must fit the kind; an interview has happened (its
/// date is not in the future) and has its record.
pub fn check_sanction(
    draft: &SanctionDraft,
    today: NaiveDate,
    blacklist_months: u32,
) -> Result<Option<NaiveDate>, Vec<Violation>> {
    let mut violations = Vec::new();
    let refuse =
        |violations: &mut Vec<Violation>, field: &str, code: &'static str, message: String| {
            violations.push(Violation {
                field: field.to_owned(),
                code,
                message,
            })
        };
    if !draft.kind.fits(draft.target) {
        refuse(
            &mut violations,
            "target",
            "sanction_target_mismatch",
            format!("“{}”不能针对{}", draft.kind.label(), draft.target.label()),
        );
    }
    let remark_range = if draft.kind == SanctionKind::Interview {
        10..=2000
    } else {
        2..=1000
    };
    let what = if draft.kind == SanctionKind::Interview {
        "约谈记录"
    } else {
        "处理决定"
    };
    if let Err(violation) = text_between("remark", &draft.remark, remark_range, what) {
        violations.push(violation);
    }
    let mut until = None;
    match draft.kind {
        SanctionKind::Interview if draft.from > today => refuse(
            &mut violations,
            "from",
            "interview_in_future",
            "约谈须在进行后记录，日期不能晚于今天".to_owned(),
        ),
        SanctionKind::CorrectionOrder => match draft.deadline {
            Some(deadline) if deadline > draft.from => until = Some(deadline),
            Some(_) => refuse(
                &mut violations,
                "deadline",
                "deadline_before_start",
                "整改期限应晚于下达日期".to_owned(),
            ),
            None => refuse(
                &mut violations,
                "deadline",
                "deadline_required",
                "责令整改须写明整改期限".to_owned(),
            ),
        },
        SanctionKind::Blacklist => {
            until = draft
                .from
                .checked_add_months(Months::new(blacklist_months))
                .and_then(|end| end.pred_opt());
            if until.is_none() {
                refuse(
                    &mut violations,
                    "from",
                    "invalid_date",
                    "失信期限超出日期范围".to_owned(),
                );
            }
        }
        _ => {}
    }
    if draft.kind != SanctionKind::CorrectionOrder && draft.deadline.is_some() {
        refuse(
            &mut violations,
            "deadline",
            "deadline_not_applicable",
            format!("“{}”没有整改期限", draft.kind.label()),
        );
    }
    if violations.is_empty() {
        Ok(until)
    } else {
        Err(violations)
    }
}

/// Whether a sanction may be lifted on `day` with `reason`: one that lasts (not an interview, a
/// clawback or a removal), not lifted before, not before it began; a correction order is closed
/// by its follow-up (the reason names it).
pub fn check_lift(
    sanction: &SanctionFact,
    day: NaiveDate,
    reason: &str,
) -> Result<String, Violation> {
    let refuse = |code: &'static str, message: String| Violation {
        field: "reason".to_owned(),
        code,
        message,
    };
    if !sanction.kind.liftable() {
        return Err(refuse(
            "sanction_not_liftable",
            format!("“{}”不需要解除", sanction.kind.label()),
        ));
    }
    if sanction.lifted_on.is_some() {
        return Err(refuse("already_lifted", "该处理已经解除".to_owned()));
    }
    if day < sanction.from {
        return Err(Violation {
            field: "lifted_on".to_owned(),
            code: "lift_before_start",
            message: "解除日期不能早于处理开始日期".to_owned(),
        });
    }
    let what = if sanction.kind == SanctionKind::CorrectionOrder {
        "整改复查结果"
    } else {
        "解除理由"
    };
    text_between("reason", reason, 2..=500, what)
}

/// A complaint from the public (举报投诉, issue 14 item 7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintDraft {
    pub target: Target,
    pub content: String,
    /// A mobile number to reach the complainant (required; kept encrypted, shown masked).
    pub contact: String,
    /// A name, if the complainant gives one.
    pub name: String,
}

/// A complaint checked: its content and name trimmed, its contact parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedComplaint {
    pub content: String,
    pub contact: Phone,
    pub name: Option<String>,
}

/// Whether a complaint may be lodged: about an institution or a class, 10–2000 characters,
/// with a mobile number to reach the complainant, a name of at most 32 characters if any.
pub fn check_complaint(draft: &ComplaintDraft) -> Result<CheckedComplaint, Vec<Violation>> {
    let mut violations = Vec::new();
    if matches!(draft.target, Target::Person(_)) {
        violations.push(Violation {
            field: "target".to_owned(),
            code: "complaint_target",
            message: "请选择被举报的培训机构或班期".to_owned(),
        });
    }
    let content = text_between("content", &draft.content, 10..=2000, "举报内容")
        .map_err(|violation| violations.push(violation))
        .ok();
    let contact = Phone::parse(&draft.contact)
        .map_err(|_| {
            violations.push(Violation {
                field: "contact".to_owned(),
                code: "contact_required",
                message: "请填写可以联系到您的 11 位手机号码（只用于核实，不会公开）".to_owned(),
            })
        })
        .ok();
    let name = draft.name.trim();
    if name.chars().count() > 32 {
        violations.push(Violation {
            field: "name".to_owned(),
            code: "name_too_long",
            message: "姓名最多 32 个字".to_owned(),
        });
    }
    match (content, contact) {
        (Some(content), Some(contact)) if violations.is_empty() => Ok(CheckedComplaint {
            content,
            contact,
            name: (!name.is_empty()).then(|| name.to_owned()),
        }),
        _ => Err(violations),
    }
}

/// How a city resolved a complaint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComplaintOutcome {
    /// 查实: it becomes a violation.
    Upheld,
    /// 不属实.
    NotUpheld,
}

impl ComplaintOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            ComplaintOutcome::Upheld => "upheld",
            ComplaintOutcome::NotUpheld => "not_upheld",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ComplaintOutcome::Upheld => "查实",
            ComplaintOutcome::NotUpheld => "不属实",
        }
    }

    pub fn parse(text: &str) -> Option<ComplaintOutcome> {
        match text {
            "upheld" => Some(ComplaintOutcome::Upheld),
            "not_upheld" => Some(ComplaintOutcome::NotUpheld),
            _ => None,
        }
    }
}

/// A resolution's remark (2–1000 characters): what was checked and found.
pub fn check_resolution(remark: &str) -> Result<String, Violation> {
    text_between("remark", remark, 2..=1000, "处理结果说明")
}

#[cfg(test)]
#[path = "supervision_tests.rs"]
mod tests;
