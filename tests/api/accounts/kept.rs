//! Issue 20: who is behind a session token is kept in each instance, so a logged-in page
//! costs no query for it. Every way a session ends (or an account changes) is seen at the
//! very next request on the instance that made the change, and within a moment on another
//! instance; a login does not end the catalogue's kept answers, nor a catalogue change the
//! kept sessions.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use wijkmakers::db::Db;

use crate::common::{AppOptions, CourseSpec, PASSWORD, Person, TestApp, Visitor, spawn_app_with};

async fn quiet_app() -> TestApp {
    spawn_app_with(AppOptions { mail_worker: false, ..AppOptions::default() }).await
}

/// `GET path` on the instance at `address` (whose pool is `pool`) with `token` as bearer:
/// the status and the statements it cost.
async fn get(app: &TestApp, pool: &Db, address: &str, path: &str, token: Option<&str>) -> (u16, u64) {
    let before = pool.query_count();
    let mut request = app.api_client.get(format!("{address}{path}"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let status = request.send().await.unwrap().status().as_u16();
    (status, pool.query_count() - before)
}

/// Wait until the instance at `address` keeps the session of `token`: the course list, a
/// kept answer itself, then costs no statement with it.
async fn until_kept(app: &TestApp, pool: &Db, address: &str, token: &str) {
    for _ in 0..200 {
        get(app, pool, address, "/api/v1/courses", Some(token)).await;
        if get(app, pool, address, "/api/v1/courses", Some(token)).await == (200, 0) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the session is never kept at {address}");
}

async fn kept_here(app: &TestApp, person: &Person) {
    until_kept(app, &app.pool, &app.address, &person.token).await;
}

/// This instance hears its own changes once more from PostgreSQL, within a poll or two of
/// its listener: wait for that before counting what a kept answer costs.
async fn settle() {
    tokio::time::sleep(Duration::from_millis(150)).await;
}

async fn role(app: &TestApp, token: &str) -> Value {
    let me: Value = app.api(Method::GET, "/api/v1/me", None, Some(token)).await.json().await.unwrap();
    me["role"].clone()
}

#[tokio::test]
async fn a_kept_session_ends_at_the_next_request_after_logout_ending_it_or_logging_out_everywhere() {
    let app = quiet_app().await;

    // logging out through the API
    let ann = app.participant("Ann Uitlog").await;
    kept_here(&app, &ann).await;
    assert_eq!(app.api(Method::POST, "/api/v1/auth/logout", None, Some(&ann.token)).await.status(), 204);
    assert_eq!(app.me_status(&ann.token).await, 401, "logged out through the API");

    // the logout form of a browser
    let bea = app.participant("Bea Uitlog").await;
    kept_here(&app, &bea).await;
    let browser = Visitor::logged_in(&app, &bea);
    assert_eq!(browser.post_form("/uitloggen", &[]).await.status(), 303);
    assert_eq!(app.me_status(&bea.token).await, 401, "logged out through the form");

    // one session ended from the list on the profile page; the one that ended it lives on
    let cas = app.participant("Cas Profiel").await;
    let laptop = app.login_api(&cas.email, PASSWORD).await;
    until_kept(&app, &app.pool, &app.address, &laptop).await;
    kept_here(&app, &cas).await;
    let laptop_id = app.int(&format!("SELECT max(id) AS v FROM login_sessions WHERE user_id = {}", cas.id)).await;
    let browser = Visitor::logged_in(&app, &cas);
    let response = browser.post_form(&format!("/profiel/sessies/{laptop_id}/beeindigen"), &[]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(app.me_status(&laptop).await, 401, "the ended session");
    assert_eq!(app.me_status(&cas.token).await, 200, "the session that ended it");

    // log out everywhere: both sessions were kept, both end
    let dirk = app.participant("Dirk Overal").await;
    let phone = app.login_api(&dirk.email, PASSWORD).await;
    until_kept(&app, &app.pool, &app.address, &phone).await;
    kept_here(&app, &dirk).await;
    let response = Visitor::logged_in(&app, &dirk).post_form("/profiel/uitloggen-overal", &[]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(app.me_status(&phone).await, 401, "the phone");
    assert_eq!(app.me_status(&dirk.token).await, 401, "the browser");
    assert_eq!(app.me_status(&cas.token).await, 200, "someone else's session lives on");
    app.finish();
}

#[tokio::test]
async fn a_kept_session_ends_at_the_next_request_after_a_password_change_a_reset_or_deleting_the_account() {
    let app = quiet_app().await;

    // a password change ends the other sessions
    let eva = app.participant("Eva Wachtwoord").await;
    let other = app.login_api(&eva.email, PASSWORD).await;
    until_kept(&app, &app.pool, &app.address, &other).await;
    let body = json!({"current_password": PASSWORD, "new_password": "een nieuwe lange zin"});
    assert_eq!(app.api(Method::POST, "/api/v1/me/password", Some(&body), Some(&eva.token)).await.status(), 204);
    assert_eq!(app.me_status(&other).await, 401, "the other session");
    assert_eq!(app.me_status(&eva.token).await, 200, "the session that changed it");

    // a reset ends every session (the link's token made here: the mail worker is off)
    let fien = app.participant("Fien Herstel").await;
    kept_here(&app, &fien).await;
    let token = "een-hersteltoken-van-deze-test-met-genoeg-tekens";
    app.execute(&format!(
        "INSERT INTO user_tokens (user_id, purpose, token_hash, expires_at)
         VALUES ({}, 'password_reset', '\\x{}'::bytea, now() + interval '1 hour')",
        fien.id,
        hex::encode(Sha256::digest(token.as_bytes()))
    ))
    .await;
    let body = json!({"token": token, "password": "een gloednieuwe zin"});
    assert_eq!(app.post_json("/api/v1/auth/password-reset/confirm", &body).await.status(), 204);
    assert_eq!(app.me_status(&fien.token).await, 401, "reset");

    // deleting one's own account
    let gert = app.participant("Gert Weg").await;
    kept_here(&app, &gert).await;
    let body = json!({ "password": PASSWORD });
    assert_eq!(app.api(Method::DELETE, "/api/v1/me", Some(&body), Some(&gert.token)).await.status(), 204);
    assert_eq!(app.me_status(&gert.token).await, 401, "own account deleted");

    // an admin deletes an account
    let ada = app.admin().await;
    let hans = app.participant("Hans Verzoek").await;
    kept_here(&app, &hans).await;
    let response = app.api(Method::DELETE, &format!("/api/v1/users/{}", hans.id), None, Some(&ada.token)).await;
    assert_eq!(response.status(), 204);
    assert_eq!(app.me_status(&hans.token).await, 401, "account deleted by an admin");
    app.finish();
}

#[tokio::test]
async fn a_role_change_holds_at_the_next_request_of_a_kept_session() {
    let app = quiet_app().await;
    let ada = app.admin().await;
    let piet = app.participant("Piet Rol").await;
    kept_here(&app, &piet).await;
    kept_here(&app, &ada).await;
    let patch = |id: i64, role: &str| {
        let (app, admin, body) = (&app, ada.token.clone(), json!({ "role": role }));
        async move { app.api(Method::PATCH, &format!("/api/v1/users/{id}"), Some(&body), Some(&admin)).await }
    };
    assert_eq!(patch(piet.id, "admin").await.status(), 200);
    assert_eq!(role(&app, &piet.token).await, "admin", "promoted at once");
    kept_here(&app, &piet).await;
    assert_eq!(patch(piet.id, "participant").await.status(), 200);
    let users = app.api(Method::GET, "/api/v1/users", None, Some(&piet.token)).await.status();
    assert_eq!(users, 403, "a demoted admin's kept session loses the rights at once");
    app.finish();
}

#[tokio::test]
async fn another_instance_refuses_a_session_ended_here_within_a_moment() {
    let app = quiet_app().await;
    let b = app.start_instance();
    let ida = app.participant("Ida Elders").await;
    let jan = app.participant("Jan Elders").await;
    for person in [&ida, &jan] {
        until_kept(&app, &b.pool, &b.address, &person.token).await;
    }

    // Ida logs out on this instance; B refuses her within one poll of its listener
    assert_eq!(app.api(Method::POST, "/api/v1/auth/logout", None, Some(&ida.token)).await.status(), 204);
    let ended = Instant::now();
    let mut refused = None;
    while ended.elapsed() < Duration::from_secs(2) {
        if b.api(Method::GET, "/api/v1/me", None, Some(&ida.token)).await.status() == 401 {
            refused = Some(ended.elapsed());
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let refused = refused.expect("instance B refuses the ended session within two seconds");
    eprintln!("instance B refused the ended session after {refused:?}");
    assert!(refused < Duration::from_secs(1), "{refused:?}");
    // only the identity's version moved on there: B reads Jan's session again, not the list
    let (status, statements) = get(&app, &b.pool, &b.address, "/api/v1/courses", Some(&jan.token)).await;
    assert_eq!((status, statements), (200, 1), "one statement: Jan's session");
    until_kept(&app, &b.pool, &b.address, &jan.token).await;

    // deleting the account elsewhere ends it on B too
    let body = json!({ "password": PASSWORD });
    assert_eq!(app.api(Method::DELETE, "/api/v1/me", Some(&body), Some(&jan.token)).await.status(), 204);
    let deleted = Instant::now();
    while b.api(Method::GET, "/api/v1/me", None, Some(&jan.token)).await.status() != 401 {
        assert!(deleted.elapsed() < Duration::from_secs(1), "B still knows a deleted account");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    b.stop().await;
    app.finish();
}

#[tokio::test]
async fn logins_do_not_end_the_catalogues_answers_nor_catalogue_changes_the_kept_sessions() {
    let app = quiet_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(&app, CourseSpec::new("Buurtkracht", 3)).await;
    let kim = app.participant("Kim Lezer").await;
    kept_here(&app, &kim).await;
    let anonymous = |path: &'static str| get(&app, &app.pool, &app.address, path, None);

    settle().await;
    anonymous("/api/v1/courses").await;
    assert_eq!(anonymous("/api/v1/courses").await, (200, 0), "kept");

    // logging in, marking a session as used, logging out: the catalogue's answers stay kept
    let token = app.login_api(&kim.email, PASSWORD).await;
    app.execute(&format!(
        "UPDATE login_sessions SET last_seen_at = now() - interval '2 minutes' WHERE user_id = {}",
        kim.id
    ))
    .await;
    assert_eq!(app.me_status(&token).await, 200, "marked as used");
    assert_eq!(app.api(Method::POST, "/api/v1/auth/logout", None, Some(&token)).await.status(), 204);
    assert_eq!(anonymous("/api/v1/courses").await, (200, 0), "still kept after logins and a logout");

    // a change to the catalogue: a logged-in read costs what an anonymous one does (the
    // list), nothing for who is asking
    let rename = |title: &'static str| {
        let sql = format!("UPDATE courses SET title = '{title}' WHERE id = {}", course.id);
        let app = &app;
        async move { app.execute(&sql).await }
    };
    settle().await;
    kept_here(&app, &kim).await;
    rename("Buurtkracht in Selwerd").await;
    let (status, logged_in) = get(&app, &app.pool, &app.address, "/api/v1/courses", Some(&kim.token)).await;
    assert_eq!(status, 200);
    rename("Buurtkracht in Beijum").await;
    let (_, anonymous) = anonymous("/api/v1/courses").await;
    assert_eq!(logged_in, anonymous, "the session stayed kept through a catalogue change");
    app.finish();
}
