//! Attendance: the roster of a session, marks and their history.

pub mod api;
pub mod model;
pub mod pages;
pub mod service;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    api::routes(cfg);
    pages::routes(cfg);
}
