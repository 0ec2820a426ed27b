//! Middleware every request passes: security headers, a request id, CSRF protection.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::{DefaultHeaders, Next};
use actix_web::web::{Bytes, BytesMut};
use actix_web::{Error, HttpMessage, web};
use futures_util::StreamExt;

use crate::error::AppError;
use crate::tokens::{mac, random_token, same};
use crate::web::AppState;
use crate::web::ctx::{CsrfToken, Identity, SESSION_COOKIE};

pub const CSRF_COOKIE: &str = "wm_csrf";
pub const CSRF_FIELD: &str = "csrf_token";
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Largest HTML form body we read.
pub const FORM_LIMIT: usize = 64 * 1024;

pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; \
    frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

pub fn security_headers(https: bool) -> DefaultHeaders {
    let mut headers = DefaultHeaders::new()
        .add(("Content-Security-Policy", CONTENT_SECURITY_POLICY))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Referrer-Policy", "strict-origin-when-cross-origin"))
        .add(("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"))
        .add(("Cross-Origin-Opener-Policy", "same-origin"))
        .add(("Cross-Origin-Resource-Policy", "same-origin"));
    if https {
        headers = headers.add(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"));
    }
    headers
}

/// Echo the request id (from tracing-actix-web) so a user can quote it.
pub async fn request_id(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = req.extensions().get::<tracing_actix_web::RequestId>().map(|id| id.to_string());
    let mut res = next.call(req).await?;
    if let Some(value) = id.and_then(|id| HeaderValue::from_str(&id).ok()) {
        res.headers_mut().insert(HeaderName::from_static("x-request-id"), value);
    }
    Ok(res)
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// CSRF protection (synchroniser token): every form carries an HMAC of a per-browser seed
/// (the login session's token when logged in, else a random cookie). Unsafe requests
/// without the right token, or from another site, are refused with 403. The JSON API needs
/// the token (header `X-CSRF-Token`) only when it is called with the session cookie.
pub async fn csrf<B: MessageBody>(
    mut req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, Error> {
    let state = req.app_data::<web::Data<AppState>>().cloned().expect("AppState is registered");
    let is_api = req.path().starts_with("/api/");
    let bearer = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.len() > 7 && v[..7].eq_ignore_ascii_case("bearer "));
    // only a live login session seeds the token: a revoked or expired cookie is as good as
    // none (the identity middleware, which ran first, is removing it), so that its login
    // form works the first time
    let logged_in = req.extensions().get::<Identity>().is_some_and(|i| i.0.is_some());
    let session_cookie = req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned()).filter(|_| logged_in && !bearer);
    let seed_cookie = req.cookie(CSRF_COOKIE).map(|c| c.value().to_owned());
    let (seed, new_seed) = match (&session_cookie, seed_cookie) {
        (Some(session), _) => (session.clone(), None),
        (None, Some(seed)) => (seed, None),
        (None, None) => {
            let seed = random_token();
            (seed.clone(), (!is_api).then_some(seed))
        }
    };
    let token = mac(&state.config.secret_key, &format!("csrf:{seed}"));
    req.extensions_mut().insert(CsrfToken(token.clone()));

    // no handler takes this method here (404 or 405 follows): there is nothing to protect
    let handled = req
        .match_pattern()
        .and_then(|pattern| crate::web::methods::allowed(&pattern))
        .is_some_and(|methods| methods.contains(&req.method().as_str()));
    if !is_safe(req.method()) && handled {
        if is_api {
            if !bearer && session_cookie.is_some() {
                let sent = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
                if !same(sent, &token) {
                    return Ok(req.error_response(AppError::Forbidden("error-csrf-detail")).map_into_right_body());
                }
            }
        } else {
            if cross_site(&req, &state) {
                return Ok(req.error_response(AppError::Forbidden("error-csrf-detail")).map_into_right_body());
            }
            let body = match read_body(&mut req).await {
                Ok(body) => body,
                Err(e) => return Ok(req.error_response(e).map_into_right_body()),
            };
            let sent = url::form_urlencoded::parse(&body)
                .find(|(name, _)| name == CSRF_FIELD)
                .map(|(_, value)| value.into_owned())
                .unwrap_or_default();
            if !same(&sent, &token) {
                return Ok(req.error_response(AppError::Forbidden("error-csrf-detail")).map_into_right_body());
            }
            if let Some(field) = url::form_urlencoded::parse(&body)
                .find(|(name, value)| has_invisible(name, false) || has_invisible(value, true))
                .map(|(name, _)| name.into_owned())
            {
                let error = AppError::validation(&shown_name(&field), "invisible-chars");
                return Ok(req.error_response(error).map_into_right_body());
            }
            if let Some(field) = not_utf8(&body) {
                let error = AppError::validation(&shown_name(&field), "invisible-chars");
                return Ok(req.error_response(error).map_into_right_body());
            }
            req.set_payload(Payload::from(body));
        }
    }

    let mut res = next.call(req).await?.map_into_left_body();
    // a calendar feed holds no form: calendar programs that poll it get no cookie
    let feed = res.status() == actix_web::http::StatusCode::NOT_MODIFIED
        || res
            .headers()
            .get(actix_web::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/calendar"));
    if let Some(seed) = new_seed.filter(|_| !feed) {
        let cookie = Cookie::build(CSRF_COOKIE, seed)
            .path("/")
            .http_only(true)
            .secure(state.config.secure_cookies())
            .same_site(SameSite::Lax)
            .finish();
        res.response_mut().add_cookie(&cookie).map_err(actix_web::error::ErrorInternalServerError)?;
    }
    Ok(res)
}

/// A control character that no text field may hold: NUL (PostgreSQL refuses it) and the
/// other C0 characters, except tab, CR and LF where text may span lines.
pub fn has_invisible(text: &str, multi_line: bool) -> bool {
    text.chars().any(|c| (c.is_ascii_control() && !(multi_line && matches!(c, '\t' | '\r' | '\n'))) || c == '\u{7f}')
}

/// The first field whose name or value is not UTF-8 once percent-decoded. Browsers send
/// forms as UTF-8; the form parser would quietly turn other bytes into U+FFFD and let the
/// request act, so such a body is refused before any handler runs.
fn not_utf8(body: &[u8]) -> Option<String> {
    body.split(|b| *b == b'&').find_map(|pair| {
        let (name, value) = match pair.iter().position(|b| *b == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &[][..]),
        };
        let name: Vec<u8> = percent_encoding::percent_decode(name).collect();
        let value: Vec<u8> = percent_encoding::percent_decode(value).collect();
        (std::str::from_utf8(&name).is_err() || std::str::from_utf8(&value).is_err())
            .then(|| String::from_utf8_lossy(&name).into_owned())
    })
}

/// A field name as an error may repeat it: without the characters it is refused for.
fn shown_name(name: &str) -> String {
    let clean: String = name.chars().filter(|c| !c.is_control()).take(60).collect();
    if clean.is_empty() { "form".into() } else { clean }
}

/// Text no handler can use is refused before any handler runs: a control character in the
/// path names nothing that exists (404); in a query parameter it is a wrong value (422,
/// naming the parameter). Form bodies are checked with CSRF, JSON bodies by `ApiJson`.
pub async fn plain_input<B: MessageBody>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, Error> {
    let path = percent_encoding::percent_decode_str(req.path()).decode_utf8_lossy();
    if has_invisible(&path, false) {
        return Ok(req.error_response(AppError::NotFound).map_into_right_body());
    }
    let wrong = url::form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(name, value)| has_invisible(name, false) || has_invisible(value, false))
        .map(|(name, _)| shown_name(&name));
    if let Some(field) = wrong {
        return Ok(req.error_response(AppError::validation(&field, "invisible-chars")).map_into_right_body());
    }
    Ok(next.call(req).await?.map_into_left_body())
}

/// A browser says where a request comes from; another site's page may not post here.
fn cross_site(req: &ServiceRequest, state: &AppState) -> bool {
    let headers = req.headers();
    if headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site") {
        return true;
    }
    match headers.get(actix_web::http::header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => false,
        Some("null") => true,
        Some(origin) => {
            let own = state.config.base_url.origin().ascii_serialization();
            // the address the browser used; X-Forwarded-Host only from a trusted proxy
            let behind_proxy = req.peer_addr().is_some_and(|peer| state.config.is_trusted_proxy(peer.ip()));
            let (scheme, host) = if behind_proxy {
                let info = req.connection_info();
                (info.scheme().to_owned(), info.host().to_owned())
            } else {
                let host = headers.get(actix_web::http::header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
                (if state.config.secure_cookies() { "https" } else { "http" }.to_owned(), host.to_owned())
            };
            origin != own && origin != format!("{scheme}://{host}")
        }
    }
}

async fn read_body(req: &mut ServiceRequest) -> Result<Bytes, AppError> {
    let mut payload = req.take_payload();
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| AppError::BadRequest("error-bad-request-detail"))?;
        if body.len() + chunk.len() > FORM_LIMIT {
            return Err(AppError::PayloadTooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// The span of every request, logged when it closes. Like tracing-actix-web's default,
/// but with the path only: query strings can carry single-use tokens from emails.
pub struct RequestSpan;

impl tracing_actix_web::RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> tracing::Span {
        let request_id =
            request.extensions().get::<tracing_actix_web::RequestId>().map(|id| id.to_string()).unwrap_or_default();
        let route = request.match_pattern().unwrap_or_else(|| "default".into());
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.route = %route,
            http.target = %request.path(),
            http.client_ip = %request
                .app_data::<web::Data<AppState>>()
                .map(|state| crate::web::ctx::client_ip(request.request(), &state.config))
                .unwrap_or_default(),
            request_id = %request_id,
            http.status_code = tracing::field::Empty,
            otel.status_code = tracing::field::Empty,
            exception.message = tracing::field::Empty,
            exception.details = tracing::field::Empty,
        )
    }

    fn on_request_end<B: MessageBody>(span: tracing::Span, outcome: &Result<ServiceResponse<B>, Error>) {
        tracing_actix_web::DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}
