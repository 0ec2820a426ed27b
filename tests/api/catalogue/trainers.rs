//! Trainers: coordinators assign users with role trainer or above to a course; trainers
//! see their sessions on "mijn trainingen".

use serde_json::{Value, json};

use crate::common::{ahead, assert_invalid, course_body, id, spawn_app};

fn trainer_names(course: &Value) -> Vec<String> {
    course["trainers"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn coordinators_assign_and_remove_trainers() {
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    let trainer = app.trainer("Tineke Trainer").await;
    let participant = app.participant("Piet Participant").await;
    let course = coordinator.published_course(&app, course_body("Gespreksleiding"), "2027-04-01", "beijum").await;
    let c = id(&course);
    let put = |user: i64| format!("/api/v1/courses/{c}/trainers/{user}");

    let (status, body) = coordinator.put(&app, &put(trainer.id)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["trainers"], json!([{"id": trainer.id, "name": "Tineke Trainer"}]));
    // again: still once
    let (status, body) = coordinator.put(&app, &put(trainer.id)).await;
    assert_eq!((status, trainer_names(&body)), (200, vec!["Tineke Trainer".to_owned()]));
    // a coordinator may train too ("trainer or above")
    let (status, body) = coordinator.put(&app, &put(coordinator.id)).await;
    assert_eq!(status, 200);
    assert_eq!(trainer_names(&body), ["Cora Coordinator", "Tineke Trainer"]);

    // a participant is not a trainer; an unknown user or course is not found
    let answer = coordinator.put(&app, &put(participant.id)).await;
    assert_eq!(assert_invalid(&answer, "user_id"), "not-a-trainer");
    let (status, _) = coordinator.put(&app, &put(999_999)).await;
    assert_eq!(status, 404);
    let (status, _) = coordinator.put(&app, &format!("/api/v1/courses/999999/trainers/{}", trainer.id)).await;
    assert_eq!(status, 404);

    // the public sees the trainers
    let (_, public) = app.get_json(&format!("/api/v1/courses/{c}")).await;
    assert_eq!(trainer_names(&public), ["Cora Coordinator", "Tineke Trainer"]);
    let page = app.page("/cursussen/gespreksleiding").await;
    assert!(page.contains("Cora Coordinator, Tineke Trainer"), "{page}");

    let (status, body) = coordinator.delete(&app, &put(coordinator.id)).await;
    assert_eq!((status, body), (204, Value::Null));
    let (status, _) = coordinator.delete(&app, &put(coordinator.id)).await;
    assert_eq!(status, 404, "not assigned any more");
    let (_, read) = app.get_json(&format!("/api/v1/courses/{c}")).await;
    assert_eq!(trainer_names(&read), ["Tineke Trainer"]);
}

#[tokio::test]
async fn trainers_see_their_coming_sessions_on_mijn_trainingen() {
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    let trainer = app.trainer("Tineke Trainer").await;
    let other = app.trainer("Otto Overig").await;

    let mine = coordinator.post_course(&app, course_body("Buurtbemiddeling")).await;
    coordinator.add_session(&app, id(&mine), "2024-02-01T19:30", "2024-02-01T21:30", "selwerd").await;
    coordinator.add_session(&app, id(&mine), &ahead("2027-02-04T19:30"), &ahead("2027-02-04T21:30"), "selwerd").await;
    coordinator.add_session(&app, id(&mine), &ahead("2027-02-11T10:00"), &ahead("2027-02-11T12:00"), "de-hoogte").await;
    coordinator.set_status(&app, id(&mine), "published").await;
    let theirs = coordinator.published_course(&app, course_body("Iemand anders"), &ahead("2027-02-05"), "beijum").await;
    for (course, who) in [(&mine, &trainer), (&theirs, &other)] {
        let (status, _) = coordinator.put(&app, &format!("/api/v1/courses/{}/trainers/{}", id(course), who.id)).await;
        assert_eq!(status, 200);
    }

    app.login_as(&trainer).await;
    let page = app.page("/mijn-trainingen").await;
    assert!(page.contains("Buurtbemiddeling"), "{page}");
    assert!(page.contains(r#"href="/cursussen/buurtbemiddeling""#), "{page}");
    assert!(page.contains(&ahead(" 4 februari 2027, 19:30–21:30")), "{page}");
    assert!(page.contains(&ahead(" 11 februari 2027, 10:00–12:00")), "{page}");
    assert!(!page.contains("februari 2024"), "past sessions are not listed: {page}");
    assert!(!page.contains("Iemand anders"), "only their own courses: {page}");
    let first = page.find(&ahead(" 4 februari 2027")).unwrap();
    assert!(first < page.find(&ahead(" 11 februari 2027")).unwrap(), "in order");
    assert!(page.contains(r#"href="/mijn-trainingen""#), "the menu offers the page to trainers");

    let participant = app.participant("Piet Participant").await;
    app.login_as(&participant).await;
    assert_eq!(app.get("/mijn-trainingen").await.status(), 403);
    let response = app.api_client.get(app.url("/mijn-trainingen")).send().await.unwrap();
    assert_eq!(response.status(), 303, "anonymous readers log in first");
}
