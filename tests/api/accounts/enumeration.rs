//! Nobody learns from an answer whether an address has an account: registering, asking for
//! a reset and logging in answer alike; the owner of a known address gets an email instead.

use std::time::Duration;

use serde_json::{Value, json};
use wijkmakers::auth::Role;

use crate::common::{PASSWORD, header, hidden_input, spawn_app};

#[tokio::test]
async fn registering_a_known_address_answers_alike_and_the_owner_gets_an_email() {
    let app = spawn_app().await;
    let first = app.register("anna@example.org", "Anna Jansen").await;
    let (first_status, first_type) = (first.status(), header(&first, "content-type"));
    let first_body: Value = first.json().await.unwrap();
    app.nth_mail_to("anna@example.org", 1).await;

    // someone tries the same address again, with other details and another case
    let second = app
        .post_json(
            "/api/v1/auth/register",
            &json!({"email": "ANNA@example.org", "name": "Iemand Anders", "password": "een ander lang wachtwoord",
                    "privacy_consent": true}),
        )
        .await;
    assert_eq!(second.status(), first_status);
    assert_eq!(header(&second, "content-type"), first_type);
    assert_eq!(second.json::<Value>().await.unwrap(), first_body, "the same body");

    let mail = app.nth_mail_to("anna@example.org", 2).await;
    assert_eq!(mail.subject().as_deref(), Some("Je hebt al een account"));
    assert!(mail.link_to("/inloggen").is_some(), "{}", mail.text());
    assert!(mail.link_to("/e-mail-bevestigen").is_none(), "no new verification link");
    // nothing about the account changed
    assert_eq!(app.int("SELECT count(*) AS v FROM users").await, 1);
    assert_eq!(app.int("SELECT count(*) AS v FROM users WHERE name = 'Anna Jansen'").await, 1);
    app.login_api("anna@example.org", PASSWORD).await;

    // a third try within the hour sends no third email (no mail bombing through the form)
    let third = app.register("anna@example.org", "Nog Iemand").await;
    assert_eq!(third.status(), first_status);

    // through the form: the same page either way
    let form = |name: &'static str| {
        [("name", name), ("email", "bram@example.org"), ("password", PASSWORD), ("privacy_consent", "ja")]
    };
    let new = app.post_form("/registreren", &form("Bram")).await;
    let known = app.post_form("/registreren", &form("Bram Twee")).await;
    assert_eq!((new.status().as_u16(), known.status().as_u16()), (303, 303));
    assert_eq!(new.headers()["location"], known.headers()["location"]);
    let mails = app.smtp.wait_for("bram@example.org", 2, Duration::from_secs(10)).await;
    let mut subjects: Vec<String> = mails.iter().filter_map(|m| m.subject()).collect();
    subjects.sort();
    assert_eq!(subjects, ["Bevestig je e-mailadres", "Je hebt al een account"]);
    assert_eq!(app.smtp.messages_to("anna@example.org").len(), 2);
}

#[tokio::test]
async fn a_reset_request_answers_202_alike_for_known_and_unknown_addresses() {
    let app = spawn_app().await;
    app.add_user("kees@example.org", "Kees", Role::Participant, PASSWORD).await;
    let mut answers = Vec::new();
    // "202 always": also for something that is not an address at all
    for email in ["kees@example.org", "niemand@example.org", "", "geen adres"] {
        let response = app.post_json("/api/v1/auth/password-reset", &json!({ "email": email })).await;
        let status = response.status();
        let content_type = header(&response, "content-type");
        answers.push((status, content_type, response.bytes().await.unwrap()));
    }
    assert_eq!(answers[0].0, 202);
    assert!(answers.iter().all(|a| *a == answers[0]), "{answers:?}");
    assert_eq!(app.nth_mail_to("kees@example.org", 1).await.subject().as_deref(), Some("Kies een nieuw wachtwoord"));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(app.smtp.messages_to("niemand@example.org").is_empty());
    assert_eq!(app.outbox().await.len(), 1);

    // the form shows the same page for both
    let known = app.post_form("/wachtwoord-vergeten", &[("email", "kees@example.org")]).await;
    let unknown = app.post_form("/wachtwoord-vergeten", &[("email", "niemand@example.org")]).await;
    assert_eq!((known.status(), unknown.status()), (reqwest::StatusCode::OK, reqwest::StatusCode::OK));
    let strip = |page: String| page.replace(&hidden_input(&page, "csrf_token").unwrap_or_default(), "");
    assert_eq!(strip(known.text().await.unwrap()), strip(unknown.text().await.unwrap()));
}

#[tokio::test]
async fn a_failed_login_answers_the_same_for_an_unknown_address_and_a_wrong_password() {
    let app = spawn_app().await;
    app.add_user("lotte@example.org", "Lotte", Role::Participant, PASSWORD).await;
    let wrong =
        app.post_json("/api/v1/auth/login", &json!({"email": "lotte@example.org", "password": "niet het goede"})).await;
    let unknown = app
        .post_json("/api/v1/auth/login", &json!({"email": "onbekend@example.org", "password": "niet het goede"}))
        .await;
    for response in [&wrong, &unknown] {
        assert_eq!(response.status(), 401);
        assert_eq!(header(response, "content-type"), "application/problem+json");
        assert_eq!(header(response, "www-authenticate"), "Bearer");
    }
    let wrong: Value = wrong.json().await.unwrap();
    let unknown: Value = unknown.json().await.unwrap();
    assert_eq!(wrong, unknown);
    assert_eq!(wrong["type"], "/problemen/unauthorized");

    // a too long password is just as wrong, not a different error
    let response =
        app.post_json("/api/v1/auth/login", &json!({"email": "lotte@example.org", "password": "x".repeat(5000)})).await;
    assert_eq!(response.status(), 401);
    assert_eq!(response.json::<Value>().await.unwrap(), unknown);

    // the form says the same for both, and keeps the address typed
    let wrong = app.post_form("/inloggen", &[("email", "lotte@example.org"), ("password", "niet het goede")]).await;
    let unknown =
        app.post_form("/inloggen", &[("email", "onbekend@example.org"), ("password", "niet het goede")]).await;
    assert_eq!((wrong.status().as_u16(), unknown.status().as_u16()), (401, 401));
    let wrong = wrong.text().await.unwrap();
    let unknown = unknown.text().await.unwrap();
    assert!(wrong.contains("Het e-mailadres of het wachtwoord klopt niet."), "{wrong}");
    assert!(wrong.contains(r#"value="lotte@example.org""#));
    assert_eq!(wrong.replace("lotte@example.org", "X"), unknown.replace("onbekend@example.org", "X"));
    assert!(!wrong.contains("niet het goede"), "the password is not sent back");
}
