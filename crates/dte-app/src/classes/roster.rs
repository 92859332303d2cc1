//! A class's roster (花名册) for export: in full for those who file it, masked for the rest.

use super::{class_for, enrol};
use crate::{Context, Principal, ServiceError};
use dte_domain::access::Action;

/// The roster as export rows: in full for the class's own institution and its region's city
/// (who file it), masked for everyone else. A full export is audited.
pub async fn export_rows(
    context: &Context,
    principal: &Principal,
    id: i64,
) -> Result<(dte_store::ClassRow, Vec<dte_docs::roster::RosterExportRow>), ServiceError> {
    let class = class_for(context, principal, id).await?;
    let roster = context.store.class_roster(class.id).await?;
    let full = crate::access::allows(
        principal,
        Action::RevealRoster,
        &crate::access::class_record(&class),
    );
    let names: std::collections::HashMap<String, String> = enrol::subsidy_choices(context)
        .await?
        .into_iter()
        .map(|choice| (choice.code, choice.name))
        .collect();
    let mut rows = Vec::with_capacity(roster.len());
    for entry in &roster {
        let (id_number, phone) = if full {
            let (id_number, phone) = entry
                .reveal(&context.keyring)
                .map_err(ServiceError::internal)?;
            (id_number, phone.unwrap_or_default())
        } else {
            (
                entry.id_number_masked.clone(),
                entry.phone_masked.clone().unwrap_or_default(),
            )
        };
        rows.push(dte_docs::roster::RosterExportRow {
            name: entry.name.clone(),
            id_number,
            phone,
            category: entry.category,
            employer_or_school: entry.employer_or_school.clone(),
            graduation_year: entry.graduation_year,
            subsidy_category_name: entry
                .subsidy_category
                .as_ref()
                .map(|code| names.get(code).cloned().unwrap_or_else(|| code.clone())),
            subsidised: entry.subsidised,
            status: if entry.active { "在册" } else { "已退出" }.to_owned(),
        });
    }
    let event = crate::audit::Event::success(
        if full {
            "roster.export_full"
        } else {
            "roster.export"
        },
        "class",
        id.to_string(),
    )
    .with_after(serde_json::json!({"rows": rows.len(), "full": full}));
    crate::audit::record(context, principal, event).await?;
    Ok((class, rows))
}
