//! Privacy (AVG): the privacy statement, "download my data" and "delete my account"
//! (asks the password, anonymises, keeps the counts, gives up upcoming seats), and an
//! admin deleting an account on request.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};
use wijkmakers::auth::Role;

use crate::common::{CourseSpec, PASSWORD, TestApp, Visitor, field_error, fields, lit, problem, spawn_app};

#[tokio::test]
async fn the_privacy_statement_is_a_page_linked_from_every_page() {
    let app = spawn_app().await;
    let page = app.page("/privacy").await;
    assert!(page.contains("<h1>"), "{page}");
    assert!(page.contains(r#"href="/profiel/gegevens""#), "points to the download");
    assert!(page.contains(r#"href="/profiel/verwijderen""#), "points to deleting the account");
    for path in ["/", "/registreren", "/inloggen"] {
        assert!(app.page(path).await.contains(r#"href="/privacy""#), "{path} links the privacy statement");
    }
    let english = app.get_with("/privacy", &[("accept-language", "en")]).await.text().await.unwrap();
    assert!(english.contains(r#"<html lang="en">"#));
    assert_ne!(english, page);
}

async fn data(app: &TestApp, token: &str) -> Value {
    let response = app.api(Method::GET, "/api/v1/me/data", None, Some(token)).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn download_my_data_holds_profile_enrolments_attendance_and_emails() {
    let app = spawn_app().await;
    let coordinator = app.coordinator().named("Coördinator").email("coord@example.org").await;
    let course = coordinator.create_course(&app, CourseSpec::new("Samen energie besparen", 5)).await;
    let yara = app.participant("Yara Dijkstra").email("yara@example.org").await;
    let zef = app.participant("Zef Anders").email("zef@example.org").await;
    let body = json!({"wijk": "Selwerd", "organisation": "Buurtteam Selwerd", "participant_kind": "bewoner"});
    assert_eq!(app.api(Method::PATCH, "/api/v1/me", Some(&body), Some(&yara.token)).await.status(), 200);
    assert_eq!(yara.enrol(&app, &course).await.0, 201);
    assert_eq!(zef.enrol(&app, &course).await.0, 201);
    app.nth_mail_to(&yara, 1).await;

    let mine = data(&app, &yara.token).await;
    assert_eq!(mine["profile"]["email"], "yara@example.org");
    assert_eq!(mine["profile"]["name"], "Yara Dijkstra");
    assert_eq!(mine["profile"]["wijk"], "selwerd");
    assert_eq!(mine["profile"]["organisation"], "Buurtteam Selwerd");
    assert!(mine["privacy_consent_at"].is_string(), "{mine}");
    let enrolments = mine["enrolments"].as_array().expect("enrolments");
    assert_eq!(enrolments.len(), 1, "{mine}");
    assert_eq!(enrolments[0]["course"]["id"], course.id);
    assert_eq!(enrolments[0]["enrolment"]["status"], "enrolled");
    assert!(mine["attendance"].is_array(), "{mine}");
    let emails = mine["emails"].as_array().expect("emails");
    assert_eq!(emails.len(), 1, "the enrolment confirmation: {mine}");
    assert!(emails[0]["subject"].as_str().is_some_and(|s| !s.is_empty()));
    assert!(!mine["sessions"].as_array().unwrap().is_empty());
    // only this person's data
    assert!(!mine.to_string().contains("zef@example.org") && !mine.to_string().contains("Zef Anders"));
    assert!(!mine.to_string().contains("password"), "no password hash: {mine}");

    // the same as a download from the profile page
    app.login("yara@example.org", PASSWORD).await;
    let response = app.get("/profiel/gegevens").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
    assert!(response.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    let download: Value = response.json().await.unwrap();
    assert_eq!(download["profile"], mine["profile"]);
    assert_eq!(download["enrolments"], mine["enrolments"]);
    let subjects =
        |data: &Value| data["emails"].as_array().unwrap().iter().map(|e| e["subject"].clone()).collect::<Vec<_>>();
    assert_eq!(subjects(&download), subjects(&mine));

    // for the logged-in only
    assert_eq!(app.api(Method::GET, "/api/v1/me/data", None, None).await.status(), 401);
    assert_eq!(Visitor::new(&app).get("/profiel/gegevens").await.status(), 303);
}

#[tokio::test]
async fn deleting_my_account_asks_the_password_anonymises_me_and_gives_my_seat_to_the_first_waiting() {
    let app = spawn_app().await;
    let coordinator = app.coordinator().named("Coördinator").email("coord@example.org").await;
    let full = coordinator.create_course(&app, CourseSpec::new("Samen energie besparen", 1)).await;
    let past = coordinator.create_course(&app, CourseSpec::new("Samen energie besparen", 5)).await;
    let xander = app.participant("Xander Kuipers").email("xander@example.org").await;
    let wendy = app.participant("Wendy Wachter").email("wendy@example.org").await;
    let me = xander.id;
    let body = json!({"wijk": "beijum", "organisation": "Speeltuin Beijum"});
    assert_eq!(app.api(Method::PATCH, "/api/v1/me", Some(&body), Some(&xander.token)).await.status(), 200);
    assert_eq!(xander.enrol(&app, &full).await.0, 201);
    assert_eq!(xander.enrol(&app, &past).await.0, 201);
    assert_eq!(wendy.enrol(&app, &full).await.1["status"], "waitlisted");
    // the second course took place already
    app.execute(&format!(
        "UPDATE course_sessions SET starts_at = now() - interval '10 days', ends_at = now() - interval '10 days' + interval '2 hours' WHERE course_id = {}",
        past.id
    ))
    .await;
    let wendy_mails = app.smtp.wait_for("wendy@example.org", 1, Duration::from_secs(10)).await.len();
    let account = "SELECT concat_ws('|', email, name, wijk, organisation, (password_hash IS NULL)::text, \
                   (anonymised_at IS NULL)::text) AS v FROM users";
    let account = format!("{account} WHERE id = {me}");
    let before = app.text(&account).await.unwrap();

    // the wrong password: nothing happens
    let body = json!({"password": "niet mijn wachtwoord"});
    let (status, problem_body) =
        problem(app.api(Method::DELETE, "/api/v1/me", Some(&body), Some(&xander.token)).await).await;
    assert_eq!(status, 422);
    assert_eq!(fields(&problem_body), ["password"]);
    assert_eq!(app.text(&account).await.unwrap(), before);
    assert_eq!(app.me_status(&xander.token).await, 200);
    let statuses =
        format!("SELECT string_agg(status::text, ',' ORDER BY course_id) AS v FROM enrolments WHERE user_id = {me}");
    assert_eq!(app.text(&statuses).await.as_deref(), Some("enrolled,enrolled"));
    // and the form says so next to the field
    app.login("xander@example.org", PASSWORD).await;
    let response = app.post_form("/profiel/verwijderen", &[("password", "fout")]).await;
    assert_eq!(response.status(), 422);
    assert!(field_error(&response.text().await.unwrap(), "password").is_some_and(|e| e.contains("klopt niet")));
    assert_eq!(app.text(&account).await.unwrap(), before);

    let body = json!({ "password": PASSWORD });
    let response = app.api(Method::DELETE, "/api/v1/me", Some(&body), Some(&xander.token)).await;
    assert_eq!(response.status(), 204);

    // anonymised: nothing left that names the person
    let after = app.text(&account).await.unwrap();
    assert_eq!(after, format!("verwijderd-{me}@verwijderd.invalid|Verwijderde gebruiker|true|false"));
    let anywhere = |table: &str, what: &str| {
        format!("SELECT count(*) AS v FROM {table} t WHERE t::text ILIKE {}", lit(&format!("%{what}%")))
    };
    for table in ["users", "outbox", "enrolments", "enrolment_events", "login_sessions"] {
        for what in ["xander@example.org", "Xander", "Speeltuin Beijum"] {
            assert_eq!(app.int(&anywhere(table, what)).await, 0, "{what} is still in {table}");
        }
    }
    // logged out everywhere, for good
    assert_eq!(app.me_status(&xander.token).await, 401);
    assert_eq!(app.get("/profiel").await.status(), 303);
    let response =
        app.post_json("/api/v1/auth/login", &json!({"email": "xander@example.org", "password": PASSWORD})).await;
    assert_eq!(response.status(), 401);
    assert_eq!(
        app.int(&format!("SELECT count(*) AS v FROM login_sessions WHERE user_id = {me} AND revoked_at IS NULL")).await,
        0
    );

    // the counts stay: the past course still counts the (now anonymous) participant, the
    // upcoming seat was given up, and the first on the waiting list got it and heard so
    assert_eq!(app.text(&statuses).await.as_deref(), Some("cancelled,enrolled"));
    let promoted = format!("SELECT status::text AS v FROM enrolments WHERE user_id = {}", wendy.id);
    assert_eq!(app.text(&promoted).await.as_deref(), Some("enrolled"));
    app.smtp.wait_for("wendy@example.org", wendy_mails + 1, Duration::from_secs(10)).await;

    // the address is free again: registering it makes a new account
    assert_eq!(app.register("xander@example.org", "Xander Opnieuw").await.status(), 201);
    // (after the two enrolment confirmations from before)
    let mails = app.smtp.wait_for("xander@example.org", 3, Duration::from_secs(10)).await;
    let subjects: Vec<String> = mails.iter().filter_map(|m| m.subject()).collect();
    assert!(subjects.iter().any(|s| s == "Bevestig je e-mailadres"), "{subjects:?}");
    assert!(!subjects.iter().any(|s| s == "Je hebt al een account"), "{subjects:?}");
}

#[tokio::test]
async fn an_admin_deletes_an_account_on_request() {
    let app = spawn_app().await;
    let ada = app.admin().email("ada@example.org").await;
    let piet = app.participant("Piet Verzoek").email("piet@example.org").await;
    let trainer = app.trainer("Tom Trainer").email("tom@example.org").await;

    let response = app.api(Method::DELETE, &format!("/api/v1/users/{}", piet.id), None, Some(&ada.token)).await;
    assert_eq!(response.status(), 204);
    assert_eq!(app.me_status(&piet.token).await, 401);
    let row = format!("SELECT name || '|' || (anonymised_at IS NOT NULL) AS v FROM users WHERE id = {}", piet.id);
    assert_eq!(app.text(&row).await.as_deref(), Some("Verwijderde gebruiker|true"));
    let list: Value = app.api(Method::GET, "/api/v1/users", None, Some(&ada.token)).await.json().await.unwrap();
    assert_eq!(list["total"], 3 - 1, "the deleted account is not listed: {list}");
    let response = app.api(Method::DELETE, &format!("/api/v1/users/{}", piet.id), None, Some(&ada.token)).await;
    assert_eq!(problem(response).await.0, 404, "once");

    // the last admin cannot delete themselves
    let response = app.api(Method::DELETE, &format!("/api/v1/users/{}", ada.id), None, Some(&ada.token)).await;
    assert_eq!(problem(response).await.0, 409);
    assert_eq!(app.me_status(&ada.token).await, 200);

    // through the admin page
    app.login("ada@example.org", PASSWORD).await;
    let response = app.post_form(&format!("/beheer/gebruikers/{}/verwijderen", trainer.id), &[]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(app.int("SELECT count(*) AS v FROM users WHERE anonymised_at IS NOT NULL").await, 2);
}

#[tokio::test]
async fn the_last_admin_cannot_delete_their_own_account() {
    let app = spawn_app().await;
    let ada = app.admin().email("ada@example.org").await;
    let body = json!({ "password": PASSWORD });
    let (status, problem_body) =
        problem(app.api(Method::DELETE, "/api/v1/me", Some(&body), Some(&ada.token)).await).await;
    assert_eq!(status, 409);
    assert_eq!(problem_body["detail"], "Dit is de laatste beheerder. Maak eerst iemand anders beheerder.");
    assert_eq!(app.me_status(&ada.token).await, 200);
    let row = format!("SELECT role || '|' || (anonymised_at IS NULL)::text AS v FROM users WHERE id = {}", ada.id);
    assert_eq!(app.text(&row).await.as_deref(), Some("admin|true"));

    // with another admin, the account can go
    app.add_user("bea@example.org", "Bea Beheer", Role::Admin, PASSWORD).await;
    let response = app.api(Method::DELETE, "/api/v1/me", Some(&body), Some(&ada.token)).await;
    assert_eq!(response.status(), 204);
    assert_eq!(app.int("SELECT count(*) AS v FROM users WHERE role = 'admin'").await, 1);
}
