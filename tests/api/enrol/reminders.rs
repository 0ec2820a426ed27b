//! Reminders, 48 hours before each session: one per enrolled participant and session,
//! with place, time and a link to cancel; never twice, also when several instances run
//! the scheduler at the same moment.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Europe::Amsterdam;
use wijkmakers::db::Db;
use wijkmakers::enrolment::reminders::queue_due;

use super::academy;
use crate::common::TestApp;
use crate::common::enrolment::{CourseSpec, enrol, mail_to, outbox_subjects, people, session_in};

/// What one run of the scheduler queues at `now`, on `pool` (one app instance).
async fn run_scheduler(app: &TestApp, pool: &Db, lead: Duration, now: DateTime<Utc>) -> usize {
    let site = app.config.site();
    pool.run(move |conn| queue_due(conn, &site, lead, now)).await.expect("queue the reminders")
}

/// The idempotency keys of the reminders in the outbox.
async fn reminder_keys(app: &TestApp) -> Vec<String> {
    let mut keys: Vec<String> =
        app.outbox().await.into_iter().map(|m| m.idempotency_key).filter(|k| k.starts_with("reminder:")).collect();
    keys.sort();
    keys
}

#[tokio::test]
async fn every_enrolled_participant_is_reminded_once_48_hours_before_each_session() {
    let academy = academy().await;
    let app = &academy.app;
    let lead = app.config.reminder_lead;
    assert_eq!(lead, Duration::hours(48));
    let course = academy
        .course(
            CourseSpec::new("Energiecoaches in actie", 2)
                .sessions(vec![session_in(Duration::hours(49)), session_in(Duration::days(8))]),
        )
        .await;
    let [ann, bob, cas] = <[_; 3]>::try_from(people(app, "persoon", 3, "participant", true).await).unwrap();
    for person in [&ann, &bob, &cas] {
        enrol(app, &course, person).await;
    }
    let now = Utc::now();

    // 49 hours before the first session: not yet; nor with a shorter lead
    assert_eq!(run_scheduler(app, &app.pool, lead, now).await, 0);
    let later = now + Duration::hours(2);
    assert_eq!(run_scheduler(app, &app.pool, Duration::hours(24), later).await, 0, "the lead is configurable");

    // two hours later it is 47 hours before: three instances run the scheduler at once
    let second = Db::connect(app.db.url(), 2).unwrap();
    let third = Db::connect(app.db.url(), 2).unwrap();
    let (a, b, c) = tokio::join!(
        run_scheduler(app, &app.pool, lead, later),
        run_scheduler(app, &second, lead, later),
        run_scheduler(app, &third, lead, later),
    );
    assert_eq!(a + b + c, 2, "one reminder each for ann and bob, whoever queued it");
    let session = course.session_ids[0];
    assert_eq!(
        reminder_keys(app).await,
        [format!("reminder:{session}:{}", ann.id), format!("reminder:{session}:{}", bob.id)]
    );
    assert_eq!(run_scheduler(app, &app.pool, lead, later).await, 0, "a second run queues nothing");
    assert_eq!(run_scheduler(app, &second, lead, later + Duration::minutes(30)).await, 0);

    // what the reminder says: course, time, place and how to cancel
    let starts = course.session_starts[0];
    let local = |t: DateTime<Utc>| t.with_timezone(&Amsterdam).format("%H:%M").to_string();
    let mail = mail_to(app, &ann.email, "Herinnering: Energiecoaches in actie").await;
    let text = mail.text();
    assert!(text.contains(&format!("{}–{}", local(starts), local(starts + Duration::hours(2)))), "{text}");
    assert!(text.contains("Buurtcentrum De Oosterpoort, Voorbeeldstraat 1 (Oosterpoort)"), "{text}");
    assert!(text.contains("Schrijf je uit vóór"), "{text}");
    assert_eq!(mail.link_to("/mijn-cursussen"), Some(format!("{}/mijn-cursussen", app.address)), "{text}");
    mail_to(app, &bob.email, "Herinnering: Energiecoaches in actie").await;

    // the waiting list gets none, and the session next week is not due yet
    assert!(!outbox_subjects(app, &cas.email).await.iter().any(|s| s.starts_with("Herinnering")));
    assert_eq!(reminder_keys(app).await.len(), 2);
}

#[tokio::test]
async fn who_enrols_after_the_reminder_moment_gets_no_reminder() {
    let academy = academy().await;
    let app = &academy.app;
    let course = academy.course(CourseSpec::new("Overmorgen", 5).sessions(vec![session_in(Duration::hours(47))])).await;
    let [early, late] = <[_; 2]>::try_from(people(app, "persoon", 2, "participant", true).await).unwrap();
    enrol(app, &course, &early).await;
    enrol(app, &course, &late).await;
    // time passes: `early` enrolled two days ago, before the reminder moment (an hour ago);
    // `late` enrolled just now and just got the confirmation
    app.execute(&format!(
        "UPDATE enrolments SET enrolled_at = now() - interval '2 days', queued_at = now() - interval '2 days'
         WHERE user_id = {}",
        early.id
    ))
    .await;

    assert_eq!(run_scheduler(app, &app.pool, app.config.reminder_lead, Utc::now()).await, 1);
    assert_eq!(reminder_keys(app).await, [format!("reminder:{}:{}", course.session_ids[0], early.id)]);
    let mail = mail_to(app, &early.email, "Herinnering: Overmorgen").await;
    // the deadline (24 hours before) is still ahead: the reminder says until when to cancel
    assert!(mail.text().contains("Schrijf je uit vóór"), "{}", mail.text());
    assert!(!outbox_subjects(app, &late.email).await.iter().any(|s| s.starts_with("Herinnering")));
}
