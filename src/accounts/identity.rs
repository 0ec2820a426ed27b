//! Who is asking: resolves the session cookie or bearer token of every request once, so
//! pages, the API and the error pages all see the same user.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::cookie::{Cookie, SameSite, time};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::AUTHORIZATION;
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, web};

use crate::accounts::service;
use crate::config::Config;
use crate::web::AppState;
use crate::web::ctx::{Identity, SESSION_COOKIE};

fn bearer(req: &ServiceRequest) -> Option<String> {
    let value = req.headers().get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned()).filter(|t| !t.is_empty())
}

/// Paths that never need to know the user (and so cost no query).
fn anonymous_path(path: &str) -> bool {
    path.starts_with("/static/") || path == "/healthz" || path == "/readyz" || path == "/favicon.ico"
}

pub async fn resolve<B: MessageBody>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, Error> {
    let state = req.app_data::<web::Data<AppState>>().cloned().expect("AppState is registered");
    let from_cookie = req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned());
    let token = bearer(&req).or_else(|| from_cookie.clone());
    let mut stale_cookie = false;
    let user = match token {
        Some(token) if !anonymous_path(req.path()) => {
            let idle = state.config.session_idle;
            let user = match service::kept_session_user(&state.db, &token, idle).await {
                Ok(user) => user,
                Err(e) => return Ok(req.error_response(e).map_into_right_body()),
            };
            stale_cookie = user.is_none() && from_cookie.is_some();
            user
        }
        _ => None,
    };
    req.extensions_mut().insert(Identity(user));
    let mut res = next.call(req).await?.map_into_left_body();
    if stale_cookie {
        res.response_mut()
            .add_removal_cookie(&session_cookie(&state.config, String::new()))
            .map_err(actix_web::error::ErrorInternalServerError)?;
    }
    Ok(res)
}

/// The login cookie: HttpOnly, SameSite=Lax, Secure when the platform runs on https.
pub fn session_cookie(config: &Config, token: String) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, token)
        .path("/")
        .http_only(true)
        .secure(config.secure_cookies())
        .same_site(SameSite::Lax)
        .max_age(time::Duration::seconds(config.session_lifetime.num_seconds()))
        .finish()
}

/// The known-device cookie: long-lived, HttpOnly, and only of use to the login itself.
pub fn device_cookie(config: &Config, token: String) -> Cookie<'static> {
    Cookie::build(crate::accounts::service::DEVICE_COOKIE, token)
        .path("/")
        .http_only(true)
        .secure(config.secure_cookies())
        .same_site(SameSite::Strict)
        .max_age(time::Duration::days(crate::accounts::service::DEVICE_LIFETIME_DAYS))
        .finish()
}

/// The device token a browser or client sent along, if any.
pub fn device_token(req: &actix_web::HttpRequest) -> Option<String> {
    req.cookie(crate::accounts::service::DEVICE_COOKIE).map(|c| c.value().to_owned())
}
