//! People within scope: masked by default; the full ID number and phone only on request, for
//! the roles whose work needs them, and every such view audited.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, ErrorBody};
use axum::extract::{Path, Query, State};
use axum::{Extension, Json};
use dte_app::classes::scope;
use dte_store::AuditOutcome;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Whether to show the full values.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct RevealQuery {
    /// `true` to see the full ID number and phone (audited).
    #[serde(default)]
    pub reveal: bool,
}

/// A person; `id_number` and `phone` are masked unless revealed.
#[derive(Debug, Serialize, ToSchema)]
pub struct Person {
    pub id: i64,
    pub name: String,
    pub id_number: String,
    pub phone: Option<String>,
    pub birth_date: String,
    /// Whether `id_number` and `phone` are the full values.
    pub revealed: bool,
}

/// A person the caller's scope reaches (enrolled in one of its classes); 404 otherwise.
#[utoipa::path(get, path = "/api/v1/persons/{id}", tag = "enrolment", params(("id" = i64, Path, description = "Person id"), RevealQuery), responses(
    (status = 200, body = Person, description = "The person"),
    (status = 404, body = ErrorBody, description = "No such person in scope"),
))]
pub async fn show(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Query(query): Query<RevealQuery>,
) -> Result<Json<Person>, AppError> {
    let Some(person) = state.store.person_in_scope(&scope(&caller)?, id).await? else {
        let event = dte_app::audit::Event::success("access.denied", "person", id.to_string())
            .with_outcome(AuditOutcome::Denied);
        dte_app::audit::record(&state, &caller, event).await?;
        return Err(AppError::not_found(
            "person_not_found",
            format!("未找到编号为 {id} 的人员"),
        ));
    };
    let (id_number, phone) = if query.reveal {
        let (id_number, phone) = person.reveal(&state.keyring).map_err(AppError::internal)?;
        dte_app::audit::record(
            &state,
            &caller,
            dte_app::audit::Event::success("person.reveal", "person", id.to_string()),
        )
        .await?;
        (id_number, phone)
    } else {
        (person.id_number_masked.clone(), person.phone_masked.clone())
    };
    Ok(Json(Person {
        id,
        name: person.name,
        id_number,
        phone,
        birth_date: person.birth_date.to_string(),
        revealed: query.reveal,
    }))
}
