//! Finding a database to use, so that a new user needs no setup: the configured URL, else
//! the local server, else a private cluster under `var/postgres` started with the installed
//! `initdb`/`pg_ctl`. The database is created when missing. Used by the app and the tests.

use std::fs::{self, File};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use diesel::{Connection, PgConnection, RunQueryDsl};
use url::Url;

pub const DEFAULT_URL: &str = "postgres://localhost/wijkmakers";

/// Why a connection failed, as far as the rest of bootstrap cares.
enum Failure {
    ServerDown,
    DatabaseMissing,
    Other(String),
}

fn try_connect(url: &str) -> Result<PgConnection, Failure> {
    PgConnection::establish(url).map_err(|e| {
        let text = e.to_string();
        if text.contains("does not exist") && text.contains("database") {
            Failure::DatabaseMissing
        } else if text.contains("Connection refused")
            || text.contains("No such file or directory")
            || text.contains("could not connect")
        {
            Failure::ServerDown
        } else {
            Failure::Other(text)
        }
    })
}

/// `url` with its database name replaced.
pub fn with_database(url: &str, database: &str) -> anyhow::Result<String> {
    let mut parsed = Url::parse(url).context("DATABASE_URL is not a URL")?;
    parsed.set_path(&format!("/{database}"));
    Ok(parsed.to_string())
}

pub fn database_name(url: &str) -> anyhow::Result<String> {
    let parsed = Url::parse(url).context("DATABASE_URL is not a URL")?;
    let name = parsed.path().trim_start_matches('/');
    if name.is_empty() {
        bail!("DATABASE_URL names no database (add /wijkmakers at the end)");
    }
    Ok(name.to_owned())
}

/// The URL of a reachable database for `configured` (or the default), created if missing.
/// Blocking: call it from a blocking thread.
pub fn prepare(configured: Option<&str>) -> anyhow::Result<String> {
    let url = match configured {
        Some(url) => url.to_owned(),
        None => server_or_private_cluster()?,
    };
    create_database_if_missing(&url)?;
    Ok(url)
}

/// The default URL when a server answers on localhost, else one for a private cluster.
pub fn server_or_private_cluster() -> anyhow::Result<String> {
    match try_connect(&with_database(DEFAULT_URL, "postgres")?) {
        Ok(_) => Ok(DEFAULT_URL.to_owned()),
        Err(Failure::ServerDown) => {
            let port = PrivateCluster::new(Path::new("var/postgres"))?.ensure_running()?;
            Ok(format!("postgres://postgres@127.0.0.1:{port}/wijkmakers"))
        }
        Err(Failure::DatabaseMissing) => Ok(DEFAULT_URL.to_owned()),
        Err(Failure::Other(why)) => bail!(
            "cannot use the PostgreSQL server on localhost ({}). Set DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/wijkmakers",
            why.trim()
        ),
    }
}

pub fn create_database_if_missing(url: &str) -> anyhow::Result<()> {
    match try_connect(url) {
        Ok(_) => Ok(()),
        Err(Failure::DatabaseMissing) => {
            let name = database_name(url)?;
            let mut admin = try_connect(&with_database(url, "postgres")?).map_err(|_| {
                anyhow::anyhow!(
                    "database {name} does not exist, and it cannot be created from the `postgres` database: \
                     create it (createdb {name}) or give a DATABASE_URL that exists"
                )
            })?;
            let sql = format!("CREATE DATABASE \"{}\"", name.replace('"', "\"\""));
            match diesel::sql_query(sql).execute(&mut admin) {
                Ok(_) => {
                    tracing::info!(database = name, "created the database");
                    Ok(())
                }
                // another instance created it first
                Err(e) if e.to_string().contains("already exists") => Ok(()),
                Err(e) => Err(e).context(format!("could not create database {name}")),
            }
        }
        Err(Failure::ServerDown) => bail!(
            "no PostgreSQL server answers at {}. Start it, or unset DATABASE_URL to use the local server",
            redact(url)
        ),
        Err(Failure::Other(why)) => bail!("cannot connect to {}: {}", redact(url), why.trim()),
    }
}

/// `url` without its password, for messages.
pub fn redact(url: &str) -> String {
    match Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

/// A PostgreSQL cluster of our own under `var/postgres`, listening on loopback only.
pub struct PrivateCluster {
    dir: PathBuf,
}

impl PrivateCluster {
    pub fn new(dir: &Path) -> anyhow::Result<Self> {
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let dir = dir.canonicalize()?;
        Ok(PrivateCluster { dir })
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// Start the cluster (creating it the first time) and answer its port. Several
    /// processes may call this at once: a lock file lets one do the work.
    pub fn ensure_running(&self) -> anyhow::Result<u16> {
        let lock = File::create(self.dir.join("lock"))?;
        lock.lock().context("cannot lock var/postgres/lock")?;
        let bin = find_pg_bin().ok_or_else(|| anyhow::anyhow!(NOT_INSTALLED))?;
        let as_root = is_root();
        if as_root {
            run(Command::new("chown").arg("-R").arg("postgres:postgres").arg(&self.dir))?;
        }
        if !self.data().join("PG_VERSION").exists() {
            eprintln!("No PostgreSQL server runs on localhost: creating a private cluster in {}", self.dir.display());
            run(self
                .pg_command(&bin, "initdb", as_root)
                .args(["--username=postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "-D"])
                .arg(self.data()))?;
        }
        let port = self.port()?;
        let status = self.pg_command(&bin, "pg_ctl", as_root).arg("status").arg("-D").arg(self.data()).output()?;
        if !status.status.success() {
            eprintln!(
                "No PostgreSQL server runs on localhost: starting the private cluster in {} on 127.0.0.1:{port}",
                self.dir.display()
            );
            run(self
                .pg_command(&bin, "pg_ctl", as_root)
                .arg("start")
                .arg("-w")
                .arg("-D")
                .arg(self.data())
                .arg("-l")
                .arg(self.dir.join("server.log"))
                .arg("-o")
                .arg(format!("-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories=''")))?;
        }
        Ok(port)
    }

    /// Run `pg_ctl <args> -D <data>` as the cluster's owner (`restart -m fast`, `stop`,
    /// `start`); for tests of a database that goes away.
    pub fn pg_ctl(&self, args: &[&str]) -> anyhow::Result<()> {
        let bin = find_pg_bin().ok_or_else(|| anyhow::anyhow!(NOT_INSTALLED))?;
        let mut command = self.pg_command(&bin, "pg_ctl", is_root());
        command.args(args).arg("-D").arg(self.data());
        if matches!(args.first(), Some(&"start") | Some(&"restart")) {
            // the server must not inherit our pipes, or waiting for pg_ctl's output never ends
            command.arg("-l").arg(self.dir.join("server.log"));
        }
        run(&mut command)
    }

    /// The port chosen the first time, kept in `var/postgres/port`.
    fn port(&self) -> anyhow::Result<u16> {
        let file = self.dir.join("port");
        if let Ok(text) = fs::read_to_string(&file)
            && let Ok(port) = text.trim().parse()
        {
            return Ok(port);
        }
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        fs::write(&file, port.to_string())?;
        Ok(port)
    }

    fn pg_command(&self, bin: &Path, program: &str, as_root: bool) -> Command {
        let program = bin.join(program);
        if as_root {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(program);
            command
        } else {
            Command::new(program)
        }
    }
}

const NOT_INSTALLED: &str = "no PostgreSQL server runs on localhost and PostgreSQL is not installed. Install it \
    (Debian/Ubuntu: `sudo apt install postgresql`, macOS: `brew install postgresql@16`) or set \
    DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/wijkmakers";

/// The folder holding `initdb` and `pg_ctl`: on PATH, else the newest /usr/lib/postgresql/*/bin.
fn find_pg_bin() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .find(|dir| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file());
    if let Some(dir) = on_path {
        // a symlink in /usr/local/bin must resolve to the real folder, for the postgres user
        return dir.join("initdb").canonicalize().ok().and_then(|p| p.parent().map(Path::to_path_buf));
    }
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = entry.file_name().to_string_lossy().parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|out| String::from_utf8_lossy(&out.stdout).trim() == "0").unwrap_or(false)
}

fn run(command: &mut Command) -> anyhow::Result<()> {
    let output = command.output().with_context(|| format!("cannot run {command:?}"))?;
    if !output.status.success() {
        bail!(
            "{:?} failed: {}{}",
            command.get_program(),
            String::from_utf8_lossy(&output.stderr).trim(),
            String::from_utf8_lossy(&output.stdout).trim()
        );
    }
    Ok(())
}
