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

    // the roster fits the smallest phone: nothing scrolls sideways at 320 px
    browser.set_viewport(320, 640).await;
    browser.goto(&app.url(&page)).await.unwrap();
    let widths = browser.eval("[document.documentElement.scrollWidth, document.documentElement.clientWidth]").await;
    assert!(widths[0].as_i64() <= widths[1].as_i64(), "the roster scrolls sideways at 320 px: {widths}");
    browser.set_viewport(360, 740).await;

    // the course overview: a wide table that scrolls inside its own region on a phone
    browser.goto(&app.url(&format!("/mijn-trainingen/cursussen/{}/aanwezigheid", course.id))).await.unwrap();
    let matrix = text_of(&browser, "table.matrix").await;
    assert!(matrix.contains("Ann Jansen") && matrix.contains("Aanwezig"), "{matrix}");
    assert_accessible(&browser, "the course overview").await;
    browser.close().await;

    // the participant sees her own mark and rates in Mijn cursussen
    let Some(ann) = browser_with_viewport().await else { return };
    ann.goto(&app.url("/inloggen")).await.unwrap();
    fill_in_login(&ann, &people[0].email, &people[0].password).await;
    wait_for_path(&ann, "/mijn-cursussen").await;
    let card = text_of(&ann, &format!("#cursus-{}", course.id)).await;
    assert!(card.contains("Jij: Aanwezig") && card.contains("100%"), "{card}");
    assert_accessible(&ann, "Mijn cursussen with marks and rates").await;
    ann.close().await;
}

async fn browser_with_viewport() -> Option<crate::common::browser::Browser> {
    let browser = browser().await?;
    browser.set_viewport(360, 740).await;
    Some(browser)
}

/// Wait until the element `css` says `text` (a save that goes through the network).
async fn wait_for_text(client: &fantoccini::Client, css: &str, text: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let now = match client.find(Locator::Css(css)).await {
            Ok(element) => element.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if now.contains(text) {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "{css} says {now:?}, not {text:?}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// The trainer's day on a phone: today's session from "Mijn trainingen", five taps each
/// saved at once (no reload), a walk-in, and the marks still there after a reload.
#[tokio::test]
async fn a_trainer_takes_todays_attendance_tap_by_tap_and_adds_a_walk_in() {
    let Some(browser) = browser().await else {
        return;
    };
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(&app, CourseSpec::new("Energiecoach worden", 5)).await;
    let trainer = app.trainer("Tom Trainer").email("tom@example.org").await;
    assert_eq!(coordinator.assign_trainer(&app, &course, &trainer).await.0, 200);
    let mut people = Vec::new();
    for name in ["Ann Jansen", "Bob Bakker", "Cara de Vries", "Daan Dekker", "Eef Evers"] {
        let person = app.participant(name).await;
        person.enrols_in(&app, &course).await;
        people.push(person);
    }
    let dirk = app.participant("Dirk de Wit").await;
    // today, all day: markable and "today" in Amsterdam at whatever hour the test runs
    let session = course.session_ids[0];
    let (from, to) = (local_at(0, "00:00").to_rfc3339(), local_at(0, "23:59").to_rfc3339());
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
    browser.goto(&app.url("/mijn-trainingen")).await.unwrap();
    let page = format!("/mijn-trainingen/sessies/{session}");
    let link = format!("#today-title ~ ul a[href='{page}']");
    browser.find(Locator::Css(&link)).await.unwrap().click().await.unwrap();
    wait_for_path(&browser, &page).await;
    assert_accessible(&browser, "the roster of today's session").await;

    browser.eval("window.notReloaded = true").await;
    let taps = ["present", "present", "late", "excused", "absent"];
    let after = ["present", "present", "late", "excused", "present", "present"];
    for (person, status) in people.iter().zip(taps) {
        let css = format!("input[name='mark-{}'][value='{status}']", person.id);
        browser.find(Locator::Css(&css)).await.unwrap().click().await.unwrap();
    }
    for person in &people {
        wait_for_text(&browser, &format!("#mark-{}-state", person.id), "Opgeslagen").await;
    }
    assert_eq!(browser.eval("window.notReloaded === true").await, serde_json::json!(true), "no reload");
    let counts = text_of(&browser, ".attendance-counts").await;
    assert!(
        counts.contains("Aanwezig: 2") && counts.contains("Te laat: 1") && counts.contains("Nog niet ingevuld: 0"),
        "{counts}"
    );
    assert_eq!(app.int("SELECT count(*)::bigint AS v FROM attendance_marks").await, 5);

    // the connection drops: the tap stays visibly unsaved, and is saved once it is back
    browser
        .eval("(window.realFetch = window.fetch, window.fetch = () => Promise.reject(new TypeError('offline')), 1)")
        .await;
    let eef = &people[4];
    let css = format!("input[name='mark-{}'][value='present']", eef.id);
    browser.find(Locator::Css(&css)).await.unwrap().click().await.unwrap();
    wait_for_text(&browser, &format!("#mark-{}-state", eef.id), "Nog niet opgeslagen").await;
    let unsaved = format!("fieldset.unsaved[data-user='{}']", eef.id);
    assert!(browser.find(Locator::Css(&unsaved)).await.is_ok(), "marked as unsaved");
    wait_for_text(&browser, "#roster-live", "Nog niet opgeslagen").await;
    browser.eval("(window.fetch = window.realFetch, window.dispatchEvent(new Event('online')), 1)").await;
    wait_for_text(&browser, &format!("#mark-{}-state", eef.id), "Opgeslagen").await;
    assert!(browser.find(Locator::Css(&unsaved)).await.is_err(), "saved now");
    let counts = text_of(&browser, ".attendance-counts").await;
    assert!(counts.contains("Aanwezig: 3") && counts.contains("Afwezig: 0"), "{counts}");

    browser.find(Locator::Id("zoek")).await.unwrap().send_keys("Dirk").await.unwrap();
    browser.find(Locator::Css("form[role='search'] button")).await.unwrap().click().await.unwrap();
    browser.wait().for_element(Locator::Css(".walk-in-found button")).await.unwrap();
    assert_accessible(&browser, "the roster with people found").await;
    browser.find(Locator::Css(".walk-in-found button")).await.unwrap().click().await.unwrap();
    wait_for_path(&browser, &format!("{page}?melding=toegevoegd")).await;

    browser.goto(&app.url(&page)).await.unwrap();
    for (person, status) in people.iter().chain([&dirk]).zip(after) {
        let css = format!("input[name='mark-{}'][value='{status}']", person.id);
        let input = browser.find(Locator::Css(&css)).await.unwrap();
        assert_eq!(input.prop("checked").await.unwrap().as_deref(), Some("true"), "{} {status}", person.name);
    }
    let counts = text_of(&browser, ".attendance-counts").await;
    assert!(counts.contains("Aanwezig: 4"), "{counts}");
    assert_accessible(&browser, "the roster after a walk-in").await;
    browser.close().await;
}
