//! The catalogue in a real browser: a participant filters by theme and opens a course; a
//! coordinator creates a course with two sessions through the forms and publishes it.
//! Every page on the way is scanned with axe-core.

use fantoccini::{Client, Locator};
use reqwest::Method;
use serde_json::{Value, json};

use crate::common::browser::{assert_accessible, browser, log_in, press_and_wait, texts};
use crate::common::{Person, TestApp, ahead, id, instant, spawn_app};

/// A published course with one session (19:30–21:30, in Beijum) on each date given (in 2027,
/// moved to next year by `ahead`, so that the sessions are still to come whenever the tests
/// run; no weekdays are checked: they move with the year).
async fn course(app: &TestApp, coordinator: &Person, title: &str, theme: &str, dates: &[&str]) -> Value {
    let body = json!({
        "title": title, "theme": theme, "capacity": 12, "summary": format!("Over {title}."),
        "description": "Wat je leert:\n\n- samenwerken\n- **plannen maken**"
    });
    let course = coordinator.post_course(app, body).await;
    for date in dates {
        let session = json!({"starts_at": ahead(&format!("{date}T19:30")), "ends_at": ahead(&format!("{date}T21:30")),
                             "place": "Buurthuis De Kroon", "address": "Kroonstraat 2", "wijk": "beijum"});
        coordinator.post_session(app, id(&course), &session).await;
    }
    coordinator.set_status(app, id(&course), "published").await
}

/// Wait for the one-time message after a form was sent.
async fn flash(browser: &Client, text: &str) {
    let xpath = format!("//p[contains(@class, 'flash') and contains(., '{text}')]");
    browser.wait().for_element(Locator::XPath(&xpath)).await.unwrap_or_else(|e| panic!("no message “{text}”: {e}"));
}

#[tokio::test]
async fn a_participant_filters_by_theme_and_opens_a_course() {
    let Some(browser) = browser().await else {
        return;
    };
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    course(&app, &coordinator, "Zonnepanelen op je dak", "energietransitie", &["2027-03-10"]).await;
    course(&app, &coordinator, "Ondermijning herkennen", "ondermijning", &["2027-03-12"]).await;
    course(&app, &coordinator, "Warmte uit de bodem", "energietransitie", &["2027-03-17", "2027-03-24"]).await;
    let ann = app.participant("Ann Akker").await;

    log_in(&browser, &app, &ann.email, &ann.password).await;
    browser.goto(&app.url("/cursussen")).await.unwrap();
    assert_eq!(
        texts(&browser, "li.card h2").await,
        ["Zonnepanelen op je dak", "Ondermijning herkennen", "Warmte uit de bodem"]
    );
    assert_accessible(&browser, "the catalogue").await;

    // choose a theme and filter: a plain GET form, so the address can be bookmarked
    browser.find(Locator::Css("#thema")).await.unwrap().select_by_value("energietransitie").await.unwrap();
    browser.find(Locator::Css("form.filters button[type='submit']")).await.unwrap().click().await.unwrap();
    browser
        .wait()
        .for_element(Locator::Css("#thema option[value='energietransitie'][selected]"))
        .await
        .expect("the filtered page");
    let url = browser.current_url().await.unwrap();
    assert_eq!(url.path(), "/cursussen");
    assert!(url.query_pairs().any(|(k, v)| k == "thema" && v == "energietransitie"), "{url}");
    assert_eq!(texts(&browser, "li.card h2").await, ["Zonnepanelen op je dak", "Warmte uit de bodem"]);
    assert_eq!(texts(&browser, "p[role='status']").await, ["2 cursussen gevonden."]);
    assert_accessible(&browser, "the catalogue filtered by theme").await;

    // the address works on its own, as a bookmark
    browser.goto(url.as_str()).await.unwrap();
    assert_eq!(texts(&browser, "li.card h2").await, ["Zonnepanelen op je dak", "Warmte uit de bodem"]);

    press_and_wait(&browser, Locator::LinkText("Warmte uit de bodem")).await;
    let heading = browser.find(Locator::Css("h1")).await.unwrap();
    assert_eq!(heading.text().await.unwrap(), "Warmte uit de bodem");
    assert_eq!(browser.current_url().await.unwrap().path(), "/cursussen/warmte-uit-de-bodem");
    let sessions = texts(&browser, "ul.sessions li").await;
    assert_eq!(sessions.len(), 2, "{sessions:?}");
    assert!(sessions[0].contains(&ahead(" 17 maart 2027, 19:30–21:30")), "{sessions:?}");
    assert!(sessions[1].contains("Buurthuis De Kroon, Kroonstraat 2 (Beijum)"), "{sessions:?}");
    assert_eq!(texts(&browser, ".description li strong").await, ["plannen maken"]);
    assert_eq!(texts(&browser, ".enrol-box button[type='submit']").await, ["Schrijf me in"]);
    assert_eq!(texts(&browser, ".enrol-box .tag").await, ["Nog 12 plekken"]);
    assert_accessible(&browser, "a course page").await;
    browser.close().await;
}

#[tokio::test]
async fn a_coordinator_creates_a_course_with_two_sessions_and_publishes_it() {
    let Some(browser) = browser().await else {
        return;
    };
    let app = spawn_app().await;
    let cora = app.coordinator().await;
    log_in(&browser, &app, &cora.email, &cora.password).await;

    browser.goto(&app.url("/beheer/cursussen/nieuw")).await.unwrap();
    assert_accessible(&browser, "the new course form").await;

    // first without a title and with 0 places: the errors show, each at its field
    let capacity = browser.find(Locator::Css("#capacity")).await.unwrap();
    capacity.clear().await.unwrap();
    capacity.send_keys("0").await.unwrap();
    browser.find(Locator::Css("#summary")).await.unwrap().send_keys("Samen maken we de buurt groener.").await.unwrap();
    browser.find(Locator::Css("main form button[type='submit']")).await.unwrap().click().await.unwrap();
    browser.wait().for_element(Locator::Css(".error-summary")).await.expect("the errors");
    let title_error = texts(&browser, "#title-error").await;
    assert!(title_error.len() == 1 && title_error[0].ends_with("Vul dit veld in."), "{title_error:?}");
    assert!(!texts(&browser, "#capacity-error").await.is_empty());
    assert_eq!(
        browser.find(Locator::Css("#capacity")).await.unwrap().attr("aria-invalid").await.unwrap().as_deref(),
        Some("true")
    );
    let summary = browser.find(Locator::Css("#summary")).await.unwrap().prop("value").await.unwrap();
    assert_eq!(summary.as_deref(), Some("Samen maken we de buurt groener."), "what was typed is kept");
    assert_accessible(&browser, "the course form showing errors").await;

    browser.find(Locator::Css("#title")).await.unwrap().send_keys("Samen de buurt vergroenen").await.unwrap();
    browser
        .find(Locator::Css("#description"))
        .await
        .unwrap()
        .send_keys("We maken een plan voor:\n\n- geveltuinen\n- een buurtmoestuin")
        .await
        .unwrap();
    browser.find(Locator::Css("#theme")).await.unwrap().select_by_value("wijkvernieuwing").await.unwrap();
    browser.find(Locator::Css("#format-werkplaats")).await.unwrap().click().await.unwrap();
    let capacity = browser.find(Locator::Css("#capacity")).await.unwrap();
    capacity.clear().await.unwrap();
    capacity.send_keys("16").await.unwrap();
    press_and_wait(&browser, Locator::Css("main form button[type='submit']")).await;
    flash(&browser, "De cursus is gemaakt.").await;
    let manage = browser.current_url().await.unwrap();
    assert!(manage.path().starts_with("/beheer/cursussen/"), "{manage}");

    // two sessions with the date and time fields (native pickers: the value is set as a
    // picker would set it), one in winter time and one in summer time
    for (date, place) in [(ahead("2027-02-20"), "Wijkcentrum Selwerd"), (ahead("2027-06-30"), "Bibliotheek Selwerd")] {
        browser
            .execute(
                "document.getElementById('date').value = arguments[0];
                 document.getElementById('start_time').value = '19:30';
                 document.getElementById('end_time').value = '21:30';",
                vec![json!(&date)],
            )
            .await
            .unwrap();
        browser.find(Locator::Css("#place")).await.unwrap().send_keys(place).await.unwrap();
        browser.find(Locator::Css("#wijk")).await.unwrap().select_by_value("selwerd").await.unwrap();
        // the page shows the same message after the first session: wait for the new one
        press_and_wait(&browser, Locator::Css("form[action$='/sessies#sessie-toevoegen'] button[type='submit']")).await;
        flash(&browser, "De bijeenkomst is toegevoegd.").await;
    }
    let sessions = texts(&browser, "ul.sessions li").await;
    assert_eq!(sessions.len(), 2, "{sessions:?}");
    assert!(sessions[0].contains(&ahead(" 20 februari 2027, 19:30–21:30")), "{sessions:?}");
    assert!(sessions[1].contains(&ahead(" 30 juni 2027, 19:30–21:30")), "{sessions:?}");
    assert_accessible(&browser, "the course management page").await;

    press_and_wait(&browser, Locator::XPath("//button[normalize-space() = 'Publiceren']")).await;
    flash(&browser, "De cursus is gepubliceerd.").await;

    // the public sees it, with both sessions at the right moments
    let (status, list) = {
        let response = app.api(Method::GET, "/api/v1/courses", None, None).await;
        (response.status(), response.json::<Value>().await.unwrap())
    };
    assert_eq!(status, 200);
    assert_eq!(list["total"], 1, "{list}");
    let item = &list["items"][0];
    assert_eq!(item["title"], "Samen de buurt vergroenen");
    assert_eq!((item["status"].as_str(), item["session_count"].as_i64()), (Some("published"), Some(2)));
    assert_eq!(
        (item["theme"].as_str(), item["format"].as_str(), item["capacity"].as_i64()),
        (Some("wijkvernieuwing"), Some("werkplaats"), Some(16))
    );
    let course = app
        .api(Method::GET, &format!("/api/v1/courses/{}", item["id"]), None, None)
        .await
        .json::<Value>()
        .await
        .unwrap();
    let starts: Vec<chrono::DateTime<chrono::Utc>> =
        course["sessions"].as_array().unwrap().iter().map(|s| instant(&s["starts_at"])).collect();
    assert_eq!(
        starts,
        [
            ahead("2027-02-20T18:30:00Z").parse::<chrono::DateTime<chrono::Utc>>().unwrap(),
            ahead("2027-06-30T17:30:00Z").parse().unwrap()
        ]
    );

    browser.goto(&app.url("/cursussen/samen-de-buurt-vergroenen")).await.unwrap();
    assert_eq!(texts(&browser, ".description li").await, ["geveltuinen", "een buurtmoestuin"]);
    browser.close().await;
}
