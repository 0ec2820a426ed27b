//! The email outbox: a message is queued in the transaction of the change that causes it
//! and delivered by workers to a real SMTP server (in the test), exactly once, with
//! retries when SMTP is down and no retries when it says no for good.

use std::collections::HashMap;
use std::time::Duration as StdDuration;

use chrono::{Duration, Utc};
use icalendar::Component;
use serde_json::json;
use wijkmakers::db::Db;
use wijkmakers::error::{AppError, AppResult};
use wijkmakers::i18n::Locale;
use wijkmakers::mail::ics::{self, IcsEvent, Method};
use wijkmakers::mail::model::{MailStatus, OutboxMessage};
use wijkmakers::mail::service::{self, Outcome};
use wijkmakers::mail::{Email, Recipient};

use crate::common::{AppOptions, ReceivedMail, Stage, TestApp, spawn_app, spawn_app_with};

const WAIT: StdDuration = StdDuration::from_secs(10);

/// An app whose own mail worker is off: the tests run workers themselves.
async fn app() -> TestApp {
    spawn_app_with(AppOptions { mail_worker: false, ..AppOptions::default() }).await
}

fn recipient(email: &str, name: &str) -> Recipient {
    Recipient { email: email.to_owned(), name: name.to_owned(), user_id: None, locale: Locale::Nl }
}

/// A plain message to `to`.
fn email(to: &str, key: &str) -> Email {
    Email::new(recipient(to, "Ann de Vries"), key, format!("Bericht {key}")).paragraph(format!("Dit is bericht {key}."))
}

/// Queue `email` in a transaction of its own.
async fn enqueue(app: &TestApp, email: Email) -> AppResult<Option<i64>> {
    let base = app.config.base().to_owned();
    app.pool.tx(move |conn| service::enqueue(conn, &base, email)).await
}

async fn enqueue_all(app: &TestApp, emails: Vec<Email>) -> Vec<i64> {
    let base = app.config.base().to_owned();
    app.pool
        .tx(move |conn| {
            emails.into_iter().map(|e| Ok(service::enqueue(conn, &base, e)?.expect("a new message"))).collect()
        })
        .await
        .expect("queue the messages")
}

async fn row(app: &TestApp, id: i64) -> OutboxMessage {
    app.outbox().await.into_iter().find(|m| m.id == id).unwrap_or_else(|| panic!("no outbox row {id}"))
}

/// How many messages have `status`.
async fn count(app: &TestApp, status: MailStatus) -> i64 {
    app.pool
        .run(|conn| Ok(service::counts(conn)?))
        .await
        .unwrap()
        .into_iter()
        .find(|(s, _)| *s == status)
        .map_or(0, |(_, n)| n)
}

/// Make every waiting message due now (instead of waiting for the backoff).
async fn due_now(app: &TestApp) {
    app.execute("UPDATE outbox SET next_attempt_at = now() WHERE status = 'pending'").await;
}

/// Message-ID → how many times it arrived.
fn per_message_id(messages: &[ReceivedMail]) -> HashMap<String, usize> {
    let mut seen = HashMap::new();
    for message in messages {
        let id = message.message_id().expect("every message has a Message-ID");
        *seen.entry(id).or_insert(0) += 1;
    }
    seen
}

fn session_event() -> IcsEvent {
    IcsEvent {
        uid: ics::session_uid(42, "127.0.0.1"),
        sequence: 0,
        starts_at: "2027-03-28T17:30:00Z".parse().unwrap(),
        ends_at: "2027-03-28T19:30:00Z".parse().unwrap(),
        summary: "Energie besparen, bijeenkomst 1".into(),
        description: "Samen kijken we naar je energierekening.".into(),
        location: "Buurtcentrum De Oosterpoort, Voorbeeldstraat 1, Groningen".into(),
        url: Some("http://127.0.0.1/cursussen/energie-besparen".into()),
        cancelled: false,
        modified: "2027-03-01T10:00:00Z".parse().unwrap(),
    }
}

#[tokio::test]
async fn a_committed_message_arrives_once_with_text_html_and_calendar() {
    let app = app().await;
    let to = "ann@example.org";
    let invitation = ics::attachment(Method::Request, "Energie besparen", "academie@example.org", &[session_event()]);
    let message = Email::new(recipient(to, "Ann de Vries"), "enrolled:1", "Je bent ingeschreven: Energie besparen")
        .paragraph("Je bent ingeschreven voor Energie besparen <samen>.")
        .detail("Wanneer", "zondag 28 maart 2027, 19:30–21:30")
        .action("Bekijk je cursussen", format!("{}/mijn-cursussen", app.address))
        .attach(invitation);
    let id = enqueue(&app, message).await.unwrap().expect("queued");
    assert_eq!(row(&app, id).await.status, MailStatus::Pending);

    let worker = app.worker(Duration::minutes(2));
    assert_eq!(worker.run_once().await.unwrap(), 1);
    let received = app.smtp.wait_for(to, 1, WAIT).await;
    assert_eq!(received.len(), 1);
    let mail = &received[0];

    // envelope and headers
    assert_eq!(mail.mail_from, "academie@example.org");
    assert_eq!(mail.rcpt_to, [to]);
    assert_eq!(mail.from(), Some((Some("Wijkmakers Academie".into()), "academie@example.org".into())));
    assert_eq!(mail.to(), [(Some("Ann de Vries".into()), to.to_owned())]);
    assert_eq!(mail.subject().as_deref(), Some("Je bent ingeschreven: Energie besparen"));
    assert_eq!(mail.header_values("Auto-Submitted"), ["auto-generated"]);
    let stored = row(&app, id).await;
    assert_eq!(mail.message_id().map(|m| format!("<{m}>")), Some(stored.message_id.clone()));

    // text and HTML bodies, rendered in Dutch
    let text = mail.text();
    assert!(text.contains("Hallo Ann de Vries,"), "{text}");
    assert!(text.contains("Je bent ingeschreven voor Energie besparen <samen>."), "{text}");
    assert!(text.contains("Wanneer: zondag 28 maart 2027, 19:30–21:30"), "{text}");
    assert!(text.contains(&format!("{}/mijn-cursussen", app.address)), "{text}");
    let html = mail.html();
    assert!(html.contains(r#"<html lang="nl">"#), "{html}");
    assert!(html.contains("Energie besparen &#60;samen&#62;."), "HTML is escaped: {html}");
    assert!(html.contains(&format!(r#"href="{}/mijn-cursussen""#, app.address)), "{html}");

    // the calendar file
    let parts = mail.attachments();
    let calendar = parts
        .iter()
        .find(|p| p.content_type == "text/calendar")
        .unwrap_or_else(|| panic!("no text/calendar part: {parts:?}"));
    assert_eq!(calendar.filename, None, "inline, as the third alternative");
    let attached = parts.iter().find(|p| p.content_type == "application/ics").expect("an attached copy");
    assert_eq!(attached.filename.as_deref(), Some("uitnodiging.ics"));
    assert_eq!(attached.text(), calendar.text());
    assert_eq!(calendar.params.get("method").map(String::as_str), Some("REQUEST"));
    let parsed: icalendar::Calendar = calendar.text().parse().expect("a valid calendar");
    assert_eq!(parsed.property_value("METHOD"), Some("REQUEST"));
    let event = parsed.events().next().expect("one event");
    assert_eq!(event.get_uid(), Some("sessie-42@127.0.0.1"));
    assert_eq!(event.property_value("DTSTART"), Some("20270328T173000Z"));
    assert_eq!(event.property_value("DTEND"), Some("20270328T193000Z"));
    assert_eq!(event.get_summary(), Some("Energie besparen, bijeenkomst 1"));

    // recorded as sent, and never sent again
    assert_eq!(stored.status, MailStatus::Sent);
    assert_eq!(stored.attempts, 1);
    assert!(stored.sent_at.is_some());
    assert_eq!(worker.run_once().await.unwrap(), 0);
    tokio::time::sleep(StdDuration::from_millis(200)).await;
    assert_eq!(app.smtp.count(), 1);
}

#[tokio::test]
async fn a_rolled_back_transaction_leaves_no_message() {
    let app = app().await;
    let base = app.config.base().to_owned();
    let result = app
        .pool
        .tx(move |conn| {
            let id = service::enqueue(conn, &base, email("bob@example.org", "undone"))?;
            assert!(id.is_some(), "queued inside the transaction");
            // the change that caused the message fails: everything is undone
            Err::<(), _>(AppError::Conflict("conflict-full"))
        })
        .await;
    assert!(matches!(result, Err(AppError::Conflict(_))));
    assert!(app.outbox().await.is_empty());
    assert_eq!(app.worker(Duration::minutes(2)).run_once().await.unwrap(), 0);
    tokio::time::sleep(StdDuration::from_millis(200)).await;
    assert_eq!(app.smtp.count(), 0);
}

#[tokio::test]
async fn the_same_idempotency_key_queues_one_message() {
    let app = app().await;
    let first = enqueue(&app, email("carla@example.org", "welcome:7")).await.unwrap();
    assert!(first.is_some());
    let second = enqueue(&app, email("carla@example.org", "welcome:7")).await.unwrap();
    assert_eq!(second, None, "the second time is ignored");
    assert_eq!(app.outbox().await.len(), 1);

    assert_eq!(app.worker(Duration::minutes(2)).run_once().await.unwrap(), 1);
    app.smtp.wait_for("carla@example.org", 1, WAIT).await;
    // the key stays used after delivery too
    let third = enqueue(&app, email("carla@example.org", "welcome:7")).await.unwrap();
    assert_eq!(third, None);
    tokio::time::sleep(StdDuration::from_millis(200)).await;
    assert_eq!(app.smtp.count(), 1);
}

#[tokio::test]
async fn messages_wait_while_smtp_is_down_and_arrive_once_when_it_is_back() {
    let app = app().await;
    let worker = app.worker(Duration::minutes(2));
    // a delivery first, so the transport holds a pooled connection that must break too
    enqueue(&app, email("dirk@example.org", "before")).await.unwrap();
    worker.run_once().await.unwrap();
    app.smtp.wait_for("dirk@example.org", 1, WAIT).await;

    app.smtp.go_down().await;
    let ids = enqueue_all(&app, (0..3).map(|i| email("dirk@example.org", &format!("down:{i}"))).collect()).await;
    let before = Utc::now();
    assert_eq!(worker.run_once().await.unwrap(), 3);
    for id in &ids {
        let message = row(&app, *id).await;
        assert_eq!(message.status, MailStatus::Pending);
        assert_eq!(message.attempts, 1);
        assert!(message.next_attempt_at > before, "retried later");
        let error = message.last_error.expect("the error is kept");
        assert!(!error.is_empty());
    }
    assert_eq!(app.smtp.messages_to("dirk@example.org").len(), 1);

    // still down: another attempt keeps them pending, with a longer wait
    due_now(&app).await;
    assert_eq!(worker.run_once().await.unwrap(), 3);
    for id in &ids {
        let message = row(&app, *id).await;
        assert_eq!((message.status, message.attempts), (MailStatus::Pending, 2));
        assert!(message.next_attempt_at > Utc::now() + Duration::seconds(20), "backoff doubles");
    }

    app.smtp.come_up().await;
    due_now(&app).await;
    assert_eq!(worker.run_once().await.unwrap(), 3);
    let received = app.smtp.wait_for("dirk@example.org", 4, WAIT).await;
    assert_eq!(worker.run_once().await.unwrap(), 0);
    tokio::time::sleep(StdDuration::from_millis(200)).await;
    let received_ids = per_message_id(&app.smtp.messages());
    assert_eq!(received.len(), 4);
    assert_eq!(received_ids.len(), 4, "four different messages");
    assert!(received_ids.values().all(|n| *n == 1), "none twice: {received_ids:?}");
    for id in &ids {
        let message = row(&app, *id).await;
        assert_eq!(message.status, MailStatus::Sent);
        assert_eq!(message.attempts, 3);
        assert_eq!(message.last_error, None);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_deliver_500_messages_exactly_once() {
    let app = app().await;
    let ids = enqueue_all(
        &app,
        (0..500).map(|i| email(&format!("deelnemer{}@example.org", i % 25), &format!("bulk:{i}"))).collect(),
    )
    .await;
    assert_eq!(ids.len(), 500);

    // two instances: each its own pool, transport and sender address (to tell them apart)
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mut tasks = Vec::new();
    for name in ["a", "b"] {
        let mut worker = app.worker(Duration::minutes(2));
        worker.db = Db::connect(app.db.url(), 3).unwrap();
        worker.from = format!("Worker {name} <worker-{name}@example.org>").parse().unwrap();
        worker.batch = 10;
        tasks.push(tokio::spawn(worker.run(stopped.clone())));
    }
    app.smtp.wait_for_count(500, StdDuration::from_secs(120)).await;
    // give a duplicate, if any, time to show up
    tokio::time::sleep(StdDuration::from_millis(500)).await;
    stop.send(true).unwrap();
    for task in tasks {
        task.await.unwrap();
    }

    let received = app.smtp.messages();
    let seen = per_message_id(&received);
    let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "sent more than once: {twice:?}");
    assert_eq!(seen.len(), 500, "500 distinct messages");
    assert_eq!(received.len(), 500);
    let stored: HashMap<String, OutboxMessage> =
        app.outbox().await.into_iter().map(|m| (m.message_id.trim_matches(['<', '>']).to_owned(), m)).collect();
    for id in seen.keys() {
        let message = stored.get(id).unwrap_or_else(|| panic!("{id} is not in the outbox"));
        assert_eq!((message.status, message.attempts), (MailStatus::Sent, 1), "{id}");
    }
    let by_a = received.iter().filter(|m| m.mail_from == "worker-a@example.org").count();
    let by_b = received.iter().filter(|m| m.mail_from == "worker-b@example.org").count();
    assert_eq!(by_a + by_b, 500);
    assert!(by_a > 0 && by_b > 0, "both workers took part: {by_a} + {by_b}");
}

#[tokio::test]
async fn a_5xx_answer_fails_the_message_after_one_attempt() {
    let app = app().await;
    app.expect_failed_mail();
    app.smtp.fail_for("weg@example.org", Stage::Rcpt, 550, "5.1.1 no such user");
    app.smtp.fail_for("spam@example.org", Stage::Data, 554, "5.7.1 message refused");
    let ids =
        enqueue_all(&app, vec![email("weg@example.org", "perm:rcpt"), email("spam@example.org", "perm:data")]).await;
    let worker = app.worker(Duration::minutes(2));
    assert_eq!(worker.run_once().await.unwrap(), 2);
    for (id, code) in ids.iter().zip(["550", "554"]) {
        let message = row(&app, *id).await;
        assert_eq!(message.status, MailStatus::Failed);
        assert_eq!(message.attempts, 1);
        let error = message.last_error.unwrap();
        assert!(error.contains(code), "{error}");
    }
    // no retry, even when its time would have come
    app.execute("UPDATE outbox SET next_attempt_at = now() - interval '1 day'").await;
    assert_eq!(worker.run_once().await.unwrap(), 0);
    assert_eq!(app.smtp.rcpt_attempts("weg@example.org"), 1);
    assert_eq!(app.smtp.rcpt_attempts("spam@example.org"), 1);
    assert_eq!(app.smtp.count(), 0);
    assert_eq!(count(&app, MailStatus::Failed).await, 2);
}

#[tokio::test]
async fn a_4xx_answer_keeps_the_message_pending_for_a_later_attempt() {
    let app = app().await;
    app.smtp.fail_for("vol@example.org", Stage::Rcpt, 452, "4.2.2 mailbox full");
    app.smtp.fail_for("later@example.org", Stage::Data, 451, "4.3.0 try again later");
    let ids =
        enqueue_all(&app, vec![email("vol@example.org", "temp:rcpt"), email("later@example.org", "temp:data")]).await;
    let worker = app.worker(Duration::minutes(2));
    let before = Utc::now();
    assert_eq!(worker.run_once().await.unwrap(), 2);
    for (id, code) in ids.iter().zip(["452", "451"]) {
        let message = row(&app, *id).await;
        assert_eq!(message.status, MailStatus::Pending);
        assert_eq!(message.attempts, 1);
        // 15 s ± 20 %
        assert!(message.next_attempt_at >= before + Duration::seconds(12), "{:?}", message.next_attempt_at);
        assert!(message.next_attempt_at <= Utc::now() + Duration::seconds(18));
        assert!(message.last_error.unwrap().contains(code));
    }
    // not due yet: nothing is tried
    assert_eq!(worker.run_once().await.unwrap(), 0);
    assert_eq!(app.smtp.rcpt_attempts("vol@example.org"), 1);

    app.smtp.heal();
    due_now(&app).await;
    assert_eq!(worker.run_once().await.unwrap(), 2);
    app.smtp.wait_for("vol@example.org", 1, WAIT).await;
    app.smtp.wait_for("later@example.org", 1, WAIT).await;
    for id in &ids {
        let message = row(&app, *id).await;
        assert_eq!((message.status, message.attempts), (MailStatus::Sent, 2));
    }
}

#[tokio::test]
async fn a_crashed_claim_is_delivered_after_the_lease_expires() {
    let app = app().await;
    let id = enqueue(&app, email("eva@example.org", "crash")).await.unwrap().unwrap();
    // a worker claims the message and dies before it records anything
    let claimed = app.pool.run(|conn| Ok(service::claim(conn, 10, Duration::milliseconds(700))?)).await.unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(row(&app, id).await.status, MailStatus::Sending);

    let worker = app.worker(Duration::minutes(2));
    assert_eq!(worker.run_once().await.unwrap(), 0, "the lease still holds");
    tokio::time::sleep(StdDuration::from_millis(900)).await;
    assert_eq!(worker.run_once().await.unwrap(), 1, "taken over after the lease");
    app.smtp.wait_for("eva@example.org", 1, WAIT).await;
    let message = row(&app, id).await;
    assert_eq!((message.status, message.attempts), (MailStatus::Sent, 2));

    // the dead worker's late word changes nothing
    app.pool.run(move |conn| Ok(service::record(conn, id, 1, &Outcome::Transient("late".into()))?)).await.unwrap();
    assert_eq!(row(&app, id).await.status, MailStatus::Sent);
    assert_eq!(worker.run_once().await.unwrap(), 0);
    assert_eq!(app.smtp.count(), 1);
}

#[tokio::test]
async fn a_slow_worker_cannot_overwrite_the_claim_of_the_worker_that_took_over() {
    let app = app().await;
    let id = enqueue(&app, email("fleur@example.org", "slow")).await.unwrap().unwrap();
    let claim = |lease: Duration| app.pool.run(move |conn| Ok(service::claim(conn, 10, lease)?));
    // worker A claims with a short lease and is slow; worker B takes over after it
    let a = claim(Duration::milliseconds(300)).await.unwrap();
    assert_eq!(a[0].attempts, 1);
    tokio::time::sleep(StdDuration::from_millis(400)).await;
    let b = claim(Duration::minutes(2)).await.unwrap();
    assert_eq!(b[0].attempts, 2);

    // A gives up on its attempt (say, a timeout) while B is still sending
    app.pool.run(move |conn| Ok(service::record(conn, id, 1, &Outcome::Transient("timeout".into()))?)).await.unwrap();
    let message = row(&app, id).await;
    assert_eq!(message.status, MailStatus::Sending, "B's claim stands");
    // B delivers and records: the message is sent, and will not be sent again
    app.pool.run(move |conn| Ok(service::record(conn, id, 2, &Outcome::Sent)?)).await.unwrap();
    let message = row(&app, id).await;
    assert_eq!(message.status, MailStatus::Sent);
    app.execute("UPDATE outbox SET next_attempt_at = now() - interval '1 day'").await;
    assert_eq!(app.worker(Duration::minutes(2)).run_once().await.unwrap(), 0);
}

#[tokio::test]
async fn an_invalid_recipient_is_refused_at_enqueue() {
    let app = app().await;
    for address in [
        "",
        "geen-adres",
        "ann@",
        "@example.org",
        "ann@example.org\r\nBcc: evil@example.org",
        "ann example@example.org",
    ] {
        let result = enqueue(&app, email(address, &format!("bad:{address}"))).await;
        match result {
            Err(AppError::Validation(fields)) => {
                assert_eq!(fields.len(), 1, "{address:?}");
                assert_eq!(fields[0].field, "email", "{address:?}");
            }
            other => panic!("{address:?} was not refused: {other:?}"),
        }
    }
    assert!(app.outbox().await.is_empty());
}

#[tokio::test]
async fn line_breaks_in_subject_or_name_cannot_inject_headers() {
    let app = app().await;
    let to = "gert@example.org";
    let message = Email::new(
        recipient(to, "Gert\r\nX-Injected: naam\r\nBcc: evil@example.org"),
        "inject",
        "Welkom\r\nBcc: evil@example.org\nX-Injected: onderwerp\r\n\r\nbody",
    )
    .paragraph("Gewone tekst.");
    enqueue(&app, message).await.unwrap().unwrap();
    assert_eq!(app.worker(Duration::minutes(2)).run_once().await.unwrap(), 1);
    let mail = app.smtp.wait_for(to, 1, WAIT).await.remove(0);

    assert_eq!(mail.rcpt_to, [to], "no extra envelope recipient");
    assert_eq!(mail.header_values("Subject").len(), 1, "{:?}", mail.headers());
    assert_eq!(mail.header_values("To").len(), 1, "{:?}", mail.headers());
    assert!(mail.header_values("Bcc").is_empty(), "{:?}", mail.headers());
    assert!(mail.header_values("X-Injected").is_empty(), "{:?}", mail.headers());
    assert_eq!(mail.subject().as_deref(), Some("Welkom Bcc: evil@example.org X-Injected: onderwerp body"));
    let recipients = mail.to();
    assert_eq!(recipients.len(), 1, "{recipients:?}");
    assert_eq!(recipients[0].1, to);
    assert_eq!(recipients[0].0.as_deref(), Some("Gert X-Injected: naam Bcc: evil@example.org"));
    assert!(mail.text().contains("Gewone tekst."));
    assert_eq!(app.smtp.rcpt_attempts("evil@example.org"), 0);
}

#[tokio::test]
async fn a_failing_message_does_not_block_the_others() {
    let app = app().await;
    app.expect_failed_mail();
    app.smtp.fail_for("nooit@example.org", Stage::Rcpt, 550, "5.1.1 no such user");
    app.smtp.fail_for("straks@example.org", Stage::Rcpt, 451, "4.7.1 try later");
    // the failing ones are the oldest, so a worker meets them first
    let mut emails = vec![email("nooit@example.org", "first"), email("straks@example.org", "second")];
    emails.extend((0..3).map(|i| email("hanna@example.org", &format!("next:{i}"))));
    let ids = enqueue_all(&app, emails).await;

    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mut worker = app.worker(Duration::minutes(2));
    worker.batch = 1;
    let task = tokio::spawn(worker.run(stopped));
    let received = app.smtp.wait_for("hanna@example.org", 3, WAIT).await;
    stop.send(true).unwrap();
    task.await.unwrap();

    assert_eq!(per_message_id(&received).len(), 3);
    assert_eq!(row(&app, ids[0]).await.status, MailStatus::Failed);
    let waiting = row(&app, ids[1]).await;
    assert_eq!((waiting.status, waiting.attempts), (MailStatus::Pending, 1));
    for id in &ids[2..] {
        assert_eq!(row(&app, *id).await.status, MailStatus::Sent);
    }
}

#[tokio::test]
async fn without_smtp_messages_are_written_as_eml_files() {
    let app = spawn_app_with(AppOptions { smtp: false, ..AppOptions::default() }).await;
    assert!(app.config.smtp_url.is_none());
    let id = enqueue(&app, email("ivo@example.org", "file")).await.unwrap().unwrap();

    // the app's own worker writes the file
    let deadline = tokio::time::Instant::now() + WAIT;
    let files = loop {
        let files: Vec<_> = std::fs::read_dir(app.mail_dir.path())
            .map(|dir| dir.map(|e| e.unwrap().path()).collect())
            .unwrap_or_default();
        if !files.is_empty() || tokio::time::Instant::now() > deadline {
            break files;
        }
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    };
    assert_eq!(files.len(), 1, "{files:?}");
    let path = &files[0];
    assert_eq!(path.extension().and_then(|e| e.to_str()), Some("eml"));
    assert!(path.file_name().unwrap().to_string_lossy().ends_with(&format!("-{id}.eml")));
    let mail = ReceivedMail { mail_from: String::new(), rcpt_to: Vec::new(), raw: std::fs::read(path).unwrap() };
    assert_eq!(mail.subject().as_deref(), Some("Bericht file"));
    assert_eq!(mail.to()[0].1, "ivo@example.org");
    assert!(mail.text().contains("Dit is bericht file."));
    // the file is written before the delivery is recorded: on a busy machine the UPDATE follows a moment later
    let mut status = row(&app, id).await.status;
    while status != MailStatus::Sent && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(StdDuration::from_millis(50)).await;
        status = row(&app, id).await.status;
    }
    assert_eq!(status, MailStatus::Sent);
    assert_eq!(app.smtp.count(), 0, "nothing went to SMTP");
}

#[tokio::test]
async fn the_apps_own_worker_delivers_the_email_of_a_registration() {
    let app = spawn_app().await;
    let response = app
        .post_json(
            "/api/v1/auth/register",
            &json!({
                "email": "Jan@Example.org",
                "name": "Jan Jansen",
                "password": "een lange zin als wachtwoord",
                "privacy_consent": true
            }),
        )
        .await;
    assert_eq!(response.status(), 201);
    let mail = app.last_mail_to("jan@example.org").await;
    assert_eq!(mail.subject().as_deref(), Some("Bevestig je e-mailadres"));
    assert!(mail.text().contains("Hallo Jan Jansen,"));
    let link = mail.link_to("/e-mail-bevestigen").unwrap_or_else(|| panic!("no confirmation link in {}", mail.text()));
    assert!(link.starts_with(&format!("{}/e-mail-bevestigen?token=", app.address)), "{link}");
    tokio::time::sleep(StdDuration::from_millis(300)).await;
    assert_eq!(app.smtp.messages_to("jan@example.org").len(), 1, "sent once");
}
