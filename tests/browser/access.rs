//! Access needs in a real browser, on a phone of 320 CSS pixels: a participant enrols,
//! tells the course what she needs (with consent, after a refused first try without), and
//! the course's trainer sees it on the session's roster as an icon with text. No
//! accessibility violations on the way.

use std::time::Duration;

use fantoccini::Locator;

use crate::common::browser::{assert_accessible, browser, log_in, text_of, wait_for_path};
use crate::common::{Answer, CourseSpec, local_at, session_at, spawn_app};

#[tokio::test]
async fn a_participant_tells_her_need_on_a_phone_and_the_trainer_sees_it_on_the_roster() {
    let Some(browser) = browser().await else {
        return;
    };
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator
        .create_course(
            &app,
            CourseSpec::new("Samen de wijk vergroenen", 12).sessions(vec![session_at(local_at(9, "19:30"))]),
        )
        .await;
    let tom = app.trainer("Tom").await;
    coordinator.assign_trainer(&app, &course, &tom).await.expect_status(200);
    let ayse = app.participant("Ayşe Kaya").await;

    browser.set_viewport(320, 720).await;
    log_in(&browser, &app, &ayse.email, &ayse.password).await;
    browser.goto(&app.url(&course.page())).await.unwrap();
    browser
        .find(Locator::XPath("//main//button[normalize-space()='Schrijf me in']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_path(&browser, "/mijn-cursussen?melding=enrolled").await;
    browser
        .find(Locator::Css(&format!("a[href='/cursussen/{}/toegankelijkheid']", course.slug)))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let form = format!("/cursussen/{}/toegankelijkheid", course.slug);
    wait_for_path(&browser, &form).await;
    assert_eq!(text_of(&browser, "h1").await, "Heb je iets nodig om mee te kunnen doen?");
    assert_accessible(&browser, "the access needs form at 320 px").await;
    let widths = browser.eval("[document.documentElement.scrollWidth, document.documentElement.clientWidth]").await;
    assert!(widths[0].as_i64() <= widths[1].as_i64(), "the form scrolls sideways at 320 px: {widths}");
    // every box is a target of at least 44 px (the label with its box)
    let heights = browser
        .eval("[...document.querySelectorAll('.access-choice label')].map(l => l.getBoundingClientRect().height)")
        .await;
    assert!(heights.as_array().unwrap().iter().all(|h| h.as_f64().unwrap() >= 44.0), "{heights}");

    // the label is the target: tapping it ticks the box
    browser.find(Locator::Css("label[for='need-tolk']")).await.unwrap().click().await.unwrap();
    browser.find(Locator::Id("language")).await.unwrap().send_keys("Turks").await.unwrap();
    browser.find(Locator::Css(".access-form button[type='submit']")).await.unwrap().click().await.unwrap();
    browser.wait().at_most(Duration::from_secs(20)).for_element(Locator::Css(".error-summary")).await.unwrap();
    let summary = text_of(&browser, ".error-summary").await;
    assert!(summary.contains("Toestemming"), "the summary names the consent: {summary}");
    assert_accessible(&browser, "the access needs form with an error at 320 px").await;

    browser.find(Locator::Css("label[for='consent']")).await.unwrap().click().await.unwrap();
    browser.find(Locator::Css(".access-form button[type='submit']")).await.unwrap().click().await.unwrap();
    wait_for_path(&browser, &format!("{form}?melding=access-saved")).await;
    assert!(text_of(&browser, ".flash").await.starts_with("Opgeslagen."));
    assert_accessible(&browser, "the access needs form after saving at 320 px").await;

    // the trainer's roster of the session, on the same phone
    browser.delete_all_cookies().await.unwrap();
    log_in(&browser, &app, &tom.email, &tom.password).await;
    browser.goto(&app.url(&format!("/mijn-trainingen/sessies/{}", course.session_ids[0]))).await.unwrap();
    browser.wait().at_most(Duration::from_secs(20)).for_element(Locator::Css(".access-needs")).await.unwrap();
    let needs = text_of(&browser, ".attendance-person .access-needs").await;
    assert!(needs.contains("Tolk: Turks"), "{needs}");
    assert!(needs.contains("💬"), "an icon with the text: {needs}");
    assert_accessible(&browser, "the roster with an access need at 320 px").await;
    browser.close().await;
}
