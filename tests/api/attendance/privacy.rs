//! Attendance in the privacy interface: marks are in the data download, and an anonymised
//! account keeps its marks (counted, nameless) while their notes go.

use reqwest::Method;
use serde_json::json;

use super::{Class, marks_path, roster_path};
use crate::common::{Answer, local_at, spawn_app};

#[tokio::test]
async fn marks_are_in_the_download_and_survive_an_anonymising_deletion() {
    let app = &spawn_app().await;
    let class = Class::new(app, &["Ann Jansen", "Bob Bakker"], &[local_at(-1, "19:30")]).await;
    let (ann, bob) = (&class.people[0], &class.people[1]);
    let session = class.session(0);
    let body = json!({"marks": [
        {"user_id": ann.id, "status": "excused", "note": "Ann is ziek"},
        {"user_id": bob.id, "status": "present"},
    ]});
    class.trainer.call(app, Method::PUT, &marks_path(session), Some(&body)).await.expect_status(200);

    let mine = ann.get(app, "/api/v1/me/data").await.expect_status(200);
    let attendance = mine["attendance"].as_array().expect("attendance");
    assert_eq!(attendance.len(), 1, "only Ann's mark: {mine}");
    assert_eq!(attendance[0]["session_id"], session);
    assert_eq!(attendance[0]["status"], "excused");
    assert_eq!(attendance[0]["note"], "Ann is ziek");
    assert_eq!(attendance[0]["history"][0]["new"], "excused");

    app.settle_outbox().await;
    let admin = app.admin().await;
    assert_eq!(admin.delete(app, &format!("/api/v1/users/{}", ann.id)).await.0, 204);
    let roster = class.coordinator.get(app, &roster_path(session)).await.expect_status(200);
    assert_eq!(roster["counts"]["excused"], 1, "the mark is kept: {roster}");
    assert!(!roster.to_string().contains("Ann Jansen"), "nameless: {roster}");
    assert_eq!(
        app.int(&format!(
            "SELECT count(*)::bigint AS v FROM attendance_history WHERE user_id = {} AND note IS NOT NULL",
            ann.id
        ))
        .await,
        0
    );
    assert!(!roster.to_string().contains("ziek"), "{roster}");
}

#[tokio::test]
async fn apologies_are_in_the_download_and_go_with_an_anonymising_deletion() {
    let app = &spawn_app().await;
    let class = Class::new(app, &["Ann Jansen"], &[local_at(5, "19:30")]).await;
    let ann = &class.people[0];
    let session = class.session(0);
    let path = format!("/api/v1/sessions/{session}/apology");
    ann.post_json(app, &path, &json!({"reason": "Mijn moeder is jarig"})).await.expect_status(201);

    let mine = ann.get(app, "/api/v1/me/data").await.expect_status(200);
    assert_eq!(mine["apologies"][0]["session_id"], session, "{mine}");
    assert_eq!(mine["apologies"][0]["reason"], "Mijn moeder is jarig");

    app.settle_outbox().await;
    let admin = app.admin().await;
    assert_eq!(admin.delete(app, &format!("/api/v1/users/{}", ann.id)).await.0, 204);
    assert_eq!(app.int("SELECT count(*)::bigint AS v FROM apologies").await, 0);
    let history = class.coordinator.get(app, &format!("/api/v1/sessions/{session}/attendance/history")).await;
    assert_eq!(history.expect_status(200)["items"][0]["new"], "excused", "the mark's history is kept");
}
