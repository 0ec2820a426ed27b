//! Marking a session: who may, when, whom; the history; "absent-unmarked"; who is expected.

use serde_json::{Value, json};

use super::{Class, absent_path, history_path, mark, mark_of, marks_path, roster_path};
use crate::common::{Answer, CourseSpec, Person, assert_invalid, local_at, spawn_app};

#[tokio::test]
async fn only_the_course_trainers_and_coordinators_see_and_mark_the_roster() {
    let app = &spawn_app().await;
    let class = Class::new(app, &["Ann Jansen", "Bob Bakker"], &[local_at(-1, "19:30")]).await;
    let ann = &class.people[0];
    let session = class.session(0);
    let tara = app.trainer("Tara Anders").await;
    let other = class.coordinator.create_course(app, CourseSpec::new("Democratisering", 5)).await;
    assert_eq!(class.coordinator.assign_trainer(app, &other, &tara).await.0, 200);

    assert_eq!(tara.get(app, &roster_path(session)).await.0, 403);
    assert_eq!(mark(app, &tara, session, &[(ann, "present")]).await.0, 403);
    assert_eq!(tara.post(app, &absent_path(session)).await.0, 403);
    assert_eq!(tara.get(app, &history_path(session)).await.0, 403);
    assert_eq!(ann.get(app, &roster_path(session)).await.0, 403);
    assert_eq!(mark(app, ann, session, &[(ann, "present")]).await.0, 403);
    assert_eq!(app.int("SELECT count(*)::bigint AS v FROM attendance_marks").await, 0);

    let roster = mark(app, &class.trainer, session, &[(ann, "present")]).await.expect_status(200);
    assert_eq!(mark_of(&roster, ann), "present");
    let roster = class.coordinator.get(app, &roster_path(session)).await.expect_status(200);
    assert_eq!(roster["counts"], json!({"present": 1, "late": 0, "excused": 0, "absent": 0, "not_marked": 1}));
    assert_eq!(mark_of(&roster, &class.people[1]), Value::Null);
}

#[tokio::test]
async fn trainers_mark_only_inside_the_window_and_nobody_marks_a_cancelled_session() {
    let app = &spawn_app().await;
    let starts = [local_at(-20, "19:30"), local_at(3, "19:30"), local_at(-1, "19:30")];
    let class = Class::new(app, &["Ann Jansen"], &starts).await;
    let ann = &class.people[0];
    let (trainer, coordinator) = (&class.trainer, &class.coordinator);

    // 20 days ago is past the 14 days after the end; 3 days ahead is before the 30 minutes.
    for session in [class.session(0), class.session(1)] {
        let (status, body) = mark(app, trainer, session, &[(ann, "present")]).await;
        assert_eq!(status, 409, "session {session}: {body}");
        assert!(body["detail"].as_str().is_some_and(|d| d.contains("14")), "{body}");
    }
    assert_eq!(mark(app, coordinator, class.session(0), &[(ann, "late")]).await.0, 200);
    assert_eq!(mark(app, coordinator, class.session(1), &[(ann, "excused")]).await.0, 200);
    assert_eq!(mark(app, trainer, class.session(2), &[(ann, "present")]).await.0, 200);

    app.execute(&format!("UPDATE course_sessions SET status = 'cancelled' WHERE id = {}", class.session(2))).await;
    for who in [trainer, coordinator] {
        assert_eq!(mark(app, who, class.session(2), &[(ann, "absent")]).await.0, 409);
        assert_eq!(who.post(app, &absent_path(class.session(2))).await.0, 409);
    }
    let roster = trainer.get(app, &roster_path(class.session(2))).await.expect_status(200);
    assert_eq!(roster["cancelled"], true);
    assert_eq!(roster["can_mark"], false);
    assert_eq!(mark_of(&roster, ann), "present");
}

#[tokio::test]
async fn every_change_is_kept_in_the_history() {
    let app = &spawn_app().await;
    let class = Class::new(app, &["Ann Jansen", "Bob Bakker"], &[local_at(-1, "19:30")]).await;
    let (ann, bob) = (&class.people[0], &class.people[1]);
    let session = class.session(0);
    let (trainer, coordinator) = (&class.trainer, &class.coordinator);

    mark(app, trainer, session, &[(ann, "present"), (bob, "present")]).await.expect_status(200);
    // the same mark again changes nothing, so it is no change in the history
    mark(app, trainer, session, &[(ann, "present")]).await.expect_status(200);
    mark(app, trainer, session, &[(ann, "late")]).await.expect_status(200);
    let body = json!({"marks": [{"user_id": ann.id, "status": "excused", "note": "Had het vooraf gemeld"}]});
    coordinator.call(app, reqwest::Method::PUT, &marks_path(session), Some(&body)).await.expect_status(200);

    let history = trainer.get(app, &history_path(session)).await.expect_status(200);
    let of_ann: Vec<&Value> = history["items"].as_array().unwrap().iter().filter(|c| c["user_id"] == ann.id).collect();
    let steps: Vec<(Value, Value, Value)> =
        of_ann.iter().map(|c| (c["old"].clone(), c["new"].clone(), c["by"].clone())).collect();
    assert_eq!(
        steps,
        vec![
            (Value::Null, json!("present"), json!(trainer.id)),
            (json!("present"), json!("late"), json!(trainer.id)),
            (json!("late"), json!("excused"), json!(coordinator.id)),
        ]
    );
    assert_eq!(of_ann[2]["note"], "Had het vooraf gemeld");
    assert!(of_ann.iter().all(|c| c["at"].as_str().is_some()));
    assert_eq!(history["items"].as_array().unwrap().len(), 4, "{history}");
    let roster = trainer.get(app, &roster_path(session)).await.expect_status(200);
    assert_eq!(mark_of(&roster, ann), "excused");
}

#[tokio::test]
async fn absent_unmarked_fills_only_the_unmarked_and_only_after_the_start() {
    let app = &spawn_app().await;
    let starts = [local_at(-1, "19:30"), local_at(3, "19:30")];
    let class = Class::new(app, &["Ann Jansen", "Bob Bakker", "Cara de Vries"], &starts).await;
    let (ann, bob, cara) = (&class.people[0], &class.people[1], &class.people[2]);
    let session = class.session(0);
    let trainer = &class.trainer;

    mark(app, trainer, session, &[(ann, "present"), (bob, "excused")]).await.expect_status(200);
    let marked = trainer.post(app, &absent_path(session)).await.expect_status(200);
    assert_eq!(marked, json!({"marked": 1}));
    let roster = trainer.get(app, &roster_path(session)).await.expect_status(200);
    assert_eq!(
        (mark_of(&roster, ann), mark_of(&roster, bob), mark_of(&roster, cara)),
        (json!("present"), json!("excused"), json!("absent"))
    );
    assert_eq!(trainer.post(app, &absent_path(session)).await.expect_status(200), json!({"marked": 0}));
    assert_eq!(trainer.get(app, &history_path(session)).await.1["items"].as_array().unwrap().len(), 3);

    let (status, body) = class.coordinator.post(app, &absent_path(class.session(1))).await;
    assert_eq!(status, 409, "not started: {body}");
}

#[tokio::test]
async fn someone_who_joined_late_is_not_expected_at_earlier_sessions() {
    let app = &spawn_app().await;
    let starts = [local_at(-7, "19:30"), local_at(-1, "19:30")];
    let class = Class::new(app, &["Ann Jansen", "Dirk Late"], &starts).await;
    let (ann, dirk) = (&class.people[0], &class.people[1]);
    let joined = local_at(-3, "12:00").to_rfc3339();
    app.execute(&format!("UPDATE enrolments SET enrolled_at = '{joined}' WHERE user_id = {}", dirk.id)).await;
    let trainer = &class.trainer;

    let roster = trainer.get(app, &roster_path(class.session(0))).await.expect_status(200);
    let expected = |roster: &Value, who: &Person| {
        roster["items"].as_array().unwrap().iter().find(|i| i["user_id"] == who.id).unwrap()["expected"].clone()
    };
    assert_eq!((expected(&roster, ann), expected(&roster, dirk)), (json!(true), json!(false)));
    assert_eq!(trainer.post(app, &absent_path(class.session(0))).await.expect_status(200), json!({"marked": 1}));
    let roster = trainer.get(app, &roster_path(class.session(0))).await.expect_status(200);
    assert_eq!((mark_of(&roster, ann), mark_of(&roster, dirk)), (json!("absent"), Value::Null));

    let roster = trainer.get(app, &roster_path(class.session(1))).await.expect_status(200);
    assert_eq!(expected(&roster, dirk), json!(true));
    assert_eq!(trainer.post(app, &absent_path(class.session(1))).await.expect_status(200), json!({"marked": 2}));
}

#[tokio::test]
async fn one_wrong_mark_rejects_the_whole_request_naming_it() {
    let app = &spawn_app().await;
    let class = Class::new(app, &["Ann Jansen", "Bob Bakker", "Cara de Vries"], &[local_at(-1, "19:30")]).await;
    let (ann, bob, cara) = (&class.people[0], &class.people[1], &class.people[2]);
    let session = class.session(0);
    let trainer = &class.trainer;
    let put =
        |body: Value| async move { trainer.call(app, reqwest::Method::PUT, &marks_path(session), Some(&body)).await };

    let body = json!({"marks": [
        {"user_id": ann.id, "status": "present"},
        {"user_id": bob.id, "status": "late"},
        {"user_id": cara.id, "status": "misschien"},
    ]});
    assert_eq!(assert_invalid(&put(body).await, "marks[2].status"), "type");

    app.execute(&format!("UPDATE enrolments SET status = 'waitlisted' WHERE user_id = {}", bob.id)).await;
    let stranger = app.participant("Eva Onbekend").await;
    let answer = mark(app, trainer, session, &[(ann, "present"), (bob, "late"), (&stranger, "present")]).await;
    assert_eq!(assert_invalid(&answer, "marks[1].user_id"), "not-enrolled");
    assert_eq!(assert_invalid(&answer, "marks[2].user_id"), "unknown");
    let answer = mark(app, trainer, session, &[(ann, "present"), (ann, "late")]).await;
    assert_eq!(assert_invalid(&answer, "marks[1].user_id"), "duplicate");

    assert_eq!(app.int("SELECT count(*)::bigint AS v FROM attendance_marks").await, 0);
    assert_eq!(app.int("SELECT count(*)::bigint AS v FROM attendance_history").await, 0);
    let roster = trainer.get(app, &roster_path(session)).await.expect_status(200);
    assert!(roster["items"].as_array().unwrap().iter().all(|i| i["user_id"] != bob.id), "waiting: not on the roster");
}

#[tokio::test]
async fn two_trainers_marking_at_once_lose_no_mark_and_keep_a_consistent_history() {
    let app = &spawn_app().await;
    let names: Vec<String> = (0..12).map(|i| format!("Deelnemer {i:02}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let class = Class::new(app, &names, &[local_at(-1, "19:30")]).await;
    let session = class.session(0);
    let tina = app.trainer("Tina Tweede").await;
    assert_eq!(class.coordinator.assign_trainer(app, &class.course, &tina).await.0, 200);
    let people = &class.people;

    for round in 0..4 {
        // Tom marks the first eight, Tina the last eight: the middle four get both.
        let (first, second) = if round % 2 == 0 { ("present", "late") } else { ("absent", "excused") };
        let toms: Vec<_> = people[..8].iter().map(|p| (p, first)).collect();
        let tinas: Vec<_> = people[4..].iter().map(|p| (p, second)).collect();
        let (a, b) = tokio::join!(mark(app, &class.trainer, session, &toms), mark(app, &tina, session, &tinas));
        assert_eq!((a.0, b.0), (200, 200), "{} {}", a.1, b.1);
    }

    let roster = class.coordinator.get(app, &roster_path(session)).await.expect_status(200);
    assert_eq!(roster["counts"]["not_marked"], 0, "{roster}");
    let history = class.coordinator.get(app, &history_path(session)).await.expect_status(200);
    for person in people {
        let chain: Vec<&Value> =
            history["items"].as_array().unwrap().iter().filter(|c| c["user_id"] == person.id).collect();
        assert_eq!(chain[0]["old"], Value::Null, "{}: {history}", person.name);
        for pair in chain.windows(2) {
            assert_eq!(pair[1]["old"], pair[0]["new"], "{}: a broken chain {history}", person.name);
        }
        assert_eq!(chain.last().unwrap()["new"], mark_of(&roster, person), "{}", person.name);
    }
}
