//! The rules of the catalogue: what a course and a session must be, who may change them,
//! which status may follow which, and the one query behind every course list.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Bool, Integer, Nullable, Text, Timestamptz};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::{CurrentUser, Role};
use crate::choice::Choice;

use crate::catalogue::input::{CourseChanges, SessionChanges};
use crate::catalogue::model::{
    Course, CourseDetail, CourseFormat, CourseStatus, CourseSummary, Seats, Session, SessionStatus, Theme, TrainerView,
};
use crate::config::Site;
use crate::db::schema::{course_sessions, course_trainers, courses, themes};
use crate::db::views::{course_seats, people};
use crate::error::{AppError, AppResult, FieldError, FieldErrors, Parsed};
use crate::ids::{CourseId, SessionId, UserId};
use crate::paging::Paging;
use crate::places;
use crate::time::parse_instant;

/// What a change to the programme means for the people in it. The catalogue answers it;
/// the features above act on it in the same transaction (enrolment tells everyone
/// enrolled, fills freed seats). The catalogue itself knows nothing of enrolments.
#[derive(Debug, Clone)]
pub enum ProgrammeChange {
    CourseCancelled,
    /// The capacity of a published course went up: the waiting list may move.
    CapacityRaised,
    /// A session of a published course was added, or moved in time or place.
    SessionChanged(Session),
    /// A session of a published course was cancelled.
    SessionCancelled(Session),
}

/// The result of a change, with what it means for the people in the course, if anything.
#[derive(Debug, Clone)]
pub struct Changed<T> {
    pub value: T,
    pub change: Option<ProgrammeChange>,
}

/// Lock a course row: everything that changes the seats or the programme of a course
/// waits here, one at a time (enrolment counts seats under this lock).
pub fn lock_course(conn: &mut PgConnection, id: CourseId) -> AppResult<Course> {
    Ok(courses::table.find(id).select(Course::as_select()).for_update().first(conn)?)
}

/// Non-empty trimmed text, or `None`.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn check_text(errors: &mut FieldErrors, field: &str, value: &str, max: usize, one_line: bool) {
    if value.chars().count() > max {
        errors.add(field, "too-long").arg("max", max);
    } else if one_line && value.chars().any(char::is_control) {
        errors.add(field, "control-chars");
    }
}

mod course;
mod feed;
mod kept;
mod list;
mod privacy;
mod session;
mod theme;
mod trainer;
pub use course::*;
pub use feed::*;
pub use kept::*;
pub use list::*;
pub use privacy::PRIVACY;
pub use session::*;
pub use theme::*;
pub use trainer::*;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_sanitised() {
        let html = render_markdown(
            "**Hallo** <script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) [ok](https://example.org)",
        );
        assert!(html.contains("<strong>Hallo</strong>"));
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("href=\"https://example.org\""), "{html}");
        assert!(html.contains("rel=\"noopener noreferrer nofollow\""), "{html}");
    }

    #[test]
    fn transitions_follow_the_lifecycle() {
        use CourseStatus::*;
        assert!(Draft.can_become(Published));
        assert!(Published.can_become(Cancelled));
        assert!(Published.can_become(Archived));
        assert!(Cancelled.can_become(Archived));
        assert!(!Draft.can_become(Archived));
        assert!(!Archived.can_become(Published));
        assert!(!Cancelled.can_become(Published));
    }

    #[test]
    fn months_are_amsterdam_months() {
        let (start, end) = month_range("2027-03").unwrap();
        assert_eq!(start.to_rfc3339(), "2027-02-28T23:00:00+00:00");
        assert_eq!(end.to_rfc3339(), "2027-03-31T22:00:00+00:00");
        assert!(month_range("2027-13").is_none());
        assert!(month_range("maart").is_none());
    }

    #[test]
    fn filter_dates_are_amsterdam_midnight() {
        assert_eq!(filter_instant("2027-04-01").unwrap().to_rfc3339(), "2027-03-31T22:00:00+00:00");
        assert_eq!(filter_instant("2027-01-01").unwrap().to_rfc3339(), "2026-12-31T23:00:00+00:00");
        assert_eq!(filter_instant("2027-04-01T10:00").unwrap().to_rfc3339(), "2027-04-01T08:00:00+00:00");
        assert_eq!(filter_instant("2027-13-01"), Err("time-invalid"));
    }
}
