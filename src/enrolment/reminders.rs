//! Reminders: a scheduler inside the app queues one email per enrolled participant and
//! session, `REMINDER_HOURS` (48) before the session. The outbox's idempotency key
//! (`reminder:<session>:<user>`) makes it exactly once, also with several instances.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable, Text, Timestamptz};
use tokio::sync::watch;

use crate::config::{Config, Site};
use crate::db::Db;
use crate::error::AppResult;
use crate::i18n::Locale;
use crate::mail::{self, Email, Recipient};

#[derive(QueryableByName, Debug)]
struct Due {
    #[diesel(sql_type = BigInt)]
    session_id: i64,
    #[diesel(sql_type = Timestamptz)]
    starts_at: DateTime<Utc>,
    #[diesel(sql_type = Timestamptz)]
    ends_at: DateTime<Utc>,
    #[diesel(sql_type = Text)]
    place: String,
    #[diesel(sql_type = Text)]
    address: String,
    #[diesel(sql_type = Nullable<Text>)]
    wijk: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    online_url: Option<String>,
    #[diesel(sql_type = Text)]
    title: String,
    #[diesel(sql_type = Text)]
    slug: String,
    #[diesel(sql_type = Integer)]
    deadline_hours: i32,
    #[diesel(sql_type = Timestamptz)]
    first_start: DateTime<Utc>,
    #[diesel(sql_type = BigInt)]
    user_id: i64,
    #[diesel(sql_type = Text)]
    email: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    locale: String,
}

/// Sessions starting within the lead time, and who is enrolled and not yet reminded.
/// People who enrolled after the reminder moment just got their confirmation: skipped.
const DUE_SQL: &str = "
SELECT s.id AS session_id, s.starts_at, s.ends_at, s.place, s.address, s.wijk, s.online_url,
       c.title, c.slug, c.cancellation_deadline_hours AS deadline_hours,
       (SELECT min(f.starts_at) FROM course_sessions f WHERE f.course_id = c.id AND f.status = 'scheduled') AS first_start,
       u.id AS user_id, u.email, u.name, u.locale
FROM course_sessions s
JOIN courses c ON c.id = s.course_id AND c.status = 'published'
JOIN enrolments e ON e.course_id = c.id AND e.status = 'enrolled'
JOIN users u ON u.id = e.user_id AND u.anonymised_at IS NULL
WHERE s.status = 'scheduled'
  AND s.starts_at > $1
  AND s.starts_at <= $1 + make_interval(hours => $2)
  AND e.enrolled_at <= s.starts_at - make_interval(hours => $2)
  AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.idempotency_key = 'reminder:' || s.id || ':' || u.id)
ORDER BY s.starts_at
LIMIT 500";

/// Queue the reminders that are due at `now`; answers how many were queued.
pub fn queue_due(conn: &mut PgConnection, site: &Site, lead: Duration, now: DateTime<Utc>) -> AppResult<usize> {
    let due: Vec<Due> = diesel::sql_query(DUE_SQL)
        .bind::<Timestamptz, _>(now)
        .bind::<Integer, _>(i32::try_from(lead.num_hours()).unwrap_or(48))
        .load(conn)?;
    let mut queued = 0;
    for d in due {
        let t = Locale::from_code(&d.locale).unwrap_or_default();
        let session = crate::catalogue::model::Session {
            id: crate::ids::SessionId(d.session_id),
            course_id: crate::ids::CourseId(0),
            starts_at: d.starts_at,
            ends_at: d.ends_at,
            place: d.place,
            address: d.address,
            wijk: d.wijk,
            online_url: d.online_url,
            status: crate::catalogue::model::SessionStatus::Scheduled,
            sequence: 0,
        };
        let to = Recipient { email: d.email, name: d.name, user_id: Some(crate::ids::UserId(d.user_id)), locale: t };
        let deadline = d.first_start - Duration::hours(d.deadline_hours.into());
        let mut email = Email::new(
            to,
            format!("reminder:{}:{}", d.session_id, d.user_id),
            t.t_args(
                "mail-reminder-subject",
                [("course", d.title.as_str().into()), ("date", t.date(d.starts_at).into())],
            ),
        )
        .paragraph(t.t_args("mail-reminder-intro", [("course", d.title.as_str().into())]))
        .detail(t.t("mail-label-when"), t.time_range(session.starts_at, session.ends_at))
        .detail(t.t("mail-label-where"), session.location());
        if let Some(url) = &session.online_url {
            email = email.detail(t.t("mail-label-online"), url.clone());
        }
        email = email.action(t.t("mail-reminder-action"), format!("{}/cursussen/{}", site.base, d.slug));
        email = if now < deadline {
            email.closing(t.t_args(
                "mail-reminder-cancel",
                [("deadline", t.datetime(deadline).into()), ("url", format!("{}/mijn-cursussen", site.base).into())],
            ))
        } else {
            email.closing(t.t("mail-reminder-cannot-come"))
        };
        if mail::enqueue(conn, &site.base, email)?.is_some() {
            queued += 1;
        }
    }
    Ok(queued)
}

/// Every minute: queue the reminders that are due.
pub async fn run(db: Db, config: Arc<Config>, mut shutdown: watch::Receiver<bool>) {
    let site = config.site();
    let lead = config.reminder_lead;
    loop {
        let site = site.clone();
        match db.run(move |conn| queue_due(conn, &site, lead, Utc::now())).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(queued = n, "reminders queued"),
            Err(e) => tracing::warn!(error = %e, "cannot queue reminders"),
        }
        tokio::select! {
            _ = tokio::time::sleep(StdDuration::from_secs(60)) => {}
            _ = shutdown.changed() => break,
        }
    }
}
