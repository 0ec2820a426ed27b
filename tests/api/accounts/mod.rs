//! Accounts, roles and security (issue 4): registering and proving an address, logging in
//! and out, sessions, throttling, passwords, roles and invitations, the command line, CSRF
//! and privacy, through the real HTTP API and HTML forms, with emails read back from the
//! test's SMTP server.

mod admin;
mod cli;
mod csrf;
mod enumeration;
mod passwords;
mod privacy;
mod profile;
mod register;
mod sessions;
mod throttling;

use std::net::TcpListener;
use std::time::Duration;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};
use reqwest::{Method, Response};
use serde_json::{Value, json};
use wijkmakers::auth::Role;
use wijkmakers::config::Config;
use wijkmakers::{Application, Background};

use crate::common::TestApp;
use crate::common::app::hidden_input;

/// A password that meets every rule.
pub const PASSWORD: &str = "een lange zin als wachtwoord";

pub fn header(response: &Response, name: &str) -> String {
    response.headers().get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
}

/// Every `Set-Cookie` of a response.
pub fn set_cookies(response: &Response) -> Vec<String> {
    response.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect()
}

/// Status and body of a problem+json answer.
pub async fn problem(response: Response) -> (u16, Value) {
    let status = response.status().as_u16();
    assert_eq!(header(&response, "content-type"), "application/problem+json", "status {status}");
    let body: Value = response.json().await.expect("a JSON problem");
    assert_eq!(body["status"], status, "{body}");
    (status, body)
}

/// The fields a 422 problem names, sorted, each once.
pub fn fields(problem: &Value) -> Vec<String> {
    let mut names: Vec<String> = problem["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors array: {problem}"))
        .iter()
        .map(|e| {
            assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()), "a field error without a message: {e}");
            e["field"].as_str().unwrap().to_owned()
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The code of the error about `field` in a 422 problem.
pub fn code(problem: &Value, field: &str) -> String {
    problem["errors"]
        .as_array()
        .and_then(|errors| errors.iter().find(|e| e["field"] == field))
        .and_then(|e| e["code"].as_str())
        .unwrap_or_else(|| panic!("no error about {field}: {problem}"))
        .to_owned()
}

/// Register through the API with a good password and consent.
pub async fn register(app: &TestApp, email: &str, name: &str) -> Response {
    app.post_json(
        "/api/v1/auth/register",
        &json!({"email": email, "name": name, "password": PASSWORD, "privacy_consent": true}),
    )
    .await
}

/// The `token` query parameter of a link.
pub fn token_in(link: &str) -> String {
    url::Url::parse(link)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| panic!("no token in {link}"))
}

/// Wait for the `n`th email to `address` and answer it.
pub async fn nth_email(app: &TestApp, address: &str, n: usize) -> crate::common::ReceivedMail {
    app.smtp.wait_for(address, n, Duration::from_secs(10)).await.swap_remove(n - 1)
}

/// The link to `path` in the `n`th email to `address`.
pub async fn link_in_email(app: &TestApp, address: &str, n: usize, path: &str) -> String {
    let mail = nth_email(app, address, n).await;
    mail.link_to(path).unwrap_or_else(|| panic!("no link to {path} in: {}", mail.text()))
}

/// Register through the API and answer the verification link from the email.
pub async fn register_for_link(app: &TestApp, email: &str, name: &str) -> String {
    let response = register(app, email, name).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    link_in_email(app, email, 1, "/e-mail-bevestigen").await
}

/// The bearer token of a new verified account with `role` (as the CLI makes it).
pub async fn user_with_token(app: &TestApp, email: &str, name: &str, role: Role) -> (i64, String) {
    let user = app.add_user(email, name, role, PASSWORD).await;
    (user.id.0, app.login_api(email, PASSWORD).await)
}

pub async fn get_api(app: &TestApp, path: &str, bearer: &str) -> Response {
    app.api(Method::GET, path, None, Some(bearer)).await
}

/// Status of `GET /api/v1/me` with this token.
pub async fn me_status(app: &TestApp, bearer: &str) -> u16 {
    get_api(app, "/api/v1/me", bearer).await.status().as_u16()
}

#[derive(QueryableByName)]
struct TextRow {
    #[diesel(sql_type = Nullable<Text>)]
    v: Option<String>,
}

#[derive(QueryableByName)]
struct IntRow {
    #[diesel(sql_type = BigInt)]
    v: i64,
}

/// The single text value `v` of a query (`SELECT … AS v`).
pub async fn text(app: &TestApp, sql: &str) -> Option<String> {
    let sql = sql.to_owned();
    app.pool.run(move |conn| Ok(diesel::sql_query(sql).get_result::<TextRow>(conn)?.v)).await.expect("query")
}

/// The single integer value `v` of a query (`SELECT count(*) AS v …`).
pub async fn int(app: &TestApp, sql: &str) -> i64 {
    let sql = sql.to_owned();
    app.pool.run(move |conn| Ok(diesel::sql_query(sql).get_result::<IntRow>(conn)?.v)).await.expect("query")
}

/// `text` quoted as an SQL string literal.
pub fn lit(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// A published course with one session a month from now, made through the API by a
/// coordinator; answers its id.
pub async fn published_course(app: &TestApp, coordinator: &str, capacity: i32) -> i64 {
    let course = json!({
        "title": format!("Samen energie besparen {}", hex::encode(rand::random::<[u8; 3]>())),
        "summary": "Wat kun je in je eigen straat doen?",
        "description": "Drie avonden over **isolatie** en zonnepanelen.",
        "theme": "energietransitie",
        "capacity": capacity,
    });
    let response = app.api(Method::POST, "/api/v1/courses", Some(&course), Some(coordinator)).await;
    assert_eq!(response.status(), 201, "create a course: {}", response.text().await.unwrap());
    let id = response.json::<Value>().await.unwrap()["id"].as_i64().expect("course id");
    let starts = chrono::Utc::now() + chrono::Duration::days(30);
    let session = json!({
        "starts_at": starts.to_rfc3339(),
        "ends_at": (starts + chrono::Duration::hours(2)).to_rfc3339(),
        "place": "Buurthuis De Dobber",
        "address": "Kerklaan 1, Groningen",
        "wijk": "oosterpoort",
    });
    let path = format!("/api/v1/courses/{id}/sessions");
    let response = app.api(Method::POST, &path, Some(&session), Some(coordinator)).await;
    assert_eq!(response.status(), 201, "add a session: {}", response.text().await.unwrap());
    let path = format!("/api/v1/courses/{id}");
    let response = app.api(Method::PATCH, &path, Some(&json!({"status": "published"})), Some(coordinator)).await;
    assert_eq!(response.status(), 200, "publish: {}", response.text().await.unwrap());
    id
}

/// `POST /api/v1/courses/{id}/enrolment` with this token.
pub async fn enrol(app: &TestApp, course: i64, bearer: &str) -> Response {
    app.api(Method::POST, &format!("/api/v1/courses/{course}/enrolment"), None, Some(bearer)).await
}

/// A browser of its own (own cookies, no redirects followed), for a second person.
pub struct Visitor {
    pub client: reqwest::Client,
    pub address: String,
}

impl Visitor {
    pub fn new(address: &str) -> Visitor {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap();
        Visitor { client, address: address.to_owned() }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// The CSRF token of the forms on `page` (or of the home page).
    pub async fn csrf_token(&self, page: &str) -> String {
        for path in [page, "/"] {
            if let Some(token) = hidden_input(&self.get(path).await.text().await.unwrap(), "csrf_token") {
                return token;
            }
        }
        panic!("no csrf_token on {page} nor on /")
    }

    /// Post a form as a browser does: with the token from `page` and this site's Origin.
    pub async fn post_form_from(&self, page: &str, path: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.csrf_token(page).await;
        let mut fields = fields.to_vec();
        fields.push(("csrf_token", &token));
        self.client
            .post(self.url(path))
            .header("origin", &self.address)
            .form(&fields)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {path}: {e}"))
    }

    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.post_form_from(path, path, fields).await
    }

    /// Log in through the form; panics unless it succeeds.
    pub async fn login(&self, email: &str, password: &str) {
        let response = self.post_form("/inloggen", &[("email", email), ("password", password)]).await;
        assert_eq!(response.status(), 303, "log in as {email}: {}", response.text().await.unwrap());
    }
}

/// Another app process on the same database, with the same configuration (secret key,
/// BASE_URL) but its own port, as behind a load balancer or after a restart. Stops when
/// dropped.
pub struct Instance {
    pub address: String,
    server: tokio::task::JoinHandle<()>,
}

impl Instance {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// Stop serving, as a process that ends.
    pub async fn stop(mut self) {
        self.server.abort();
        let server = std::mem::replace(&mut self.server, tokio::spawn(async {}));
        let _ = server.await;
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.server.abort();
    }
}

pub fn start_instance(app: &TestApp) -> Instance {
    start_instance_with(app, |_| {})
}

/// Like [`start_instance`], with the configuration changed by `change`.
pub fn start_instance_with(app: &TestApp, change: impl FnOnce(&mut Config)) -> Instance {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut config = app.config.clone();
    config.bind = ([127, 0, 0, 1], port).into();
    change(&mut config);
    let pool = wijkmakers::db::Db::connect(app.db.url(), 3).unwrap();
    let background = Background { mail_worker: false, scheduler: false };
    let instance = Application::with_listener(config, pool, background, listener).unwrap();
    let server = tokio::spawn(async move {
        let _ = instance.run_until_stopped().await;
    });
    Instance { address: format!("http://127.0.0.1:{port}"), server }
}

/// An API call to another instance.
pub async fn api_at(
    app: &TestApp,
    instance: &Instance,
    method: Method,
    path: &str,
    body: Option<&Value>,
    bearer: Option<&str>,
) -> Response {
    let mut request = app.api_client.request(method, instance.url(path));
    if let Some(body) = body {
        request = request.json(body);
    }
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}
