//! No N+1: the catalogue page, the course list and a course page cost the same number of
//! SQL statements whatever the number of courses or sessions. Counted with the app's own
//! pool counter; the mail worker is off so that only the request runs statements.

use serde_json::json;

use crate::common::{AppOptions, Seed, TestApp, ahead, course_body, id, seed_enrolments, spawn_app_with, with};

async fn quiet_app() -> TestApp {
    spawn_app_with(AppOptions { mail_worker: false, ..AppOptions::default() }).await
}

/// Statements run to answer an anonymous GET of `path` (which must answer 200), and the body.
async fn statements(app: &TestApp, path: &str) -> (u64, String) {
    let before = app.pool.query_count();
    let response = app.api_client.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), 200, "GET {path}");
    let body = response.text().await.unwrap();
    (app.pool.query_count() - before, body)
}

/// The same request twice in a row costs the same; answers that cost (the first request
/// of a path warms the pool up). Each is read from the database, as after a change: a kept
/// answer costs nothing (catalogue/kept.rs).
async fn cost(app: &TestApp, path: &str) -> (u64, String) {
    let fresh = || {
        app.pool.changed();
        statements(app, path)
    };
    fresh().await;
    let (first, _) = fresh().await;
    let (second, body) = fresh().await;
    assert_eq!(first, second, "GET {path} is not even stable");
    (second, body)
}

#[tokio::test]
async fn the_catalogue_costs_the_same_number_of_queries_for_3_and_30_courses() {
    let app = quiet_app().await;
    Seed {
        key: "klein",
        title: "Klein",
        courses: 3,
        theme: "energietransitie",
        sessions: 2,
        first: &ahead("2027-03-01 18:00:00+00"),
        wijk: "selwerd",
    }
    .insert(&app)
    .await;
    seed_enrolments(&app, "klein", 3).await;

    let (page_small, body) = cost(&app, "/cursussen").await;
    assert!(body.contains("3 cursussen gevonden."), "{body}");
    assert!(body.contains("Nog 7 plekken"), "the enrolments are counted: {body}");
    let (api_small, body) = cost(&app, "/api/v1/courses").await;
    let list: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(list["total"], 3);
    assert_eq!(list["items"][0]["seats_left"], 7, "10 seats, 3 taken");
    assert_eq!(list["items"][0]["session_count"], 2);
    let (filtered_small, _) =
        cost(&app, "/api/v1/courses?theme=energietransitie&wijk=selwerd&q=klein&available=true").await;

    Seed {
        key: "groot",
        title: "Groot",
        courses: 27,
        theme: "energietransitie",
        sessions: 2,
        first: &ahead("2027-03-02 18:00:00+00"),
        wijk: "selwerd",
    }
    .insert(&app)
    .await;
    seed_enrolments(&app, "groot", 3).await;

    let (page_large, body) = cost(&app, "/cursussen").await;
    assert!(body.contains("30 cursussen gevonden."), "{body}");
    assert_eq!(body.matches(r#"<li class="card">"#).count(), 20, "a full page of cards");
    let (api_large, body) = cost(&app, "/api/v1/courses").await;
    let list: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!((list["total"].as_i64(), list["items"].as_array().unwrap().len()), (Some(30), 30));
    let (filtered_large, _) =
        cost(&app, "/api/v1/courses?theme=energietransitie&wijk=selwerd&q=groot&available=true").await;

    assert_eq!(page_small, page_large, "/cursussen: {page_small} statements for 3 courses, {page_large} for 30");
    assert_eq!(api_small, api_large, "/api/v1/courses: {api_small} statements for 3 courses, {api_large} for 30");
    assert_eq!(filtered_small, filtered_large, "filtered list: {filtered_small} vs {filtered_large}");
    assert!(page_large > 0 && api_large > 0, "the counter counts");
    eprintln!("statements: /cursussen {page_large}, /api/v1/courses {api_large}, filtered {filtered_large}");
}

#[tokio::test]
async fn a_course_page_costs_the_same_number_of_queries_for_1_and_10_sessions() {
    let app = quiet_app().await;
    let coordinator = app.coordinator().await;
    let trainer = app.trainer("Tineke Trainer").await;
    let ann = app.participant("Ann Akker").await;
    let mut costs = Vec::new();
    for (title, sessions) in [("Eén avond", 1), ("Tien avonden", 10)] {
        let course =
            coordinator.post_course(&app, with(course_body(title), json!({"description": "**Welkom**"}))).await;
        for n in 0..sessions {
            let date = ahead(&format!("2027-03-{:02}", 1 + n * 2));
            coordinator
                .add_session(&app, id(&course), &format!("{date}T19:30"), &format!("{date}T21:30"), "beijum")
                .await;
        }
        coordinator.set_status(&app, id(&course), "published").await;
        coordinator.assign_trainer(&app, &course, &trainer).await;
        ann.enrols_in(&app, &course).await;
        let slug = course["slug"].as_str().unwrap().to_owned();
        let (page, body) = cost(&app, &format!("/cursussen/{slug}")).await;
        assert_eq!(body.matches("19:30–21:30").count(), sessions, "every session is on the page");
        let (api, body) = cost(&app, &format!("/api/v1/courses/{}", id(&course))).await;
        assert!(body.contains("Tineke Trainer"));
        costs.push((title, page, api));
    }
    eprintln!("statements (title, page, API): {costs:?}");
    assert_eq!(costs[0].1, costs[1].1, "course page: {costs:?}");
    assert_eq!(costs[0].2, costs[1].2, "course API: {costs:?}");
}
