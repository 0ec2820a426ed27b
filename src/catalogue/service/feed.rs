//! Feeds: sessions as calendars, and the sessions that are about to start.

use super::*;

/// A session with what a calendar needs to know of its course.
#[derive(Debug, Clone)]
pub struct FeedSession {
    pub session: Session,
    pub course_title: String,
    pub course_slug: String,
    pub course_cancelled: bool,
}

/// Sessions of public courses from a month ago on, for `/cursussen/agenda.ics` (one query).
pub fn public_feed(conn: &mut PgConnection) -> AppResult<Vec<FeedSession>> {
    let rows: Vec<(Session, String, String, CourseStatus)> = course_sessions::table
        .inner_join(courses::table)
        .filter(courses::status.eq_any([CourseStatus::Published, CourseStatus::Archived]))
        .filter(course_sessions::starts_at.ge(Utc::now() - Duration::days(31)))
        .order(course_sessions::starts_at)
        .select((Session::as_select(), courses::title, courses::slug, courses::status))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(session, course_title, course_slug, status)| FeedSession {
            session,
            course_title,
            course_slug,
            course_cancelled: status == CourseStatus::Cancelled,
        })
        .collect())
}

/// A scheduled session of a published course that starts soon, with its course and the
/// start of the course's first session (its cancellation deadline counts from there).
#[derive(Debug, Clone)]
pub struct StartingSession {
    pub session: Session,
    pub course: Course,
    pub first_start: DateTime<Utc>,
}

/// Scheduled sessions of published courses that start in `(from, to]` (two queries).
pub fn sessions_starting(
    conn: &mut PgConnection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<Vec<StartingSession>> {
    let rows: Vec<(Session, Course)> = course_sessions::table
        .inner_join(courses::table)
        .filter(courses::status.eq(CourseStatus::Published))
        .filter(course_sessions::status.eq(SessionStatus::Scheduled))
        .filter(course_sessions::starts_at.gt(from))
        .filter(course_sessions::starts_at.le(to))
        .order((course_sessions::starts_at, course_sessions::id))
        .select((Session::as_select(), Course::as_select()))
        .load(conn)?;
    let ids: Vec<CourseId> = rows.iter().map(|(_, c)| c.id).collect();
    let firsts: Vec<(CourseId, Option<DateTime<Utc>>)> = course_sessions::table
        .filter(course_sessions::course_id.eq_any(&ids))
        .filter(course_sessions::status.eq(SessionStatus::Scheduled))
        .group_by(course_sessions::course_id)
        .select((course_sessions::course_id, diesel::dsl::min(course_sessions::starts_at)))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(session, course)| {
            let first_start =
                firsts.iter().find(|(id, _)| *id == course.id).and_then(|(_, f)| *f).unwrap_or(session.starts_at);
            StartingSession { session, course, first_start }
        })
        .collect())
}

/// Calendar events for sessions; cancelled ones stay in, marked cancelled and without a
/// number, so that "(2/2)" is always a session that takes place.
pub fn ics_events(
    site: &Site,
    sessions: &[&Session],
    course_title: &str,
    course_slug: &str,
) -> Vec<crate::mail::ics::IcsEvent> {
    let host = site.host();
    let total = sessions.iter().filter(|s| !s.is_cancelled()).count();
    let mut number = 0;
    sessions
        .iter()
        .map(|s| {
            if !s.is_cancelled() {
                number += 1;
            }
            crate::mail::ics::IcsEvent {
                uid: crate::mail::ics::session_uid(s.id.0, &host),
                sequence: u32::try_from(s.sequence).unwrap_or(0),
                starts_at: s.starts_at,
                ends_at: s.ends_at,
                summary: if s.is_cancelled() {
                    format!("{course_title} (afgelast)")
                } else if total > 1 {
                    format!("{course_title} ({number}/{total})")
                } else {
                    course_title.to_owned()
                },
                description: format!("{}/cursussen/{course_slug}", site.base),
                location: s.location(),
                url: Some(format!("{}/cursussen/{course_slug}", site.base)),
                cancelled: s.is_cancelled(),
                modified: s.updated_at,
            }
        })
        .collect()
}
