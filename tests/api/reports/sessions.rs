//! The sessions export: one row per participant × session, with a known history.

use serde_json::Value;

use super::{csv_records, day, export};
use crate::attendance::{Class, mark};
use crate::common::{Answer, local_at, spawn_app};

#[tokio::test]
async fn the_sessions_export_has_a_row_per_participant_and_session_held_while_they_were_in() {
    let app = &spawn_app().await;
    let starts = [local_at(-3, "19:30"), local_at(-2, "19:30"), local_at(-1, "19:30"), local_at(5, "19:30")];
    let class = Class::new(app, &["Ann Jansen", "Bob Bakker", "Cas Smit"], &starts).await;
    let (ann, bob, cas) = (&class.people[0], &class.people[1], &class.people[2]);
    let coordinator = &class.coordinator;
    // Bob joined after the first session; Cas left after it; the third session was cancelled.
    let joined = local_at(-3, "22:00").to_rfc3339();
    app.execute(&format!("UPDATE enrolments SET enrolled_at = '{joined}' WHERE user_id = {}", bob.id)).await;
    mark(app, coordinator, class.session(0), &[(ann, "present"), (cas, "absent")]).await.expect_status(200);
    mark(app, coordinator, class.session(1), &[(ann, "late"), (bob, "present")]).await.expect_status(200);
    let left = local_at(-3, "23:00").to_rfc3339();
    app.execute(&format!(
        "UPDATE enrolments SET status = 'cancelled', cancelled_at = '{left}' WHERE user_id = {}",
        cas.id
    ))
    .await;
    app.execute(&format!("UPDATE course_sessions SET status = 'cancelled' WHERE id = {}", class.session(2))).await;

    let path = format!("/api/v1/reports/sessions?from={}&to={}", day(-3), day(5));
    let (status, headers, body) = export(app, coordinator, &path).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(disposition.contains(&format!("sessies-{}-tot-{}.csv", day(-3), day(5))), "{disposition}");
    let rows = csv_records(&body);
    let cells: Vec<(String, String, String, String)> = rows
        .iter()
        .map(|r| (r["session_date"].clone(), r["name"].clone(), r["expected"].clone(), r["mark"].clone()))
        .collect();
    let row = |d: i64, name: &str, expected: &str, mark: &str| {
        (day(d).to_string(), name.into(), expected.into(), mark.into())
    };
    assert_eq!(
        cells,
        vec![
            row(-3, "Ann Jansen", "true", "present"),
            row(-3, "Bob Bakker", "false", "not_expected"),
            row(-3, "Cas Smit", "true", "absent"),
            row(-2, "Ann Jansen", "true", "late"),
            row(-2, "Bob Bakker", "true", "present"),
            row(5, "Ann Jansen", "true", ""),
            row(5, "Bob Bakker", "true", ""),
        ],
        "Cas keeps the session held while he was in; nobody has a row of the cancelled session"
    );
    let first = &rows[0];
    assert_eq!(first["start"], "19:30");
    assert_eq!(first["end"], "21:30");
    assert_eq!(first["hours"], "2.00");
    assert_eq!(first["trainers"], "Tom Trainer");
    assert_eq!(first["course_title"], "Energiecoach worden");
    assert_eq!(first["participant_id"], ann.id.to_string());
    assert_eq!(rows[2]["enrolment_status"], "cancelled");

    // inclusive edges: a period of one day holds that day's session only
    let path = format!("/api/v1/reports/sessions?from={}&to={}&format=json", day(-2), day(-2));
    let (status, _, body) = export(app, coordinator, &path).await;
    assert_eq!(status, 200);
    let items: Value = serde_json::from_slice(&body).expect("a JSON list");
    assert_eq!(items.as_array().map(Vec::len), Some(2), "{items}");
    assert_eq!(items[1]["mark"], "present");
}

#[tokio::test]
async fn only_coordinators_export_and_bad_periods_are_named() {
    let app = &spawn_app().await;
    let class = Class::new(app, &["Ann Jansen"], &[local_at(-1, "19:30")]).await;
    let good = format!("/api/v1/reports/sessions?from={}&to={}", day(-7), day(0));
    assert_eq!(export(app, &class.trainer, &good).await.0, 403);
    assert_eq!(export(app, &class.people[0], &good).await.0, 403);
    assert_eq!(app.api(reqwest::Method::GET, &good, None, None).await.status(), 401);
    let admin = app.admin().await;
    assert_eq!(export(app, &admin, &good).await.0, 200);

    for (query, field) in [
        (format!("from={}&to={}", day(0), day(-7)), "to"),
        ("from=2026-13-01&to=2027-01-01".to_owned(), "from"),
        (format!("from={}", day(0)), "to"),
        (format!("from={}&to={}&format=pdf", day(-7), day(0)), "format"),
        (format!("from={}&to={}&anonymise=true", day(-7), day(0)), "purpose"),
        (format!("from={}&to={}&wijk=atlantis", day(-7), day(0)), "wijk"),
    ] {
        let (status, body) = class.coordinator.get(app, &format!("/api/v1/reports/sessions?{query}")).await;
        assert_eq!(status, 422, "{query}: {body}");
        assert!(body["errors"].as_array().unwrap().iter().any(|e| e["field"] == field), "{query}: {body}");
    }
}

#[tokio::test]
async fn a_person_who_left_and_came_back_has_one_row_per_session_expected_while_in() {
    let app = &spawn_app().await;
    let starts = [local_at(-3, "19:30"), local_at(-2, "19:30"), local_at(-1, "19:30")];
    let class = Class::new(app, &["Eva Mulder", "Finn Visser"], &starts).await;
    let (eva, finn) = (&class.people[0], &class.people[1]);
    let course = class.course.id;
    // Both left after the first session. Eva came back after the second and stays; Finn came
    // back for the second only and left again.
    let left = local_at(-3, "22:00").to_rfc3339();
    app.execute(&format!(
        "UPDATE enrolments SET status = 'cancelled', cancelled_at = '{left}' WHERE course_id = {course}"
    ))
    .await;
    let (eva_back, finn_back, finn_left) =
        (local_at(-2, "22:00").to_rfc3339(), local_at(-2, "10:00").to_rfc3339(), local_at(-2, "23:00").to_rfc3339());
    app.execute(&format!(
        "INSERT INTO enrolments (course_id, user_id, status, enrolled_at, cancelled_at)
         VALUES ({course}, {}, 'enrolled', '{eva_back}', NULL), ({course}, {}, 'cancelled', '{finn_back}', '{finn_left}')",
        eva.id, finn.id
    ))
    .await;

    let path = format!("/api/v1/reports/sessions?from={}&to={}", day(-3), day(-1));
    let (status, _, body) = export(app, &class.coordinator, &path).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let cells: Vec<(String, String, String, String)> = csv_records(&body)
        .iter()
        .map(|r| (r["session_date"].clone(), r["name"].clone(), r["expected"].clone(), r["enrolment_status"].clone()))
        .collect();
    let row = |d: i64, name: &str, expected: &str, status: &str| {
        (day(d).to_string(), name.into(), expected.into(), status.into())
    };
    assert_eq!(
        cells,
        vec![
            row(-3, "Eva Mulder", "true", "enrolled"),
            row(-3, "Finn Visser", "true", "cancelled"),
            row(-2, "Eva Mulder", "false", "enrolled"),
            row(-2, "Finn Visser", "true", "cancelled"),
            row(-1, "Eva Mulder", "true", "enrolled"),
        ],
        "one row per person and session, whatever the number of spans; the status of the span that counts"
    );
}
