//! Who is asking: resolves the session cookie or bearer token of every request once, so
//! pages, the API and the error pages all see the same user.

use std::future::{Ready, ready};

use actix_web::body::{EitherBody, MessageBody};
use actix_web::cookie::{Cookie, SameSite, time};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::AUTHORIZATION;
use actix_web::middleware::Next;
use actix_web::{Error, FromRequest, HttpMessage, HttpRequest, web};

use crate::AppState;
use crate::accounts::model::CurrentUser;
use crate::accounts::service;
use crate::config::Config;
use crate::error::AppError;
use crate::web::ctx::Identity;

pub const SESSION_COOKIE: &str = "wm_session";

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
            let user = match state.db.run(move |conn| service::session_user(conn, &token, idle)).await {
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

/// A handler that takes a `CurrentUser` answers 401 to anonymous requests.
impl FromRequest for CurrentUser {
    type Error = AppError;
    type Future = Ready<Result<CurrentUser, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(req.extensions().get::<Identity>().and_then(|i| i.0.clone()).ok_or(AppError::Unauthorized))
    }
}

/// The user if logged in, else `None`; never refuses.
pub struct MaybeUser(pub Option<CurrentUser>);

impl FromRequest for MaybeUser {
    type Error = AppError;
    type Future = Ready<Result<MaybeUser, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(MaybeUser(req.extensions().get::<Identity>().and_then(|i| i.0.clone()))))
    }
}

/// The client's address, for throttling and the session list.
pub fn client_ip(req: &HttpRequest, trust_proxy: bool) -> String {
    let info = req.connection_info();
    let ip = if trust_proxy { info.realip_remote_addr() } else { info.peer_addr() };
    ip.unwrap_or("unknown").to_owned()
}

pub fn user_agent(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(actix_web::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|ua| ua.chars().take(200).collect())
}
