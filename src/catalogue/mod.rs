//! The catalogue: themes, courses, sessions and trainers; what the Academie offers and when.

pub mod api;
pub mod input;
pub mod model;
pub mod pages;
pub mod service;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    api::routes(cfg);
    pages::routes(cfg);
}
