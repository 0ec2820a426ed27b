//! Apologies in advance: "ik kan er niet bij zijn" makes the mark `excused`, the trainer sees
//! it on the roster, it can be taken back until the start, and a trainer's later mark stays.

use serde_json::{Value, json};

use super::{Class, history_path, mark, mark_of, roster_path};
use crate::common::{Answer, CourseSpec, Person, TestApp, assert_invalid, local_at, session_at, spawn_app};

pub fn apology_path(session: i64) -> String {
    format!("/api/v1/sessions/{session}/apology")
}

/// The roster's apology of a person (`null` when none).
fn apology_of(roster: &Value, person: &Person) -> Value {
    roster["items"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["user_id"] == person.id))
        .map(|i| i["apology"].clone())
        .unwrap_or_else(|| panic!("{} not on the roster: {roster}", person.name))
}

async fn history_of(app: &TestApp, who: &Person, session: i64, of: &Person) -> Vec<Value> {
    let history = who.get(app, &history_path(session)).await.expect_status(200);
    history["items"].as_array().unwrap().iter().filter(|c| c["user_id"] == of.id).cloned().collect()
}

#[tokio::test]
async fn an_apology_becomes_excused_and_the_trainer_sees_it_on_the_roster() {
    let app = &spawn_app().await;
    let class = Class::new(app, &["Ann Jansen", "Bob Bakker"], &[local_at(3, "19:30")]).await;
    let (ann, bob) = (&class.people[0], &class.people[1]);
    let session = class.session(0);

    let given = ann.post_json(app, &apology_path(session), &json!({"reason": "  Ik ben op vakantie "})).await;
    let given = given.expect_status(201);
    assert_eq!((given["session_id"].clone(), given["reason"].clone()), (json!(session), json!("Ik ben op vakantie")));
    let at = given["at"].as_str().expect("at").to_owned();

    let roster = class.trainer.get(app, &roster_path(session)).await.expect_status(200);
    assert_eq!(mark_of(&roster, ann), "excused");
    assert_eq!(apology_of(&roster, ann), json!({"reason": "Ik ben op vakantie", "at": at}));
    assert_eq!((mark_of(&roster, bob), apology_of(&roster, bob)), (Value::Null, Value::Null));
    assert_eq!(roster["counts"]["excused"], 1);
    let changes = history_of(app, &class.trainer, session, ann).await;
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!((changes[0]["old"].clone(), changes[0]["new"].clone()), (Value::Null, json!("excused")));
    assert_eq!(changes[0]["by"], ann.id, "made by the participant");
    assert!(changes[0]["note"].as_str().is_some_and(|n| n.contains("Afmelding vooraf")), "{changes:?}");

    // giving it again only changes the reason: 200, the same moment, no new history
    let again = ann.post_json(app, &apology_path(session), &json!({"reason": "Oppas valt uit"})).await;
    assert_eq!(again.expect_status(200), json!({"session_id": session, "reason": "Oppas valt uit", "at": at}));
    assert_eq!(history_of(app, &class.trainer, session, ann).await.len(), 1);
    // without a body (or a reason) it is an apology without a reason
    assert_eq!(bob.post(app, &apology_path(session)).await.expect_status(201)["reason"], Value::Null);

    // a reason that is too long is refused, naming the field
    let long = "x".repeat(501);
    let answer = ann.post_json(app, &apology_path(session), &json!({"reason": long})).await;
    assert_invalid(&answer, "reason");

    // the trainer (here the coordinator, before the trainer's window) can still change it
    mark(app, &class.coordinator, session, &[(ann, "present")]).await.expect_status(200);
    let roster = class.trainer.get(app, &roster_path(session)).await.expect_status(200);
    assert_eq!(mark_of(&roster, ann), "present");
    assert_eq!(apology_of(&roster, ann)["reason"], "Oppas valt uit");
    let changes = history_of(app, &class.coordinator, session, ann).await;
    assert_eq!(changes.last().unwrap()["by"], class.coordinator.id);
}

#[tokio::test]
async fn taking_an_apology_back_before_the_start_removes_its_mark() {
    let app = &spawn_app().await;
    let class = Class::new(app, &["Ann Jansen"], &[local_at(3, "19:30")]).await;
    let ann = &class.people[0];
    let session = class.session(0);

    ann.post_json(app, &apology_path(session), &json!({"reason": "Ziek"})).await.expect_status(201);
    assert_eq!(ann.delete(app, &apology_path(session)).await.0, 204);
    let roster = class.trainer.get(app, &roster_path(session)).await.expect_status(200);
    assert_eq!((mark_of(&roster, ann), apology_of(&roster, ann)), (Value::Null, Value::Null));
    assert_eq!(roster["counts"]["not_marked"], 1);
    let steps: Vec<(Value, Value, Value)> = history_of(app, &class.trainer, session, ann)
        .await
        .iter()
        .map(|c| (c["old"].clone(), c["new"].clone(), c["by"].clone()))
        .collect();
    assert_eq!(
        steps,
        vec![(Value::Null, json!("excused"), json!(ann.id)), (json!("excused"), Value::Null, json!(ann.id))],
        "the history keeps both"
    );
    // taking back what is not there changes nothing
    assert_eq!(ann.delete(app, &apology_path(session)).await.0, 204);
    assert_eq!(history_of(app, &class.trainer, session, ann).await.len(), 2);
}

#[tokio::test]
async fn a_trainers_later_mark_survives_taking_the_apology_back() {
    let app = &spawn_app().await;
    let class = Class::new(app, &["Ann Jansen"], &[local_at(3, "19:30")]).await;
    let ann = &class.people[0];
    let session = class.session(0);

    ann.post(app, &apology_path(session)).await.expect_status(201);
    mark(app, &class.coordinator, session, &[(ann, "absent")]).await.expect_status(200);
    assert_eq!(ann.delete(app, &apology_path(session)).await.0, 204);
    let roster = class.trainer.get(app, &roster_path(session)).await.expect_status(200);
    assert_eq!((mark_of(&roster, ann), apology_of(&roster, ann)), (json!("absent"), Value::Null));
    assert_eq!(history_of(app, &class.trainer, session, ann).await.len(), 2, "no removal in the history");

    // even a trainer's `excused` is theirs, not the apology's: it stays too
    ann.post(app, &apology_path(session)).await.expect_status(201);
    mark(app, &class.coordinator, session, &[(ann, "present")]).await.expect_status(200);
    mark(app, &class.coordinator, session, &[(ann, "excused")]).await.expect_status(200);
    assert_eq!(ann.delete(app, &apology_path(session)).await.0, 204);
    let roster = class.trainer.get(app, &roster_path(session)).await.expect_status(200);
    assert_eq!(mark_of(&roster, ann), "excused");
}

#[tokio::test]
async fn apologies_are_refused_after_the_start_and_for_a_cancelled_session() {
    let app = &spawn_app().await;
    let starts = [local_at(-1, "19:30"), local_at(3, "19:30"), local_at(4, "19:30")];
    let class = Class::new(app, &["Ann Jansen"], &starts).await;
    let ann = &class.people[0];

    let (status, body) = ann.post(app, &apology_path(class.session(0))).await;
    assert_eq!(status, 409, "{body}");
    assert!(body["detail"].as_str().is_some_and(|d| d.contains("begonnen")), "{body}");
    assert_eq!(ann.delete(app, &apology_path(class.session(0))).await.0, 409);

    // given in time, the session then starts: it can no longer be taken back
    ann.post(app, &apology_path(class.session(1))).await.expect_status(201);
    let (from, to) = session_at(local_at(-2, "10:00"));
    let id = class.session(1);
    app.execute(&format!("UPDATE course_sessions SET starts_at = '{from}', ends_at = '{to}' WHERE id = {id}")).await;
    assert_eq!(ann.delete(app, &apology_path(id)).await.0, 409);
    let roster = class.trainer.get(app, &roster_path(id)).await.expect_status(200);
    assert_eq!(mark_of(&roster, ann), "excused");
    assert!(apology_of(&roster, ann).is_object());

    assert_eq!(class.coordinator.cancel_session(app, class.session(2)).await.0, 200);
    assert_eq!(ann.post(app, &apology_path(class.session(2))).await.0, 409);
}

#[tokio::test]
async fn only_the_enrolled_apologise_and_only_for_their_own_course() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator
        .create_course(app, CourseSpec::new("Democratisering", 1).sessions(vec![session_at(local_at(10, "19:30"))]))
        .await;
    let (ann, wim, cara) =
        (app.participant("Ann").await, app.participant("Wim Wachter").await, app.participant("Cara").await);
    assert_eq!(ann.enrols_in(app, &course).await, "enrolled");
    assert_eq!(wim.enrols_in(app, &course).await, "waitlisted");
    let session = course.session_ids[0];

    assert_eq!(wim.post(app, &apology_path(session)).await.0, 403, "waitlisted");
    assert_eq!(wim.delete(app, &apology_path(session)).await.0, 403);
    assert_eq!(cara.post(app, &apology_path(session)).await.0, 403, "someone else's course");
    assert_eq!(cara.post(app, &apology_path(999_999)).await.0, 404);
    assert_eq!(app.int("SELECT count(*)::bigint AS v FROM apologies").await, 0);
    assert_eq!(app.int("SELECT count(*)::bigint AS v FROM attendance_marks").await, 0);

    // after cancelling, one is no longer in the course
    assert_eq!(ann.post(app, &apology_path(session)).await.0, 201);
    assert_eq!(ann.cancel(app, &course).await.0, 200);
    assert_eq!(ann.post(app, &apology_path(session)).await.0, 403);
}
