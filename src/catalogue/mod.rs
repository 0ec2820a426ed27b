//! The catalogue: themes, courses, sessions and trainers.

pub mod service;

pub fn routes(_cfg: &mut actix_web::web::ServiceConfig) {}
