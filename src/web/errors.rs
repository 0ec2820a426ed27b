//! The one place where errors become responses: problem+json (RFC 9457) under `/api/`,
//! a page in the layout elsewhere, both in the reader's language.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{ALLOW, CONTENT_TYPE, RETRY_AFTER, SET_COOKIE, WWW_AUTHENTICATE};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, HttpRequest, HttpResponse};
use askama::Template;
use serde::Serialize;

use crate::error::{AppError, ErrorInfo};
use crate::web::ctx::{Ctx, locale_of};

pub fn is_api(req: &HttpRequest) -> bool {
    req.path().starts_with("/api/")
}

/// Problem details as the API answers them.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem, e.g. `/problemen/validation`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub instance: String,
    /// For 422: every offending field with a message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<ProblemField>>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProblemField {
    pub field: String,
    pub code: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    ctx: Ctx,
    status: u16,
    title: String,
    detail: String,
    request_id: String,
    login_first: bool,
}

/// Error info for a response that carries none (actix's own 404/405, an empty 4xx).
fn info_for_status(status: StatusCode) -> ErrorInfo {
    let error = match status {
        StatusCode::NOT_FOUND => AppError::NotFound,
        StatusCode::UNAUTHORIZED => AppError::Unauthorized,
        StatusCode::FORBIDDEN => AppError::Forbidden("error-forbidden-detail"),
        StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge,
        StatusCode::METHOD_NOT_ALLOWED => AppError::MethodNotAllowed,
        s if s.is_client_error() => AppError::BadRequest("error-bad-request-detail"),
        _ => AppError::Internal(anyhow::anyhow!("{status}")),
    };
    let (title_key, detail_key) = error.message_keys();
    ErrorInfo {
        status,
        kind: error.kind(),
        title_key,
        detail_key,
        detail_args: Vec::new(),
        fields: Vec::new(),
        retry_after_secs: None,
    }
}

/// Middleware: give every error response its body.
pub async fn render(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    // inner middleware answers errors as responses (never `Err`), so the request is at hand
    let res = next.call(req).await?.map_into_boxed_body();
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return Ok(res);
    }
    let carried = res.response().extensions().get::<ErrorInfo>().cloned();
    let info = match carried {
        Some(info) => info,
        // a handler that wrote its own body (a form shown again with its errors) keeps it
        None if !matches!(
            res.response().body().size(),
            actix_web::body::BodySize::Sized(0) | actix_web::body::BodySize::None
        ) =>
        {
            return Ok(res);
        }
        None => info_for_status(status),
    };
    let (http_req, original) = res.into_parts();
    let mut response = if is_api(&http_req) { problem(&http_req, &info) } else { page(&http_req, &info) };
    // cookies set on the way (a new CSRF seed, a stale session removed) still apply
    for cookie in original.headers().get_all(SET_COOKIE) {
        response.headers_mut().append(SET_COOKIE, cookie.clone());
    }
    if let Some(allow) = original.headers().get(ALLOW) {
        response.headers_mut().insert(ALLOW, allow.clone());
    }
    Ok(ServiceResponse::new(http_req, response))
}

/// The detail message, with its arguments.
fn detail(locale: crate::i18n::Locale, info: &ErrorInfo) -> String {
    locale.t_args(info.detail_key, info.detail_args.iter().map(|(name, value)| (*name, value.as_str().into())))
}

fn problem(req: &HttpRequest, info: &ErrorInfo) -> HttpResponse {
    let locale = locale_of(req);
    let ctx_fields = (!info.fields.is_empty()).then(|| {
        let ctx = Ctx::from_request(req);
        info.fields
            .iter()
            .map(|f| ProblemField { field: f.field.clone(), code: f.code.clone(), message: ctx.field_message(f) })
            .collect()
    });
    let body = Problem {
        kind: format!("/problemen/{}", info.kind),
        title: locale.t(info.title_key),
        status: info.status.as_u16(),
        detail: detail(locale, info),
        instance: req.path().to_owned(),
        errors: ctx_fields,
    };
    let mut builder = HttpResponse::build(info.status);
    builder.insert_header((CONTENT_TYPE, "application/problem+json"));
    if let Some(secs) = info.retry_after_secs {
        builder.insert_header((RETRY_AFTER, secs.to_string()));
    }
    if info.status == StatusCode::UNAUTHORIZED {
        builder.insert_header((WWW_AUTHENTICATE, "Bearer"));
    }
    builder.body(serde_json::to_string(&body).unwrap_or_default())
}

fn page(req: &HttpRequest, info: &ErrorInfo) -> HttpResponse {
    if info.status == StatusCode::UNAUTHORIZED && req.method() == actix_web::http::Method::GET {
        // a page that needs a login sends the reader to log in, and back here afterwards
        let back = match req.query_string() {
            "" => req.path().to_owned(),
            q => format!("{}?{q}", req.path()),
        };
        let target: String = url::form_urlencoded::Serializer::new(String::new()).append_pair("terug", &back).finish();
        return HttpResponse::SeeOther()
            .insert_header((actix_web::http::header::LOCATION, format!("/inloggen?{target}")))
            .finish();
    }
    let ctx = Ctx::from_request(req);
    let request_id =
        req.extensions().get::<tracing_actix_web::RequestId>().map(|id| id.to_string()).unwrap_or_default();
    let mut detail = detail(ctx.locale, info);
    if let Some(first) = info.fields.first() {
        detail = format!("{detail} {}", ctx.field_message(first));
    }
    let template = ErrorPage {
        status: info.status.as_u16(),
        title: ctx.t(info.title_key),
        detail,
        request_id,
        login_first: info.status == StatusCode::UNAUTHORIZED,
        ctx,
    };
    let mut builder = HttpResponse::build(info.status);
    if let Some(secs) = info.retry_after_secs {
        builder.insert_header((RETRY_AFTER, secs.to_string()));
    }
    match template.render() {
        Ok(html) => builder.content_type("text/html; charset=utf-8").body(html),
        Err(e) => {
            tracing::error!(error = %e, "cannot render the error page");
            builder.content_type("text/plain; charset=utf-8").body(info.status.to_string())
        }
    }
}
