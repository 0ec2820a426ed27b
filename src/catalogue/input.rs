//! What coordinators send, as the API's JSON bodies say it, parsed at the edge into typed
//! changes for the service. Text that does not parse (a format, a status, a time, a wijk, a
//! link) is named, not guessed; the service reports those fields together with what it finds
//! itself, so that every wrong field is named at once.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer};
use utoipa::ToSchema;

use crate::catalogue::model::{CourseFormat, CourseStatus, WaitlistMode};
use crate::choice::Choice;
use crate::error::{FieldError, Parsed};
use crate::places;
use crate::time::parse_instant;

/// Reads `null` as `Some(None)` and a missing field as `None`, so PATCH can clear a value.
pub fn double_option<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// Non-empty trimmed text, or `None`.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// One of an enum's words, if given; another word is named as not a choice.
fn word<T: Choice>(errors: &mut Vec<FieldError>, field: &str, value: &Option<String>) -> Option<T> {
    let text = given(value)?;
    let parsed = T::parse(text);
    if parsed.is_none() {
        errors.push(FieldError::new(field, "choice"));
    }
    parsed
}

/// A course as written by a coordinator; on create, missing fields take the defaults.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct CourseInput {
    #[schema(min_length = 1, max_length = 200, pattern = r"^[^\u0000-\u001F\u007F-\u009F]*$")]
    pub title: Option<String>,
    #[schema(max_length = 500)]
    pub summary: Option<String>,
    /// Markdown.
    #[schema(max_length = 20000)]
    pub description: Option<String>,
    /// Theme slug (of a theme that is not retired).
    #[schema(min_length = 1, pattern = r"^ *[^ ]")]
    pub theme: Option<String>,
    /// Default `cursus`.
    #[schema(schema_with = format_word)]
    pub format: Option<String>,
    #[schema(max_length = 500)]
    pub audience: Option<String>,
    #[schema(minimum = 1, maximum = 10000)]
    pub capacity: Option<i32>,
    /// RFC 3339, or Amsterdam local time without an offset; `null` clears it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub enrolment_opens_at: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub enrolment_closes_at: Option<Option<String>>,
    /// Hours before the first session until which participants may cancel (default 24).
    #[schema(minimum = 0, maximum = 1440)]
    pub cancellation_deadline_hours: Option<i32>,
    /// Percentage of sessions to attend to complete the course (default 80).
    #[schema(minimum = 1, maximum = 100)]
    pub completion_threshold: Option<i32>,
    /// Whether people may join a waiting list when the course is full (default true).
    pub waitlist_enabled: Option<bool>,
    /// `automatic` (default) or `offer`: a freed seat is offered to the first in line.
    #[schema(schema_with = waitlist_mode_word)]
    pub waitlist_mode: Option<String>,
    /// How long an offer runs, in hours (default 48).
    #[schema(minimum = 1, maximum = 168)]
    pub offer_hours: Option<i32>,
    /// Only allowed transitions: `draft → published → cancelled | archived`, `cancelled → archived`.
    #[schema(schema_with = status_word)]
    pub status: Option<String>,
}

/// A course change, typed: `None` keeps a field as it is (on create: its default).
#[derive(Debug, Clone, Default)]
pub struct CourseChanges {
    /// Trimmed.
    pub title: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    /// A theme slug, lower case; whether it exists is the service's question.
    pub theme: Option<String>,
    pub format: Option<CourseFormat>,
    pub audience: Option<String>,
    pub capacity: Option<i32>,
    /// `Some(None)` clears the moment.
    pub enrolment_opens_at: Option<Option<DateTime<Utc>>>,
    pub enrolment_closes_at: Option<Option<DateTime<Utc>>>,
    pub cancellation_deadline_hours: Option<i32>,
    pub completion_threshold: Option<i32>,
    pub waitlist_enabled: Option<bool>,
    pub waitlist_mode: Option<WaitlistMode>,
    pub offer_hours: Option<i32>,
    pub status: Option<CourseStatus>,
}

impl CourseInput {
    pub fn parse(&self) -> Parsed<CourseChanges> {
        let mut errors = Vec::new();
        let mut instant = |field: &str, value: &Option<Option<String>>| match value {
            None => None,
            Some(None) => Some(None),
            Some(Some(text)) if text.trim().is_empty() => Some(None),
            Some(Some(text)) => match parse_instant(text) {
                Ok(t) => Some(Some(t)),
                Err(code) => {
                    errors.push(FieldError::new(field, code));
                    Some(None)
                }
            },
        };
        let enrolment_opens_at = instant("enrolment_opens_at", &self.enrolment_opens_at);
        let enrolment_closes_at = instant("enrolment_closes_at", &self.enrolment_closes_at);
        let format = word(&mut errors, "format", &self.format);
        let status = word(&mut errors, "status", &self.status);
        let waitlist_mode = word(&mut errors, "waitlist_mode", &self.waitlist_mode);
        let trimmed = |value: &Option<String>| value.as_deref().map(|v| v.trim().to_owned());
        let value = CourseChanges {
            title: trimmed(&self.title),
            summary: trimmed(&self.summary),
            description: self.description.clone(),
            theme: given(&self.theme).map(str::to_lowercase),
            format,
            audience: trimmed(&self.audience),
            capacity: self.capacity,
            enrolment_opens_at,
            enrolment_closes_at,
            cancellation_deadline_hours: self.cancellation_deadline_hours,
            completion_threshold: self.completion_threshold,
            waitlist_enabled: self.waitlist_enabled,
            waitlist_mode,
            offer_hours: self.offer_hours,
            status,
        };
        Parsed { value, errors }
    }
}

/// A session as written by a coordinator.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct SessionInput {
    /// RFC 3339, or Amsterdam local time without an offset.
    #[schema(schema_with = instant)]
    pub starts_at: Option<String>,
    /// After the start, at most 24 hours later.
    #[schema(schema_with = instant)]
    pub ends_at: Option<String>,
    #[schema(max_length = 200, pattern = r"^[^\u0000-\u001F\u007F-\u009F]*$")]
    pub place: Option<String>,
    #[schema(max_length = 300, pattern = r"^[^\u0000-\u001F\u007F-\u009F]*$")]
    pub address: Option<String>,
    /// Wijk or dorp: slug (listed) or name; `null` clears it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(schema_with = wijk_or_none)]
    pub wijk: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub online_url: Option<Option<String>>,
    /// Adding a session that already began to a published course must be meant: `true`
    /// says so (a programme recorded after the fact); without it the answer is 422 on
    /// `starts_at`.
    pub allow_past: Option<bool>,
}

/// A course format; `""` or `null` keeps it (on create: `cursus`).
fn format_word() -> utoipa::openapi::Object {
    crate::choice::schema::<CourseFormat>(&[serde_json::Value::from(""), serde_json::Value::Null])
}

/// A course status; `""` or `null` keeps it.
fn status_word() -> utoipa::openapi::Object {
    crate::choice::schema::<CourseStatus>(&[serde_json::Value::from(""), serde_json::Value::Null])
}

/// How the waiting list moves; `""` or `null` keeps it.
fn waitlist_mode_word() -> utoipa::openapi::Object {
    crate::choice::schema::<WaitlistMode>(&[serde_json::Value::from(""), serde_json::Value::Null])
}

/// A session's start or end.
fn instant() -> utoipa::openapi::Object {
    crate::time::instant_schema(false, false)
}

/// The wijk of a session: a slug, or `""` or `null` for none.
fn wijk_or_none() -> utoipa::openapi::Object {
    crate::places::schema_with(&[serde_json::Value::from(""), serde_json::Value::Null])
}

/// A session change, typed: `None` keeps a field as it is; `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct SessionChanges {
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    /// Trimmed.
    pub place: Option<String>,
    pub address: Option<String>,
    /// A wijk or dorp slug.
    pub wijk: Option<Option<String>>,
    /// An http(s) link.
    pub online_url: Option<Option<String>>,
    /// The coordinator confirmed on purpose that the session lies in the past.
    pub allow_past: bool,
}

impl SessionInput {
    pub fn parse(&self) -> Parsed<SessionChanges> {
        let mut errors = Vec::new();
        let mut instant = |field: &str, value: &Option<String>| {
            given(value).and_then(|text| match parse_instant(text) {
                Ok(t) => Some(t),
                Err(code) => {
                    errors.push(FieldError::new(field, code));
                    None
                }
            })
        };
        let starts_at = instant("starts_at", &self.starts_at);
        let ends_at = instant("ends_at", &self.ends_at);
        let wijk = match &self.wijk {
            None => None,
            Some(None) => Some(None),
            Some(Some(text)) if text.trim().is_empty() => Some(None),
            Some(Some(text)) => match places::find(text) {
                Some(slug) => Some(Some(slug.to_owned())),
                None => {
                    errors.push(FieldError::new("wijk", "wijk-unknown"));
                    None
                }
            },
        };
        let online_url = match &self.online_url {
            None => None,
            Some(None) => Some(None),
            Some(Some(text)) if text.trim().is_empty() => Some(None),
            Some(Some(text)) => match url::Url::parse(text.trim()) {
                Ok(u) if matches!(u.scheme(), "http" | "https") && text.len() <= 500 => Some(Some(u.to_string())),
                _ => {
                    errors.push(FieldError::new("online_url", "url-invalid"));
                    None
                }
            },
        };
        let trimmed = |value: &Option<String>| value.as_deref().map(|v| v.trim().to_owned());
        let value = SessionChanges {
            starts_at,
            ends_at,
            place: trimmed(&self.place),
            address: trimmed(&self.address),
            wijk,
            online_url,
            allow_past: self.allow_past == Some(true),
        };
        Parsed { value, errors }
    }
}
