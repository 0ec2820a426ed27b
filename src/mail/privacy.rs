//! Mail's part of a person's data: the messages sent to them, and forgetting them.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::choice::Choice;
use crate::db::schema::outbox;
use crate::error::AppResult;
use crate::ids::UserId;
use crate::mail::model::MailStatus;
use crate::personal::{Export, Part, Subject, anonymous_address, value};

pub const PRIVACY: Part = Part { feature: "mail", export, forget: forget_part };

/// A message in the data download: what it was about and whether it went out.
#[derive(Debug, Serialize, ToSchema)]
pub struct SentEmail {
    pub subject: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

fn export(conn: &mut PgConnection, subject: &Subject) -> AppResult<Export> {
    let emails: Vec<SentEmail> = outbox::table
        .filter(outbox::user_id.eq(subject.user))
        .order(outbox::id)
        .select((outbox::subject, outbox::status, outbox::created_at, outbox::sent_at))
        .load::<(String, MailStatus, DateTime<Utc>, Option<DateTime<Utc>>)>(conn)?
        .into_iter()
        .map(|(subject, status, created_at, sent_at)| SentEmail {
            subject,
            status: status.as_str().to_owned(),
            created_at,
            sent_at,
        })
        .collect();
    let mut out = Export::new();
    out.insert("emails".into(), value(&emails)?);
    Ok(out)
}

fn forget_part(conn: &mut PgConnection, subject: &Subject) -> AppResult<()> {
    forget(conn, subject.user)
}

/// Messages to a person keep neither their address nor their text; unsent ones are dropped.
pub fn forget(conn: &mut PgConnection, user: UserId) -> AppResult<()> {
    let theirs = outbox::table.filter(outbox::user_id.eq(user));
    diesel::update(theirs)
        .set((
            outbox::recipient_email.eq(anonymous_address(user)),
            outbox::recipient_name.eq(None::<String>),
            outbox::text_body.eq(""),
            outbox::html_body.eq(""),
            outbox::attachments.eq(serde_json::json!([])),
        ))
        .execute(conn)?;
    diesel::update(theirs.filter(outbox::status.eq_any([MailStatus::Pending, MailStatus::Sending])))
        .set((outbox::status.eq(MailStatus::Failed), outbox::last_error.eq("account deleted")))
        .execute(conn)?;
    Ok(())
}
