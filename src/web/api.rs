//! Shared pieces of the JSON API: a JSON body extractor whose errors name the field, list
//! answers with paging, and the extractor settings that turn bad input into problems.

use actix_web::dev::Payload;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::web::BytesMut;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::StreamExt;
use futures_util::future::LocalBoxFuture;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use utoipa::IntoParams;

use crate::error::{AppError, FieldError};
use crate::paging::Paging;
use crate::web::middleware::has_invisible;

/// Largest JSON body the API reads.
pub const JSON_LIMIT: usize = 256 * 1024;

/// A JSON request body. Broken JSON is 400, a value of the wrong type is 422 naming the
/// field, an oversize body 413, another content type 415. Unknown fields are ignored.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for ApiJson<T> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let content_type = req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_ascii_lowercase);
        let mut payload = payload.take();
        Box::pin(async move {
            if let Some(ct) = content_type {
                let essence = ct.split(';').next().unwrap_or("").trim().to_owned();
                if !(essence == "application/json" || essence.ends_with("+json")) {
                    return Err(AppError::UnsupportedMediaType);
                }
            }
            let mut body = BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|_| AppError::BadRequest("error-bad-json-detail"))?;
                if body.len() + chunk.len() > JSON_LIMIT {
                    return Err(AppError::PayloadTooLarge);
                }
                body.extend_from_slice(&chunk);
            }
            let text: &[u8] = if body.iter().all(u8::is_ascii_whitespace) { b"{}" } else { &body };
            parse(text).map(ApiJson)
        })
    }
}

/// Parse a JSON body with errors that say which field is wrong. Text with a control
/// character no field may hold (NUL above all) is refused as a wrong value of its field.
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|_| AppError::BadRequest("error-bad-json-detail"))?;
    if let Some(field) = invisible_in(&value, String::new()) {
        return Err(AppError::Validation(vec![FieldError::new(field, "invisible-chars")]));
    }
    match serde_path_to_error::deserialize(value) {
        Ok(value) => Ok(value),
        Err(error) => {
            let path = error.path().to_string();
            let message = error.into_inner().to_string();
            let (field, code) = match message.strip_prefix("missing field `") {
                Some(rest) => (rest.split('`').next().unwrap_or("").to_owned(), "required"),
                None => (if path == "." { "body".to_owned() } else { path }, "type"),
            };
            Err(AppError::Validation(vec![FieldError::new(field, code)]))
        }
    }
}

/// The path (`title`, `marks[2].note`) of the first string, or key, with a character no
/// text may hold.
fn invisible_in(value: &serde_json::Value, at: String) -> Option<String> {
    use serde_json::Value;
    let field = |at: &str| if at.is_empty() { "body".to_owned() } else { at.to_owned() };
    match value {
        Value::String(text) => has_invisible(text, true).then(|| field(&at)),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, v)| invisible_in(v, format!("{at}[{i}]"))),
        Value::Object(map) => map.iter().find_map(|(key, v)| {
            let here = if at.is_empty() { key.clone() } else { format!("{at}.{key}") };
            if has_invisible(key, false) { Some(field(&at)) } else { invisible_in(v, here) }
        }),
        _ => None,
    }
}

/// `?page=&per_page=`: page counts from 1, per_page defaults to 50, at most 200.
#[derive(Debug, Clone, Deserialize, IntoParams)]
pub struct PageQuery {
    pub page: Option<String>,
    pub per_page: Option<String>,
}

impl PageQuery {
    pub fn paging(&self) -> Result<Paging, AppError> {
        let mut errors = Vec::new();
        let paging = Paging::parse(self.page.as_deref(), self.per_page.as_deref(), &mut errors);
        if errors.is_empty() { Ok(paging) } else { Err(AppError::Validation(errors)) }
    }
}

/// Extractor settings: a path that does not parse names nothing that exists (404); a bad
/// query or form is refused with a problem instead of actix's plain text.
pub fn extractor_config(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()))
        .app_data(web::QueryConfig::default().error_handler(|_, _| AppError::validation("query", "type").into()))
        .app_data(
            web::FormConfig::default()
                .limit(crate::web::middleware::FORM_LIMIT)
                .error_handler(|_, _| AppError::BadRequest("error-bad-request-detail").into()),
        )
        .app_data(web::PayloadConfig::default().limit(JSON_LIMIT));
}
