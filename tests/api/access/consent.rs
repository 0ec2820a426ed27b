//! Asked at the right moment, stored only with consent, changed and removed at will.

use reqwest::Method;
use serde_json::json;

use super::{interpreter, own_path, stored, tell};
use crate::common::{Answer, CourseSpec, Visitor, assert_invalid, field_error, location, spawn_app};

#[tokio::test]
async fn nothing_is_stored_without_consent_and_every_wrong_field_is_named() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(app, CourseSpec::new("Buurtbudget verdelen", 12)).await;
    let ann = app.participant("Ann").await;
    ann.enrols_in(app, &course).await;
    let put = |body: serde_json::Value| {
        let (ann, path) = (&ann, own_path(&course));
        async move { ann.call(app, Method::PUT, &path, Some(&body)).await }
    };

    let answer = put(json!({"needs": ["rolstoel"]})).await;
    assert_eq!(assert_invalid(&answer, "consent"), "access-consent");
    let answer = put(json!({"needs": ["rolstoel"], "consent": false})).await;
    assert_invalid(&answer, "consent");
    let answer = put(json!({"needs": ["vliegend-tapijt"], "consent": true})).await;
    assert_eq!(assert_invalid(&answer, "needs"), "choice");
    let answer = put(json!({"needs": ["tolk"], "consent": true})).await;
    assert_invalid(&answer, "language");
    let answer = put(json!({"needs": [], "consent": true})).await;
    assert_invalid(&answer, "needs");
    let answer = put(json!({"needs": ["anders"], "note": "x".repeat(501), "consent": true})).await;
    assert_eq!(assert_invalid(&answer, "note"), "too-long");
    assert_eq!(stored(app, &course).await, 0, "nothing is stored without valid input and consent");
    assert_eq!(ann.get(app, &own_path(&course)).await.0, 404);

    let mine = tell(app, &ann, &course, &interpreter("Nederlandse Gebarentaal", "Een stoel met armleuningen")).await;
    assert_eq!(mine["needs"], json!(["tolk", "anders"]));
    assert_eq!(mine["language"], "Nederlandse Gebarentaal");
    assert_eq!(mine["wording_version"], 1);
    assert!(mine["consent_at"].as_str().is_some_and(|t| t.contains('T')), "{mine}");
    let (status, _) =
        ann.call(app, Method::PUT, &own_path(&course), Some(&json!({"needs": ["rolstoel"], "consent": true}))).await;
    assert_eq!(status, 200, "a change answers 200");
    let mine = ann.get(app, &own_path(&course)).await.expect_status(200);
    assert_eq!(mine["needs"], json!(["rolstoel"]));
    assert_eq!(mine["language"], serde_json::Value::Null, "a change replaces what was there");

    assert_eq!(ann.delete(app, &own_path(&course)).await.0, 204);
    assert_eq!(ann.get(app, &own_path(&course)).await.0, 404);
    assert_eq!(stored(app, &course).await, 0);
}

#[tokio::test]
async fn only_someone_with_a_place_in_the_course_can_tell_it() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(app, CourseSpec::new("Energiecafé", 12)).await;
    let bob = app.participant("Bob").await;
    let answer =
        bob.call(app, Method::PUT, &own_path(&course), Some(&json!({"needs": ["rolstoel"], "consent": true}))).await;
    assert_eq!(answer.0, 403, "{}", answer.1);
    let unknown = format!("/api/v1/courses/{}/enrolment/access-needs", course.id + 1000);
    let answer = bob.call(app, Method::PUT, &unknown, Some(&json!({"needs": ["rolstoel"], "consent": true}))).await;
    assert_eq!(answer.0, 404);
    assert_eq!(stored(app, &course).await, 0);
}

#[tokio::test]
async fn the_optional_step_is_linked_from_mijn_cursussen_and_asks_consent_on_the_form() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(app, CourseSpec::new("Wijkvernieuwing samen", 12)).await;
    let ann = app.participant("Ann").await;
    ann.enrols_in(app, &course).await;
    let visitor = Visitor::logged_in(app, &ann);
    let form = format!("/cursussen/{}/toegankelijkheid", course.slug);

    let mine = visitor.page("/mijn-cursussen").await;
    assert!(mine.contains(&format!(r#"href="{form}""#)), "Mijn cursussen links to the step: {mine}");
    let page = visitor.page(&form).await;
    assert!(page.contains("Heb je iets nodig om mee te kunnen doen?"), "{page}");
    assert!(page.contains("Alleen de trainers van deze cursus en de coördinatoren zien dit"), "{page}");
    for word in ["rolstoel", "tolk", "kinderopvang", "lezen_schrijven", "prikkelarm", "anders"] {
        assert!(page.contains(&format!(r#"id="need-{word}-why""#)), "each need says who sees it: {word}");
    }

    // without the consent box: a form error on it, nothing stored
    let response = visitor.submit(&form, &form, &[("needs", "rolstoel"), ("needs", "prikkelarm")]).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(field_error(&page, "consent").is_some_and(|e| e.contains("toestemming")), "{page}");
    assert!(page.contains(r##"href="#consent""##), "the summary links to the box: {page}");
    assert!(page.contains(r#"value="prikkelarm" checked"#), "the choices stay ticked: {page}");
    assert_eq!(stored(app, &course).await, 0);

    let response =
        visitor.submit(&form, &form, &[("needs", "rolstoel"), ("needs", "prikkelarm"), ("consent", "ja")]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), format!("{form}?melding=access-saved"));
    let page = visitor.page(&location(&response)).await;
    assert!(page.contains("Opgeslagen."), "{page}");
    assert!(page.contains("tekst versie 1"), "the wording's version is shown: {page}");
    assert_eq!(stored(app, &course).await, 1);

    let response = visitor.submit(&form, &format!("{form}/verwijderen"), &[]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(stored(app, &course).await, 0, "removing is always possible");

    // someone without a place in the course gets no form
    let bob = app.participant("Bob").await;
    assert_eq!(Visitor::logged_in(app, &bob).get(&form).await.status(), 403);
}

#[tokio::test]
async fn the_coordinators_inbox_hears_of_a_new_need_but_never_which() {
    let app = &crate::common::spawn_app_with(crate::common::AppOptions {
        tune: |config| config.coordinator_inbox = Some("Coördinatoren <team@example.org>".parse().unwrap()),
        ..Default::default()
    })
    .await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(app, CourseSpec::new("Groen in de Oosterpoort", 12)).await;
    let ann = app.participant("Annelies Merkteken").await;
    ann.enrols_in(app, &course).await;
    tell(app, &ann, &course, &interpreter("Koerdisch", "Een plek dicht bij de deur")).await;
    tell(app, &ann, &course, &json!({"needs": ["rolstoel"], "consent": true})).await;

    let mail = app.mail_to("team@example.org", "Toegankelijkheid: Groen in de Oosterpoort").await;
    let (text, html) = (mail.text(), mail.html());
    assert!(text.contains("zie platform"), "{text}");
    assert!(text.contains(&format!("/beheer/cursussen/{}/toegankelijkheid", course.id)), "{text}");
    for secret in ["Koerdisch", "Een plek dicht bij de deur", "olk", "olstoel", "Merkteken"] {
        assert!(!text.contains(secret) && !html.contains(secret), "the email shows {secret}: {text}");
    }
    assert_eq!(app.count_mail("team@example.org", "Toegankelijkheid").await, 1, "a change is not told again");
}
