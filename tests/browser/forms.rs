//! Forms that forgive, in a browser (issue 15): when a form comes back with errors, the
//! focus is on the error summary (a screen reader reads it first, a keyboard goes on from
//! there), its links lead to the fields, and "Bijeenkomst toevoegen" comes back at itself.

use std::time::Duration;

use fantoccini::Locator;

use crate::common::browser::Browser;

/// The id of the focused element, once the page has settled (a deferred script may move it).
async fn focused_id(browser: &Browser, expected: &str) -> String {
    for _ in 0..100 {
        let id = browser.eval("document.readyState === 'complete' ? document.activeElement.id : ''").await;
        if id == expected {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    browser.eval("document.activeElement.id").await.as_str().unwrap_or_default().to_owned()
}

use crate::common::browser::{assert_accessible, browser, log_in};
use crate::common::{CourseSpec, spawn_app};

#[tokio::test]
async fn the_error_summary_takes_the_focus_and_links_to_the_fields() {
    let Some(browser) = browser().await else {
        return;
    };
    let app = spawn_app().await;
    browser.goto(&app.url("/registreren")).await.unwrap();
    browser.find(Locator::Id("email")).await.unwrap().send_keys("femke@").await.unwrap();
    browser
        .find(Locator::Css("main form[action='/registreren'] button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("#error-summary"))
        .await
        .expect("an error summary");
    assert_eq!(focused_id(&browser, "error-summary").await, "error-summary", "the summary has the focus");
    let links: Vec<String> = serde_json::from_value(
        browser.eval("[...document.querySelectorAll('#error-summary a')].map(a => a.getAttribute('href'))").await,
    )
    .unwrap();
    assert_eq!(links, ["#name", "#email", "#password", "#privacy_consent"]);
    assert_accessible(&browser, "the register page with its error summary").await;

    // following a link of the summary puts the reader at that field
    browser.find(Locator::Css("#error-summary a[href='#email']")).await.unwrap().click().await.unwrap();
    let target = browser.eval("location.hash").await;
    assert_eq!(target, "#email");
    browser.close().await;
}

#[tokio::test]
async fn a_failed_new_session_comes_back_at_its_form_with_the_focus_on_the_summary() {
    let Some(browser) = browser().await else {
        return;
    };
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(&app, CourseSpec::new("Energiecafé", 12)).await;
    log_in(&browser, &app, &coordinator.email, &coordinator.password).await;
    browser.goto(&app.url(&format!("/beheer/cursussen/{}", course.id))).await.unwrap();
    let form = format!("main form[action='/beheer/cursussen/{}/sessies#sessie-toevoegen'] button", course.id);
    browser.find(Locator::Css(&form)).await.unwrap().click().await.unwrap();
    browser
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("#error-summary"))
        .await
        .expect("an error summary");
    let url = browser.current_url().await.unwrap();
    assert_eq!(url.fragment(), Some("sessie-toevoegen"), "{url}");
    assert_eq!(focused_id(&browser, "error-summary").await, "error-summary");
    // the summary is in view, not the top of the page
    let top = browser.eval("document.getElementById('error-summary').getBoundingClientRect().top").await;
    let height = browser.eval("window.innerHeight").await;
    assert!(top.as_f64().unwrap() >= 0.0 && top.as_f64().unwrap() < height.as_f64().unwrap(), "{top} of {height}");
    assert_accessible(&browser, "the course page with a failed session").await;
    browser.close().await;
}
