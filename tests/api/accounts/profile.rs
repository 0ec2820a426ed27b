//! The account as the API shows it (`GET /api/v1/me`, `PATCH /api/v1/me`), the pages of
//! accounts in both languages, and a header that shows who is logged in with a menu that
//! fits the role.

use reqwest::Method;
use serde_json::{Value, json};
use wijkmakers::auth::Role;
use wijkmakers::choice::Choice;

use crate::common::{PASSWORD, Visitor, fields, problem, spawn_app};

#[tokio::test]
async fn the_user_object_has_every_field_and_patch_changes_only_the_profile() {
    let app = spawn_app().await;
    let gea = app.participant("Gea Huizinga").email("gea@example.org").await;
    let me: Value = app.api(Method::GET, "/api/v1/me", None, Some(&gea.token)).await.json().await.unwrap();
    assert_eq!(me["id"], gea.id);
    assert_eq!(me["email"], "gea@example.org");
    assert_eq!(me["name"], "Gea Huizinga");
    assert_eq!(me["role"], "participant");
    assert_eq!(me["email_verified"], true);
    assert_eq!(me["locale"], "nl");
    for key in ["wijk", "organisation", "participant_kind"] {
        assert!(me.get(key).is_some_and(Value::is_null), "{key}: {me}");
    }
    for secret in ["password_hash", "calendar_token", "token"] {
        assert!(me.get(secret).is_none(), "{secret} shown: {me}");
    }

    let change = json!({
        "name": "  Gea Huizinga-Bos ",
        "wijk": "Ten Boer",
        "organisation": "Dorpsbelangen",
        "participant_kind": "student",
        "locale": "en",
        // not a profile field: ignored
        "role": "admin",
        "email": "ander@example.org",
        "email_verified": false,
    });
    let response = app.api(Method::PATCH, "/api/v1/me", Some(&change), Some(&gea.token)).await;
    assert_eq!(response.status(), 200);
    let me: Value = response.json().await.unwrap();
    assert_eq!(me["name"], "Gea Huizinga-Bos");
    assert_eq!(me["wijk"], "ten-boer");
    assert_eq!(me["organisation"], "Dorpsbelangen");
    assert_eq!(me["participant_kind"], "student");
    assert_eq!(me["locale"], "en");
    assert_eq!((me["role"].clone(), me["email"].clone()), (json!("participant"), json!("gea@example.org")));
    assert_eq!(me["email_verified"], true);
    assert_eq!(app.text("SELECT role::text AS v FROM users").await.as_deref(), Some("participant"));

    // only what is given changes; an empty text clears an optional field
    let response = app.api(Method::PATCH, "/api/v1/me", Some(&json!({"organisation": ""})), Some(&gea.token)).await;
    let me: Value = response.json().await.unwrap();
    assert_eq!((me["organisation"].clone(), me["wijk"].clone()), (Value::Null, json!("ten-boer")));

    let bad = json!({"name": "", "wijk": "Mars", "participant_kind": "toerist", "locale": "fr"});
    let (status, body) = problem(app.api(Method::PATCH, "/api/v1/me", Some(&bad), Some(&gea.token)).await).await;
    assert_eq!(status, 422);
    assert_eq!(fields(&body), ["locale", "name", "participant_kind", "wijk"]);
    let (status, _) = problem(app.api(Method::PATCH, "/api/v1/me", Some(&change), None).await).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn the_account_pages_are_dutch_with_english_versions() {
    let app = spawn_app().await;
    for (path, dutch) in [
        ("/registreren", "Account maken"),
        ("/inloggen", "Inloggen"),
        ("/wachtwoord-vergeten", "Wachtwoord vergeten"),
        ("/privacy", "Privacyverklaring"),
    ] {
        let page = app.page(path).await;
        assert!(page.contains(r#"<html lang="nl">"#), "{path}");
        assert!(page.contains(dutch), "{path}: {dutch}");
        let english = app.get_with(path, &[("accept-language", "en")]).await;
        assert_eq!(english.status(), 200, "{path}");
        let english = english.text().await.unwrap();
        assert!(english.contains(r#"<html lang="en">"#), "{path}");
        assert!(!english.contains(dutch), "{path} in English");
    }
}

#[tokio::test]
async fn the_header_shows_who_is_logged_in_and_a_menu_for_the_role() {
    let app = spawn_app().await;
    let stranger = app.page("/").await;
    assert!(stranger.contains(r#"href="/inloggen""#) && stranger.contains(r#"href="/registreren""#));
    assert!(!stranger.contains(r#"action="/uitloggen""#));

    let menus = [
        (Role::Participant, "/mijn-cursussen", "/mijn-trainingen"),
        (Role::Trainer, "/mijn-trainingen", "/beheer/cursussen"),
        (Role::Coordinator, "/beheer/cursussen", "/beheer/gebruikers"),
        (Role::Admin, "/beheer/gebruikers", ""),
    ];
    for (role, has, lacks) in menus {
        let email = format!("{}@example.org", role.as_str());
        let name = format!("Naam {}", role.as_str());
        app.add_user(&email, &name, role, PASSWORD).await;
        let browser = Visitor::new(&app);
        browser.login(&email, PASSWORD).await;
        let page = browser.get("/").await.text().await.unwrap();
        let header = &page[page.find("<header").unwrap()..page.find("</header>").unwrap()];
        assert!(header.contains(&name), "{}: the header names the person: {header}", role.as_str());
        assert!(header.contains(r#"action="/uitloggen""#), "{}: a logout button", role.as_str());
        assert!(!header.contains(r#"href="/inloggen""#), "{}: no login link", role.as_str());
        assert!(header.contains(&format!(r#"href="{has}""#)), "{}: {has}", role.as_str());
        if !lacks.is_empty() {
            assert!(!header.contains(&format!(r#"href="{lacks}""#)), "{}: not {lacks}", role.as_str());
        }
    }
}

#[tokio::test]
async fn the_openapi_document_describes_every_account_path() {
    let app = spawn_app().await;
    let doc: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    let paths = doc["paths"].as_object().expect("paths");
    for (path, methods) in [
        ("/api/v1/auth/register", &["post"][..]),
        ("/api/v1/auth/verify-email", &["post"]),
        ("/api/v1/auth/login", &["post"]),
        ("/api/v1/auth/logout", &["post"]),
        ("/api/v1/auth/password-reset", &["post"]),
        ("/api/v1/auth/password-reset/confirm", &["post"]),
        ("/api/v1/me", &["get", "patch", "delete"]),
        ("/api/v1/me/data", &["get"]),
        ("/api/v1/users", &["get", "post"]),
        ("/api/v1/users/{id}", &["patch", "delete"]),
    ] {
        for method in methods {
            assert!(paths.get(path).and_then(|p| p.get(*method)).is_some(), "{method} {path} is not documented");
        }
    }
    let user = &doc["components"]["schemas"]["UserView"]["properties"];
    for key in ["id", "email", "name", "role", "email_verified", "wijk", "organisation", "participant_kind", "locale"] {
        assert!(user.get(key).is_some(), "UserView.{key} is not documented: {user}");
    }
}
