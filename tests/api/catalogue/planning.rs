//! Planning that forgives (issue 15): a session in the past is added to a published course
//! only when the coordinator says so on purpose (API flag `allow_past`, a checkbox on the
//! form); a failed "Bijeenkomst toevoegen" comes back at that form; two sessions of one
//! trainer at the same time are pointed out on the course page and on the trainer's list.

use chrono_tz::Europe::Amsterdam;
use serde_json::json;

use crate::common::{
    CourseSpec, Visitor, assert_invalid, field_error, hidden_input, local_at, section, session_at, spawn_app,
    visible_text,
};

#[tokio::test]
async fn the_api_adds_a_past_session_to_a_published_course_only_when_told_so() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(app, CourseSpec::new("Buurtgesprek", 12)).await;
    let path = format!("/api/v1/courses/{}/sessions", course.id);
    let (starts, ends) = session_at(local_at(-3, "19:30"));
    let body = json!({ "starts_at": starts, "ends_at": ends, "place": "Wijkcentrum" });

    let answer = coordinator.post_json(app, &path, &body).await;
    assert_eq!(assert_invalid(&answer, "starts_at"), "session-in-past");
    assert_eq!(app.int(&format!("SELECT count(*) AS v FROM course_sessions WHERE course_id = {}", course.id)).await, 1);
    // `false` is not a yes
    let mut unsure = body.clone();
    unsure["allow_past"] = json!(false);
    assert_eq!(assert_invalid(&coordinator.post_json(app, &path, &unsure).await, "starts_at"), "session-in-past");

    let mut meant = body.clone();
    meant["allow_past"] = json!(true);
    let (status, session) = coordinator.post_json(app, &path, &meant).await;
    assert_eq!(status, 201, "{session}");

    // a session still to come needs no flag, and neither does a draft (nobody is invited yet)
    let (starts, ends) = session_at(local_at(20, "19:30"));
    let (status, _) = coordinator
        .post_json(app, &path, &json!({ "starts_at": starts, "ends_at": ends, "place": "Wijkcentrum" }))
        .await;
    assert_eq!(status, 201);
    let draft = coordinator.create_course(app, CourseSpec::new("Concept", 12).draft()).await;
    let (status, _) = coordinator.post_json(app, &format!("/api/v1/courses/{}/sessions", draft.id), &body).await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn the_form_asks_to_confirm_a_past_session_and_comes_back_at_itself() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(app, CourseSpec::new("Energiecafé", 12)).await;
    let office = Visitor::logged_in(app, &coordinator);
    let manage = format!("/beheer/cursussen/{}", course.id);
    let page = office.page(&manage).await;
    // the form posts to an address with its own anchor: the answer opens at the form
    let action = format!("/beheer/cursussen/{}/sessies#sessie-toevoegen", course.id);
    assert!(page.contains(&format!("action=\"{action}\"")), "{page}");
    assert!(page.contains("id=\"sessie-toevoegen\""));
    assert!(!page.contains("id=\"allow_past\""), "no checkbox before it is needed");

    let day = local_at(-2, "19:30").with_timezone(&Amsterdam).format("%Y-%m-%d").to_string();
    let fields = [("date", day.as_str()), ("start_time", "19:30"), ("end_time", "21:30"), ("place", "Het Floreshuis")];
    let path = format!("/beheer/cursussen/{}/sessies", course.id);
    let response = office.submit(&manage, &path, &fields).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    let error = field_error(&page, "date").expect("an error at the date");
    assert!(error.contains("al voorbij"), "{error}");
    let summary = section(&page, "error-summary");
    assert!(summary.contains("href=\"#date\""), "{summary}");
    assert!(visible_text(summary).contains("Datum: deze datum en tijd zijn al voorbij."), "{summary}");
    assert!(page.contains("id=\"allow_past\""), "the checkbox to say it is meant");
    assert!(visible_text(&page).contains("Ja, deze bijeenkomst was al."));
    assert!(hidden_input(&page, "csrf_token").is_some());
    assert_eq!(app.int(&format!("SELECT count(*) AS v FROM course_sessions WHERE course_id = {}", course.id)).await, 1);

    let mut meant = fields.to_vec();
    meant.push(("allow_past", "ja"));
    let response = office.submit(&manage, &path, &meant).await;
    assert_eq!(response.status(), 303);
    assert_eq!(app.int(&format!("SELECT count(*) AS v FROM course_sessions WHERE course_id = {}", course.id)).await, 2);
}

#[tokio::test]
async fn two_sessions_of_one_trainer_at_the_same_time_are_pointed_out() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let evening = session_at(local_at(9, "19:30"));
    let overlapping = session_at(local_at(9, "20:30"));
    let later = session_at(local_at(16, "19:30"));
    let first = coordinator
        .create_course(app, CourseSpec::new("Ondermijning herkennen", 12).sessions(vec![evening, later]))
        .await;
    let second =
        coordinator.create_course(app, CourseSpec::new("Wijkvernieuwing", 12).sessions(vec![overlapping])).await;
    let tom = app.trainer("Tom Trainer").await;
    coordinator.assign_trainer(app, &first, &tom).await;
    let office = Visitor::logged_in(app, &coordinator);

    // one course alone: nothing to point out
    let page = office.page(&format!("/beheer/cursussen/{}", first.id)).await;
    assert!(!page.contains("class=\"warning\""), "{page}");

    coordinator.assign_trainer(app, &second, &tom).await;
    let page = office.page(&format!("/beheer/cursussen/{}", first.id)).await;
    let sessions = visible_text(section(&page, "sessies"));
    assert!(
        sessions.contains("Let op: Tom Trainer geeft op dat moment ook Wijkvernieuwing"),
        "a warning on the course page: {sessions}"
    );
    assert_eq!(page.matches("class=\"warning\"").count(), 1, "only the overlapping session: {sessions}");
    let page = office.page(&format!("/beheer/cursussen/{}", second.id)).await;
    assert!(visible_text(&page).contains("Tom Trainer geeft op dat moment ook Ondermijning herkennen"));

    let list = visible_text(&Visitor::logged_in(app, &tom).page("/mijn-trainingen").await);
    assert!(list.contains("Let op: op dat moment geef je ook Wijkvernieuwing"), "{list}");
    assert!(list.contains("Let op: op dat moment geef je ook Ondermijning herkennen"), "{list}");
    assert_eq!(list.matches("Let op").count(), 2, "{list}");

    // a cancelled session clashes with nothing
    let (status, _) = coordinator.cancel_session(app, second.session_ids[0]).await;
    assert_eq!(status, 200);
    let page = office.page(&format!("/beheer/cursussen/{}", first.id)).await;
    assert!(!page.contains("class=\"warning\""));
}
