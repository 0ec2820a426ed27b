//! SMTP faults: the mail server away for a while and back; 4xx for some recipients and 5xx
//! for one. The retry schedule is shortened through `MAIL_RETRY_BASE_MS` (100 ms instead of
//! 15 s), so "a minute" of absence takes three seconds here with the same number of retries.

use std::time::{Duration, Instant};

use wijkmakers::auth::Role;
use wijkmakers::mail::model::MailStatus;

use crate::common::{AppOptions, CourseSpec, Stage, TestApp, spawn_app_with, visible_text};

async fn app_with_quick_retries() -> TestApp {
    spawn_app_with(AppOptions {
        tune: |config| config.mail_retry_base = chrono::Duration::milliseconds(100),
        ..AppOptions::default()
    })
    .await
}

/// Message-IDs of everything the sink accepted, each once; panics on a duplicate.
fn unique_message_ids(app: &TestApp) -> usize {
    let mut ids: Vec<String> = app.smtp.messages().iter().flat_map(|m| m.header_values("message-id")).collect();
    let all = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), all, "a Message-ID arrived twice");
    all
}

#[tokio::test]
async fn smtp_away_and_back_delivers_every_email_once() {
    let app = app_with_quick_retries().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(&app, CourseSpec::new("Klimaatadaptieve tuinen", 30)).await;
    let people = app.people("smtpweg", 20, Role::Participant).await;
    app.smtp.go_down().await;
    for person in &people {
        assert_eq!(person.enrol(&app, &course).await.0, 201);
    }
    let away = Instant::now();
    tokio::time::sleep(Duration::from_secs(3)).await;
    let tries = app.int("SELECT coalesce(max(attempts), 0)::bigint AS v FROM outbox").await;
    let pending = app
        .int("SELECT count(*) AS v FROM outbox WHERE status IN ('pending', 'sending') AND last_error IS NOT NULL")
        .await;
    assert_eq!(app.smtp.count(), 0);
    assert_eq!(pending, 20, "every email waits for a retry, with the error recorded");
    assert!(tries >= 3, "the worker kept trying while the server was away: {tries} attempts");
    assert_eq!(app.int("SELECT count(*) AS v FROM outbox WHERE status = 'failed'").await, 0, "nothing given up");

    app.smtp.come_up().await;
    let back = Instant::now();
    app.smtp.wait_for_count(20, Duration::from_secs(15)).await;
    let delivered = back.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_millis(500)).await;
    for person in &people {
        assert_eq!(app.smtp.messages_to(&person.email).len(), 1, "{} gets one email", person.email);
    }
    assert_eq!(unique_message_ids(&app), 20);
    assert_eq!(app.int("SELECT count(*) AS v FROM outbox WHERE status = 'sent'").await, 20);
    eprintln!(
        "SMTP away {:.1} s: up to {tries} attempts per email, 20 pending with their error, none failed; all 20 \
         delivered {delivered:.2} s after the server came back, each once",
        back.duration_since(away).as_secs_f64()
    );
}

#[tokio::test]
async fn busy_recipients_are_retried_and_a_refused_one_is_shown_without_holding_up_the_rest() {
    let app = app_with_quick_retries().await;
    app.expect_failed_mail();
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(&app, CourseSpec::new("Repair café", 30)).await;
    let people = app.people("ontvanger", 6, Role::Participant).await;
    let (busy, full, refused) = (&people[1], &people[2], &people[3]);
    app.smtp.fail_for(&busy.email, Stage::Rcpt, 450, "4.2.1 Mailbox busy, try later");
    app.smtp.fail_for(&full.email, Stage::Rcpt, 452, "4.2.2 Mailbox full");
    app.smtp.fail_for(&refused.email, Stage::Rcpt, 550, "5.1.1 No such user here");
    let start = Instant::now();
    for person in &people {
        assert_eq!(person.enrol(&app, &course).await.0, 201);
    }
    let fine: Vec<_> = people.iter().filter(|p| ![&busy.id, &full.id, &refused.id].contains(&&p.id)).collect();
    for person in &fine {
        app.smtp.wait_for(&person.email, 1, Duration::from_secs(10)).await;
    }
    let others_done = start.elapsed().as_secs_f64();

    // the 5xx is given up at once and recorded; the 4xx are tried again and again
    let deadline = Instant::now() + Duration::from_secs(10);
    let failed = loop {
        let messages = app.outbox().await;
        let refused_message = messages.iter().find(|m| m.recipient_email == refused.email).cloned();
        if let Some(message) = refused_message.filter(|m| m.status == MailStatus::Failed) {
            break message;
        }
        assert!(Instant::now() < deadline, "the 5xx was not recorded as failed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(failed.attempts, 1, "a 5xx is not retried");
    assert!(failed.last_error.as_deref().is_some_and(|e| e.contains("550")), "{:?}", failed.last_error);
    while app.smtp.rcpt_attempts(&busy.email) < 3 || app.smtp.rcpt_attempts(&full.email) < 3 {
        assert!(Instant::now() < deadline, "the 4xx recipients were not retried");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let busy_tries = app.smtp.rcpt_attempts(&busy.email);

    // the coordinator sees the failure on /beheer/e-mails
    app.login_as(&coordinator).await;
    let page = visible_text(&app.page("/beheer/e-mails?status=failed").await);
    assert!(page.contains(&refused.email), "the failed email is listed: {page}");
    assert!(page.contains("5.1.1 No such user here"), "with the server's answer: {page}");
    assert!(!page.contains(&busy.email), "a retried email is not listed as failed");

    app.smtp.heal();
    app.smtp.wait_for(&busy.email, 1, Duration::from_secs(15)).await;
    app.smtp.wait_for(&full.email, 1, Duration::from_secs(15)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    for person in [busy, full].into_iter().chain(fine.iter().copied()) {
        assert_eq!(app.smtp.messages_to(&person.email).len(), 1, "{} gets one email", person.email);
    }
    assert!(app.smtp.messages_to(&refused.email).is_empty());
    assert_eq!(unique_message_ids(&app), 5);
    eprintln!(
        "4xx/5xx: the three others delivered {others_done:.2} s after the enrolments; the 550 failed after 1 \
         attempt and is listed on /beheer/e-mails with its error; the 450 recipient was offered {busy_tries} \
         times before the server healed, then delivered once (also the 452)"
    );
}
