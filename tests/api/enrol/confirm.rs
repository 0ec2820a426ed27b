//! Giving up a seat asks first (issue 15): the buttons lead to a page of their own, which
//! works without JavaScript and whose CSRF form posts the real cancel, for participants
//! and for a coordinator's cancel of someone else.

use crate::common::{CourseSpec, Visitor, location, spawn_app, visible_text};

#[tokio::test]
async fn a_participant_confirms_on_a_page_of_its_own_before_the_seat_goes_to_the_waiting_list() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(app, CourseSpec::new("Energiecafé", 1)).await;
    let ann = app.participant("Ann").await;
    let bob = app.participant("Bob").await;
    assert_eq!(ann.enrols_in(app, &course).await, "enrolled");
    assert_eq!(bob.enrols_in(app, &course).await, "waitlisted");
    let visitor = Visitor::logged_in(app, &ann);
    let cancel = format!("{}/uitschrijven", course.page());

    // the course page and "mijn cursussen" link to the question; they post nothing
    for from in [course.page(), "/mijn-cursussen".to_owned()] {
        let page = visitor.page(&from).await;
        assert!(page.contains(&format!("href=\"{cancel}\"")), "a link to the question on {from}: {page}");
        assert!(!page.contains(&format!("action=\"{cancel}\"")), "no direct cancel on {from}");
    }

    // the question, with a form that posts the real cancel; opening it changes nothing
    let page = visitor.page(&cancel).await;
    let text = visible_text(&page);
    assert!(text.contains("Weet je het zeker? Je plek gaat naar de eerste op de wachtlijst."), "{text}");
    assert!(page.contains(&format!("<form method=\"post\" action=\"{cancel}\">")), "{page}");
    assert!(page.contains("name=\"csrf_token\""), "{page}");
    assert!(page.contains(&format!("href=\"{}\"", course.page())), "a way back: {page}");
    assert_eq!(app.seats(&course).await.len(), 2, "a GET cancels nothing");

    // without the page's token nothing happens
    let forged = visitor.post_form_raw(&cancel, &[], &[("origin", &app.address)]).await;
    assert_eq!(forged.status(), 403);
    assert_eq!(app.seats(&course).await.len(), 2);

    let response = visitor.submit(&cancel, &cancel, &[]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/mijn-cursussen?melding=cancelled");
    let now: Vec<_> = app.seats(&course).await.iter().map(|s| (s.user_id, s.status.clone())).collect();
    assert_eq!(now, [(bob.id, "enrolled".to_owned())], "the first in line has the seat");

    // a place on the waiting list is asked about in its own words
    let cas = app.participant("Cas").await;
    assert_eq!(cas.enrols_in(app, &course).await, "waitlisted");
    let text = visible_text(&Visitor::logged_in(app, &cas).page(&cancel).await);
    assert!(text.contains("Je raakt je plaats op de wachtlijst kwijt."), "{text}");

    // someone without an enrolment is sent back to the course
    let dirk = app.participant("Dirk").await;
    let response = Visitor::logged_in(app, &dirk).get(&cancel).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), course.page());
}

#[tokio::test]
async fn a_coordinator_confirms_before_cancelling_someone_else() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(app, CourseSpec::new("Wijkvernieuwing in Selwerd", 1)).await;
    let ann = app.participant("Ann Jansen").await;
    let bob = app.participant("Bob").await;
    ann.enrols_in(app, &course).await;
    bob.enrols_in(app, &course).await;
    let seats = app.seats(&course).await;
    let ann_seat = seats.iter().find(|s| s.user_id == ann.id).unwrap().enrolment_id;
    let confirm = format!("/beheer/inschrijvingen/{ann_seat}/annuleren");
    let office = Visitor::logged_in(app, &coordinator);

    let list = office.page(&course.manage_page()).await;
    assert!(list.contains(&format!("href=\"{confirm}\"")), "{list}");
    assert!(!list.contains(&format!("action=\"{confirm}\"")), "no direct cancel on the list");

    let page = office.page(&confirm).await;
    let text = visible_text(&page);
    assert!(text.contains("Ann Jansen uitschrijven voor Wijkvernieuwing in Selwerd"), "{text}");
    assert!(text.contains("Weet je het zeker? De plek gaat naar de eerste op de wachtlijst."), "{text}");
    assert!(page.contains(&format!("<form method=\"post\" action=\"{confirm}\">")), "{page}");
    assert_eq!(app.seats(&course).await.len(), 2, "a GET cancels nothing");

    let response = office.submit(&confirm, &confirm, &[]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), format!("{}?melding=enrolment-cancelled", course.manage_page()));
    let now: Vec<_> = app.seats(&course).await.iter().map(|s| (s.user_id, s.status.clone())).collect();
    assert_eq!(now, [(bob.id, "enrolled".to_owned())]);

    // the question is the coordinator's: others may not even see it
    let bob_seat = app.seats(&course).await[0].enrolment_id;
    let response = Visitor::logged_in(app, &ann).get(&format!("/beheer/inschrijvingen/{bob_seat}/annuleren")).await;
    assert_eq!(response.status(), 403);
}
