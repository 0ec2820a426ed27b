//! Search finds what people type (issue 15): the theme's name, the first part of a Dutch
//! compound, words without their accents, and the audience, trainers and places of a
//! course; it stays an index search; and a search without hits says what to try next.

use serde_json::{Value, json};
use wijkmakers::catalogue::model::CourseStatus;
use wijkmakers::catalogue::service::{CourseFilter, explain_list};

use crate::common::{Seed, TestApp, ahead, card_titles, course_body, id, spawn_app, titles, with};

async fn found(app: &TestApp, q: &str) -> Vec<String> {
    let path = format!("/api/v1/courses?q={}", urlencoding(q));
    let (status, body) = app.get_json(&path).await;
    assert_eq!(status, 200, "GET {path}: {body}");
    let mut titles = titles(&body);
    titles.sort();
    titles
}

fn urlencoding(q: &str) -> String {
    url::form_urlencoded::byte_serialize(q.as_bytes()).collect()
}

/// A published course of `theme` with one session next year, answered as the API gave it.
async fn course(app: &TestApp, coordinator: &crate::common::Person, title: &str, theme: &str, extra: Value) -> Value {
    let body = with(with(course_body(title), json!({ "theme": theme })), extra);
    coordinator.published_course(app, body, &ahead("2027-03-10"), "selwerd").await
}

#[tokio::test]
async fn the_theme_name_finds_every_course_of_the_theme() {
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    for title in ["Zonnepanelen op je dak", "Warmte in de winter", "Samen isoleren"] {
        course(&app, &coordinator, title, "energietransitie", json!({})).await;
    }
    course(&app, &coordinator, "Praten met de gemeente", "democratisering", json!({})).await;

    assert_eq!(
        found(&app, "energietransitie").await,
        ["Samen isoleren", "Warmte in de winter", "Zonnepanelen op je dak"]
    );
    assert_eq!(found(&app, "Energietransitie").await.len(), 3, "whatever the case");
    assert_eq!(found(&app, "democratisering").await, ["Praten met de gemeente"]);
    // a theme renamed is found by its new name
    app.execute("UPDATE themes SET name_nl = 'Inspraak' WHERE slug = 'democratisering'").await;
    assert_eq!(found(&app, "inspraak").await, ["Praten met de gemeente"]);
}

#[tokio::test]
async fn the_first_part_of_a_compound_and_words_without_accents_are_found() {
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    course(&app, &coordinator, "Een energiecoöperatie opzetten", "democratisering", json!({})).await;
    course(&app, &coordinator, "Word energiecoach", "wijkvernieuwing", json!({})).await;
    course(&app, &coordinator, "Een coöperatie voor de buurt", "wijkvernieuwing", json!({})).await;
    course(&app, &coordinator, "Het repair café", "wijkvernieuwing", json!({})).await;
    course(&app, &coordinator, "Groen in de straat", "wijkvernieuwing", json!({"summary": "Geveltuinen en bomen."}))
        .await;

    assert_eq!(found(&app, "energie").await, ["Een energiecoöperatie opzetten", "Word energiecoach"]);
    assert_eq!(found(&app, "energieco").await, ["Een energiecoöperatie opzetten", "Word energiecoach"]);
    assert_eq!(found(&app, "energiecoop").await, ["Een energiecoöperatie opzetten"], "no accent typed");
    assert_eq!(found(&app, "cooperatie").await, ["Een coöperatie voor de buurt"]);
    assert_eq!(found(&app, "coöperatie").await, ["Een coöperatie voor de buurt"]);
    assert_eq!(found(&app, "cafe").await, ["Het repair café"]);
    assert_eq!(found(&app, "CAFÉ").await, ["Het repair café"]);
    assert_eq!(found(&app, "repair cafe").await, ["Het repair café"], "every word must match");
    assert_eq!(found(&app, "gevel").await, ["Groen in de straat"], "a prefix of a word in the summary");
    assert!(found(&app, "energie gevel").await.is_empty(), "both words, not either");
    // the page finds the same
    let body = app.page("/cursussen?q=cafe").await;
    assert_eq!(card_titles(&body), ["Het repair café"]);
}

#[tokio::test]
async fn audience_trainers_and_places_are_searched_too() {
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    let mut femke = app.trainer("Femke Çelik").await;
    let plain = course(&app, &coordinator, "Samen plannen maken", "wijkvernieuwing", json!({})).await;
    let for_carers = course(
        &app,
        &coordinator,
        "Tijd voor jezelf",
        "wijkvernieuwing",
        json!({"audience": "Mantelzorgers en vrijwilligers"}),
    )
    .await;
    coordinator.assign_trainer(&app, &id(&plain), &femke).await;
    let elsewhere = coordinator.post_course(&app, course_body("Buiten de stad")).await;
    let session = coordinator
        .post_session(
            &app,
            id(&elsewhere),
            &json!({"starts_at": ahead("2027-03-12T19:30"), "ends_at": ahead("2027-03-12T21:30"),
                    "place": "Dorpshuis Ten Post", "address": "Dorpsweg 1", "wijk": "ten-boer"}),
        )
        .await;
    coordinator.set_status(&app, id(&elsewhere), "published").await;

    assert_eq!(found(&app, "mantelzorger").await, ["Tijd voor jezelf"], "the audience");
    assert_eq!(found(&app, "celik").await, ["Samen plannen maken"], "a trainer, without the cedilla");
    assert_eq!(found(&app, "femke").await, ["Samen plannen maken"]);
    assert_eq!(found(&app, "dorpshuis").await, ["Buiten de stad"], "the place of a session");
    assert_eq!(found(&app, "ten post").await, ["Buiten de stad"]);
    let _ = for_carers;

    // the document follows the trainer's name and assignment
    femke.rename(&app, "Femke de Vries").await;
    assert!(found(&app, "celik").await.is_empty(), "the old name is gone");
    assert_eq!(found(&app, "vries").await, ["Samen plannen maken"]);
    let (status, _) = coordinator.delete(&app, &format!("/api/v1/courses/{}/trainers/{}", id(&plain), femke.id)).await;
    assert_eq!(status, 204);
    assert!(found(&app, "femke").await.is_empty(), "no longer its trainer");
    // and the places of its sessions
    let session = id(&session);
    coordinator
        .patch_json(&app, &format!("/api/v1/sessions/{session}"), &json!({"place": "Kerkje van Thesinge"}))
        .await;
    assert!(found(&app, "dorpshuis").await.is_empty());
    assert_eq!(found(&app, "kerkje").await, ["Buiten de stad"]);
}

#[tokio::test]
async fn a_search_uses_the_gin_index() {
    let app = spawn_app().await;
    Seed {
        key: "veel",
        title: "Energiecafé",
        courses: 400,
        theme: "energietransitie",
        sessions: 1,
        first: &ahead("2027-03-01 18:00:00+00"),
        wijk: "selwerd",
    }
    .insert(&app)
    .await;
    app.execute("ANALYZE courses").await;
    let (_, body) = app.get_json("/api/v1/courses?q=energiecafe&per_page=1").await;
    assert_eq!(body["total"], 400, "the query of the plan finds them: {body}");

    let plan = app
        .pool
        .run(|conn| {
            use diesel::Connection;
            conn.transaction(|conn| {
                diesel::RunQueryDsl::execute(diesel::sql_query("SET LOCAL enable_seqscan = off"), conn)?;
                let filter = CourseFilter {
                    q: Some("energie cafe".into()),
                    upcoming: true,
                    statuses: vec![CourseStatus::Published],
                    ..CourseFilter::default()
                };
                explain_list(conn, &filter)
            })
        })
        .await
        .expect("explain");
    assert!(plan.contains("courses_search_idx"), "the search is an index search:\n{plan}");
    eprintln!("{plan}");
}

#[tokio::test]
async fn a_search_without_hits_suggests_fewer_filters_and_links_to_everything() {
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    course(&app, &coordinator, "Samen de wijk vergroenen", "wijkvernieuwing", json!({})).await;

    let body =
        app.page("/cursussen?q=xyzzyplof&thema=wijkvernieuwing&wijk=selwerd&plaats=1").await.replace("&#38;", "&");
    assert!(card_titles(&body).is_empty());
    assert!(body.contains("Er zijn geen cursussen die passen bij je zoekopdracht."), "{body}");
    assert!(body.contains("Probeer het met minder filters:"), "{body}");
    for (text, link) in [
        ("Zonder de zoekwoorden „xyzzyplof”", "/cursussen?thema=wijkvernieuwing&wijk=selwerd&plaats=1"),
        ("Zonder het thema Wijkvernieuwing", "/cursussen?wijk=selwerd&plaats=1&q=xyzzyplof"),
        ("Zonder de wijk of het dorp Selwerd", "/cursussen?thema=wijkvernieuwing&plaats=1&q=xyzzyplof"),
        ("Ook cursussen die vol zijn (met wachtlijst)", "/cursussen?thema=wijkvernieuwing&wijk=selwerd&q=xyzzyplof"),
    ] {
        assert!(body.contains(&format!(r#"<a href="{link}">{text}</a>"#)), "{text} → {link}: {body}");
    }
    assert!(body.contains(r#"<a href="/cursussen">Toon alle cursussen</a>"#), "{body}");

    let response = app.get_with("/cursussen?q=xyzzyplof", &[("accept-language", "en")]).await;
    let body = response.text().await.unwrap();
    assert!(body.contains("There are no courses that match your search."), "{body}");
    assert!(body.contains(r#"<a href="/cursussen">Without the search words “xyzzyplof”</a>"#), "{body}");
    assert!(body.contains("Show all courses"), "{body}");
    // a search that finds something suggests nothing
    let body = app.page("/cursussen?q=vergroenen").await;
    assert!(!body.contains("Probeer het met minder filters"), "{body}");
}
