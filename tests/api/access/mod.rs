//! Access needs (issue 19): asked with consent, seen by the course's trainers and
//! coordinators only, in no export or list unless a coordinator asks (and then audited),
//! deleted after the course, on withdrawal and with the account, in the data download.

mod consent;
mod deletion;
mod reading;

use serde_json::{Value, json};

use crate::common::{Course, Person, TestApp};

/// `/api/v1/courses/{id}/enrolment/access-needs`: one's own.
pub fn own_path(course: &Course) -> String {
    format!("/api/v1/courses/{}/enrolment/access-needs", course.id)
}

/// `/api/v1/courses/{id}/access-needs`: the course's list.
pub fn list_path(course: &Course) -> String {
    format!("/api/v1/courses/{}/access-needs", course.id)
}

/// An interpreter for `language` and something else, with consent.
pub fn interpreter(language: &str, note: &str) -> Value {
    json!({"needs": ["tolk", "anders"], "language": language, "note": note, "consent": true})
}

/// Store `body` as `person`'s needs for `course`; must answer 201 or 200.
pub async fn tell(app: &TestApp, person: &Person, course: &Course, body: &Value) -> Value {
    let (status, answer) = person.call(app, reqwest::Method::PUT, &own_path(course), Some(body)).await;
    assert!(status == 201 || status == 200, "{status}: {answer}");
    answer
}

/// How many rows of needs the database holds for `course` (all people).
pub async fn stored(app: &TestApp, course: &Course) -> i64 {
    app.int(&format!("SELECT count(*) AS v FROM access_needs WHERE course_id = {}", course.id)).await
}
