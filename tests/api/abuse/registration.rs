//! Registration and "send the confirmation again" are limited per client address and per
//! email address (here 3 and 2 an hour); beyond that: 429, no account and no email.

use std::time::Duration;

use reqwest::Method;

use crate::common::{AppOptions, PASSWORD, Visitor, header, problem, spawn_app_with};

fn low_limits() -> AppOptions {
    AppOptions {
        tune: |config| {
            config.register_limit_per_ip = 3;
            config.register_limit_per_address = 2;
        },
        ..AppOptions::default()
    }
}

#[tokio::test]
async fn registrations_beyond_the_limit_per_ip_make_no_account_and_no_email() {
    let app = spawn_app_with(low_limits()).await;
    for n in 1..=3 {
        assert_eq!(app.register(&format!("nieuw{n}@example.org"), "Nieuw").await.status(), 201);
    }
    let response = app.register("nieuw4@example.org", "Nieuw").await;
    assert_eq!(response.status(), 429);
    let wait: u64 = header(&response, "retry-after").parse().unwrap();
    assert!((1..=3600).contains(&wait), "{wait}");
    assert_eq!(problem(response).await.1["type"], "/problemen/too-many-requests");

    // the form says it in plain words, and keeps what was typed
    let fields = [("name", "Vera"), ("email", "vera@example.org"), ("password", PASSWORD), ("privacy_consent", "ja")];
    let response = Visitor::new(&app).post_form("/registreren", &fields).await;
    assert_eq!(response.status(), 429);
    let page = response.text().await.unwrap();
    assert!(page.contains("te veel aanmeldingen"), "{page}");
    assert!(page.contains("vera@example.org"));

    app.settle_outbox().await;
    assert_eq!(
        app.int("SELECT count(*) AS v FROM users WHERE email IN ('nieuw4@example.org', 'vera@example.org')").await,
        0
    );
    assert_eq!(app.int("SELECT count(*) AS v FROM outbox").await, 3, "three verification emails, no more");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(app.smtp.messages_to("nieuw4@example.org").is_empty());
}

#[tokio::test]
async fn one_address_is_registered_and_sent_links_at_most_twice_an_hour() {
    let app = spawn_app_with(AppOptions {
        tune: |config| {
            config.register_limit_per_ip = 100;
            config.register_limit_per_address = 2;
        },
        ..AppOptions::default()
    })
    .await;
    assert_eq!(app.register("dirk@example.org", "Dirk").await.status(), 201);
    let link = app.link_in_mail("dirk@example.org", 1, "/e-mail-bevestigen").await;
    assert!(!link.is_empty());
    // known or not: the address counts alike
    assert_eq!(app.register("DIRK@example.org", "Dirk").await.status(), 201);
    assert_eq!(app.register("dirk@example.org", "Dirk").await.status(), 429);
    assert_eq!(app.register("els@example.org", "Els").await.status(), 201, "another address is not held up");

    // "send the confirmation again" counts for the same address
    let els = app.participant("Els Twee").email("els2@example.org").unverified().await;
    let mut answers = Vec::new();
    for _ in 0..3 {
        // past the few minutes in which no new link is sent at all
        app.execute("UPDATE user_tokens SET created_at = now() - interval '3 minutes'").await;
        let response = app.api(Method::POST, "/api/v1/auth/resend-verification", None, Some(&els.token)).await;
        answers.push(response.status().as_u16());
    }
    assert_eq!(answers, [202, 202, 429]);
}
