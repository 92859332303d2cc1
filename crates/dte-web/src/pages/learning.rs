//! The trainee's learning page of an online session (`/learn/{id}`, issue 5 item 3): plays the
//! session's material, beats every 30 s while visible (`assets/learn.js`), shows presence
//! confirmations and the minutes credited so far; and the class's recordings page
//! (`/classes/{id}/recordings`, item 5) for the institution and supervisors, with the chunked
//! upload form (`assets/upload.js`).

use super::{Chrome, PageError, render};
use crate::AppState;
use crate::auth::Caller;
use crate::pages::classes::ClassCard;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::response::Response;
use dte_app::classes::class_for;
use dte_app::classes::online::{learner_session, learning_state};
use dte_app::classes::recordings::{
    MAX_CHUNK_BYTES, RecordingView, SessionRecordingView, class_recordings,
};
use dte_domain::attendance::{HEARTBEAT_GAP_MAX_SECONDS, PRESENCE_ANSWER_SECONDS};
use dte_domain::class::Delivery;

#[derive(Template)]
#[template(path = "learn.html")]
struct LearnPage {
    chrome: Chrome,
    /// The policy's online share (the plan's 四（一）), as "50%".
    online_share: String,
    class_id: i64,
    class_title: String,
    session_id: i64,
    when: String,
    hours: u32,
    online: bool,
    material_title: Option<String>,
    credited_minutes: u32,
    session_minutes: u32,
    answer_seconds: i64,
    gap_seconds: i64,
}

/// `GET /learn/{id}`: the learning page of an online session for an enrolled trainee.
pub async fn learn(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let (person_id, session, class) = learner_session(&state, &caller, id).await?;
    let learning = learning_state(&state, &caller, person_id, &session, false).await?;
    let material = dte_app::classes::online::material_of(&state, &caller, session.id).await?;
    let page = LearnPage {
        chrome: Chrome::new("workbench", &caller),
        online_share: dte_app::policy_today(&state)
            .await?
            .online_share_max_percent
            .to_string(),
        class_id: class.id,
        class_title: class.title.clone(),
        session_id: session.id,
        when: format!(
            "{} {}–{}",
            session.date,
            session.start.format("%H:%M"),
            session.end.format("%H:%M")
        ),
        hours: session.hours,
        online: session.delivery == Delivery::Online.as_str(),
        material_title: material.map(|material| material.title),
        credited_minutes: learning.credited_minutes,
        session_minutes: learning.session_minutes,
        answer_seconds: PRESENCE_ANSWER_SECONDS,
        gap_seconds: HEARTBEAT_GAP_MAX_SECONDS,
    };
    Ok(render(&page))
}

/// One session line of the recordings page.
pub struct RecordingLine {
    pub session: SessionRecordingView,
    pub delivery_label: &'static str,
    pub state_label: &'static str,
    pub size: String,
    pub duration: String,
}

#[derive(Template)]
#[template(path = "recordings.html")]
struct RecordingsPage {
    chrome: Chrome,
    card: ClassCard,
    lines: Vec<RecordingLine>,
    missing: usize,
    own: bool,
    chunk_bytes: u64,
}

fn size_text(bytes: u64) -> String {
    const MIB: u64 = 1 << 20;
    if bytes >= 1 << 30 {
        format!("{:.2} GiB", bytes as f64 / (1u64 << 30) as f64)
    } else {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    }
}

fn duration_text(recording: &RecordingView) -> String {
    let seconds = recording.duration_seconds;
    format!(
        "{}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// `GET /classes/{id}/recordings`: every session's recording state, play and download links,
/// and for the institution running the class the upload forms.
pub async fn recordings(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let class = class_for(&state, &caller, id).await?;
    let sessions = class_recordings(&state, &caller, id).await?;
    let own = dte_app::access::allows(
        &caller,
        dte_domain::access::Action::UploadRecording,
        &dte_app::access::class_record(&class),
    );
    let lines: Vec<RecordingLine> = sessions
        .into_iter()
        .map(|session| RecordingLine {
            delivery_label: Delivery::parse(&session.delivery).map_or("", Delivery::label),
            state_label: match session.state.as_str() {
                "registered" => "已登记",
                "missing" => "缺录像",
                _ => "未开课",
            },
            size: session
                .recording
                .as_ref()
                .map(|recording| size_text(recording.size_bytes))
                .unwrap_or_default(),
            duration: session
                .recording
                .as_ref()
                .map(duration_text)
                .unwrap_or_default(),
            session,
        })
        .collect();
    let page = RecordingsPage {
        chrome: Chrome::new("workbench", &caller),
        card: ClassCard::new(&class),
        missing: lines
            .iter()
            .filter(|line| line.session.state == "missing")
            .count(),
        lines,
        own,
        chunk_bytes: MAX_CHUNK_BYTES / 4,
    };
    Ok(render(&page))
}
