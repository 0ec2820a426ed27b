//! The Wijkmakers Academie platform: courses for neighbourhood and village development in
//! the municipality of Groningen. One crate, split by feature; `Application` is the app
//! factory used by `main` and by the tests.

pub mod access;
pub mod accounts;
pub mod attendance;
pub mod auth;
pub mod catalogue;
pub mod choice;
pub mod config;
pub mod db;
pub mod demo;
pub mod enrolment;
pub mod error;
pub mod export;
pub mod i18n;
pub mod ids;
pub mod mail;
pub mod openapi;
pub mod paging;
pub mod personal;
pub mod places;
pub mod privacy;
pub mod reports;
pub mod time;
pub mod tokens;
pub mod web;

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web as aweb};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tracing_actix_web::TracingLogger;

use crate::config::Config;
use crate::db::Db;
pub use crate::web::AppState;

/// Which background work this process runs besides serving.
#[derive(Debug, Clone, Copy)]
pub struct Background {
    pub mail_worker: bool,
    pub scheduler: bool,
}

impl Default for Background {
    fn default() -> Self {
        Background { mail_worker: true, scheduler: true }
    }
}

/// Find (or create) the database, apply the migrations and open the pool.
pub async fn open_database(config: &Config) -> anyhow::Result<Db> {
    let configured = config.database_url.clone();
    let url = tokio::task::spawn_blocking(move || -> anyhow::Result<String> {
        let url = db::bootstrap::prepare(configured.as_deref())?;
        let mut conn = <diesel::PgConnection as diesel::Connection>::establish(&url)?;
        let applied = db::migrate(&mut conn)?;
        if applied > 0 {
            tracing::info!(applied, "database migrations applied");
        }
        Ok(url)
    })
    .await??;
    Db::connect_waiting(&url, config.db_pool_size, config.db_pool_wait)
}

/// Register every route of every feature.
pub fn routes(cfg: &mut aweb::ServiceConfig) {
    web::api::extractor_config(cfg);
    web::pages::routes(cfg);
    openapi::routes(cfg);
    accounts::routes(cfg);
    mail::pages::routes(cfg);
    catalogue::routes(cfg);
    enrolment::routes(cfg);
    attendance::routes(cfg);
    reports::routes(cfg);
    access::routes(cfg);
}

pub struct Application {
    server: Server,
    port: u16,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Application {
    pub async fn build(config: Config, background: Background) -> anyhow::Result<Application> {
        let db = open_database(&config).await?;
        Self::with_db(config, db, background)
    }

    pub fn with_db(config: Config, db: Db, background: Background) -> anyhow::Result<Application> {
        let listener = TcpListener::bind(config.bind)
            .map_err(|e| anyhow::anyhow!("BIND: cannot listen on {}: {e}", config.bind))?;
        Self::with_listener(config, db, background, listener)
    }

    /// Serve on a listener bound by the caller (tests bind port 0 first, to know BASE_URL).
    pub fn with_listener(
        config: Config,
        db: Db,
        background: Background,
        listener: TcpListener,
    ) -> anyhow::Result<Application> {
        let port = listener.local_addr()?.port();
        let config = Arc::new(config);
        let (shutdown, stop) = watch::channel(false);
        db.listen(stop.clone())?;
        let mut tasks = Vec::new();
        if background.mail_worker {
            let worker = mail::worker::Worker::from_config(db.clone(), &config)?;
            tasks.push(tokio::spawn(worker.run(stop.clone())));
            let base = config.base().to_owned();
            tasks.push(tokio::spawn(accounts::service::reset_mailer(db.clone(), base, config.mail_poll, stop.clone())));
        }
        if background.scheduler {
            tasks.push(tokio::spawn(enrolment::reminders::run(db.clone(), config.clone(), stop.clone())));
            tasks.push(tokio::spawn(enrolment::reminders::run_offers(db.clone(), config.clone(), stop.clone())));
            tasks.push(tokio::spawn(accounts::service::housekeeping(db.clone(), stop.clone())));
            tasks.push(tokio::spawn(access::service::run(db.clone(), stop.clone())));
            let scope = config.database_url.clone().unwrap_or_default();
            tasks.push(tokio::spawn(reports::summary::run(db.clone(), scope, stop.clone())));
        }
        let state = aweb::Data::new(AppState { config: config.clone(), db, bodies: Default::default() });
        let https = config.secure_cookies();
        // A request's blocking work is a statement on a pooled connection (argon2 has threads
        // of its own, `accounts::password`): each worker gets its share of the pool in threads
        // (tokio's default is 512 / cores: bursts made dozens, each with its stack and malloc
        // caches). A worker that holds more connections than its share queues its statements;
        // no statement waits for another one's thread (a transaction is one `Db::run`).
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
        let blocking = config.db_pool_size.div_ceil(workers);
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .configure(routes)
                .default_service(aweb::to(web::methods::fallback))
                .wrap(from_fn(web::middleware::csrf))
                .wrap(from_fn(accounts::identity::resolve))
                .wrap(from_fn(web::middleware::plain_input))
                .wrap(from_fn(web::errors::render))
                .wrap(from_fn(web::middleware::request_id))
                .wrap(from_fn(web::methods::head_as_get))
                .wrap(web::middleware::security_headers(https))
                .wrap(TracingLogger::<web::middleware::RequestSpan>::new())
        })
        .workers(workers)
        .worker_max_blocking_threads(blocking)
        .listen(listener)?
        .shutdown_timeout(20)
        .run();
        Ok(Application { server, port, shutdown, tasks })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serve until SIGTERM or Ctrl-C; then finish the requests in flight and stop the
    /// background work after its current step.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let result = self.server.await;
        let _ = self.shutdown.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
        result.map_err(Into::into)
    }
}
