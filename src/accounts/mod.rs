//! Accounts: who a user is (registration, verified email), how they prove it (argon2id
//! passwords, login sessions in PostgreSQL, bearer tokens), what they may do (roles) and
//! their privacy rights (download, delete).

pub mod api;
pub mod identity;
pub mod model;
pub mod pages;
pub mod password;
pub mod service;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    api::routes(cfg);
    pages::routes(cfg);
}
