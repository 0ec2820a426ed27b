//! Reminders, 48 hours before each session: one per enrolled participant and session,
//! with place, time and a link to cancel; never twice, also when several instances run
//! the scheduler at the same moment.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Europe::Amsterdam;
use wijkmakers::auth::Role;
use wijkmakers::db::Db;
use wijkmakers::enrolment::reminders::queue_due;

use crate::common::{CourseSpec, Person, TestApp, local_at, session_at, spawn_app};

/// What one run of the scheduler queues at `now`, on `pool` (one app instance). The
/// scheduler's clock is `now`, so the tests put sessions at a fixed local time and run the
/// scheduler at moments counted back from them.
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
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let lead = app.config.reminder_lead;
    assert_eq!(lead, Duration::hours(48));
    // in three days at 14:00, and a week later: people enrol now, well before the reminders
    let course = coordinator
        .create_course(
            app,
            CourseSpec::new("Energiecoaches in actie", 2)
                .sessions(vec![session_at(local_at(3, "14:00")), session_at(local_at(10, "14:00"))]),
        )
        .await;
    let [ann, bob, cas] = <[_; 3]>::try_from(app.people("persoon", 3, Role::Participant).await).unwrap();
    for person in [&ann, &bob, &cas] {
        person.enrol(app, &course).await;
    }
    let now = course.session_starts[0] - Duration::hours(49);

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
    let mail = app.mail_to(&ann, "Herinnering: Energiecoaches in actie").await;
    let text = mail.text();
    assert!(text.contains(&format!("{}–{}", local(starts), local(starts + Duration::hours(2)))), "{text}");
    assert!(text.contains("Buurtcentrum De Oosterpoort, Voorbeeldstraat 1 (Oosterpoort)"), "{text}");
    assert!(text.contains("Schrijf je uit vóór"), "{text}");
    assert_eq!(mail.link_to("/mijn-cursussen"), Some(format!("{}/mijn-cursussen", app.address)), "{text}");
    app.mail_to(&bob, "Herinnering: Energiecoaches in actie").await;

    // the waiting list gets none, and the session next week is not due yet
    assert!(!app.outbox_subjects(&cas).await.iter().any(|s| s.starts_with("Herinnering")));
    assert_eq!(reminder_keys(app).await.len(), 2);
}

#[tokio::test]
async fn who_enrols_after_the_reminder_moment_gets_no_reminder() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator
        .create_course(app, CourseSpec::new("Overmorgen", 5).sessions(vec![session_at(local_at(2, "14:00"))]))
        .await;
    let [early, late] = <[_; 2]>::try_from(app.people("persoon", 2, Role::Participant).await).unwrap();
    early.enrol(app, &course).await;
    late.enrol(app, &course).await;
    // the scheduler runs 47 hours before the session, an hour after the reminder moment:
    // `early` enrolled two days before that, before the reminder moment; `late` enrolled
    // just then and just got the confirmation
    let now = course.session_starts[0] - Duration::hours(47);
    let enrolled_at = |person: &Person, at: DateTime<Utc>| {
        format!(
            "UPDATE enrolments SET enrolled_at = timestamptz '{at}', queued_at = timestamptz '{at}' WHERE user_id = {}",
            person.id,
            at = at.to_rfc3339()
        )
    };
    app.execute(&enrolled_at(&early, now - Duration::days(2))).await;
    app.execute(&enrolled_at(&late, now)).await;

    assert_eq!(run_scheduler(app, &app.pool, app.config.reminder_lead, now).await, 1);
    assert_eq!(reminder_keys(app).await, [format!("reminder:{}:{}", course.session_ids[0], early.id)]);
    let mail = app.mail_to(&early, "Herinnering: Overmorgen").await;
    // the deadline (24 hours before) is still ahead: the reminder says until when to cancel
    assert!(mail.text().contains("Schrijf je uit vóór"), "{}", mail.text());
    assert!(!app.outbox_subjects(&late).await.iter().any(|s| s.starts_with("Herinnering")));
}
