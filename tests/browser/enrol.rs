//! Enrolling in a real browser: a participant finds the course, logs in from its page,
//! enrols, sees the course in "Mijn cursussen" and cancels, without accessibility
//! violations on the way; and the coordinator's list of a course.

use std::time::Duration;

use fantoccini::{Client, Locator};
use serde_json::json;
use wijkmakers::auth::Role;

use crate::common::browser::{assert_accessible, browser};
use crate::common::enrolment::{
    CourseSpec, call, coordinator, create_course, enrol, mail_to, people, seats_in_db, session_in,
};
use crate::common::spawn_app;

const PASSWORD: &str = "een lange zin als wachtwoord";

/// Wait until the browser shows `path` (after a form post and its redirect).
async fn wait_for_path(browser: &Client, path: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let url = browser.current_url().await.unwrap();
        let here = match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        };
        if here == path {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "still at {here}, expected {path}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn text_of(browser: &Client, css: &str) -> String {
    browser.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("no {css}: {e}")).text().await.unwrap()
}

/// Fill in the login form the browser shows and send it.
async fn log_in(browser: &Client, email: &str) {
    browser.find(Locator::Id("email")).await.unwrap().send_keys(email).await.unwrap();
    browser.find(Locator::Id("password")).await.unwrap().send_keys(PASSWORD).await.unwrap();
    browser.find(Locator::Css("main form[action='/inloggen'] button")).await.unwrap().click().await.unwrap();
}

#[tokio::test]
async fn a_participant_enrols_from_the_course_page_sees_it_in_mijn_cursussen_and_cancels() {
    let Some(browser) = browser().await else {
        return;
    };
    let app = spawn_app().await;
    let coordinator = coordinator(&app).await;
    let course = create_course(
        &app,
        &coordinator.token,
        CourseSpec::new("Samen de wijk vergroenen", 12)
            .sessions(vec![session_in(chrono::Duration::days(9)), session_in(chrono::Duration::days(16))]),
    )
    .await;
    let ayse = app.add_user("ayse@example.org", "Ayşe Kaya", Role::Participant, PASSWORD).await;

    // an anonymous visitor is asked to log in, and comes back to the course
    browser.goto(&app.url(&course.page())).await.unwrap();
    browser.find(Locator::LinkText("Log in om je in te schrijven")).await.unwrap().click().await.unwrap();
    log_in(&browser, "ayse@example.org").await;
    wait_for_path(&browser, &course.page()).await;
    assert_eq!(text_of(&browser, "h1").await, "Samen de wijk vergroenen");
    assert_accessible(&browser, "the course page before enrolling").await;

    browser
        .find(Locator::XPath("//main//button[normalize-space()='Schrijf me in']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_path(&browser, "/mijn-cursussen?melding=enrolled").await;
    assert_eq!(text_of(&browser, ".flash").await, "Je bent ingeschreven. Je krijgt een bevestiging per e-mail.");
    let card = text_of(&browser, "section[aria-labelledby='upcoming'] .card").await;
    assert!(card.contains("Samen de wijk vergroenen"), "{card}");
    assert!(card.contains("Ingeschreven"), "{card}");
    assert_accessible(&browser, "Mijn cursussen with an enrolment").await;
    let seats = seats_in_db(&app, &course).await;
    assert_eq!((seats.len(), seats[0].user_id, seats[0].status.as_str()), (1, ayse.id.0, "enrolled"));
    mail_to(&app, "ayse@example.org", "Je bent ingeschreven: Samen de wijk vergroenen").await;

    browser.find(Locator::LinkText("Samen de wijk vergroenen")).await.unwrap().click().await.unwrap();
    wait_for_path(&browser, &course.page()).await;
    let box_text = text_of(&browser, ".enrol-box").await;
    assert!(box_text.contains("Je bent ingeschreven voor deze cursus."), "{box_text}");
    assert_accessible(&browser, "the course page after enrolling").await;

    // cancel from Mijn cursussen
    browser.goto(&app.url("/mijn-cursussen")).await.unwrap();
    browser
        .find(Locator::XPath("//button[normalize-space()='Uitschrijven voor Samen de wijk vergroenen']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_path(&browser, "/mijn-cursussen?melding=cancelled").await;
    assert_eq!(text_of(&browser, ".flash").await, "Je bent uitgeschreven. Je krijgt een bevestiging per e-mail.");
    let upcoming = text_of(&browser, "section[aria-labelledby='upcoming']").await;
    assert!(upcoming.contains("Je bent nog niet ingeschreven voor een cursus."), "{upcoming}");
    assert_accessible(&browser, "Mijn cursussen after cancelling").await;
    assert!(seats_in_db(&app, &course).await.is_empty());
    mail_to(&app, "ayse@example.org", "Je bent uitgeschreven: Samen de wijk vergroenen").await;
    browser.close().await;
}

#[tokio::test]
async fn the_coordinators_list_of_a_course_has_no_accessibility_violations() {
    let Some(browser) = browser().await else {
        return;
    };
    let app = spawn_app().await;
    app.add_user("coordinator@example.org", "Corrie Coördinator", Role::Coordinator, PASSWORD).await;
    let token = app.login_api("coordinator@example.org", PASSWORD).await;
    let course = create_course(&app, &token, CourseSpec::new("Energiecoach worden", 2)).await;
    let crowd = people(&app, "deelnemer", 4, "participant", true).await;
    for person in &crowd[..3] {
        enrol(&app, &course, person).await;
    }
    let body = json!({ "user_id": crowd[3].id, "override_capacity": true });
    assert_eq!(call(&app, reqwest::Method::POST, &course.enrolments_path(), Some(&body), &token).await.0, 201);

    browser.goto(&app.url("/inloggen")).await.unwrap();
    log_in(&browser, "coordinator@example.org").await;
    wait_for_path(&browser, "/mijn-cursussen").await;
    browser.goto(&app.url(&course.manage_page())).await.unwrap();
    let waiting = text_of(&browser, "section[aria-labelledby='waiting'] tbody").await;
    assert!(waiting.contains(&crowd[2].name), "{waiting}");
    let enrolled = text_of(&browser, "section[aria-labelledby='enrolled'] tbody").await;
    assert!(enrolled.contains("boven maximum"), "{enrolled}");
    assert_accessible(&browser, "the coordinator's list of a course").await;

    // enrolling someone on their behalf with the form
    browser.find(Locator::Id("email")).await.unwrap().send_keys("nieuw@example.org").await.unwrap();
    browser.find(Locator::Id("name")).await.unwrap().send_keys("Noor El Amrani").await.unwrap();
    browser.find(Locator::XPath("//section[@aria-labelledby='behalf']//button")).await.unwrap().click().await.unwrap();
    wait_for_path(&browser, &format!("{}?melding=waitlisted-other", course.manage_page())).await;
    let waiting = text_of(&browser, "section[aria-labelledby='waiting'] tbody").await;
    assert!(waiting.contains("Noor El Amrani"), "{waiting}");
    assert_accessible(&browser, "the coordinator's list after enrolling someone").await;
    browser.close().await;
}
