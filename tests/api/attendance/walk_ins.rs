//! Walk-ins: the trainer adds someone who came without enrolling. They are enrolled (over
//! the capacity if need be, never the waiting list), recorded as a walk-in, and marked
//! present, in one step; they are not expected at sessions before they walked in.

use serde_json::{Value, json};

use super::{Class, mark_of, roster_path};
use crate::common::{
    Answer, CourseSpec, Person, TestApp, Visitor, assert_invalid, field_error, local_at, location, section, spawn_app,
    visible_text,
};

fn walk_ins_path(session: i64) -> String {
    format!("/api/v1/sessions/{session}/walk-ins")
}

async fn walk_in(app: &TestApp, who: &Person, session: i64, body: Value) -> (u16, Value) {
    who.post_json(app, &walk_ins_path(session), &body).await
}

/// The roster entry of a person, by user id.
fn entry(roster: &Value, user: i64) -> Value {
    roster["items"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["user_id"] == user))
        .cloned()
        .unwrap_or_else(|| panic!("{user} not on the roster: {roster}"))
}

/// A class of two in a course for two (full), an earlier session eight days ago, the
/// session they walk into yesterday evening (inside the trainer's window at any hour), and
/// one to come (so the course is still open for enrolling).
async fn full_class(app: &TestApp) -> Class {
    let starts = [local_at(-8, "19:30"), local_at(-1, "19:30"), local_at(5, "19:30")];
    let class = Class::new(app, &["Ann Jansen", "Bob Bakker"], &starts).await;
    app.execute(&format!("UPDATE courses SET capacity = 2 WHERE id = {}", class.course.id)).await;
    class
}

#[tokio::test]
async fn an_existing_user_walks_into_a_full_course_and_is_enrolled_marked_and_expected_from_then_on() {
    let app = &spawn_app().await;
    let class = full_class(app).await;
    let dirk = app.participant("Dirk de Wit").await;
    let (earlier, today) = (class.session(0), class.session(1));

    let answer = walk_in(app, &class.trainer, today, json!({ "user_id": dirk.id })).await.expect_status(201);
    assert_eq!(answer["user_id"], dirk.id);
    assert_eq!(answer["name"], "Dirk de Wit");
    assert_eq!(answer["attendance"], "present");
    assert_eq!(answer["was"], Value::Null);
    assert_eq!(answer["enrolment"]["status"], "enrolled");
    assert_eq!(answer["enrolment"]["over_capacity"], true);

    let seats = app.seats(&class.course).await;
    let seat = seats.iter().find(|s| s.user_id == dirk.id).expect("a seat for Dirk");
    assert_eq!((seat.status.as_str(), seat.over_capacity), ("enrolled", true));
    assert_eq!(seats.iter().filter(|s| s.status == "enrolled").count(), 3, "beyond the capacity of 2");
    let history = app.history(&class.course).await;
    let last = history.last().expect("an event");
    assert_eq!((last.user_id, last.action.as_str(), last.actor_id), (dirk.id, "walk_in", Some(class.trainer.id)));

    let roster = class.trainer.get(app, &roster_path(today)).await.expect_status(200);
    assert_eq!(mark_of(&roster, &dirk), "present");
    assert_eq!(roster["counts"]["present"], 1);
    // at the session before they walked in they are on the roster, but not expected
    let before = class.trainer.get(app, &roster_path(earlier)).await.expect_status(200);
    assert_eq!(entry(&before, dirk.id)["expected"], false);
    assert_eq!(entry(&before, dirk.id)["attendance"], Value::Null);
    assert_eq!(entry(&before, class.people[0].id)["expected"], true);
    // and "absent-unmarked" there leaves them out
    let absent = format!("/api/v1/sessions/{earlier}/attendance/absent-unmarked");
    assert_eq!(class.trainer.post(app, &absent).await.expect_status(200)["marked"], 2);
    let before = class.trainer.get(app, &roster_path(earlier)).await.expect_status(200);
    assert_eq!(entry(&before, dirk.id)["attendance"], Value::Null);

    // walking in again just marks them: no second enrolment
    let roster = json!({ "marks": [{ "user_id": dirk.id, "status": "late" }] });
    class.trainer.call(app, reqwest::Method::PUT, &format!("/api/v1/sessions/{today}/attendance"), Some(&roster)).await;
    let again = walk_in(app, &class.trainer, today, json!({ "user_id": dirk.id })).await.expect_status(201);
    assert_eq!(again["was"], "enrolled");
    assert_eq!(app.seats(&class.course).await.len(), 3);
    let roster = class.trainer.get(app, &roster_path(today)).await.expect_status(200);
    assert_eq!(mark_of(&roster, &dirk), "present");
}

#[tokio::test]
async fn a_new_person_walks_in_and_gets_an_account_and_an_invitation() {
    let app = &spawn_app().await;
    let class = full_class(app).await;
    let session = class.session(1);

    let answer = walk_in(app, &class.trainer, session, json!({ "email": "Eva@Example.org", "name": "Eva Visser" }))
        .await
        .expect_status(201);
    assert_eq!(answer["name"], "Eva Visser");
    assert_eq!(answer["enrolment"]["status"], "enrolled");
    let eva = answer["user_id"].as_i64().expect("a user id");
    let invitation = app.mail_to("eva@example.org", "Je bent uitgenodigd").await;
    assert!(invitation.text().contains("/uitnodiging?token="), "{}", invitation.text());
    let roster = class.trainer.get(app, &roster_path(session)).await.expect_status(200);
    assert_eq!(entry(&roster, eva)["attendance"], "present");
    assert_eq!(entry(&roster, eva)["name"], "Eva Visser");

    // an address that has an account is that person: no second account, no invitation
    let fien = app.participant("Fien Smit").await;
    let answer = walk_in(app, &class.trainer, session, json!({ "email": fien.email, "name": "Wie Dan Ook" }))
        .await
        .expect_status(201);
    assert_eq!(answer["user_id"], fien.id);
    assert_eq!(answer["name"], "Fien Smit");
    assert_eq!(app.count_mail(&fien, "Je bent uitgenodigd").await, 0);

    assert_invalid(&walk_in(app, &class.trainer, session, json!({})).await, "user_id");
    assert_invalid(
        &walk_in(app, &class.trainer, session, json!({ "email": "geen-adres", "name": "X" })).await,
        "email",
    );
    assert_invalid(&walk_in(app, &class.trainer, session, json!({ "email": "gijs@example.org" })).await, "name");
    assert_invalid(&walk_in(app, &class.trainer, session, json!({ "user_id": 987654 })).await, "user_id");
}

#[tokio::test]
async fn a_waiting_person_who_walks_in_is_promoted() {
    let app = &spawn_app().await;
    let class = full_class(app).await;
    let session = class.session(1);
    let wim = app.participant("Wim Wachter").await;
    assert_eq!(wim.enrols_in(app, &class.course).await, "waitlisted");

    let answer = walk_in(app, &class.trainer, session, json!({ "user_id": wim.id })).await.expect_status(201);
    assert_eq!(answer["was"], "waitlisted");
    assert_eq!(answer["enrolment"]["status"], "enrolled");
    let seats = app.seats(&class.course).await;
    let seat = seats.iter().find(|s| s.user_id == wim.id).expect("Wim's seat");
    assert_eq!((seat.status.as_str(), seat.over_capacity), ("enrolled", true));
    let last = app.history(&class.course).await.pop().expect("an event");
    assert_eq!((last.user_id, last.action.as_str()), (wim.id, "walk_in"));
    assert_eq!(last.note.as_deref(), Some("from the waiting list, over capacity"));
    let roster = class.trainer.get(app, &roster_path(session)).await.expect_status(200);
    assert_eq!(mark_of(&roster, &wim), "present");
    assert!(app.mail_to(&wim, "").await.subject().is_some());
}

#[tokio::test]
async fn only_the_course_trainers_and_coordinators_add_walk_ins_and_never_to_a_cancelled_session() {
    let app = &spawn_app().await;
    let starts = [local_at(-20, "19:30"), local_at(-1, "19:30"), local_at(2, "19:30")];
    let class = Class::new(app, &["Ann Jansen"], &starts).await;
    let dirk = app.participant("Dirk de Wit").await;
    let tara = app.trainer("Tara Anders").await;
    let other = class.coordinator.create_course(app, CourseSpec::new("Democratisering", 5)).await;
    assert_eq!(class.coordinator.assign_trainer(app, &other, &tara).await.0, 200);
    let body = json!({ "user_id": dirk.id });

    assert_eq!(walk_in(app, &tara, class.session(1), body.clone()).await.0, 403);
    assert_eq!(walk_in(app, &dirk, class.session(1), body.clone()).await.0, 403);
    let (status, problem) = walk_in(app, &class.trainer, class.session(0), body.clone()).await;
    assert_eq!(status, 409, "{problem}");
    assert!(problem["detail"].as_str().is_some_and(|d| d.contains("14")), "outside the window: {problem}");
    assert_eq!(class.coordinator.cancel_session(app, class.session(2)).await.0, 200);
    assert_eq!(walk_in(app, &class.trainer, class.session(2), body.clone()).await.0, 409);
    assert_eq!(walk_in(app, &class.coordinator, class.session(2), body.clone()).await.0, 409);
    assert!(app.seats(&class.course).await.iter().all(|s| s.user_id != dirk.id), "nobody enrolled Dirk");
    assert_eq!(app.int("SELECT count(*)::bigint AS v FROM attendance_marks").await, 0);

    // a coordinator may add one at any time
    walk_in(app, &class.coordinator, class.session(0), body).await.expect_status(201);
}

#[tokio::test]
async fn the_trainer_finds_and_adds_walk_ins_on_the_roster_page_without_javascript() {
    let app = &spawn_app().await;
    let class = full_class(app).await;
    let page = format!("/mijn-trainingen/sessies/{}", class.session(1));
    let dirk = app.participant("Dirk de Wit").await;
    let gone = app.participant("Dirk Verdwenen").await;
    app.execute(&format!("UPDATE users SET anonymised_at = now() WHERE id = {}", gone.id)).await;
    let tom = Visitor::logged_in(app, &class.trainer);

    let html = tom.page(&format!("{page}?zoek=dirk")).await;
    let found = section(&html, "walk-in-title");
    assert!(found.contains("Dirk de Wit"), "{found}");
    assert!(!found.contains("Verdwenen"), "anonymised people are not found: {found}");
    assert!(!found.contains(&dirk.email), "names only: {found}");
    assert!(found.contains(&format!("name=\"user_id\" value=\"{}\"", dirk.id)), "{found}");
    // the people already enrolled are on the roster, not in the search
    let html = tom.page(&format!("{page}?zoek=ann")).await;
    assert!(visible_text(section(&html, "walk-in-title")).contains("Niemand gevonden"));

    let response = tom.get(&format!("{page}?zoek=d")).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap_or_default();
    assert!(html.contains("error-summary") && field_error(&html, "zoek").is_some(), "{html}");

    let dirk_id = dirk.id.to_string();
    let response = tom.submit(&page, &format!("{page}/inloop"), &[("user_id", dirk_id.as_str())]).await;
    assert_eq!(response.status(), 303);
    let html = tom.page(&location(&response)).await;
    assert!(visible_text(&html).contains("ingeschreven en staat op aanwezig"), "{}", visible_text(&html));
    assert!(html.contains(&format!("name=\"mark-{}\" value=\"present\" checked", dirk.id)), "{html}");

    // a new person needs a name: the form comes back with the error, the address kept
    let response = tom.submit(&page, &format!("{page}/inloop"), &[("name", ""), ("email", "eva@example.org")]).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap_or_default();
    assert!(field_error(&html, "name").is_some(), "{html}");
    assert!(html.contains("value=\"eva@example.org\""), "{html}");
    let response =
        tom.submit(&page, &format!("{page}/inloop"), &[("name", "Eva Visser"), ("email", "eva@example.org")]).await;
    assert_eq!(response.status(), 303);
    app.mail_to("eva@example.org", "Je bent uitgenodigd").await;
    assert!(tom.page(&page).await.contains("Eva Visser"));
}
