//! The coordinator's dashboard in a browser, wide and on a phone: filter by theme, follow
//! the xlsx download, and no accessibility violations.

use fantoccini::Locator;

use crate::common::browser::{assert_accessible, browser, log_in, text_of};
use crate::common::{CourseSpec, Visitor, local_at, session_at, spawn_app};

#[tokio::test]
async fn a_coordinator_filters_the_dashboard_by_theme_and_downloads_the_xlsx() {
    let Some(browser) = browser().await else {
        return;
    };
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(&app, CourseSpec::new("Energiecoach worden", 10)).await;
    for name in ["Ann Jansen", "Bob Bakker"] {
        let person = app.participant(name).await;
        person.enrols_in(&app, &course).await;
    }
    let (from, to) = session_at(local_at(-1, "19:30"));
    let session = course.session_ids[0];
    app.execute(&format!("UPDATE course_sessions SET starts_at = '{from}', ends_at = '{to}' WHERE id = {session}"))
        .await;

    browser.set_viewport(1280, 900).await;
    log_in(&browser, &app, &coordinator.email, &coordinator.password).await;
    browser.find(Locator::Css("a[href='/beheer/rapportage']")).await.unwrap().click().await.unwrap();
    browser.wait().for_element(Locator::Css("#key-figures-title")).await.unwrap();
    assert_accessible(&browser, "the dashboard, wide").await;

    // filter by theme: the form is a GET, so the filters are in the address
    browser.find(Locator::Css("#theme option[value='energietransitie']")).await.unwrap().click().await.unwrap();
    browser.find(Locator::Css("form.filters button[type='submit']")).await.unwrap().click().await.unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let url = browser.current_url().await.unwrap();
        if url.query().is_some_and(|q| q.contains("theme=energietransitie")) {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "still at {url}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let figures = text_of(&browser, ".key-figures").await;
    assert!(figures.contains("Deelnemers") && figures.contains('2'), "{figures}");
    let chart = browser.find(Locator::Css("#per-theme-svg-desc")).await.unwrap().html(true).await.unwrap();
    assert!(chart.contains("Energietransitie: 2"), "{chart}");

    // the xlsx of the sessions export, with the filter, answers a spreadsheet
    let link = browser
        .find(Locator::Css("a[href^='/api/v1/reports/sessions'][href$='format=xlsx']"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .expect("an href");
    assert!(link.contains("theme=energietransitie"), "{link}");
    let response = Visitor::logged_in(&app, &coordinator).get(&link).await;
    assert_eq!(response.status(), 200, "{link}");
    assert_eq!(response.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with(b"PK"), "an xlsx is a zip file");

    // on a phone: nothing wider than the screen, still accessible
    browser.set_viewport(360, 740).await;
    browser.refresh().await.unwrap();
    browser.wait().for_element(Locator::Css("#key-figures-title")).await.unwrap();
    let overflow = browser.execute("return document.documentElement.scrollWidth", vec![]).await.unwrap();
    assert!(overflow.as_i64().is_some_and(|w| w <= 360), "page width {overflow}");
    assert_accessible(&browser, "the dashboard on a phone").await;
    browser.close().await;
}
