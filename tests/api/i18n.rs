//! Languages: Dutch by default, English by Accept-Language or by the language switch
//! (a form post with a CSRF token, like every form).

use crate::common::spawn_app;

const DUTCH_TITLE: &str = "Leren voor je wijk en je dorp";
const ENGLISH_TITLE: &str = "Learning for your neighbourhood and village";

#[tokio::test]
async fn pages_are_dutch_by_default() {
    let app = spawn_app().await;
    let body = app.page("/").await;
    assert!(body.contains(r#"<html lang="nl">"#));
    assert!(body.contains(DUTCH_TITLE));
    assert!(body.contains("Ga naar de inhoud"));
    // the switch offers English, itself marked as English
    assert!(body.contains(r#"<input type="hidden" name="lang" value="en">"#));
    assert!(body.contains(r#"lang="en">English</button>"#), "{body}");
}

#[tokio::test]
async fn accept_language_english_gives_an_english_page() {
    let app = spawn_app().await;
    let response = app.get_with("/", &[("accept-language", "en-US,en;q=0.9")]).await;
    assert_eq!(response.status(), 200);
    let body = response.text().await.unwrap();
    assert!(body.contains(r#"<html lang="en">"#));
    assert!(body.contains(ENGLISH_TITLE));
    assert!(!body.contains(DUTCH_TITLE));

    // an unsupported language falls back to Dutch; a preferred Dutch wins over English
    for header in ["de-DE,fr;q=0.8", "nl;q=0.9,en;q=0.5"] {
        let body = app.get_with("/", &[("accept-language", header)]).await.text().await.unwrap();
        assert!(body.contains(r#"<html lang="nl">"#), "{header}");
    }
}

#[tokio::test]
async fn the_language_switch_sets_a_cookie_and_the_next_page_is_english() {
    let app = spawn_app().await;
    let response = app.post_form("/taal", &[("lang", "en"), ("terug", "/cursussen?thema=energie")]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/cursussen?thema=energie");
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("lang="))
        .expect("a lang cookie");
    assert!(cookie.starts_with("lang=en;"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");

    let body = app.page("/").await;
    assert!(body.contains(r#"<html lang="en">"#));
    assert!(body.contains(ENGLISH_TITLE));

    // and back: the cookie beats the browser's Accept-Language
    let response = app.post_form("/taal", &[("lang", "nl"), ("terug", "/")]).await;
    assert_eq!(response.status(), 303);
    let body = app.get_with("/", &[("accept-language", "en")]).await.text().await.unwrap();
    assert!(body.contains(r#"<html lang="nl">"#));
}

#[tokio::test]
async fn the_switch_only_returns_to_a_path_on_this_site() {
    let app = spawn_app().await;
    for target in ["//evil.example/", "https://evil.example/", "/\\evil.example"] {
        let response = app.post_form("/taal", &[("lang", "en"), ("terug", target)]).await;
        assert_eq!(response.status(), 303, "{target}");
        assert_eq!(response.headers()["location"], "/", "{target}");
    }
}

#[tokio::test]
async fn an_unknown_language_is_refused() {
    let app = spawn_app().await;
    let response = app.post_form("/taal", &[("lang", "xx"), ("terug", "/")]).await;
    assert_eq!(response.status(), 422);
    assert!(response.headers().get("set-cookie").is_none_or(|c| !c.to_str().unwrap().starts_with("lang=")));
    assert!(app.page("/").await.contains(r#"<html lang="nl">"#));
}

#[tokio::test]
async fn a_post_without_the_right_csrf_token_is_refused() {
    let app = spawn_app().await;
    let token = app.csrf_token("/").await;
    let origin = app.address.clone();
    type Fields<'a> = Vec<(&'a str, &'a str)>;
    let cases: Vec<(&str, Fields, Fields)> = vec![
        ("no token", vec![("lang", "en")], vec![("origin", &origin)]),
        ("empty token", vec![("lang", "en"), ("csrf_token", "")], vec![("origin", &origin)]),
        ("wrong token", vec![("lang", "en"), ("csrf_token", "0123456789abcdef")], vec![("origin", &origin)]),
        (
            "right token from another site",
            vec![("lang", "en"), ("csrf_token", &token)],
            vec![("origin", "https://evil.example")],
        ),
        ("right token from an opaque origin", vec![("lang", "en"), ("csrf_token", &token)], vec![("origin", "null")]),
        (
            "right token, browser says cross-site",
            vec![("lang", "en"), ("csrf_token", &token)],
            vec![("sec-fetch-site", "cross-site")],
        ),
    ];
    for (what, fields, headers) in &cases {
        let response = app.post_form_raw("/taal", fields, headers).await;
        assert_eq!(response.status(), 403, "{what}");
        assert!(
            response.headers().get_all("set-cookie").iter().all(|c| !c.to_str().unwrap().starts_with("lang=")),
            "{what}: the language was switched"
        );
    }
    assert!(app.page("/").await.contains(r#"<html lang="nl">"#));

    // the token is bound to this browser: another browser cannot use it
    let stranger =
        reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    stranger.get(app.url("/")).send().await.unwrap();
    let response =
        stranger.post(app.url("/taal")).form(&[("lang", "en"), ("csrf_token", &token)]).send().await.unwrap();
    assert_eq!(response.status(), 403, "token of another browser");

    // positive control: the same token, same site, is accepted
    let response = app.post_form_raw("/taal", &[("lang", "en"), ("csrf_token", &token)], &[("origin", &origin)]).await;
    assert_eq!(response.status(), 303);
}

#[tokio::test]
async fn a_logged_in_user_keeps_the_chosen_language_in_the_account() {
    use diesel::prelude::*;
    use wijkmakers::db::schema::users;

    let app = spawn_app().await;
    let user = app
        .add_user("lotte@example.org", "Lotte", wijkmakers::auth::Role::Participant, "een lange zin als wachtwoord")
        .await;
    app.login("lotte@example.org", "een lange zin als wachtwoord").await;
    let response = app.post_form("/taal", &[("lang", "en"), ("terug", "/")]).await;
    assert_eq!(response.status(), 303);
    let id = user.id;
    let locale: String =
        app.pool.run(move |conn| Ok(users::table.find(id).select(users::locale).first(conn)?)).await.unwrap();
    assert_eq!(locale, "en", "emails to this user will be English");
}
