//! Catalogue benchmark (not a test): how long a catalogue page takes with 500 courses and
//! 5,000 sessions, and how many SQL statements it costs.
//!
//!     cargo bench --bench catalogue
//!
//! Uses the local PostgreSQL (DATABASE_URL, else localhost, else a private cluster under
//! var/postgres), in a database of its own that is dropped afterwards.

mod support;

use std::net::TcpListener;
use std::time::Instant;

use support::{BenchDatabase, percentile};
use wijkmakers::db::Db;
use wijkmakers::{Application, Background};

const SEED: &str = "
INSERT INTO courses (slug, title, summary, description, description_html, theme_id, format, capacity, status)
SELECT 'bench-' || i,
       (ARRAY['Samen sterk in je wijk', 'Energie besparen met de buren', 'Meedenken over je dorp', 'Leiderschap voor wijkmakers', 'Elkaars taal spreken'])[1 + i % 5] || ' ' || i,
       'Een cursus voor bewoners en vrijwilligers, nummer ' || i,
       'We werken samen aan **wijken** en dorpen. Deel ' || i,
       '<p>We werken samen aan <strong>wijken</strong> en dorpen.</p>',
       (SELECT id FROM themes ORDER BY id OFFSET (i % 6) LIMIT 1),
       'cursus', 10 + i % 15, 'published'
FROM generate_series(1, 500) i;
INSERT INTO course_sessions (course_id, starts_at, ends_at, place, address, wijk)
SELECT c.id, now() + s * interval '6 days' + (c.id % 60) * interval '1 hour',
       now() + s * interval '6 days' + (c.id % 60) * interval '1 hour' + interval '2 hours',
       'Buurthuis', 'Voorbeeldstraat ' || s,
       (ARRAY['oosterpoort','selwerd','de-hoogte','vinkhuizen','beijum','lewenborg','haren','ten-boer'])[1 + (c.id + s) % 8]
FROM courses c, generate_series(1, 10) s;
INSERT INTO users (email, name, calendar_token, email_verified_at)
SELECT 'deelnemer' || i || '@example.org', 'Deelnemer ' || i, md5('bench' || i), now() FROM generate_series(1, 3000) i;
INSERT INTO enrolments (course_id, user_id, status, enrolled_at)
SELECT c.id, u.id, CASE WHEN row_number() OVER (PARTITION BY c.id ORDER BY u.id) <= c.capacity THEN 'enrolled' ELSE 'waitlisted' END::enrolment_status, now()
FROM courses c JOIN users u ON u.id % 500 = c.id % 500;
ANALYZE;";

const PATHS: &[&str] = &[
    "/cursussen",
    "/cursussen?thema=energietransitie",
    "/cursussen?wijk=selwerd",
    "/cursussen?q=wijken",
    "/cursussen?plaats=1&page=3",
    "/api/v1/courses",
    "/api/v1/courses?wijk=beijum&available=true",
    "/api/v1/courses?theme=democratisering&per_page=200",
    "/cursussen/bench-250",
    "/api/v1/courses/250",
];

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    if !support::asked_to_run("catalogue") {
        return Ok(());
    }
    let database = tokio::task::spawn_blocking(|| -> anyhow::Result<BenchDatabase> {
        let database = BenchDatabase::create("catalogue")?;
        database.execute(SEED)?;
        Ok(database)
    })
    .await??;
    let url = database.url.clone();
    let result = async {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let config = support::config(&url, &listener, 16)?;
        let db = Db::connect(&url, 16)?;
        let app = Application::with_listener(
            config,
            db.clone(),
            Background { mail_worker: false, scheduler: false },
            listener,
        )?;
        let server = tokio::spawn(app.run_until_stopped());
        let client = reqwest::Client::new();
        let base = format!("http://127.0.0.1:{port}");
        println!("catalogue: 500 published courses, 5,000 sessions, 3,000 users with enrolments and waiting lists");
        println!("{:<52} {:>9} {:>9} {:>9} {:>8}", "request (sequential, keep-alive)", "p50", "p95", "p99", "queries");
        for path in PATHS {
            for _ in 0..20 {
                client.get(format!("{base}{path}")).send().await?.bytes().await?;
            }
            let rounds = 200;
            let before = db.query_count();
            let mut times = Vec::with_capacity(rounds);
            for _ in 0..rounds {
                let started = Instant::now();
                let response = client.get(format!("{base}{path}")).send().await?;
                anyhow::ensure!(response.status().is_success(), "{path}: {}", response.status());
                response.bytes().await?;
                times.push(started.elapsed());
            }
            let queries = (db.query_count() - before) as f64 / rounds as f64;
            times.sort();
            println!(
                "{:<52} {:>7.2}ms {:>7.2}ms {:>7.2}ms {:>8.1}",
                path,
                percentile(&times, 0.50).as_secs_f64() * 1e3,
                percentile(&times, 0.95).as_secs_f64() * 1e3,
                percentile(&times, 0.99).as_secs_f64() * 1e3,
                queries
            );
        }
        server.abort();
        anyhow::Ok(())
    }
    .await;
    tokio::task::spawn_blocking(move || drop(database)).await?;
    result
}
