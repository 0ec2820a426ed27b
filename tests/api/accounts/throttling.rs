//! Throttling: after 10 failed logins for an account, or 30 from one address, within 15
//! minutes, every attempt from a client the account does not know gets 429 with
//! Retry-After, on every instance (the count lives in PostgreSQL), even with the right
//! password. Known devices: tests/api/abuse/logins.rs.

use reqwest::{Method, Response};
use serde_json::json;
use wijkmakers::auth::Role;

use crate::common::{PASSWORD, TestApp, header, problem, spawn_app};

async fn login(app: &TestApp, email: &str, password: &str) -> Response {
    app.post_json("/api/v1/auth/login", &json!({ "email": email, "password": password })).await
}

/// Retry-After in seconds, checked to lie within the 15-minute window.
fn retry_after(response: &Response) -> u64 {
    let secs: u64 = header(response, "retry-after").parse().expect("Retry-After in seconds");
    assert!((1..=15 * 60).contains(&secs), "Retry-After {secs}");
    secs
}

#[tokio::test]
async fn ten_failed_logins_lock_the_account_even_for_the_right_password() {
    let app = spawn_app().await;
    app.add_user("ann@example.org", "Ann", Role::Participant, PASSWORD).await;
    app.add_user("bob@example.org", "Bob", Role::Participant, PASSWORD).await;
    for attempt in 0..10 {
        // the address in another case is the same account
        let email = if attempt % 2 == 0 { "ann@example.org" } else { "ANN@Example.org" };
        assert_eq!(login(&app, email, "geraden wachtwoord").await.status(), 401, "attempt {}", attempt + 1);
    }
    let response = login(&app, "ann@example.org", PASSWORD).await;
    assert_eq!(response.status(), 429);
    retry_after(&response);
    let (_, body) = problem(response).await;
    assert_eq!(body["type"], "/problemen/too-many-requests");

    // another instance on the same database knows
    let other = app.start_instance();
    let body = json!({"email": "ann@example.org", "password": PASSWORD});
    let response = other.api(Method::POST, "/api/v1/auth/login", Some(&body), None).await;
    assert_eq!(response.status(), 429);
    retry_after(&response);

    // and so does the form
    let response = app.post_form("/inloggen", &[("email", "ann@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(response.status(), 429);
    retry_after(&response);
    let page = response.text().await.unwrap();
    assert!(page.contains("Te veel pogingen"), "{page}");
    assert!(!page.contains("wm_session"), "no session");
    assert_eq!(app.int("SELECT count(*) AS v FROM login_sessions").await, 0);

    // other accounts from the same address are not locked out
    assert_eq!(login(&app, "bob@example.org", PASSWORD).await.status(), 200);

    // when the lock-out is over the account opens again, and a good login clears the count
    app.execute("UPDATE throttles SET locked_until = now() - interval '1 second'").await;
    assert_eq!(login(&app, "ann@example.org", PASSWORD).await.status(), 200);
    let count = "SELECT count(*) AS v FROM throttles WHERE scope = 'login-account' AND key = 'ann@example.org'";
    assert_eq!(app.int(count).await, 0);
}

#[tokio::test]
async fn nine_failures_do_not_lock_the_account() {
    let app = spawn_app().await;
    app.add_user("cor@example.org", "Cor", Role::Participant, PASSWORD).await;
    for _ in 0..9 {
        assert_eq!(login(&app, "cor@example.org", "fout fout fout").await.status(), 401);
    }
    assert_eq!(login(&app, "cor@example.org", PASSWORD).await.status(), 200);
    // the success cleared the count: nine more failures still do not lock it
    for _ in 0..9 {
        assert_eq!(login(&app, "cor@example.org", "fout fout fout").await.status(), 401);
    }
    assert_eq!(login(&app, "cor@example.org", PASSWORD).await.status(), 200);
}

#[tokio::test]
async fn thirty_failures_from_one_address_lock_every_account_for_that_address() {
    let app = spawn_app().await;
    app.add_user("carla@example.org", "Carla", Role::Participant, PASSWORD).await;
    for n in 0..30 {
        let response = login(&app, &format!("gok{n}@example.org"), "wachtwoord geraden").await;
        assert_eq!(response.status(), 401, "attempt {}", n + 1);
    }
    assert_eq!(
        app.int("SELECT hits::bigint AS v FROM throttles WHERE scope = 'login-ip' AND key = '127.0.0.1'").await,
        30
    );

    let response = login(&app, "carla@example.org", PASSWORD).await;
    assert_eq!(response.status(), 429);
    retry_after(&response);

    let other = app.start_instance();
    let body = json!({"email": "carla@example.org", "password": PASSWORD});
    let response = other.api(Method::POST, "/api/v1/auth/login", Some(&body), None).await;
    assert_eq!(response.status(), 429, "the other instance reads the same count");

    // the state is the table: once the lock-out is over, logins work again
    app.execute("UPDATE throttles SET locked_until = now() - interval '1 second'").await;
    assert_eq!(login(&app, "carla@example.org", PASSWORD).await.status(), 200);
}
