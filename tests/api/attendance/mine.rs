//! A participant's own marks and rates: `GET /api/v1/me/attendance` and "Mijn cursussen",
//! where "ik kan er niet bij zijn" works as a plain form (no JavaScript, with CSRF).

use serde_json::{Value, json};

use super::apologies::apology_path;
use super::{Class, mark, mark_of, roster_path};
use crate::common::{
    Answer, CourseSpec, TestApp, Visitor, field_error, local_at, location, session_at, spawn_app, visible_text,
};

/// Four sessions held (10, 8, 6 and 4 days ago) and one to come (in 5 days).
async fn class_with_four_held(app: &TestApp) -> Class {
    let starts = [-10, -8, -6, -4, 5].map(|d| local_at(d, "19:30"));
    let class = Class::new(app, &["Ann Jansen", "Dirk Laat"], &starts).await;
    let (ann, dirk) = (&class.people[0], &class.people[1]);
    // Dirk joined 7 days ago: the first two sessions were before his time
    let joined = local_at(-7, "12:00").to_rfc3339();
    app.execute(&format!("UPDATE enrolments SET enrolled_at = '{joined}' WHERE user_id = {}", dirk.id)).await;
    let c = &class.coordinator;
    mark(app, c, class.session(0), &[(ann, "present")]).await.expect_status(200);
    mark(app, c, class.session(1), &[(ann, "late")]).await.expect_status(200);
    mark(app, c, class.session(2), &[(ann, "excused"), (dirk, "present")]).await.expect_status(200);
    mark(app, c, class.session(3), &[(ann, "absent"), (dirk, "absent")]).await.expect_status(200);
    class
}

fn course_of(mine: &Value, course: i64) -> &Value {
    mine["items"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["course_id"] == course))
        .unwrap_or_else(|| panic!("course {course} not in {mine}"))
}

#[tokio::test]
async fn my_attendance_has_both_rates_on_a_hand_computed_case() {
    let app = &spawn_app().await;
    let class = class_with_four_held(app).await;
    let (ann, dirk) = (&class.people[0], &class.people[1]);
    ann.post_json(app, &apology_path(class.session(4)), &json!({"reason": "Bruiloft"})).await.expect_status(201);

    let mine = ann.get(app, "/api/v1/me/attendance").await.expect_status(200);
    assert_eq!(mine["items"].as_array().unwrap().len(), 1, "{mine}");
    let course = course_of(&mine, class.course.id);
    assert_eq!(course["course_title"], "Energiecoach worden");
    // present, late, excused, absent: (1 + 1) / 4 attended, (1 + 1 + 1) / 4 committed
    assert_eq!((course["attendance_rate"].as_f64(), course["commitment_rate"].as_f64()), (Some(0.5), Some(0.75)));
    let counts =
        ["sessions_expected", "sessions_attended", "sessions_excused", "sessions_absent"].map(|k| course[k].clone());
    assert_eq!(counts, [json!(4), json!(2), json!(1), json!(1)]);
    assert_eq!(course["completed"], false, "the course is not over");
    let marks: Vec<Value> = course["sessions"].as_array().unwrap().iter().map(|s| s["mark"].clone()).collect();
    assert_eq!(marks, vec![json!("present"), json!("late"), json!("excused"), json!("absent"), json!("excused")]);
    let coming = &course["sessions"][4];
    assert_eq!(coming["session_id"], class.session(4));
    assert_eq!(coming["apology"]["reason"], "Bruiloft");
    assert!(coming["starts_at"].as_str().is_some() && coming["ends_at"].as_str().is_some());
    assert_eq!(course["sessions"][0]["apology"], Value::Null);

    // Dirk joined late: not expected at the first two, 1 of 2 attended
    let mine = dirk.get(app, "/api/v1/me/attendance").await.expect_status(200);
    let course = course_of(&mine, class.course.id);
    let marks: Vec<Value> = course["sessions"].as_array().unwrap().iter().map(|s| s["mark"].clone()).collect();
    assert_eq!(
        marks,
        vec![json!("not_expected"), json!("not_expected"), json!("present"), json!("absent"), Value::Null]
    );
    assert_eq!((course["attendance_rate"].as_f64(), course["sessions_expected"].as_i64()), (Some(0.5), Some(2)));

    // someone without courses has none; the API needs a login
    let cara = app.participant("Cara").await;
    assert_eq!(cara.get(app, "/api/v1/me/attendance").await.expect_status(200), json!({"items": []}));
    assert_eq!(app.api(reqwest::Method::GET, "/api/v1/me/attendance", None, None).await.status(), 401);
}

#[tokio::test]
async fn a_course_left_after_being_marked_stays_and_a_waiting_list_does_not_show() {
    let app = &spawn_app().await;
    let class = Class::new(app, &["Ann Jansen"], &[local_at(-2, "19:30"), local_at(6, "19:30")]).await;
    let ann = &class.people[0];
    mark(app, &class.coordinator, class.session(0), &[(ann, "present")]).await.expect_status(200);
    let left = chrono::Utc::now().to_rfc3339();
    app.execute(&format!(
        "UPDATE enrolments SET status = 'cancelled', cancelled_at = '{left}' WHERE user_id = {}",
        ann.id
    ))
    .await;
    let coming = vec![session_at(local_at(9, "19:30"))];
    let full = class.coordinator.create_course(app, CourseSpec::new("Vol", 1).sessions(coming.clone())).await;
    let bob = app.participant("Bob").await;
    assert_eq!(bob.enrols_in(app, &full).await, "enrolled");
    assert_eq!(ann.enrols_in(app, &full).await, "waitlisted");
    let other = class.coordinator.create_course(app, CourseSpec::new("Afgezegd", 5).sessions(coming)).await;
    assert_eq!(ann.enrols_in(app, &other).await, "enrolled");
    assert_eq!(ann.cancel(app, &other).await.0, 200);

    let mine = ann.get(app, "/api/v1/me/attendance").await.expect_status(200);
    let courses: Vec<Value> = mine["items"].as_array().unwrap().iter().map(|c| c["course_id"].clone()).collect();
    assert_eq!(courses, vec![json!(class.course.id)], "only the course with marks: {mine}");
    let course = course_of(&mine, class.course.id);
    assert_eq!(course["enrolment_status"], "cancelled");
    assert_eq!((course["attendance_rate"].as_f64(), course["sessions_expected"].as_i64()), (Some(1.0), Some(1)));
    assert_eq!(course["sessions"][1]["mark"], "not_expected", "not expected after leaving");
    // a waiting person may not apologise, so the page offers no button for it
    let html = Visitor::logged_in(app, ann).page("/mijn-cursussen").await;
    assert!(!html.contains(&format!("/mijn-cursussen/sessies/{}/afmelden", full.session_ids[0])), "{html}");
}

#[tokio::test]
async fn mijn_cursussen_shows_my_marks_rates_and_the_apology_button() {
    let app = &spawn_app().await;
    let class = class_with_four_held(app).await;
    let (ann, dirk) = (&class.people[0], &class.people[1]);

    let html = Visitor::logged_in(app, ann).page("/mijn-cursussen").await;
    let text = visible_text(&html);
    assert!(text.contains("Aanwezigheid: 50%") && text.contains("Inzet: 75%"), "{text}");
    assert!(text.contains("Jij: Aanwezig") && text.contains("Jij: Te laat") && text.contains("Jij: Afwezig"), "{text}");
    let form = format!("href=\"/mijn-cursussen/sessies/{}/afmelden\"", class.session(4));
    assert!(html.contains(&form), "an apology link for the coming session: {html}");
    assert_eq!(html.matches("Ik kan er niet bij zijn").count(), 1, "only for the coming session");
    assert!(!html.contains("href=\"/mijn-cursussen/certificaten\""), "no certificate before the course is over");
    assert!(html.contains("href=\"/inchecken\""), "the way to check in at a session");

    let text = visible_text(&Visitor::logged_in(app, dirk).page("/mijn-cursussen").await);
    assert!(text.contains("Jij: niet verwacht"), "{text}");
    assert!(text.contains("Aanwezigheid: 50%") && text.contains("Inzet: 50%"), "{text}");
}

#[tokio::test]
async fn an_apology_is_given_and_taken_back_with_plain_forms() {
    let app = &spawn_app().await;
    let class = Class::new(app, &["Ann Jansen"], &[local_at(-3, "19:30"), local_at(4, "19:30")]).await;
    let ann = &class.people[0];
    let session = class.session(1);
    let anne = Visitor::logged_in(app, ann);
    let form = format!("/mijn-cursussen/sessies/{session}/afmelden");

    let html = anne.page(&form).await;
    assert!(html.contains("name=\"reason\"") && html.contains("name=\"csrf_token\""), "{html}");
    // a session that has started shows why instead of the form
    let started = anne.page(&format!("/mijn-cursussen/sessies/{}/afmelden", class.session(0))).await;
    assert!(visible_text(&started).contains("al begonnen") && !started.contains("name=\"reason\""), "{started}");

    // a reason that is too long comes back as a form error
    let long = "x".repeat(501);
    let response = anne.submit(&form, &form, &[("reason", &long)]).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(field_error(&html, "reason").is_some_and(|e| e.contains("500")), "{html}");
    assert!(html.contains("error-summary"));

    // without the CSRF token nothing happens
    let origin = app.address.clone();
    let response = anne.post_form_raw(&form, &[("reason", "Ziek")], &[("origin", &origin)]).await;
    assert_eq!(response.status(), 403);
    assert_eq!(app.int("SELECT count(*)::bigint AS v FROM apologies").await, 0);

    let response = anne.submit(&form, &form, &[("reason", "Ziek")]).await;
    assert_eq!(response.status(), 303);
    let next = location(&response);
    assert!(next.starts_with("/mijn-cursussen?melding=apologies-given"), "{next}");
    let html = anne.page(&next).await;
    let text = visible_text(&html);
    assert!(text.contains("Je bent afgemeld") && text.contains("Afgemeld Ziek"), "{text}");
    let take_back = format!("/mijn-cursussen/sessies/{session}/afmelden/intrekken");
    assert!(html.contains(&format!("action=\"{take_back}\"")), "{html}");
    assert!(text.contains("Toch komen"), "{text}");
    let roster = class.trainer.get(app, &roster_path(session)).await.expect_status(200);
    assert_eq!(mark_of(&roster, ann), "excused");

    // the trainer's roster page shows it next to the person
    let roster_page =
        Visitor::logged_in(app, &class.coordinator).page(&format!("/mijn-trainingen/sessies/{session}")).await;
    assert!(visible_text(&roster_page).contains("Afgemeld: Ziek"), "{}", visible_text(&roster_page));

    let response = anne.submit("/mijn-cursussen", &take_back, &[]).await;
    assert_eq!(response.status(), 303);
    let html = anne.page(&location(&response)).await;
    assert!(visible_text(&html).contains("Je afmelding is ingetrokken"));
    assert!(html.contains(&format!("href=\"{form}\"")), "the button is back: {html}");
    let roster = class.trainer.get(app, &roster_path(session)).await.expect_status(200);
    assert_eq!(mark_of(&roster, ann), Value::Null);
}
