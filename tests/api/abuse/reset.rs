//! A reset request answers alike for a known and an unknown address, after the same
//! statements: it only writes a request; the worker beside the mail worker decides.

use reqwest::Method;
use serde_json::json;
use wijkmakers::auth::Role;

use crate::common::{AppOptions, PASSWORD, header, spawn_app_with, token_in};

#[tokio::test]
async fn a_reset_request_runs_the_same_statements_for_a_known_and_an_unknown_address() {
    // no background work, so the app's statement count is the requests' own
    let app = spawn_app_with(AppOptions { mail_worker: false, ..AppOptions::default() }).await;
    app.add_user("kees@example.org", "Kees", Role::Participant, PASSWORD).await;
    let mut answers = Vec::new();
    for email in ["kees@example.org", "niemand@example.org"] {
        let before = app.pool.query_count();
        let requests = app.int("SELECT count(*) AS v FROM password_reset_requests").await;
        let outbox = app.int("SELECT count(*) AS v FROM outbox").await;
        let response =
            app.api(Method::POST, "/api/v1/auth/password-reset", Some(&json!({ "email": email })), None).await;
        let statements = app.pool.query_count() - before - 2; // less the two counts above
        let status = response.status();
        let content_type = header(&response, "content-type");
        let body = response.bytes().await.unwrap();
        let requests = app.int("SELECT count(*) AS v FROM password_reset_requests").await - requests;
        let outbox = app.int("SELECT count(*) AS v FROM outbox").await - outbox;
        answers.push((status, content_type, body, statements, requests, outbox));
    }
    assert_eq!(answers[0], answers[1], "the same answer after the same work");
    assert_eq!((answers[0].0.as_u16(), answers[0].4, answers[0].5), (202, 1, 0));

    // the worker sends the known address its link, and nothing to the other
    let base = app.config.base().to_owned();
    let handled =
        app.pool.run(move |conn| wijkmakers::accounts::service::send_requested_resets(conn, &base)).await.unwrap();
    assert_eq!(handled, 2);
    assert_eq!(app.int("SELECT count(*) AS v FROM password_reset_requests").await, 0);
    app.worker(chrono::Duration::seconds(60)).run_once().await.unwrap();
    let mail = app.nth_mail_to("kees@example.org", 1).await;
    assert_eq!(mail.subject().as_deref(), Some("Kies een nieuw wachtwoord"));
    assert!(app.smtp.messages_to("niemand@example.org").is_empty());
    assert_eq!(app.int("SELECT count(*) AS v FROM outbox").await, 1);

    // and the link works
    let token = token_in(&mail.link_to("/wachtwoord-herstellen").expect("a reset link"));
    let confirm = json!({ "token": token, "password": "Fietsen langs het Reitdiep" });
    let response = app.api(Method::POST, "/api/v1/auth/password-reset/confirm", Some(&confirm), None).await;
    assert_eq!(response.status(), 204);
    app.login_api("kees@example.org", "Fietsen langs het Reitdiep").await;
}
