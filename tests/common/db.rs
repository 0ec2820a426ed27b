//! A database per test, cloned from a migrated template (the pattern of crates.io's
//! test-database crate).
//!
//! The server is `TEST_DATABASE_URL`, else `DATABASE_URL`, else the local server (or a
//! private cluster under `var/` when none runs). The template `wm_tpl_<hash of
//! migrations/>` is made once, lazily, under an advisory lock so that parallel test
//! processes and threads agree on who builds it; each test then runs
//! `CREATE DATABASE wm_test_<pid>_<random> TEMPLATE wm_tpl_…` and drops its database
//! (`WITH (FORCE)`) when the handle is dropped.

use std::path::Path;
use std::sync::OnceLock;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use sha2::{Digest, Sha256};
use wijkmakers::db::bootstrap::with_database;

/// Advisory lock key under which the template is built (any process, any thread).
const TEMPLATE_LOCK: i64 = 7_231_777_001;

/// The server's URL (with some database name in it), found once per process.
pub fn server_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        let configured = ["TEST_DATABASE_URL", "DATABASE_URL"]
            .into_iter()
            .find_map(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()));
        match configured {
            Some(url) => url,
            None => wijkmakers::db::bootstrap::server_or_private_cluster()
                .expect("no PostgreSQL for the tests: start one or set TEST_DATABASE_URL"),
        }
    })
}

/// URL of the maintenance database (`postgres`) on the test server.
pub fn admin_url() -> String {
    with_database(server_url(), "postgres").expect("server URL is a URL")
}

/// A connection to the maintenance database.
pub fn admin_connection() -> PgConnection {
    let url = admin_url();
    PgConnection::establish(&url)
        .unwrap_or_else(|e| panic!("cannot connect to {}: {e}", wijkmakers::db::bootstrap::redact(&url)))
}

/// `"name"` with quotes doubled, for identifiers in DDL.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Whether `name` exists on the test server.
pub fn database_exists(conn: &mut PgConnection, name: &str) -> bool {
    diesel::sql_query("SELECT count(*) AS n FROM pg_database WHERE datname = $1")
        .bind::<Text, _>(name)
        .get_result::<Count>(conn)
        .expect("query pg_database")
        .n
        > 0
}

/// A short hash of everything under migrations/, so a changed migration makes a new template.
pub fn migrations_hash() -> String {
    fn walk(dir: &Path, root: &Path, hasher: &mut Sha256) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
            .map(|e| e.expect("directory entry").path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, root, hasher);
            } else {
                let relative = path.strip_prefix(root).expect("inside root");
                hasher.update(relative.to_string_lossy().as_bytes());
                hasher.update([0]);
                hasher.update(std::fs::read(&path).expect("read migration file"));
                hasher.update([0]);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut hasher = Sha256::new();
    walk(&root, &root, &mut hasher);
    hex::encode(&hasher.finalize()[..6])
}

/// The name of the migrated template, creating it the first time (blocking).
pub fn template() -> &'static str {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let name = format!("wm_tpl_{}", migrations_hash());
        let mut admin = admin_connection();
        admin.batch_execute(&format!("SELECT pg_advisory_lock({TEMPLATE_LOCK})")).expect("take the template lock");
        let built = build_template(&mut admin, &name);
        admin.batch_execute(&format!("SELECT pg_advisory_unlock({TEMPLATE_LOCK})")).expect("release the template lock");
        if let Err(e) = built {
            panic!("cannot build the template database {name}: {e:#}");
        }
        sweep_abandoned(&mut admin);
        name
    })
}

/// Under the lock: build `<name>_build`, migrate it, and rename it to `name`, so that a
/// template is never seen half-made (a crashed build leaves only `_build`, redone here).
fn build_template(admin: &mut PgConnection, name: &str) -> anyhow::Result<()> {
    if database_exists(admin, name) {
        return Ok(());
    }
    let building = format!("{name}_build");
    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", quote_ident(&building)))?;
    admin.batch_execute(&format!("CREATE DATABASE {}", quote_ident(&building)))?;
    {
        let mut conn = PgConnection::establish(&with_database(server_url(), &building)?)?;
        wijkmakers::db::migrate(&mut conn)?;
        // `conn` is closed here: CREATE DATABASE … TEMPLATE needs a template nobody uses
    }
    admin.batch_execute(&format!("ALTER DATABASE {} RENAME TO {}", quote_ident(&building), quote_ident(name)))?;
    // refuse connections to the template for good: a stray one would make every clone fail
    admin.batch_execute(&format!("ALTER DATABASE {} WITH ALLOW_CONNECTIONS false", quote_ident(name)))?;
    Ok(())
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    datname: String,
}

/// Drop test databases left by test processes of this machine that died without cleaning
/// up (killed by a timeout, say). Only for a server on loopback, where the pid in the name
/// is a pid of this machine.
fn sweep_abandoned(admin: &mut PgConnection) {
    let local = url::Url::parse(server_url())
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .is_some_and(|host| matches!(host.as_str(), "localhost" | "127.0.0.1" | "[::1]" | "::1"));
    if !local || !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(names) = diesel::sql_query(
        "SELECT datname FROM pg_database WHERE datname LIKE 'wm\\_test\\_%' \
         AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = pg_database.datname)",
    )
    .load::<Name>(admin) else {
        return;
    };
    for Name { datname } in names {
        let pid = datname
            .strip_prefix("wm_test_")
            .and_then(|rest| rest.split('_').next())
            .and_then(|pid| pid.parse::<u32>().ok());
        if let Some(pid) = pid
            && pid != std::process::id()
            && !Path::new(&format!("/proc/{pid}")).exists()
        {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", quote_ident(&datname)));
        }
    }
}

/// A database of one test; dropped (with its connections) when the handle is dropped.
pub struct TestDb {
    name: String,
    url: String,
    /// The maintenance database of its server, to drop it from.
    admin: String,
}

impl TestDb {
    /// Clone the template into a fresh database. Blocking: see [`TestDb::create`].
    pub fn new() -> TestDb {
        let template = template();
        let name = format!("wm_test_{}_{}", std::process::id(), hex::encode(rand::random::<[u8; 6]>()));
        let mut admin = admin_connection();
        // CREATE DATABASE … TEMPLATE fails when someone is connected to the template; with
        // ALLOW_CONNECTIONS false nobody is, but be patient with a racing clone anyway
        let mut tries = 0;
        loop {
            match admin.batch_execute(&format!(
                "CREATE DATABASE {} TEMPLATE {}",
                quote_ident(&name),
                quote_ident(template)
            )) {
                Ok(()) => break,
                Err(e) if tries < 50 && e.to_string().contains("being accessed") => {
                    tries += 1;
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                Err(e) => panic!("cannot create test database {name}: {e}"),
            }
        }
        // a test needs no durability: commits need not wait for the disk
        admin
            .batch_execute(&format!("ALTER DATABASE {} SET synchronous_commit = off", quote_ident(&name)))
            .expect("configure the test database");
        let url = with_database(server_url(), &name).expect("server URL is a URL");
        TestDb { name, url, admin: admin_url() }
    }

    /// A migrated database on another server (a private cluster of a fault test), made
    /// without a template. Blocking.
    pub fn on_server(server: &str) -> TestDb {
        let name = format!("wm_test_{}_{}", std::process::id(), hex::encode(rand::random::<[u8; 6]>()));
        let url = with_database(server, &name).expect("server URL is a URL");
        wijkmakers::db::bootstrap::create_database_if_missing(&url).expect("create the database");
        let mut conn = PgConnection::establish(&url).expect("connect to the new database");
        wijkmakers::db::migrate(&mut conn).expect("migrate the new database");
        TestDb { name, url, admin: with_database(server, "postgres").expect("server URL is a URL") }
    }

    /// [`TestDb::new`] on a blocking thread, for async tests.
    pub async fn create() -> TestDb {
        tokio::task::spawn_blocking(TestDb::new).await.expect("creating the test database panicked")
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// A new (blocking) connection to this database.
    pub fn connect(&self) -> PgConnection {
        PgConnection::establish(&self.url).expect("connect to the test database")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", quote_ident(&self.name));
        let result = PgConnection::establish(&self.admin)
            .map_err(|e| e.to_string())
            .and_then(|mut admin| admin.batch_execute(&sql).map_err(|e| e.to_string()));
        if let Err(e) = result {
            eprintln!("warning: could not drop test database {}: {e}", self.name);
        }
    }
}
