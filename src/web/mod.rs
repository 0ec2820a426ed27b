//! The web shell: layout context, languages, static files, middleware, the error
//! renderer and what the JSON API shares. It knows no feature's tables.

pub mod api;
pub mod assets;
pub mod ctx;
pub mod errors;
pub mod form;
pub mod kept;
pub mod methods;
pub mod middleware;
pub mod pages;

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;

use std::sync::Arc;

use crate::config::Config;
use crate::db::Db;
use crate::error::AppError;

/// What every handler can reach.
pub struct AppState {
    pub config: Arc<Config>,
    pub db: Db,
    /// Pages and bodies made from kept answers, shared by the workers.
    pub bodies: kept::KeptBodies,
}

/// Render a page with a status other than 200 (a form shown again with its errors: 422).
pub fn render_with_status(status: StatusCode, template: &impl Template) -> Result<HttpResponse, AppError> {
    let html = template.render().map_err(AppError::internal)?;
    Ok(HttpResponse::build(status).content_type("text/html; charset=utf-8").body(html))
}

/// A page made before (see [`kept`]), with `status`.
pub fn html(status: StatusCode, body: actix_web::web::Bytes) -> HttpResponse {
    HttpResponse::build(status).content_type("text/html; charset=utf-8").body(body)
}

/// Render a page (200).
pub fn render(template: &impl Template) -> Result<HttpResponse, AppError> {
    render_with_status(StatusCode::OK, template)
}

/// After a successful form post: go to `to` (303, so a reload does not post again).
pub fn see_other(to: impl Into<String>) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((actix_web::http::header::LOCATION, to.into())).finish()
}
