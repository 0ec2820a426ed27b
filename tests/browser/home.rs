//! The home page and the layout in a real browser: no accessibility violations in either
//! language, usable on a 320 px wide screen and with the keyboard only.

use fantoccini::Locator;
use serde_json::Value;

use crate::common::browser::{assert_accessible, browser};
use crate::common::spawn_app;

#[tokio::test]
async fn home_page_has_no_accessibility_violations_in_dutch_and_english() {
    let Some(browser) = browser().await else {
        return;
    };
    let app = spawn_app().await;

    browser.goto(&app.url("/")).await.unwrap();
    assert_eq!(browser.eval("document.documentElement.lang").await, "nl");
    assert_accessible(&browser, "the Dutch home page").await;

    // the language switch is a real form post (with its CSRF token) back to this page
    browser.find(Locator::Css("form.lang-switch button")).await.unwrap().click().await.unwrap();
    browser.wait().for_element(Locator::Css("html[lang='en']")).await.expect("the page turns English");
    assert_eq!(browser.current_url().await.unwrap().path(), "/");
    let heading = browser.find(Locator::Css("h1")).await.unwrap().text().await.unwrap();
    assert_eq!(heading, "Learning for your neighbourhood and village");
    assert_accessible(&browser, "the English home page").await;

    browser.goto(&app.url("/bestaat-niet")).await.unwrap();
    assert_accessible(&browser, "the English 404 page").await;
    browser.close().await;
}

#[tokio::test]
async fn home_page_fits_a_320px_screen_and_works_with_the_keyboard() {
    let Some(browser) = browser().await else {
        return;
    };
    let app = spawn_app().await;

    browser.set_viewport(320, 720).await;
    browser.goto(&app.url("/")).await.unwrap();
    assert_eq!(browser.eval("window.innerWidth").await, 320, "the screen is 320 px wide");
    let scroll_width = browser.eval("document.documentElement.scrollWidth").await;
    assert!(scroll_width.as_u64().is_some_and(|w| w <= 320), "the page scrolls sideways: scrollWidth {scroll_width}");

    // the first Tab reaches the skip link, which then shows on screen
    browser.press_tab(1).await;
    let focused = browser
        .eval(
            "(() => { const e = document.activeElement, r = e.getBoundingClientRect();
                return { cls: e.className, href: e.getAttribute('href'), text: e.textContent,
                         left: r.left, right: r.right, top: r.top, bottom: r.bottom }; })()",
        )
        .await;
    assert_eq!(focused["cls"], "skip-link", "{focused}");
    assert_eq!(focused["href"], "#main");
    assert_eq!(focused["text"], "Ga naar de inhoud");
    let on_screen = |v: &Value, low: &str, high: &str, limit: f64| {
        v[low].as_f64().unwrap() >= 0.0 && v[high].as_f64().unwrap() <= limit
    };
    assert!(on_screen(&focused, "left", "right", 320.0), "skip link is off screen: {focused}");
    assert!(on_screen(&focused, "top", "bottom", 720.0), "skip link is off screen: {focused}");

    // Enter follows it to the main content; the next Tab is inside it
    browser.active_element().await.unwrap().send_keys("\u{E007}").await.unwrap();
    assert_eq!(browser.eval("location.hash").await, "#main");
    assert_eq!(browser.eval("document.activeElement.id").await, "main");
    browser.press_tab(1).await;
    assert_eq!(browser.eval("document.activeElement.closest('main') !== null").await, true);
    assert_eq!(browser.eval("document.activeElement.textContent.trim()").await, "Bekijk de cursussen");

    // every link and button of the header can be reached with Tab, in order
    browser.goto(&app.url("/")).await.unwrap();
    let mut reached = Vec::new();
    for _ in 0..12 {
        browser.press_tab(1).await;
        let text = browser.eval("document.activeElement.textContent.trim()").await;
        reached.push(text.as_str().unwrap_or_default().to_owned());
    }
    let expected = ["Ga naar de inhoud", "Wijkmakers Academie", "English", "Cursussen", "Inloggen", "Account maken"];
    assert_eq!(&reached[..expected.len()], expected, "tab order: {reached:?}");
    browser.close().await;
}

#[tokio::test]
async fn the_accessibility_scan_reports_what_is_broken() {
    let Some(browser) = browser().await else {
        return;
    };
    let app = spawn_app().await;
    browser.goto(&app.url("/")).await.unwrap();
    // break the page on purpose: an image without a text alternative, an unlabelled field
    browser
        .execute(
            "const img = document.createElement('img');
             img.src = '/static/favicon.svg'; img.id = 'kapot';
             document.querySelector('main').appendChild(img);
             const input = document.createElement('input'); input.id = 'naamloos';
             document.querySelector('main').appendChild(input);",
            vec![],
        )
        .await
        .unwrap();
    let violations = crate::common::browser::axe_scan(&browser).await;
    let image = violations
        .iter()
        .find(|v| v.id == "image-alt")
        .unwrap_or_else(|| panic!("image-alt not reported: {violations:?}"));
    assert_eq!(image.nodes[0].target, serde_json::json!(["#kapot"]));
    assert!(violations.iter().any(|v| v.id == "label"), "{violations:?}");
    browser.close().await;
}
