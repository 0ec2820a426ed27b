//! Answers kept until their data changes. The public catalogue is read thousands of times for
//! each change to it; PostgreSQL tells every instance about each committed change
//! (`NOTIFY wijkmakers_changes`, triggers of migration 2026-12-01-000018), and each instance
//! counts them in a version number. A kept answer is used only while the version it was read
//! at is still current. A statement of this instance that may change such a table moves the
//! version on as soon as its work is done (`Held::run`, before any response), so whoever made
//! a change never sees the old answer; other instances follow within one poll of the listener
//! (`POLL`).
//!
//! When the listener has no connection the version is unknown and nothing is kept: every
//! answer is read from the database until it listens again.
//!
//! Login sessions and accounts have a version of their own ([`Topic::Identity`], notices with
//! the payload `identity`, migration 2026-12-01-000022), so that a login or a logout does not
//! end the catalogue's answers and a new course does not end the kept sessions.

use std::any::Any;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::watch;

use chrono::{DateTime, Utc};
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};

/// The channel the triggers announce changes on.
pub const CHANNEL: &str = "wijkmakers_changes";
/// The tables whose changes PostgreSQL announces (migration 2026-12-01-000018).
const ANNOUNCED: [&str; 6] =
    ["themes", "courses", "course_sessions", "course_trainers", "enrolments", "waitlist_offers"];

/// What a version counts the changes of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    /// The catalogue and its seats (payload ''): `ANNOUNCED`.
    Catalogue,
    /// Login sessions and accounts (payload 'identity'): who is asking.
    Identity,
}

/// Whether a statement may change a table whose changes are announced: a write (a statement
/// that begins with INSERT, UPDATE, DELETE, TRUNCATE or MERGE, or a WITH that holds one) that
/// names one. It may say yes too often (a subquery, a bound value), which costs a read; never
/// too seldom.
pub fn may_change(sql: &str) -> bool {
    let sql = sql.to_ascii_lowercase();
    let writes = sql.split(';').any(|statement| {
        let first = statement.trim_start().split(|c: char| !c.is_ascii_alphabetic()).next().unwrap_or("");
        matches!(first, "insert" | "update" | "delete" | "truncate" | "merge")
            || (first == "with"
                && statement
                    .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .any(|word| matches!(word, "insert" | "update" | "delete")))
    });
    writes && ANNOUNCED.iter().any(|t| sql.contains(t))
}

/// Whether a statement may change a login session or an account as a kept session shows it:
/// an UPDATE, DELETE, TRUNCATE, MERGE or upsert that names `login_sessions` or `users` (a new
/// row changes no kept session). Not the mark that a session was used: it only moves
/// `last_seen_at` forward (`greatest`), and a kept session is used at most a minute past the
/// `last_seen_at` it was read with anyway.
pub fn may_change_identity(sql: &str) -> bool {
    let sql = sql.to_ascii_lowercase();
    sql.split(';').any(|statement| {
        let statement = statement.trim_start();
        let first = statement.split(|c: char| !c.is_ascii_alphabetic()).next().unwrap_or("");
        let words = || statement.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'));
        let writes = match first {
            "update" | "delete" | "truncate" | "merge" => true,
            "insert" => statement.contains("do update"),
            "with" => words().any(|word| matches!(word, "update" | "delete")),
            _ => false,
        };
        let seen_mark = first == "update"
            && statement.replace('"', "").contains("set last_seen_at = greatest(last_seen_at, $1) where");
        writes && !seen_mark && words().any(|word| matches!(word, "login_sessions" | "users"))
    })
}

/// How often the listener asks its connection for notices: the most another instance lags.
pub const POLL: Duration = Duration::from_millis(20);
/// Answers kept at most; old versions go first, then the oldest answer.
const ENTRIES: usize = 128;

struct Entry {
    version: u64,
    until: DateTime<Utc>,
    kept_at: std::time::Instant,
    value: Arc<dyn Any + Send + Sync>,
}

/// The version of the data, and the answers read at a version.
pub struct Changes {
    version: AtomicU64,
    identity: AtomicU64,
    listening: AtomicBool,
    entries: Mutex<HashMap<String, Entry>>,
}

impl Changes {
    pub fn new() -> Changes {
        Changes {
            version: AtomicU64::new(0),
            identity: AtomicU64::new(0),
            listening: AtomicBool::new(false),
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The data changed (a notice arrived, or this instance changed it): every kept answer is old.
    pub fn bump(&self) {
        self.version.fetch_add(1, Ordering::SeqCst);
    }

    /// The current version, or `None` while changes cannot be heard (then nothing is kept).
    pub fn version(&self) -> Option<u64> {
        self.version_of(Topic::Catalogue)
    }

    fn counter(&self, topic: Topic) -> &AtomicU64 {
        match topic {
            Topic::Catalogue => &self.version,
            Topic::Identity => &self.identity,
        }
    }

    /// `topic` changed: what was kept at its version is old.
    pub fn bump_topic(&self, topic: Topic) {
        self.counter(topic).fetch_add(1, Ordering::SeqCst);
    }

    /// The current version of `topic`, or `None` while changes cannot be heard.
    pub fn version_of(&self, topic: Topic) -> Option<u64> {
        self.listening.load(Ordering::SeqCst).then(|| self.counter(topic).load(Ordering::SeqCst))
    }

    fn set_listening(&self, on: bool) {
        // a gap in listening may have hidden changes: what was kept before it is old
        self.bump();
        self.bump_topic(Topic::Identity);
        self.listening.store(on, Ordering::SeqCst);
    }

    /// The answer kept under `key`, if it was read at `version` and is still valid.
    pub fn get<T: Any + Send + Sync>(&self, key: &str, version: u64) -> Option<Arc<T>> {
        let entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let entry = entries.get(key).filter(|e| e.version == version && Utc::now() < e.until)?;
        entry.value.clone().downcast::<T>().ok()
    }

    /// Keep `value`, read at `version`, until `until` or the next change.
    pub fn put<T: Any + Send + Sync>(&self, key: String, version: u64, until: DateTime<Utc>, value: Arc<T>) {
        let mut entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if entries.len() >= ENTRIES {
            let now = Utc::now();
            let current = self.version.load(Ordering::SeqCst);
            entries.retain(|_, e| e.version == current && now < e.until);
            if entries.len() >= ENTRIES
                && let Some(oldest) = entries.iter().min_by_key(|(_, e)| e.kept_at).map(|(k, _)| k.clone())
            {
                entries.remove(&oldest);
            }
        }
        entries.insert(key, Entry { version, until, kept_at: std::time::Instant::now(), value });
    }

    /// Listen on `url` until `stop` says so (or its sender is gone): a thread of its own with
    /// one connection, which connects again a second after a failure and keeps nothing meanwhile.
    pub fn listen(self: &Arc<Self>, url: String, stop: watch::Receiver<bool>) -> std::io::Result<()> {
        let changes = self.clone();
        let stopped = move || stop.has_changed().is_err() || *stop.borrow();
        std::thread::Builder::new().name("db-changes".into()).spawn(move || {
            while !stopped() {
                if let Err(error) = changes.listen_once(&url, &stopped) {
                    tracing::warn!(%error, "listening for data changes stopped; trying again");
                }
                changes.set_listening(false);
                for _ in 0..50 {
                    if stopped() {
                        return;
                    }
                    std::thread::sleep(POLL);
                }
            }
        })?;
        Ok(())
    }

    fn listen_once(&self, url: &str, stopped: &dyn Fn() -> bool) -> anyhow::Result<()> {
        let mut conn = PgConnection::establish(url)?;
        conn.batch_execute(&format!("LISTEN {CHANNEL}"))?;
        self.set_listening(true);
        for turn in 1u64.. {
            if stopped() {
                break;
            }
            let (mut catalogue, mut identity) = (false, false);
            for notice in conn.notifications_iter() {
                match notice?.payload.as_str() {
                    "identity" => identity = true,
                    _ => catalogue = true,
                }
            }
            if catalogue {
                self.bump();
            }
            if identity {
                self.bump_topic(Topic::Identity);
            }
            // a connection that died quietly is found by asking it something now and then
            if turn % 250 == 0 {
                conn.batch_execute("SELECT 1")?;
            }
            std::thread::sleep(POLL);
        }
        Ok(())
    }
}

impl Default for Changes {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::{may_change, may_change_identity};

    #[test]
    fn writes_to_announcing_tables_are_noticed_and_reads_and_other_writes_are_not() {
        assert!(may_change(r#"INSERT INTO "enrolments" ("course_id") VALUES ($1)"#));
        assert!(may_change("update courses set title = $1 where id = $2"));
        assert!(may_change("WITH gone AS (DELETE FROM waitlist_offers WHERE id = $1) SELECT 1"));
        assert!(may_change("with moved as (select 1) update courses set capacity = 3"));
        assert!(may_change("SET LOCAL jit = off; UPDATE enrolments SET status = 'cancelled'"));
        assert!(!may_change(r#"SELECT "courses"."id" FROM "courses""#));
        assert!(!may_change(r#"SELECT "courses"."updated_at", "courses"."deleted" FROM "courses" FOR UPDATE"#));
        assert!(!may_change(r#"INSERT INTO "login_sessions" ("user_id") VALUES ($1)"#));
        assert!(!may_change(r#"UPDATE "outbox" SET "status" = $1"#));
    }

    #[test]
    fn changes_to_sessions_and_accounts_are_noticed_but_new_rows_and_the_seen_mark_are_not() {
        assert!(may_change_identity(r#"UPDATE "login_sessions" SET "revoked_at" = $1 WHERE "id" = $2"#));
        assert!(may_change_identity(r#"UPDATE "users" SET "role" = $1 WHERE ("users"."id" = $2)"#));
        assert!(may_change_identity("update login_sessions set last_seen_at = now() - interval '25 hours'"));
        assert!(may_change_identity("DELETE FROM login_sessions WHERE expires_at < $1"));
        assert!(may_change_identity("with gone as (delete from users where id = 1) select 1"));
        assert!(may_change_identity(
            "INSERT INTO users (email) VALUES ($1) ON CONFLICT (email) DO UPDATE SET name = $2"
        ));
        assert!(!may_change_identity(r#"INSERT INTO "login_sessions" ("user_id") VALUES ($1)"#));
        assert!(!may_change_identity(r#"SELECT "users"."id" FROM "login_sessions" INNER JOIN "users""#));
        assert!(!may_change_identity(
            "UPDATE login_sessions SET last_seen_at = greatest(last_seen_at, $1) WHERE id = $2"
        ));
        assert!(!may_change_identity(r#"UPDATE "courses" SET "title" = $1"#));
        assert!(!may_change_identity(r#"UPDATE "known_devices" SET "last_used_at" = $1"#));
    }
}
