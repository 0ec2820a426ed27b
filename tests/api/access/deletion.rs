//! Kept only as long as needed: 30 days after the course's last session (the scheduler,
//! once across instances), at once on withdrawal, removal and account deletion; in the
//! person's data download while it exists.

use chrono::{DateTime, Duration, Utc};
use reqwest::Method;
use serde_json::json;
use wijkmakers::access::service::purge_expired;
use wijkmakers::db::Db;

use super::{interpreter, stored, tell};
use crate::common::{Answer, CourseSpec, TestApp, local_at, session_at, spawn_app};

/// One run of the scheduler at `now`, on `pool` (one app instance).
async fn purge(pool: &Db, now: DateTime<Utc>) -> usize {
    pool.run(move |conn| purge_expired(conn, now)).await.expect("purge")
}

#[tokio::test]
async fn needs_are_deleted_30_days_after_the_last_session_once_across_instances() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let sessions = vec![session_at(local_at(3, "19:30")), session_at(local_at(10, "19:30"))];
    let course = coordinator.create_course(app, CourseSpec::new("Energiecoaches", 12).sessions(sessions)).await;
    let later = coordinator
        .create_course(app, CourseSpec::new("Energiecoaches 2", 12).sessions(vec![session_at(local_at(40, "19:30"))]))
        .await;
    let [ann, bob] = [app.participant("Ann").await, app.participant("Bob").await];
    for p in [&ann, &bob] {
        p.enrols_in(app, &course).await;
        tell(app, p, &course, &json!({"needs": ["kinderopvang"], "consent": true})).await;
    }
    ann.enrols_in(app, &later).await;
    tell(app, &ann, &later, &json!({"needs": ["prikkelarm"], "consent": true})).await;
    // the last session ends two hours after it starts, at 21:30 local time
    let last_end = local_at(10, "21:30");

    assert_eq!(purge(&app.pool, last_end + Duration::days(29)).await, 0, "29 days after: kept");
    assert_eq!(purge(&app.pool, last_end + Duration::days(30) - Duration::minutes(1)).await, 0);
    assert_eq!(stored(app, &course).await, 2);

    // 30 days and a minute after: three instances run the scheduler at the same moment
    let now = last_end + Duration::days(30) + Duration::minutes(1);
    let (second, third) = (Db::connect(app.db.url(), 2).unwrap(), Db::connect(app.db.url(), 2).unwrap());
    let (a, b, c) = tokio::join!(purge(&app.pool, now), purge(&second, now), purge(&third, now));
    assert_eq!(a + b + c, 2, "each row is deleted once");
    assert_eq!(stored(app, &course).await, 0);
    assert_eq!(stored(app, &later).await, 1, "a course that is still running keeps its needs");
}

async fn enrolment_id(app: &TestApp, course: i64, user: i64) -> i64 {
    app.int(&format!(
        "SELECT id AS v FROM enrolments WHERE course_id = {course} AND user_id = {user} AND status <> 'cancelled'"
    ))
    .await
}

#[tokio::test]
async fn withdrawing_or_being_removed_deletes_the_needs_at_once() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(app, CourseSpec::new("Buurtkracht", 12)).await;
    let other = coordinator.create_course(app, CourseSpec::new("Buurtkracht 2", 12)).await;
    let [ann, bob] = [app.participant("Ann").await, app.participant("Bob").await];
    for p in [&ann, &bob] {
        p.enrols_in(app, &course).await;
        tell(app, p, &course, &json!({"needs": ["rolstoel"], "consent": true})).await;
    }
    ann.enrols_in(app, &other).await;
    tell(app, &ann, &other, &json!({"needs": ["rolstoel"], "consent": true})).await;

    ann.cancel(app, &course).await.expect_status(200);
    assert_eq!(stored(app, &course).await, 1, "Ann's needs for this course are gone, Bob's stay");
    assert_eq!(stored(app, &other).await, 1, "her needs for another course stay");

    let id = enrolment_id(app, course.id, bob.id).await;
    let (status, body) = coordinator.delete(app, &format!("/api/v1/enrolments/{id}")).await;
    assert!(status == 200 || status == 204, "{status}: {body}");
    assert_eq!(stored(app, &course).await, 0, "a coordinator removing Bob deletes his needs");
}

#[tokio::test]
async fn the_data_download_has_the_needs_and_deleting_the_account_deletes_them() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(app, CourseSpec::new("Samen sterk", 12)).await;
    let ann = app.participant("Ann").await;
    ann.enrols_in(app, &course).await;
    tell(app, &ann, &course, &interpreter("Pools", "Grote letters op papier")).await;

    let data = ann.get(app, "/api/v1/me/data").await.expect_status(200);
    let needs = data["access_needs"].as_array().expect("access_needs in the download");
    assert_eq!(needs.len(), 1);
    assert_eq!(needs[0]["course_id"], course.id);
    assert_eq!(needs[0]["language"], "Pools");
    assert_eq!(needs[0]["note"], "Grote letters op papier");
    assert!(needs[0]["consent_at"].is_string() && needs[0]["wording_version"] == 1, "{needs:?}");

    app.mail_to(&ann, "Je bent ingeschreven").await;
    let body = json!({ "password": ann.password });
    let response = app.api(Method::DELETE, "/api/v1/me", Some(&body), Some(&ann.token)).await;
    assert_eq!(response.status(), 204);
    assert_eq!(app.int(&format!("SELECT count(*) AS v FROM access_needs WHERE user_id = {}", ann.id)).await, 0);
}
