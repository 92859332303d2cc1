//! The web crate's one integration-test binary: the API and pages against a real server on
//! 127.0.0.1 with a fresh database of each backend, and journeys in headless Chromium.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test crate: a failed unwrap is a failed test.

#[macro_use]
mod helpers;
mod accounts;
mod api;
mod attendance;
mod bombs;
mod browser;
mod calendar;
mod certificates;
mod claim_documents;
mod claims;
mod class_pages;
mod classes;
mod connections;
mod exams;
mod flags;
mod inspections;
mod online;
mod pages;
mod public_reads;
mod supervision;
