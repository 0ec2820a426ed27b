//! Small things that looked careless (issue 15): seats read as "5 van 4 plaatsen bezet (1
//! boven de capaciteit)" in Dutch and English, no English note in a Dutch history, compact
//! dates that do not wrap in the coordinator's tables, a trainer drop-down that starts
//! empty, a month filter with only months that have courses, and a home page that promises
//! only what works.

use chrono::Datelike;
use chrono_tz::Europe::Amsterdam;
use serde_json::json;
use wijkmakers::auth::Role;

use crate::common::{CourseSpec, Visitor, local_at, section, session_at, spawn_app, visible_text};

#[tokio::test]
async fn seats_over_capacity_read_as_plain_words_in_both_languages() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(app, CourseSpec::new("Buurtbudget", 4)).await;
    let crowd = app.people("persoon", 5, Role::Participant).await;
    for person in &crowd[..4] {
        person.enrols_in(app, &course).await;
    }
    let body = json!({ "user_id": crowd[4].id, "override_capacity": true });
    let (status, _) = coordinator.post_json(app, &course.enrolments_path(), &body).await;
    assert_eq!(status, 201);
    let office = Visitor::logged_in(app, &coordinator);

    for path in [course.manage_page(), format!("/beheer/cursussen/{}", course.id), "/beheer/cursussen".to_owned()] {
        let text = visible_text(&office.page(&path).await);
        assert!(text.contains("5 van 4 plaatsen bezet (1 boven de capaciteit)"), "{path}: {text}");
        assert!(!text.contains("ingeschreven /"), "{path}: {text}");
    }
    // the history says it in Dutch too
    let history = visible_text(section(&office.page(&course.manage_page()).await, "history"));
    assert!(history.contains("(boven de capaciteit)"), "{history}");
    assert!(!history.contains("over capacity"), "no English on a Dutch page: {history}");

    app.execute(&format!("UPDATE users SET locale = 'en' WHERE id = {}", coordinator.id)).await;
    let text = visible_text(&office.page(&course.manage_page()).await);
    assert!(text.contains("5 of 4 places taken (1 over capacity)"), "{text}");

    app.execute(&format!("UPDATE users SET locale = 'nl' WHERE id = {}", coordinator.id)).await;

    // a course with room: no remark
    let roomy = coordinator.create_course(app, CourseSpec::new("Ruim", 12)).await;
    crowd[0].enrols_in(app, &roomy).await;
    let text = visible_text(&office.page(&roomy.manage_page()).await);
    assert!(text.contains("1 van 12 plaatsen bezet ·"), "{text}");
}

#[tokio::test]
async fn the_coordinators_tables_show_compact_dates_that_do_not_wrap() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let start = local_at(14, "19:30");
    let course =
        coordinator.create_course(app, CourseSpec::new("Energiecafé", 12).sessions(vec![session_at(start)])).await;
    let page = Visitor::logged_in(app, &coordinator).page("/beheer/cursussen").await;
    let local = start.with_timezone(&Amsterdam);
    let months = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"];
    let compact = format!("{} {} {} 19:30", local.day(), months[local.month0() as usize], local.year());
    let cell = page
        .split("<td")
        .find(|cell| cell.contains(&compact))
        .unwrap_or_else(|| panic!("no cell with {compact} for {}: {page}", course.title));
    assert!(cell.contains("class=\"nowrap\""), "{cell}");
}

#[tokio::test]
async fn the_trainer_drop_down_starts_empty_and_must_be_chosen() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(app, CourseSpec::new("Energiecafé", 12)).await;
    app.trainer("Tineke Trainer").await;
    let office = Visitor::logged_in(app, &coordinator);
    let manage = format!("/beheer/cursussen/{}", course.id);
    let page = office.page(&manage).await;
    let select = &page[page.find("<select id=\"user_id\"").expect("the drop-down")..];
    let select = &select[..select.find("</select>").unwrap()];
    assert!(select.contains("required"), "{select}");
    let first = &select[select.find("<option").unwrap()..];
    assert!(first.starts_with("<option value=\"\">— kies een trainer —</option>"), "{select}");
    assert!(!select.contains("selected"), "nobody is chosen beforehand: {select}");

    let action = format!("/beheer/cursussen/{}/trainers", course.id);
    let response = office.submit(&manage, &action, &[("user_id", "")]).await;
    assert_eq!(response.status(), 422);
    let text = visible_text(&response.text().await.unwrap());
    assert!(text.contains("Trainer: kies een trainer."), "{text}");
}

#[tokio::test]
async fn the_month_filter_offers_only_months_with_courses_and_the_home_page_promises_what_works() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let start = local_at(40, "19:30");
    coordinator.create_course(app, CourseSpec::new("Energiecafé", 12).sessions(vec![session_at(start)])).await;
    let page = app.page("/cursussen").await;
    let select = &page[page.find("<select id=\"maand\"").expect("the month filter")..];
    let select = &select[..select.find("</select>").unwrap()];
    let values: Vec<&str> = select
        .split("<option value=\"")
        .skip(1)
        .map(|o| &o[..o.find('"').unwrap()])
        .filter(|v| !v.is_empty())
        .collect();
    let local = start.with_timezone(&Amsterdam);
    assert_eq!(values, [format!("{}-{:02}", local.year(), local.month())], "{select}");

    let home = visible_text(&app.page("/").await);
    assert!(home.contains("Zoek een cursus op thema, wijk of maand."), "{home}");
    assert!(!home.to_lowercase().contains("bewijs van deelname"), "no certificate yet: {home}");
    assert!(!home.contains("80"), "{home}");
}
