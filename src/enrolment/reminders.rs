//! Reminders: a scheduler inside the app queues one email per enrolled participant and
//! session, `REMINDER_HOURS` (48) before the session. The outbox's idempotency key
//! (`reminder:<session>:<user>`) makes it exactly once, also with several instances. The
//! sessions come from the catalogue, the people from accounts: each feature reads its own.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use tokio::sync::watch;

use crate::catalogue::service::StartingSession;
use crate::config::{Config, Site};
use crate::db::Db;
use crate::db::schema::enrolments;
use crate::enrolment::model::EnrolmentStatus;
use crate::error::AppResult;
use crate::ids::{CourseId, UserId};
use crate::mail::{self, Email, Recipient};
use crate::{accounts, catalogue};

/// At most this many reminders are queued per round; the next round takes the rest.
const BATCH: usize = 500;

/// Queue the reminders that are due at `now`: for each session that starts within the lead
/// time, everyone enrolled in its course who was not reminded yet. People who enrolled
/// after the reminder moment just got their confirmation: skipped. Answers how many were
/// queued; a fixed number of queries per round.
pub fn queue_due(conn: &mut PgConnection, site: &Site, lead: Duration, now: DateTime<Utc>) -> AppResult<usize> {
    let starting = catalogue::service::sessions_starting(conn, now, now + lead)?;
    if starting.is_empty() {
        return Ok(0);
    }
    let courses: Vec<CourseId> = starting.iter().map(|s| s.course.id).collect();
    let enrolled: Vec<(CourseId, UserId, Option<DateTime<Utc>>)> = enrolments::table
        .filter(enrolments::course_id.eq_any(&courses))
        .filter(enrolments::status.eq(EnrolmentStatus::Enrolled))
        .select((enrolments::course_id, enrolments::user_id, enrolments::enrolled_at))
        .load(conn)?;
    let due: Vec<(&StartingSession, UserId, String)> = starting
        .iter()
        .flat_map(|s| {
            let reminder_moment = s.session.starts_at - lead;
            enrolled
                .iter()
                .filter(move |(course, _, at)| *course == s.course.id && at.is_some_and(|at| at <= reminder_moment))
                .map(move |(_, user, _)| (s, *user, format!("reminder:{}:{}", s.session.id, user)))
        })
        .collect();
    let keys: Vec<String> = due.iter().map(|(_, _, key)| key.clone()).collect();
    let queued_before = mail::queued_keys(conn, &keys)?;
    let due: Vec<_> = due.into_iter().filter(|(_, _, key)| !queued_before.contains(key)).take(BATCH).collect();
    let people: Vec<UserId> = due.iter().map(|(_, user, _)| *user).collect();
    let recipients = accounts::service::recipients(conn, &people)?;
    let mut queued = 0;
    for (starting, user, key) in due {
        // anonymised accounts are not among the recipients
        let Some(to) = recipients.iter().find(|r| r.user_id == Some(user)) else { continue };
        if mail::enqueue(conn, &site.base, reminder(site, starting, to.clone(), key, now))?.is_some() {
            queued += 1;
        }
    }
    Ok(queued)
}

fn reminder(site: &Site, starting: &StartingSession, to: Recipient, key: String, now: DateTime<Utc>) -> Email {
    let t = to.locale;
    let (session, course) = (&starting.session, &starting.course);
    let deadline = starting.first_start - Duration::hours(course.cancellation_deadline_hours.into());
    let title = course.title.as_str();
    let mut email = Email::new(
        to,
        key,
        t.t_args("mail-reminder-subject", [("course", title.into()), ("date", t.date(session.starts_at).into())]),
    )
    .paragraph(t.t_args("mail-reminder-intro", [("course", title.into())]))
    .detail(t.t("mail-label-when"), t.time_range(session.starts_at, session.ends_at))
    .detail(t.t("mail-label-where"), session.location());
    if let Some(url) = &session.online_url {
        email = email.detail(t.t("mail-label-online"), url.clone());
    }
    email = email.action(t.t("mail-reminder-action"), format!("{}/cursussen/{}", site.base, course.slug));
    if now < deadline {
        email.closing(t.t_args(
            "mail-reminder-cancel",
            [("deadline", t.datetime(deadline).into()), ("url", format!("{}/mijn-cursussen", site.base).into())],
        ))
    } else {
        email.closing(t.t("mail-reminder-cannot-come"))
    }
}

/// Every 30 seconds: expire the offers whose deadline passed and pass their seats on
/// (`service::expire_due`; exactly once, also with several instances).
pub async fn run_offers(db: Db, config: Arc<Config>, shutdown: watch::Receiver<bool>) {
    let site = config.site();
    let expire = move |conn: &mut PgConnection| crate::enrolment::service::expire_due(conn, &site, Utc::now());
    db.every(StdDuration::from_secs(30), shutdown, "waiting-list offers expired", expire).await;
}

/// Every minute: queue the reminders that are due.
pub async fn run(db: Db, config: Arc<Config>, shutdown: watch::Receiver<bool>) {
    let (site, lead) = (config.site(), config.reminder_lead);
    let queue = move |conn: &mut PgConnection| queue_due(conn, &site, lead, Utc::now());
    db.every(StdDuration::from_secs(60), shutdown, "reminders queued", queue).await;
}
