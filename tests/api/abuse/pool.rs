//! argon2 holds no pooled connection: a storm of logins cannot starve other requests.

use std::time::Duration;

use futures_util::future::join_all;
use reqwest::Method;
use serde_json::json;
use wijkmakers::auth::Role;

use crate::common::{AppOptions, PASSWORD, spawn_app_with};

/// Two connections, and a request that waits more than five seconds for one answers 503
/// (instead of thirty). A login that hashed while holding its connection kept it for the
/// whole argon2 run, twenty in a row; now a connection is held only for the statements.
/// The latencies are measured by `cargo bench --bench login_storm`, not here.
#[tokio::test]
async fn twenty_parallel_logins_leave_the_pool_to_the_catalogue() {
    let app = spawn_app_with(AppOptions {
        mail_worker: false,
        tune: |config| {
            config.db_pool_size = 2;
            config.db_pool_wait = Duration::from_secs(5);
        },
        ..AppOptions::default()
    })
    .await;
    let people = app.people("storm", 20, Role::Participant).await;
    let sessions = app.int("SELECT count(*) AS v FROM login_sessions").await;
    let logins = people.iter().map(|p| async {
        let body = json!({ "email": p.email, "password": PASSWORD });
        app.api(Method::POST, "/api/v1/auth/login", Some(&body), None).await.status().as_u16()
    });
    let catalogue = (0..20).map(|_| async {
        // the catalogue asks a little later, while the logins are hashing
        tokio::time::sleep(Duration::from_millis(20)).await;
        app.api(Method::GET, "/api/v1/courses", None, None).await.status().as_u16()
    });
    let (logins, catalogue) = tokio::join!(join_all(logins), join_all(catalogue));
    assert!(logins.iter().all(|s| *s == 200), "logins: {logins:?}");
    assert!(catalogue.iter().all(|s| *s == 200), "catalogue: {catalogue:?}");
    assert_eq!(app.int("SELECT count(*) AS v FROM login_sessions").await, sessions + 20);
}
