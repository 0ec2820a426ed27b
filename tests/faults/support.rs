//! What the fault tests start and break: the app's binary as a separate process
//! ([`Server`]), and a private PostgreSQL cluster ([`Cluster`]) that can be restarted.

use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::Value;
use wijkmakers::db::bootstrap::PrivateCluster;

use crate::common::app::MAIL_FROM;
use crate::common::{TempDir, TestApp};

/// The app's own binary (`wijkmakers serve`, `wijkmakers outbox run`) as a child process,
/// configured like `app` (same secret key, BASE_URL and SMTP server) on `database_url`.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:<port>` (nothing listens for `outbox run`).
    pub address: String,
    dir: TempDir,
    client: reqwest::Client,
}

/// A port that was free a moment ago.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

impl Server {
    /// Start `wijkmakers <args>` with the environment of `app` plus `env` (later wins).
    pub fn spawn(app: &TestApp, database_url: &str, args: &[&str], env: &[(&str, &str)]) -> Server {
        let dir = TempDir::new("server");
        let port = free_port();
        let address = format!("http://127.0.0.1:{port}");
        let log = std::fs::File::create(dir.path().join("server.log")).expect("create the log");
        let mut command = Command::new(env!("CARGO_BIN_EXE_wijkmakers"));
        command
            .args(args)
            .current_dir(dir.path())
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("APP_ENV", "development")
            .env("DATABASE_URL", database_url)
            .env("BIND", format!("127.0.0.1:{port}"))
            .env("BASE_URL", app.config.base_url.as_str())
            .env("SECRET_KEY", &app.config.secret_key)
            .env("SMTP_URL", app.smtp.url().as_str())
            .env("MAIL_FROM", MAIL_FROM)
            .env("MAIL_DIR", dir.path().join("mail"))
            .env("MAIL_POLL_MS", "50")
            .env("MAIL_RETRY_BASE_MS", "100")
            .env("RUST_LOG", std::env::var("TEST_LOG").unwrap_or_else(|_| "warn".into()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log);
        for (name, value) in env {
            command.env(name, value);
        }
        let child = command.spawn().expect("start the wijkmakers binary");
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .expect("HTTP client");
        Server { child, address, dir, client }
    }

    /// `wijkmakers serve` (mail worker and scheduler included unless `--no-mail-worker`),
    /// answering `/healthz` before this returns.
    pub async fn serve(app: &TestApp, database_url: &str, args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut all = vec!["serve"];
        all.extend_from_slice(args);
        let mut server = Server::spawn(app, database_url, &all, env);
        server.wait_healthy(Duration::from_secs(60)).await;
        server
    }

    pub async fn wait_healthy(&mut self, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(response) = self.client.get(self.url("/healthz")).send().await
                && response.status() == 200
            {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("wijkmakers exited with {status} before serving:\n{}", self.log());
            }
            assert!(Instant::now() < deadline, "wijkmakers did not serve within {timeout:?}:\n{}", self.log());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// What the process wrote to stderr so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    /// An API call with a bearer token: status and JSON (`Null` when not JSON), or `None`
    /// when no answer came (connection refused or reset).
    pub async fn call(&self, method: Method, path: &str, bearer: &str) -> Option<(u16, Value)> {
        let response = self.client.request(method, self.url(path)).bearer_auth(bearer).send().await.ok()?;
        let status = response.status().as_u16();
        let body = response.text().await.ok()?;
        Some((status, serde_json::from_str(&body).unwrap_or(Value::Null)))
    }

    /// Send SIGTERM, as an orchestrator stopping the process.
    pub fn terminate(&self) {
        signal(self.pid(), "TERM");
    }

    /// `kill -9`.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Wait for the process to exit; `None` after `timeout`.
    pub async fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn signal(pid: u32, name: &str) {
    let status = Command::new("kill").arg(format!("-{name}")).arg(pid.to_string()).status().expect("run kill");
    assert!(status.success(), "kill -{name} {pid} failed");
}

/// A PostgreSQL cluster of one test (its own data directory and port), stopped and
/// removed when dropped.
pub struct Cluster {
    cluster: PrivateCluster,
    pub port: u16,
    dir: TempDir,
}

impl Cluster {
    pub async fn start() -> Cluster {
        tokio::task::spawn_blocking(|| {
            let dir = TempDir::new("cluster");
            let cluster = PrivateCluster::new(dir.path()).expect("a cluster directory");
            let port = cluster.ensure_running().expect("start a private PostgreSQL cluster");
            Cluster { cluster, port, dir }
        })
        .await
        .expect("starting the cluster panicked")
    }

    /// `postgres://postgres@127.0.0.1:<port>/postgres`
    pub fn server_url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// `pg_ctl <args>` on this cluster (blocking the test's thread briefly is fine: it is
    /// what an operator does, and the app runs on other threads).
    pub async fn pg_ctl(&self, args: &[&str]) {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        let cluster = PrivateCluster::new(self.dir.path()).expect("cluster directory");
        tokio::task::spawn_blocking(move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            cluster.pg_ctl(&args).unwrap_or_else(|e| panic!("pg_ctl {args:?}: {e:#}"));
        })
        .await
        .expect("pg_ctl panicked");
    }

    /// Start again after a stop (same port and options).
    pub async fn start_again(&self) {
        let cluster = PrivateCluster::new(self.dir.path()).expect("cluster directory");
        tokio::task::spawn_blocking(move || cluster.ensure_running().expect("start the cluster again"))
            .await
            .expect("starting the cluster panicked");
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.cluster.pg_ctl(&["stop", "-m", "immediate", "-w"]);
    }
}
