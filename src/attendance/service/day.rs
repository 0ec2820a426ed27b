//! The trainer's day ("Mijn trainingen"): today's sessions first, then the next ones, with
//! how far the marking of today's sessions has come. A fixed number of queries.

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;
use diesel::prelude::*;

use super::ledger::Ledger;
use crate::auth::CurrentUser;
use crate::catalogue::service::{self as catalogue, TrainerSession};
use crate::enrolment::model::EnrolmentStatus;
use crate::error::AppResult;
use crate::ids::CourseId;

/// How far a session's roster has been marked: "12 van 15 gemarkeerd". The people are
/// those the roster shows (everyone enrolled, and anyone marked who has left since).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub marked: usize,
    pub total: usize,
}

/// One session of the trainer's day.
#[derive(Debug, Clone)]
pub struct DaySession {
    pub session: TrainerSession,
    /// For today's sessions that are not cancelled.
    pub progress: Option<Progress>,
}

/// The trainer's sessions: `today` (starting before midnight in Amsterdam, and not ended
/// before this morning), then `next`.
#[derive(Debug, Clone, Default)]
pub struct TrainerDay {
    pub today: Vec<DaySession>,
    pub next: Vec<DaySession>,
}

/// Midnight at the start of the Amsterdam day `days` after the one `at` falls on.
fn local_midnight(at: DateTime<Utc>, days: i64) -> DateTime<Utc> {
    let day = at.with_timezone(&Amsterdam).date_naive() + Duration::days(days);
    // midnight exists on every Amsterdam day (the clocks change at 02:00 and 03:00)
    Amsterdam.from_local_datetime(&day.and_time(NaiveTime::MIN)).earliest().map_or(at, |t| t.to_utc())
}

/// The trainer's day, as of now.
pub fn trainer_day(conn: &mut PgConnection, actor: &CurrentUser) -> AppResult<TrainerDay> {
    let now = Utc::now();
    let (morning, tomorrow) = (local_midnight(now, 0), local_midnight(now, 1));
    let sessions = catalogue::trainer_sessions(conn, actor, morning)?;
    let (today, next): (Vec<_>, Vec<_>) = sessions.into_iter().partition(|t| t.session.starts_at < tomorrow);
    let mut courses: Vec<CourseId> = today.iter().map(|t| t.course_id).collect();
    courses.sort();
    courses.dedup();
    let ledger = Ledger::load(conn, &courses, None, now)?;
    let today = today
        .into_iter()
        .map(|t| {
            let progress = (!t.session.is_cancelled()).then(|| {
                let shown: Vec<_> = ledger
                    .people(t.course_id)
                    .into_iter()
                    .filter(|user| {
                        ledger.status(t.course_id, *user) == Some(EnrolmentStatus::Enrolled)
                            || ledger.mark(t.session.id, *user).is_some()
                    })
                    .collect();
                let marked = shown.iter().filter(|user| ledger.mark(t.session.id, **user).is_some()).count();
                Progress { marked, total: shown.len() }
            });
            DaySession { session: t, progress }
        })
        .collect();
    let next = next.into_iter().map(|session| DaySession { session, progress: None }).collect();
    Ok(TrainerDay { today, next })
}
