//! "Mijn trainingen", the trainer's day: today's sessions first, each linking to its
//! roster with how far it has been marked, then the next ones.

use super::{Class, mark};
use crate::common::{Visitor, local_at, section, spawn_app, visible_text};

#[tokio::test]
async fn my_trainings_starts_with_todays_sessions_and_links_to_their_rosters() {
    let app = &spawn_app().await;
    // yesterday (over: not listed), today all day (markable at any hour), in three days
    let starts = [local_at(-1, "10:00"), local_at(0, "00:00"), local_at(3, "19:30")];
    let class = Class::new(app, &["Ann Jansen", "Bob Bakker"], &starts).await;
    let today = class.session(1);
    let end_of_today = local_at(0, "23:59").to_rfc3339();
    app.execute(&format!("UPDATE course_sessions SET ends_at = '{end_of_today}' WHERE id = {today}")).await;
    // another course of the trainer, tomorrow: after today's session whatever its ids
    let other = class
        .coordinator
        .create_course(
            app,
            crate::common::CourseSpec::new("Buurtcafé draaien", 10)
                .sessions(vec![crate::common::session_at(local_at(1, "09:00"))]),
        )
        .await;
    assert_eq!(class.coordinator.assign_trainer(app, &other, &class.trainer).await.0, 200);
    mark(app, &class.trainer, today, &[(&class.people[0], "present")]).await;

    let html = Visitor::logged_in(app, &class.trainer).page("/mijn-trainingen").await;
    let roster = |id: i64| format!("href=\"/mijn-trainingen/sessies/{id}\"");
    let todays = section(&html, "today-title");
    assert!(todays.contains(&roster(today)), "today's roster link: {todays}");
    assert!(visible_text(todays).contains("1 van 2 gemarkeerd"), "{}", visible_text(todays));
    let next = section(&html, "next-title");
    assert!(next.contains(&roster(other.session_ids[0])) && next.contains(&roster(class.session(2))), "{next}");
    let first = |id: i64| html.find(&roster(id)).unwrap_or(usize::MAX);
    assert!(first(today) < first(other.session_ids[0]) && first(other.session_ids[0]) < first(class.session(2)));
    assert!(!html.contains(&roster(class.session(0))), "yesterday's session is not on the day: {html}");
    assert!(visible_text(&html).contains("Energiecoach worden"));

    // the roster the link opens is the session's
    let page = Visitor::logged_in(app, &class.trainer).page(&format!("/mijn-trainingen/sessies/{today}")).await;
    assert!(page.contains(&format!("name=\"mark-{}\" value=\"present\" checked", class.people[0].id)), "{page}");

    // a participant has no trainer's day
    let ann = Visitor::logged_in(app, &class.people[0]);
    assert_eq!(ann.get("/mijn-trainingen").await.status(), 403);
}
