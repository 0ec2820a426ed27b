//! Accounts in a real browser: register through the form, follow the link from the email
//! and press its button, log in, see one's name in the header, log out; and the register,
//! login and profile pages without accessibility violations (also with errors shown).

use std::time::Duration;

use fantoccini::{Client, Locator};

use crate::common::browser::{assert_accessible, browser};
use crate::common::spawn_app;

const PASSWORD: &str = "fietsen langs het Reitdiep";

async fn fill(browser: &Client, id: &str, text: &str) {
    let field = browser.find(Locator::Id(id)).await.unwrap_or_else(|e| panic!("no #{id}: {e}"));
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

/// Click the submit button of the form posting to `action` and wait for the page whose
/// `h1` reads `heading`.
async fn submit(browser: &Client, action: &str, heading: &str) {
    let button = format!("main form[action='{action}'] button[type=submit]");
    browser.find(Locator::Css(&button)).await.unwrap_or_else(|e| panic!("no {button}: {e}")).click().await.unwrap();
    wait_for_heading(browser, heading).await;
}

async fn wait_for_heading(browser: &Client, heading: &str) {
    let xpath = format!("//h1[normalize-space()='{heading}']");
    if let Err(e) = browser.wait().at_most(Duration::from_secs(20)).for_element(Locator::XPath(&xpath)).await {
        let source = browser.source().await.unwrap_or_default();
        panic!("no page with heading {heading:?} ({e}): {source}");
    }
}

#[tokio::test]
async fn register_follow_the_link_log_in_and_out_with_accessible_pages() {
    let Some(browser) = browser().await else {
        return;
    };
    let app = spawn_app().await;

    browser.goto(&app.url("/registreren")).await.unwrap();
    assert_eq!(browser.eval("document.documentElement.lang").await, "nl");
    assert_accessible(&browser, "the register page").await;

    // a submit with mistakes shows them, and stays accessible
    fill(&browser, "name", "Femke de Jong").await;
    fill(&browser, "email", "femke@").await;
    fill(&browser, "password", "kort").await;
    submit(&browser, "/registreren", "Account maken").await;
    let summary = browser
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(".error-summary"))
        .await
        .expect("an error summary");
    assert!(summary.text().await.unwrap().contains("privacyverklaring"), "the consent is named");
    assert!(browser.find(Locator::Id("email-error")).await.is_ok(), "the error is next to the field");
    assert_eq!(
        browser.find(Locator::Id("name")).await.unwrap().prop("value").await.unwrap().as_deref(),
        Some("Femke de Jong")
    );
    assert_accessible(&browser, "the register page with errors").await;

    fill(&browser, "email", "femke@example.org").await;
    fill(&browser, "password", PASSWORD).await;
    browser.find(Locator::Id("wijk")).await.unwrap().select_by_value("selwerd").await.unwrap();
    browser.find(Locator::Id("participant_kind")).await.unwrap().select_by_value("bewoner").await.unwrap();
    browser.find(Locator::Css("label[for='privacy_consent']")).await.unwrap().click().await.unwrap();
    submit(&browser, "/registreren", "Kijk in je e-mail").await;

    // the link from the email opens a page with a button; pressing it verifies
    let mail = app.last_mail_to("femke@example.org").await;
    let link = mail.link_to("/e-mail-bevestigen").expect("a verification link");
    browser.goto(&link).await.unwrap();
    wait_for_heading(&browser, "E-mailadres bevestigen").await;
    // this browser registered: it is logged in now, and goes on (to "mijn cursussen")
    submit(&browser, "/e-mail-bevestigen", "Mijn cursussen").await;
    let header = browser.find(Locator::Css("header")).await.unwrap().text().await.unwrap();
    assert!(header.contains("Femke de Jong"), "logged in after verifying: {header}");
    browser.find(Locator::Css("header form[action='/uitloggen'] button")).await.unwrap().click().await.unwrap();
    browser
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("header a[href='/inloggen']"))
        .await
        .expect("logged out");

    browser.goto(&app.url("/inloggen")).await.unwrap();
    assert_accessible(&browser, "the login page").await;
    fill(&browser, "email", "femke@example.org").await;
    fill(&browser, "password", PASSWORD).await;
    browser.find(Locator::Css("main form[action='/inloggen'] button")).await.unwrap().click().await.unwrap();
    browser
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("header a[href='/profiel']"))
        .await
        .expect("logged in: the header links the profile");
    let header = browser.find(Locator::Css("header")).await.unwrap().text().await.unwrap();
    assert!(header.contains("Femke de Jong"), "the header names the person: {header}");

    browser.goto(&app.url("/profiel")).await.unwrap();
    wait_for_heading(&browser, "Mijn profiel").await;
    assert_accessible(&browser, "the profile page").await;

    // log out with the button in the header
    browser.find(Locator::Css("header form[action='/uitloggen'] button")).await.unwrap().click().await.unwrap();
    browser
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("header a[href='/inloggen']"))
        .await
        .expect("logged out: the header offers to log in");
    let header = browser.find(Locator::Css("header")).await.unwrap().text().await.unwrap();
    assert!(!header.contains("Femke de Jong"), "{header}");
    browser.goto(&app.url("/profiel")).await.unwrap();
    wait_for_heading(&browser, "Inloggen").await;
    browser.close().await;
}
