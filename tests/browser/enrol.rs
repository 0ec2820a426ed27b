//! Enrolling in a real browser: a participant finds the course, logs in from its page,
//! enrols, sees the course in "Mijn cursussen" and cancels, without accessibility
//! violations on the way; and the coordinator's list of a course.

use fantoccini::Locator;
use serde_json::json;
use wijkmakers::auth::Role;

use crate::common::browser::{assert_accessible, browser, fill_in_login, text_of, wait_for_path};
use crate::common::{CourseSpec, local_at, session_at, spawn_app};

#[tokio::test]
async fn a_participant_enrols_from_the_course_page_sees_it_in_mijn_cursussen_and_cancels() {
    let Some(browser) = browser().await else {
        return;
    };
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator
        .create_course(
            &app,
            CourseSpec::new("Samen de wijk vergroenen", 12)
                .sessions(vec![session_at(local_at(9, "19:30")), session_at(local_at(16, "19:30"))]),
        )
        .await;
    let ayse = app.participant("Ayşe Kaya").email("ayse@example.org").await;

    // an anonymous visitor is asked to log in, and comes back to the course
    browser.goto(&app.url(&course.page())).await.unwrap();
    browser.find(Locator::LinkText("Log in om je in te schrijven")).await.unwrap().click().await.unwrap();
    fill_in_login(&browser, &ayse.email, &ayse.password).await;
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
    let seats = app.seats(&course).await;
    assert_eq!((seats.len(), seats[0].user_id, seats[0].status.as_str()), (1, ayse.id, "enrolled"));
    app.mail_to(&ayse, "Je bent ingeschreven: Samen de wijk vergroenen").await;

    browser.find(Locator::LinkText("Samen de wijk vergroenen")).await.unwrap().click().await.unwrap();
    wait_for_path(&browser, &course.page()).await;
    let box_text = text_of(&browser, ".enrol-box").await;
    assert!(box_text.contains("Je bent ingeschreven voor deze cursus."), "{box_text}");
    assert_accessible(&browser, "the course page after enrolling").await;

    // cancel from Mijn cursussen: the link asks first, on a page of its own
    browser.goto(&app.url("/mijn-cursussen")).await.unwrap();
    browser
        .find(Locator::XPath("//a[normalize-space()='Uitschrijven voor Samen de wijk vergroenen']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_path(&browser, &format!("{}/uitschrijven", course.page())).await;
    let question = text_of(&browser, "main").await;
    assert!(question.contains("Weet je het zeker? Je plek gaat naar de eerste op de wachtlijst."), "{question}");
    assert_accessible(&browser, "the question before cancelling").await;
    browser
        .find(Locator::XPath("//button[normalize-space()='Ja, schrijf me uit']"))
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
    assert!(app.seats(&course).await.is_empty());
    app.mail_to(&ayse, "Je bent uitgeschreven: Samen de wijk vergroenen").await;
    browser.close().await;
}

#[tokio::test]
async fn the_coordinators_list_of_a_course_has_no_accessibility_violations() {
    let Some(browser) = browser().await else {
        return;
    };
    let app = spawn_app().await;
    let coordinator = app.coordinator().named("Corrie Coördinator").email("coordinator@example.org").await;
    let course = coordinator.create_course(&app, CourseSpec::new("Energiecoach worden", 2)).await;
    let crowd = app.people("deelnemer", 4, Role::Participant).await;
    for person in &crowd[..3] {
        person.enrol(&app, &course).await;
    }
    let body = json!({ "user_id": crowd[3].id, "override_capacity": true });
    assert_eq!(coordinator.post_json(&app, &course.enrolments_path(), &body).await.0, 201);

    browser.goto(&app.url("/inloggen")).await.unwrap();
    fill_in_login(&browser, &coordinator.email, &coordinator.password).await;
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
