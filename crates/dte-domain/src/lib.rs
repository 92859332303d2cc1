//! The rules of Liaoning's Digital Technology Engineer Cultivation Project (辽人社发〔2023〕36号)
//! as types and pure functions.
//!
//! This crate does no I/O: no clock, no database, no network, no HTTP types. Anything that
//! depends on "now" takes the date or time as a parameter, so every rule is tested with a
//! fixed clock. Values are parsed once at the edge (`ResidentId::parse`, `Level::parse`, …)
//! and the rest of the system works with the parsed types.

pub mod access;
pub mod agreement;
pub mod attendance;
pub mod calendar;
pub mod catalog;
pub mod certificate;
pub mod class;
pub mod class_rules;
pub mod completion;
pub mod eligibility;
pub mod enrolment;
pub mod evaluation;
pub mod flags;
pub mod inspection;
pub mod level;
pub mod money;
pub mod occupation;
pub mod phone;
pub mod policy;
pub mod recording;
pub mod reference;
pub mod resident_id;
pub mod subsidy;
pub mod supervision;

pub use access::{Role, Scope};
pub use attendance::{CheckKind, HoursLedger, decide_check, hours_ledger, online_credit};
pub use calendar::{CalendarDay, WorkingCalendar};
pub use certificate::{CertificateKind, CertificateStatus, NumberPattern, SignedFields};
pub use class::{ClassAction, ClassStatus, Delivery, Funding, SessionPlan};
pub use class_rules::{ClassContext, ClassPlan, InstitutionStanding, Violation};
pub use eligibility::{
    Assessment, Candidate, ClassOffer, EligibilityContext, PriorEnrolment, Reason, assess,
};
pub use enrolment::TraineeCategory;
pub use flags::{Flag, FlagKind};
pub use level::Level;
pub use money::{Fen, group_thousands, subsidy_quote};
pub use occupation::OccupationCode;
pub use phone::Phone;
pub use policy::{Percent, Policy, PolicyError};
pub use resident_id::{IdError, ResidentId};
