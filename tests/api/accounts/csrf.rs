//! CSRF: every form that changes something carries a token tied to the browser's session;
//! without it, with a wrong one or from another site the post is refused (403) and changes
//! nothing. The JSON API with the session cookie needs the token in `X-CSRF-Token`; with a
//! bearer token it needs none.

use reqwest::Method;
use serde_json::{Value, json};
use wijkmakers::auth::Role;

use crate::common::{PASSWORD, Visitor, spawn_app};

#[tokio::test]
async fn a_form_without_the_right_token_or_from_another_site_changes_nothing() {
    let app = spawn_app().await;
    app.add_user("lies@example.org", "Lies Postma", Role::Participant, PASSWORD).await;
    app.login("lies@example.org", PASSWORD).await;
    let token = app.csrf_token("/profiel").await;
    let stranger = Visitor::new(&app);
    stranger.login("lies@example.org", PASSWORD).await;
    let strangers_token = stranger.csrf_token("/profiel").await;
    assert_ne!(token, strangers_token, "the token is tied to the session");

    let origin = app.address.clone();
    let change = [("name", "Gehackt"), ("wijk", ""), ("organisation", ""), ("participant_kind", ""), ("locale", "nl")];
    type Extra<'a> = (Vec<(&'a str, &'a str)>, Vec<(&'a str, &'a str)>);
    let cases: Vec<(&str, Extra)> = vec![
        ("no token", (vec![], vec![("origin", &origin)])),
        ("an empty token", (vec![("csrf_token", "")], vec![("origin", &origin)])),
        ("a wrong token", (vec![("csrf_token", "00ff00ff")], vec![("origin", &origin)])),
        ("another session's token", (vec![("csrf_token", &strangers_token)], vec![("origin", &origin)])),
        ("another site", (vec![("csrf_token", &token)], vec![("origin", "https://evil.example")])),
        ("a cross-site fetch", (vec![("csrf_token", &token)], vec![("sec-fetch-site", "cross-site")])),
    ];
    for (what, (extra_fields, headers)) in &cases {
        let mut fields = change.to_vec();
        fields.extend(extra_fields.iter().copied());
        let response = app.post_form_raw("/profiel", &fields, headers).await;
        assert_eq!(response.status(), 403, "{what}");
        assert!(response.text().await.unwrap().contains("<h1>Geen toegang</h1>"), "{what}");
        // nor may it log out, end sessions or delete the account
        for path in ["/uitloggen", "/profiel/uitloggen-overal", "/profiel/verwijderen"] {
            let fields = [("password", PASSWORD)].into_iter().chain(extra_fields.iter().copied()).collect::<Vec<_>>();
            let response = app.post_form_raw(path, &fields, headers).await;
            assert_eq!(response.status(), 403, "{what}: {path}");
        }
    }
    assert_eq!(app.text("SELECT name AS v FROM users").await.as_deref(), Some("Lies Postma"));
    assert_eq!(app.int("SELECT count(*) AS v FROM login_sessions WHERE revoked_at IS NULL").await, 2);
    assert_eq!(app.get("/profiel").await.status(), 200, "still logged in");

    // positive control: the right token from this site
    let mut fields = change.to_vec();
    fields.push(("csrf_token", &token));
    let response = app.post_form_raw("/profiel", &fields, &[("origin", &origin)]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(app.text("SELECT name AS v FROM users").await.as_deref(), Some("Gehackt"));
}

#[tokio::test]
async fn forms_for_strangers_need_a_token_too() {
    let app = spawn_app().await;
    app.add_user("mark@example.org", "Mark", Role::Participant, PASSWORD).await;
    let registration =
        [("name", "Nep"), ("email", "nep@example.org"), ("password", PASSWORD), ("privacy_consent", "ja")];
    let response = app.post_form_raw("/registreren", &registration, &[]).await;
    assert_eq!(response.status(), 403);
    assert_eq!(app.int("SELECT count(*) AS v FROM users").await, 1);
    // logging someone in from another site (login CSRF) fails as well
    let token = app.csrf_token("/inloggen").await;
    let response = app
        .post_form_raw(
            "/inloggen",
            &[("email", "mark@example.org"), ("password", PASSWORD), ("csrf_token", &token)],
            &[("origin", "https://evil.example")],
        )
        .await;
    assert_eq!(response.status(), 403);
    assert_eq!(app.int("SELECT count(*) AS v FROM login_sessions").await, 0);
    let response = app.post_form_raw("/wachtwoord-vergeten", &[("email", "mark@example.org")], &[]).await;
    assert_eq!(response.status(), 403);
    assert!(app.outbox().await.is_empty());
}

#[tokio::test]
async fn the_api_with_the_session_cookie_needs_the_csrf_header_and_with_a_bearer_token_none() {
    let app = spawn_app().await;
    app.add_user("olga@example.org", "Olga", Role::Participant, PASSWORD).await;
    app.login("olga@example.org", PASSWORD).await;
    let token = app.csrf_token("/profiel").await;
    let patch = |header: Option<&str>| {
        let mut request = app.client.patch(app.url("/api/v1/me")).json(&json!({"organisation": "Wijkbedrijf"}));
        if let Some(value) = header {
            request = request.header("x-csrf-token", value);
        }
        request.send()
    };

    // reading needs nothing
    assert_eq!(app.client.get(app.url("/api/v1/me")).send().await.unwrap().status(), 200);
    for (what, header) in [("no header", None), ("a wrong header", Some("nep"))] {
        let response = patch(header).await.unwrap();
        assert_eq!(response.status(), 403, "{what}");
        assert_eq!(response.headers()["content-type"], "application/problem+json");
    }
    // nor may the cookie log out without it
    assert_eq!(app.client.post(app.url("/api/v1/auth/logout")).send().await.unwrap().status(), 403);
    assert_eq!(app.text("SELECT organisation AS v FROM users").await, None);
    assert_eq!(app.get("/profiel").await.status(), 200);

    let response = patch(Some(&token)).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().await.unwrap()["organisation"], "Wijkbedrijf");

    // with a bearer token, no CSRF token is needed
    let bearer = app.login_api("olga@example.org", PASSWORD).await;
    let body = json!({"organisation": "Dorpshuis Ten Boer"});
    let response = app.api(Method::PATCH, "/api/v1/me", Some(&body), Some(&bearer)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(app.text("SELECT organisation AS v FROM users").await.as_deref(), Some("Dorpshuis Ten Boer"));
}
