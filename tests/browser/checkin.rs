//! Self check-in on a phone (360 × 740): the trainer's screen with the code and its QR
//! code, updated live when someone checks in; the participant's code form and the page
//! that says they are in. No accessibility violations on any of them.

use std::time::{Duration, Instant};

use chrono::Utc;
use fantoccini::Locator;

use crate::common::browser::{assert_accessible, browser, fill_in_login, text_of, wait_for_path};
use crate::common::{CourseSpec, local_at, session_at, spawn_app};

#[tokio::test]
async fn a_trainer_shows_the_code_and_a_participant_checks_in_on_a_phone() {
    let Some(browser) = browser().await else {
        return;
    };
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    let future = vec![session_at(local_at(20, "19:30"))];
    let course = coordinator.create_course(&app, CourseSpec::new("Energiecoach worden", 10).sessions(future)).await;
    let trainer = app.trainer("Tom Trainer").email("tom@example.org").await;
    assert_eq!(coordinator.assign_trainer(&app, &course, &trainer).await.0, 200);
    let ann = app.participant("Ann Jansen").email("ann@example.org").await;
    let bob = app.participant("Bob Bakker").await;
    for person in [&ann, &bob] {
        assert_eq!(person.enrols_in(&app, &course).await, "enrolled");
    }
    let session = course.session_ids[0];
    let now = Utc::now();
    let (from, to) =
        ((now - chrono::Duration::minutes(5)).to_rfc3339(), (now + chrono::Duration::hours(2)).to_rfc3339());
    app.execute(&format!("UPDATE course_sessions SET starts_at = '{from}', ends_at = '{to}' WHERE id = {session}"))
        .await;

    browser.set_viewport(360, 740).await;
    browser.goto(&app.url("/inloggen")).await.unwrap();
    fill_in_login(&browser, &trainer.email, &trainer.password).await;
    wait_for_path(&browser, "/mijn-cursussen").await;
    let screen = format!("/mijn-trainingen/sessies/{session}/inchecken");
    browser.goto(&app.url(&screen)).await.unwrap();
    assert_accessible(&browser, "the check-in screen before a code").await;
    browser.find(Locator::Css("main form button[type='submit']")).await.unwrap().click().await.unwrap();
    wait_for_path(&browser, &screen).await;
    browser.wait().for_element(Locator::Css(".checkin-qr svg")).await.expect("the QR code");
    let code = app.text(&format!("SELECT code AS v FROM check_in_codes WHERE session_id = {session}")).await.unwrap();
    assert!(text_of(&browser, ".checkin-code").await.contains(&code));
    assert_accessible(&browser, "the check-in screen with the code").await;

    // Bob checks in elsewhere: the screen shows it without a reload
    let body = serde_json::json!({ "code": code });
    assert_eq!(bob.post_json(&app, &format!("/api/v1/sessions/{session}/check-in"), &body).await.0, 200);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let count = text_of(&browser, ".checkin-count").await;
        if count.contains("1 van 2 ingecheckt") {
            break;
        }
        assert!(Instant::now() < deadline, "the count did not update: {count}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    assert!(text_of(&browser, ".checkin-names").await.contains("Bob Bakker"));

    // Ann, on her own phone: the form asks her to log in first and comes back
    browser.delete_all_cookies().await.unwrap();
    browser.goto(&app.url("/inchecken")).await.unwrap();
    fill_in_login(&browser, &ann.email, &ann.password).await;
    wait_for_path(&browser, "/inchecken").await;
    assert_accessible(&browser, "the check-in form").await;
    browser.find(Locator::Id("code")).await.unwrap().send_keys(&code.to_lowercase()).await.unwrap();
    browser.find(Locator::Css("main form button[type='submit']")).await.unwrap().click().await.unwrap();
    wait_for_path(&browser, &format!("/inchecken/{code}")).await;
    assert!(text_of(&browser, "main").await.contains("Je bent ingecheckt"));
    assert_accessible(&browser, "checked in").await;
    browser.close().await;
}
