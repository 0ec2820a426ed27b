//! Trainers: coordinators assign users with role trainer or above to a course; trainers
//! see their sessions on "mijn trainingen".

use reqwest::Method;
use serde_json::{Value, json};
use wijkmakers::auth::Role;

use super::{add_session, ahead, call, course_body, create_course, get, id, person, published, set_status};
use crate::common::spawn_app;

fn trainer_names(course: &Value) -> Vec<String> {
    course["trainers"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn coordinators_assign_and_remove_trainers() {
    let app = spawn_app().await;
    let coordinator = person(&app, "Cora Coordinator", Role::Coordinator).await;
    let token = coordinator.token.as_str();
    let trainer = person(&app, "Tineke Trainer", Role::Trainer).await;
    let participant = person(&app, "Piet Participant", Role::Participant).await;
    let course = published(&app, token, course_body("Gespreksleiding"), "2027-04-01", "beijum").await;
    let c = id(&course);
    let put = |user: i64| format!("/api/v1/courses/{c}/trainers/{user}");

    let (status, body) = call(&app, Method::PUT, &put(trainer.id), None, Some(token)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["trainers"], json!([{"id": trainer.id, "name": "Tineke Trainer"}]));
    // again: still once
    let (status, body) = call(&app, Method::PUT, &put(trainer.id), None, Some(token)).await;
    assert_eq!((status, trainer_names(&body)), (200, vec!["Tineke Trainer".to_owned()]));
    // a coordinator may train too ("trainer or above")
    let (status, body) = call(&app, Method::PUT, &put(coordinator.id), None, Some(token)).await;
    assert_eq!(status, 200);
    assert_eq!(trainer_names(&body), ["Cora Coordinator", "Tineke Trainer"]);

    // a participant is not a trainer; an unknown user or course is not found
    let answer = call(&app, Method::PUT, &put(participant.id), None, Some(token)).await;
    assert_eq!(super::assert_invalid(&answer, "user_id"), "not-a-trainer");
    let (status, _) = call(&app, Method::PUT, &put(999_999), None, Some(token)).await;
    assert_eq!(status, 404);
    let (status, _) =
        call(&app, Method::PUT, &format!("/api/v1/courses/999999/trainers/{}", trainer.id), None, Some(token)).await;
    assert_eq!(status, 404);

    // the public sees the trainers
    let (_, public) = get(&app, &format!("/api/v1/courses/{c}"), None).await;
    assert_eq!(trainer_names(&public), ["Cora Coordinator", "Tineke Trainer"]);
    let page = app.page("/cursussen/gespreksleiding").await;
    assert!(page.contains("Cora Coordinator, Tineke Trainer"), "{page}");

    let (status, body) = call(&app, Method::DELETE, &put(coordinator.id), None, Some(token)).await;
    assert_eq!((status, body), (204, Value::Null));
    let (status, _) = call(&app, Method::DELETE, &put(coordinator.id), None, Some(token)).await;
    assert_eq!(status, 404, "not assigned any more");
    let (_, read) = get(&app, &format!("/api/v1/courses/{c}"), None).await;
    assert_eq!(trainer_names(&read), ["Tineke Trainer"]);
}

#[tokio::test]
async fn trainers_see_their_coming_sessions_on_mijn_trainingen() {
    let app = spawn_app().await;
    let token = person(&app, "Cora Coordinator", Role::Coordinator).await.token;
    let trainer = person(&app, "Tineke Trainer", Role::Trainer).await;
    let other = person(&app, "Otto Overig", Role::Trainer).await;

    let mine = create_course(&app, &token, course_body("Buurtbemiddeling")).await;
    add_session(&app, &token, id(&mine), "2024-02-01T19:30", "2024-02-01T21:30", "selwerd").await;
    add_session(&app, &token, id(&mine), &ahead("2027-02-04T19:30"), &ahead("2027-02-04T21:30"), "selwerd").await;
    add_session(&app, &token, id(&mine), &ahead("2027-02-11T10:00"), &ahead("2027-02-11T12:00"), "de-hoogte").await;
    set_status(&app, &token, id(&mine), "published").await;
    let theirs = published(&app, &token, course_body("Iemand anders"), &ahead("2027-02-05"), "beijum").await;
    for (course, who) in [(&mine, &trainer), (&theirs, &other)] {
        let (status, _) =
            call(&app, Method::PUT, &format!("/api/v1/courses/{}/trainers/{}", id(course), who.id), None, Some(&token))
                .await;
        assert_eq!(status, 200);
    }

    app.login(&trainer.email, super::PASSWORD).await;
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

    let participant = person(&app, "Piet Participant", Role::Participant).await;
    app.login(&participant.email, super::PASSWORD).await;
    assert_eq!(app.get("/mijn-trainingen").await.status(), 403);
    let response = app.api_client.get(app.url("/mijn-trainingen")).send().await.unwrap();
    assert_eq!(response.status(), 303, "anonymous readers log in first");
}
