//! A waiting-list offer on a phone (360 × 740): the participant sees the offer and its
//! deadline on "Mijn cursussen", then opens the link from the email in a browser where they
//! are not logged in (the token in the link is enough) and takes the seat with one button,
//! with no accessibility violations on the way.

use fantoccini::Locator;
use serde_json::json;

use crate::common::browser::{assert_accessible, browser, fill_in_login, text_of, wait_for_path};
use crate::common::{CourseSpec, spawn_app};

#[tokio::test]
async fn a_participant_accepts_an_offer_from_the_email_link_on_a_phone() {
    let Some(browser) = browser().await else {
        return;
    };
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(&app, CourseSpec::new("Energiecafé in de wijk", 1)).await;
    let path = format!("/api/v1/courses/{}", course.id);
    let (status, body) =
        coordinator.patch_json(&app, &path, &json!({"waitlist_mode": "offer", "offer_hours": 48})).await;
    assert_eq!(status, 200, "{body}");
    let ann = app.participant("Ann").await;
    ann.enrols_in(&app, &course).await;
    let bob = app.participant("Bob de Vries").await;
    assert_eq!(bob.enrols_in(&app, &course).await, "waitlisted");
    assert_eq!(ann.cancel(&app, &course).await.0, 200);
    let mail = app.mail_to(&bob, "Er is een plek vrij voor jou").await;
    let link = mail.link_to("/aanbod/").expect("a link to the offer");
    assert!(link.contains("?token="), "{link}");

    browser.set_viewport(360, 740).await;
    browser.goto(&app.url("/inloggen")).await.unwrap();
    fill_in_login(&browser, &bob.email, &bob.password).await;
    wait_for_path(&browser, "/mijn-cursussen").await;
    let card = text_of(&browser, ".offer").await;
    assert!(card.contains("Aanbod loopt tot"), "{card}");
    assert_accessible(&browser, "Mijn cursussen with an offer").await;

    // the link opened where nobody is logged in (a phone's mail app, say)
    browser.delete_all_cookies().await.unwrap();
    browser.goto(&link).await.unwrap();
    assert_eq!(text_of(&browser, "h1").await, "Een plek voor jou: Energiecafé in de wijk");
    assert_accessible(&browser, "the page of the offer").await;
    browser
        .find(Locator::XPath("//main//button[normalize-space()='Ik neem de plek']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_path(&browser, "/cursussen?melding=offer-accepted").await;
    assert_eq!(text_of(&browser, ".flash").await, "Je hebt de plek. Je krijgt een bevestiging per e-mail.");
    assert_accessible(&browser, "the catalogue after accepting").await;
    // the link worked once: opened again, it says so kindly
    browser.goto(&link).await.unwrap();
    assert_eq!(text_of(&browser, "h1").await, "Deze link werkt niet meer");
    assert_accessible(&browser, "a used offer link").await;
    browser.goto(&app.url("/inloggen")).await.unwrap();
    fill_in_login(&browser, &bob.email, &bob.password).await;
    wait_for_path(&browser, "/mijn-cursussen").await;
    let upcoming = text_of(&browser, "section[aria-labelledby='upcoming'] .card").await;
    assert!(upcoming.contains("Ingeschreven"), "{upcoming}");
    assert_accessible(&browser, "Mijn cursussen after accepting").await;
    let seats = app.seats(&course).await;
    assert_eq!((seats[0].user_id, seats[0].status.as_str()), (bob.id, "enrolled"));
    app.mail_to(&bob, "Je bent ingeschreven: Energiecafé in de wijk").await;
    browser.close().await;
}
