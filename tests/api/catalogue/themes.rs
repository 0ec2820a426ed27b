//! Themes: a managed list with stable slugs, seeded with the Academie's six themes.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{assert_invalid, course_body, id, spawn_app, with};

fn slugs(list: &Value) -> Vec<String> {
    let mut slugs: Vec<String> =
        list["items"].as_array().unwrap().iter().map(|t| t["slug"].as_str().unwrap().to_owned()).collect();
    slugs.sort();
    slugs
}

fn theme<'a>(list: &'a Value, slug: &str) -> &'a Value {
    list["items"].as_array().unwrap().iter().find(|t| t["slug"] == slug).unwrap_or_else(|| panic!("no {slug}: {list}"))
}

#[tokio::test]
async fn the_six_seeded_themes_are_listed_with_dutch_and_english_names() {
    let app = spawn_app().await;
    let (status, list) = app.get_json("/api/v1/themes").await;
    assert_eq!(status, 200);
    assert_eq!(
        slugs(&list),
        [
            "democratisering",
            "elkaars-taal",
            "energietransitie",
            "ondermijning",
            "persoonlijk-leiderschap",
            "wijkvernieuwing"
        ]
    );
    assert_eq!(list["total"], 6);
    for t in list["items"].as_array().unwrap() {
        for field in ["name_nl", "name_en", "description_nl", "description_en"] {
            assert!(t[field].as_str().is_some_and(|s| !s.is_empty()), "{field} empty: {t}");
        }
        assert_eq!(t["retired"], false);
    }
    let taal = theme(&list, "elkaars-taal");
    assert_eq!(taal["name_nl"], "Elkaars taal");
    assert_eq!(taal["name_en"], "Speaking each other's language");
    assert_eq!(theme(&list, "energietransitie")["name_en"], "Energy transition");
}

#[tokio::test]
async fn coordinators_add_rename_and_retire_themes_and_the_slug_stays() {
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;

    let body = json!({ "name_nl": "Groen in de wijk", "name_en": "Green neighbourhoods",
                       "description_nl": "Bomen, tuinen en pleinen.", "description_en": "Trees, gardens and squares." });
    let (status, created) = coordinator.post_json(&app, "/api/v1/themes", &body).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["slug"], "groen-in-de-wijk", "slug from the Dutch name");
    let (_, list) = app.get_json("/api/v1/themes").await;
    assert_eq!(theme(&list, "groen-in-de-wijk")["name_en"], "Green neighbourhoods");

    // a course may use it
    let course = coordinator
        .post_course(&app, with(course_body("Tuinieren met buren"), json!({"theme": "groen-in-de-wijk"})))
        .await;
    assert_eq!(course["theme"], "groen-in-de-wijk");

    // rename: the slug does not change, and the course still names it by that slug
    let renamed = json!({ "name_nl": "Groene wijken", "name_en": "Greener neighbourhoods" });
    let (status, theme_now) = coordinator.patch_json(&app, "/api/v1/themes/groen-in-de-wijk", &renamed).await;
    assert_eq!(status, 200, "{theme_now}");
    assert_eq!(theme_now["slug"], "groen-in-de-wijk");
    assert_eq!(theme_now["name_nl"], "Groene wijken");
    let (_, list) = app.get_json("/api/v1/themes").await;
    assert_eq!(theme(&list, "groen-in-de-wijk")["name_nl"], "Groene wijken");
    assert!(!slugs(&list).contains(&"groene-wijken".to_owned()), "no new slug: {list}");

    // retire: new courses cannot get it, the existing course keeps it
    let (status, retired) =
        coordinator.patch_json(&app, "/api/v1/themes/groen-in-de-wijk", &json!({"retired": true})).await;
    assert_eq!(status, 200, "{retired}");
    assert_eq!(retired["retired"], true);
    let (_, public) = app.get_json("/api/v1/themes").await;
    assert!(!slugs(&public).contains(&"groen-in-de-wijk".to_owned()), "retired themes are not offered: {public}");
    let (_, all) = coordinator.get(&app, "/api/v1/themes").await;
    assert_eq!(theme(&all, "groen-in-de-wijk")["retired"], true, "coordinators still see it");

    let refused = coordinator
        .post_json(&app, "/api/v1/courses", &with(course_body("Nog een tuin"), json!({"theme": "groen-in-de-wijk"})))
        .await;
    assert_eq!(assert_invalid(&refused, "theme"), "theme-retired");
    let moved = coordinator
        .patch_json(
            &app,
            &format!("/api/v1/courses/{}", id(&course)),
            &json!({"theme": "groen-in-de-wijk", "title": "Tuinieren met de buren"}),
        )
        .await;
    assert_eq!(moved.0, 200, "the course keeps its retired theme: {}", moved.1);
    assert_eq!(moved.1["theme"], "groen-in-de-wijk");
    let (_, seen) = coordinator.get(&app, &format!("/api/v1/courses/{}", id(&course))).await;
    assert_eq!(seen["theme"], "groen-in-de-wijk");

    // another course cannot be moved to the retired theme either
    let other = coordinator.post_course(&app, course_body("Buurtbudget")).await;
    let refused = coordinator
        .patch_json(&app, &format!("/api/v1/courses/{}", id(&other)), &json!({"theme": "groen-in-de-wijk"}))
        .await;
    assert_eq!(assert_invalid(&refused, "theme"), "theme-retired");

    // back in use
    let (status, _) = coordinator.patch_json(&app, "/api/v1/themes/groen-in-de-wijk", &json!({"retired": false})).await;
    assert_eq!(status, 200);
    coordinator.post_course(&app, with(course_body("Nog een tuin"), json!({"theme": "groen-in-de-wijk"}))).await;
}

#[tokio::test]
async fn a_theme_needs_names_and_a_free_slug() {
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;

    let missing = coordinator.post_json(&app, "/api/v1/themes", &json!({"name_en": "Only English"})).await;
    assert_invalid(&missing, "name_nl");
    let both = coordinator.post_json(&app, "/api/v1/themes", &json!({})).await;
    assert_invalid(&both, "name_nl");
    assert_invalid(&both, "name_en");

    let taken =
        coordinator.post_json(&app, "/api/v1/themes", &json!({"name_nl": "Ondermijning", "name_en": "Again"})).await;
    assert_eq!(assert_invalid(&taken, "slug"), "slug-taken");

    let emptied = coordinator.patch_json(&app, "/api/v1/themes/ondermijning", &json!({"name_nl": "  "})).await;
    assert_invalid(&emptied, "name_nl");
    let (status, _) = coordinator.patch_json(&app, "/api/v1/themes/bestaat-niet", &json!({"name_nl": "X"})).await;
    assert_eq!(status, 404);

    let (_, list) = app.get_json("/api/v1/themes").await;
    assert_eq!(list["total"], 6, "nothing was added: {list}");
    assert_eq!(theme(&list, "ondermijning")["name_nl"], "Ondermijning");
}

#[tokio::test]
async fn only_coordinators_manage_themes() {
    let app = spawn_app().await;
    let participant = app.participant("Piet Participant").await;
    let trainer = app.trainer("Tineke Trainer").await;
    let body = json!({"name_nl": "Nieuw", "name_en": "New"});
    let rename = json!({"name_nl": "Anders"});
    for (who, token, expected) in [
        ("participant", Some(participant.token.as_str()), 403),
        ("trainer", Some(trainer.token.as_str()), 403),
        ("anonymous", None, 401),
    ] {
        let (status, body) = app.call(Method::POST, "/api/v1/themes", Some(&body), token).await;
        assert_eq!(status, expected, "{who} adds a theme: {body}");
        let (status, body) = app.call(Method::PATCH, "/api/v1/themes/ondermijning", Some(&rename), token).await;
        assert_eq!(status, expected, "{who} renames a theme: {body}");
    }
    let (_, list) = app.get_json("/api/v1/themes").await;
    assert_eq!(list["total"], 6);
    assert_eq!(theme(&list, "ondermijning")["name_nl"], "Ondermijning");
}

#[tokio::test]
async fn coordinators_manage_themes_on_the_themes_page() {
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    app.login_as(&coordinator).await;

    let page = app.page("/beheer/themas").await;
    assert!(page.contains("Elkaars taal"), "{page}");
    assert!(page.contains(r#"action="/beheer/themas/elkaars-taal""#));

    // a new theme with a missing English name: the error is shown and the Dutch name kept
    let response = app.post_form("/beheer/themas", &[("name_nl", "Zorg voor elkaar"), ("name_en", "")]).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains(r#"id="name_en-error""#), "{page}");
    assert!(page.contains(r#"value="Zorg voor elkaar""#), "what was typed is kept: {page}");

    let response = app
        .post_form(
            "/beheer/themas",
            &[("name_nl", "Zorg voor elkaar"), ("name_en", "Caring for each other"), ("description_nl", "Mantelzorg.")],
        )
        .await;
    assert_eq!(response.status(), 303);
    let (_, list) = app.get_json("/api/v1/themes").await;
    assert_eq!(theme(&list, "zorg-voor-elkaar")["name_en"], "Caring for each other");

    // rename and retire with the theme's own form
    let response = app
        .post_form(
            "/beheer/themas/zorg-voor-elkaar",
            &[("name_nl", "Zorgen voor elkaar"), ("name_en", "Caring for each other"), ("retired", "ja")],
        )
        .await;
    assert_eq!(response.status(), 303);
    let (_, all) = coordinator.get(&app, "/api/v1/themes").await;
    let t = theme(&all, "zorg-voor-elkaar");
    assert_eq!((t["name_nl"].as_str(), t["retired"].as_bool()), (Some("Zorgen voor elkaar"), Some(true)));
    let page = app.page("/beheer/themas").await;
    assert!(page.contains("niet meer in gebruik"), "{page}");
}

#[tokio::test]
async fn the_themes_page_is_for_coordinators_only() {
    let app = spawn_app().await;
    let response = app.get("/beheer/themas").await;
    assert_eq!(response.status(), 303, "anonymous readers are sent to log in");
    assert!(response.headers()["location"].to_str().unwrap().starts_with("/inloggen?terug="));

    let participant = app.participant("Piet Participant").await;
    app.login_as(&participant).await;
    assert_eq!(app.get("/beheer/themas").await.status(), 403);
    let response = app.post_form("/beheer/themas", &[("name_nl", "Nieuw"), ("name_en", "New")]).await;
    assert_eq!(response.status(), 403);
    let (_, list) = app.get_json("/api/v1/themes").await;
    assert_eq!(list["total"], 6);
}
