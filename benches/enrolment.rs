//! Enrolment throughput (issue 6, "Benchmark"): not a test. Run it with
//!
//!     cargo bench --bench enrolment
//!
//! 1. Makes a fresh database `wm_bench_<random>` on the PostgreSQL server of the tests
//!    (`BENCH_DATABASE_URL`, `TEST_DATABASE_URL` or `DATABASE_URL`, else the local server),
//!    migrates it and fills it: 5,000 participants, 400 published courses with 3 sessions
//!    each, about 4,200 existing enrolments with their history and sent emails. It is
//!    dropped at the end, also after a failure.
//! 2. Starts the real app in this process (release build) on a random port, and lets 64
//!    concurrent clients enrol over HTTP (`POST /api/v1/courses/{id}/enrolment` with
//!    bearer tokens), each request a new (user, course) pair spread over 100 courses of 8 to
//!    25 seats, so both seats and waiting lists occur. A warm-up goes first.
//! 3. Runs the same SQL transaction with `pgbench` (`-c 64 -j 2 -T 15`, prepared statements)
//!    against the same database, over another 100 courses: lock the course, count its seats,
//!    insert the enrolment (enrolled or waitlisted), its history row and the email.
//! 4. Prints both rates, their ratio and the latency percentiles.
//!
//! `BENCH_POOL_SIZES=4,8,16` runs step 2 once per pool size (each over its own 100 fresh
//! courses, so the runs compare), then pgbench once; without it, one run with the app's
//! default pool (`DB_POOL_SIZE`, 16).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Double, Text};
use wijkmakers::accounts::model::SessionKind;
use wijkmakers::accounts::service::{Client, open_session};
use wijkmakers::config::{Config, Environment, LogFormat};
use wijkmakers::db::Db;
use wijkmakers::db::bootstrap::{redact, with_database};
use wijkmakers::ids::UserId;
use wijkmakers::{Application, Background};

/// Concurrent HTTP clients, and pgbench clients.
const CLIENTS: usize = 64;
/// Requests per HTTP client before measuring, and measured.
const WARMUP_PER_CLIENT: usize = 5;
const REQUESTS_PER_CLIENT: usize = 60;
/// Database connections of the app (the default `DB_POOL_SIZE`) unless `BENCH_POOL_SIZES`.
const POOL_SIZE: usize = 16;
const PGBENCH_SECONDS: u32 = 15;

const USERS: i64 = 5_000;
/// Courses besides the blocks of the HTTP runs after the first (see `courses`).
const COURSES: i64 = 400;
const SESSIONS_PER_COURSE: i64 = 3;
/// Courses enrolled in by each HTTP run (block r: courses r·HOT+1 ..= (r+1)·HOT), then by
/// pgbench (the block after the last run).
const HOT: i64 = 100;
/// Users with a bearer token; HTTP request n enrols user n % TOKEN_USERS.
const TOKEN_USERS: i64 = 2_048;
/// pgbench draws its users from the first PGBENCH_USERS; the users above them already have
/// seats in the hot courses.
const PGBENCH_USERS: i64 = 4_000;

/// The pool sizes to run the HTTP phase with: `BENCH_POOL_SIZES` (e.g. `4,8,16`), else one.
fn pool_sizes() -> anyhow::Result<Vec<usize>> {
    match std::env::var("BENCH_POOL_SIZES") {
        Ok(list) if !list.trim().is_empty() => list
            .split(',')
            .map(|n| n.trim().parse::<usize>().with_context(|| format!("BENCH_POOL_SIZES: not a number: {n}")))
            .collect(),
        _ => Ok(vec![POOL_SIZE]),
    }
}

/// All courses: the blocks of the HTTP runs and of pgbench, and 200 full ones.
fn courses(runs: usize) -> i64 {
    COURSES + HOT * (runs as i64 - 1)
}

fn main() -> anyhow::Result<()> {
    // `cargo test --all-targets` runs this binary without `--bench`: it is no test
    if !std::env::args().any(|a| a == "--bench") {
        println!("benches/enrolment is a benchmark, not a test: run it with `cargo bench --bench enrolment`");
        return Ok(());
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let server = server_url()?;
    let database = BenchDb::create(&server)?;
    eprintln!("benchmark database: {}", database.name);
    let result = runtime.block_on(run(&database));
    drop(runtime);
    drop(database);
    result
}

// ---------------------------------------------------------------------------------------
// the database

fn server_url() -> anyhow::Result<String> {
    let configured = ["BENCH_DATABASE_URL", "TEST_DATABASE_URL", "DATABASE_URL"]
        .into_iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()));
    match configured {
        Some(url) => Ok(url),
        None => wijkmakers::db::bootstrap::server_or_private_cluster(),
    }
}

fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A database of this run, dropped (with its connections) when the handle is dropped.
struct BenchDb {
    name: String,
    url: String,
    admin_url: String,
}

impl BenchDb {
    fn create(server: &str) -> anyhow::Result<BenchDb> {
        let name = format!("wm_bench_{}", hex::encode(rand::random::<[u8; 6]>()));
        let admin_url = with_database(server, "postgres")?;
        let mut admin =
            PgConnection::establish(&admin_url).with_context(|| format!("cannot connect to {}", redact(&admin_url)))?;
        admin.batch_execute(&format!("CREATE DATABASE {}", quote_ident(&name)))?;
        let url = with_database(server, &name)?;
        Ok(BenchDb { name, url, admin_url })
    }
}

impl Drop for BenchDb {
    fn drop(&mut self) {
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", quote_ident(&self.name));
        let dropped = PgConnection::establish(&self.admin_url)
            .map_err(|e| e.to_string())
            .and_then(|mut admin| admin.batch_execute(&sql).map_err(|e| e.to_string()));
        match dropped {
            Ok(()) => eprintln!("benchmark database {} dropped", self.name),
            Err(e) => eprintln!("warning: could not drop the benchmark database {}: {e}", self.name),
        }
    }
}

/// Everything a realistic platform holds, made with SQL in bulk (the services would take
/// minutes: every account would cost an argon2 hash). Answers the bearer tokens of users
/// 1..=TOKEN_USERS, made by the app's own `open_session`.
fn seed(url: &str, runs: usize) -> anyhow::Result<Vec<String>> {
    let courses = courses(runs);
    // the blocks of the HTTP runs and of pgbench
    let busy = HOT * (runs as i64 + 1);
    let mut conn = PgConnection::establish(url)?;
    wijkmakers::db::migrate(&mut conn)?;
    // one real hash for everybody: logging in with it works, and it costs one argon2 run
    let hash = wijkmakers::accounts::password::hash("een wachtwoord voor de benchmark")?;
    let wijken = "ARRAY['oosterpoort','selwerd','de-hoogte','vinkhuizen','beijum','lewenborg','haren','ten-boer',\
                  'paddepoel','korrewegwijk','hoogkerk','oosterparkwijk']";
    let sql = format!(
        "
        INSERT INTO users (email, name, password_hash, role, email_verified_at, wijk, participant_kind,
                           locale, privacy_consent_at, calendar_token)
        SELECT 'deelnemer' || g || '@example.org', 'Deelnemer ' || g, '{hash}', 'participant', now(),
               ({wijken})[1 + g % 12], (ARRAY['bewoner','vrijwilliger','professional','student'])[1 + g % 4]::participant_kind,
               CASE WHEN g % 10 = 0 THEN 'en' ELSE 'nl' END, now(), md5('cal' || g || random())
        FROM generate_series(1, {USERS}) g;

        INSERT INTO users (email, name, password_hash, role, email_verified_at, locale, privacy_consent_at, calendar_token)
        SELECT 'trainer' || g || '@example.org', 'Trainer ' || g, '{hash}', 'trainer', now(), 'nl', now(),
               md5('trainer' || g || random())
        FROM generate_series(1, 10) g;

        INSERT INTO courses (slug, title, summary, description, description_html, theme_id, format, audience,
                             capacity, status)
        SELECT 'cursus-' || g, 'Cursus ' || g || ': samen werken aan je wijk',
               'Een cursus voor bewoners, vrijwilligers en professionals over hun wijk.',
               repeat('Je leert samen met anderen hoe je iets verandert in je buurt. ', 20),
               '<p>' || repeat('Je leert samen met anderen hoe je iets verandert in je buurt. ', 20) || '</p>',
               (SELECT id FROM themes ORDER BY id OFFSET g % 6 LIMIT 1),
               (ARRAY['cursus','werkplaats','bijeenkomst'])[1 + g % 3]::course_format,
               'Iedereen', 8 + (g * 7) % 18, 'published'
        FROM generate_series(1, {courses}) g;

        INSERT INTO course_sessions (course_id, starts_at, ends_at, place, address, wijk)
        SELECT c.id, date_trunc('day', now()) + make_interval(days => 7 + (c.id % 60)::int + 7 * k, hours => 18),
               date_trunc('day', now()) + make_interval(days => 7 + (c.id % 60)::int + 7 * k, hours => 20),
               'Buurthuis ' || c.id, 'Hoofdstraat ' || c.id || ', Groningen', ({wijken})[1 + c.id % 12]
        FROM courses c, generate_series(0, {SESSIONS_PER_COURSE} - 1) k;

        INSERT INTO course_trainers (course_id, user_id)
        SELECT c.id, (SELECT id FROM users WHERE role = 'trainer' ORDER BY id OFFSET c.id % 10 LIMIT 1)
        FROM courses c;

        -- the other courses: full, with a waiting list of up to 5
        INSERT INTO enrolments (course_id, user_id, status, enrolled_at, queued_at, created_by)
        SELECT c.id, 1 + (c.id * 37 + k * 101) % {USERS},
               CASE WHEN k < c.capacity THEN 'enrolled' ELSE 'waitlisted' END::enrolment_status,
               CASE WHEN k < c.capacity THEN now() - interval '3 days' END,
               now() - interval '3 days' + make_interval(secs => k), 1 + (c.id * 37 + k * 101) % {USERS}
        FROM courses c, generate_series(0, c.capacity + c.id % 6 - 1) k
        WHERE c.id > {busy};

        -- the courses of the benchmark: a few seats taken already, by users the runs do not use
        INSERT INTO enrolments (course_id, user_id, status, enrolled_at, queued_at, created_by)
        SELECT c.id, {PGBENCH_USERS} + 1 + (c.id * 13 + k) % ({USERS} - {PGBENCH_USERS}), 'enrolled',
               now() - interval '1 day', now() - interval '1 day' + make_interval(secs => k), NULL
        FROM courses c, generate_series(0, c.id % 5 - 1) k
        WHERE c.id <= {busy};

        INSERT INTO enrolment_events (enrolment_id, action, actor_id, at)
        SELECT id, status::text::enrolment_action, user_id, queued_at FROM enrolments;

        INSERT INTO outbox (idempotency_key, user_id, recipient_email, recipient_name, subject, text_body,
                            html_body, message_id, status, attempts, sent_at)
        SELECT 'seed:' || e.id, u.id, u.email, u.name, 'Je bent ingeschreven', repeat('tekst ', 300),
               repeat('<p>html</p>', 200), '<seed.' || e.id || '@example.org>', 'sent', 1, now()
        FROM enrolments e JOIN users u ON u.id = e.user_id;

        ANALYZE;
        "
    );
    conn.batch_execute(&sql).context("seeding the benchmark database")?;
    let client = Client { ip: "127.0.0.1".into(), user_agent: Some("benches/enrolment".into()) };
    let tokens = conn
        .transaction(|conn| {
            (1..=TOKEN_USERS)
                .map(|id| open_session(conn, UserId(id), SessionKind::Api, &client, chrono::Duration::days(1)))
                .collect::<Result<Vec<_>, _>>()
        })
        .map_err(|e| anyhow::anyhow!("opening login sessions: {e:?}"))?;
    Ok(tokens)
}

#[derive(QueryableByName)]
struct One {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn count(conn: &mut PgConnection, sql: &str) -> anyhow::Result<i64> {
    Ok(diesel::sql_query(sql).get_result::<One>(conn)?.n)
}

/// Courses in `ids` where more people are enrolled than the capacity (must be 0).
fn overbooked(conn: &mut PgConnection, ids: std::ops::RangeInclusive<i64>) -> anyhow::Result<i64> {
    count(
        conn,
        &format!(
            "SELECT count(*) AS n FROM courses c WHERE c.id BETWEEN {} AND {} AND c.capacity <
             (SELECT count(*) FROM enrolments e WHERE e.course_id = c.id AND e.status = 'enrolled')",
            ids.start(),
            ids.end()
        ),
    )
}

// ---------------------------------------------------------------------------------------
// HTTP

struct HttpRun {
    enrolled: u64,
    waitlisted: u64,
    errors: Vec<String>,
    latencies: Vec<Duration>,
    elapsed: Duration,
    statements: u64,
}

/// One enrolment: request `n` is user `n % TOKEN_USERS` in course
/// `first + (n / TOKEN_USERS + user) % HOT`, so that no pair comes twice and consecutive
/// requests go to different courses.
async fn enrol(
    client: &reqwest::Client,
    base: &str,
    tokens: &[String],
    first: u64,
    n: u64,
) -> Result<(bool, Duration), String> {
    let user = n % TOKEN_USERS as u64;
    let course = first + (n / TOKEN_USERS as u64 + user) % HOT as u64;
    let started = Instant::now();
    let response = client
        .post(format!("{base}/api/v1/courses/{course}/enrolment"))
        .bearer_auth(&tokens[user as usize])
        .send()
        .await
        .map_err(|e| format!("request failed: {e}"))?;
    let status = response.status();
    let body: serde_json::Value = response.json().await.map_err(|e| format!("{status}: no JSON: {e}"))?;
    let took = started.elapsed();
    if status != 201 {
        return Err(format!("{status}: {body}"));
    }
    Ok((body["status"] == "enrolled", took))
}

/// Run `run` (from 0) enrols in courses run·HOT+1 ..= (run+1)·HOT, with an app pool of `pool`.
async fn http_phase(url: &str, tokens: Arc<Vec<String>>, run: usize, pool: usize) -> anyhow::Result<HttpRun> {
    let first = 1 + HOT as u64 * run as u64;
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    let mail_dir = std::env::temp_dir().join(format!("wijkmakers-bench-mail-{}", std::process::id()));
    let config = Config {
        environment: Environment::Development,
        database_url: Some(url.to_owned()),
        db_pool_size: pool,
        db_pool_wait: Duration::from_secs(30),
        bind: ([127, 0, 0, 1], port).into(),
        base_url: url::Url::parse(&format!("http://127.0.0.1:{port}"))?,
        secret_key: hex::encode(rand::random::<[u8; 32]>()),
        smtp_url: None,
        mail_from: "Wijkmakers Academie <academie@example.org>".parse()?,
        mail_dir,
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
    };
    let db = Db::connect(url, pool)?;
    // only the web server: the emails stay in the outbox, reminders are not due
    let background = Background { mail_worker: false, scheduler: false };
    let app = Application::with_listener(config, db.clone(), background, listener)?;
    let server = tokio::spawn(app.run_until_stopped());
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder().pool_max_idle_per_host(CLIENTS).timeout(Duration::from_secs(60)).build()?;
    let ready = client.get(format!("{base}/healthz")).send().await?;
    if !ready.status().is_success() {
        bail!("the app did not start: /healthz answered {}", ready.status());
    }

    let next = Arc::new(AtomicU64::new(0));
    let round = |per_client: usize| {
        let handles: Vec<_> = (0..CLIENTS)
            .map(|_| {
                let (client, base, tokens, next) = (client.clone(), base.clone(), tokens.clone(), next.clone());
                tokio::spawn(async move {
                    let mut outcomes = Vec::with_capacity(per_client);
                    for _ in 0..per_client {
                        let n = next.fetch_add(1, Ordering::Relaxed);
                        outcomes.push(enrol(&client, &base, &tokens, first, n).await);
                    }
                    outcomes
                })
            })
            .collect();
        async move {
            let mut all = Vec::new();
            for handle in handles {
                all.extend(handle.await.expect("a client task panicked"));
            }
            all
        }
    };

    let warmup = round(WARMUP_PER_CLIENT).await;
    if let Some(Err(e)) = warmup.iter().find(|o| o.is_err()) {
        bail!("warm-up request failed: {e}");
    }
    let statements_before = db.query_count();
    let started = Instant::now();
    let outcomes = round(REQUESTS_PER_CLIENT).await;
    let elapsed = started.elapsed();
    let statements = db.query_count() - statements_before;
    server.abort();
    let _ = server.await;
    drop(db);

    let mut run =
        HttpRun { enrolled: 0, waitlisted: 0, errors: Vec::new(), latencies: Vec::new(), elapsed, statements };
    for outcome in outcomes {
        match outcome {
            Ok((enrolled, took)) => {
                if enrolled {
                    run.enrolled += 1;
                } else {
                    run.waitlisted += 1;
                }
                run.latencies.push(took);
            }
            Err(e) => run.errors.push(e),
        }
    }
    Ok(run)
}

// ---------------------------------------------------------------------------------------
// pgbench

/// The enrolment transaction of the app, in SQL. Transaction k of client c enrols pair
/// n = k·clients + c: user ulo + n % nusers in course clo + (n / nusers + n % nusers) % ncourses,
/// so no pair comes twice (variables persist across a client's transactions).
const SCRIPT: &str = r"\set k :k + 1
\set n :k * :clients + :client_id
\set user :ulo + :n % :nusers
\set course :clo + (:n / :nusers + :n % :nusers) % :ncourses
BEGIN;
SELECT capacity, waitlist_enabled FROM courses WHERE id = :course FOR UPDATE \gset
SELECT count(*) FILTER (WHERE status = 'enrolled') AS taken, count(*) FILTER (WHERE status = 'waitlisted') AS waiting FROM enrolments WHERE course_id = :course AND status <> 'cancelled' \gset
\if :taken < :capacity
INSERT INTO enrolments (course_id, user_id, status, enrolled_at, created_by) VALUES (:course, :user, 'enrolled', now(), :user) RETURNING id AS enrolment \gset
INSERT INTO enrolment_events (enrolment_id, action, actor_id) VALUES (:enrolment, 'enrolled', :user);
\else
INSERT INTO enrolments (course_id, user_id, status, created_by) VALUES (:course, :user, 'waitlisted', :user) RETURNING id AS enrolment \gset
INSERT INTO enrolment_events (enrolment_id, action, actor_id) VALUES (:enrolment, 'waitlisted', :user);
\endif
INSERT INTO outbox (idempotency_key, user_id, recipient_email, recipient_name, subject, text_body, html_body, attachments, message_id) SELECT 'pgbench:' || :enrolment, u.id, u.email, u.name, 'Je bent ingeschreven', repeat('t', :text_len), repeat('h', :html_len), jsonb_build_array(jsonb_build_object('filename', 'cursus.ics', 'content_type', 'text/calendar', 'content_base64', repeat('A', :ics_len))), '<pgbench.' || :enrolment || '@example.org>' FROM users u WHERE u.id = :user;
COMMIT;
";

/// pgbench on the PATH, else in the newest /usr/lib/postgresql/*/bin.
fn find_pgbench() -> anyhow::Result<PathBuf> {
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            if dir.join("pgbench").is_file() {
                return Ok(dir.join("pgbench"));
            }
        }
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = entry.file_name().to_string_lossy().parse().ok()?;
            let bin = entry.path().join("bin/pgbench");
            bin.is_file().then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin).context("pgbench is not installed (Debian: apt-get install postgresql-contrib)")
}

struct PgbenchRun {
    transactions: u64,
    failed: u64,
    tps: f64,
    latencies: Vec<Duration>,
}

#[derive(QueryableByName)]
struct Sizes {
    #[diesel(sql_type = Double)]
    text_len: f64,
    #[diesel(sql_type = Double)]
    html_len: f64,
    #[diesel(sql_type = Double)]
    ics_len: f64,
}

/// pgbench over the courses first ..= first + HOT - 1.
fn pgbench_phase(url: &str, sizes: &Sizes, work: &Path, first: i64) -> anyhow::Result<PgbenchRun> {
    let pgbench = find_pgbench()?;
    let script = work.join("enrol.sql");
    std::fs::write(&script, SCRIPT)?;
    let vars = [
        ("k", 0),
        ("clients", CLIENTS as i64),
        ("ulo", 1),
        ("nusers", PGBENCH_USERS),
        ("clo", first),
        ("ncourses", HOT),
        ("text_len", sizes.text_len.round() as i64),
        ("html_len", sizes.html_len.round() as i64),
        ("ics_len", sizes.ics_len.round() as i64),
    ];
    let mut command = Command::new(&pgbench);
    command
        .args(["--no-vacuum", "--protocol=prepared", "--log", "--log-prefix"])
        .arg(work.join("log"))
        .args(["-c", &CLIENTS.to_string(), "-j", "2", "-T", &PGBENCH_SECONDS.to_string(), "-f"])
        .arg(&script);
    for (name, value) in vars {
        command.arg("-D").arg(format!("{name}={value}"));
    }
    let output = command.arg(url).output().with_context(|| format!("cannot run {}", pgbench.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!("pgbench failed: {}{}", String::from_utf8_lossy(&output.stderr).trim(), stdout.trim());
    }
    let field = |prefix: &str| -> Option<&str> {
        stdout
            .lines()
            .find_map(|line| line.trim().strip_prefix(prefix))
            .map(|rest| rest.split_whitespace().next().unwrap_or(""))
    };
    let transactions = field("number of transactions actually processed:").and_then(|v| v.parse().ok()).unwrap_or(0);
    let failed = field("number of failed transactions:").and_then(|v| v.parse().ok()).unwrap_or(0);
    let tps: f64 = field("tps =").and_then(|v| v.parse().ok()).context("no tps in the output of pgbench")?;
    // per-transaction log lines: client_id transaction_no time_us script_no epoch epoch_us
    let mut latencies = Vec::new();
    for entry in std::fs::read_dir(work)? {
        let path = entry?.path();
        if path.file_name().is_some_and(|n| n.to_string_lossy().starts_with("log")) {
            for line in std::fs::read_to_string(&path)?.lines() {
                if let Some(us) = line.split_whitespace().nth(2).and_then(|v| v.parse::<u64>().ok()) {
                    latencies.push(Duration::from_micros(us));
                }
            }
        }
    }
    Ok(PgbenchRun { transactions, failed, tps, latencies })
}

// ---------------------------------------------------------------------------------------
// the run

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn latency_line(latencies: &mut [Duration]) -> String {
    latencies.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "p50 {:.1} ms · p95 {:.1} ms · p99 {:.1} ms · max {:.1} ms",
        ms(percentile(latencies, 50.0)),
        ms(percentile(latencies, 95.0)),
        ms(percentile(latencies, 99.0)),
        ms(latencies.last().copied().unwrap_or_default())
    )
}

async fn run(database: &BenchDb) -> anyhow::Result<()> {
    let pools = pool_sizes()?;
    let runs = pools.len();
    let url = database.url.clone();
    let seeding = Instant::now();
    let tokens = Arc::new(tokio::task::spawn_blocking(move || seed(&url, runs)).await??);
    let mut conn = PgConnection::establish(&database.url)?;
    let before = count(&mut conn, "SELECT count(*) AS n FROM enrolments")?;
    eprintln!("seeded in {:.1} s; enrolling over HTTP…", seeding.elapsed().as_secs_f64());

    // pgbench needs 64 connections of its own: wait until the app's pool has closed
    let others =
        "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()";
    let mut https = Vec::new();
    for (run, &pool) in pools.iter().enumerate() {
        if runs > 1 {
            eprintln!("HTTP run {} of {runs}: app pool {pool}…", run + 1);
        }
        https.push((pool, http_phase(&database.url, tokens.clone(), run, pool).await?));
        let waiting = Instant::now();
        while count(&mut conn, others)? > 0 && waiting.elapsed() < Duration::from_secs(10) {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    // the emails of the HTTP run tell pgbench how big an email is
    #[derive(QueryableByName)]
    struct Version {
        #[diesel(sql_type = Text)]
        server_version: String,
    }
    let sizes: Sizes = diesel::sql_query(
        "SELECT avg(length(text_body))::float8 AS text_len, avg(length(html_body))::float8 AS html_len,
                coalesce(avg(length(attachments -> 0 ->> 'content_base64')), 0)::float8 AS ics_len
         FROM outbox WHERE idempotency_key NOT LIKE 'seed:%'",
    )
    .get_result(&mut conn)?;
    let version = diesel::sql_query("SHOW server_version").get_result::<Version>(&mut conn)?.server_version;
    eprintln!("running pgbench for {PGBENCH_SECONDS} s…");
    let work = std::env::temp_dir().join(format!("wijkmakers-bench-{}", std::process::id()));
    std::fs::create_dir_all(&work)?;
    let pg = pgbench_phase(&database.url, &sizes, &work, HOT * runs as i64 + 1);
    let _ = std::fs::remove_dir_all(&work);
    let mut pg = pg?;

    let overbooked = overbooked(&mut conn, 1..=HOT * (runs as i64 + 1))?;
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());

    println!();
    println!("Enrolment throughput: {CLIENTS} concurrent clients, one machine ({cpus} CPUs), PostgreSQL {version}");
    println!(
        "  database: {USERS} participants, {} courses with {SESSIONS_PER_COURSE} sessions each, \
         {before} enrolments before the run",
        courses(runs)
    );
    let mut failed = false;
    for (pool, http) in &mut https {
        let http_ok = http.enrolled + http.waitlisted;
        let http_rate = http_ok as f64 / http.elapsed.as_secs_f64();
        let per_request = http.statements as f64 / (http_ok + http.errors.len() as u64).max(1) as f64;
        println!(
            "  HTTP     POST /api/v1/courses/{{id}}/enrolment, {HOT} courses of 8-25 seats, app pool {pool} connections"
        );
        println!(
            "           {http_ok} enrolments in {:.2} s = {http_rate:.0} enrolments/s \
             ({} enrolled, {} waitlisted, {} errors; {per_request:.1} SQL statements each)",
            http.elapsed.as_secs_f64(),
            http.enrolled,
            http.waitlisted,
            http.errors.len()
        );
        println!("           latency {}", latency_line(&mut http.latencies));
        failed |= !http.errors.is_empty();
    }
    println!(
        "  pgbench  the same transaction in SQL, -c {CLIENTS} -j 2 -T {PGBENCH_SECONDS}, prepared, {HOT} other courses"
    );
    println!("           {} transactions = {:.0} transactions/s ({} failed)", pg.transactions, pg.tps, pg.failed);
    println!("           latency {}", latency_line(&mut pg.latencies));
    for (pool, http) in &https {
        let http_rate = (http.enrolled + http.waitlisted) as f64 / http.elapsed.as_secs_f64();
        if runs > 1 {
            println!("  ratio    HTTP / pgbench = {:.2} (app pool {pool})", http_rate / pg.tps);
        } else {
            println!("  ratio    HTTP / pgbench = {:.2}", http_rate / pg.tps);
        }
    }
    println!("  check    courses with more enrolled than seats: {overbooked}");
    for (_, http) in &https {
        for e in http.errors.iter().take(5) {
            println!("  error    {e}");
        }
    }
    if overbooked > 0 || failed || pg.failed > 0 {
        bail!("the benchmark saw errors (see above)");
    }
    Ok(())
}
