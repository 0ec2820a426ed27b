//! The real application on a free loopback port, with its own database and SMTP server:
//! `spawn_app()` returns a `TestApp` with a small method per thing a test does. People,
//! courses and mail have their own modules (`people`, `courses`, `mail`).
//!
//! When a `TestApp` goes (dropped, or [`TestApp::finish`]), it checks that no outbox
//! message has failed for good, unless the test said it provokes that
//! ([`TestApp::expect_failed_mail`]).

use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};
use reqwest::{Method, Response};
use serde_json::Value;
use tokio::task::JoinHandle;
use wijkmakers::accounts::model::User;
use wijkmakers::auth::Role;
use wijkmakers::config::{Config, Environment, LogFormat};
use wijkmakers::db::Db;
use wijkmakers::mail::model::OutboxMessage;
use wijkmakers::mail::worker::{Transport, Worker};
use wijkmakers::{Application, Background};

use super::TempDir;
use super::answers::status_and_json;
use super::db::TestDb;
use super::people::PASSWORD;
use super::smtp::SmtpServer;
use super::visitor::Visitor;

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
    /// Changes to the test configuration (a small pool, low limits), before the app starts.
    pub tune: fn(&mut Config),
}

impl Default for AppOptions {
    fn default() -> Self {
        AppOptions { mail_worker: true, scheduler: false, smtp: true, database_reachable: true, tune: |_| {} }
    }
}

/// A running app. Dropping it stops the server, checks the outbox and drops the database.
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
    /// The app's own browser (`app.get`, `app.page`, `app.post_form`, `app.login`, …).
    pub visitor: Visitor,
    /// The client of [`TestApp::visitor`]: keeps cookies, does not follow redirects.
    pub client: reqwest::Client,
    /// Like an API client: no cookies, no redirects.
    pub api_client: reqwest::Client,
    server: JoinHandle<()>,
    /// Set by [`TestApp::expect_failed_mail`].
    failed_mail_expected: AtomicBool,
    /// The outbox has been checked (by [`TestApp::finish`]).
    finished: bool,
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
        db_pool_wait: Duration::from_secs(30),
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
        register_limit_per_ip: 10,
        register_limit_per_address: 3,
        coordinator_inbox: None,
        mail_retry_base: wijkmakers::mail::service::RETRY_BASE,
        mail_lease: chrono::Duration::minutes(2),
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
    spawn_app_on(TestDb::create().await, options).await
}

/// [`spawn_app_with`] on a database made by the test (on a private cluster, say).
pub async fn spawn_app_on(db: TestDb, options: AppOptions) -> TestApp {
    init_tracing();
    let smtp = SmtpServer::start().await;
    let mail_dir = TempDir::new("mail");
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    let port = listener.local_addr().expect("local address").port();
    let database_url = if options.database_reachable { db.url().to_owned() } else { unreachable_database_url() };
    let mut config = test_config(port, &database_url, options.smtp.then_some(&smtp), mail_dir.path());
    (options.tune)(&mut config);
    let pool = Db::connect_waiting(&database_url, config.db_pool_size, config.db_pool_wait).expect("open the pool");
    let background = Background { mail_worker: options.mail_worker, scheduler: options.scheduler };
    let app =
        Application::with_listener(config.clone(), pool.clone(), background, listener).expect("build the application");
    let server = tokio::spawn(async move {
        if let Err(e) = app.run_until_stopped().await {
            eprintln!("test app stopped with an error: {e:#}");
        }
    });
    let address = format!("http://127.0.0.1:{port}");
    let visitor = Visitor::at(&address);
    let api_client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .expect("build the HTTP client");
    TestApp {
        address,
        port,
        config,
        pool,
        smtp,
        mail_dir,
        client: visitor.client.clone(),
        visitor,
        api_client,
        server,
        failed_mail_expected: AtomicBool::new(false),
        finished: false,
        db,
    }
}

#[derive(QueryableByName)]
struct FailedMail {
    #[diesel(sql_type = Text)]
    recipient_email: String,
    #[diesel(sql_type = Text)]
    subject: String,
    #[diesel(sql_type = Nullable<Text>)]
    last_error: Option<String>,
}

impl TestApp {
    /// This test provokes mail that fails for good (SMTP 5xx): the outbox check at the end
    /// lets failed messages be.
    pub fn expect_failed_mail(&self) {
        self.failed_mail_expected.store(true, Ordering::SeqCst);
    }

    /// End the test: stop the server, check that no outbox message has status `failed`
    /// (unless [`TestApp::expect_failed_mail`] was called) and that the seat counts kept by
    /// triggers equal a count of the enrolments. Dropping the app does the same.
    pub fn finish(mut self) {
        self.check_outbox();
    }

    /// Synchronous, with a plain connection to the test database, so that it can run in
    /// `Drop`; does nothing while the test is already panicking.
    fn check_outbox(&mut self) {
        self.server.abort();
        if self.finished || std::thread::panicking() {
            return;
        }
        self.finished = true;
        let mut conn = self.db.connect();
        let wrong: Vec<TextRow> = diesel::sql_query(
            "SELECT format('course %s: kept %s/%s/%s, counted %s/%s/%s', course_id, k.enrolled, k.waitlisted,
                           k.offered, c.enrolled, c.waitlisted, c.offered) AS v
             FROM course_seat_counts k
             FULL JOIN (SELECT e.course_id,
                               count(*) FILTER (WHERE e.status = 'enrolled') AS enrolled,
                               count(*) FILTER (WHERE e.status = 'waitlisted') AS waitlisted,
                               count(o.id) AS offered
                        FROM enrolments e
                        LEFT JOIN waitlist_offers o ON o.enrolment_id = e.id AND o.status = 'open'
                        WHERE e.status <> 'cancelled'
                        GROUP BY e.course_id) c USING (course_id)
             WHERE (coalesce(k.enrolled, 0), coalesce(k.waitlisted, 0), coalesce(k.offered, 0))
                   <> (coalesce(c.enrolled, 0), coalesce(c.waitlisted, 0), coalesce(c.offered, 0))",
        )
        .load(&mut conn)
        .expect("compare the seat counts");
        let wrong: Vec<String> = wrong.into_iter().filter_map(|r| r.v).collect();
        assert!(wrong.is_empty(), "the seat counts kept by triggers are wrong:\n{}", wrong.join("\n"));
        check_report_rollup(&mut conn);
        if self.failed_mail_expected.load(Ordering::SeqCst) {
            return;
        }
        let failed: Vec<FailedMail> = diesel::sql_query(
            "SELECT recipient_email, subject, last_error FROM outbox WHERE status = 'failed' ORDER BY id",
        )
        .load(&mut conn)
        .expect("read the outbox");
        let failed: Vec<String> = failed
            .iter()
            .map(|m| format!("{} “{}”: {}", m.recipient_email, m.subject, m.last_error.as_deref().unwrap_or("-")))
            .collect();
        assert!(
            failed.is_empty(),
            "{} outbox message(s) failed for good (call app.expect_failed_mail() if the test means that):\n{}",
            failed.len(),
            failed.join("\n")
        );
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // aborting the server task stops actix's acceptor and workers, and the mail worker
        self.check_outbox();
    }
}

impl TestApp {
    /// The absolute URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    // --- the app's own browser (see `Visitor`)

    /// GET with the app's browser (cookies kept).
    pub async fn get(&self, path: &str) -> Response {
        self.visitor.get(path).await
    }

    /// GET with extra headers, with the app's browser.
    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Response {
        self.visitor.get_with(path, headers).await
    }

    /// GET a page and answer its body (panics unless 200).
    pub async fn page(&self, path: &str) -> String {
        self.visitor.page(path).await
    }

    /// The CSRF token of the forms on `page` (or of the home page).
    pub async fn csrf_token(&self, page: &str) -> String {
        self.visitor.csrf_token(page).await
    }

    /// Post a form like a browser (see [`Visitor::post_form`]).
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.visitor.post_form(path, fields).await
    }

    /// Post exactly these fields and headers (no token added), with the app's browser.
    pub async fn post_form_raw(&self, path: &str, fields: &[(&str, &str)], headers: &[(&str, &str)]) -> Response {
        self.visitor.post_form_raw(path, fields, headers).await
    }

    /// Log in through the login form, so that the app's browser carries the session.
    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.visitor.login(email, password).await
    }

    /// [`TestApp::login`] as `person`.
    pub async fn login_as(&self, person: &super::people::Person) -> Response {
        self.visitor.login_as(person).await
    }

    // --- the API

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

    /// Any API call, answered as status and JSON body (`Null` for an empty body).
    pub async fn call(&self, method: Method, path: &str, body: Option<&Value>, bearer: Option<&str>) -> (u16, Value) {
        status_and_json(self.api(method, path, body, bearer).await).await
    }

    /// An anonymous `GET` of the API: status and JSON body.
    pub async fn get_json(&self, path: &str) -> (u16, Value) {
        self.call(Method::GET, path, None, None).await
    }

    /// POST a JSON body with the API client (no cookies, no token).
    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.api(Method::POST, path, Some(body), None).await
    }

    /// Add a verified account, as the command line does (`wijkmakers user add`).
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

    /// Register through the API, as a stranger does, with [`PASSWORD`] and consent.
    pub async fn register(&self, email: &str, name: &str) -> Response {
        let body = serde_json::json!({"email": email, "name": name, "password": PASSWORD, "privacy_consent": true});
        self.post_json("/api/v1/auth/register", &body).await
    }

    /// [`TestApp::register`], which must answer 201; answers the verification link from
    /// the email.
    pub async fn register_for_link(&self, email: &str, name: &str) -> String {
        let response = self.register(email, name).await;
        assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
        self.link_in_mail(email, 1, "/e-mail-bevestigen").await
    }

    /// Status of `GET /api/v1/me` with this bearer token.
    pub async fn me_status(&self, bearer: &str) -> u16 {
        self.api(Method::GET, "/api/v1/me", None, Some(bearer)).await.status().as_u16()
    }

    // --- the mail worker and the database

    /// A mail worker on this app's database and transport, with the given lease.
    pub fn worker(&self, lease: chrono::Duration) -> Worker {
        Worker {
            db: self.pool.clone(),
            transport: Transport::from_config(&self.config).expect("mail transport"),
            from: self.config.mail_from.clone(),
            lease,
            poll: Duration::from_millis(50),
            batch: 20,
            retry_base: self.config.mail_retry_base,
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

    /// The single text value `v` of a query (`SELECT … AS v`).
    pub async fn text(&self, sql: &str) -> Option<String> {
        let sql = sql.to_owned();
        self.pool.run(move |conn| Ok(diesel::sql_query(sql).get_result::<TextRow>(conn)?.v)).await.expect("query")
    }

    /// The single integer value `v` of a query (`SELECT count(*) AS v …`).
    pub async fn int(&self, sql: &str) -> i64 {
        let sql = sql.to_owned();
        self.pool.run(move |conn| Ok(diesel::sql_query(sql).get_result::<IntRow>(conn)?.v)).await.expect("query")
    }
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

/// `text` quoted as an SQL string literal.
pub fn lit(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The summary's figures from the rollup kept by triggers (after computing the marked courses
/// again) equal the figures over the cells, for all time, per every grouping.
fn check_report_rollup(conn: &mut diesel::PgConnection) {
    use wijkmakers::reports::summary::{GroupBy, Source, summary_from};
    let report = wijkmakers::reports::model::ReportQuery {
        from: Some("2000-01-01".into()),
        to: Some("2100-12-31".into()),
        ..Default::default()
    }
    .parse()
    .expect("all time");
    let groupings = [GroupBy::Theme, GroupBy::Wijk, GroupBy::ParticipantKind, GroupBy::Course, GroupBy::Month];
    let mut figures = [Source::Rollup, Source::Cells].map(|source| {
        let (total, groups) = summary_from(conn, &report, &groupings, source).expect("the summary");
        serde_json::json!({"total": total, "groups": groups})
    });
    let cells = figures[1].take();
    assert_eq!(figures[0], cells, "the report rollup kept by triggers differs from the cells");
}
