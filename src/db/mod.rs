//! The database: a pool of synchronous diesel connections used through `spawn_blocking`
//! (deadpool-diesel's `interact`), so diesel never blocks the async executor.

pub mod bootstrap;
pub mod schema;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use deadpool_diesel::postgres::{Manager, Pool};
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
}

impl Db {
    pub fn connect(url: &str, max_size: usize) -> anyhow::Result<Db> {
        let manager = Manager::new(url, Runtime::Tokio1);
        let pool = Pool::builder(manager)
            .max_size(max_size)
            .timeouts(Timeouts {
                wait: Some(Duration::from_secs(30)),
                create: Some(Duration::from_secs(10)),
                recycle: Some(Duration::from_secs(10)),
            })
            .runtime(Runtime::Tokio1)
            .build()?;
        Ok(Db { pool, queries: Arc::new(AtomicU64::new(0)) })
    }

    /// Run `f` with a connection on a blocking thread.
    pub async fn run<T, F>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut PgConnection) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let conn = self.pool.get().await.map_err(|e| AppError::Unavailable(format!("no database connection: {e}")))?;
        let queries = self.queries.clone();
        conn.interact(move |conn| {
            use diesel::connection::{Connection, InstrumentationEvent};
            conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
                if let InstrumentationEvent::StartQuery { .. } = event {
                    queries.fetch_add(1, Ordering::Relaxed);
                }
            });
            f(conn)
        })
        .await
        .map_err(|e| AppError::internal(format!("database task failed: {e}")))?
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

    /// How many statements ran through this handle so far.
    pub fn query_count(&self) -> u64 {
        self.queries.load(Ordering::Relaxed)
    }

    pub fn status(&self) -> deadpool_diesel::Status {
        self.pool.status()
    }
}

/// Apply the embedded migrations; an advisory lock lets several instances start at once.
pub fn migrate(conn: &mut PgConnection) -> anyhow::Result<usize> {
    conn.batch_execute("SELECT pg_advisory_lock(7231001)")?;
    let result = conn.run_pending_migrations(MIGRATIONS).map(|done| done.len());
    conn.batch_execute("SELECT pg_advisory_unlock(7231001)")?;
    result.map_err(|e| anyhow::anyhow!("migrations failed: {e}"))
}

/// An id newtype over a BIGINT (`id_newtype!(UserId)`), so a user's id is never mixed up
/// with a course's: read from and written to the database, JSON and URL paths as a number.
macro_rules! id_newtype {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[derive(serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)]
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl diesel::serialize::ToSql<diesel::sql_types::BigInt, diesel::pg::Pg> for $name {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::pg::Pg>,
            ) -> diesel::serialize::Result {
                <i64 as diesel::serialize::ToSql<diesel::sql_types::BigInt, diesel::pg::Pg>>::to_sql(&self.0, out)
            }
        }

        impl diesel::deserialize::FromSql<diesel::sql_types::BigInt, diesel::pg::Pg> for $name {
            fn from_sql(bytes: diesel::pg::PgValue<'_>) -> diesel::deserialize::Result<Self> {
                <i64 as diesel::deserialize::FromSql<diesel::sql_types::BigInt, diesel::pg::Pg>>::from_sql(bytes)
                    .map($name)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    };
}
pub(crate) use id_newtype;
