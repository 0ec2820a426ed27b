//! Reports for partners and funders: tidy exports of who took part where and how often.

pub mod api;
pub mod model;
pub mod pages;
pub mod rollup;
pub mod service;
pub mod summary;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    api::routes(cfg);
    pages::routes(cfg);
}
