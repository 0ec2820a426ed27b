//! Self check-in: the trainer shows a session's short code (and a QR code of its link);
//! an enrolled participant types it in or opens the link and is marked present, or late
//! after the first 15 minutes. Wrong codes are throttled per user, so six characters are
//! enough against guessing.
//!
//! Decisions: someone who is not enrolled (waiting list, cancelled, never enrolled) gets
//! 403, like any other "you may not". A mark the trainer already gave stays, except
//! `absent` and `excused`: checking in proves they are here after all. Checking in again
//! changes nothing and answers the mark as it stands.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::Roster;
use super::marks::{ledger, marks_of, may_see, roster, write_marks};
use crate::accounts::service::throttle::{self, Limit, Lock};
use crate::attendance::model::AttendanceStatus;
use crate::auth::CurrentUser;
use crate::catalogue::model::{Session, SessionStatus};
use crate::catalogue::service as catalogue;
use crate::db::schema::{attendance_marks, check_in_codes};
use crate::enrolment::model::EnrolmentStatus;
use crate::error::{AppError, AppResult};
use crate::ids::SessionId;

/// Letters and digits that cannot be mistaken for each other (no 0/O, 1/I/L).
pub const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
pub const CODE_LENGTH: usize = 6;
/// Check-in opens this long before the start (and closes at the end) …
const OPENS_BEFORE_START: Duration = Duration::minutes(15);
/// … and who checks in later than this after the start is late.
const LATE_AFTER_START: Duration = Duration::minutes(15);
/// Wrong codes per user: 5 in 10 minutes, then wait until the 10 minutes are over.
pub const WRONG_CODES: Limit =
    Limit { scope: "check-in-code", max: 5, window: Duration::minutes(10), lock: Lock::UntilWindowEnds };

/// A session's check-in code, its link and when it works.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CheckInCode {
    /// Six characters without ambiguous ones.
    pub code: String,
    /// The check-in link (for the QR code): `{BASE_URL}/inchecken/{code}`.
    pub url: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
}

impl CheckInCode {
    fn of(session: &Session, base: &str, code: String) -> Self {
        CheckInCode {
            url: format!("{}/inchecken/{code}", base.trim_end_matches('/')),
            code,
            opens_at: opens_at(session),
            closes_at: session.ends_at,
        }
    }
}

/// The moment check-in opens.
pub fn opens_at(session: &Session) -> DateTime<Utc> {
    session.starts_at - OPENS_BEFORE_START
}

fn new_code() -> String {
    (0..CODE_LENGTH).map(|_| char::from(ALPHABET[rand::random_range(0..ALPHABET.len())])).collect()
}

/// What was typed, as a code: case, spaces and dashes do not matter.
pub fn normalise(code: &str) -> String {
    code.chars().filter(|c| !c.is_whitespace() && *c != '-').flat_map(char::to_uppercase).collect()
}

fn code_of(conn: &mut PgConnection, id: SessionId) -> AppResult<Option<String>> {
    Ok(check_in_codes::table.find(id).select(check_in_codes::code).first(conn).optional()?)
}

/// The session's code, made now when it has none (`true`) or the one it has (`false`).
/// The course's trainers and coordinators (else 403); not for a cancelled session (409).
pub fn make_code(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    id: SessionId,
    base: &str,
) -> AppResult<(CheckInCode, bool)> {
    let (session, course) = catalogue::session_with_course(conn, id)?;
    may_see(conn, actor, &course)?;
    if session.status == SessionStatus::Cancelled {
        return Err(AppError::Conflict("checkin-session-cancelled"));
    }
    // a collision with another session's code (or a second trainer at the same moment)
    // inserts nothing: look again, and try a new code
    for _ in 0..20 {
        if let Some(code) = code_of(conn, id)? {
            return Ok((CheckInCode::of(&session, base, code), false));
        }
        let code = new_code();
        let made = diesel::insert_into(check_in_codes::table)
            .values((
                check_in_codes::session_id.eq(id),
                check_in_codes::code.eq(&code),
                check_in_codes::created_by.eq(actor.id),
            ))
            .on_conflict_do_nothing()
            .execute(conn)?;
        if made == 1 {
            return Ok((CheckInCode::of(&session, base, code), true));
        }
    }
    Err(AppError::internal("no free check-in code after 20 tries"))
}

/// What the trainer's check-in screen shows: the roster (for the count of who is here)
/// and the code, once made.
#[derive(Debug, Clone)]
pub struct CheckInScreen {
    pub roster: Roster,
    pub code: Option<CheckInCode>,
    pub opens_at: DateTime<Utc>,
}

impl CheckInScreen {
    /// Enrolled people: the "M" of "N van M ingecheckt".
    pub fn enrolled(&self) -> usize {
        self.roster.items.iter().filter(|p| p.enrolment_status == EnrolmentStatus::Enrolled).count()
    }

    /// The names of the enrolled people who are here (present or late, by check-in or
    /// marked by the trainer: what the trainer wants to know is who is in the room).
    pub fn here(&self) -> Vec<String> {
        self.roster
            .items
            .iter()
            .filter(|p| p.enrolment_status == EnrolmentStatus::Enrolled)
            .filter(|p| matches!(p.attendance, Some(AttendanceStatus::Present | AttendanceStatus::Late)))
            .map(|p| p.name.clone())
            .collect()
    }
}

/// The check-in screen of a session (the course's trainers and coordinators).
pub fn check_in_screen(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    id: SessionId,
    base: &str,
) -> AppResult<CheckInScreen> {
    let roster = roster(conn, actor, id)?;
    let session = catalogue::session(conn, id)?;
    let code = code_of(conn, id)?.map(|code| CheckInCode::of(&session, base, code));
    Ok(CheckInScreen { roster, code, opens_at: opens_at(&session) })
}

/// Run `f` with the session of `code`. A code that no session has (or, with `only`, that
/// belongs to another session) is 422 on the field `code` and counts against the user's
/// throttle (429 once locked); a right code gives its count back. The count is kept in its
/// own statement, outside any transaction `f` rolls back.
fn with_code<T>(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    only: Option<SessionId>,
    code: &str,
    f: impl FnOnce(&mut PgConnection, SessionId, String) -> AppResult<T>,
) -> AppResult<T> {
    let code = normalise(code);
    if code.is_empty() {
        return Err(AppError::validation("code", "required"));
    }
    let key = actor.id.to_string();
    throttle::reserve(conn, &WRONG_CODES, &key)?;
    let session: Option<SessionId> = if code.chars().count() == CODE_LENGTH {
        check_in_codes::table
            .filter(check_in_codes::code.eq(&code))
            .select(check_in_codes::session_id)
            .first(conn)
            .optional()?
    } else {
        None
    };
    let Some(session) = session.filter(|s| only.is_none_or(|o| o == *s)) else {
        return Err(AppError::validation("code", "checkin-wrong-code"));
    };
    throttle::give_back(conn, &WRONG_CODES, &key)?;
    f(conn, session, code)
}

/// A check-in that went through: the mark as it now stands.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CheckedIn {
    /// `present`, or `late` after the first 15 minutes (or the mark the trainer gave).
    pub status: AttendanceStatus,
}

/// Check in with `code` (for session `only` when given, as the API does). 422 for a wrong
/// code, 403 for someone not enrolled, 409 for a cancelled session or outside the window
/// (from 15 minutes before the start until the end, both inclusive).
pub fn check_in(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    only: Option<SessionId>,
    code: &str,
) -> AppResult<CheckedIn> {
    with_code(conn, actor, only, code, |conn, id, _| {
        conn.transaction(|conn| {
            let session = catalogue::session(conn, id)?;
            // the same lock as every marker, so the history's old → new chain stays whole
            let course = catalogue::lock_course(conn, session.course_id)?;
            let ledger = ledger(conn, course.id)?;
            if ledger.status(course.id, actor.id) != Some(EnrolmentStatus::Enrolled) {
                return Err(AppError::Forbidden("checkin-not-enrolled"));
            }
            if session.status == SessionStatus::Cancelled {
                return Err(AppError::Conflict("checkin-session-cancelled"));
            }
            let now = Utc::now();
            if now < opens_at(&session) {
                return Err(AppError::Conflict("checkin-not-open"));
            }
            if now > session.ends_at {
                return Err(AppError::Conflict("checkin-closed"));
            }
            let status = if now <= session.starts_at + LATE_AFTER_START {
                AttendanceStatus::Present
            } else {
                AttendanceStatus::Late
            };
            let before = marks_of(conn, id)?.remove(&actor.id).map(|m| m.status);
            if let Some(kept @ (AttendanceStatus::Present | AttendanceStatus::Late)) = before {
                return Ok(CheckedIn { status: kept });
            }
            write_marks(conn, Some(actor.id), id, &[(actor.id, status, None)], false)?;
            Ok(CheckedIn { status })
        })
    })
}

/// What the check-in link shows: which session, and whether this person is already in.
#[derive(Debug, Clone)]
pub struct CheckInView {
    pub code: String,
    pub session_id: SessionId,
    pub course_title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub opens_at: DateTime<Utc>,
    pub cancelled: bool,
    /// Their own mark, when it says they are here (present or late).
    pub here: Option<AttendanceStatus>,
}

/// The session behind a check-in link, for a logged-in person who has the code (a wrong
/// code counts against the throttle, as when checking in).
pub fn check_in_view(conn: &mut PgConnection, actor: &CurrentUser, code: &str) -> AppResult<CheckInView> {
    with_code(conn, actor, None, code, |conn, id, code| {
        let (session, course) = catalogue::session_with_course(conn, id)?;
        let mark: Option<AttendanceStatus> =
            attendance_marks::table.find((id, actor.id)).select(attendance_marks::status).first(conn).optional()?;
        Ok(CheckInView {
            code,
            session_id: id,
            course_title: course.title,
            starts_at: session.starts_at,
            ends_at: session.ends_at,
            opens_at: opens_at(&session),
            cancelled: session.status == SessionStatus::Cancelled,
            here: mark.filter(|m| matches!(m, AttendanceStatus::Present | AttendanceStatus::Late)),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_use_only_unambiguous_characters() {
        for _ in 0..200 {
            let code = new_code();
            assert_eq!(code.len(), CODE_LENGTH);
            assert!(code.bytes().all(|b| ALPHABET.contains(&b)), "{code}");
        }
        for ambiguous in ['0', 'O', '1', 'I', 'L'] {
            assert!(!ALPHABET.contains(&(ambiguous as u8)), "{ambiguous}");
        }
    }

    #[test]
    fn typed_codes_ignore_case_spaces_and_dashes() {
        assert_eq!(normalise(" abc-d 23 "), "ABCD23");
    }
}
