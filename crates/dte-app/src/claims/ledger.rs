//! The training ledger (培训台账) of a claim (issue 13 item 6): for each trainee on the claim,
//! the hours ledger as it stands now (timetable hours, offline and online hours counted, the
//! attendance rate), the numbers of both certificates the claim counts, and the documents on
//! file (category proof, commitment letter) — the records the claim was assembled from.

use super::ClaimView;
use super::assemble::certificates_for;
use super::documents::{Column, Document, claim_fields, column, figure, printed_note};
use crate::{Context, ServiceError};
use dte_domain::flags::MaskedName;
use dte_store::ClassRow;

const LEDGER_COLUMNS: &[Column] = &[
    figure("序号", 9.0),
    column("姓名", 13.0),
    column("证件号码", 31.0),
    figure("课表学时", 13.0),
    figure("线下学时", 13.0),
    figure("线上学时", 13.0),
    figure("出勤率", 13.0),
    column("培训合格证书编号", 25.0),
    column("专业技术等级证书编号", 25.0),
    column("补贴类别证明", 13.0),
    column("承诺书", 12.0),
];

fn on_file(present: bool) -> String {
    if present { "已提交" } else { "缺" }.to_owned()
}

/// 培训台账: one row per line of the claim.
pub(crate) async fn ledger(
    context: &Context,
    view: &ClaimView,
    class: ClassRow,
) -> Result<Document, ServiceError> {
    let fields = claim_fields(&view.claim, &class);
    let hours = crate::classes::attendance::ledger_of(context, class.clone(), None).await?;
    let mut rows = Vec::with_capacity(view.lines.len());
    for (index, line) in view.lines.iter().enumerate() {
        let ledger = hours
            .trainees
            .iter()
            .find(|trainee| trainee.person_id == line.person_id)
            .map(|trainee| trainee.ledger);
        let (training, level) = certificates_for(context, &class, line.person_id).await?;
        let documents = context.store.documents(line.enrolment_id).await?;
        let has = |kind: &str| documents.iter().any(|document| document.kind == kind);
        let dash = || "—".to_owned();
        let mut row = vec![
            (index + 1).to_string(),
            MaskedName::mask(&line.holder_name).as_str().to_owned(),
            line.id_number_masked.clone(),
        ];
        match ledger {
            Some(ledger) => row.extend([
                ledger.timetable_hours.to_string(),
                ledger.offline_hours.to_string(),
                ledger.online_hours.to_string(),
                format!("{}%", ledger.attendance_percent()),
            ]),
            None => row.extend([dash(), dash(), dash(), dash()]),
        }
        row.extend([
            training.map_or_else(dash, |certificate| certificate.number),
            level.map_or_else(dash, |certificate| {
                if certificate.level == class.level {
                    certificate.number
                } else {
                    format!("{}（{}）", certificate.number, certificate.level.label())
                }
            }),
            on_file(has("proof")),
            on_file(has("commitment")),
        ]);
        rows.push(row);
    }
    Ok(Document {
        file_stem: format!("claim-{}-ledger", view.claim.id),
        sheet_name: "培训台账",
        title: "职业技能培训台账".into(),
        fields,
        paragraphs: vec![format!(
            "学时按考勤核定：线下课须签到和签退，线上学时不超过规定比例；出勤率 = 核定学时 ÷ 课表学时，须达到 {}%。",
            hours.minimum_attendance_percent
        )],
        columns: LEDGER_COLUMNS,
        rows,
        totals: vec![("人数".into(), format!("{} 人", view.lines.len()))],
        notes: vec![
            "证书编号为该班期的培训合格证书和同职业的专业技术等级证书（等级不同时注明）。姓名、证件号码按规定部分隐去。".into(),
            printed_note(context),
        ],
    })
}
