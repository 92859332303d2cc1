//! The JSON API under `/api/v1`, one file per resource.

pub mod audit;
pub mod catalog;
pub mod certificates;
pub mod health;
pub mod openapi;
pub mod session;
