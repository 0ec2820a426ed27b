//! Trainers see who is coming (issue 15): "mijn trainingen" links each of the trainer's
//! courses to its participant list, with name, wijk, organisation, status and the waiting
//! list; only the course's own trainers and coordinators may open it.

use crate::common::{CourseSpec, Visitor, section, spawn_app, visible_text};

#[tokio::test]
async fn a_trainer_opens_the_participants_of_an_own_course_and_no_other() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(app, CourseSpec::new("Energiecoach worden", 1)).await;
    let other = coordinator.create_course(app, CourseSpec::new("Democratisering", 5)).await;
    let tom = app.trainer("Tom").await;
    let tara = app.trainer("Tara").await;
    assert_eq!(coordinator.assign_trainer(app, &course, &tom).await.0, 200);
    assert_eq!(coordinator.assign_trainer(app, &other, &tara).await.0, 200);
    let ann = app.participant("Ann Jansen").await;
    let bob = app.participant("Bob Bakker").await;
    ann.enrols_in(app, &course).await;
    bob.enrols_in(app, &course).await;
    app.execute(&format!(
        "UPDATE users SET wijk = 'selwerd', organisation = 'Buurtvereniging Selwerd' WHERE id = {}",
        ann.id
    ))
    .await;
    let roster = format!("/mijn-trainingen/cursussen/{}/deelnemers", course.id);

    let trainings = Visitor::logged_in(app, &tom).page("/mijn-trainingen").await;
    assert!(trainings.contains(&format!("href=\"{roster}\"")), "a link to the participants: {trainings}");

    let page = Visitor::logged_in(app, &tom).page(&roster).await;
    let enrolled = visible_text(section(&page, "enrolled"));
    for expected in ["Ann Jansen", "Selwerd", "Buurtvereniging Selwerd", "Ingeschreven"] {
        assert!(enrolled.contains(expected), "{expected} in {enrolled}");
    }
    let waiting = visible_text(section(&page, "waiting"));
    assert!(waiting.contains("Bob Bakker"), "the waiting list: {waiting}");
    assert!(!enrolled.contains("Bob Bakker"), "{enrolled}");
    assert!(visible_text(&page).contains("1 van 1 plaats bezet"), "{}", visible_text(&page));

    // the same people the API gives the trainer
    let (status, list) = tom.get(app, &course.enrolments_path()).await;
    assert_eq!(status, 200);
    for item in list["items"].as_array().unwrap() {
        assert!(page.contains(item["name"].as_str().unwrap()), "{item}");
    }

    // a trainer of another course, and a participant, are refused
    assert_eq!(Visitor::logged_in(app, &tara).get(&roster).await.status(), 403);
    assert_eq!(Visitor::logged_in(app, &ann).get(&roster).await.status(), 403);
    // a coordinator may look
    assert_eq!(Visitor::logged_in(app, &coordinator).get(&roster).await.status(), 200);
}
