//! Walk-ins: someone came to a session without enrolling. The trainer finds them (or gives
//! name and address for someone new); enrolment gives them a seat and records the walk-in,
//! and they are marked present, all in one transaction.

use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::marks::{Roster, may_mark, may_see, roster, write_marks};
use crate::attendance::model::AttendanceStatus;
use crate::auth::CurrentUser;
use crate::catalogue::service as catalogue;
use crate::config::Site;
use crate::db::views::{enrolment_spans, people};
use crate::enrolment::model::{EnrolmentStatus, EnrolmentView};
use crate::enrolment::service::{self as enrolment, WalkIn};
use crate::error::{AppResult, FieldErrors};
use crate::ids::{SessionId, UserId};

/// The answer to a walk-in: who it is (their name, nothing more), their enrolment, and
/// their mark at the session.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WalkInAnswer {
    pub user_id: UserId,
    pub name: String,
    pub enrolment: EnrolmentView,
    /// Their enrolment before the walk-in: `null` when they had none.
    pub was: Option<EnrolmentStatus>,
    pub attendance: AttendanceStatus,
}

/// Add a walk-in to a session and mark them present. The course's trainers (inside the
/// marking window) and coordinators; 409 for a cancelled session.
pub fn add_walk_in(
    conn: &mut PgConnection,
    site: &Site,
    actor: &CurrentUser,
    id: SessionId,
    who: &WalkIn,
) -> AppResult<WalkInAnswer> {
    conn.transaction(|conn| {
        let session = catalogue::session(conn, id)?;
        let course = catalogue::lock_course(conn, session.course_id)?;
        may_mark(conn, actor, &session, &course)?;
        let walked = enrolment::enrol_walk_in(conn, site, actor, course.id, who)?;
        write_marks(conn, Some(actor.id), id, &[(walked.user_id, AttendanceStatus::Present, None)], false)?;
        Ok(WalkInAnswer {
            user_id: walked.user_id,
            name: walked.name,
            enrolment: walked.enrolment,
            was: walked.was,
            attendance: AttendanceStatus::Present,
        })
    })
}

/// At most this many people are found.
const FOUND_MAX: i64 = 10;
/// A search needs this many characters: fewer would list half the platform.
const QUERY_MIN: usize = 2;

/// Someone a trainer may add as a walk-in: a name, nothing more.
#[derive(Debug, Clone, Queryable)]
pub struct Found {
    pub user_id: UserId,
    pub name: String,
}

/// People (not anonymised, not already enrolled in the course) whose name or address
/// contains `query`, for the roster's walk-in search: one query, at most ten.
pub fn find_walk_ins(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    id: SessionId,
    query: &str,
) -> AppResult<Vec<Found>> {
    let (_, course) = catalogue::session_with_course(conn, id)?;
    may_see(conn, actor, &course)?;
    let query = query.trim();
    if query.chars().count() < QUERY_MIN {
        let mut errors = FieldErrors::default();
        errors.add("zoek", "trainerday-too-short").arg("min", QUERY_MIN);
        errors.into_result()?;
    }
    let pattern = format!("%{}%", query.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    let enrolled = enrolment_spans::table
        .filter(enrolment_spans::course_id.eq(course.id))
        .filter(enrolment_spans::user_id.eq(people::id))
        .filter(enrolment_spans::status.eq(EnrolmentStatus::Enrolled));
    Ok(people::table
        .filter(people::anonymised.eq(false))
        .filter(people::name.ilike(&pattern).or(people::email.ilike(&pattern)))
        .filter(diesel::dsl::not(diesel::dsl::exists(enrolled)))
        .order((people::name, people::id))
        .limit(FOUND_MAX)
        .select((people::id, people::name))
        .load(conn)?)
}

/// The roster page: the roster, and (when a search was asked) the people found to add as
/// walk-ins, or why the search could not be made.
pub fn roster_with_search(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    id: SessionId,
    query: Option<&str>,
) -> AppResult<(Roster, Option<AppResult<Vec<Found>>>)> {
    let roster = roster(conn, actor, id)?;
    let found = query.map(|query| find_walk_ins(conn, actor, id, query));
    Ok((roster, found))
}
