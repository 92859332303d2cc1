//! The JSON API under `/api/v1`, one file per resource.

pub mod activation;
pub mod audit;
pub mod calendar;
pub mod catalog;
pub mod certificates;
pub mod check_ins;
pub mod claim_documents;
pub mod claims;
pub mod classes;
pub mod documents;
pub mod enrolments;
pub mod exams;
pub mod flags;
pub mod health;
pub mod hours;
pub mod inspections;
pub mod online;
pub mod openapi;
pub mod persons;
pub mod quotas;
pub mod recordings;
pub mod session;
pub mod supervision;
