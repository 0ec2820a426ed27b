//! The ledger of a set of courses: sessions, who was expected at which, their marks, and
//! the two rates with their named rules. Every overview (the roster counts, the course
//! matrix, a participant's own marks, completion and certificates) reads it, so the rules
//! live here once. Loading it costs a fixed number of queries whatever the number of
//! courses, people or sessions.
//!
//! The rules:
//! - A person is **expected** at a session when it is not cancelled and they joined (enrolled
//!   or were promoted) before it started, and had not left before it started. People who
//!   joined late are never absent before they joined.
//! - A person marked present or late at a session they were not expected at (a walk-in at
//!   the session they walked into) has that session counted as expected: attending counts.
//! - A session is **held** once it has started.
//! - `attendance_rate` = (present + late) / expected sessions held;
//!   `commitment_rate` = (present + late + excused) / expected sessions held. Both are
//!   fractions between 0 and 1, and `None` while no expected session has been held.
//! - A person **completed** a course when every scheduled session has ended and their
//!   attendance rate is at least the course's `completion_threshold` (a percentage).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::attendance::model::AttendanceStatus;
use crate::catalogue::model::{Course, Session, SessionStatus};
use crate::catalogue::service as catalogue;
use crate::db::schema::attendance_marks;
use crate::db::views::enrolment_spans;
use crate::enrolment::model::EnrolmentStatus;
use crate::error::AppResult;
use crate::ids::{CourseId, SessionId, UserId};

/// One enrolment's time in a course, as enrolment tells it.
#[derive(Debug, Clone, Copy, Queryable)]
pub(super) struct Span {
    pub user_id: UserId,
    pub course_id: CourseId,
    pub status: EnrolmentStatus,
    pub joined_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
}

impl Span {
    /// In the course when `at` came: joined before it and not left before it.
    fn covers(&self, at: DateTime<Utc>) -> bool {
        self.joined_at.is_some_and(|joined| joined < at) && self.cancelled_at.is_none_or(|left| at < left)
    }
}

/// What one cell of the participants × sessions matrix holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    /// The session started before the person joined (or after they left).
    NotExpected,
    /// Expected, not (yet) marked.
    Unmarked,
    Marked(AttendanceStatus),
}

/// A person's standing in a course by the rules above.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Standing {
    pub course_id: CourseId,
    pub user_id: UserId,
    /// The enrolment that counts: the active one, else the last cancelled one.
    pub enrolment_status: EnrolmentStatus,
    /// When they joined the course (enrolment or promotion); `null` while waiting.
    pub joined_at: Option<DateTime<Utc>>,
    /// Expected sessions held.
    pub sessions_expected: i64,
    /// Present or late.
    pub sessions_attended: i64,
    pub sessions_late: i64,
    pub sessions_excused: i64,
    pub sessions_absent: i64,
    /// Expected sessions held without a mark yet.
    pub sessions_unmarked: i64,
    /// (present + late) / expected sessions held, from 0 to 1; `null` before the first.
    pub attendance_rate: Option<f64>,
    /// (present + late + excused) / expected sessions held, from 0 to 1.
    pub commitment_rate: Option<f64>,
    /// Hours of the sessions attended.
    pub hours_attended: f64,
    /// The course is over and the attendance rate reached its threshold.
    pub completed: bool,
}

/// Sessions, spans and marks of some courses, read once.
pub struct Ledger {
    pub courses: Vec<(Course, Vec<Session>)>,
    spans: BTreeMap<(CourseId, UserId), Vec<Span>>,
    marks: BTreeMap<(SessionId, UserId), AttendanceStatus>,
    now: DateTime<Utc>,
}

impl Ledger {
    /// The ledger of these courses, for everyone (`person: None`) or for one person.
    pub fn load(
        conn: &mut PgConnection,
        ids: &[CourseId],
        person: Option<UserId>,
        now: DateTime<Utc>,
    ) -> AppResult<Ledger> {
        let courses = catalogue::with_sessions(conn, ids)?;
        let mut span_query = enrolment_spans::table
            .filter(enrolment_spans::course_id.eq_any(ids))
            .select((
                enrolment_spans::user_id,
                enrolment_spans::course_id,
                enrolment_spans::status,
                enrolment_spans::joined_at,
                enrolment_spans::cancelled_at,
            ))
            .into_boxed();
        let session_ids: Vec<SessionId> = courses.iter().flat_map(|(_, s)| s.iter().map(|s| s.id)).collect();
        let mut mark_query = attendance_marks::table
            .filter(attendance_marks::session_id.eq_any(&session_ids))
            .select((attendance_marks::session_id, attendance_marks::user_id, attendance_marks::status))
            .into_boxed();
        if let Some(user) = person {
            span_query = span_query.filter(enrolment_spans::user_id.eq(user));
            mark_query = mark_query.filter(attendance_marks::user_id.eq(user));
        }
        let mut spans: BTreeMap<(CourseId, UserId), Vec<Span>> = BTreeMap::new();
        for span in span_query.load::<Span>(conn)? {
            spans.entry((span.course_id, span.user_id)).or_default().push(span);
        }
        let marks = mark_query
            .load::<(SessionId, UserId, AttendanceStatus)>(conn)?
            .into_iter()
            .map(|(session, user, status)| ((session, user), status))
            .collect();
        Ok(Ledger { courses, spans, marks, now })
    }

    /// The people of a course (anyone who ever had a place or a mark), in id order.
    pub fn people(&self, course: CourseId) -> Vec<UserId> {
        self.spans.keys().filter(|(c, _)| *c == course).map(|(_, user)| *user).collect()
    }

    /// The enrolment that counts for a person: the active one, else the last cancelled one.
    pub(super) fn current(&self, course: CourseId, user: UserId) -> Option<&Span> {
        let spans = self.spans.get(&(course, user))?;
        spans
            .iter()
            .find(|s| s.status != EnrolmentStatus::Cancelled)
            .or_else(|| spans.iter().max_by_key(|s| s.cancelled_at))
    }

    /// The status of the enrolment that counts, or `None` for someone never in the course.
    pub fn status(&self, course: CourseId, user: UserId) -> Option<EnrolmentStatus> {
        self.current(course, user).map(|span| span.status)
    }

    /// Whether a person was (or will be) expected at a session by time alone.
    pub fn expected(&self, course: CourseId, user: UserId, session: &Session) -> bool {
        session.status != SessionStatus::Cancelled
            && self.spans.get(&(course, user)).is_some_and(|spans| spans.iter().any(|s| s.covers(session.starts_at)))
    }

    pub fn mark(&self, session: SessionId, user: UserId) -> Option<AttendanceStatus> {
        self.marks.get(&(session, user)).copied()
    }

    /// One cell of the matrix.
    pub fn cell(&self, course: CourseId, user: UserId, session: &Session) -> Cell {
        let mark = self.mark(session.id, user);
        let attended = matches!(mark, Some(AttendanceStatus::Present | AttendanceStatus::Late));
        if session.status == SessionStatus::Cancelled || !(attended || self.expected(course, user, session)) {
            return Cell::NotExpected;
        }
        mark.map_or(Cell::Unmarked, Cell::Marked)
    }

    /// A person's standing in a course, or `None` when they never had a place in it.
    pub fn standing(&self, course: &Course, sessions: &[Session], user: UserId) -> Option<Standing> {
        let current = self.current(course.id, user)?;
        let mut standing = Standing {
            course_id: course.id,
            user_id: user,
            enrolment_status: current.status,
            joined_at: current.joined_at,
            sessions_expected: 0,
            sessions_attended: 0,
            sessions_late: 0,
            sessions_excused: 0,
            sessions_absent: 0,
            sessions_unmarked: 0,
            attendance_rate: None,
            commitment_rate: None,
            hours_attended: 0.0,
            completed: false,
        };
        for session in sessions.iter().filter(|s| s.starts_at <= self.now) {
            let cell = self.cell(course.id, user, session);
            if cell == Cell::NotExpected {
                continue;
            }
            standing.sessions_expected += 1;
            match cell {
                Cell::Marked(AttendanceStatus::Present | AttendanceStatus::Late) => {
                    standing.sessions_attended += 1;
                    standing.hours_attended += hours(session);
                    if cell == Cell::Marked(AttendanceStatus::Late) {
                        standing.sessions_late += 1;
                    }
                }
                Cell::Marked(AttendanceStatus::Excused) => standing.sessions_excused += 1,
                Cell::Marked(AttendanceStatus::Absent) => standing.sessions_absent += 1,
                _ => standing.sessions_unmarked += 1,
            }
        }
        if standing.sessions_expected > 0 {
            let held = standing.sessions_expected as f64;
            standing.attendance_rate = Some(standing.sessions_attended as f64 / held);
            standing.commitment_rate = Some((standing.sessions_attended + standing.sessions_excused) as f64 / held);
        }
        let over = self.over(sessions);
        standing.completed = over
            && standing.sessions_expected > 0
            && standing.sessions_attended * 100 >= i64::from(course.completion_threshold) * standing.sessions_expected;
        Some(standing)
    }

    /// Two unexcused absences in a row at the sessions held before `before` (see
    /// [`super::overview::absent_twice_in_a_row`]).
    pub fn absent_twice_before(&self, course: CourseId, user: UserId, before: DateTime<Utc>) -> bool {
        let Some((_, sessions)) = self.courses.iter().find(|(c, _)| c.id == course) else { return false };
        super::overview::absent_twice_in_a_row(
            sessions
                .iter()
                .filter(|s| s.starts_at < before && s.starts_at <= self.now)
                .map(|s| self.cell(course, user, s)),
        )
    }

    /// Every scheduled session of the course has ended (and there was one).
    pub fn over(&self, sessions: &[Session]) -> bool {
        let mut scheduled = sessions.iter().filter(|s| s.status != SessionStatus::Cancelled).peekable();
        scheduled.peek().is_some() && scheduled.all(|s| s.ends_at <= self.now)
    }

    /// Everyone's standing in every course of the ledger.
    pub fn standings(&self) -> Vec<Standing> {
        self.courses
            .iter()
            .flat_map(|(course, sessions)| {
                self.people(course.id).into_iter().filter_map(|user| self.standing(course, sessions, user))
            })
            .collect()
    }
}

/// The length of a session in hours.
pub fn hours(session: &Session) -> f64 {
    (session.ends_at - session.starts_at).num_minutes() as f64 / 60.0
}
