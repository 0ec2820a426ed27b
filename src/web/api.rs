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
/// field, an oversize body 413, another content type 415. Unknown fields are ignored. No
/// body at all is 422 (`body` is required); see [`OptionalJson`] for a body that may be left out.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for ApiJson<T> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = read(req, payload);
        Box::pin(async move {
            match body.await? {
                Some(body) => parse(&body).map(ApiJson),
                None => Err(AppError::validation("body", "required")),
            }
        })
    }
}

/// A JSON body that may be left out (every field has a default): no body is `T::default()`.
pub struct OptionalJson<T>(pub T);

impl<T: DeserializeOwned + Default + 'static> FromRequest for OptionalJson<T> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = read(req, payload);
        Box::pin(async move {
            match body.await? {
                Some(body) => parse(&body).map(OptionalJson),
                None => Ok(OptionalJson(T::default())),
            }
        })
    }
}

/// The body's bytes, or `None` when there is none (or only white space).
fn read(req: &HttpRequest, payload: &mut Payload) -> LocalBoxFuture<'static, Result<Option<BytesMut>, AppError>> {
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
        Ok((!body.iter().all(u8::is_ascii_whitespace)).then_some(body))
    })
}

/// Parse a JSON body with errors that say which field is wrong. Text with a control
/// character no field may hold (NUL above all) is refused as a wrong value of its field.
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|_| AppError::BadRequest("error-bad-json-detail"))?;
    // serde would read a struct from an array too (`[]` as every field left out)
    if fields_of::<T>().is_some() && !value.is_object() {
        return Err(AppError::Validation(vec![FieldError::new("body", "type")]));
    }
    if let Some(field) = invisible_in(&known_fields::<T>(&value), String::new()) {
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

/// The body without the top-level fields `T` does not have: unknown fields are ignored, so
/// what they hold is not checked either.
fn known_fields<T: DeserializeOwned>(value: &serde_json::Value) -> std::borrow::Cow<'_, serde_json::Value> {
    use std::borrow::Cow;
    match (value, fields_of::<T>()) {
        (serde_json::Value::Object(map), Some(fields)) => Cow::Owned(serde_json::Value::Object(
            map.iter().filter(|(key, _)| fields.contains(&key.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect(),
        )),
        _ => Cow::Borrowed(value),
    }
}

/// The field names of a struct `T` deserializes into, as serde's derive declares them
/// (asked of a deserializer that only listens), or `None` when `T` is not a struct.
fn fields_of<T: DeserializeOwned>() -> Option<&'static [&'static str]> {
    use serde::de::{self, Visitor};
    struct Listener(Option<&'static [&'static str]>);
    #[derive(Debug)]
    struct Stop;
    impl std::fmt::Display for Stop {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("stop")
        }
    }
    impl std::error::Error for Stop {}
    impl de::Error for Stop {
        fn custom<M: std::fmt::Display>(_: M) -> Self {
            Stop
        }
    }
    impl<'de> de::Deserializer<'de> for &mut Listener {
        type Error = Stop;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            Err(Stop)
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Stop> {
            self.0 = Some(fields);
            Err(Stop)
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
            unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
        }
    }
    let mut listener = Listener(None);
    let _ = T::deserialize(&mut listener);
    listener.0
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
    /// From 1. Read as text, so a wrong value is a 422 naming it rather than a bare 400.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000000)]
    pub page: Option<String>,
    /// 50 unless given; at most 200.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 200)]
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
