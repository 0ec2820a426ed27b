//! Report export benchmark (not a test): the sessions export of 1,000,000 rows (participant ×
//! session) as CSV over HTTP, next to PostgreSQL's own `COPY (same query) TO STDOUT WITH
//! CSV` through psql in the same run; the server's peak resident memory during the export;
//! and the dashboard's p50 at that size.
//!
//!     cargo bench --bench report_export
//!
//! Goals (issue 17): HTTP / COPY ≤ 1.5, memory flat (under 64 MB), dashboard p50 < 100 ms.
//! The app runs in this process, so its resident memory is this process's (sampled every
//! 5 ms from /proc/self/status; the client only counts the bytes it receives).

mod support;

use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use chrono_tz::Europe::Amsterdam;
use support::{BenchDatabase, ms, percentile};
use wijkmakers::auth::Role;
use wijkmakers::db::Db;
use wijkmakers::{Application, Background};

const COURSES: i64 = 200;
const SESSIONS_PER_COURSE: i64 = 50;
const PEOPLE_PER_COURSE: i64 = 100;
const PASSWORD: &str = "een lange zin als wachtwoord voor de benchmark";

/// 200 courses × 50 sessions in the past year × 100 enrolled people = 1,000,000 rows, each
/// with a mark; one trainer for every course.
fn seed() -> String {
    let people = COURSES * PEOPLE_PER_COURSE;
    format!(
        "INSERT INTO courses (slug, title, summary, description, description_html, theme_id, format, capacity, status)
         SELECT 'rapport-' || i, 'Samen sterk in je wijk ' || i, 'Een cursus', 'Tekst', '<p>Tekst</p>',
                (SELECT id FROM themes ORDER BY id OFFSET (i % 6) LIMIT 1), 'cursus', {PEOPLE_PER_COURSE}, 'published'
         FROM generate_series(1, {COURSES}) i;
         INSERT INTO course_sessions (course_id, starts_at, ends_at, place, address, wijk)
         SELECT c.id, now() - s * interval '7 days' - (c.id % 24) * interval '1 hour',
                now() - s * interval '7 days' - (c.id % 24) * interval '1 hour' + interval '2 hours',
                'Buurthuis', 'Voorbeeldstraat ' || s,
                (ARRAY['oosterpoort','selwerd','de-hoogte','vinkhuizen','beijum','lewenborg','haren','ten-boer'])[1 + (c.id + s) % 8]
         FROM courses c, generate_series(1, {SESSIONS_PER_COURSE}) s;
         INSERT INTO users (email, name, calendar_token, email_verified_at, wijk, participant_kind, organisation)
         SELECT 'deelnemer' || i || '@example.org', 'Deelnemer ' || i, md5('rapport' || i), now(),
                (ARRAY['selwerd','beijum','haren','vinkhuizen'])[1 + i % 4],
                (ARRAY['bewoner','vrijwilliger','professional','student'])[1 + i % 4]::participant_kind,
                CASE WHEN i % 3 = 0 THEN 'Buurtteam ' || (i % 7) END
         FROM generate_series(1, {people}) i;
         INSERT INTO users (email, name, calendar_token, email_verified_at, role)
         VALUES ('trainer@example.org', 'Tom Trainer', md5('trainer'), now(), 'trainer');
         INSERT INTO course_trainers (course_id, user_id)
         SELECT c.id, u.id FROM courses c, users u WHERE u.email = 'trainer@example.org';
         INSERT INTO enrolments (course_id, user_id, status, enrolled_at)
         SELECT c.id, u.id, 'enrolled', now() - interval '400 days'
         FROM courses c JOIN users u ON u.email LIKE 'deelnemer%' AND u.id % {COURSES} = c.id % {COURSES};
         INSERT INTO attendance_marks (session_id, user_id, status, marked_at)
         SELECT s.id, e.user_id, (ARRAY['present','present','late','excused','absent'])[1 + (s.id + e.user_id) % 5]::attendance_status, s.ends_at
         FROM course_sessions s JOIN enrolments e ON e.course_id = s.course_id;
         ANALYZE;"
    )
}

/// The resident memory of this process now, in kB (`VmRSS`).
fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

/// The sessions export's SQL with the period filled in and no filters, for psql.
fn copy_sql(from: &str, to: &str) -> String {
    let mut sql = wijkmakers::reports::service::SESSIONS_SQL.to_owned();
    sql = sql.replace("$1", &format!("'{from}'::date")).replace("$2", &format!("'{to}'::date"));
    for n in 3..=8 {
        sql = sql.replace(&format!("${n}"), "NULL");
    }
    format!("COPY ({sql}) TO STDOUT WITH CSV")
}

/// Time `psql -c COPY …` writing to /dev/null.
fn time_copy(url: &str, sql: &str) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let status = Command::new("psql")
        .env("PGOPTIONS", "-c jit=off") // as the app's export transaction
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql])
        .stdout(Stdio::null())
        .status()?;
    anyhow::ensure!(status.success(), "psql failed: {status}");
    Ok(started.elapsed())
}

fn main() -> anyhow::Result<()> {
    if !support::asked_to_run("report_export") {
        return Ok(());
    }
    let database = BenchDatabase::create("report_export")?;
    let started = Instant::now();
    database.execute(&seed())?;
    println!("seeded 1,000,000 session rows in {:.1} s", started.elapsed().as_secs_f64());
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let result = runtime.block_on(measure(&database));
    drop(runtime);
    drop(database);
    result
}

async fn measure(database: &BenchDatabase) -> anyhow::Result<()> {
    let url = database.url.clone();
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    let config = support::config(&url, &listener, 8)?;
    let db = Db::connect(&url, 8)?;
    db.run(|conn| {
        wijkmakers::accounts::service::add_verified_user(conn, "co@example.org", "Coby", Role::Coordinator, PASSWORD)
            .map(|_| ())
    })
    .await?;
    let app =
        Application::with_listener(config, db.clone(), Background { mail_worker: false, scheduler: false }, listener)?;
    let server = tokio::spawn(app.run_until_stopped());
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let login = serde_json::json!({ "email": "co@example.org", "password": PASSWORD });
    let answer: serde_json::Value =
        client.post(format!("{base}/api/v1/auth/login")).json(&login).send().await?.json().await?;
    let token = answer["token"].as_str().ok_or_else(|| anyhow::anyhow!("no token: {answer}"))?.to_owned();

    let today = Utc::now().with_timezone(&Amsterdam).date_naive();
    let (from, to) = ((today - chrono::Duration::days(400)).to_string(), today.to_string());
    let copy = copy_sql(&from, &to);
    // warm the caches, then measure each once
    let copy_url = url.clone();
    let copy_again = copy.clone();
    tokio::task::spawn_blocking(move || time_copy(&copy_url, &copy_again)).await??;

    let _ = std::fs::write("/proc/self/clear_refs", "5"); // reset VmHWM where allowed
    let before = rss_kb();
    let sampling = Arc::new(AtomicBool::new(true));
    let sampler = {
        let sampling = sampling.clone();
        std::thread::spawn(move || {
            let mut peak = 0;
            while sampling.load(Ordering::Relaxed) {
                peak = peak.max(rss_kb());
                std::thread::sleep(Duration::from_millis(5));
            }
            peak
        })
    };
    let path = format!("{base}/api/v1/reports/sessions?from={from}&to={to}&format=csv");
    let started = Instant::now();
    let response = client.get(&path).bearer_auth(&token).send().await?;
    anyhow::ensure!(response.status().is_success(), "export: {}", response.status());
    let mut response = response;
    let (mut bytes, mut first) = (0usize, None);
    while let Some(chunk) = response.chunk().await? {
        first.get_or_insert_with(|| started.elapsed());
        bytes += chunk.len();
    }
    let http = started.elapsed();
    sampling.store(false, Ordering::Relaxed);
    let peak = sampler.join().map_err(|_| anyhow::anyhow!("the sampler panicked"))?;

    let copy_url = url.clone();
    let psql = tokio::task::spawn_blocking(move || time_copy(&copy_url, &copy)).await??;
    println!("sessions export, 1,000,000 rows, {:.1} MB of CSV", bytes as f64 / 1e6);
    println!("  HTTP (first byte after {:.0} ms)  {:>8.2} s", ms(first.unwrap_or_default()), http.as_secs_f64());
    println!("  psql COPY … TO STDOUT WITH CSV     {:>8.2} s", psql.as_secs_f64());
    println!("  ratio HTTP / COPY                  {:>8.2}   (goal ≤ 1.5)", http.as_secs_f64() / psql.as_secs_f64());
    println!(
        "  resident memory: {:.1} MB before, peak {:.1} MB during (+{:.1} MB; goal: flat, under 64 MB)",
        before as f64 / 1024.0,
        peak as f64 / 1024.0,
        peak.saturating_sub(before) as f64 / 1024.0
    );

    // the dashboard: first the rollup of all 200 courses (marked by the seeding, as a
    // migration marks a database's courses), as the scheduler's first turn computes it
    let started = Instant::now();
    let courses = db.run(wijkmakers::reports::rollup::refresh).await?;
    println!(
        "report rollup: {courses} courses computed in {:.1} s (the scheduler's first turn)",
        started.elapsed().as_secs_f64()
    );
    let cookie = format!("wm_session={token}");
    let time = |path: String, runs: usize| {
        let (client, cookie) = (client.clone(), cookie.clone());
        async move {
            let mut times = Vec::new();
            for _ in 0..runs {
                let started = Instant::now();
                let response = client.get(&path).header("cookie", &cookie).send().await?;
                anyhow::ensure!(response.status().is_success(), "dashboard: {}", response.status());
                response.bytes().await?;
                times.push(started.elapsed());
            }
            Ok::<_, anyhow::Error>(times)
        }
    };
    // the questions a coordinator asks: as it opens, the period per each grouping, a theme,
    // a kind of participant, a course, half the period
    let half = today - chrono::Duration::days(182);
    let questions = [
        String::new(),
        format!("from={from}&to={to}&group_by=theme"),
        format!("from={from}&to={to}&group_by=wijk"),
        format!("from={from}&to={to}&group_by=participant_kind"),
        format!("from={from}&to={to}&group_by=course"),
        format!("from={from}&to={to}&group_by=month"),
        format!("from={from}&to={to}&theme=energietransitie&group_by=month"),
        format!("from={from}&to={to}&participant_kind=student&group_by=wijk"),
        format!("from={half}&to={to}&course=7&group_by=month"),
    ];
    // each question computed from the rollup (`again=1` passes the kept answer by), then
    // viewed as a coordinator views it: kept while nothing changes
    let (mut cold, mut all) = (Vec::new(), Vec::new());
    for question in &questions {
        let computed = time(format!("{base}/beheer/rapportage?{question}&again=1"), 1).await?;
        let mut views = time(format!("{base}/beheer/rapportage?{question}"), 10).await?;
        views.sort();
        println!(
            "  dashboard ?{question}: computed {:.0} ms, viewed p50 {:.1} ms",
            ms(computed[0]),
            ms(percentile(&views, 0.5))
        );
        cold.extend(computed);
        all.extend(views);
    }
    cold.sort();
    all.sort();
    println!(
        "dashboard /beheer/rapportage, {} questions computed from the rollup: p50 {:.0} ms, max {:.0} ms",
        cold.len(),
        ms(percentile(&cold, 0.5)),
        ms(percentile(&cold, 1.0))
    );
    println!(
        "dashboard /beheer/rapportage, {} views: p50 {:.1} ms, p95 {:.1} ms (goal: p50 < 100 ms)",
        all.len(),
        ms(percentile(&all, 0.5)),
        ms(percentile(&all, 0.95))
    );
    // a trainer marks one person: the next view computes that course again first
    let mut after_mark = Vec::new();
    for round in 0..5 {
        let status = if round % 2 == 0 { "absent" } else { "present" };
        db.run(move |conn| {
            use diesel::RunQueryDsl;
            Ok(diesel::sql_query(format!(
                "UPDATE attendance_marks SET status = '{status}'
                 WHERE (session_id, user_id) = (SELECT session_id, user_id FROM attendance_marks LIMIT 1)"
            ))
            .execute(conn)?)
        })
        .await?;
        after_mark.extend(time(format!("{base}/beheer/rapportage"), 1).await?);
    }
    after_mark.sort();
    println!(
        "  dashboard after a mark (one course computed again first): p50 {:.1} ms",
        ms(percentile(&after_mark, 0.5))
    );
    // a filter the rollup does not hold is counted over the cells, and kept a minute
    let cells =
        time(format!("{base}/beheer/rapportage?from={from}&to={to}&organisation=Buurtteam+3&again=1"), 1).await?;
    println!("  dashboard over the cells (an organisation): {:.1} s, then kept a minute", cells[0].as_secs_f64());
    server.abort();
    Ok(())
}
