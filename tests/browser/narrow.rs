//! A phone of 320 CSS pixels (issue 15): the profile and the admin's list of accounts do
//! not scroll sideways (a visually hidden label no longer escapes its table; wide tables
//! become stacked cards), and they stay without accessibility violations.

use std::time::Duration;

use fantoccini::Locator;
use wijkmakers::auth::Role;

use crate::common::browser::{Browser, assert_accessible, browser, log_in};
use crate::common::{TestApp, spawn_app};

/// Open `path` at 320 px and check: no sideways scrolling, axe finds nothing.
async fn fits_a_small_phone(browser: &Browser, app: &TestApp, path: &str, heading: &str) {
    browser.goto(&app.url(path)).await.unwrap();
    let xpath = format!("//h1[normalize-space()='{heading}']");
    browser.wait().at_most(Duration::from_secs(20)).for_element(Locator::XPath(&xpath)).await.expect(heading);
    let widths = browser.eval("[document.documentElement.scrollWidth, document.documentElement.clientWidth]").await;
    let (scroll, client) = (widths[0].as_i64().unwrap(), widths[1].as_i64().unwrap());
    assert_eq!(client, 320, "the emulated phone");
    assert!(scroll <= client, "{path} scrolls sideways at 320 px: {scroll} > {client}");
    assert_accessible(browser, &format!("{path} at 320 px")).await;
}

#[tokio::test]
async fn the_profile_fits_a_phone_of_320_pixels() {
    let Some(browser) = browser().await else {
        return;
    };
    let app = spawn_app().await;
    let ann = app.participant("Annemarie van den Heuvel-Oosterhuis").await;
    // another session with a long browser description, as real ones are
    app.execute(&format!(
        "UPDATE login_sessions SET user_agent = 'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36', ip = '2001:db8:85a3::8a2e:370:7334' WHERE user_id = {}",
        ann.id
    ))
    .await;
    browser.set_viewport(320, 720).await;
    log_in(&browser, &app, &ann.email, &ann.password).await;
    fits_a_small_phone(&browser, &app, "/profiel", "Mijn profiel").await;
    browser.close().await;
}

#[tokio::test]
async fn the_list_of_accounts_fits_a_phone_of_320_pixels() {
    let Some(browser) = browser().await else {
        return;
    };
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.person(Role::Trainer, "Bartholomeus Wijkmaker")
        .email("bartholomeus.wijkmaker@buurtvereniging-oosterpoort.example.org")
        .await;
    app.people("deelnemer", 5, Role::Participant).await;
    browser.set_viewport(320, 720).await;
    log_in(&browser, &app, &admin.email, &admin.password).await;
    fits_a_small_phone(&browser, &app, "/beheer/gebruikers", "Gebruikers").await;
    // the action stays within reach: the delete link of each account is on the screen
    let right = browser
        .eval("Math.max(...[...document.querySelectorAll('main a.danger')].map(a => a.getBoundingClientRect().right))")
        .await;
    assert!(right.as_f64().unwrap() <= 320.0, "an action off the screen: {right}");
    browser.close().await;
}
