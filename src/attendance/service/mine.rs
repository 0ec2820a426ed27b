//! A participant's own attendance: per course their marks, apologies and the two rates, for
//! "Mijn cursussen" and `GET /api/v1/me/attendance`. Everything is read through the
//! `Ledger` (the rules live there), in a fixed number of queries for all courses at once.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::apology;
use super::ledger::{Cell, Ledger};
use crate::attendance::model::{ApologyView, AttendanceStatus};
use crate::catalogue::model::SessionStatus;
use crate::db::views::enrolment_spans;
use crate::enrolment::model::EnrolmentStatus;
use crate::enrolment::service::{self as enrolment, MyCourses};
use crate::error::AppResult;
use crate::ids::{CourseId, SessionId, UserId};

/// One's own mark at a session: a status, `null` (expected, not marked yet) or
/// `not_expected` (the session started before one joined, or was cancelled).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum MyMark {
    Present,
    Late,
    Excused,
    Absent,
    NotExpected,
}

impl MyMark {
    pub fn as_str(&self) -> &'static str {
        self.into()
    }
}

impl From<AttendanceStatus> for MyMark {
    fn from(status: AttendanceStatus) -> Self {
        match status {
            AttendanceStatus::Present => MyMark::Present,
            AttendanceStatus::Late => MyMark::Late,
            AttendanceStatus::Excused => MyMark::Excused,
            AttendanceStatus::Absent => MyMark::Absent,
        }
    }
}

/// One session of one's course.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MySession {
    pub session_id: SessionId,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub cancelled: bool,
    /// `present`, `late`, `excused`, `absent`; `null` while expected and not marked;
    /// `not_expected` before one joined (or when the session was cancelled).
    pub mark: Option<MyMark>,
    /// The apology given in advance, if any.
    pub apology: Option<ApologyView>,
    /// Not cancelled and started: it counts in the rates.
    #[serde(skip)]
    #[schema(ignore)]
    pub held: bool,
    /// Not cancelled and not started: an apology can still be given or taken back.
    #[serde(skip)]
    #[schema(ignore)]
    pub coming: bool,
}

/// One's standing in one course, by the ledger's rules.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyCourseAttendance {
    pub course_id: CourseId,
    pub course_title: String,
    /// `enrolled`, or `cancelled` for a course one left after being marked.
    pub enrolment_status: EnrolmentStatus,
    /// (present + late) / expected sessions held, 0 to 1; `null` before the first.
    pub attendance_rate: Option<f64>,
    /// (present + late + excused) / expected sessions held, 0 to 1; `null` before the first.
    pub commitment_rate: Option<f64>,
    /// The course is over and the attendance rate reached the course's threshold.
    pub completed: bool,
    /// Expected sessions held.
    pub sessions_expected: i64,
    /// Present or late.
    pub sessions_attended: i64,
    pub sessions_excused: i64,
    pub sessions_absent: i64,
    pub sessions: Vec<MySession>,
}

impl MyCourseAttendance {
    pub fn enrolled(&self) -> bool {
        self.enrolment_status == EnrolmentStatus::Enrolled
    }

    pub fn coming(&self) -> impl Iterator<Item = &MySession> {
        self.sessions.iter().filter(|s| s.coming)
    }

    pub fn held(&self) -> impl Iterator<Item = &MySession> {
        self.sessions.iter().filter(|s| s.held)
    }

    pub fn has_held(&self) -> bool {
        self.held().next().is_some()
    }
}

/// `{items}` of `GET /api/v1/me/attendance`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyAttendance {
    pub items: Vec<MyCourseAttendance>,
}

/// A person's attendance in the courses they are enrolled in, and in cancelled ones where
/// they have marks; newest course first. Five queries, whatever the number of courses.
pub fn my_attendance(conn: &mut PgConnection, user: UserId, now: DateTime<Utc>) -> AppResult<Vec<MyCourseAttendance>> {
    let ids: Vec<CourseId> = enrolment_spans::table
        .filter(enrolment_spans::user_id.eq(user))
        .select(enrolment_spans::course_id)
        .distinct()
        .load(conn)?;
    let ledger = Ledger::load(conn, &ids, Some(user), now)?;
    let session_ids: Vec<SessionId> = ledger.courses.iter().flat_map(|(_, s)| s.iter().map(|s| s.id)).collect();
    let mut apologies = apology::of_person(conn, user, &session_ids)?;
    let mut items = Vec::new();
    for (course, sessions) in &ledger.courses {
        let marked = sessions.iter().any(|s| ledger.mark(s.id, user).is_some());
        match ledger.status(course.id, user) {
            Some(EnrolmentStatus::Enrolled) => {}
            Some(EnrolmentStatus::Cancelled) if marked => {}
            _ => continue,
        }
        let Some(standing) = ledger.standing(course, sessions, user) else { continue };
        let sessions = sessions
            .iter()
            .map(|s| {
                let cancelled = s.status == SessionStatus::Cancelled;
                MySession {
                    session_id: s.id,
                    starts_at: s.starts_at,
                    ends_at: s.ends_at,
                    cancelled,
                    mark: match ledger.cell(course.id, user, s) {
                        Cell::NotExpected => Some(MyMark::NotExpected),
                        Cell::Unmarked => None,
                        Cell::Marked(status) => Some(status.into()),
                    },
                    apology: apologies.remove(&s.id),
                    held: !cancelled && s.starts_at <= now,
                    coming: !cancelled && now < s.starts_at,
                }
            })
            .collect();
        items.push(MyCourseAttendance {
            course_id: course.id,
            course_title: course.title.clone(),
            enrolment_status: standing.enrolment_status,
            attendance_rate: standing.attendance_rate,
            commitment_rate: standing.commitment_rate,
            completed: standing.completed,
            sessions_expected: standing.sessions_expected,
            sessions_attended: standing.sessions_attended,
            sessions_excused: standing.sessions_excused,
            sessions_absent: standing.sessions_absent,
            sessions,
        });
    }
    let first = |c: &MyCourseAttendance| c.sessions.first().map(|s| s.starts_at);
    items.sort_by(|a, b| first(b).cmp(&first(a)).then(b.course_id.cmp(&a.course_id)));
    Ok(items)
}

/// "Mijn cursussen": enrolment's page (coming, waiting, past, the calendar feed) with one's
/// own attendance per course.
pub struct MyPage {
    pub courses: MyCourses,
    pub attendance: BTreeMap<CourseId, MyCourseAttendance>,
}

pub fn my_page(conn: &mut PgConnection, user: UserId) -> AppResult<MyPage> {
    let courses = enrolment::my_courses(conn, user)?;
    let attendance = my_attendance(conn, user, Utc::now())?.into_iter().map(|a| (a.course_id, a)).collect();
    Ok(MyPage { courses, attendance })
}
