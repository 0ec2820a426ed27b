//! Access needs (issue 19): what someone needs to take part in a course (a step-free room,
//! an interpreter, childcare, help with reading, a quiet place), stored with consent, seen
//! only by the course's trainers and coordinators, and deleted when no longer needed. It
//! sits above enrolment and attendance, and composes their rosters with the needs.

pub mod api;
pub mod model;
pub mod pages;
pub mod service;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    api::routes(cfg);
    pages::routes(cfg);
}
