//! The trainer's roster on a phone (360 × 740): marks by tapping, saved with the form, seen
//! again after a reload, with no accessibility violations.

use fantoccini::Locator;

use crate::common::browser::{assert_accessible, browser, fill_in_login, text_of, wait_for_path};
use crate::common::{CourseSpec, local_at, session_at, spawn_app};

#[tokio::test]
async fn a_trainer_marks_the_roster_on_a_phone() {
    let Some(browser) = browser().await else {
        return;
    };
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(&app, CourseSpec::new("Energiecoach worden", 10)).await;
    let trainer = app.trainer("Tom Trainer").email("tom@example.org").await;
    assert_eq!(coordinator.assign_trainer(&app, &course, &trainer).await.0, 200);
    let mut people = Vec::new();
    for name in ["Ann Jansen", "Bob Bakker", "Cara de Vries"] {
        let person = app.participant(name).await;
        person.enrols_in(&app, &course).await;
        people.push(person);
    }
    let session = course.session_ids[0];
    let (from, to) = session_at(local_at(-1, "19:30"));
    app.execute(&format!("UPDATE course_sessions SET starts_at = '{from}', ends_at = '{to}' WHERE id = {session}"))
        .await;
    app.execute(&format!(
        "UPDATE enrolments SET enrolled_at = '{}' WHERE course_id = {}",
        local_at(-30, "12:00").to_rfc3339(),
        course.id
    ))
    .await;

    browser.set_viewport(360, 740).await;
    browser.goto(&app.url("/inloggen")).await.unwrap();
    fill_in_login(&browser, &trainer.email, &trainer.password).await;
    wait_for_path(&browser, "/mijn-cursussen").await;
    let page = format!("/mijn-trainingen/sessies/{session}");
    browser.goto(&app.url(&page)).await.unwrap();
    assert_accessible(&browser, "the roster of a session").await;

    for (person, status) in [(&people[0], "present"), (&people[1], "late")] {
        let css = format!("input[name='mark-{}'][value='{status}']", person.id);
        browser.find(Locator::Css(&css)).await.unwrap().click().await.unwrap();
    }
    browser.find(Locator::Css(".attendance-form button[type='submit']")).await.unwrap().click().await.unwrap();
    wait_for_path(&browser, &format!("{page}?melding=opgeslagen")).await;
    browser.goto(&app.url(&page)).await.unwrap();
    let counts = text_of(&browser, ".attendance-counts").await;
    assert!(counts.contains("Aanwezig: 1") && counts.contains("Te laat: 1"), "{counts}");
    let checked = format!("input[name='mark-{}'][value='present']", people[0].id);
    let input = browser.find(Locator::Css(&checked)).await.unwrap();
    assert_eq!(input.prop("checked").await.unwrap().as_deref(), Some("true"));
    assert_accessible(&browser, "the roster after saving").await;
    browser.close().await;
}
