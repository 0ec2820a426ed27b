//! The database: a pool of synchronous diesel connections used through `spawn_blocking`
//! (deadpool-diesel's `interact`), so diesel never blocks the async executor.

pub mod bootstrap;
pub mod changes;
pub mod schema;
pub mod shelf;
pub mod views;

use std::any::Any;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use deadpool::managed::{Metrics, Object, RecycleResult};
use deadpool_diesel::{Runtime, Timeouts};
use diesel::PgConnection;
use diesel::connection::SimpleConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::AppError;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// Handle on the pool; cheap to clone.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    /// Statements run through this handle: lets a test (or a benchmark) check that a page
    /// costs a fixed number of queries.
    queries: Arc<AtomicU64>,
    /// The version of the data and the answers kept at it (see [`changes`]).
    changes: Arc<changes::Changes>,
    /// The shelves of answers kept per reader, by their kind's name (see [`Db::kept`]).
    shelves: Arc<Mutex<HashMap<&'static str, Arc<dyn Any + Send + Sync>>>>,
    url: Arc<str>,
}

impl Db {
    pub fn connect(url: &str, max_size: usize) -> anyhow::Result<Db> {
        Self::connect_waiting(url, max_size, Duration::from_secs(30))
    }

    /// Run `job` at once and then every `period` until `shutdown` changes: the scheduler's
    /// loops (reminders, waiting-list offers, access needs). A count above zero is logged
    /// with `done`; a failure is logged and the job is tried again at the next turn.
    pub async fn every<F>(
        &self,
        period: Duration,
        mut shutdown: tokio::sync::watch::Receiver<bool>,
        done: &'static str,
        job: F,
    ) where
        F: Fn(&mut PgConnection) -> Result<usize, AppError> + Clone + Send + 'static,
    {
        loop {
            let turn = job.clone();
            match self.run(move |conn| turn(conn)).await {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "{done}"),
                Err(error) => tracing::warn!(%error, "{done}: failed, tried again later"),
            }
            tokio::select! {
                _ = tokio::time::sleep(period) => {}
                _ = shutdown.changed() => break,
            }
        }
    }

    /// A pool in which a request waits at most `wait` for a connection (then 503).
    pub fn connect_waiting(url: &str, max_size: usize, wait: Duration) -> anyhow::Result<Db> {
        let manager = Manager { inner: deadpool_diesel::postgres::Manager::new(url, Runtime::Tokio1) };
        let pool = Pool::builder(manager)
            .max_size(max_size)
            .timeouts(Timeouts {
                wait: Some(wait),
                create: Some(Duration::from_secs(10)),
                recycle: Some(Duration::from_secs(10)),
            })
            .runtime(Runtime::Tokio1)
            .build()?;
        Ok(Db {
            pool,
            queries: Arc::new(AtomicU64::new(0)),
            changes: Arc::default(),
            shelves: Arc::default(),
            url: url.into(),
        })
    }

    /// Run `f` with a connection on a blocking thread.
    pub async fn run<T, F>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut PgConnection) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        self.hold().await?.run(f).await
    }

    /// Take a connection from the pool and keep it for several steps, so that no step waits
    /// for the pool again (the mail worker records a delivery the moment it is done).
    pub async fn hold(&self) -> Result<Held, AppError> {
        let conn = self.pool.get().await.map_err(|e| AppError::Unavailable(format!("no database connection: {e}")))?;
        Ok(Held {
            conn: Some(conn),
            lost: AtomicBool::new(false),
            queries: self.queries.clone(),
            changes: self.changes.clone(),
        })
    }

    /// Run `f` inside one transaction (rolled back when it returns an error).
    pub async fn tx<T, F>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut PgConnection) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        use diesel::Connection;
        self.run(move |conn| conn.transaction(f)).await
    }

    /// Hear the database's change notices until `stop` (see [`changes`]); until this runs,
    /// [`Db::cached`] reads every answer from the database.
    pub fn listen(&self, stop: tokio::sync::watch::Receiver<bool>) -> std::io::Result<()> {
        self.changes.listen(self.url.to_string(), stop)
    }

    /// The data changed: kept answers are old. [`Held::run`] says so itself after a statement
    /// that may have changed an announcing table; tests use this to read past the cache.
    pub fn changed(&self) {
        self.changes.bump();
        self.changes.bump_topic(changes::Topic::Identity);
    }

    /// The answer of `load` under `key`, read from the database once per version of the data
    /// and kept until the moment `load` gives with it (when time alone changes the answer: a
    /// session starts). Only for answers made of tables that announce their changes
    /// (migration 2026-12-01-000018). An error is not kept.
    pub async fn cached<T, F>(&self, key: String, load: F) -> Result<Arc<T>, AppError>
    where
        F: FnOnce(&mut PgConnection) -> Result<(T, chrono::DateTime<chrono::Utc>), AppError> + Send + 'static,
        T: Send + Sync + 'static,
    {
        let Some(version) = self.changes.version() else {
            return Ok(Arc::new(self.run(load).await?.0));
        };
        if let Some(kept) = self.changes.get::<T>(&key, version) {
            return Ok(kept);
        }
        let (value, until) = self.run(load).await?;
        let value = Arc::new(value);
        self.changes.put(key, version, until, value.clone());
        Ok(value)
    }

    /// The answer of `load` for `key`, read from the database once per version of the kind's
    /// topic and kept on the kind's shelf until the moment `load` gives with it (`None`: not
    /// kept, e.g. an unknown session token, which a stranger could send by the million). Like
    /// [`Db::cached`], for answers made only of tables that announce their changes on that
    /// topic; nothing is kept while the listener is deaf.
    pub async fn kept<K, V, F>(&self, kind: &'static shelf::Kind, key: K, load: F) -> Result<V, AppError>
    where
        K: std::hash::Hash + Eq + Send + Sync + 'static,
        V: Clone + Send + Sync + 'static,
        F: FnOnce(&mut PgConnection) -> Result<(V, Option<chrono::DateTime<chrono::Utc>>), AppError> + Send + 'static,
    {
        let (Some(version), Some(shelf)) = (self.changes.version_of(kind.topic), self.shelf::<K, V>(kind)) else {
            return Ok(self.run(load).await?.0);
        };
        if let Some(kept) = shelf.get(&key, version) {
            return Ok(kept);
        }
        let (value, until) = self.run(load).await?;
        if let Some(until) = until {
            shelf.put(key, version, until, value.clone());
        }
        Ok(value)
    }

    /// The shelf of `kind`, made at its first use (`None` if the name was used for other types).
    fn shelf<K, V>(&self, kind: &'static shelf::Kind) -> Option<Arc<shelf::Shelf<K, V>>>
    where
        K: std::hash::Hash + Eq + Send + Sync + 'static,
        V: Clone + Send + Sync + 'static,
    {
        let mut shelves = self.shelves.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let shelf = shelves.entry(kind.name).or_insert_with(|| Arc::new(shelf::Shelf::<K, V>::new(kind.room)));
        shelf.clone().downcast().ok()
    }

    /// How many statements ran through this handle so far.
    pub fn query_count(&self) -> u64 {
        self.queries.load(Ordering::Relaxed)
    }

    pub fn status(&self) -> deadpool_diesel::Status {
        self.pool.status()
    }
}

type Pool = deadpool::managed::Pool<Manager>;

/// How long after its last checkout a connection is trusted without a `SELECT 1`.
const FRESH: Duration = Duration::from_secs(2);

/// deadpool-diesel's manager, without its `SELECT 1` on every checkout for a connection that
/// was taken less than `FRESH` ago: under load that ping was a round trip and a thread hop
/// on each of the two checkouts of a request (identity, handler). An idle connection is
/// still pinged; one that lost the server under a statement is dropped by `Held`, so it
/// is never handed out again.
pub struct Manager {
    inner: deadpool_diesel::postgres::Manager,
}

impl deadpool::managed::Manager for Manager {
    type Type = deadpool_diesel::Connection<PgConnection>;
    type Error = deadpool_diesel::Error;

    async fn create(&self) -> Result<Self::Type, Self::Error> {
        self.inner.create().await
    }

    async fn recycle(&self, conn: &mut Self::Type, metrics: &Metrics) -> RecycleResult<Self::Error> {
        if metrics.last_used() < FRESH && !conn.is_mutex_poisoned() {
            // the check the ping makes first, without the ping: no transaction left open
            let clean = conn.try_lock().ok().map(|mut c| {
                use diesel::connection::{Connection, TransactionManager};
                !<PgConnection as Connection>::TransactionManager::is_broken_transaction_manager(&mut *c)
            });
            if clean == Some(true) {
                return Ok(());
            }
        }
        self.inner.recycle(conn, metrics).await
    }
}

/// A connection taken from the pool, returned to it when dropped (unless it lost the
/// server: then it is closed, and the pool opens a new one).
pub struct Held {
    conn: Option<Object<Manager>>,
    lost: AtomicBool,
    queries: Arc<AtomicU64>,
    changes: Arc<changes::Changes>,
}

impl Drop for Held {
    fn drop(&mut self) {
        if self.lost.load(Ordering::Relaxed)
            && let Some(conn) = self.conn.take()
        {
            drop(Object::take(conn));
        }
    }
}

impl Held {
    /// Run `f` with this connection on a blocking thread.
    pub async fn run<T, F>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut PgConnection) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let queries = self.queries.clone();
        let wrote = Arc::new(AtomicBool::new(false));
        let noted = wrote.clone();
        let touched = Arc::new(AtomicBool::new(false));
        let noted_identity = touched.clone();
        let conn = self.conn.as_ref().ok_or_else(|| AppError::internal("the connection was given up"))?;
        let result = conn
            .interact(move |conn| {
                use diesel::connection::{Connection, InstrumentationEvent};
                conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
                    if let InstrumentationEvent::StartQuery { query, .. } = event {
                        queries.fetch_add(1, Ordering::Relaxed);
                        if !noted.load(Ordering::Relaxed) || !noted_identity.load(Ordering::Relaxed) {
                            let sql = query.to_string();
                            if changes::may_change(&sql) {
                                noted.store(true, Ordering::Relaxed);
                            }
                            if changes::may_change_identity(&sql) {
                                noted_identity.store(true, Ordering::Relaxed);
                            }
                        }
                    }
                });
                f(conn)
            })
            .await
            .map_err(|e| AppError::internal(format!("database task failed: {e}")))?;
        // committed (or rolled back) by now, and before any response: this instance keeps
        // no answer older than its own change (other instances hear it from PostgreSQL)
        if wrote.load(Ordering::Relaxed) {
            self.changes.bump();
        }
        if touched.load(Ordering::Relaxed) {
            self.changes.bump_topic(changes::Topic::Identity);
        }
        // `From<diesel::result::Error>` makes a lost server a 503
        if matches!(result, Err(AppError::Unavailable(_))) {
            self.lost.store(true, Ordering::Relaxed);
        }
        result
    }
}

/// Apply the embedded migrations; an advisory lock lets several instances start at once.
pub fn migrate(conn: &mut PgConnection) -> anyhow::Result<usize> {
    conn.batch_execute("SELECT pg_advisory_lock(7231001)")?;
    let result = conn.run_pending_migrations(MIGRATIONS).map(|done| done.len());
    conn.batch_execute("SELECT pg_advisory_unlock(7231001)")?;
    result.map_err(|e| anyhow::anyhow!("migrations failed: {e}"))
}
