//! Registering: one form or one API call, a verification email with a single-use link that
//! expires after 48 hours and is used only by a POST, validation that names every field,
//! and text that stays text.

use reqwest::Method;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use wijkmakers::auth::Role;

use crate::common::{
    CourseSpec, PASSWORD, Visitor, code, field_error, fields, hidden_input, input_tag, lit, location, problem,
    set_cookies, spawn_app, token_in, visible_text,
};

#[tokio::test]
async fn registering_through_the_api_mails_a_link_that_only_a_post_uses() {
    let app = spawn_app().await;
    let response = app
        .post_json(
            "/api/v1/auth/register",
            &json!({
                "email": "  Ayse.Yilmaz@Example.org ",
                "name": "Ayşe Yılmaz",
                "password": PASSWORD,
                "privacy_consent": true,
                "wijk": "oosterpoort",
                "organisation": "Buurtvereniging Oosterpoort",
                "participant_kind": "vrijwilliger",
            }),
        )
        .await;
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["email"], "ayse.yilmaz@example.org", "{body}");

    // stored as a participant, not yet verified, with what was given
    let row = app
        .text(
            "SELECT concat_ws('|', email, name, role, wijk, organisation, participant_kind, \
         (email_verified_at IS NULL)::text, (privacy_consent_at IS NOT NULL)::text) AS v FROM users",
        )
        .await
        .unwrap();
    assert_eq!(
        row,
        "ayse.yilmaz@example.org|Ayşe Yılmaz|participant|oosterpoort|Buurtvereniging Oosterpoort|vrijwilliger|true|true"
    );

    let mail = app.nth_mail_to("ayse.yilmaz@example.org", 1).await;
    assert_eq!(mail.subject().as_deref(), Some("Bevestig je e-mailadres"));
    let link = mail.link_to("/e-mail-bevestigen").expect("a verification link");
    assert!(link.starts_with(&format!("{}/e-mail-bevestigen?token=", app.address)), "{link}");
    let token = token_in(&link);
    assert_eq!(token.len(), 43, "256 random bits: {token}");

    // only a hash of the token is kept, and it expires 48 hours after it was made
    let stored = app
        .text("SELECT encode(token_hash, 'hex') AS v FROM user_tokens WHERE purpose = 'verify_email'")
        .await
        .unwrap();
    assert_eq!(stored, hex::encode(Sha256::digest(token.as_bytes())));
    let lifetime = app.int("SELECT extract(epoch FROM expires_at - created_at)::bigint AS v FROM user_tokens").await;
    assert!((48 * 3600 - 5..=48 * 3600 + 5).contains(&lifetime), "expires after {lifetime} s");
    let raw = format!("SELECT count(*) AS v FROM user_tokens t WHERE t::text LIKE {}", lit(&format!("%{token}%")));
    assert_eq!(app.int(&raw).await, 0, "the raw token is not stored");

    // opening the link (as a mail scanner does) shows a button and changes nothing
    let path = link.strip_prefix(&app.address).unwrap();
    let page = app.page(path).await;
    assert!(page.contains(r#"<form method="post" action="/e-mail-bevestigen">"#), "{page}");
    assert!(page.contains("Bevestig mijn e-mailadres</button>"), "{page}");
    assert_eq!(hidden_input(&page, "token").as_deref(), Some(token.as_str()));
    assert_eq!(app.int("SELECT count(*) AS v FROM users WHERE email_verified_at IS NOT NULL").await, 0);
    assert_eq!(app.int("SELECT count(*) AS v FROM user_tokens WHERE used_at IS NOT NULL").await, 0);

    // the POST verifies
    let response = app.post_json("/api/v1/auth/verify-email", &json!({ "token": token })).await;
    assert_eq!(response.status(), 204);
    assert_eq!(app.int("SELECT count(*) AS v FROM users WHERE email_verified_at IS NOT NULL").await, 1);

    // once
    let (status, body) = problem(app.post_json("/api/v1/auth/verify-email", &json!({ "token": token })).await).await;
    assert_eq!(status, 422);
    assert_eq!(fields(&body), ["token"]);
}

#[tokio::test]
async fn the_registration_form_and_the_button_behind_the_link_verify_once() {
    let app = spawn_app().await;
    let response = app
        .post_form(
            "/registreren",
            &[
                ("name", "Jan de Vries"),
                ("email", "jan@example.org"),
                ("password", PASSWORD),
                ("wijk", "de-hoogte"),
                ("organisation", ""),
                ("participant_kind", "bewoner"),
                ("privacy_consent", "ja"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/registreren/verstuurd");
    assert!(app.page("/registreren/verstuurd").await.contains("Kijk in je e-mail"));

    let link = app.link_in_mail("jan@example.org", 1, "/e-mail-bevestigen").await;
    let path = link.strip_prefix(&app.address).unwrap();
    let token = token_in(&link);
    // the page behind the link posts its form; this is the browser that registered, so it
    // is logged in and goes on
    let response = app.post_form(path, &[("token", &token)]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/mijn-cursussen?melding=email-verified");
    assert!(set_cookies(&response).iter().any(|c| c.starts_with("wm_session=")));
    assert!(
        visible_text(&app.page("/mijn-cursussen?melding=email-verified").await)
            .contains("Je e-mailadres is bevestigd.")
    );
    assert_eq!(app.text("SELECT (email_verified_at IS NOT NULL)::text AS v FROM users").await.unwrap(), "true");

    let response = app.post_form(path, &[("token", &token)]).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("<h1>Deze link werkt niet meer</h1>"));

    // a made-up token is refused the same way
    let response = app.post_form("/e-mail-bevestigen", &[("token", "verzonnen")]).await;
    assert_eq!(response.status(), 422);
}

#[tokio::test]
async fn an_expired_verification_link_is_refused() {
    let app = spawn_app().await;
    let link = app.register_for_link("piet@example.org", "Piet Bakker").await;
    app.execute("UPDATE user_tokens SET expires_at = now() - interval '1 second'").await;

    let (status, body) =
        problem(app.post_json("/api/v1/auth/verify-email", &json!({ "token": token_in(&link) })).await).await;
    assert_eq!(status, 422);
    assert_eq!(fields(&body), ["token"]);
    assert_eq!(app.int("SELECT count(*) AS v FROM users WHERE email_verified_at IS NULL").await, 1);

    // positive control: the same token a second before it expires still works
    app.execute("UPDATE user_tokens SET expires_at = now() + interval '1 minute'").await;
    let response = app.post_json("/api/v1/auth/verify-email", &json!({ "token": token_in(&link) })).await;
    assert_eq!(response.status(), 204);
}

#[tokio::test]
async fn an_unverified_user_logs_in_but_cannot_enrol_until_the_new_link_is_used() {
    let app = spawn_app().await;
    let coordinator = app.coordinator().named("Cora Ordinator").email("coord@example.org").await;
    let course = coordinator.create_course(&app, CourseSpec::new("Samen energie besparen", 10)).await;
    let first_link = app.register_for_link("new@example.org", "Nieuwe Deelnemer").await;

    let response =
        app.post_json("/api/v1/auth/login", &json!({"email": "new@example.org", "password": PASSWORD})).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["email_verified"], false, "{body}");
    let token = body["token"].as_str().unwrap().to_owned();
    assert_eq!(app.me_status(&token).await, 200);

    let (status, problem_body) =
        problem(app.api(Method::POST, &course.enrolment_path(), None, Some(&token)).await).await;
    assert_eq!(status, 403);
    assert_eq!(problem_body["detail"], "Bevestig eerst je e-mailadres. Daarna kun je je inschrijven.");
    assert_eq!(app.int("SELECT count(*) AS v FROM enrolments").await, 0);

    // a new link right away is not sent (against mail bombing); a few minutes later it is
    let resend = |token: String| {
        let app = &app;
        async move { app.api(Method::POST, "/api/v1/auth/resend-verification", None, Some(&token)).await }
    };
    assert_eq!(resend(token.clone()).await.status(), 202);
    app.execute("UPDATE user_tokens SET created_at = now() - interval '3 minutes'").await;
    assert_eq!(resend(token.clone()).await.status(), 202);
    let second_link = app.link_in_mail("new@example.org", 2, "/e-mail-bevestigen").await;
    assert_ne!(token_in(&first_link), token_in(&second_link));
    assert_eq!(app.smtp.messages_to("new@example.org").len(), 2, "exactly one new link");

    let response = app.post_json("/api/v1/auth/verify-email", &json!({ "token": token_in(&second_link) })).await;
    assert_eq!(response.status(), 204);
    // the same session now may enrol
    let response = app.api(Method::POST, &course.enrolment_path(), None, Some(&token)).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());

    // a verified user asking again gets nothing new
    app.execute("UPDATE user_tokens SET created_at = now() - interval '3 minutes'").await;
    assert_eq!(resend(token.clone()).await.status(), 202);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let verification_mails = app
        .smtp
        .messages_to("new@example.org")
        .iter()
        .filter(|m| m.subject().as_deref() == Some("Bevestig je e-mailadres"))
        .count();
    assert_eq!(verification_mails, 2);
    // anonymous: 401
    let response = app.api(Method::POST, "/api/v1/auth/resend-verification", None, None).await;
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn the_profile_page_offers_a_new_link_to_an_unverified_user() {
    let app = spawn_app().await;
    app.register_for_link("mirjam@example.org", "Mirjam Smit").await;
    app.login("mirjam@example.org", PASSWORD).await;
    let page = app.page("/profiel").await;
    assert!(page.contains(r#"<form method="post" action="/e-mail-opnieuw">"#), "{page}");
    app.execute("UPDATE user_tokens SET created_at = now() - interval '3 minutes'").await;
    let response = app.post_form("/e-mail-opnieuw", &[]).await;
    assert_eq!(response.status(), 303);
    let link = app.link_in_mail("mirjam@example.org", 2, "/e-mail-bevestigen").await;
    let path = link.strip_prefix(&app.address).unwrap().to_owned();
    // verified in the browser that is logged in as her: on to her courses
    let response = app.post_form(&path, &[("token", &token_in(&link))]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/mijn-cursussen?melding=email-verified");
    assert!(!app.page("/profiel").await.contains(r#"action="/e-mail-opnieuw""#), "verified: no offer any more");
}

#[tokio::test]
async fn registration_names_every_offending_field_at_once() {
    let app = spawn_app().await;
    let response = app
        .post_json(
            "/api/v1/auth/register",
            &json!({
                "email": "geen-adres",
                "name": "   ",
                "password": "kort",
                "privacy_consent": false,
                "wijk": "Atlantis",
                "participant_kind": "toerist",
            }),
        )
        .await;
    let (status, body) = problem(response).await;
    assert_eq!(status, 422);
    assert_eq!(body["type"], "/problemen/validation");
    assert_eq!(fields(&body), ["email", "name", "participant_kind", "password", "privacy_consent", "wijk"]);

    // consent must be given, not merely left out; an absent name or email is an error too
    let (status, body) = problem(app.post_json("/api/v1/auth/register", &json!({"password": PASSWORD})).await).await;
    assert_eq!(status, 422);
    assert_eq!(fields(&body), ["email", "name", "privacy_consent"]);
    assert_eq!(app.int("SELECT count(*) AS v FROM users").await, 0);
    assert_eq!(app.outbox().await.len(), 0, "no email for a refused registration");
}

#[tokio::test]
async fn short_common_too_long_and_email_passwords_are_refused() {
    let app = spawn_app().await;
    let long_ascii = "a".repeat(1025);
    // 513 characters, but 1026 bytes: the limit is in bytes
    let long_multibyte = "é".repeat(513);
    let cases = [
        ("negen tkn", "password-too-short"),
        ("wachtwoord123", "password-common"),
        ("WACHTWOORD123", "password-common"),
        ("Sanne@Example.org", "password-is-email"),
        (long_ascii.as_str(), "password-too-long"),
        (long_multibyte.as_str(), "password-too-long"),
    ];
    for (password, expected) in cases {
        let response = app
            .post_json(
                "/api/v1/auth/register",
                &json!({"email": "sanne@example.org", "name": "Sanne", "password": password, "privacy_consent": true}),
            )
            .await;
        let (status, body) = problem(response).await;
        assert_eq!(status, 422, "{password:.20}");
        assert_eq!(fields(&body), ["password"], "{password:.20}");
        assert_eq!(code(&body, "password"), expected, "{password:.20}");
    }
    assert_eq!(app.int("SELECT count(*) AS v FROM users").await, 0);

    // exactly ten characters, and exactly 1024 bytes, are fine
    for (email, password) in [("tien@example.org", "tien tekens".to_owned()), ("lang@example.org", "ö".repeat(512))] {
        let response = app
            .post_json(
                "/api/v1/auth/register",
                &json!({"email": email, "name": "Lange Zin", "password": password, "privacy_consent": true}),
            )
            .await;
        assert_eq!(response.status(), 201, "{email}: {}", response.text().await.unwrap());
    }
}

#[tokio::test]
async fn a_wijk_is_named_by_slug_or_display_name_and_stored_as_slug() {
    let app = spawn_app().await;
    for (email, given) in [
        ("a@example.org", "de-hoogte"),
        ("b@example.org", "De Hoogte"),
        ("c@example.org", "  ten boer "),
        ("d@example.org", "ANDERS"),
    ] {
        let response = app
            .post_json(
                "/api/v1/auth/register",
                &json!({"email": email, "name": "Bewoner", "password": PASSWORD, "privacy_consent": true,
                        "wijk": given, "organisation": null, "participant_kind": null}),
            )
            .await;
        assert_eq!(response.status(), 201, "{given}: {}", response.text().await.unwrap());
    }
    let stored = app.text("SELECT string_agg(wijk, ',' ORDER BY email) AS v FROM users").await.unwrap();
    assert_eq!(stored, "de-hoogte,de-hoogte,ten-boer,anders");
}

#[tokio::test]
async fn names_with_accents_and_emoji_survive_everywhere() {
    let app = spawn_app().await;
    let name = "Siebe Ødegård-Çelik 🌻";
    let link = app.register_for_link("siebe@example.org", name).await;
    assert_eq!(app.text("SELECT name AS v FROM users").await.as_deref(), Some(name));
    let mail = app.nth_mail_to("siebe@example.org", 1).await;
    assert_eq!(mail.to()[0].0.as_deref(), Some(name), "the To header carries the name");
    assert!(mail.text().contains(name), "the greeting names the person: {}", mail.text());
    assert!(link.contains("token="));

    let token = app.login_api("siebe@example.org", PASSWORD).await;
    let me: Value = app.api(Method::GET, "/api/v1/me", None, Some(&token)).await.json().await.unwrap();
    assert_eq!(me["name"], name);
    app.login("siebe@example.org", PASSWORD).await;
    let page = app.page("/profiel").await;
    assert!(page.contains(name), "the header and form show the name");
}

#[tokio::test]
async fn html_and_sql_in_fields_are_kept_as_text_and_shown_escaped() {
    let app = spawn_app().await;
    let name = r#"<script>alert("x")</script> O'Neil"#;
    let organisation = "Robert'); DROP TABLE users;--";
    let response = app
        .post_json(
            "/api/v1/auth/register",
            &json!({"email": "bobby@example.org", "name": name, "password": PASSWORD, "privacy_consent": true,
                    "organisation": organisation}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let stored = app.text("SELECT name || '|' || organisation AS v FROM users").await.unwrap();
    assert_eq!(stored, format!("{name}|{organisation}"));
    assert_eq!(app.int(&format!("SELECT count(*) AS v FROM users WHERE name = {}", lit(name))).await, 1);

    let mail = app.nth_mail_to("bobby@example.org", 1).await;
    assert!(!mail.html().contains("<script>"), "the email's HTML escapes the name: {}", mail.html());

    app.login("bobby@example.org", PASSWORD).await;
    let page = app.page("/profiel").await;
    assert!(!page.contains("<script>alert"), "the page runs no injected script");
    assert!(page.contains("&lt;script&gt;") || page.contains("&#60;script&#62;"), "shown escaped: {page}");

    // the admin's list shows it escaped too
    app.add_user("admin@example.org", "Beheerder", Role::Admin, PASSWORD).await;
    let admin = Visitor::new(&app);
    admin.login("admin@example.org", PASSWORD).await;
    let page = admin.get("/beheer/gebruikers").await.text().await.unwrap();
    assert!(page.contains("bobby@example.org"), "{page}");
    assert!(!page.contains("<script>alert"), "the list runs no injected script");
}

#[tokio::test]
async fn the_form_keeps_what_was_typed_and_shows_each_error_next_to_its_field() {
    let app = spawn_app().await;
    let response = app
        .post_form(
            "/registreren",
            &[
                ("name", "Fatima El Amrani"),
                ("email", "fatima@"),
                ("password", "wachtwoord123"),
                ("wijk", "beijum"),
                ("organisation", "Wijkraad Beijum"),
                ("participant_kind", "professional"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    // kept (never the password)
    assert!(page.contains(r#"value="Fatima El Amrani""#), "{page}");
    assert!(page.contains(r#"value="fatima@""#), "{page}");
    assert!(page.contains(r#"value="Wijkraad Beijum""#), "{page}");
    assert!(page.contains(r#"<option value="beijum" selected>"#), "{page}");
    assert!(page.contains(r#"<option value="professional" selected>"#), "{page}");
    assert!(!page.contains("wachtwoord123"), "the password is not sent back");
    // each message next to its field, tied to it for screen readers
    for (field, message) in [
        ("email", "Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."),
        ("password", "Dit wachtwoord is te bekend en dus makkelijk te raden. Kies een ander."),
        ("privacy_consent", "Je moet akkoord gaan met de privacyverklaring."),
    ] {
        assert!(field_error(&page, field).is_some_and(|e| e.contains(message)), "{field}: {page}");
        let input = input_tag(&page, field);
        assert!(input.contains(r#"aria-invalid="true""#), "{input}");
        assert!(input.contains(&format!("{field}-error")), "the message describes the field: {input}");
    }
    assert!(field_error(&page, "name").is_none(), "no error for a good name");
    assert_eq!(app.int("SELECT count(*) AS v FROM users").await, 0);

    // in English for an English reader
    let token = app.csrf_token("/registreren").await;
    let response = app
        .client
        .post(app.url("/registreren"))
        .header("accept-language", "en")
        .header("origin", &app.address)
        .form(&[("name", ""), ("email", "x@example.org"), ("password", PASSWORD), ("csrf_token", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains(r#"<html lang="en">"#));
    assert!(page.contains(r#"id="name-error">"#), "{page}");
}
