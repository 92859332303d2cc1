//! People within scope: masked by default; the full ID number and phone only on request, for
//! the roles whose work needs them, and every such view audited.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, ErrorBody};
use axum::extract::{Path, Query, State};
use axum::{Extension, Json};
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
    let view = dte_app::classes::persons::show(&state, &caller, id, query.reveal).await?;
    Ok(Json(Person {
        id,
        name: view.person.name,
        id_number: view.id_number,
        phone: view.phone,
        birth_date: view.person.birth_date.to_string(),
        revealed: view.revealed,
    }))
}
