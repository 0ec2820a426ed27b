//! Database faults: PostgreSQL (a private cluster of the test) restarted and stopped while
//! the app serves, and a pool held by slow queries.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures_util::future::join_all;
use reqwest::Method;
use tokio::sync::Mutex;
use wijkmakers::auth::Role;

use crate::common::db::TestDb;
use crate::common::{AppOptions, CourseSpec, TestApp, header, spawn_app_on, spawn_app_with};
use crate::support::Cluster;

/// What one request got: its status, `Retry-After` and content type, and when it ended
/// (since the start of the fault).
#[derive(Debug, Clone)]
struct Answer {
    person: usize,
    status: u16,
    retry_after: String,
    content_type: String,
    at: f64,
}

async fn answer_of(response: reqwest::Response, person: usize, since: Instant) -> Answer {
    let answer = Answer {
        person,
        status: response.status().as_u16(),
        retry_after: header(&response, "retry-after"),
        content_type: header(&response, "content-type"),
        at: since.elapsed().as_secs_f64(),
    };
    let _ = response.bytes().await;
    answer
}

/// A 503 as the issue wants it: problem+json (API) or a page (HTML), and Retry-After.
fn is_clean_unavailable(answer: &Answer, api: bool) -> bool {
    let kind = if api { "application/problem+json" } else { "text/html" };
    answer.status == 503 && answer.content_type.starts_with(kind) && answer.retry_after.parse::<u64>().is_ok()
}

/// The first moment (seconds since `since`) at which `check` holds, polling every 50 ms; panics after `timeout`.
async fn first_moment<F, Fut>(since: Instant, timeout: Duration, what: &str, mut check: F) -> f64
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + timeout;
    loop {
        if check().await {
            return since.elapsed().as_secs_f64();
        }
        assert!(Instant::now() < deadline, "{what}: not within {timeout:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn status_of(app: &TestApp, path: &str) -> u16 {
    match app.api_client.get(app.url(path)).timeout(Duration::from_secs(10)).send().await {
        Ok(response) => response.status().as_u16(),
        Err(_) => 0,
    }
}

/// `pg_ctl restart -m fast` under a stream of enrolments, then a stop of two seconds: the
/// app answers 503 (problem+json or a page, with Retry-After) while the database is away,
/// `/readyz` says so within 3 s, and everything recovers without restarting the app: no
/// enrolment acknowledged with 201 is lost, and every email queued is sent once.
#[tokio::test]
async fn postgresql_restarted_and_stopped_while_serving() {
    let cluster = Cluster::start().await;
    let server = cluster.server_url();
    let db = tokio::task::spawn_blocking(move || TestDb::on_server(&server)).await.unwrap();
    let app = Arc::new(
        spawn_app_on(
            db,
            AppOptions {
                tune: |config| {
                    config.db_pool_size = 4;
                    config.db_pool_wait = Duration::from_secs(2);
                    config.mail_retry_base = chrono::Duration::milliseconds(100);
                },
                ..AppOptions::default()
            },
        )
        .await,
    );
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(&app, CourseSpec::new("Energiecafé na herstart", 1000)).await;
    let people = Arc::new(app.people("herstart", 400, Role::Participant).await);

    // four clients enrol people one after another until told to stop
    let next = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let answers = Arc::new(Mutex::new(Vec::<Answer>::new()));
    let failures = Arc::new(Mutex::new(Vec::<String>::new()));
    let since = Instant::now();
    let clients: Vec<_> = (0..4)
        .map(|_| {
            let (app, people, next, stop) = (app.clone(), people.clone(), next.clone(), stop.clone());
            let (answers, failures, path) = (answers.clone(), failures.clone(), course.enrolment_path());
            tokio::spawn(async move {
                while !stop.load(Ordering::SeqCst) {
                    let n = next.fetch_add(1, Ordering::SeqCst);
                    let Some(person) = people.get(n) else { break };
                    let request = app.api_client.post(app.url(&path)).bearer_auth(&person.token);
                    match request.timeout(Duration::from_secs(10)).send().await {
                        Ok(response) => answers.lock().await.push(answer_of(response, n, since).await),
                        Err(e) => failures.lock().await.push(format!("person {n}: {e}")),
                    }
                    tokio::time::sleep(Duration::from_millis(30)).await;
                }
            })
        })
        .collect();

    tokio::time::sleep(Duration::from_millis(400)).await;
    let restart = Instant::now();
    let restart_at = since.elapsed().as_secs_f64();
    cluster.pg_ctl(&["restart", "-m", "fast", "-w"]).await;
    let restarted = restart.elapsed().as_secs_f64();
    let (app_ref, answers_ref) = (&app, &answers);
    let ready_again = first_moment(restart, Duration::from_secs(15), "/readyz 200 after the restart", || async move {
        status_of(app_ref, "/readyz").await == 200
    })
    .await;
    let enrolled_again = first_moment(restart, Duration::from_secs(15), "a 201 after the restart", || async move {
        answers_ref.lock().await.iter().any(|a| a.status == 201 && a.at > restart_at + restarted)
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::SeqCst);
    join_all(clients).await;

    let answers = answers.lock().await.clone();
    let failures = failures.lock().await.clone();
    assert!(failures.is_empty(), "requests without an answer: {failures:?}");
    let unclean: Vec<&Answer> = answers.iter().filter(|a| a.status != 201 && !is_clean_unavailable(a, true)).collect();
    assert!(unclean.is_empty(), "answers during the restart that were neither 201 nor a clean 503: {unclean:?}");
    let acknowledged: Vec<i64> = answers.iter().filter(|a| a.status == 201).map(|a| people[a.person].id).collect();
    let unavailable = answers.iter().filter(|a| a.status == 503).count();
    let ids = acknowledged.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let stored = app
        .int(&format!(
            "SELECT count(*) AS v FROM enrolments WHERE course_id = {} AND status = 'enrolled' AND user_id IN ({ids})",
            course.id
        ))
        .await;
    assert_eq!(stored as usize, acknowledged.len(), "an enrolment acknowledged with 201 is missing");
    eprintln!(
        "restart -m fast: pg_ctl took {restarted:.2} s; {} requests, {} × 201, {unavailable} × 503 (problem+json, \
         Retry-After); /readyz 200 again {ready_again:.2} s and the first 201 {enrolled_again:.2} s after the \
         restart began; {} acknowledged enrolments all stored",
        answers.len(),
        acknowledged.len(),
        acknowledged.len()
    );

    // the database stopped for two seconds: /readyz, the API and a page say so cleanly
    let seat_holder = people.last().expect("people").clone();
    let down = Instant::now();
    cluster.pg_ctl(&["stop", "-m", "fast", "-w"]).await;
    let not_ready = first_moment(down, Duration::from_secs(3), "/readyz 503 within 3 s", || async {
        status_of(app_ref, "/readyz").await == 503
    })
    .await;
    let api = app.api(Method::POST, &course.enrolment_path(), None, Some(&seat_holder.token)).await;
    let api = answer_of(api, people.len() - 1, down).await;
    assert!(is_clean_unavailable(&api, true), "an enrolment while the database is down: {api:?}");
    let page = app.api_client.get(app.url("/cursussen")).header("accept", "text/html").send().await.unwrap();
    let page = answer_of(page, 0, down).await;
    assert!(is_clean_unavailable(&page, false), "the catalogue page while the database is down: {page:?}");
    assert_eq!(status_of(&app, "/healthz").await, 200, "the process itself stays up");
    tokio::time::sleep(Duration::from_secs(2)).await;
    let up = Instant::now();
    cluster.start_again().await;
    let started = up.elapsed().as_secs_f64();
    let ready = first_moment(up, Duration::from_secs(15), "/readyz 200 after the start", || async move {
        status_of(app_ref, "/readyz").await == 200
    })
    .await;
    let catalogue = first_moment(up, Duration::from_secs(15), "the catalogue after the start", || async move {
        status_of(app_ref, "/cursussen").await == 200
    })
    .await;
    let (status, body) = seat_holder.enrol(&app, &course).await;
    assert!(status == 201 || status == 409, "enrolling after the database came back: {status} {body}");
    eprintln!(
        "stop -m fast: /readyz 503 after {not_ready:.2} s; API 503 problem+json Retry-After {}, page 503 HTML \
         Retry-After {}; after pg_ctl start ({started:.2} s): /readyz 200 after {ready:.2} s, catalogue 200 after \
         {catalogue:.2} s",
        api.retry_after, page.retry_after
    );

    // the outbox worker resumed: every confirmation queued is sent, once
    let queued = app.int("SELECT count(*) AS v FROM outbox").await as usize;
    let stuck = app.int("SELECT count(*) AS v FROM outbox WHERE status = 'sending'").await;
    let settled = first_moment(up, Duration::from_secs(30), "every email sent", || async move {
        app_ref.int("SELECT count(*) AS v FROM outbox WHERE status <> 'sent'").await == 0
    })
    .await;
    let received = app.smtp.wait_for_count(queued, Duration::from_secs(5)).await;
    let mut ids: Vec<String> = received.iter().flat_map(|m| m.header_values("message-id")).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(received.len(), queued, "one email per queued message");
    assert_eq!(ids.len(), queued, "no Message-ID twice");
    eprintln!(
        "outbox: {queued} messages, {stuck} of them claimed by the worker when the database went away; all sent \
         {settled:.2} s after the start, each once"
    );
}

/// Every connection of the pool held by a slow query (pg_sleep): a request that needs one
/// answers 503 with Retry-After once `DB_POOL_WAIT_MS` (default 3 s) has passed, never later
/// than 5 s, as problem+json or as a page; and all is well once the queries end.
#[tokio::test]
async fn an_exhausted_pool_answers_503_with_retry_after_within_five_seconds() {
    let app = spawn_app_with(AppOptions {
        mail_worker: false,
        tune: |config| {
            config.db_pool_size = 2;
            config.db_pool_wait = Duration::from_millis(wijkmakers::config::DEFAULT_POOL_WAIT_MS);
        },
        ..AppOptions::default()
    })
    .await;
    let ann = app.participant("Ann").await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(&app, CourseSpec::new("Buurtmoestuin", 10)).await;
    let slow: Vec<_> = (0..2)
        .map(|_| {
            let pool = app.pool.clone();
            tokio::spawn(async move {
                use diesel::RunQueryDsl;
                pool.run(|conn| Ok(diesel::sql_query("SELECT pg_sleep(7)").execute(conn)?)).await
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(app.pool.status().available, 0, "both connections are held");

    let start = Instant::now();
    let api = async {
        let response = app.api(Method::POST, &course.enrolment_path(), None, Some(&ann.token)).await;
        answer_of(response, 0, start).await
    };
    let page = async {
        let response = app.api_client.get(app.url("/cursussen")).header("accept", "text/html").send().await.unwrap();
        answer_of(response, 0, start).await
    };
    let ready = async {
        let response = app.api_client.get(app.url("/readyz")).send().await.unwrap();
        answer_of(response, 0, start).await
    };
    let (api, page, ready) = tokio::join!(api, page, ready);
    assert!(is_clean_unavailable(&api, true), "the API with the pool held: {api:?}");
    assert!(is_clean_unavailable(&page, false), "a page with the pool held: {page:?}");
    assert_eq!(ready.status, 503, "/readyz with the pool held: {ready:?}");
    for answer in [&api, &page, &ready] {
        assert!(answer.at <= 5.0, "a 503 after {:.2} s (at most 5 s): {answer:?}", answer.at);
    }
    eprintln!(
        "pool of 2 held by pg_sleep: API 503 after {:.2} s, page 503 after {:.2} s, /readyz 503 after {:.2} s, \
         Retry-After {}",
        api.at, page.at, ready.at, api.retry_after
    );
    for task in join_all(slow).await {
        task.expect("the slow query ran").expect("the slow query ended");
    }
    assert_eq!(ann.enrol(&app, &course).await.0, 201, "the pool serves again once the slow queries end");
    assert_eq!(app.int(&format!("SELECT count(*) AS v FROM enrolments WHERE course_id = {}", course.id)).await, 1);
}
