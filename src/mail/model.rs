//! Rows of the outbox.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::db::schema::outbox;
use crate::ids::UserId;

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    diesel_derive_enum::DbEnum,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[ExistingTypePath = "crate::db::schema::sql_types::MailStatus"]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "snake_case", ascii_case_insensitive)]
pub enum MailStatus {
    Pending,
    Sending,
    Sent,
    Failed,
}

/// A file sent along, such as an .ics invitation.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Attachment {
    pub filename: String,
    /// Full content type, e.g. `text/calendar; charset=utf-8; method=REQUEST`.
    pub content_type: String,
    pub content: String,
}

#[derive(Debug, Clone, Queryable, Selectable, QueryableByName)]
#[diesel(table_name = outbox)]
pub struct OutboxMessage {
    pub id: i64,
    pub idempotency_key: String,
    pub user_id: Option<UserId>,
    pub recipient_email: String,
    pub recipient_name: Option<String>,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub attachments: serde_json::Value,
    pub auto_submitted: bool,
    pub message_id: String,
    pub status: MailStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub locked_until: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

impl OutboxMessage {
    pub fn attachments(&self) -> Vec<Attachment> {
        serde_json::from_value(self.attachments.clone()).unwrap_or_default()
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = outbox)]
pub struct NewOutboxMessage<'a> {
    pub idempotency_key: &'a str,
    pub user_id: Option<UserId>,
    pub recipient_email: &'a str,
    pub recipient_name: Option<&'a str>,
    pub subject: &'a str,
    pub text_body: &'a str,
    pub html_body: &'a str,
    pub attachments: serde_json::Value,
    pub auto_submitted: bool,
    pub message_id: &'a str,
}
