//! The rules of attendance: who may mark, when, whom; marks and their history.

use std::collections::{BTreeMap, BTreeSet};

use super::ledger::Ledger;

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel::upsert::excluded;
use serde::Serialize;
use utoipa::ToSchema;

use crate::attendance::model::{ApologyView, AttendanceStatus, Change, Mark, MarkInput, NewChange};
use crate::auth::{CurrentUser, Role};
use crate::catalogue::model::{Course, Session, SessionStatus};
use crate::catalogue::service as catalogue;
use crate::db::schema::{attendance_history, attendance_marks};
use crate::db::views::people;
use crate::enrolment::model::EnrolmentStatus;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::ids::{CourseId, SessionId, UserId};

/// The ledger of one course, as it stands now.
pub(super) fn ledger(conn: &mut PgConnection, course: CourseId) -> AppResult<Ledger> {
    Ledger::load(conn, &[course], None, Utc::now())
}

/// Trainers may mark from this long before the start …
const OPENS_BEFORE_START: Duration = Duration::minutes(30);
/// … until this long after the end (coordinators always).
const CLOSES_AFTER_END: Duration = Duration::days(14);
const NOTE_MAX: usize = 500;

/// One person on a session's roster.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RosterEntry {
    pub user_id: UserId,
    pub name: String,
    pub wijk: Option<String>,
    pub organisation: Option<String>,
    pub enrolment_status: EnrolmentStatus,
    /// Enrolled before the session started: counted as absent when not there.
    pub expected: bool,
    /// `null` while not marked.
    pub attendance: Option<AttendanceStatus>,
    pub note: Option<String>,
    /// "Ik kan er niet bij zijn", given in advance; `null` when none.
    pub apology: Option<ApologyView>,
    /// Absent without an apology at the last two marked sessions before this one: worth a
    /// word from the trainer.
    pub absence_warning: bool,
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Counts {
    pub present: i64,
    pub late: i64,
    pub excused: i64,
    pub absent: i64,
    pub not_marked: i64,
}

/// A session's roster: everyone enrolled, plus anyone marked who has left since.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Roster {
    pub session_id: SessionId,
    pub course_id: CourseId,
    pub course_title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub cancelled: bool,
    /// Whether the asking person may mark now.
    pub can_mark: bool,
    pub counts: Counts,
    pub items: Vec<RosterEntry>,
}

/// Who may see a session's roster: coordinators and the course's trainers (else 403).
/// `true` when the actor sees it as a trainer (bound to the marking window).
pub(super) fn may_see(conn: &mut PgConnection, actor: &CurrentUser, course: &Course) -> AppResult<bool> {
    if actor.has(Role::Coordinator) {
        return Ok(false);
    }
    if actor.has(Role::Trainer) && catalogue::is_trainer_of(conn, actor.id, course.id)? {
        return Ok(true);
    }
    Err(AppError::Forbidden("attendance-forbidden"))
}

/// A trainer marks from 30 minutes before the start until 14 days after the end.
fn in_trainer_window(session: &Session, now: DateTime<Utc>) -> bool {
    now >= session.starts_at - OPENS_BEFORE_START && now <= session.ends_at + CLOSES_AFTER_END
}

/// The checks before any mark: 403 for others, 409 for a cancelled session or (trainers)
/// outside the window.
pub(super) fn may_mark(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    session: &Session,
    course: &Course,
) -> AppResult<()> {
    let trainer = may_see(conn, actor, course)?;
    if session.status == SessionStatus::Cancelled {
        return Err(AppError::Conflict("attendance-session-cancelled"));
    }
    if trainer && !in_trainer_window(session, Utc::now()) {
        return Err(AppError::Conflict("attendance-window-closed"));
    }
    Ok(())
}

pub(super) fn marks_of(conn: &mut PgConnection, session: SessionId) -> AppResult<BTreeMap<UserId, Mark>> {
    let marks: Vec<Mark> = attendance_marks::table
        .filter(attendance_marks::session_id.eq(session))
        .select(Mark::as_select())
        .load(conn)?;
    Ok(marks.into_iter().map(|m| (m.user_id, m)).collect())
}

/// The roster of a session, in name order (a fixed number of queries).
pub fn roster(conn: &mut PgConnection, actor: &CurrentUser, id: SessionId) -> AppResult<Roster> {
    let (session, course) = catalogue::session_with_course(conn, id)?;
    let trainer = may_see(conn, actor, &course)?;
    let ledger = ledger(conn, course.id)?;
    let mut marks = marks_of(conn, id)?;
    let mut apologies = super::apology::of_session(conn, id)?;
    let shown: Vec<UserId> = ledger
        .people(course.id)
        .into_iter()
        .filter(|user| ledger.status(course.id, *user) == Some(EnrolmentStatus::Enrolled) || marks.contains_key(user))
        .collect();
    let names: Vec<(UserId, String, Option<String>, Option<String>)> = people::table
        .filter(people::id.eq_any(&shown))
        .select((people::id, people::name, people::wijk, people::organisation))
        .load(conn)?;
    let mut counts = Counts::default();
    let mut items: Vec<RosterEntry> = names
        .into_iter()
        .filter_map(|(user_id, name, wijk, organisation)| {
            let enrolment_status = ledger.status(course.id, user_id)?;
            let mark = marks.remove(&user_id);
            let expected = ledger.expected(course.id, user_id, &session);
            match mark.as_ref().map(|m| m.status) {
                Some(AttendanceStatus::Present) => counts.present += 1,
                Some(AttendanceStatus::Late) => counts.late += 1,
                Some(AttendanceStatus::Excused) => counts.excused += 1,
                Some(AttendanceStatus::Absent) => counts.absent += 1,
                None => counts.not_marked += 1,
            }
            Some(RosterEntry {
                user_id,
                name,
                wijk,
                organisation,
                enrolment_status,
                expected,
                attendance: mark.as_ref().map(|m| m.status),
                note: mark.and_then(|m| m.note),
                apology: apologies.remove(&user_id),
                absence_warning: enrolment_status == EnrolmentStatus::Enrolled
                    && ledger.absent_twice_before(course.id, user_id, session.starts_at),
            })
        })
        .collect();
    items.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then(a.user_id.cmp(&b.user_id)));
    let cancelled = session.status == SessionStatus::Cancelled;
    Ok(Roster {
        session_id: session.id,
        course_id: course.id,
        course_title: course.title,
        starts_at: session.starts_at,
        ends_at: session.ends_at,
        cancelled,
        can_mark: !cancelled && (!trainer || in_trainer_window(&session, Utc::now())),
        counts,
        items,
    })
}

/// Write marks and their history. Every marker first locks the course row (as enrolment
/// does), so two trainers at once never read a stale old mark: no mark is lost and the
/// history's old → new chain stays unbroken.
pub(super) fn write_marks(
    conn: &mut PgConnection,
    actor: Option<UserId>,
    session: SessionId,
    marks: &[(UserId, AttendanceStatus, Option<String>)],
    only_unmarked: bool,
) -> AppResult<usize> {
    let now = Utc::now();
    let old = marks_of(conn, session)?;
    let mut rows = Vec::new();
    let mut changes = Vec::new();
    for (user, status, note) in marks {
        let before = old.get(user);
        if before.is_some() && only_unmarked {
            continue;
        }
        if before.is_some_and(|m| m.status == *status && (note.is_none() || m.note == *note)) {
            continue;
        }
        rows.push(Mark {
            session_id: session,
            user_id: *user,
            status: *status,
            note: note.clone().or_else(|| before.and_then(|m| m.note.clone())),
            marked_by: actor,
            marked_at: now,
        });
        changes.push(NewChange {
            session_id: session,
            user_id: *user,
            old_status: before.map(|m| m.status),
            new_status: Some(*status),
            changed_by: actor,
            changed_at: now,
            note: note.clone(),
        });
    }
    if rows.is_empty() {
        return Ok(0);
    }
    diesel::insert_into(attendance_marks::table)
        .values(&rows)
        .on_conflict((attendance_marks::session_id, attendance_marks::user_id))
        .do_update()
        .set((
            attendance_marks::status.eq(excluded(attendance_marks::status)),
            attendance_marks::note.eq(excluded(attendance_marks::note)),
            attendance_marks::marked_by.eq(excluded(attendance_marks::marked_by)),
            attendance_marks::marked_at.eq(excluded(attendance_marks::marked_at)),
        ))
        .execute(conn)?;
    diesel::insert_into(attendance_history::table).values(&changes).execute(conn)?;
    Ok(rows.len())
}

/// Set marks, all or nothing: one person who is not enrolled (waiting, cancelled, never
/// there), a duplicate or a long note rejects the request with 422 naming `marks[i].…`.
pub fn set_marks(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    id: SessionId,
    marks: &[MarkInput],
) -> AppResult<Roster> {
    conn.transaction(|conn| {
        let session = catalogue::session(conn, id)?;
        let course = catalogue::lock_course(conn, session.course_id)?;
        may_mark(conn, actor, &session, &course)?;
        let ledger = ledger(conn, course.id)?;
        let mut errors = FieldErrors::default();
        let mut seen = BTreeSet::new();
        let mut rows = Vec::with_capacity(marks.len());
        for (i, mark) in marks.iter().enumerate() {
            let note = mark.note.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned);
            match ledger.status(course.id, mark.user_id) {
                Some(EnrolmentStatus::Enrolled) => {}
                Some(_) => {
                    errors.add(&format!("marks[{i}].user_id"), "not-enrolled");
                }
                None => {
                    errors.add(&format!("marks[{i}].user_id"), "unknown");
                }
            }
            if !seen.insert(mark.user_id) {
                errors.add(&format!("marks[{i}].user_id"), "duplicate");
            }
            if note.as_ref().is_some_and(|n| n.chars().count() > NOTE_MAX) {
                errors.add(&format!("marks[{i}].note"), "too-long").arg("max", NOTE_MAX);
            }
            rows.push((mark.user_id, mark.status, note));
        }
        errors.into_result()?;
        write_marks(conn, Some(actor.id), id, &rows, false)?;
        Ok::<_, AppError>(())
    })?;
    roster(conn, actor, id)
}

/// After the start: everyone expected and not yet marked becomes `absent`. Never touches
/// a mark already given. Answers how many were marked.
pub fn absent_unmarked(conn: &mut PgConnection, actor: &CurrentUser, id: SessionId) -> AppResult<usize> {
    conn.transaction(|conn| {
        let session = catalogue::session(conn, id)?;
        let course = catalogue::lock_course(conn, session.course_id)?;
        may_mark(conn, actor, &session, &course)?;
        if Utc::now() < session.starts_at {
            return Err(AppError::Conflict("attendance-not-started"));
        }
        let ledger = ledger(conn, course.id)?;
        let rows: Vec<_> = ledger
            .people(course.id)
            .into_iter()
            .filter(|user| ledger.status(course.id, *user) == Some(EnrolmentStatus::Enrolled))
            .filter(|user| ledger.expected(course.id, *user, &session))
            .map(|user| (user, AttendanceStatus::Absent, None))
            .collect();
        write_marks(conn, Some(actor.id), id, &rows, true)
    })
}

/// Every change to the session's marks, oldest first.
pub fn history(conn: &mut PgConnection, actor: &CurrentUser, id: SessionId) -> AppResult<Vec<Change>> {
    let (_, course) = catalogue::session_with_course(conn, id)?;
    may_see(conn, actor, &course)?;
    Ok(attendance_history::table
        .filter(attendance_history::session_id.eq(id))
        .order(attendance_history::id)
        .select(Change::as_select())
        .load(conn)?)
}
