//! Apologies in advance: a participant says "ik kan er niet bij zijn" for a coming session,
//! with an optional reason, and may take it back until the session starts. Giving one sets
//! the mark to `excused` through the same writer as the trainer's marks (so it is in the
//! history, made by the participant); taking it back removes that mark again, but never a
//! mark a trainer or coordinator gave since.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::marks::{ledger, marks_of, write_marks};
use crate::attendance::model::{Apology, ApologyView, AttendanceStatus, NewChange};
use crate::auth::CurrentUser;
use crate::catalogue::model::{Session, SessionStatus};
use crate::catalogue::service as catalogue;
use crate::db::schema::{apologies, attendance_history, attendance_marks};
use crate::enrolment::model::EnrolmentStatus;
use crate::error::{AppError, AppResult};
use crate::ids::{SessionId, UserId};

/// The longest reason, in characters.
pub const REASON_MAX: usize = 500;
/// The history's note on the mark an apology sets (the record is kept in Dutch, like the
/// other notes trainers write).
const GIVEN_NOTE: &str = "Afmelding vooraf door de deelnemer";
/// The history's note when the participant takes the apology back.
const TAKEN_BACK_NOTE: &str = "Afmelding ingetrokken door de deelnemer";

/// An apology as its giver sees it: `{session_id, reason, at}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GivenApology {
    pub session_id: SessionId,
    /// `null` when no reason was given.
    pub reason: Option<String>,
    /// When the apology was first given.
    pub at: DateTime<Utc>,
}

/// What giving an apology did: `created` is false when it only changed the reason.
#[derive(Debug, Clone)]
pub struct Given {
    pub apology: GivenApology,
    pub created: bool,
}

/// The reason, trimmed; empty is none; longer than `REASON_MAX` is a 422 on `reason`.
fn clean_reason(reason: Option<&str>) -> AppResult<Option<String>> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if reason.is_some_and(|r| r.chars().count() > REASON_MAX) {
        let mut errors = crate::error::FieldErrors::default();
        errors.add("reason", "too-long").arg("max", REASON_MAX);
        errors.into_result()?;
    }
    Ok(reason.map(str::to_owned))
}

/// The checks both ways share, under the course's row lock (as every marker takes it):
/// 404 for an unknown session; 403 for anyone not enrolled (waiting, cancelled, never in
/// the course); 409 for a cancelled session or one that has started.
fn checked(conn: &mut PgConnection, actor: &CurrentUser, id: SessionId) -> AppResult<Session> {
    let session = catalogue::session(conn, id)?;
    let course = catalogue::lock_course(conn, session.course_id)?;
    let ledger = ledger(conn, course.id)?;
    if ledger.status(course.id, actor.id) != Some(EnrolmentStatus::Enrolled) {
        return Err(AppError::Forbidden("apologies-not-enrolled"));
    }
    if session.status == SessionStatus::Cancelled {
        return Err(AppError::Conflict("apologies-session-cancelled"));
    }
    if Utc::now() >= session.starts_at {
        return Err(AppError::Conflict("apologies-started"));
    }
    if !ledger.expected(course.id, actor.id, &session) {
        return Err(AppError::Conflict("apologies-not-expected"));
    }
    Ok(session)
}

/// Give an apology for a coming session (or change its reason when given before). The
/// first time it sets the mark to `excused`, made by the participant; changing the reason
/// leaves the mark alone, so a trainer's later mark stays.
pub fn give(conn: &mut PgConnection, actor: &CurrentUser, id: SessionId, reason: Option<&str>) -> AppResult<Given> {
    conn.transaction(|conn| {
        let session = checked(conn, actor, id)?;
        let reason = clean_reason(reason)?;
        let before: Option<Apology> =
            apologies::table.find((session.id, actor.id)).select(Apology::as_select()).first(conn).optional()?;
        let created = before.is_none();
        let apology = match before {
            Some(_) => diesel::update(apologies::table.find((session.id, actor.id)))
                .set(apologies::reason.eq(&reason))
                .returning(Apology::as_returning())
                .get_result(conn)?,
            None => {
                let apology = diesel::insert_into(apologies::table)
                    .values(Apology { session_id: session.id, user_id: actor.id, reason, created_at: Utc::now() })
                    .returning(Apology::as_returning())
                    .get_result(conn)?;
                let mark = [(actor.id, AttendanceStatus::Excused, Some(GIVEN_NOTE.to_owned()))];
                write_marks(conn, Some(actor.id), session.id, &mark, false)?;
                apology
            }
        };
        Ok(Given {
            apology: GivenApology { session_id: apology.session_id, reason: apology.reason, at: apology.created_at },
            created,
        })
    })
}

/// Take an apology back before the session starts. The `excused` mark it set goes too
/// (the history records old `excused` → new `null`), unless someone else marked since.
/// Taking back an apology that is not there changes nothing.
pub fn take_back(conn: &mut PgConnection, actor: &CurrentUser, id: SessionId) -> AppResult<()> {
    conn.transaction(|conn| {
        let session = checked(conn, actor, id)?;
        let removed = diesel::delete(apologies::table.find((session.id, actor.id))).execute(conn)?;
        if removed == 0 {
            return Ok(());
        }
        let own_excuse = marks_of(conn, session.id)?
            .remove(&actor.id)
            .is_some_and(|m| m.status == AttendanceStatus::Excused && m.marked_by == Some(actor.id));
        if own_excuse {
            diesel::delete(attendance_marks::table.find((session.id, actor.id))).execute(conn)?;
            diesel::insert_into(attendance_history::table)
                .values(NewChange {
                    session_id: session.id,
                    user_id: actor.id,
                    old_status: Some(AttendanceStatus::Excused),
                    new_status: None,
                    changed_by: Some(actor.id),
                    changed_at: Utc::now(),
                    note: Some(TAKEN_BACK_NOTE.to_owned()),
                })
                .execute(conn)?;
        }
        Ok(())
    })
}

/// The apologies for one session, by person (one query), for the roster.
pub(super) fn of_session(conn: &mut PgConnection, session: SessionId) -> AppResult<BTreeMap<UserId, ApologyView>> {
    let rows: Vec<Apology> =
        apologies::table.filter(apologies::session_id.eq(session)).select(Apology::as_select()).load(conn)?;
    Ok(rows.iter().map(|a| (a.user_id, ApologyView::from(a))).collect())
}

/// One person's apologies for some sessions, by session (one query).
pub(super) fn of_person(
    conn: &mut PgConnection,
    user: UserId,
    sessions: &[SessionId],
) -> AppResult<BTreeMap<SessionId, ApologyView>> {
    let rows: Vec<Apology> = apologies::table
        .filter(apologies::user_id.eq(user))
        .filter(apologies::session_id.eq_any(sessions))
        .select(Apology::as_select())
        .load(conn)?;
    Ok(rows.iter().map(|a| (a.session_id, ApologyView::from(a))).collect())
}

/// What the "ik kan er niet bij zijn" page shows: the session, the apology already given,
/// and why it can no longer be given or taken back (a translation key), if so.
#[derive(Debug, Clone)]
pub struct ApologyPage {
    pub session_id: SessionId,
    pub course_title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub apology: Option<ApologyView>,
    pub refused: Option<&'static str>,
}

/// The page before giving an apology: 404 for an unknown session, 403 for anyone not
/// enrolled; a session that started or was cancelled shows why instead of the form.
pub fn page(conn: &mut PgConnection, actor: &CurrentUser, id: SessionId) -> AppResult<ApologyPage> {
    conn.transaction(|conn| {
        let (session, course) = catalogue::session_with_course(conn, id)?;
        let refused = match checked(conn, actor, id) {
            Ok(_) => None,
            Err(AppError::Conflict(key)) => Some(key),
            Err(e) => return Err(e),
        };
        let apology = apologies::table
            .find((id, actor.id))
            .select(Apology::as_select())
            .first(conn)
            .optional()?
            .as_ref()
            .map(ApologyView::from);
        Ok(ApologyPage {
            session_id: id,
            course_title: course.title,
            starts_at: session.starts_at,
            ends_at: session.ends_at,
            apology,
            refused,
        })
    })
}
