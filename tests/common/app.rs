//! The real application on a free loopback port, with its own database and SMTP server:
//! `spawn_app()` returns a `TestApp` with a small method per thing a test does.

use std::net::TcpListener;
use std::time::Duration;

use diesel::prelude::*;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, Response};
use serde_json::Value;
use tokio::task::JoinHandle;
use wijkmakers::accounts::model::User;
use wijkmakers::auth::Role;
use wijkmakers::choice::Choice;
use wijkmakers::config::{Config, Environment, LogFormat};
use wijkmakers::db::Db;
use wijkmakers::mail::model::OutboxMessage;
use wijkmakers::mail::worker::{Transport, Worker};
use wijkmakers::{Application, Background};

use super::TempDir;
use super::db::TestDb;
use super::smtp::{ReceivedMail, SmtpServer};

pub const MAIL_FROM: &str = "Wijkmakers Academie <academie@example.org>";

/// What runs besides the web server.
#[derive(Debug, Clone)]
pub struct AppOptions {
    /// The app's own mail worker (on by default).
    pub mail_worker: bool,
    /// Reminders and housekeeping (off by default, so tests stay deterministic).
    pub scheduler: bool,
    /// `SMTP_URL` points at the test's SMTP server (on by default); off: `.eml` files in
    /// `mail_dir`.
    pub smtp: bool,
    /// Off: the pool points at a closed port, as when PostgreSQL is down.
    pub database_reachable: bool,
}

impl Default for AppOptions {
    fn default() -> Self {
        AppOptions { mail_worker: true, scheduler: false, smtp: true, database_reachable: true }
    }
}

/// A running app. Dropping it stops the server and drops the database.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`
    pub address: String,
    pub port: u16,
    pub config: Config,
    /// The app's pool (on the test database, unless the database is "down").
    pub pool: Db,
    pub smtp: SmtpServer,
    /// `MAIL_DIR` of this app (used when SMTP is off); removed when dropped.
    pub mail_dir: TempDir,
    /// Like a browser: keeps cookies, does not follow redirects.
    pub client: reqwest::Client,
    /// Like an API client: no cookies, no redirects.
    pub api_client: reqwest::Client,
    server: JoinHandle<()>,
    /// The test's own database; dropped last.
    pub db: TestDb,
}

/// Log to stderr when `TEST_LOG` is set (e.g. `TEST_LOG=debug cargo test …`).
pub fn init_tracing() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if let Ok(filter) = std::env::var("TEST_LOG") {
            let filter =
                if filter.is_empty() || filter == "1" || filter == "true" { "info".to_owned() } else { filter };
            let _ = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
                .with_test_writer()
                .try_init();
        }
    });
}

/// A 64-character secret key, new for every app.
pub fn secret_key() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

/// The configuration of a test app on `port`.
pub fn test_config(port: u16, database_url: &str, smtp: Option<&SmtpServer>, mail_dir: &std::path::Path) -> Config {
    Config {
        environment: Environment::Development,
        database_url: Some(database_url.to_owned()),
        db_pool_size: 5,
        bind: ([127, 0, 0, 1], port).into(),
        base_url: url::Url::parse(&format!("http://127.0.0.1:{port}")).expect("valid URL"),
        secret_key: secret_key(),
        smtp_url: smtp.map(SmtpServer::url),
        mail_from: MAIL_FROM.parse().expect("valid mailbox"),
        mail_dir: mail_dir.to_path_buf(),
        log_format: LogFormat::Text,
        reminder_lead: chrono::Duration::hours(48),
        session_idle: chrono::Duration::hours(24),
        session_lifetime: chrono::Duration::days(14),
        trust_proxy: false,
        trusted_proxies: Vec::new(),
        allow_insecure_http: false,
        mail_poll: Duration::from_millis(50),
    }
}

/// A URL on which no PostgreSQL answers (a port that was free a moment ago).
pub fn unreachable_database_url() -> String {
    let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
    format!("postgres://postgres@127.0.0.1:{port}/wijkmakers")
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(AppOptions::default()).await
}

pub async fn spawn_app_with(options: AppOptions) -> TestApp {
    init_tracing();
    let db = TestDb::create().await;
    let smtp = SmtpServer::start().await;
    let mail_dir = TempDir::new("mail");
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    let port = listener.local_addr().expect("local address").port();
    let database_url = if options.database_reachable { db.url().to_owned() } else { unreachable_database_url() };
    let config = test_config(port, &database_url, options.smtp.then_some(&smtp), mail_dir.path());
    let pool = Db::connect(&database_url, config.db_pool_size).expect("open the pool");
    let background = Background { mail_worker: options.mail_worker, scheduler: options.scheduler };
    let app =
        Application::with_listener(config.clone(), pool.clone(), background, listener).expect("build the application");
    let server = tokio::spawn(async move {
        if let Err(e) = app.run_until_stopped().await {
            eprintln!("test app stopped with an error: {e:#}");
        }
    });
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .expect("build the HTTP client");
    let api_client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .expect("build the HTTP client");
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        port,
        config,
        pool,
        smtp,
        mail_dir,
        client,
        api_client,
        server,
        db,
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // dropping the server future stops actix's acceptor and workers
        self.server.abort();
    }
}

/// The value of the hidden input `name` in `html`.
pub fn hidden_input(html: &str, name: &str) -> Option<String> {
    let needle = format!("name=\"{name}\"");
    html.split("<input").skip(1).find_map(|tag| {
        let tag = &tag[..tag.find('>')?];
        if !tag.contains(&needle) {
            return None;
        }
        let start = tag.find("value=\"")? + "value=\"".len();
        let end = tag[start..].find('"')? + start;
        Some(tag[start..end].replace("&#38;", "&").replace("&amp;", "&"))
    })
}

/// The `href` of the page's stylesheet link.
pub fn stylesheet_url(html: &str) -> String {
    html.split("<link")
        .skip(1)
        .find_map(|tag| {
            let tag = &tag[..tag.find('>')?];
            if !tag.contains(r#"rel="stylesheet""#) {
                return None;
            }
            let start = tag.find("href=\"")? + "href=\"".len();
            let end = tag[start..].find('"')? + start;
            Some(tag[start..end].replace("&#38;", "&").replace("&amp;", "&"))
        })
        .expect("the page links a stylesheet")
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

impl TestApp {
    /// The absolute URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// GET with the browser client (cookies kept).
    pub async fn get(&self, path: &str) -> Response {
        self.get_with(path, &[]).await
    }

    /// GET with extra headers, with the browser client.
    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Response {
        self.client
            .get(self.url(path))
            .headers(header_map(headers))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// GET a page and answer its body (panics unless 200).
    pub async fn page(&self, path: &str) -> String {
        let response = self.get(path).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.text().await.expect("page body")
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

    /// Post a form like a browser: fetch the page first for its CSRF token (and cookie),
    /// then post with the same cookies and this site's Origin.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.csrf_token(path).await;
        let mut fields: Vec<(&str, &str)> = fields.to_vec();
        fields.push(("csrf_token", &token));
        self.post_form_raw(path, &fields, &[("origin", &self.address)]).await
    }

    /// Post exactly these fields and headers (no token added), with the browser client.
    pub async fn post_form_raw(&self, path: &str, fields: &[(&str, &str)], headers: &[(&str, &str)]) -> Response {
        self.client
            .post(self.url(path))
            .headers(header_map(headers))
            .form(fields)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {path}: {e}"))
    }

    /// POST a JSON body with the API client (no cookies).
    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.api(Method::POST, path, Some(body), None).await
    }

    /// Any API call, with an optional JSON body and bearer token (no cookies).
    pub async fn api(&self, method: Method, path: &str, body: Option<&Value>, bearer: Option<&str>) -> Response {
        let mut request = self.api_client.request(method.clone(), self.url(path));
        if let Some(body) = body {
            request = request.json(body);
        }
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    /// Add a verified account (as the CLI does).
    pub async fn add_user(&self, email: &str, name: &str, role: Role, password: &str) -> User {
        let (email, name, password) = (email.to_owned(), name.to_owned(), password.to_owned());
        self.pool
            .run(move |conn| wijkmakers::accounts::service::add_verified_user(conn, &email, &name, role, &password))
            .await
            .expect("add a user")
    }

    /// Log in through the API; answers the bearer token.
    pub async fn login_api(&self, email: &str, password: &str) -> String {
        let response =
            self.post_json("/api/v1/auth/login", &serde_json::json!({ "email": email, "password": password })).await;
        let status = response.status();
        let body: Value = response.json().await.expect("login answers JSON");
        assert_eq!(status, 200, "login as {email}: {body}");
        body["token"].as_str().expect("login answers a token").to_owned()
    }

    /// Log in through the login form, so that the browser client carries the session.
    pub async fn login(&self, email: &str, password: &str) -> Response {
        let response = self.post_form("/inloggen", &[("email", email), ("password", password)]).await;
        assert_eq!(response.status(), 303, "log in as {email}");
        response
    }

    /// Add an account with `role` and log it in through the API; answers the token.
    pub async fn bearer_for(&self, role: Role) -> String {
        let email = format!("{}-{}@example.org", role.as_str(), hex::encode(rand::random::<[u8; 4]>()));
        let password = "een lange zin als wachtwoord";
        self.add_user(&email, &format!("Test {}", role.as_str()), role, password).await;
        self.login_api(&email, password).await
    }

    /// The last email to `address`, waiting up to 10 s for one to arrive.
    pub async fn last_email_to(&self, address: &str) -> ReceivedMail {
        self.smtp.wait_for(address, 1, Duration::from_secs(10)).await.pop().expect("at least one message")
    }

    /// A mail worker on this app's database and transport, with the given lease.
    pub fn worker(&self, lease: chrono::Duration) -> Worker {
        Worker {
            db: self.pool.clone(),
            transport: Transport::from_config(&self.config).expect("mail transport"),
            from: self.config.mail_from.clone(),
            lease,
            poll: Duration::from_millis(50),
            batch: 20,
        }
    }

    /// Every outbox row, oldest first.
    pub async fn outbox(&self) -> Vec<OutboxMessage> {
        use wijkmakers::db::schema::outbox;
        self.pool
            .run(|conn| Ok(outbox::table.order(outbox::id).select(OutboxMessage::as_select()).load(conn)?))
            .await
            .expect("read the outbox")
    }

    /// Run SQL on the test database; answers the number of rows affected.
    pub async fn execute(&self, sql: &str) -> usize {
        let sql = sql.to_owned();
        self.pool.run(move |conn| Ok(diesel::sql_query(sql).execute(conn)?)).await.expect("execute SQL")
    }
}
