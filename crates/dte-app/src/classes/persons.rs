//! People as those who enrol, teach and supervise them see them: a person in the principal's
//! scope (one of their classes is), masked, or with the ID number and phone revealed (audited).

use super::scope;
use crate::{Context, Principal, ServiceError};
use dte_store::{AuditOutcome, PersonRow};

/// A person, with the ID number and phone in full (`reveal`, audited) or masked.
#[derive(Debug, Clone)]
pub struct PersonView {
    pub person: PersonRow,
    pub id_number: String,
    pub phone: Option<String>,
    pub revealed: bool,
}

/// The person if the principal's scope holds them; otherwise 404 like an unknown id, audited as
/// denied.
pub async fn person_for(
    context: &Context,
    principal: &Principal,
    id: i64,
) -> Result<PersonRow, ServiceError> {
    match context
        .store
        .person_in_scope(&scope(principal)?, id)
        .await?
    {
        Some(person) => Ok(person),
        None => {
            let event = crate::audit::Event::success("access.denied", "person", id.to_string())
                .with_outcome(AuditOutcome::Denied);
            crate::audit::record(context, principal, event).await?;
            Err(ServiceError::not_found(
                "person_not_found",
                format!("未找到编号为 {id} 的人员"),
            ))
        }
    }
}

/// The person as the principal may see them; `reveal` decrypts the ID number and phone and
/// records who saw them.
pub async fn show(
    context: &Context,
    principal: &Principal,
    id: i64,
    reveal: bool,
) -> Result<PersonView, ServiceError> {
    let person = person_for(context, principal, id).await?;
    let (id_number, phone) = if reveal {
        let (id_number, phone) = person
            .reveal(&context.keyring)
            .map_err(ServiceError::internal)?;
        crate::audit::record(
            context,
            principal,
            crate::audit::Event::success("person.reveal", "person", id.to_string()),
        )
        .await?;
        (id_number, phone)
    } else {
        (person.id_number_masked.clone(), person.phone_masked.clone())
    };
    Ok(PersonView {
        person,
        id_number,
        phone,
        revealed: reveal,
    })
}
