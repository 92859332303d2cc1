//! The demo's attendance (issue 5, item 8): every trainee of a class that has begun checks in
//! and out of each offline session already over, from a phone near the venue, each attempt
//! decided by `dte_domain::attendance::decide_check` as the API would; a few absences and
//! late arrivals; and a handful of classes that each carry one pattern of subsidy fraud for the
//! supervisors' risk flags to find: one phone checking in several trainees, identical
//! coordinates, impossible travel, attempts from beyond the fence, and corrections piling up.

use super::people::Generator;
use chrono::{DateTime, Duration, Utc};
use dte_app::classes::plan::FenceInput;
use dte_crypto::Keyring;
use dte_domain::ClassStatus;
use dte_domain::attendance::{
    Attempt, CheckKind, CorrectionReason, Timing, decide_check, shanghai_instant,
};
use dte_domain::class::{Delivery, SessionPlan};
use dte_domain::{Phone, ResidentId};
use dte_geo::{Fence, LatLon};
use dte_store::{
    Actor, Applicant, ClassRow, NewCheckIn, NewCorrection, NewEnrolment, NewPerson, SessionRow,
    Store,
};

/// The fraud pattern a demo class carries, in the order classes are given them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    /// One phone checks in four trainees (代签).
    SharedDevice,
    /// Five trainees report the very same coordinates every session (虚拟定位).
    IdenticalCoordinates,
    /// A trainee's attempt 250 km away a quarter of an hour after checking in at the venue.
    ImpossibleTravel,
    /// Three trainees try from 100 m – 1.5 km beyond the fence before walking in.
    OutsideFence,
    /// The institution "makes up" a third of the check-outs with corrections.
    ManyCorrections,
    /// A trainee of another class that runs at the same time sits in this one too: enrolled
    /// as if carried over from an old ledger, past the rule that refuses it today.
    OverlappingSessions,
}

const PATTERNS: [Pattern; 5] = [
    Pattern::SharedDevice,
    Pattern::IdenticalCoordinates,
    Pattern::ImpossibleTravel,
    Pattern::OutsideFence,
    Pattern::ManyCorrections,
];

/// What the demo's attendance made.
#[derive(Debug, Default)]
pub struct Attendance {
    pub check_ins: usize,
    pub refused: usize,
    pub corrections: usize,
    /// Each pattern with the class that carries it.
    pub patterns: Vec<(Pattern, ClassRow)>,
}

impl Pattern {
    pub fn label(self) -> &'static str {
        match self {
            Pattern::SharedDevice => "一机多人签到",
            Pattern::IdenticalCoordinates => "签到坐标雷同",
            Pattern::ImpossibleTravel => "不可能的移动速度",
            Pattern::OutsideFence => "围栏外签到",
            Pattern::ManyCorrections => "考勤更正过多",
            Pattern::OverlappingSessions => "同一人同时段在两个班期",
        }
    }
}

/// Writes the attendance of every class that has begun, up to `now`.
pub async fn attend(
    store: &Store,
    keyring: &Keyring,
    classes: &[ClassRow],
    now: DateTime<Utc>,
) -> anyhow::Result<Attendance> {
    let mut generator = Generator::new(0x0a77_e4da_4ce5);
    let mut outcome = Attendance::default();
    let mut begun: Vec<&ClassRow> = classes
        .iter()
        .filter(|class| {
            matches!(
                class.status,
                ClassStatus::Running | ClassStatus::Finished | ClassStatus::Closed
            )
        })
        .collect();
    begun.sort_by_key(|class| class.id);
    // The patterns go to finished or closed classes of different regions, so each stands
    // alone in its class's flags.
    let mut carriers: Vec<(Pattern, i64)> = Vec::new();
    let mut used_regions = Vec::new();
    for class in &begun {
        if carriers.len() == PATTERNS.len() {
            break;
        }
        if class.status != ClassStatus::Running && !used_regions.contains(&class.region) {
            used_regions.push(class.region.clone());
            carriers.push((PATTERNS[carriers.len()], class.id));
        }
    }
    if let Some(class) = enrol_twice(store, keyring, &begun, &carriers, now).await? {
        outcome.patterns.push((Pattern::OverlappingSessions, class));
    }
    for class in begun {
        let pattern = carriers
            .iter()
            .find(|(_, id)| *id == class.id)
            .map(|(pattern, _)| *pattern);
        attend_class(store, class, pattern, now, &mut generator, &mut outcome).await?;
        if let Some(pattern) = pattern {
            outcome.patterns.push((pattern, class.clone()));
        }
    }
    Ok(outcome)
}

/// Enrols the first trainee of a class that has begun (and carries no other pattern) in
/// another class of the same days, bypassing the overlap rule as an import from an old ledger
/// would; answers the second class.
async fn enrol_twice(
    store: &Store,
    keyring: &Keyring,
    begun: &[&ClassRow],
    carriers: &[(Pattern, i64)],
    now: DateTime<Utc>,
) -> anyhow::Result<Option<ClassRow>> {
    let free: Vec<&&ClassRow> = begun
        .iter()
        .filter(|class| carriers.iter().all(|(_, id)| *id != class.id))
        .collect();
    // The first class has ended (the printed demo trainee's running class keeps them alone).
    let pair = free.iter().enumerate().find_map(|(index, first)| {
        if first.status == ClassStatus::Running {
            return None;
        }
        free[index + 1..]
            .iter()
            .find(|second| {
                second.start_date <= first.end_date && first.start_date <= second.end_date
            })
            .map(|second| (**first, **second))
    });
    let Some((first, second)) = pair else {
        return Ok(None);
    };
    let Some(entry) = store.class_roster(first.id).await?.into_iter().next() else {
        return Ok(None);
    };
    let (id_number, phone) = entry.reveal(keyring)?;
    let resident_id = ResidentId::parse(&id_number, dte_web::shanghai_today(now))?;
    let phone = Phone::parse(phone.as_deref().unwrap_or("13800000000"))?;
    let applicant = Applicant {
        person: NewPerson::protect(keyring, &entry.name, &resident_id, &phone),
        enrolment: NewEnrolment {
            category: entry.category,
            employer_or_school: entry.employer_or_school.clone(),
            graduation_year: entry.graduation_year,
            subsidy_category: None,
            commitment_signed: true,
        },
        activation: None,
    };
    let actor = Actor::system(
        shanghai_instant(second.start_date.and_hms_opt(8, 0, 0).unwrap_or_default()).min(now),
    );
    store
        .enrol(second.id, &[applicant], &actor, |_, _, _| {
            Ok::<bool, ()>(false)
        })
        .await?
        .map_err(|_| anyhow::anyhow!("演示数据有误：重复报名未写入"))?;
    Ok(Some(second.clone()))
}

/// A point about `metres` from `from` in a direction the generator picks.
fn near(from: LatLon, metres: f64, generator: &mut Generator) -> LatLon {
    let angle = (generator.below(3600) as f64 / 10.0).to_radians();
    let distance = metres * (0.3 + generator.below(700) as f64 / 1000.0);
    let lat = from.lat + distance * angle.cos() / 111_320.0;
    let lon = from.lon + distance * angle.sin() / (111_320.0 * from.lat.to_radians().cos());
    LatLon::new(lat, lon).unwrap_or(from)
}

fn plan_of(session: &SessionRow) -> SessionPlan {
    SessionPlan {
        date: session.date,
        start: session.start,
        end: session.end,
        delivery: Delivery::parse(&session.delivery).unwrap_or(Delivery::Offline),
        hours: session.hours,
        teacher: String::new(),
    }
}

/// One attempt, decided as the check-in API decides it (the code typed right).
struct Handset<'a> {
    fence: &'a Fence,
    class: &'a ClassRow,
}

impl Handset<'_> {
    #[allow(clippy::too_many_arguments)]
    fn attempt(
        &self,
        session: &SessionRow,
        person_id: i64,
        kind: CheckKind,
        at: DateTime<Utc>,
        position: LatLon,
        accuracy_m: f64,
        device_id: &str,
        key: String,
    ) -> NewCheckIn {
        let attempt = Attempt {
            kind,
            at,
            position,
            accuracy_m,
            code_accepted: true,
        };
        let decision = decide_check(&plan_of(session), self.fence, &attempt);
        NewCheckIn {
            session_id: session.id,
            class_id: self.class.id,
            person_id,
            kind: if kind == CheckKind::CheckIn {
                "in"
            } else {
                "out"
            },
            at,
            lat: position.lat,
            lon: position.lon,
            accuracy_m,
            device_id: device_id.to_owned(),
            distance_outside_m: dte_geo::distance_outside_fence_m(self.fence, position),
            late: matches!(&decision, Ok(verdict) if matches!(verdict.timing, Timing::Late { .. })),
            accepted: decision.is_ok(),
            refusal: decision.err().map(|refusals| {
                refusals
                    .iter()
                    .map(|refusal| refusal.code())
                    .collect::<Vec<_>>()
                    .join(",")
            }),
            idempotency_key: key,
        }
    }
}

async fn attend_class(
    store: &Store,
    class: &ClassRow,
    pattern: Option<Pattern>,
    now: DateTime<Utc>,
    generator: &mut Generator,
    outcome: &mut Attendance,
) -> anyhow::Result<()> {
    let fence_input: FenceInput = serde_json::from_str(&class.fence_json)?;
    let fence = fence_input.to_fence().map_err(anyhow::Error::msg)?;
    let venue = LatLon::new(class.venue_lat, class.venue_lon)?;
    let phone = Handset {
        fence: &fence,
        class,
    };
    let people: Vec<i64> = store
        .class_roster(class.id)
        .await?
        .into_iter()
        .filter(|entry| entry.active)
        .map(|entry| entry.person_id)
        .collect();
    let sessions: Vec<SessionRow> = store
        .sessions_of_class(class.id)
        .await?
        .into_iter()
        .filter(|session| {
            session.delivery == "offline"
                && shanghai_instant(session.date.and_time(session.end)) + Duration::hours(1) < now
        })
        .collect();
    let mut batch = Vec::new();
    let mut made_up = Vec::new();
    for (number, session) in sessions.iter().enumerate() {
        let start = shanghai_instant(session.date.and_time(session.start));
        let end = shanghai_instant(session.date.and_time(session.end));
        for (position, &person) in people.iter().enumerate() {
            // About one trainee in thirty misses a session; in a class that has ended, the
            // tenth trainee drops out before the last three sessions (refused at completion).
            let dropped_out = position == 9
                && matches!(class.status, ClassStatus::Finished | ClassStatus::Closed)
                && number + 3 >= sessions.len();
            if generator.below(30) == 0 || dropped_out {
                continue;
            }
            let key = |kind: &str, n: u32| format!("demo-{}-{person}-{kind}-{n}", session.id);
            let own_device = format!("web-demo-{person:06}");
            let mut device = own_device.clone();
            let mut spot = near(venue, 40.0, generator);
            let mut accuracy = 6.0 + generator.below(30) as f64;
            match pattern {
                Some(Pattern::SharedDevice) if number == 0 && (1..=4).contains(&position) => {
                    device = format!("web-demo-{:06}", people[0]);
                }
                Some(Pattern::IdenticalCoordinates) if position < 5 => {
                    spot = venue;
                    accuracy = 5.0;
                }
                Some(Pattern::OutsideFence) if number == 0 && position < 3 => {
                    let far = near(venue, 2_000.0, generator);
                    let at = start - Duration::minutes(20);
                    batch.push(phone.attempt(
                        session,
                        person,
                        CheckKind::CheckIn,
                        at,
                        far,
                        20.0,
                        &device,
                        key("in", 0),
                    ));
                }
                _ => {}
            }
            let arrived = start - Duration::minutes(2 + generator.below(25) as i64)
                + if generator.below(12) == 0 {
                    Duration::minutes(8)
                } else {
                    Duration::zero()
                };
            batch.push(phone.attempt(
                session,
                person,
                CheckKind::CheckIn,
                arrived,
                spot,
                accuracy,
                &device,
                key("in", 1),
            ));
            if pattern == Some(Pattern::ImpossibleTravel) && number == 0 && position == 0 {
                // 250 km away (over by 沈阳 from a Dalian venue, say) fifteen minutes later.
                let far = LatLon::new(venue.lat + 2.25, venue.lon).unwrap_or(venue);
                batch.push(phone.attempt(
                    session,
                    person,
                    CheckKind::CheckIn,
                    arrived + Duration::minutes(15),
                    far,
                    15.0,
                    &own_device,
                    key("in", 2),
                ));
            }
            let leaves_unrecorded =
                pattern == Some(Pattern::ManyCorrections) && generator.below(3) == 0;
            if leaves_unrecorded {
                made_up.push((session.id, person, end));
                continue;
            }
            let left = end + Duration::minutes(generator.below(12) as i64);
            let spot = if pattern == Some(Pattern::IdenticalCoordinates) && position < 5 {
                venue
            } else {
                near(venue, 40.0, generator)
            };
            batch.push(phone.attempt(
                session,
                person,
                CheckKind::CheckOut,
                left,
                spot,
                accuracy,
                &device,
                key("out", 1),
            ));
        }
    }
    for chunk in batch.chunks(500) {
        store.record_check_ins(chunk).await?;
    }
    outcome.check_ins += batch.iter().filter(|attempt| attempt.accepted).count();
    outcome.refused += batch.iter().filter(|attempt| !attempt.accepted).count();
    let reason = CorrectionReason::parse("学员忘记签退，教师现场确认出勤后补记")
        .map_err(anyhow::Error::msg)?;
    for (session_id, person_id, end) in made_up {
        let correction = NewCorrection {
            session_id,
            class_id: class.id,
            person_id,
            kind: "out",
            present: true,
            reason: reason.as_str().to_owned(),
        };
        store
            .correct_attendance(&correction, &Actor::system(end + Duration::hours(2)))
            .await?;
        outcome.corrections += 1;
    }
    Ok(())
}
