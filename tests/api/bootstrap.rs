//! Database bootstrap: a missing database is created, the embedded migrations are applied
//! once, and the app opens a database of its own at start.

use diesel::connection::SimpleConnection;
use diesel::migration::MigrationSource;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use wijkmakers::db::bootstrap::{create_database_if_missing, with_database};
use wijkmakers::db::{self, MIGRATIONS};

use crate::common::db::{TestDb, admin_connection, database_exists, quote_ident, server_url};

/// A database name nobody uses; the database is dropped when the guard goes.
struct Scratch(String);

impl Scratch {
    fn new() -> Scratch {
        Scratch(format!("wm_test_{}_boot{}", std::process::id(), hex::encode(rand::random::<[u8; 4]>())))
    }

    fn url(&self) -> String {
        with_database(server_url(), &self.0).unwrap()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ =
            admin_connection().batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", quote_ident(&self.0)));
    }
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn tables(conn: &mut PgConnection) -> Vec<String> {
    diesel::sql_query(
        "SELECT table_name::text AS name FROM information_schema.tables \
         WHERE table_schema = 'public' ORDER BY 1",
    )
    .load::<Name>(conn)
    .unwrap()
    .into_iter()
    .map(|n| n.name)
    .collect()
}

fn applied_migrations(conn: &mut PgConnection) -> i64 {
    diesel::sql_query("SELECT count(*) AS n FROM __diesel_schema_migrations").get_result::<Count>(conn).unwrap().n
}

/// How many migrations there are: the folders under migrations/, which must be the ones
/// embedded in the library.
fn migration_dirs() -> usize {
    let on_disk = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().join("up.sql").is_file())
        .count();
    let embedded = MigrationSource::<Pg>::migrations(&MIGRATIONS).unwrap().len();
    assert_eq!(on_disk, embedded, "the library embeds other migrations than migrations/ holds");
    on_disk
}

const CORE_TABLES: [&str; 5] = ["users", "login_sessions", "user_tokens", "throttles", "outbox"];

#[test]
fn a_missing_database_is_created_and_migrated_once() {
    let scratch = Scratch::new();
    let mut admin = admin_connection();
    assert!(!database_exists(&mut admin, &scratch.0));

    create_database_if_missing(&scratch.url()).expect("create the database");
    assert!(database_exists(&mut admin, &scratch.0), "database was not created");
    // a second call finds it and changes nothing
    create_database_if_missing(&scratch.url()).expect("the database exists now");

    let mut conn = PgConnection::establish(&scratch.url()).unwrap();
    assert!(tables(&mut conn).is_empty(), "a new database has no tables");
    let applied = db::migrate(&mut conn).expect("migrate");
    assert_eq!(applied, migration_dirs(), "every migration applied");
    assert!(applied > 0);
    let present = tables(&mut conn);
    for table in CORE_TABLES {
        assert!(present.iter().any(|t| t == table), "table {table} missing: {present:?}");
    }
    assert_eq!(db::migrate(&mut conn).expect("migrate again"), 0);
    assert_eq!(applied_migrations(&mut conn), applied as i64);
}

#[test]
fn test_databases_are_clones_of_the_migrated_template() {
    let test_db = TestDb::new();
    let mut conn = test_db.connect();
    assert_eq!(applied_migrations(&mut conn), migration_dirs() as i64);
    let present = tables(&mut conn);
    for table in CORE_TABLES {
        assert!(present.iter().any(|t| t == table), "table {table} missing: {present:?}");
    }
    assert_eq!(db::migrate(&mut conn).expect("migrate"), 0, "nothing left to apply");

    // the database goes away with its handle, even while a connection is open
    let name = test_db.name().to_owned();
    drop(test_db);
    assert!(!database_exists(&mut admin_connection(), &name));
    assert!(conn.batch_execute("SELECT 1").is_err(), "the open connection was ended");
}

#[tokio::test]
async fn the_app_opens_a_database_that_does_not_exist_yet() {
    let scratch = Scratch::new();
    let mail_dir = crate::common::TempDir::new("mail");
    let config = crate::common::app::test_config(0, &scratch.url(), None, mail_dir.path());
    assert!(!database_exists(&mut admin_connection(), &scratch.0));
    let pool = wijkmakers::open_database(&config).await.expect("open the database");
    let present = pool.run(|conn| Ok(tables(conn))).await.expect("query the new database");
    for table in CORE_TABLES {
        assert!(present.iter().any(|t| t == table), "table {table} missing: {present:?}");
    }
    drop(pool);
}
