//! `dte demo`: online learning and recordings (issue 5, items 3 and 5). Every session already
//! held gets its recording registered — one as a small file in the data folder, the rest as
//! references to the institutions' own storage with hash, size and duration — except one,
//! left without so that its class is flagged; the online sessions of every finished class and
//! of two running ones get heartbeats and presence confirmations from every trainee, some
//! leaving early and some missing a confirmation. Registered when the demo runs (the audit log says so).

use anyhow::Context;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use dte_domain::attendance::presence_check_schedule;
use dte_domain::recording::retain_until;
use dte_domain::{ClassStatus, Delivery};
use dte_store::{
    Actor, ClassRow, MaterialRow, NewHeartbeat, NewRecording, RecordingSource, SessionRow, Store,
};
use std::path::Path;

/// What was made, for the summary.
#[derive(Debug, Default)]
pub struct Filmed {
    pub files: usize,
    pub references: usize,
    pub heartbeats: usize,
    pub learners: usize,
    /// The session left without a recording: (class title, class id, session id).
    pub missing: Option<(String, i64, i64)>,
}

/// Running classes whose online sessions get heartbeats (every finished one does).
const LEARNING_CLASSES: usize = 2;

/// Registers recordings for every held session, heartbeats for the online sessions of the
/// finished classes and two running ones.
pub async fn film(
    store: &Store,
    data_dir: &Path,
    classes: &[ClassRow],
    today: NaiveDate,
    now: DateTime<Utc>,
) -> anyhow::Result<Filmed> {
    let actor = Actor::system(now);
    // Kept as long as today's policy says (claim deadline, retention years).
    let policy = store.policy_on(today).await?;
    let mut filmed = Filmed::default();
    let mut held: Vec<(&ClassRow, SessionRow)> = Vec::new();
    for class in classes.iter().filter(|class| {
        matches!(
            class.status,
            ClassStatus::Approved
                | ClassStatus::Running
                | ClassStatus::Finished
                | ClassStatus::Closed
        )
    }) {
        for session in store.sessions_of_class(class.id).await? {
            if session.date < today {
                held.push((class, session));
            }
        }
    }
    held.sort_by_key(|(class, session)| (class.id, session.date, session.id));
    // The last held session of the first running class is left without its recording.
    // It ended over a day ago, past the flag's upload grace (24 h), whatever the hour of the run.
    let missing = held
        .iter()
        .filter(|(class, session)| {
            class.status == ClassStatus::Running && session.date < today - Duration::days(1)
        })
        .map(|(class, session)| (class.id, session.id))
        .max_by_key(|&(class, session)| (std::cmp::Reverse(class), session));
    let sample = demo_video();
    let sample_hash = dte_crypto::sha256_hex(&sample);
    for (index, (class, session)) in held.iter().enumerate() {
        if Some((class.id, session.id)) == missing {
            filmed.missing = Some((class.title.clone(), class.id, session.id));
            continue;
        }
        let duration = (session.end - session.start).num_seconds().max(60);
        let source = if index == 0 {
            let relative = format!(
                "recordings/{}/{}-{}.webm",
                class.id,
                session.id,
                &sample_hash[..16]
            );
            write_file(data_dir, &relative, &sample)?;
            filmed.files += 1;
            RecordingSource::File(relative)
        } else {
            filmed.references += 1;
            RecordingSource::Reference(format!(
                "nas://{}/班期{}/课次{}.mp4",
                class.region, class.id, session.id
            ))
        };
        let (sha256, size_bytes) = match &source {
            RecordingSource::File(_) => (sample_hash.clone(), sample.len() as u64),
            // A stand-in for the institution's file: the hash of its reference, and about
            // 400 MB an hour of 720p video.
            RecordingSource::Reference(reference) => (
                dte_crypto::sha256_hex(reference.as_bytes()),
                u64::try_from(duration).unwrap_or(0) * 111_111,
            ),
        };
        store
            .register_recording(
                &NewRecording {
                    session_id: session.id,
                    class_id: class.id,
                    source,
                    content_type: if index == 0 {
                        "video/webm"
                    } else {
                        "video/mp4"
                    }
                    .into(),
                    sha256,
                    size_bytes,
                    duration_seconds: u32::try_from(duration).unwrap_or(60),
                    retain_until: retain_until(
                        class.end_date,
                        policy.claim_deadline_months,
                        policy.recording_retention_years,
                    ),
                    upload_id: None,
                },
                &actor,
            )
            .await?;
    }
    learn(
        store,
        data_dir,
        &held,
        &sample,
        &sample_hash,
        &actor,
        &mut filmed,
    )
    .await?;
    Ok(filmed)
}

/// Heartbeats and presence confirmations for the held online sessions of every finished or
/// closed class and the first [`LEARNING_CLASSES`] running ones, with the sample as their
/// material.
async fn learn(
    store: &Store,
    data_dir: &Path,
    held: &[(&ClassRow, SessionRow)],
    sample: &[u8],
    sample_hash: &str,
    actor: &Actor,
    filmed: &mut Filmed,
) -> anyhow::Result<()> {
    // Every finished or closed class (completion needs their online hours), and the first
    // running ones, up to LEARNING_CLASSES of those.
    let mut chosen: Vec<i64> = Vec::new();
    let mut running = 0;
    for (class, _) in held
        .iter()
        .filter(|(_, session)| session.delivery == Delivery::Online.as_str())
    {
        if chosen.contains(&class.id) {
            continue;
        }
        if matches!(class.status, ClassStatus::Finished | ClassStatus::Closed) {
            chosen.push(class.id);
        } else if running < LEARNING_CLASSES {
            running += 1;
            chosen.push(class.id);
        }
    }
    let relative = format!("materials/demo-{}.webm", &sample_hash[..16]);
    write_file(data_dir, &relative, sample)?;
    for (class, session) in held.iter().filter(|(class, session)| {
        chosen.contains(&class.id) && session.delivery == Delivery::Online.as_str()
    }) {
        store
            .set_material(
                &MaterialRow {
                    session_id: session.id,
                    title: format!("{} 线上课程（演示视频）", class.title),
                    file_path: relative.clone(),
                    content_type: "video/webm".into(),
                    sha256: sample_hash.to_owned(),
                    size_bytes: i64::try_from(sample.len()).unwrap_or(0),
                    registered_at: actor.at,
                },
                None,
                actor,
            )
            .await?;
        let starts = chrono_tz::Asia::Shanghai
            .from_local_datetime(&session.date.and_time(session.start))
            .single()
            .map(|local| local.with_timezone(&Utc))
            .context("演示课次的时间无效")?;
        let seconds = (session.end - session.start).num_seconds();
        let roster = store.class_roster(class.id).await?;
        for (number, entry) in roster.iter().filter(|entry| entry.active).enumerate() {
            // Every fifth trainee leaves halfway; every seventh misses a confirmation.
            let stays = if number % 5 == 4 {
                seconds / 2
            } else {
                seconds - 30
            };
            // The page beats every 30 s; the finished classes' learners are written every
            // 60 s (still within HEARTBEAT_GAP_MAX_SECONDS, so the credit is the same) to keep
            // the demo small.
            let every = if matches!(class.status, ClassStatus::Finished | ClassStatus::Closed) {
                60
            } else {
                30
            };
            let beats: Vec<NewHeartbeat> = (0..=stays / every)
                .map(|step| NewHeartbeat {
                    session_id: session.id,
                    person_id: entry.person_id,
                    at: starts + Duration::seconds(step * every),
                    visible: true,
                    page_id: format!("demo-{}-{}", session.id, entry.person_id),
                })
                .collect();
            filmed.heartbeats += beats.len();
            filmed.learners += 1;
            store.record_heartbeats(&beats).await?;
            let seed = store
                .presence_seed(
                    session.id,
                    entry.person_id,
                    u64::try_from(session.id * 7919 + entry.person_id).unwrap_or(1),
                    starts,
                )
                .await?;
            for (ordinal, second) in presence_check_schedule(session.hours, seed)
                .into_iter()
                .enumerate()
                .take_while(|(_, second)| i64::from(*second) <= stays)
            {
                let asked = Actor::system(starts + Duration::seconds(i64::from(second)));
                let check = store
                    .ask_presence_check(
                        session.id,
                        entry.person_id,
                        i64::try_from(ordinal).unwrap_or(0),
                        &asked,
                    )
                    .await?;
                if !(number % 7 == 6 && ordinal == 0) {
                    let answered = Actor::system(asked.at + Duration::seconds(20));
                    store
                        .answer_presence_check(check.id, entry.person_id, &answered)
                        .await?;
                }
            }
        }
    }
    Ok(())
}

fn write_file(data_dir: &Path, relative: &str, bytes: &[u8]) -> anyhow::Result<()> {
    let path = data_dir.join(relative);
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)?;
    }
    std::fs::write(&path, bytes)?;
    Ok(())
}

/// The demo's one real recording file.
fn demo_video() -> Vec<u8> {
    include_bytes!("demo.webm").to_vec()
}
