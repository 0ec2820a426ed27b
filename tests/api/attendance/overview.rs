//! The course overview: participants × sessions, both rates on a case computed by hand,
//! "not_expected" before someone joined, completion at the threshold, absence warnings.

use serde_json::{Value, json};

use super::{Class, mark};
use crate::common::{Answer, Visitor, local_at, spawn_app, visible_text};

fn matrix_path(course: i64) -> String {
    format!("/api/v1/courses/{course}/attendance")
}

fn row<'a>(matrix: &'a Value, name: &str) -> &'a Value {
    matrix["participants"]
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["name"] == name))
        .unwrap_or_else(|| panic!("{name} not in the matrix: {matrix}"))
}

#[tokio::test]
async fn the_matrix_counts_both_rates_from_the_joining_time_on() {
    let app = &spawn_app().await;
    let starts = [
        local_at(-4, "19:30"),
        local_at(-3, "19:30"),
        local_at(-2, "19:30"),
        local_at(-1, "19:30"),
        local_at(5, "19:30"),
    ];
    let class = Class::new(app, &["Ann Jansen", "Bob Bakker"], &starts).await;
    let (ann, bob) = (&class.people[0], &class.people[1]);
    let coordinator = &class.coordinator;
    // Bob joined after the second session had started.
    let joined = local_at(-3, "21:45").to_rfc3339();
    app.execute(&format!("UPDATE enrolments SET enrolled_at = '{joined}' WHERE user_id = {}", bob.id)).await;

    for (i, status) in ["present", "late", "excused", "absent"].into_iter().enumerate() {
        mark(app, coordinator, class.session(i), &[(ann, status)]).await.expect_status(200);
    }
    mark(app, coordinator, class.session(2), &[(bob, "present")]).await.expect_status(200);

    let matrix = class.trainer.get(app, &matrix_path(class.course.id)).await.expect_status(200);
    assert_eq!(matrix["sessions"].as_array().map(Vec::len), Some(5));
    let ann_row = row(&matrix, "Ann Jansen");
    // (present + late) / 4 held and (present + late + excused) / 4
    assert_eq!((ann_row["attendance_rate"].as_f64(), ann_row["commitment_rate"].as_f64()), (Some(0.5), Some(0.75)));
    assert_eq!(ann_row["sessions_expected"], 4);
    assert_eq!(ann_row["completed"], false, "the course is not over");
    let cells =
        |row: &Value| -> Vec<Value> { (0..5).map(|i| row["marks"][class.session(i).to_string()].clone()).collect() };
    assert_eq!(cells(ann_row), vec![json!("present"), json!("late"), json!("excused"), json!("absent"), Value::Null]);

    let bob_row = row(&matrix, "Bob Bakker");
    assert_eq!(
        cells(bob_row),
        vec![json!("not_expected"), json!("not_expected"), json!("present"), Value::Null, Value::Null],
        "never absent before he joined; the held session without a mark is open"
    );
    // Bob: expected at two held sessions, at one of them present.
    assert_eq!((bob_row["sessions_expected"].as_i64(), bob_row["attendance_rate"].as_f64()), (Some(2), Some(0.5)));
}

#[tokio::test]
async fn completion_needs_the_threshold_exactly_and_the_course_over() {
    let app = &spawn_app().await;
    let starts = [local_at(-5, "19:30"), local_at(-4, "19:30"), local_at(-3, "19:30"), local_at(-2, "19:30")];
    let class = Class::new(app, &["Ann Jansen", "Bob Bakker"], &starts).await;
    let (ann, bob) = (&class.people[0], &class.people[1]);
    let coordinator = &class.coordinator;
    app.execute(&format!("UPDATE courses SET completion_threshold = 75 WHERE id = {}", class.course.id)).await;
    let joined = local_at(-5, "22:00").to_rfc3339();
    app.execute(&format!("UPDATE enrolments SET enrolled_at = '{joined}' WHERE user_id = {}", bob.id)).await;

    // Ann: 3 of 4 = 75 %, exactly the threshold. Bob (joined after the first): 2 of 3 = 66.7 %.
    for (i, (a, b)) in
        [("present", "-"), ("late", "present"), ("present", "present"), ("absent", "excused")].into_iter().enumerate()
    {
        let marks: Vec<_> = if i == 0 { vec![(ann, a)] } else { vec![(ann, a), (bob, b)] };
        mark(app, coordinator, class.session(i), &marks).await.expect_status(200);
    }
    let matrix = coordinator.get(app, &matrix_path(class.course.id)).await.expect_status(200);
    assert_eq!(matrix["completion_threshold"], 75);
    let (ann_row, bob_row) = (row(&matrix, "Ann Jansen"), row(&matrix, "Bob Bakker"));
    assert_eq!((ann_row["attendance_rate"].as_f64(), ann_row["completed"].clone()), (Some(0.75), json!(true)));
    assert_eq!(bob_row["sessions_expected"], 3);
    assert_eq!(bob_row["completed"], false, "2 of 3 is below 75 %: {bob_row}");
    assert_eq!(bob_row["commitment_rate"].as_f64(), Some(1.0));
}

#[tokio::test]
async fn trainers_are_warned_of_two_unexcused_absences_in_a_row_but_never_about_someone_present_since() {
    let app = &spawn_app().await;
    let starts = [local_at(-3, "19:30"), local_at(-2, "19:30"), local_at(-1, "19:30"), local_at(2, "19:30")];
    let class = Class::new(app, &["Ann Jansen", "Bob Bakker", "Cas Smit"], &starts).await;
    let (ann, bob, cas) = (&class.people[0], &class.people[1], &class.people[2]);
    let trainer = &class.trainer;
    let coordinator = &class.coordinator;
    mark(app, coordinator, class.session(0), &[(ann, "present"), (bob, "absent"), (cas, "absent")])
        .await
        .expect_status(200);
    mark(app, coordinator, class.session(1), &[(ann, "absent"), (bob, "absent"), (cas, "excused")])
        .await
        .expect_status(200);
    mark(app, trainer, class.session(2), &[(ann, "absent"), (bob, "present"), (cas, "absent")])
        .await
        .expect_status(200);

    let matrix = trainer.get(app, &matrix_path(class.course.id)).await.expect_status(200);
    let warned = |name: &str| row(&matrix, name)["absence_warning"].clone();
    assert_eq!(
        (warned("Ann Jansen"), warned("Bob Bakker"), warned("Cas Smit")),
        (json!(true), json!(false), json!(false))
    );

    let html = Visitor::logged_in(app, trainer)
        .page(&format!("/mijn-trainingen/cursussen/{}/aanwezigheid", class.course.id))
        .await;
    let text = visible_text(&html);
    assert!(text.contains("twee keer achter elkaar afwezig"), "{text}");
    assert!(text.contains("Ann Jansen 2× afwezig") && !text.contains("Bob Bakker 2×"), "{text}");
    assert!(text.contains("33%") && text.contains("Afgemeld"), "rates and marks in words: {text}");

    // the roster of the next session warns about Ann too, and only about her
    let roster = trainer.get(app, &super::roster_path(class.session(3))).await.expect_status(200);
    let warned: Vec<&str> = roster["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["absence_warning"] == true)
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(warned, ["Ann Jansen"]);
}

#[tokio::test]
async fn only_the_course_trainers_and_coordinators_see_the_matrix() {
    let app = &spawn_app().await;
    let class = Class::new(app, &["Ann Jansen"], &[local_at(-1, "19:30")]).await;
    let tara = app.trainer("Tara Anders").await;
    let path = matrix_path(class.course.id);
    assert_eq!(tara.get(app, &path).await.0, 403);
    assert_eq!(class.people[0].get(app, &path).await.0, 403);
    assert_eq!(class.coordinator.get(app, &matrix_path(987_654)).await.0, 404);
    let page = format!("/mijn-trainingen/cursussen/{}/aanwezigheid", class.course.id);
    assert_eq!(Visitor::logged_in(app, &tara).get(&page).await.status(), 403);
    let html =
        Visitor::logged_in(app, &class.trainer).page(&format!("/mijn-trainingen/sessies/{}", class.session(0))).await;
    assert!(html.contains(&format!("href=\"{page}\"")), "the roster links to the overview");
}
