//! The course overview for trainers and coordinators: participants × sessions with marks,
//! each person's two rates and completion, and a warning for two unexcused absences in a row.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Serialize, Serializer};
use utoipa::ToSchema;

use super::ledger::{Cell, Ledger};
use super::marks::may_see;
use crate::attendance::model::AttendanceStatus;
use crate::auth::CurrentUser;
use crate::catalogue::model::{Session, SessionStatus};
use crate::catalogue::service as catalogue;
use crate::db::views::people;
use crate::enrolment::model::EnrolmentStatus;
use crate::error::AppResult;
use crate::ids::{CourseId, SessionId, UserId};

impl Serialize for Cell {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Cell::NotExpected => serializer.serialize_str("not_expected"),
            Cell::Unmarked => serializer.serialize_none(),
            Cell::Marked(status) => status.serialize(serializer),
        }
    }
}

/// A session as a column of the matrix (cancelled sessions are left out).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MatrixSession {
    pub id: SessionId,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The session has started.
    pub held: bool,
}

/// A participant as a row of the matrix.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MatrixRow {
    pub user_id: UserId,
    pub name: String,
    pub enrolment_status: EnrolmentStatus,
    /// Per session id: `"present" | "late" | "excused" | "absent"`, `null` when expected but
    /// not (yet) marked, `"not_expected"` for a session before they joined or after they left.
    #[schema(value_type = BTreeMap<String, Option<String>>)]
    pub marks: BTreeMap<SessionId, Cell>,
    /// (present + late) / expected sessions held, from 0 to 1; `null` before the first.
    pub attendance_rate: Option<f64>,
    /// (present + late + excused) / expected sessions held, from 0 to 1.
    pub commitment_rate: Option<f64>,
    pub sessions_expected: i64,
    pub sessions_attended: i64,
    pub completed: bool,
    /// Absent without an apology at the last two marked sessions they were expected at.
    pub absence_warning: bool,
}

/// A course's attendance: sessions as columns, participants as rows (in name order).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Matrix {
    pub course_id: CourseId,
    pub course_title: String,
    /// The attendance rate (in percent) that completes the course.
    pub completion_threshold: i32,
    pub sessions: Vec<MatrixSession>,
    pub participants: Vec<MatrixRow>,
}

/// Two unexcused absences in a row: the last two marks of sessions the person was expected
/// at are both `absent`. Unmarked sessions are skipped (nothing is known of them); a
/// present, late or excused mark ends the run, so anyone marked present since is never warned.
pub fn absent_twice_in_a_row(cells: impl DoubleEndedIterator<Item = Cell>) -> bool {
    let mut marks = cells.rev().filter_map(|cell| match cell {
        Cell::Marked(status) => Some(status),
        _ => None,
    });
    matches!((marks.next(), marks.next()), (Some(AttendanceStatus::Absent), Some(AttendanceStatus::Absent)))
}

/// The matrix of a course, for its trainers and coordinators (403 otherwise). People on the
/// waiting list are left out; people who left keep their row when they were expected once.
pub fn matrix(conn: &mut PgConnection, actor: &CurrentUser, id: CourseId) -> AppResult<Matrix> {
    let course = catalogue::course(conn, id)?;
    may_see(conn, actor, &course)?;
    let now = Utc::now();
    let ledger = Ledger::load(conn, &[id], None, now)?;
    let Some((course, all)) = ledger.courses.first() else {
        return Err(crate::error::AppError::NotFound);
    };
    let sessions: Vec<&Session> = all.iter().filter(|s| s.status != SessionStatus::Cancelled).collect();
    let held: Vec<Session> = sessions.iter().filter(|s| s.starts_at <= now).map(|s| (*s).clone()).collect();
    let members: Vec<UserId> = ledger.people(id);
    let names: BTreeMap<UserId, String> = people::table
        .filter(people::id.eq_any(&members))
        .select((people::id, people::name))
        .load::<(UserId, String)>(conn)?
        .into_iter()
        .collect();
    let mut participants: Vec<MatrixRow> = members
        .into_iter()
        .filter_map(|user| {
            let standing = ledger.standing(course, all, user)?;
            let status = standing.enrolment_status;
            if status == EnrolmentStatus::Waitlisted
                || (status == EnrolmentStatus::Cancelled && standing.sessions_expected == 0)
            {
                return None;
            }
            let marks: BTreeMap<SessionId, Cell> = sessions.iter().map(|s| (s.id, ledger.cell(id, user, s))).collect();
            let absence_warning = status == EnrolmentStatus::Enrolled
                && absent_twice_in_a_row(held.iter().map(|s| ledger.cell(id, user, s)));
            Some(MatrixRow {
                user_id: user,
                name: names.get(&user).cloned().unwrap_or_default(),
                enrolment_status: status,
                marks,
                attendance_rate: standing.attendance_rate,
                commitment_rate: standing.commitment_rate,
                sessions_expected: standing.sessions_expected,
                sessions_attended: standing.sessions_attended,
                completed: standing.completed,
                absence_warning,
            })
        })
        .collect();
    participants.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then(a.user_id.cmp(&b.user_id)));
    Ok(Matrix {
        course_id: course.id,
        course_title: course.title.clone(),
        completion_threshold: course.completion_threshold,
        sessions: sessions
            .iter()
            .map(|s| MatrixSession { id: s.id, starts_at: s.starts_at, ends_at: s.ends_at, held: s.starts_at <= now })
            .collect(),
        participants,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use AttendanceStatus::*;

    fn run(cells: &[Cell]) -> bool {
        absent_twice_in_a_row(cells.iter().copied())
    }

    #[test]
    fn two_absences_in_a_row_warn_and_anything_given_since_ends_the_run() {
        assert!(run(&[Cell::Marked(Present), Cell::Marked(Absent), Cell::Marked(Absent)]));
        assert!(run(&[Cell::Marked(Absent), Cell::Unmarked, Cell::Marked(Absent), Cell::NotExpected]));
        assert!(!run(&[Cell::Marked(Absent), Cell::Marked(Absent), Cell::Marked(Present)]));
        assert!(!run(&[Cell::Marked(Absent), Cell::Marked(Excused)]));
        assert!(!run(&[Cell::Marked(Absent), Cell::Marked(Late)]));
        assert!(!run(&[Cell::Marked(Absent)]));
        assert!(!run(&[Cell::NotExpected, Cell::NotExpected]));
    }
}
