//! Seen by whom needs it: the course's trainers (roster, participant list) and coordinators
//! (course page with the summary); never other participants, never in an export or list,
//! unless a coordinator or trainer asks explicitly, and then it is audited.

use chrono::{Datelike, NaiveDate};
use chrono_tz::Europe::Amsterdam;
use reqwest::Method;
use serde_json::json;

use super::{interpreter, list_path, own_path, tell};
use crate::common::{Answer, CourseSpec, Visitor, local_at, session_at, spawn_app};

#[tokio::test]
async fn only_the_courses_trainers_and_coordinators_read_the_needs() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(app, CourseSpec::new("Ondermijning herkennen", 12)).await;
    let other = coordinator.create_course(app, CourseSpec::new("Persoonlijk leiderschap", 12)).await;
    let tom = app.trainer("Tom").await;
    let tess = app.trainer("Tess").await;
    coordinator.assign_trainer(app, &course, &tom).await.expect_status(200);
    coordinator.assign_trainer(app, &other, &tess).await.expect_status(200);
    let [ann, bob, cas] = [app.participant("Ann").await, app.participant("Bob").await, app.participant("Cas").await];
    for p in [&ann, &bob, &cas] {
        p.enrols_in(app, &course).await;
    }
    tell(app, &ann, &course, &interpreter("Tigrinya", "Iemand die mij ophaalt bij de bushalte")).await;
    tell(app, &bob, &course, &json!({"needs": ["tolk", "rolstoel"], "language": "NGT", "consent": true})).await;
    tell(app, &cas, &course, &json!({"needs": ["tolk"], "language": "Arabisch", "consent": true})).await;

    // another participant of the same course, a trainer of another course: 403
    assert_eq!(bob.get(app, &list_path(&course)).await.0, 403);
    assert_eq!(bob.get(app, &format!("{}?include_access_needs=true", list_path(&course))).await.0, 403);
    assert_eq!(tess.get(app, &list_path(&course)).await.0, 403);
    let roster_page = format!("/mijn-trainingen/sessies/{}", course.session_ids[0]);
    assert_eq!(Visitor::logged_in(app, &bob).get(&roster_page).await.status(), 403);
    assert_eq!(Visitor::logged_in(app, &tess).get(&roster_page).await.status(), 403);
    // one's own path is one's own: Bob sees his, never Ann's
    let his = bob.get(app, &own_path(&course)).await.expect_status(200);
    assert_eq!(his["language"], "NGT");

    // the course's trainer: the summary; each person's needs only when asked, and audited
    let list = tom.get(app, &list_path(&course)).await.expect_status(200);
    assert_eq!(list["summary"], json!({"tolk": 3, "rolstoel": 1, "anders": 1}));
    assert_eq!(list["items"], json!([]), "no names without include_access_needs=true");
    let audit_sql = format!("SELECT count(*) AS v FROM access_needs_audit WHERE course_id = {}", course.id);
    let audited = || app.int(&audit_sql);
    assert_eq!(audited().await, 0);
    let list =
        coordinator.get(app, &format!("{}?include_access_needs=true", list_path(&course))).await.expect_status(200);
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    let ann_item = items.iter().find(|i| i["user_id"] == ann.id).expect("Ann is listed");
    assert_eq!(ann_item["name"], ann.name);
    assert_eq!(ann_item["needs"], json!(["tolk", "anders"]));
    assert_eq!(ann_item["note"], "Iemand die mij ophaalt bij de bushalte");
    assert_eq!(audited().await, 1);
    let who = app
        .int(&format!("SELECT actor_id AS v FROM access_needs_audit WHERE course_id = {} AND people = 3", course.id))
        .await;
    assert_eq!(who, coordinator.id, "the audit says who read it");
    tom.get(app, &format!("{}?include_access_needs=true", list_path(&course))).await.expect_status(200);
    assert_eq!(audited().await, 2);

    // the pages: the trainer's roster and participant list, the coordinator's course page
    let roster = Visitor::logged_in(app, &tom).page(&roster_page).await;
    assert!(roster.contains("Tolk: Tigrinya"), "{roster}");
    assert!(roster.contains("Rolstoeltoegankelijk"), "{roster}");
    assert!(roster.contains(r#"<span aria-hidden="true">♿</span>"#), "an icon with the text: {roster}");
    let list =
        Visitor::logged_in(app, &tom).page(&format!("/mijn-trainingen/cursussen/{}/deelnemers", course.id)).await;
    assert!(list.contains("Anders: Iemand die mij ophaalt bij de bushalte"), "{list}");
    let manage = Visitor::logged_in(app, &coordinator).page(&format!("/beheer/cursussen/{}", course.id)).await;
    assert!(manage.contains("3 × tolk, 1 × rolstoel, 1 × anders"), "{manage}");
    let other_manage = Visitor::logged_in(app, &coordinator).page(&format!("/beheer/cursussen/{}", other.id)).await;
    assert!(!other_manage.contains("Tigrinya") && !other_manage.contains("× tolk"), "per course");
    let page =
        Visitor::logged_in(app, &coordinator).page(&format!("/beheer/cursussen/{}/toegankelijkheid", course.id)).await;
    assert!(page.contains("Tolk: Arabisch"), "{page}");
    assert_eq!(
        Visitor::logged_in(app, &bob).get(&format!("/beheer/cursussen/{}/toegankelijkheid", course.id)).await.status(),
        403
    );
}

fn day(days: i64) -> NaiveDate {
    let at = local_at(days, "12:00").with_timezone(&Amsterdam);
    NaiveDate::from_ymd_opt(at.year(), at.month(), at.day()).expect("a date")
}

#[tokio::test]
async fn needs_are_in_no_export_list_or_report() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let sessions = vec![session_at(local_at(2, "19:30")), session_at(local_at(9, "19:30"))];
    let course = coordinator.create_course(app, CourseSpec::new("Democratie in de wijk", 12).sessions(sessions)).await;
    let tom = app.trainer("Tom").await;
    coordinator.assign_trainer(app, &course, &tom).await.expect_status(200);
    let ann = app.participant("Ann").await;
    ann.enrols_in(app, &course).await;
    let (language, note) = ("Papiamentu-merkteken", "Zuurstoffles-merkteken");
    tell(app, &ann, &course, &interpreter(language, note)).await;

    let coordinator_browser = Visitor::logged_in(app, &coordinator);
    let mut texts = Vec::new();
    for path in [
        format!("/beheer/cursussen/{}/inschrijvingen.csv", course.id),
        format!("/beheer/cursussen/{}/inschrijvingen-excel-nl.csv", course.id),
        format!("/beheer/cursussen/{}/inschrijvingen", course.id),
        format!("/beheer/rapportage?from={}&to={}", day(-10), day(20)),
    ] {
        let response = coordinator_browser.get(&path).await;
        assert_eq!(response.status(), 200, "{path}");
        texts.push((path, response.text().await.unwrap()));
    }
    for path in [
        format!("/api/v1/courses/{}/enrolments", course.id),
        format!("/api/v1/courses/{}/enrolments?include_cancelled=true", course.id),
        format!("/api/v1/sessions/{}/roster", course.session_ids[0]),
        format!("/api/v1/courses/{}/attendance", course.id),
        format!("/api/v1/reports/sessions?from={}&to={}", day(-10), day(20)),
        format!("/api/v1/reports/participation?from={}&to={}", day(-10), day(20)),
        format!("/api/v1/reports/participation?from={}&to={}&format=json", day(-10), day(20)),
        format!("/api/v1/reports/summary?from={}&to={}", day(-10), day(20)),
        format!("/api/v1/reports/participants/{}?from={}&to={}", ann.id, day(-10), day(20)),
        list_path(&course),
    ] {
        let response = app.api(Method::GET, &path, None, Some(&coordinator.token)).await;
        assert!(response.status().is_success(), "{path}: {}", response.status());
        texts.push((path, response.text().await.unwrap()));
    }
    let response = app
        .api(Method::GET, &format!("/api/v1/sessions/{}/roster", course.session_ids[0]), None, Some(&tom.token))
        .await;
    texts.push(("the trainer's roster API".into(), response.text().await.unwrap()));
    for (path, text) in &texts {
        assert!(!text.contains(language) && !text.contains(note), "{path} shows the needs: {text}");
    }
    assert_eq!(app.int("SELECT count(*) AS v FROM access_needs_audit").await, 0, "nothing was read explicitly");
}
