//! Passwords: argon2id with the OWASP parameters, older hashes upgraded at login, changing
//! one's password (asks the current one, ends the other sessions) and the reset link
//! (single use, one hour, stored hashed, ends every session).

use argon2::{Algorithm, Argon2, Params, PasswordHasher, Version};
use reqwest::Method;
use serde_json::json;
use sha2::{Digest, Sha256};
use wijkmakers::auth::Role;

use crate::common::{PASSWORD, field_error, fields, hidden_input, lit, problem, spawn_app, token_in};

const OWASP_PREFIX: &str = "$argon2id$v=19$m=9216,t=4,p=1$";

#[tokio::test]
async fn passwords_are_stored_as_salted_argon2id_with_the_owasp_parameters() {
    let app = spawn_app().await;
    assert_eq!(app.register("reg@example.org", "Geregistreerd").await.status(), 201);
    app.add_user("cli@example.org", "Via de CLI", Role::Coordinator, PASSWORD).await;
    let hashes = app.text("SELECT string_agg(password_hash, ' ' ORDER BY id) AS v FROM users").await.unwrap();
    let hashes: Vec<&str> = hashes.split(' ').collect();
    assert_eq!(hashes.len(), 2);
    for hash in &hashes {
        assert!(hash.starts_with(OWASP_PREFIX), "{hash}");
        assert!(!hash.contains(PASSWORD));
    }
    assert_ne!(hashes[0], hashes[1], "the same password, salted differently");
}

/// A PHC string for `password` made with `algorithm` and cheap parameters.
fn weak_hash(algorithm: Algorithm, password: &str) -> String {
    Argon2::new(algorithm, Version::V0x13, Params::new(8, 1, 1, None).unwrap())
        .hash_password(password.as_bytes())
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn a_hash_with_weaker_parameters_is_replaced_at_login() {
    let app = spawn_app().await;
    for (email, algorithm) in [("oud@example.org", Algorithm::Argon2id), ("argon2i@example.org", Algorithm::Argon2i)] {
        app.add_user(email, "Oud Account", Role::Participant, PASSWORD).await;
        let weak = weak_hash(algorithm, PASSWORD);
        app.execute(&format!("UPDATE users SET password_hash = {} WHERE email = {}", lit(&weak), lit(email))).await;

        // a wrong password leaves the old hash alone
        let response = app.post_json("/api/v1/auth/login", &json!({"email": email, "password": "verkeerd!!"})).await;
        assert_eq!(response.status(), 401);
        let stored = app.text(&format!("SELECT password_hash AS v FROM users WHERE email = {}", lit(email))).await;
        assert_eq!(stored.as_deref(), Some(weak.as_str()));

        let token = app.login_api(email, PASSWORD).await;
        assert_eq!(app.me_status(&token).await, 200);
        let stored = app.text(&format!("SELECT password_hash AS v FROM users WHERE email = {}", lit(email))).await;
        let stored = stored.unwrap();
        assert!(stored.starts_with(OWASP_PREFIX), "{algorithm:?}: rehashed at login: {stored}");
        // and the new hash works
        app.login_api(email, PASSWORD).await;
    }
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_ends_the_other_sessions() {
    let app = spawn_app().await;
    let this = app.participant("Saar").email("saar@example.org").await.token;
    let other = app.login_api("saar@example.org", PASSWORD).await;
    let change = |current: &str, new: &str| json!({"current_password": current, "new_password": new});

    let response =
        app.api(Method::POST, "/api/v1/me/password", Some(&change("niet mijn wachtwoord", "kort")), Some(&this)).await;
    let (status, body) = problem(response).await;
    assert_eq!(status, 422);
    assert_eq!(fields(&body), ["current_password", "new_password"]);
    let response = app
        .api(
            Method::POST,
            "/api/v1/me/password",
            Some(&change("niet mijn wachtwoord", "een nieuwe lange zin")),
            Some(&this),
        )
        .await;
    let (status, body) = problem(response).await;
    assert_eq!(status, 422);
    assert_eq!(fields(&body), ["current_password"]);
    assert_eq!(app.me_status(&other).await, 200, "a refused change ends nothing");
    app.login_api("saar@example.org", PASSWORD).await;

    let response = app
        .api(Method::POST, "/api/v1/me/password", Some(&change(PASSWORD, "een nieuwe lange zin")), Some(&this))
        .await;
    assert_eq!(response.status(), 204);
    assert_eq!(app.me_status(&this).await, 200, "the session that changed it lives on");
    assert_eq!(app.me_status(&other).await, 401, "the other sessions end");
    let response =
        app.post_json("/api/v1/auth/login", &json!({"email": "saar@example.org", "password": PASSWORD})).await;
    assert_eq!(response.status(), 401, "the old password is gone");
    app.login_api("saar@example.org", "een nieuwe lange zin").await;
    let mail = app.nth_mail_to("saar@example.org", 1).await;
    assert_eq!(mail.subject().as_deref(), Some("Je wachtwoord is veranderd"));

    // anonymous: 401
    let response = app.api(Method::POST, "/api/v1/me/password", Some(&change(PASSWORD, "x")), None).await;
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn the_profile_form_changes_the_password_and_shows_errors_next_to_the_fields() {
    let app = spawn_app().await;
    app.add_user("wim@example.org", "Wim", Role::Participant, PASSWORD).await;
    app.login("wim@example.org", PASSWORD).await;
    let response = app
        .post_form("/profiel/wachtwoord", &[("current_password", "verkeerd"), ("new_password", "wachtwoord123")])
        .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(field_error(&page, "current_password").is_some_and(|e| e.contains("Dit wachtwoord klopt niet.")), "{page}");
    assert!(field_error(&page, "new_password").is_some_and(|e| e.contains("te bekend")), "{page}");

    let response = app
        .post_form(
            "/profiel/wachtwoord",
            &[("current_password", PASSWORD), ("new_password", "fietsen langs het Reitdiep")],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(app.get("/profiel").await.status(), 200, "still logged in here");
    app.login_api("wim@example.org", "fietsen langs het Reitdiep").await;
}

#[tokio::test]
async fn a_reset_link_works_once_within_the_hour_is_stored_hashed_and_ends_every_session() {
    let app = spawn_app().await;
    let phone = app.participant("Joke").email("joke@example.org").await.token;
    app.login("joke@example.org", PASSWORD).await;

    let response = app.post_json("/api/v1/auth/password-reset", &json!({"email": "Joke@example.org"})).await;
    assert_eq!(response.status(), 202);
    let link = app.link_in_mail("joke@example.org", 1, "/wachtwoord-herstellen").await;
    assert!(link.starts_with(&format!("{}/wachtwoord-herstellen?token=", app.address)), "{link}");
    let token = token_in(&link);
    let stored = app
        .text("SELECT encode(token_hash, 'hex') AS v FROM user_tokens WHERE purpose = 'password_reset'")
        .await
        .unwrap();
    assert_eq!(stored, hex::encode(Sha256::digest(token.as_bytes())), "only the hash is kept");
    let lifetime = app.int("SELECT extract(epoch FROM expires_at - created_at)::bigint AS v FROM user_tokens").await;
    assert!((3600 - 5..=3600 + 5).contains(&lifetime), "expires after {lifetime} s");

    // the page behind the link asks for the new password and does not use the token yet
    let page = app.page(link.strip_prefix(&app.address).unwrap()).await;
    assert_eq!(hidden_input(&page, "token").as_deref(), Some(token.as_str()));
    assert!(page.contains(r#"autocomplete="new-password""#), "{page}");
    assert_eq!(app.int("SELECT count(*) AS v FROM user_tokens WHERE used_at IS NOT NULL").await, 0);

    // a new password that breaks the rules is refused, and the token stays good
    let confirm = |password: &str| json!({"token": token, "password": password});
    let (status, body) =
        problem(app.post_json("/api/v1/auth/password-reset/confirm", &confirm("joke@example.org")).await).await;
    assert_eq!(status, 422);
    assert_eq!(fields(&body), ["password"]);
    assert_eq!(app.me_status(&phone).await, 200);

    let response = app.post_json("/api/v1/auth/password-reset/confirm", &confirm("een gloednieuwe zin")).await;
    assert_eq!(response.status(), 204);
    assert_eq!(app.me_status(&phone).await, 401, "every session ends");
    assert_eq!(app.get("/profiel").await.status(), 303, "the browser too");
    let response =
        app.post_json("/api/v1/auth/login", &json!({"email": "joke@example.org", "password": PASSWORD})).await;
    assert_eq!(response.status(), 401);
    app.login_api("joke@example.org", "een gloednieuwe zin").await;

    // once only
    let (status, body) =
        problem(app.post_json("/api/v1/auth/password-reset/confirm", &confirm("nog een andere zin")).await).await;
    assert_eq!(status, 422);
    assert_eq!(fields(&body), ["token"]);

    // an hour later a new link no longer works; through the form it says so next to a way out
    app.execute("UPDATE user_tokens SET created_at = now() - interval '3 minutes'").await;
    let response = app.post_form("/wachtwoord-vergeten", &[("email", "joke@example.org")]).await;
    assert_eq!(response.status(), 200);
    let second = app.link_in_mail("joke@example.org", 2, "/wachtwoord-herstellen").await;
    app.execute("UPDATE user_tokens SET expires_at = now() - interval '1 second' WHERE used_at IS NULL").await;
    let path = second.strip_prefix(&app.address).unwrap().to_owned();
    let response = app.post_form(&path, &[("token", &token_in(&second)), ("password", "weer een andere zin")]).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("Deze link is verlopen of al gebruikt."), "{page}");
    assert!(page.contains(r#"href="/wachtwoord-vergeten""#), "{page}");
    app.login_api("joke@example.org", "een gloednieuwe zin").await;
}

#[tokio::test]
async fn the_reset_form_sets_the_password_and_sends_to_the_login_page() {
    let app = spawn_app().await;
    app.add_user("henk@example.org", "Henk", Role::Participant, PASSWORD).await;
    let response = app.post_form("/wachtwoord-vergeten", &[("email", "henk@example.org")]).await;
    assert_eq!(response.status(), 200);
    let link = app.link_in_mail("henk@example.org", 1, "/wachtwoord-herstellen").await;
    let path = link.strip_prefix(&app.address).unwrap().to_owned();
    let response = app.post_form(&path, &[("token", &token_in(&link)), ("password", "kort")]).await;
    assert_eq!(response.status(), 422);
    assert!(field_error(&response.text().await.unwrap(), "password").is_some());
    let response =
        app.post_form(&path, &[("token", &token_in(&link)), ("password", "de zon schijnt op het Zernike")]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/inloggen?melding=password-reset");
    app.login("henk@example.org", "de zon schijnt op het Zernike").await;
}
