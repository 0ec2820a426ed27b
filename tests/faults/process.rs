//! Process faults: `wijkmakers serve` stopped with SIGTERM while requests are in flight, and
//! killed with `kill -9` under load and started again.

use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use futures_util::future::join_all;
use reqwest::Method;
use tokio::sync::Mutex;
use wijkmakers::auth::Role;

use crate::common::{AppOptions, CourseSpec, TestApp, spawn_app_with};
use crate::support::Server;

async fn app_without_worker() -> TestApp {
    spawn_app_with(AppOptions { mail_worker: false, ..AppOptions::default() }).await
}

/// Wait until every outbox message is sent; answers how many there are.
async fn all_sent(app: &TestApp, timeout: Duration) -> usize {
    let deadline = Instant::now() + timeout;
    loop {
        let open = app.int("SELECT count(*) AS v FROM outbox WHERE status <> 'sent'").await;
        if open == 0 {
            return app.int("SELECT count(*) AS v FROM outbox").await as usize;
        }
        assert!(Instant::now() < deadline, "{open} outbox message(s) still unsent after {timeout:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Every outbox message arrived at least once with its own Message-ID; answers how many
/// arrived twice (a crash between SMTP's 250 and the UPDATE that records it).
async fn every_message_arrived(app: &TestApp) -> usize {
    let expected: Vec<String> = app.outbox().await.into_iter().map(|m| m.message_id).collect();
    let received: Vec<String> = app.smtp.messages().iter().flat_map(|m| m.header_values("message-id")).collect();
    let missing: Vec<&String> = expected.iter().filter(|id| !received.contains(id)).collect();
    assert!(missing.is_empty(), "queued but never delivered: {missing:?}");
    received.len() - expected.len()
}

/// SIGTERM while ten enrolments wait inside the database (another session holds the
/// course's row lock): new connections are refused at once, the ten finish with 201 when
/// the lock goes, the process exits 0 within the grace period, its mail worker leaves no
/// claim behind, and every enrolment has its history row and its email.
#[tokio::test]
async fn sigterm_finishes_requests_in_flight_and_refuses_new_ones() {
    let app = app_without_worker().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(&app, CourseSpec::new("Warmtenet in de wijk", 50)).await;
    let people = app.people("sigterm", 10, Role::Participant).await;
    let mut server = Server::serve(&app, app.db.url(), &[], &[("DB_POOL_SIZE", "16")]).await;

    // hold the course's row lock, as a long transaction would
    let mut blocker = app.db.connect();
    blocker
        .batch_execute(&format!("BEGIN; SELECT id FROM courses WHERE id = {} FOR UPDATE", course.id))
        .expect("lock the course");
    let server_ref = &server;
    let path = course.enrolment_path();
    let in_flight = join_all(people.iter().map(|p| {
        let path = path.clone();
        async move { server_ref.call(Method::POST, &path, &p.token).await }
    }));
    let fault = async {
        // the ten requests are inside the server, waiting for the lock
        let deadline = Instant::now() + Duration::from_secs(10);
        while app
            .int("SELECT count(*) AS v FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND state = 'active'")
            .await
            < 10
        {
            assert!(Instant::now() < deadline, "the enrolments never waited for the lock");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let signalled = Instant::now();
        server_ref.terminate();
        tokio::time::sleep(Duration::from_millis(500)).await;
        let port = url::Url::parse(&server_ref.address).unwrap().port().unwrap();
        let refused = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err();
        blocker.batch_execute("COMMIT").expect("release the lock");
        (signalled, refused)
    };
    let (answers, (signalled, refused)) = tokio::join!(in_flight, fault);
    let released = Instant::now();
    let released_after = signalled.elapsed().as_secs_f64();
    assert!(refused, "a new connection was accepted after SIGTERM");
    let statuses: Vec<Option<u16>> = answers.iter().map(|a| a.as_ref().map(|(s, _)| *s)).collect();
    assert!(statuses.iter().all(|s| *s == Some(201)), "in-flight enrolments after SIGTERM: {statuses:?}");
    let exit = server.wait_exit(Duration::from_secs(25)).await.expect("the process exits within the grace period");
    let exited = released.elapsed().as_secs_f64();
    assert!(exit.success(), "exit status {exit}:\n{}", server.log());
    assert_eq!(app.int("SELECT count(*) AS v FROM outbox WHERE status = 'sending'").await, 0, "a claim was left");
    let enrolled = app.int("SELECT count(*) AS v FROM enrolments WHERE status = 'enrolled'").await;
    let history = app.int("SELECT count(*) AS v FROM enrolment_events WHERE action = 'enrolled'").await;
    let emails = app.int("SELECT count(*) AS v FROM outbox WHERE subject LIKE 'Je bent ingeschreven%'").await;
    assert_eq!((enrolled, history, emails), (10, 10, 10), "enrolments, history rows and emails");
    let sent_before_exit = app.int("SELECT count(*) AS v FROM outbox WHERE status = 'sent'").await;

    // what the stopped worker had not sent, a new process sends, each once
    let _next = Server::spawn(&app, app.db.url(), &["outbox", "run"], &[]);
    let queued = all_sent(&app, Duration::from_secs(20)).await;
    assert_eq!(every_message_arrived(&app).await, 0, "an email arrived twice");
    eprintln!(
        "SIGTERM: new connection refused 0.5 s after the signal; 10/10 in-flight enrolments answered 201 after \
         the lock was released ({released_after:.2} s after the signal); exit 0 {exited:.2} s after that; \
         {sent_before_exit} of {queued} emails sent before the exit, the rest by the next worker, none twice"
    );
}

/// `kill -9` in the middle of a stream of enrolments, then a new process: every enrolment
/// acknowledged with 201 is there, nobody is enrolled twice, the requests that got no
/// answer can be repeated safely, and every queued email is delivered (at least once,
/// with its Message-ID) once the dead worker's lease has run out.
#[tokio::test]
async fn kill_9_under_load_loses_nothing_acknowledged() {
    let app = app_without_worker().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(&app, CourseSpec::new("Samen isoleren", 1000)).await;
    let people = Arc::new(app.people("kill", 300, Role::Participant).await);
    let env = [("MAIL_LEASE_SECS", "2")];
    let mut server = Server::serve(&app, app.db.url(), &[], &env).await;

    let answers = Arc::new(Mutex::new(Vec::<(usize, Option<u16>)>::new()));
    let path = course.enrolment_path();
    let server_ref = &server;
    let load = join_all((0..8).map(|client| {
        let (people, answers, path) = (people.clone(), answers.clone(), path.clone());
        async move {
            for n in (client..people.len()).step_by(8) {
                let answer = server_ref.call(Method::POST, &path, &people[n].token).await.map(|(s, _)| s);
                let died = answer.is_none();
                answers.lock().await.push((n, answer));
                if died {
                    break;
                }
            }
        }
    }));
    let kill = async {
        let deadline = Instant::now() + Duration::from_secs(20);
        while answers.lock().await.len() < 100 {
            assert!(Instant::now() < deadline, "the load did not get going");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        // SAFETY of the test: kill by pid, only our own child
        crate::support::signal(server_ref.pid(), "KILL");
    };
    tokio::join!(load, kill);
    server.kill();
    let answers = answers.lock().await.clone();
    let acknowledged: Vec<usize> = answers.iter().filter(|(_, s)| *s == Some(201)).map(|(n, _)| *n).collect();
    let unanswered: Vec<usize> = answers.iter().filter(|(_, s)| s.is_none()).map(|(n, _)| *n).collect();
    let other: Vec<&(usize, Option<u16>)> = answers.iter().filter(|(_, s)| s.is_some_and(|s| s != 201)).collect();
    assert!(other.is_empty(), "answers other than 201 before the kill: {other:?}");
    let in_db_before_restart = app.int("SELECT count(*) AS v FROM enrolments").await;
    let claimed_at_kill = app.int("SELECT count(*) AS v FROM outbox WHERE status = 'sending'").await;

    let restarted = Instant::now();
    let server = Server::serve(&app, app.db.url(), &[], &env).await;
    let serving = restarted.elapsed().as_secs_f64();
    let ids: Vec<String> = acknowledged.iter().map(|n| people[*n].id.to_string()).collect();
    let stored = app
        .int(&format!(
            "SELECT count(*) AS v FROM enrolments WHERE status = 'enrolled' AND user_id IN ({})",
            ids.join(",")
        ))
        .await;
    assert_eq!(stored as usize, acknowledged.len(), "an acknowledged enrolment was lost");
    // the requests that got no answer are repeated: each is now 201 or "already enrolled"
    let mut repeated = Vec::new();
    for n in &unanswered {
        let (status, body) = server.call(Method::POST, &path, &people[*n].token).await.expect("an answer");
        // 200: the enrolment was made before the kill, and repeating it answers it again
        assert!([200, 201].contains(&status), "repeating person {n}: {status} {body}");
        repeated.push(status);
    }
    let doubles = app
        .int("SELECT count(*) AS v FROM (SELECT user_id FROM enrolments GROUP BY user_id, course_id HAVING count(*) > 1) d")
        .await;
    assert_eq!(doubles, 0, "someone is enrolled twice");
    let enrolled = app.int("SELECT count(*) AS v FROM enrolments WHERE status = 'enrolled'").await;
    let history = app.int("SELECT count(*) AS v FROM enrolment_events WHERE action = 'enrolled'").await;
    let emails = app.int("SELECT count(*) AS v FROM outbox WHERE subject LIKE 'Je bent ingeschreven%'").await;
    assert_eq!((history, emails), (enrolled, enrolled), "one history row and one email per enrolment");
    let queued = all_sent(&app, Duration::from_secs(30)).await;
    let twice = every_message_arrived(&app).await;
    eprintln!(
        "kill -9 after {} answers: {} × 201, {} without an answer ({in_db_before_restart} enrolments in the \
         database at the kill, {claimed_at_kill} emails claimed by the dead worker); serving again {serving:.2} s \
         after the new start; all {} acknowledged enrolments kept; the unanswered repeated as {:?}; {queued} \
         emails all delivered, {twice} of them twice (lease of the dead worker ran out)",
        answers.len(),
        acknowledged.len(),
        unanswered.len(),
        acknowledged.len(),
        repeated
    );
}
