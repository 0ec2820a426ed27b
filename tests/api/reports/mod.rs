//! Reports (issue 17): tidy exports for partners and funders.

mod cli;
mod formats;
mod participation;
mod sessions;
mod streaming;
mod summary;

use chrono::{Datelike, NaiveDate};
use chrono_tz::Europe::Amsterdam;
use reqwest::Method;

use crate::attendance::{Class, mark};
use crate::common::{Answer, CourseSpec, Person, TestApp, local_at, session_at};

/// The local date `days` from today, as `YYYY-MM-DD`.
pub fn day(days: i64) -> NaiveDate {
    let at = local_at(days, "12:00").with_timezone(&Amsterdam);
    NaiveDate::from_ymd_opt(at.year(), at.month(), at.day()).expect("a date")
}

/// GET an export as `who`: status, headers and body.
pub async fn export(app: &TestApp, who: &Person, path: &str) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let response = app.api(Method::GET, path, None, Some(&who.token)).await;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.bytes().await.expect("a body").to_vec())
}

/// The records of a `csv` export, as maps from column to value.
pub fn csv_records(body: &[u8]) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_reader(body);
    let headers = reader.headers().expect("a header row").clone();
    reader
        .records()
        .map(|r| headers.iter().zip(r.expect("a record").iter()).map(|(h, v)| (h.to_owned(), v.to_owned())).collect())
        .collect()
}

/// A known history in two courses. "Energiecoach worden" (theme of the default spec): four
/// sessions 10, 8, 6 and 4 days ago, the one 6 days ago cancelled, so the course is over.
/// - Ann: present, late, present: 3 of 3 expected, completed;
/// - Bob joined 9 days ago (after the first session), present, then excused (an apology):
///   1 of 2 attended, commitment 2 of 2; organisation `+31 6 1234;=1+1`, a professional;
/// - Cas: absent, present, then withdrew 7 days ago: 1 of 2, status cancelled;
/// - Dirk: present three times, then deleted his account (anonymised).
///
/// "Buurtgesprekken" (theme democratisering): a session 5 days ago and one in 3 days; Ann
/// present at the first: 1 of 1, not completed (the course is not over).
pub struct History {
    pub energy: Class,
    pub talks: i64,
}

impl History {
    pub async fn new(app: &TestApp) -> History {
        let starts = [local_at(-10, "19:30"), local_at(-8, "19:30"), local_at(-6, "19:30"), local_at(-4, "19:30")];
        let energy = Class::new(app, &["Ann Jansen", "Bob Bakker", "Cas Smit", "Dirk de Vries"], &starts).await;
        let (ann, bob, cas, dirk) = (&energy.people[0], &energy.people[1], &energy.people[2], &energy.people[3]);
        let coordinator = &energy.coordinator;
        let course = energy.course.id;
        let joined = local_at(-9, "12:00").to_rfc3339();
        app.execute(&format!(
            "UPDATE enrolments SET enrolled_at = '{joined}' WHERE user_id = {} AND course_id = {course}",
            bob.id
        ))
        .await;
        app.execute(&format!(
            "UPDATE users SET organisation = '+31 6 1234;=1+1', participant_kind = 'professional', wijk = 'Selwerd' WHERE id = {}",
            bob.id
        ))
        .await;
        app.execute(&format!(
            "UPDATE users SET participant_kind = 'bewoner', wijk = 'Vinkhuizen' WHERE id = {}",
            ann.id
        ))
        .await;
        mark(app, coordinator, energy.session(0), &[(ann, "present"), (cas, "absent"), (dirk, "present")])
            .await
            .expect_status(200);
        mark(
            app,
            coordinator,
            energy.session(1),
            &[(ann, "late"), (bob, "present"), (cas, "present"), (dirk, "present")],
        )
        .await
        .expect_status(200);
        mark(app, coordinator, energy.session(3), &[(ann, "present"), (bob, "excused"), (dirk, "present")])
            .await
            .expect_status(200);
        let left = local_at(-7, "12:00").to_rfc3339();
        app.execute(&format!(
            "UPDATE enrolments SET status = 'cancelled', cancelled_at = '{left}' WHERE user_id = {} AND course_id = {course}",
            cas.id
        ))
        .await;
        app.execute(&format!("UPDATE course_sessions SET status = 'cancelled' WHERE id = {}", energy.session(2))).await;

        let future = vec![session_at(local_at(20, "19:30")), session_at(local_at(21, "19:30"))];
        let talks = coordinator.create_course(app, CourseSpec::new("Buurtgesprekken", 30).sessions(future)).await;
        assert_eq!(ann.enrols_in(app, &talks).await, "enrolled");
        for (id, start) in talks.session_ids.iter().zip([local_at(-5, "10:00"), local_at(3, "10:00")]) {
            let (from, to) = session_at(start);
            app.execute(&format!("UPDATE course_sessions SET starts_at = '{from}', ends_at = '{to}' WHERE id = {id}"))
                .await;
        }
        let long_ago = local_at(-60, "12:00").to_rfc3339();
        app.execute(&format!("UPDATE enrolments SET enrolled_at = '{long_ago}' WHERE course_id = {}", talks.id)).await;
        app.execute(&format!(
            "UPDATE courses SET theme_id = (SELECT id FROM themes WHERE slug = 'democratisering') WHERE id = {}",
            talks.id
        ))
        .await;
        mark(app, coordinator, talks.session_ids[0], &[(ann, "present")]).await.expect_status(200);

        // his confirmation is delivered first: once he is gone, it could no longer be
        app.mail_to(dirk, "Je bent ingeschreven").await;
        let body = serde_json::json!({ "password": dirk.password });
        let response = app.api(Method::DELETE, "/api/v1/me", Some(&body), Some(&dirk.token)).await;
        assert_eq!(response.status(), 204, "Dirk deletes his account");
        History { energy, talks: talks.id }
    }

    pub fn person(&self, i: usize) -> &Person {
        &self.energy.people[i]
    }
}
