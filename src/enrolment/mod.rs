//! Enrolment.

pub mod reminders;
pub mod service;

pub fn routes(_cfg: &mut actix_web::web::ServiceConfig) {}
