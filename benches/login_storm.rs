//! Login storm benchmark (not a test): the p50/p95 of `GET /api/v1/courses` when idle and
//! while 20 logins run at once. argon2 runs off the pool on a bounded set of threads, so the
//! catalogue should stay within a small factor of idle.
//!
//!     cargo bench --bench login_storm
//!
//! Uses the local PostgreSQL (DATABASE_URL, else localhost, else a private cluster under
//! var/postgres), in a database of its own that is dropped afterwards.

mod support;

use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use support::{BenchDatabase, percentile};
use wijkmakers::db::Db;
use wijkmakers::{Application, Background};

const PASSWORD: &str = "een wachtwoord voor de benchmark";
const LOGINS: usize = 20;
const SAMPLES: usize = 200;

fn seed(hash: &str) -> String {
    format!(
        "INSERT INTO courses (slug, title, summary, description, description_html, theme_id, format, capacity, status)
         SELECT 'storm-' || i, 'Samen sterk in je wijk ' || i, 'Een cursus', 'Tekst', '<p>Tekst</p>',
                (SELECT id FROM themes ORDER BY id OFFSET (i % 6) LIMIT 1), 'cursus', 20, 'published'
         FROM generate_series(1, 60) i;
         INSERT INTO course_sessions (course_id, starts_at, ends_at, place, address, wijk)
         SELECT c.id, now() + s * interval '7 days', now() + s * interval '7 days' + interval '2 hours',
                'Buurthuis', 'Voorbeeldstraat 1', 'selwerd'
         FROM courses c, generate_series(1, 4) s;
         INSERT INTO users (email, name, calendar_token, email_verified_at, password_hash)
         SELECT 'storm' || i || '@example.org', 'Storm ' || i, md5('storm' || i), now(), '{hash}'
         FROM generate_series(1, {LOGINS}) i;
         ANALYZE;"
    )
}

/// `SAMPLES` sequential catalogue requests; answers (p50, p95, p99): issue 20 sets its goal
/// on the p99 (during the storm at most 2× idle).
async fn sample(client: &reqwest::Client, base: &str) -> anyhow::Result<(Duration, Duration, Duration)> {
    let mut times = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        let started = Instant::now();
        let response = client.get(format!("{base}/api/v1/courses")).send().await?;
        anyhow::ensure!(response.status().is_success(), "courses: {}", response.status());
        response.bytes().await?;
        times.push(started.elapsed());
    }
    times.sort();
    Ok((percentile(&times, 0.50), percentile(&times, 0.95), percentile(&times, 0.99)))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    if !support::asked_to_run("login_storm") {
        return Ok(());
    }
    let database = tokio::task::spawn_blocking(|| -> anyhow::Result<BenchDatabase> {
        let database = BenchDatabase::create("login_storm")?;
        let hash = wijkmakers::accounts::password::hash(PASSWORD)?;
        database.execute(&seed(&hash))?;
        Ok(database)
    })
    .await??;
    let url = database.url.clone();
    let result = async {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let pool_size = 4;
        let config = support::config(&url, &listener, pool_size)?;
        let db = Db::connect(&url, pool_size)?;
        let app =
            Application::with_listener(config, db, Background { mail_worker: false, scheduler: false }, listener)?;
        let server = tokio::spawn(app.run_until_stopped());
        let client = reqwest::Client::new();
        let base = format!("http://127.0.0.1:{port}");
        for _ in 0..20 {
            client.get(format!("{base}/api/v1/courses")).send().await?.bytes().await?;
        }
        let (idle50, idle95, idle99) = sample(&client, &base).await?;

        // 20 clients log in over and over (each a fresh connection, like separate devices)
        // while the catalogue is sampled again
        let stop = Arc::new(AtomicBool::new(false));
        let mut storm = Vec::new();
        for i in 1..=LOGINS {
            let (stop, base) = (stop.clone(), base.clone());
            storm.push(tokio::spawn(async move {
                let client = reqwest::Client::new();
                let body = serde_json::json!({ "email": format!("storm{i}@example.org"), "password": PASSWORD });
                let mut done = 0u32;
                while !stop.load(Ordering::Relaxed) {
                    let response = client.post(format!("{base}/api/v1/auth/login")).json(&body).send().await?;
                    anyhow::ensure!(response.status().is_success(), "login: {}", response.status());
                    done += 1;
                }
                anyhow::Ok(done)
            }));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        let started = Instant::now();
        let busy = sample(&client, &base).await;
        let elapsed = started.elapsed();
        stop.store(true, Ordering::Relaxed);
        let mut logins = 0;
        for task in storm {
            logins += task.await??;
        }
        let (busy50, busy95, busy99) = busy?;
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        println!("GET /api/v1/courses (60 courses), pool of {pool_size} connections, {SAMPLES} sequential requests");
        println!("{:<40} {:>9} {:>9} {:>9}", "", "p50", "p95", "p99");
        println!("{:<40} {:>7.2}ms {:>7.2}ms {:>7.2}ms", "idle", ms(idle50), ms(idle95), ms(idle99));
        println!(
            "{:<40} {:>7.2}ms {:>7.2}ms {:>7.2}ms",
            format!("during {LOGINS} parallel logins"),
            ms(busy50),
            ms(busy95),
            ms(busy99)
        );
        println!(
            "p50 ratio busy/idle: {:.1}x; p99 ratio busy/idle: {:.1}x (goal ≤ 2); {logins} logins in total \
             ({:.0} per second while sampling)",
            busy50.as_secs_f64() / idle50.as_secs_f64(),
            busy99.as_secs_f64() / idle99.as_secs_f64(),
            logins as f64 / elapsed.as_secs_f64()
        );
        server.abort();
        anyhow::Ok(())
    }
    .await;
    tokio::task::spawn_blocking(move || drop(database)).await?;
    result
}
