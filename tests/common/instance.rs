//! Another app process on the same database, with the same configuration (secret key,
//! BASE_URL) but its own port, as behind a load balancer or after a restart.

use std::net::TcpListener;

use reqwest::{Method, Response};
use serde_json::Value;
use wijkmakers::config::Config;
use wijkmakers::{Application, Background};

use super::TestApp;

/// A second instance; stops when dropped.
pub struct Instance {
    pub address: String,
    /// This instance's pool: its statement counter, as `TestApp::pool`.
    pub pool: wijkmakers::db::Db,
    /// An API client (no cookies, no redirects).
    client: reqwest::Client,
    server: tokio::task::JoinHandle<()>,
}

impl Instance {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// An API call to this instance.
    pub async fn api(&self, method: Method, path: &str, body: Option<&Value>, bearer: Option<&str>) -> Response {
        let mut request = self.client.request(method.clone(), self.url(path));
        if let Some(body) = body {
            request = request.json(body);
        }
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap_or_else(|e| panic!("{method} {path}: {e}"))
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

impl TestApp {
    /// Another instance of the app on this app's database (no mail worker, no scheduler).
    pub fn start_instance(&self) -> Instance {
        self.start_instance_with(|_| {})
    }

    /// Like [`TestApp::start_instance`], with the configuration changed by `change`.
    pub fn start_instance_with(&self, change: impl FnOnce(&mut Config)) -> Instance {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let mut config = self.config.clone();
        config.bind = ([127, 0, 0, 1], port).into();
        change(&mut config);
        let pool = wijkmakers::db::Db::connect(self.db.url(), 3).unwrap();
        let background = Background { mail_worker: false, scheduler: false };
        let instance = Application::with_listener(config, pool.clone(), background, listener).unwrap();
        let server = tokio::spawn(async move {
            let _ = instance.run_until_stopped().await;
        });
        Instance { address: format!("http://127.0.0.1:{port}"), pool, client: self.api_client.clone(), server }
    }
}
