//! The outbox: queue a message inside the caller's transaction; claim, deliver and record
//! it from a worker. `FOR UPDATE SKIP LOCKED` lets any number of workers share the queue.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Interval};

use crate::auth::{CurrentUser, Role};
use crate::choice::Choice;
use crate::db::schema::outbox;
use crate::error::{AppError, AppResult, FieldError};
use crate::mail::message::{Email, render};
use crate::mail::model::{MailStatus, NewOutboxMessage, OutboxMessage};

/// After this many attempts a message is given up (about a day with the backoff below).
pub const MAX_ATTEMPTS: i32 = 30;

#[derive(QueryableByName)]
struct NextValue {
    #[diesel(sql_type = BigInt)]
    v: i64,
}

/// The SEQUENCE for the next invitation or cancellation. One counter serves every
/// message, so whatever a person got before about an event (an invitation, a personal
/// CANCEL, a change of the session) carries a lower number than what they get next, and
/// calendar programs apply the newest. Callers draw it after locking the course, so that
/// numbers follow the order of the changes.
pub fn next_calendar_sequence(conn: &mut PgConnection) -> AppResult<u32> {
    let next: NextValue = diesel::sql_query("SELECT nextval('calendar_sequence') AS v").get_result(conn)?;
    Ok(u32::try_from(next.v).unwrap_or(u32::MAX))
}

/// Queue `email` in the caller's transaction. Answers the message id, or `None` when a
/// message with the same idempotency key was queued before.
pub fn enqueue(conn: &mut PgConnection, base: &str, email: Email) -> AppResult<Option<i64>> {
    let address: lettre::Address = email
        .to
        .email
        .trim()
        .parse()
        .map_err(|_| AppError::Validation(vec![FieldError::new("email", "email-invalid")]))?;
    let (text, html) = render(&email, base)?;
    let host =
        url::Url::parse(base).ok().and_then(|u| u.host_str().map(str::to_owned)).unwrap_or_else(|| "localhost".into());
    let message_id = format!("<{}@{}>", uuid::Uuid::new_v4(), host);
    let subject = single_line(&email.subject);
    let name = single_line(&email.to.name);
    let attachments = serde_json::to_value(&email.attachments).map_err(anyhow::Error::from)?;
    let id = diesel::insert_into(outbox::table)
        .values(NewOutboxMessage {
            idempotency_key: &email.idempotency_key,
            user_id: email.to.user_id,
            recipient_email: address.as_ref(),
            recipient_name: Some(&name).filter(|n| !n.is_empty()).map(String::as_str),
            subject: &subject,
            text_body: &text,
            html_body: &html,
            attachments,
            auto_submitted: email.auto_submitted,
            message_id: &message_id,
        })
        .on_conflict(outbox::idempotency_key)
        .do_nothing()
        .returning(outbox::id)
        .get_result::<i64>(conn)
        .optional()?;
    Ok(id)
}

/// Which of `keys` were queued before, so that a scheduler need not render them again.
pub fn queued_keys(conn: &mut PgConnection, keys: &[String]) -> AppResult<std::collections::HashSet<String>> {
    Ok(outbox::table
        .filter(outbox::idempotency_key.eq_any(keys))
        .select(outbox::idempotency_key)
        .load::<String>(conn)?
        .into_iter()
        .collect())
}

/// Headers cannot be split: line breaks and other control characters become spaces.
pub fn single_line(text: &str) -> String {
    let cleaned: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Claim up to `batch` due messages for `lease`: pending ones whose time has come and
/// sending ones whose worker's lease ran out (it died mid-send).
pub fn claim(conn: &mut PgConnection, batch: i64, lease: Duration) -> QueryResult<Vec<OutboxMessage>> {
    diesel::sql_query(
        "UPDATE outbox SET status = 'sending', attempts = attempts + 1, locked_until = now() + $2
         WHERE id IN (
             SELECT id FROM outbox
             WHERE (status = 'pending' AND next_attempt_at <= now())
                OR (status = 'sending' AND locked_until < now())
             ORDER BY next_attempt_at, id
             LIMIT $1
             FOR UPDATE SKIP LOCKED)
         RETURNING *",
    )
    .bind::<BigInt, _>(batch)
    .bind::<Interval, _>(diesel::pg::data_types::PgInterval::from_microseconds(
        lease.num_microseconds().unwrap_or(i64::MAX),
    ))
    .load::<OutboxMessage>(conn)
}

/// The outcome of one delivery attempt.
#[derive(Debug, Clone)]
pub enum Outcome {
    Sent,
    /// Worth trying again later (connection refused, 4xx, timeout).
    Transient(String),
    /// Never going to work (5xx, a broken address).
    Permanent(String),
}

/// The first retry's wait ([`backoff`]); `MAIL_RETRY_BASE_MS` shortens it (in tests).
pub const RETRY_BASE: Duration = Duration::seconds(15);

/// When to try again after `attempts` attempts: 15 s, doubling, at most an hour, ± 20 %.
pub fn backoff(attempts: i32) -> Duration {
    backoff_from(RETRY_BASE, attempts)
}

/// [`backoff`] from another first wait: doubling from `first`, at most 240 times `first`
/// (an hour for 15 s), ± 20 %.
pub fn backoff_from(first: Duration, attempts: i32) -> Duration {
    let first = first.num_milliseconds().max(1);
    let base = first.saturating_mul(1_i64 << (attempts.clamp(1, 20) - 1)).min(first.saturating_mul(240));
    let jitter = rand::random_range(-(base / 5)..=(base / 5));
    Duration::milliseconds(base + jitter)
}

/// Record what happened to a claimed message. Only the claimant (status `sending`, and
/// the attempt it claimed) can record, so a late worker whose lease ran out cannot
/// overwrite a newer outcome or the claim of the worker that took over.
pub fn record(conn: &mut PgConnection, id: i64, attempts: i32, outcome: &Outcome) -> QueryResult<()> {
    record_with_backoff(conn, id, attempts, outcome, RETRY_BASE)
}

/// [`record`], retrying a transient failure after [`backoff_from`]`(first_retry, …)`.
pub fn record_with_backoff(
    conn: &mut PgConnection,
    id: i64,
    attempts: i32,
    outcome: &Outcome,
    first_retry: Duration,
) -> QueryResult<()> {
    let claimed = outbox::table
        .filter(outbox::id.eq(id))
        .filter(outbox::status.eq(MailStatus::Sending))
        .filter(outbox::attempts.eq(attempts));
    match outcome {
        Outcome::Sent => {
            diesel::update(claimed)
                .set((
                    outbox::status.eq(MailStatus::Sent),
                    outbox::sent_at.eq(Utc::now()),
                    outbox::locked_until.eq(None::<DateTime<Utc>>),
                    outbox::last_error.eq(None::<String>),
                ))
                .execute(conn)?;
        }
        Outcome::Transient(why) if attempts < MAX_ATTEMPTS => {
            diesel::update(claimed)
                .set((
                    outbox::status.eq(MailStatus::Pending),
                    outbox::next_attempt_at.eq(Utc::now() + backoff_from(first_retry, attempts)),
                    outbox::locked_until.eq(None::<DateTime<Utc>>),
                    outbox::last_error.eq(truncate(why)),
                ))
                .execute(conn)?;
        }
        Outcome::Transient(why) | Outcome::Permanent(why) => {
            tracing::error!(id, attempts, error = why.as_str(), "email given up");
            diesel::update(claimed)
                .set((
                    outbox::status.eq(MailStatus::Failed),
                    outbox::locked_until.eq(None::<DateTime<Utc>>),
                    outbox::last_error.eq(truncate(why)),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// Give back claimed messages that were not tried, as they were before the claim.
pub fn release(conn: &mut PgConnection, claims: &[(i64, i32)]) -> QueryResult<()> {
    for &(id, attempts) in claims {
        diesel::update(
            outbox::table
                .filter(outbox::id.eq(id))
                .filter(outbox::status.eq(MailStatus::Sending))
                .filter(outbox::attempts.eq(attempts)),
        )
        .set((
            outbox::status.eq(MailStatus::Pending),
            outbox::attempts.eq(attempts - 1),
            outbox::locked_until.eq(None::<DateTime<Utc>>),
        ))
        .execute(conn)?;
    }
    Ok(())
}

fn truncate(text: &str) -> String {
    text.chars().take(1000).collect()
}

/// The most recent messages, newest first, for the coordinator's view.
pub fn recent(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    status: Option<MailStatus>,
    limit: i64,
) -> AppResult<Vec<OutboxMessage>> {
    actor.require(Role::Coordinator)?;
    let mut query = outbox::table.select(OutboxMessage::as_select()).order(outbox::id.desc()).limit(limit).into_boxed();
    if let Some(status) = status {
        query = query.filter(outbox::status.eq(status));
    }
    Ok(query.load(conn)?)
}

/// Messages per status, every status named.
pub type StatusCounts = Vec<(MailStatus, i64)>;

/// The coordinator's view of the outbox: the latest messages and the count per status.
pub fn overview(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    status: Option<MailStatus>,
    limit: i64,
) -> AppResult<(Vec<OutboxMessage>, StatusCounts)> {
    Ok((recent(conn, actor, status, limit)?, counts(conn)?))
}

/// Send a failed message again, from the first attempt.
pub fn retry(conn: &mut PgConnection, actor: &CurrentUser, id: i64) -> AppResult<()> {
    actor.require(Role::Coordinator)?;
    let message: OutboxMessage = outbox::table.find(id).select(OutboxMessage::as_select()).first(conn)?;
    if message.status != MailStatus::Failed {
        return Err(AppError::Conflict("conflict-mail-not-failed"));
    }
    diesel::update(outbox::table.find(id))
        .set((
            outbox::status.eq(MailStatus::Pending),
            outbox::attempts.eq(0),
            outbox::next_attempt_at.eq(Utc::now()),
            outbox::last_error.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Messages per status, for `wijkmakers outbox status` and the coordinator's view.
pub fn counts(conn: &mut PgConnection) -> QueryResult<StatusCounts> {
    let rows: Vec<(MailStatus, i64)> =
        outbox::table.group_by(outbox::status).select((outbox::status, diesel::dsl::count_star())).load(conn)?;
    Ok(MailStatus::all()
        .iter()
        .copied()
        .map(|status| (status, rows.iter().find(|(s, _)| *s == status).map_or(0, |(_, n)| *n)))
        .collect())
}
