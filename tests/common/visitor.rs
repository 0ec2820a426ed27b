//! A browser-like HTTP client: its own cookie jar, no redirects followed, and forms posted
//! the way a browser posts them (with the CSRF token of the page and this site's Origin).
//! `TestApp` has one of its own (`app.get`, `app.post_form`, `app.login`, …); make more
//! for a second person, a second browser or another instance.

use std::sync::Arc;
use std::time::Duration;

use reqwest::Response;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::html::hidden_input;
use super::people::Person;
use super::{TestApp, answers};

pub struct Visitor {
    pub client: reqwest::Client,
    /// The site, `http://127.0.0.1:<port>`.
    pub address: String,
}

fn header_map(headers: &[(&str, &str)]) -> HeaderMap {
    headers
        .iter()
        .map(|(name, value)| {
            (
                HeaderName::from_bytes(name.as_bytes()).expect("header name"),
                HeaderValue::from_str(value).expect("header value"),
            )
        })
        .collect()
}

impl Visitor {
    /// A new browser on the app, not logged in.
    pub fn new(app: &TestApp) -> Visitor {
        Visitor::at(&app.address)
    }

    /// A new browser on the site at `address` (say, another instance of the app).
    pub fn at(address: &str) -> Visitor {
        Visitor::with_jar(address, Arc::new(reqwest::cookie::Jar::default()))
    }

    /// A browser that carries `person`'s login session as its cookie (every [`Person`] has
    /// one), without going through the login form.
    pub fn logged_in(app: &TestApp, person: &Person) -> Visitor {
        let jar = Arc::new(reqwest::cookie::Jar::default());
        let url = url::Url::parse(&app.address).expect("app URL");
        jar.add_cookie_str(&format!("wm_session={}; Path=/", person.token), &url);
        Visitor::with_jar(&app.address, jar)
    }

    fn with_jar(address: &str, jar: Arc<reqwest::cookie::Jar>) -> Visitor {
        let client = reqwest::Client::builder()
            .cookie_provider(jar)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .expect("build the HTTP client");
        Visitor { client, address: address.to_owned() }
    }

    /// The absolute URL of `path` on this visitor's site.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.get_with(path, &[]).await
    }

    /// GET with extra headers.
    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Response {
        self.client
            .get(self.url(path))
            .headers(header_map(headers))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// The page at `path` (panics unless 200).
    pub async fn page(&self, path: &str) -> String {
        let response = self.get(path).await;
        let status = response.status();
        let body = response.text().await.expect("page body");
        assert_eq!(status, 200, "GET {path}: {body}");
        body
    }

    /// The CSRF token that the forms on `page` carry (falls back to the home page when
    /// `page` has no form, e.g. because it redirects).
    pub async fn csrf_token(&self, page: &str) -> String {
        for path in [page, "/"] {
            let body = self.get(path).await.text().await.expect("page body");
            if let Some(token) = hidden_input(&body, "csrf_token") {
                return token;
            }
        }
        panic!("no csrf_token input on {page} nor on /")
    }

    /// Post a form like a browser: open `path` first for its CSRF token (and cookie), then
    /// post to it with the same cookies and this site's Origin.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.csrf_token(path).await;
        let mut fields: Vec<(&str, &str)> = fields.to_vec();
        fields.push(("csrf_token", &token));
        self.post_form_raw(path, &fields, &[("origin", &self.address)]).await
    }

    /// Submit a form of the page `from` (which must answer 200 with a form) to `action`,
    /// like a browser: with the page's CSRF token and this site's Origin.
    pub async fn submit(&self, from: &str, action: &str, fields: &[(&str, &str)]) -> Response {
        let page = self.page(from).await;
        let token = hidden_input(&page, "csrf_token").unwrap_or_else(|| panic!("no form on {from}"));
        let mut fields = fields.to_vec();
        fields.push(("csrf_token", &token));
        self.post_form_raw(action, &fields, &[("origin", &self.address)]).await
    }

    /// Post exactly these fields and headers (no token added).
    pub async fn post_form_raw(&self, path: &str, fields: &[(&str, &str)], headers: &[(&str, &str)]) -> Response {
        self.client
            .post(self.url(path))
            .headers(header_map(headers))
            .form(fields)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {path}: {e}"))
    }

    /// Log in through the login form, which must succeed (303); from then on this visitor
    /// carries the session.
    pub async fn login(&self, email: &str, password: &str) -> Response {
        let response = self.post_form("/inloggen", &[("email", email), ("password", password)]).await;
        assert_eq!(response.status(), 303, "log in as {email}: {}", answers::header(&response, "location"));
        response
    }

    /// [`Visitor::login`] with `person`'s address and password.
    pub async fn login_as(&self, person: &Person) -> Response {
        self.login(&person.email, &person.password).await
    }
}
