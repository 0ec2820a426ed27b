//! `/healthz` (the process is up) and `/readyz` (the database answers).

use crate::common::{AppOptions, spawn_app, spawn_app_with};

#[tokio::test]
async fn healthz_answers_ok() {
    let app = spawn_app().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "ok");
}

#[tokio::test]
async fn readyz_answers_ok_when_the_database_answers() {
    let app = spawn_app().await;
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "ready");
}

#[tokio::test]
async fn readyz_answers_503_when_the_database_is_unreachable() {
    let app =
        spawn_app_with(AppOptions { database_reachable: false, mail_worker: false, ..AppOptions::default() }).await;
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 503);
    assert_eq!(response.text().await.unwrap(), "database unavailable");
    // the process itself is still up
    assert_eq!(app.get("/healthz").await.status(), 200);
}
