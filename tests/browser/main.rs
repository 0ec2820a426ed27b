//! Tests in a real headless Chromium, with accessibility scans (axe-core).
//! Needs chromium, chromium-driver and `npm ci --prefix tests/axe`.

#[path = "../common/mod.rs"]
mod common;

mod access;
mod accounts;
mod attendance;
mod catalogue;
mod certificates;
mod checkin;
mod enrol;
mod forms;
mod home;
mod narrow;
mod offers;
mod reports;
