//! Headers on every response: security headers and a request id; static files with long
//! cache lifetimes and ETags.

use std::collections::HashSet;

use reqwest::Response;

use crate::common::{spawn_app, stylesheet_url};

/// Asserts the security headers of `response` and answers its request id.
fn assert_security_headers(what: &str, response: &Response) -> String {
    let header = |name: &str| {
        response.headers().get(name).unwrap_or_else(|| panic!("{what}: no {name} header")).to_str().unwrap().to_owned()
    };
    let csp = header("content-security-policy");
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ] {
        assert!(csp.contains(directive), "{what}: CSP lacks {directive}: {csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{what}: CSP allows inline code: {csp}");
    assert!(!csp.contains("unsafe-eval"), "{what}: CSP allows eval: {csp}");
    assert_eq!(header("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(header("x-frame-options"), "DENY", "{what}");
    let referrer = header("referrer-policy");
    assert!(
        ["no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"].contains(&referrer.as_str()),
        "{what}: referrer policy {referrer}"
    );
    // plain http: no HSTS (it would be ignored, and pin a test host to https)
    assert!(response.headers().get("strict-transport-security").is_none(), "{what}");
    let id = header("x-request-id");
    assert!(!id.trim().is_empty(), "{what}: empty request id");
    id
}

#[tokio::test]
async fn every_response_carries_security_headers_and_a_request_id() {
    let app = spawn_app().await;
    let css = stylesheet_url(&app.page("/").await);
    let responses = [
        ("home page", app.get("/").await),
        ("health check", app.get("/healthz").await),
        ("404 page", app.get("/bestaat-niet").await),
        ("stylesheet", app.get(&css).await),
        ("API problem", app.api(reqwest::Method::GET, "/api/v1/bestaat-niet", None, None).await),
        ("refused form", app.post_form_raw("/taal", &[("lang", "en")], &[]).await),
        (
            "broken JSON",
            app.api_client
                .post(app.url("/api/v1/auth/login"))
                .header("content-type", "application/json")
                .body("{")
                .send()
                .await
                .unwrap(),
        ),
    ];
    let statuses: Vec<u16> = responses.iter().map(|(_, r)| r.status().as_u16()).collect();
    assert_eq!(statuses, [200, 200, 404, 200, 404, 403, 400]);
    let ids: HashSet<String> =
        responses.iter().map(|(what, response)| assert_security_headers(what, response)).collect();
    assert_eq!(ids.len(), responses.len(), "request ids are unique: {ids:?}");
}

#[tokio::test]
async fn the_stylesheet_is_cached_for_long_and_revalidated_by_etag() {
    let app = spawn_app().await;
    let css = stylesheet_url(&app.page("/").await);
    assert!(css.starts_with("/static/app.css?v="), "versioned URL: {css}");

    let response = app.get(&css).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/css; charset=utf-8");
    let cache = response.headers()["cache-control"].to_str().unwrap().to_owned();
    assert!(cache.contains("max-age=31536000"), "{cache}");
    assert!(cache.contains("immutable"), "{cache}");
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    assert!(etag.starts_with('"') && etag.ends_with('"') && etag.len() > 2, "{etag}");
    let body = response.text().await.unwrap();
    assert!(body.contains(".skip-link"), "the real stylesheet");

    let response = app.get_with(&css, &[("if-none-match", &etag)]).await;
    assert_eq!(response.status(), 304);
    assert_eq!(response.headers()["etag"].to_str().unwrap(), etag);
    assert!(response.text().await.unwrap().is_empty());

    let response = app.get_with(&css, &[("if-none-match", "\"iets-anders\"")]).await;
    assert_eq!(response.status(), 200);

    assert_eq!(app.get("/static/bestaat-niet.css").await.status(), 404);
}
