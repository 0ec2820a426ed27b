//! After the verification link (issue 15): the person is logged in on the browser that
//! registered, or lands on the login form with the address filled in; either way they go on
//! to the course they were enrolling in. The way back is a local path, carried from the
//! course page through registration, the email and the verification; never a redirect to
//! another site.

use crate::common::{
    CourseSpec, PASSWORD, Visitor, hidden_input, input_value, location, set_cookies, spawn_app, token_in,
};

/// A hidden input of the form that posts to `action` (the language switch has a `terug` too).
fn hidden_in_form(page: &str, action: &str, name: &str) -> Option<String> {
    let start = page.find(&format!("action=\"{action}\""))?;
    hidden_input(&page[start..], name)
}

const FIELDS: [(&str, &str); 4] =
    [("name", "Femke de Jong"), ("email", "femke@example.org"), ("password", PASSWORD), ("privacy_consent", "ja")];

#[tokio::test]
async fn the_browser_that_registered_is_logged_in_and_goes_on_to_the_course() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(app, CourseSpec::new("Energiecafé", 12)).await;
    let browser = Visitor::new(app);

    // the course page's "register" link remembers the course
    let register = format!("/registreren?terug=/cursussen/{}", course.slug);
    let page = browser.page(&course.page()).await;
    assert!(page.contains(&format!("href=\"{register}\"")), "{page}");
    let form = browser.page(&register).await;
    assert_eq!(hidden_in_form(&form, "/registreren", "terug").as_deref(), Some(course.page().as_str()));
    let back = course.page();
    let mut fields = FIELDS.to_vec();
    fields.push(("terug", &back));
    let response = browser.submit(&register, "/registreren", &fields).await;
    assert_eq!(location(&response), "/registreren/verstuurd");

    // the email's link carries it (encoded), and so does the page behind the link
    let link = app.link_in_mail("femke@example.org", 1, "/e-mail-bevestigen").await;
    assert!(link.ends_with(&format!("&terug=%2Fcursussen%2F{}", course.slug)), "{link}");
    let path = link.strip_prefix(&app.address).unwrap();
    let confirm = browser.page(path).await;
    assert_eq!(hidden_in_form(&confirm, "/e-mail-bevestigen", "terug").as_deref(), Some(course.page().as_str()));

    let response =
        browser.submit(path, "/e-mail-bevestigen", &[("token", &token_in(&link)), ("terug", &course.page())]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), format!("{}?melding=email-verified", course.page()));
    assert!(set_cookies(&response).iter().any(|c| c.starts_with("wm_session=")), "logged in");

    // logged in, verified, at the course: one click enrols
    let page = browser.page(&course.page()).await;
    assert!(page.contains(&format!("action=\"{}/inschrijven\"", course.page())), "{page}");
    let response = browser.submit(&course.page(), &format!("{}/inschrijven", course.page()), &[]).await;
    assert_eq!(location(&response), "/mijn-cursussen?melding=enrolled");
}

#[tokio::test]
async fn another_browser_lands_on_the_login_form_with_the_address_and_the_way_back() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(app, CourseSpec::new("Energiecafé", 12)).await;
    let registering = Visitor::new(app);
    let register = format!("/registreren?terug={}", course.page());
    let back = course.page();
    let mut fields = FIELDS.to_vec();
    fields.push(("terug", &back));
    registering.submit(&register, "/registreren", &fields).await;
    let link = app.link_in_mail("femke@example.org", 1, "/e-mail-bevestigen").await;
    let path = link.strip_prefix(&app.address).unwrap();

    // the link opened on a phone: verified, but no session for a browser that proved nothing
    let phone = Visitor::new(app);
    let response =
        phone.submit(path, "/e-mail-bevestigen", &[("token", &token_in(&link)), ("terug", &course.page())]).await;
    assert_eq!(response.status(), 200);
    assert!(!set_cookies(&response).iter().any(|c| c.starts_with("wm_session=")), "not logged in");
    let page = response.text().await.unwrap();
    assert!(page.contains("action=\"/inloggen\""), "{page}");
    assert_eq!(input_value(&page, "email"), "femke@example.org");
    assert_eq!(hidden_in_form(&page, "/inloggen", "terug").as_deref(), Some(course.page().as_str()));
    assert_eq!(app.text("SELECT (email_verified_at IS NOT NULL)::text AS v FROM users").await.unwrap(), "true");

    let response = phone
        .submit(path, "/inloggen", &[("email", "femke@example.org"), ("password", PASSWORD), ("terug", &course.page())])
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), course.page());
}

#[tokio::test]
async fn the_way_back_never_leaves_the_site() {
    let app = &spawn_app().await;
    for (n, away) in
        ["//evil.example/x", "https://evil.example/", "/\\evil.example", "/cursussen\r\nX: y"].into_iter().enumerate()
    {
        let browser = Visitor::new(app);
        let email = format!("iemand{n}@example.org");
        let fields = [
            ("name", "Iemand"),
            ("email", email.as_str()),
            ("password", PASSWORD),
            ("privacy_consent", "ja"),
            ("terug", away),
        ];
        let response = browser.submit("/registreren", "/registreren", &fields).await;
        assert_eq!(location(&response), "/registreren/verstuurd");
        let link = app.link_in_mail(email.as_str(), 1, "/e-mail-bevestigen").await;
        assert!(!link.contains("terug"), "{away:?} is not carried: {link}");
        // posted straight to the verification, it is ignored too
        let response =
            browser.submit("/registreren", "/e-mail-bevestigen", &[("token", &token_in(&link)), ("terug", away)]).await;
        assert_eq!(response.status(), 303);
        assert_eq!(location(&response), "/mijn-cursussen?melding=email-verified", "{away:?}");
    }
}
