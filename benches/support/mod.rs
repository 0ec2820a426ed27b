//! What the benchmarks share: a database of the run (made, migrated, dropped afterwards,
//! also after a failure), the configuration of an app on a free port, and percentiles.
#![allow(dead_code)] // each benchmark uses its own part

use std::net::TcpListener;
use std::time::Duration;

use diesel::{Connection, PgConnection, RunQueryDsl};
use wijkmakers::config::{Config, Environment, LogFormat};
use wijkmakers::db::{self, bootstrap};

/// `cargo test --all-targets` runs a benchmark binary without `--bench`: it is no test.
pub fn asked_to_run(name: &str) -> bool {
    let asked = std::env::args().any(|a| a == "--bench");
    if !asked {
        println!("benches/{name} is a benchmark, not a test: run it with `cargo bench --bench {name}`");
    }
    asked
}

/// A database of this run on the local PostgreSQL (DATABASE_URL, else localhost, else a
/// private cluster under var/postgres), migrated; dropped with its connections on drop.
pub struct BenchDatabase {
    pub url: String,
    pub name: String,
    admin_url: String,
}

impl BenchDatabase {
    pub fn create(label: &str) -> anyhow::Result<BenchDatabase> {
        let server = match std::env::var("DATABASE_URL") {
            Ok(url) => url,
            Err(_) => bootstrap::server_or_private_cluster()?,
        };
        let name = format!("wm_bench_{label}_{}", std::process::id());
        let url = bootstrap::with_database(&server, &name)?;
        let admin_url = bootstrap::with_database(&server, "postgres")?;
        bootstrap::create_database_if_missing(&url)?;
        let database = BenchDatabase { url, name, admin_url };
        let mut conn = PgConnection::establish(&database.url)?;
        db::migrate(&mut conn)?;
        Ok(database)
    }

    /// Run SQL statements (the seed) on a connection of its own.
    pub fn execute(&self, sql: &str) -> anyhow::Result<()> {
        let mut conn = PgConnection::establish(&self.url)?;
        diesel::connection::SimpleConnection::batch_execute(&mut conn, sql)?;
        Ok(())
    }
}

impl Drop for BenchDatabase {
    fn drop(&mut self) {
        let sql = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name);
        let dropped = PgConnection::establish(&self.admin_url)
            .map_err(anyhow::Error::from)
            .and_then(|mut conn| diesel::sql_query(sql).execute(&mut conn).map(|_| ()).map_err(Into::into));
        if let Err(e) = dropped {
            eprintln!("warning: could not drop the benchmark database {}: {e}", self.name);
        }
    }
}

/// The configuration of an app on `listener` over the database at `url`, without mail.
pub fn config(url: &str, listener: &TcpListener, pool_size: usize) -> anyhow::Result<Config> {
    let port = listener.local_addr()?.port();
    Ok(Config {
        environment: Environment::Development,
        database_url: Some(url.to_owned()),
        db_pool_size: pool_size,
        db_pool_wait: Duration::from_secs(30),
        bind: listener.local_addr()?,
        base_url: format!("http://127.0.0.1:{port}").parse()?,
        secret_key: "bench-secret-key-that-is-long-enough-0123456789".into(),
        smtp_url: None,
        mail_from: "Wijkmakers Academie <academie@example.org>".parse()?,
        mail_dir: std::env::temp_dir().join("wm-bench-mail"),
        log_format: LogFormat::Text,
        reminder_lead: chrono::Duration::hours(48),
        session_idle: chrono::Duration::hours(24),
        session_lifetime: chrono::Duration::days(14),
        trust_proxy: false,
        trusted_proxies: Vec::new(),
        allow_insecure_http: false,
        mail_poll: Duration::from_millis(500),
        register_limit_per_ip: 10,
        register_limit_per_address: 3,
        coordinator_inbox: None,
        mail_retry_base: wijkmakers::mail::service::RETRY_BASE,
        mail_lease: chrono::Duration::minutes(2),
    })
}

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
