//! Headless Chromium through chromedriver (fantoccini), and accessibility scans with
//! axe-core (installed by `npm ci --prefix tests/axe`, never kept in git).
//!
//! One chromedriver per test process, started on a free port when the first browser is
//! asked for and stopped when the last one is gone. Without chromium or chromedriver a
//! test is skipped with a message, except under CI (`CI` set), where that is a failure.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::ops::Deref;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use fantoccini::wd::TimeoutConfiguration;
use fantoccini::{Client, ClientBuilder, Locator};
use serde::Deserialize;
use serde_json::json;

use super::{TempDir, TestApp};

fn chromedriver_path() -> PathBuf {
    std::env::var_os("CHROMEDRIVER").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/usr/bin/chromedriver"))
}

fn chromium_path() -> PathBuf {
    std::env::var_os("CHROME_BIN").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

struct Driver {
    child: Mutex<Child>,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let mut child = self.child.lock().unwrap_or_else(|e| e.into_inner());
        let _ = child.kill();
        let _ = child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

/// The chromedriver of this process, started when needed.
fn driver() -> Arc<Driver> {
    static DRIVER: Mutex<Weak<Driver>> = Mutex::new(Weak::new());
    let mut slot = DRIVER.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(driver) = slot.upgrade() {
        return driver;
    }
    let port = free_port();
    let child = Command::new(chromedriver_path())
        .arg(format!("--port={port}"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromedriver_path().display()));
    let driver = Arc::new(Driver { child: Mutex::new(child), port });
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not listen on port {port} within 20 s");
        std::thread::sleep(Duration::from_millis(50));
    }
    *slot = Arc::downgrade(&driver);
    driver
}

/// A browser session. Use it as a fantoccini `Client`; call `close()` at the end (a
/// session that is dropped unclosed, e.g. by a failing test, is ended in `Drop`).
pub struct Browser {
    client: Option<Client>,
    session_id: String,
    driver: Arc<Driver>,
    _profile: TempDir,
}

impl Deref for Browser {
    type Target = Client;
    fn deref(&self) -> &Client {
        self.client.as_ref().expect("browser is open")
    }
}

/// A new headless Chromium of a Dutch reader (`Accept-Language: nl`), or `None` (after
/// saying so) when it is not installed and this is not CI.
/// Use as `let Some(browser) = browser().await else { return };`.
pub async fn browser() -> Option<Browser> {
    browser_in("nl").await
}

/// A new headless Chromium whose preferred language is `language` (e.g. `"en-GB,en"`).
pub async fn browser_in(language: &str) -> Option<Browser> {
    let missing: Vec<String> = [chromedriver_path(), chromium_path()]
        .into_iter()
        .filter(|p| !p.is_file())
        .map(|p| p.display().to_string())
        .collect();
    if !missing.is_empty() {
        if std::env::var_os("CI").is_some() {
            panic!("browser tests need {} (CI is set, so this is a failure, not a skip)", missing.join(" and "));
        }
        // straight to stderr, past the test harness's capture, so that it is seen
        let _ = writeln!(
            std::io::stderr(),
            "skipped: install chromium and chromium-driver (missing {})",
            missing.join(", ")
        );
        return None;
    }
    let driver = tokio::task::spawn_blocking(driver).await.expect("starting chromedriver panicked");
    let profile = TempDir::new("chromium");
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium_path(),
            "args": [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--window-size=1280,900",
                format!("--lang={}", language.split(',').next().unwrap_or(language)),
                format!("--user-data-dir={}", profile.path().display()),
            ],
            "prefs": { "intl.accept_languages": language }
        }),
    );
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .unwrap_or_else(|e| panic!("cannot start a Chromium session: {e}"));
    let session_id = client.session_id().await.expect("session id").expect("a session");
    client
        .update_timeouts(TimeoutConfiguration::new(Some(Duration::from_secs(60)), Some(Duration::from_secs(30)), None))
        .await
        .expect("set timeouts");
    Some(Browser { client: Some(client), session_id, driver, _profile: profile })
}

impl Browser {
    /// End the session (Chromium quits).
    pub async fn close(mut self) {
        if let Some(client) = self.client.take() {
            client.close().await.expect("close the browser session");
        }
    }

    /// Emulate a screen `width` CSS pixels wide (e.g. 320, a small phone), through the
    /// DevTools protocol: a headless window cannot be made that narrow.
    pub async fn set_viewport(&self, width: u32, height: u32) {
        let url = format!("http://127.0.0.1:{}/session/{}/goog/cdp/execute", self.driver.port, self.session_id);
        let response = reqwest::Client::new()
            .post(url)
            .json(&json!({
                "cmd": "Emulation.setDeviceMetricsOverride",
                "params": {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": true}
            }))
            .send()
            .await
            .expect("reach chromedriver");
        assert!(response.status().is_success(), "set the viewport: {}", response.text().await.unwrap_or_default());
    }

    /// The value of a JavaScript expression on the current page.
    pub async fn eval(&self, expression: &str) -> serde_json::Value {
        self.execute(&format!("return ({expression});"), vec![])
            .await
            .unwrap_or_else(|e| panic!("evaluate `{expression}`: {e}"))
    }

    /// Press Tab `times` times on the focused element (the page, at first).
    pub async fn press_tab(&self, times: usize) {
        for _ in 0..times {
            self.active_element().await.expect("an active element").send_keys("\u{E004}").await.expect("press Tab");
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if self.client.take().is_some() {
            // not closed (a test failed): end the session so that Chromium quits
            let request = format!(
                "DELETE /session/{} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                self.session_id, self.driver.port
            );
            if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.driver.port)) {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
                let _ = stream.write_all(request.as_bytes());
                let _ = stream.read_to_end(&mut Vec::new());
            }
        }
    }
}

/// One rule axe-core found broken, with the elements that break it.
#[derive(Debug, Clone, Deserialize)]
pub struct AxeViolation {
    pub id: String,
    pub impact: Option<String>,
    pub help: String,
    #[serde(rename = "helpUrl")]
    pub help_url: String,
    pub nodes: Vec<AxeNode>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AxeNode {
    /// CSS selectors of the element (nested arrays for frames and shadow roots).
    pub target: serde_json::Value,
    pub html: String,
    pub summary: Option<String>,
}

fn axe_source() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/axe/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("cannot read {}: {e}. Install axe-core first: npm ci --prefix tests/axe", path.display())
    })
}

/// Run axe-core (all its non-experimental rules) on the current page.
pub async fn axe_scan(client: &Client) -> Vec<AxeViolation> {
    client.execute(&axe_source(), vec![]).await.expect("inject axe-core");
    let result = client
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
            axe.run(document, { resultTypes: ['violations'] })
              .then(r => done(r.violations.map(v => ({
                  id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                  nodes: v.nodes.map(n => ({ target: n.target, html: n.html, summary: n.failureSummary }))
              }))))
              .catch(e => done({ error: String(e) }));"#,
            vec![],
        )
        .await
        .expect("run axe-core");
    if let Some(error) = result.get("error") {
        panic!("axe-core failed: {error}");
    }
    serde_json::from_value(result).expect("axe-core violations")
}

/// Panics, listing every violation (id, impact, help, failing elements), unless axe-core
/// finds none on the current page.
pub async fn assert_accessible(client: &Client, what: &str) {
    let violations = axe_scan(client).await;
    if violations.is_empty() {
        return;
    }
    let mut report = format!("{} accessibility violation(s) on {what}:\n", violations.len());
    for v in &violations {
        report.push_str(&format!("- {} ({}): {} <{}>\n", v.id, v.impact.as_deref().unwrap_or("?"), v.help, v.help_url));
        for node in &v.nodes {
            report.push_str(&format!("    at {}: {}\n", node.target, node.html));
            if let Some(summary) = &node.summary {
                report.push_str(&format!("      {}\n", summary.replace('\n', "\n      ")));
            }
        }
    }
    panic!("{report}");
}

// --- what a person does in the browser

/// Fill in the login form the browser shows and send it (without waiting for the answer).
pub async fn fill_in_login(client: &Client, email: &str, password: &str) {
    client.find(Locator::Id("email")).await.unwrap().send_keys(email).await.unwrap();
    client.find(Locator::Id("password")).await.unwrap().send_keys(password).await.unwrap();
    client.find(Locator::Css("main form[action='/inloggen'] button")).await.unwrap().click().await.unwrap();
}

/// Open the login page of `app`, log in, and wait until the header offers to log out.
pub async fn log_in(client: &Client, app: &TestApp, email: &str, password: &str) {
    client.goto(&app.url("/inloggen")).await.unwrap();
    fill_in_login(client, email, password).await;
    client.wait().for_element(Locator::Css("form[action='/uitloggen']")).await.expect("logged in");
}

/// Press what `locator` finds (a form's button or a link) and wait until the browser has left the page
/// it was on, so that what a test looks for next is found on the answer, never on the page the
/// form was sent from (which may show the same message after an earlier send).
pub async fn press_and_wait(client: &Client, locator: Locator<'_>) {
    let page = client.find(Locator::Css("html")).await.unwrap();
    client.find(locator).await.unwrap().click().await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        match page.tag_name().await {
            Err(e) if e.is_stale_element_reference() => return,
            Err(e) => panic!("the page could not be read: {e}"),
            Ok(_) => {}
        }
        assert!(Instant::now() < deadline, "still on the page the form was sent from");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Wait until the browser shows `path` (after a form post and its redirect).
pub async fn wait_for_path(client: &Client, path: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let url = client.current_url().await.unwrap();
        let here = match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        };
        if here == path {
            return;
        }
        assert!(Instant::now() < deadline, "still at {here}, expected {path}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The text of the first element matching `css`.
pub async fn text_of(client: &Client, css: &str) -> String {
    client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("no {css}: {e}")).text().await.unwrap()
}

/// The texts of every element matching `css`, in page order.
pub async fn texts(client: &Client, css: &str) -> Vec<String> {
    let mut texts = Vec::new();
    for element in client.find_all(Locator::Css(css)).await.unwrap() {
        texts.push(element.text().await.unwrap());
    }
    texts
}
