//! Enrolment: seats, the waiting list, confirmations, reminders and cancellation.

pub mod api;
pub mod model;
pub mod pages;
pub mod reminders;
pub mod service;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    api::routes(cfg);
    pages::routes(cfg);
}
