//! Attendance (issue 16): the roster of a session, marks, their history, and who is expected.

mod apologies;
mod certificates;
mod checkin;
mod marking;
mod mine;
mod overview;
mod page;
mod privacy;
mod trainings;
mod walk_ins;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::common::{Course, CourseSpec, Person, TestApp, local_at, session_at};

/// A course with a trainer and enrolled participants, whose sessions start at `starts`
/// (moved there in the database after enrolling, so past sessions are possible). Everyone
/// joined 60 days ago unless a test moves them.
pub struct Class {
    pub coordinator: Person,
    pub trainer: Person,
    pub course: Course,
    pub people: Vec<Person>,
}

impl Class {
    pub async fn new(app: &TestApp, names: &[&str], starts: &[DateTime<Utc>]) -> Class {
        let coordinator = app.coordinator().await;
        let future: Vec<_> = (0..starts.len()).map(|i| session_at(local_at(20 + i as i64, "19:30"))).collect();
        let course = coordinator.create_course(app, CourseSpec::new("Energiecoach worden", 30).sessions(future)).await;
        let trainer = app.trainer("Tom Trainer").await;
        assert_eq!(coordinator.assign_trainer(app, &course, &trainer).await.0, 200);
        let mut people = Vec::new();
        for name in names {
            let person = app.participant(name).await;
            assert_eq!(person.enrols_in(app, &course).await, "enrolled");
            people.push(person);
        }
        for (id, start) in course.session_ids.iter().zip(starts) {
            let (from, to) = session_at(*start);
            app.execute(&format!("UPDATE course_sessions SET starts_at = '{from}', ends_at = '{to}' WHERE id = {id}"))
                .await;
        }
        let joined = local_at(-60, "12:00").to_rfc3339();
        app.execute(&format!("UPDATE enrolments SET enrolled_at = '{joined}' WHERE course_id = {}", course.id)).await;
        Class { coordinator, trainer, course, people }
    }

    pub fn session(&self, i: usize) -> i64 {
        self.course.session_ids[i]
    }
}

pub fn roster_path(session: i64) -> String {
    format!("/api/v1/sessions/{session}/roster")
}

pub fn marks_path(session: i64) -> String {
    format!("/api/v1/sessions/{session}/attendance")
}

pub fn history_path(session: i64) -> String {
    format!("/api/v1/sessions/{session}/attendance/history")
}

pub fn absent_path(session: i64) -> String {
    format!("/api/v1/sessions/{session}/attendance/absent-unmarked")
}

/// `{marks: [{user_id, status}]}`.
pub fn marks(list: &[(&Person, &str)]) -> Value {
    json!({ "marks": list.iter().map(|(p, s)| json!({ "user_id": p.id, "status": s })).collect::<Vec<_>>() })
}

/// PUT the marks as `who`.
pub async fn mark(app: &TestApp, who: &Person, session: i64, list: &[(&Person, &str)]) -> (u16, Value) {
    who.call(app, reqwest::Method::PUT, &marks_path(session), Some(&marks(list))).await
}

/// The roster's mark of each person, by user id.
pub fn mark_of(roster: &Value, person: &Person) -> Value {
    roster["items"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["user_id"] == person.id))
        .map(|i| i["attendance"].clone())
        .unwrap_or_else(|| panic!("{} not on the roster: {roster}", person.name))
}
