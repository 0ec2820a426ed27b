//! A participant's certificates on a narrow phone (320 px): the list with its downloads,
//! and the public check page, with no accessibility violations.

use fantoccini::Locator;

use crate::common::browser::{assert_accessible, browser, fill_in_login, text_of, wait_for_path};
use crate::common::{CourseSpec, local_at, session_at, spawn_app};

#[tokio::test]
async fn a_participant_finds_their_certificate_and_anyone_checks_it() {
    let Some(browser) = browser().await else {
        return;
    };
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(&app, CourseSpec::new("Energiecoach worden", 10)).await;
    let ann = app.participant("José Łukasz").await;
    ann.enrols_in(&app, &course).await;
    let joined = local_at(-30, "12:00").to_rfc3339();
    app.execute(&format!("UPDATE enrolments SET enrolled_at = '{joined}' WHERE course_id = {}", course.id)).await;
    for (i, id) in course.session_ids.iter().enumerate() {
        let (from, to) = session_at(local_at(-10 + i as i64, "19:30"));
        app.execute(&format!("UPDATE course_sessions SET starts_at = '{from}', ends_at = '{to}' WHERE id = {id}"))
            .await;
        let body = serde_json::json!({"marks": [{"user_id": ann.id, "status": "present"}]});
        let path = format!("/api/v1/sessions/{id}/attendance");
        assert_eq!(coordinator.call(&app, reqwest::Method::PUT, &path, Some(&body)).await.0, 200);
    }

    browser.set_viewport(320, 640).await;
    browser.goto(&app.url("/inloggen")).await.unwrap();
    fill_in_login(&browser, &ann.email, &ann.password).await;
    wait_for_path(&browser, "/mijn-cursussen").await;
    browser.goto(&app.url("/mijn-cursussen/certificaten")).await.unwrap();
    assert_accessible(&browser, "my certificates").await;
    let card = text_of(&browser, ".card").await;
    assert!(card.contains("Energiecoach worden"), "{card}");
    let download = browser.find(Locator::Css(".card a.button[hreflang='nl']")).await.unwrap();
    let (_, _, width, height) = download.rectangle().await.unwrap();
    assert!(height >= 44.0 && width <= 320.0, "a tap target inside the screen: {width} × {height}");
    let scroll = browser.execute("return document.documentElement.scrollWidth", vec![]).await.unwrap();
    assert!(scroll.as_f64().is_some_and(|w| w <= 320.0), "no sideways scrolling: {scroll}");

    let link = browser.find(Locator::Css(".card a[href^='/certificaat/']")).await.unwrap();
    let href = link.attr("href").await.unwrap().expect("a link to the check page");
    link.click().await.unwrap();
    wait_for_path(&browser, &href).await;
    let check = text_of(&browser, "main").await;
    assert!(check.contains("José Łukasz") && check.contains("Energiecoach worden"), "{check}");
    assert!(!check.contains(&ann.email), "{check}");
    assert_accessible(&browser, "the check page of a certificate").await;

    browser.goto(&app.url("/certificaat/ABCD-EFGH-JK")).await.unwrap();
    assert!(text_of(&browser, "main").await.contains("We kennen dit certificaat niet"));
    assert_accessible(&browser, "the check page of an unknown code").await;
    browser.close().await;
}
