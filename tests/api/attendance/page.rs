//! The trainer's roster page: linked from "mijn trainingen", one form of radio buttons that
//! works without JavaScript, counts at the top.

use super::{Class, mark_of, roster_path};
use crate::common::{Answer, Visitor, local_at, location, spawn_app, visible_text};

#[tokio::test]
async fn a_trainer_marks_the_roster_in_one_form_without_javascript() {
    let app = &spawn_app().await;
    let starts = [local_at(-1, "19:30"), local_at(3, "19:30")];
    let class = Class::new(app, &["Ann Jansen", "Bob Bakker", "Cara de Vries"], &starts).await;
    let (ann, bob, cara) = (&class.people[0], &class.people[1], &class.people[2]);
    let tom = Visitor::logged_in(app, &class.trainer);

    let trainings = tom.page("/mijn-trainingen").await;
    let coming = format!("/mijn-trainingen/sessies/{}", class.session(1));
    assert!(trainings.contains(&format!("href=\"{coming}\"")), "a link to the roster: {trainings}");

    let page = format!("/mijn-trainingen/sessies/{}", class.session(0));
    let html = tom.page(&page).await;
    assert_eq!(html.matches("type=\"radio\"").count(), 3 * 4, "four choices per person");
    assert!(visible_text(&html).contains("Nog niet ingevuld: 3"), "{}", visible_text(&html));
    let (a, b) = (format!("mark-{}", ann.id), format!("mark-{}", bob.id));
    let response = tom.submit(&page, &page, &[(a.as_str(), "present"), (b.as_str(), "late")]).await;
    assert_eq!(response.status(), 303);
    let html = tom.page(&location(&response)).await;
    let text = visible_text(&html);
    assert!(
        text.contains("Aanwezig: 1") && text.contains("Te laat: 1") && text.contains("Nog niet ingevuld: 1"),
        "{text}"
    );
    assert!(html.contains(&format!("name=\"mark-{}\" value=\"present\" checked", ann.id)), "{html}");

    let response = tom.submit(&page, &format!("{page}/afwezig"), &[]).await;
    assert_eq!(response.status(), 303);
    let roster = class.trainer.get(app, &roster_path(class.session(0))).await.expect_status(200);
    assert_eq!(
        (mark_of(&roster, ann), mark_of(&roster, bob), mark_of(&roster, cara)),
        ("present".into(), "late".into(), "absent".into())
    );

    let tara = app.trainer("Tara Anders").await;
    let response = Visitor::logged_in(app, &tara).get(&page).await;
    assert_eq!(response.status(), 403);
}
