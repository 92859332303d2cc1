//! Real-name enrolment on the class page (SPEC step 3): one person by form, a roster workbook
//! by upload (all or nothing), and a roster line's documents. The activation codes of the new
//! trainee accounts are shown once, on the page that answers the enrolment.

use super::show::{Enrolled, Extras, class_page};
use super::{FormErrors, PageError, is_page_error};
use crate::AppState;
use crate::auth::Caller;
use crate::error::AppError;
use axum::Extension;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use dte_app::classes::documents::store_document;
use dte_app::classes::enrol::{self, EnrolmentInput};
use serde::Deserialize;

/// The largest upload a page takes (a roster workbook, a document): the document limit of
/// the API with room for the form around it.
pub const UPLOAD_LIMIT: usize = 8 * 1024 * 1024;

/// One person as the enrolment form sends them, kept as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct EnrolForm {
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub category: String,
    pub employer_or_school: String,
    pub graduation_year: String,
    pub subsidy_category: String,
    /// A checkbox: present when ticked.
    pub commitment_signed: String,
}

/// `POST /classes/{id}/enrolments`: enrols one person and shows their activation code once.
pub async fn enrol(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Form(form): Form<EnrolForm>,
) -> Result<Response, PageError> {
    let class = enrol::own_class(&state, &caller, id, dte_domain::access::Action::Enrol).await?;
    let graduation_year = match form.graduation_year.trim() {
        "" => Ok(None),
        year => year
            .parse::<i32>()
            .map(Some)
            .map_err(|_| AppError::invalid("graduation_year", "毕业年份应为四位数字，例如 2027")),
    };
    let outcome = match graduation_year {
        Ok(graduation_year) => {
            let input = EnrolmentInput {
                name: form.name.clone(),
                id_number: form.id_number.clone(),
                phone: form.phone.clone(),
                category: form.category.clone(),
                employer_or_school: form.employer_or_school.clone(),
                graduation_year,
                subsidy_category: Some(form.subsidy_category.clone()),
                commitment_signed: !form.commitment_signed.is_empty(),
            };
            match enrol::parse(&input, state.clock.today()) {
                Ok(trainee) => enrol::enrol(&state, &caller, &class, &[trainee], &[String::new()])
                    .await
                    .map_err(crate::error::AppError::from),
                Err(error) => Err(error.into()),
            }
        }
        Err(error) => Err(error),
    };
    let extras = match outcome {
        Ok(outcomes) => Extras {
            notice: "报名成功。".into(),
            enrolled: outcomes.into_iter().map(Enrolled::from).collect(),
            ..Extras::default()
        },
        Err(error) if is_page_error(&error) => return Err(PageError(error)),
        Err(error) => {
            let extras = Extras {
                enrol_errors: FormErrors::from_error(&error, str::to_owned),
                enrol_form: form,
                ..Extras::default()
            };
            return class_page(&state, &caller, id, error.status, extras).await;
        }
    };
    class_page(&state, &caller, id, StatusCode::OK, extras).await
}

/// `POST /classes/{id}/roster`: a roster workbook (multipart field `file`), enrolled all or
/// nothing; the answer lists each new account's code, or each bad row.
pub async fn import_roster(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let class = enrol::own_class(
        &state,
        &caller,
        id,
        dte_domain::access::Action::ImportRoster,
    )
    .await?;
    let outcome = match read_upload(multipart).await {
        Ok(upload) if upload.file.is_empty() => {
            Err(AppError::invalid("file", "请选择填好的花名册文件（.xlsx）"))
        }
        Ok(upload) => enrol::import(&state, &caller, &class, &upload.file)
            .await
            .map_err(crate::error::AppError::from),
        Err(error) => Err(error),
    };
    let extras = match outcome {
        Ok(outcomes) => Extras {
            notice: format!("花名册导入成功，共 {} 人。", outcomes.len()),
            enrolled: outcomes.into_iter().map(Enrolled::from).collect(),
            ..Extras::default()
        },
        Err(error) if is_page_error(&error) => return Err(PageError(error)),
        Err(error) => {
            let status = error.status;
            let extras = Extras {
                roster_errors: FormErrors::from_error(&error, |_| String::new()),
                ..Extras::default()
            };
            return class_page(&state, &caller, id, status, extras).await;
        }
    };
    class_page(&state, &caller, id, StatusCode::OK, extras).await
}

/// `POST /enrolments/{id}/documents`: a photo, proof or commitment letter for a roster line
/// (multipart fields `kind` and `file`).
pub async fn upload_document(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(enrolment_id): Path<i64>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let class_id =
        dte_app::classes::documents::class_of_enrolment(&state, &caller, enrolment_id).await?;
    let outcome = match read_upload(multipart).await {
        Ok(upload) => store_document(
            &state,
            &caller,
            enrolment_id,
            &upload.kind,
            &upload.file_name,
            &upload.file,
        )
        .await
        .map(|_| ())
        .map_err(AppError::from),
        Err(error) => Err(error),
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/classes/{class_id}?done=document")).into_response()),
        Err(error) if is_page_error(&error) => Err(PageError(error)),
        Err(error) => {
            let extras = Extras {
                document_errors: FormErrors::from_error(&error, |_| String::new()),
                ..Extras::default()
            };
            class_page(&state, &caller, class_id, error.status, extras).await
        }
    }
}

/// The fields of an upload form.
#[derive(Default)]
pub(crate) struct Upload {
    pub(crate) kind: String,
    pub(crate) file_name: String,
    pub(crate) file: Vec<u8>,
}

/// A multipart upload's fields `kind` and `file`, or why it could not be read.
pub(crate) async fn read_upload(
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Upload, AppError> {
    let unreadable = |status: StatusCode| {
        let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
            format!("文件过大：每次上传不超过 {} MB", UPLOAD_LIMIT / 1024 / 1024)
        } else {
            "上传的内容无法读取，请重新选择文件后再试".to_owned()
        };
        AppError::invalid("file", message)
    };
    let mut multipart = multipart.map_err(|rejection| unreadable(rejection.status()))?;
    let mut upload = Upload::default();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|error| unreadable(error.status()))?
    {
        match field.name() {
            Some("kind") => {
                upload.kind = field
                    .text()
                    .await
                    .map_err(|error| unreadable(error.status()))?;
            }
            Some("file") => {
                upload.file_name = field.file_name().unwrap_or_default().to_owned();
                upload.file = field
                    .bytes()
                    .await
                    .map_err(|error| unreadable(error.status()))?
                    .to_vec();
            }
            _ => {}
        }
    }
    Ok(upload)
}
