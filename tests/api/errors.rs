//! Errors: pages in the layout, in the reader's language, for the site; problem+json
//! (RFC 9457) for `/api/v1`.

use reqwest::{Method, Response};
use serde_json::{Value, json};

use crate::common::{AppOptions, header, hidden_input, problem, spawn_app, spawn_app_with};

/// An HTML error page in the layout.
async fn error_page(response: Response) -> (u16, String) {
    let status = response.status().as_u16();
    assert!(header(&response, "content-type").starts_with("text/html"), "{}", header(&response, "content-type"));
    let body = response.text().await.unwrap();
    assert!(body.starts_with("<!doctype html>"), "{body}");
    assert!(body.contains(r##"<a class="skip-link" href="#main">"##), "not in the layout: {body}");
    assert!(body.contains(r#"<main id="main""#), "not in the layout: {body}");
    (status, body)
}

#[tokio::test]
async fn an_unknown_page_is_a_dutch_404_page_in_the_layout() {
    let app = spawn_app().await;
    let (status, body) = error_page(app.get("/bestaat-niet").await).await;
    assert_eq!(status, 404);
    assert!(body.contains(r#"<html lang="nl">"#));
    assert!(body.contains("<h1>Niet gevonden</h1>"), "{body}");
    assert!(body.contains("Deze pagina of dit onderdeel bestaat niet (meer)."));
    assert!(body.contains(r#"<a href="/">Naar de startpagina</a>"#));
}

#[tokio::test]
async fn the_404_page_is_english_for_an_english_reader() {
    let app = spawn_app().await;
    let response = app.get_with("/bestaat-niet", &[("accept-language", "en-GB,en;q=0.9")]).await;
    let (status, body) = error_page(response).await;
    assert_eq!(status, 404);
    assert!(body.contains(r#"<html lang="en">"#));
    assert!(body.contains("<h1>Not found</h1>"), "{body}");
}

#[tokio::test]
async fn a_refused_form_is_a_dutch_403_page() {
    let app = spawn_app().await;
    let response = app.post_form_raw("/taal", &[("lang", "en"), ("terug", "/")], &[]).await;
    let (status, body) = error_page(response).await;
    assert_eq!(status, 403);
    assert!(body.contains("<h1>Geen toegang</h1>"), "{body}");
    assert!(body.contains("Dit formulier is verlopen of kwam niet van deze website."));
}

#[tokio::test]
async fn database_trouble_is_a_503_page_with_the_request_id() {
    let app =
        spawn_app_with(AppOptions { database_reachable: false, mail_worker: false, ..AppOptions::default() }).await;
    // a session cookie makes the app look the user up, which needs the database
    let response =
        app.api_client.get(app.url("/")).header("cookie", "wm_session=a-session-token").send().await.unwrap();
    let request_id = response.headers()["x-request-id"].to_str().unwrap().to_owned();
    let (status, body) = error_page(response).await;
    assert_eq!(status, 503);
    assert!(body.contains("<h1>Even niet beschikbaar</h1>"), "{body}");
    assert!(body.contains(&format!("Noem dan deze code: {request_id}")), "{body}");
    assert!(!body.contains("Connection refused"), "no internals on the page");

    let response = app.api(Method::GET, "/api/v1/me", None, Some("a-bearer-token")).await;
    let (status, body) = problem(response).await;
    assert_eq!(status, 503);
    assert_eq!(body["type"], "/problemen/unavailable");
    assert!(!body.to_string().contains("refused"), "no internals: {body}");
}

#[tokio::test]
async fn an_unknown_api_path_is_a_problem() {
    let app = spawn_app().await;
    let (status, body) = problem(app.api(Method::GET, "/api/v1/bestaat-niet", None, None).await).await;
    assert_eq!(status, 404);
    assert_eq!(body["type"], "/problemen/not-found");
    assert_eq!(body["title"], "Niet gevonden");
    assert_eq!(body["instance"], "/api/v1/bestaat-niet");
    assert!(body.get("errors").is_none(), "{body}");
}

#[tokio::test]
async fn the_api_answers_401_with_a_bearer_challenge_without_credentials() {
    let app = spawn_app().await;
    let response = app.api(Method::GET, "/api/v1/me", None, None).await;
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    let (status, body) = problem(response).await;
    assert_eq!(status, 401);
    assert_eq!(body["type"], "/problemen/unauthorized");

    let response = app.api(Method::GET, "/api/v1/me", None, Some("een-verzonnen-token")).await;
    assert_eq!(problem(response).await.0, 401, "an unknown token");

    // positive control: a real token is accepted
    let tom = app.trainer("Tom").await;
    let response = app.api(Method::GET, "/api/v1/me", None, Some(&tom.token)).await;
    assert_eq!(response.status(), 200);
    let me: Value = response.json().await.unwrap();
    assert_eq!(me["role"], "trainer", "{me}");
}

#[tokio::test]
async fn a_value_of_the_wrong_type_is_422_naming_the_field() {
    let app = spawn_app().await;
    let (status, body) = problem(app.post_json("/api/v1/auth/login", &json!({"email": 1})).await).await;
    assert_eq!(status, 422);
    assert_eq!(body["type"], "/problemen/validation");
    let errors = body["errors"].as_array().expect("an errors array");
    assert_eq!(errors.len(), 1, "{body}");
    assert_eq!(errors[0]["field"], "email");
    assert!(errors[0]["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");

    let response =
        app.post_json("/api/v1/auth/login", &json!({"email": "ann@example.org", "password": ["geheim"]})).await;
    let (status, body) = problem(response).await;
    assert_eq!(status, 422);
    assert_eq!(body["errors"][0]["field"], "password", "{body}");
}

#[tokio::test]
async fn broken_json_is_400() {
    let app = spawn_app().await;
    let response = app
        .api_client
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body(r#"{"email": "ann@example.org", "password": "#)
        .send()
        .await
        .unwrap();
    let (status, body) = problem(response).await;
    assert_eq!(status, 400);
    assert_eq!(body["type"], "/problemen/bad-request");
    assert_eq!(body["detail"], "De inhoud is geen geldige JSON.");
}

#[tokio::test]
async fn a_body_over_256_kib_is_413_and_one_under_it_is_read() {
    let app = spawn_app().await;
    let filler = |size: usize| {
        let prefix = r#"{"email": "ann@example.org", "password": ""#;
        let mut body = String::from(prefix);
        body.push_str(&"x".repeat(size - prefix.len() - 2));
        body.push_str("\"}");
        assert_eq!(body.len(), size);
        body
    };
    let post = |body: String| {
        app.api_client.post(app.url("/api/v1/auth/login")).header("content-type", "application/json").body(body).send()
    };
    let (status, body) = problem(post(filler(256 * 1024 + 1)).await.unwrap()).await;
    assert_eq!(status, 413);
    assert_eq!(body["type"], "/problemen/payload-too-large");

    // just under the limit the body is read (and the login simply fails)
    let (status, _) = problem(post(filler(200 * 1024)).await.unwrap()).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn another_content_type_is_415() {
    let app = spawn_app().await;
    let response = app
        .api_client
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "text/plain")
        .body(r#"{"email": "ann@example.org", "password": "geheim"}"#)
        .send()
        .await
        .unwrap();
    let (status, body) = problem(response).await;
    assert_eq!(status, 415);
    assert_eq!(body["type"], "/problemen/unsupported-media-type");
}

#[tokio::test]
async fn problems_are_in_english_for_an_english_client() {
    let app = spawn_app().await;
    let response =
        app.api_client.get(app.url("/api/v1/bestaat-niet")).header("accept-language", "en").send().await.unwrap();
    let (status, body) = problem(response).await;
    assert_eq!(status, 404);
    assert_eq!(body["title"], "Not found");
}

#[tokio::test]
async fn an_error_page_keeps_the_cookies_set_on_the_way() {
    let app = spawn_app().await;
    // a first visit that lands on an error page gets its CSRF seed, so the language
    // switch on that page works
    let response = app.get("/bestaat-niet").await;
    assert_eq!(response.status(), 404);
    let cookies: Vec<String> =
        response.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect();
    assert!(cookies.iter().any(|c| c.starts_with("wm_csrf=")), "{cookies:?}");
    let token = hidden_input(&response.text().await.unwrap(), "csrf_token").expect("the layout's language switch");
    let response = app
        .post_form_raw(
            "/taal",
            &[("lang", "en"), ("terug", "/bestaat-niet"), ("csrf_token", &token)],
            &[("origin", &app.address)],
        )
        .await;
    assert_eq!(response.status(), 303);

    // a stale session cookie is removed, also when the page is an error
    let response = app
        .api_client
        .get(app.url("/bestaat-niet"))
        .header("cookie", "wm_session=verlopen-sessie")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let removal = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("wm_session="))
        .expect("the stale session cookie is removed");
    assert!(removal.contains("Max-Age=0") || removal.contains("1970"), "{removal}");
}
