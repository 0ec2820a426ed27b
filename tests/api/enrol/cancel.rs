//! Cancelling: participants until the deadline (and from the waiting list always); a freed
//! seat goes to the longest-waiting person, who hears it with an invitation; the one who
//! cancels gets an .ics CANCEL; more capacity promotes as many as fit.

use chrono::{Duration, Utc};
use serde_json::json;
use wijkmakers::auth::Role;

use crate::common::{
    CourseSpec, Visitor, calendar_of, events_of, local_at, location, section, session_at, spawn_app, visible_text,
};

#[tokio::test]
async fn a_freed_seat_goes_to_the_first_in_line_and_both_hear_it_with_a_calendar_file() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator
        .create_course(
            app,
            CourseSpec::new("Samen sterk tegen ondermijning", 1)
                .sessions(vec![session_at(local_at(10, "19:30")), session_at(local_at(17, "19:30"))]),
        )
        .await;
    let [ann, bob, cas] = <[_; 3]>::try_from(app.people("persoon", 3, Role::Participant).await).unwrap();
    let (_, ann_enrolment) = ann.enrol(app, &course).await;
    assert_eq!(ann_enrolment["status"], "enrolled");
    assert_eq!(bob.enrol(app, &course).await.1["waitlist_position"], 1);
    assert_eq!(cas.enrol(app, &course).await.1["waitlist_position"], 2);
    let invitation = events_of(&calendar_of(&app.mail_to(&ann, "Je bent ingeschreven").await));

    let (status, body) = ann.cancel(app, &course).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "cancelled");
    assert_eq!(body["id"], ann_enrolment["id"]);

    let seats = app.seats(&course).await;
    let now: Vec<_> = seats.iter().map(|s| (s.user_id, s.status.as_str(), s.position)).collect();
    assert_eq!(now, [(bob.id, "enrolled", None), (cas.id, "waitlisted", Some(1))]);

    // the one who cancelled: a CANCEL for the very events of the invitation
    let mail = app.mail_to(&ann, "Je bent uitgeschreven: Samen sterk tegen ondermijning").await;
    let calendar = calendar_of(&mail);
    assert_eq!(calendar.property_value("METHOD"), Some("CANCEL"));
    let cancelled = events_of(&calendar);
    assert_eq!(
        cancelled.iter().map(|e| &e.uid).collect::<Vec<_>>(),
        invitation.iter().map(|e| &e.uid).collect::<Vec<_>>()
    );
    for (gone, invited) in cancelled.iter().zip(&invitation) {
        assert_eq!(gone.status.as_deref(), Some("CANCELLED"));
        assert_eq!((gone.starts, gone.ends), (invited.starts, invited.ends));
        assert!(gone.sequence > invited.sequence, "a calendar replaces an event only with a higher SEQUENCE");
    }

    // the first in line: a seat, and the invitation for both sessions
    let mail = app.mail_to(&bob, "Er is een plek voor je vrijgekomen: Samen sterk tegen ondermijning").await;
    assert!(mail.text().contains("Je stond op de wachtlijst en je bent nu ingeschreven."), "{}", mail.text());
    let calendar = calendar_of(&mail);
    assert_eq!(calendar.property_value("METHOD"), Some("REQUEST"));
    let promoted = events_of(&calendar);
    assert_eq!(
        promoted.iter().map(|e| &e.uid).collect::<Vec<_>>(),
        invitation.iter().map(|e| &e.uid).collect::<Vec<_>>()
    );

    // promotion and cancellation are one change: the history has both, in order
    let history: Vec<_> = app.history(&course).await.into_iter().map(|e| (e.user_id, e.action)).collect();
    assert_eq!(history[3..], [(ann.id, "cancelled".into()), (bob.id, "promoted".into())]);

    // there is nothing left to cancel
    assert_eq!(ann.cancel(app, &course).await.0, 404);
}

#[tokio::test]
async fn after_the_deadline_a_participant_cannot_cancel_and_is_told_whom_to_contact() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    // the first session is in 10 hours: the 24-hour deadline has passed (a distance to
    // now, so the session may be at any clock time: nothing below reads it)
    let course = coordinator
        .create_course(
            app,
            CourseSpec::new("Morgen al", 1)
                .deadline_hours(24)
                .sessions(vec![session_at(Utc::now() + Duration::hours(10))]),
        )
        .await;
    let [ann, bob, cas] = <[_; 3]>::try_from(app.people("persoon", 3, Role::Participant).await).unwrap();
    let (_, ann_enrolment) = ann.enrol(app, &course).await;
    assert_eq!(ann_enrolment["status"], "enrolled");
    bob.enrol(app, &course).await;
    cas.enrol(app, &course).await;
    let before = app.seats(&course).await;
    let history_before = app.history(&course).await.len();

    let (status, problem) = ann.cancel(app, &course).await;
    assert_eq!(status, 409, "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("Neem contact op met de coördinator"), "{problem}");
    assert_eq!(app.seats(&course).await, before, "nothing changed");
    assert_eq!(app.history(&course).await.len(), history_before);
    assert_eq!(app.outbox_subjects(&ann).await, ["Je bent ingeschreven: Morgen al"]);

    // the course page explains whom to contact instead of offering the button
    let visitor = Visitor::logged_in(app, &ann);
    let page = visitor.page(&course.page()).await;
    let text = visible_text(section(&page, "enrol-title"));
    assert!(text.contains("Je bent ingeschreven voor deze cursus."), "{text}");
    assert!(
        text.contains("Je kunt je niet meer zelf uitschrijven. Kun je niet komen? Mail dan de coördinator van de Academie: academie@example.org."),
        "{text}"
    );
    assert!(!page.contains("/uitschrijven\""), "no cancel button after the deadline");
    // and a form posted anyway is refused the same way
    let response = visitor.submit("/mijn-cursussen", &format!("{}/uitschrijven", course.page()), &[]).await;
    assert_eq!(response.status(), 409);
    assert_eq!(app.seats(&course).await, before);

    // someone on the waiting list can always leave it
    let (status, body) = bob.cancel(app, &course).await;
    assert_eq!((status, body["status"].as_str()), (200, Some("cancelled")), "{body}");
    app.mail_to(&bob, "Je staat niet meer op de wachtlijst: Morgen al").await;
    let last = app.history(&course).await.pop().unwrap();
    assert_eq!((last.user_id, last.action.as_str(), last.actor_id), (bob.id, "left_waitlist", Some(bob.id)));
    let now: Vec<_> = app.seats(&course).await.iter().map(|s| (s.user_id, s.position)).collect();
    assert_eq!(now, [(ann.id, None), (cas.id, Some(1))], "leaving the list gives nobody a seat");

    // a coordinator may still cancel: the seat goes to the next in line
    let path = format!("/api/v1/enrolments/{}", ann_enrolment["id"]);
    let (status, body) = coordinator.delete(app, &path).await;
    assert_eq!(status, 204, "{body}");
    let now: Vec<_> = app.seats(&course).await.iter().map(|s| (s.user_id, s.status.clone())).collect();
    assert_eq!(now, [(cas.id, "enrolled".to_owned())]);
    app.mail_to(&ann, "Je bent uitgeschreven: Morgen al").await;
    app.mail_to(&cas, "Er is een plek voor je vrijgekomen: Morgen al").await;
    let cancelled = app.history(&course).await.into_iter().find(|e| e.user_id == ann.id && e.action == "cancelled");
    assert_eq!(cancelled.and_then(|e| e.actor_id), Some(coordinator.id), "recorded as the coordinator's doing");
}

#[tokio::test]
async fn raising_the_capacity_promotes_as_many_as_fit_in_waiting_order() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(app, CourseSpec::new("Wijkvernieuwing van onderop", 2)).await;
    let crowd = app.people("persoon", 6, Role::Participant).await;
    for person in &crowd {
        assert_eq!(person.enrol(app, &course).await.0, 201);
    }

    let patch = |capacity: i32| json!({ "capacity": capacity });
    let path = format!("/api/v1/courses/{}", course.id);
    let (status, body) = coordinator.patch_json(app, &path, &patch(5)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!((body["enrolled_count"].as_i64(), body["waitlist_length"].as_i64()), (Some(5), Some(1)), "{body}");
    let now: Vec<_> = app.seats(&course).await.iter().map(|s| (s.user_id, s.status.clone(), s.position)).collect();
    let expected: Vec<_> = crowd[..5]
        .iter()
        .map(|p| (p.id, "enrolled".to_owned(), None))
        .chain([(crowd[5].id, "waitlisted".to_owned(), Some(1))])
        .collect();
    assert_eq!(now, expected, "the three who waited longest got the new seats");
    for person in &crowd[2..5] {
        let mail = app.mail_to(&person, "Er is een plek voor je vrijgekomen").await;
        assert_eq!(calendar_of(&mail).property_value("METHOD"), Some("REQUEST"));
    }
    let promoted: Vec<_> =
        app.history(&course).await.into_iter().filter(|e| e.action == "promoted").map(|e| e.user_id).collect();
    assert_eq!(promoted, crowd[2..5].iter().map(|p| p.id).collect::<Vec<_>>());

    // more room than people: everyone is in, nobody is enrolled twice
    let (status, body) = coordinator.patch_json(app, &path, &patch(10)).await;
    assert_eq!((status, body["enrolled_count"].as_i64(), body["seats_left"].as_i64()), (200, Some(6), Some(4)));
    assert!(app.seats(&course).await.iter().all(|s| s.status == "enrolled"));
}

#[tokio::test]
async fn cancelling_from_the_course_page_works_without_javascript() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(app, CourseSpec::new("Persoonlijk leiderschap", 5)).await;
    let ann = app.participant("Ann").await;
    let visitor = Visitor::logged_in(app, &ann);

    let response = visitor.submit(&course.page(), &format!("{}/inschrijven", course.page()), &[]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/mijn-cursussen?melding=enrolled");
    // a second click on the same button changes nothing
    let response = visitor.submit(&course.page(), &format!("{}/inschrijven", course.page()), &[]).await;
    assert_eq!(location(&response), "/mijn-cursussen?melding=already-enrolled");
    assert_eq!(app.seats(&course).await.len(), 1);
    assert!(
        visible_text(&visitor.page("/mijn-cursussen?melding=already-enrolled").await)
            .contains("Je was al ingeschreven.")
    );
    let page = visitor.page(&course.page()).await;
    let text = visible_text(section(&page, "enrol-title"));
    assert!(text.contains("Je bent ingeschreven voor deze cursus."), "{text}");
    assert!(text.contains("Je kunt je uitschrijven tot"), "{text}");

    let response = visitor.submit(&course.page(), &format!("{}/uitschrijven", course.page()), &[]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/mijn-cursussen?melding=cancelled");
    let page = visitor.page("/mijn-cursussen?melding=cancelled").await;
    assert!(visible_text(&page).contains("Je bent uitgeschreven. Je krijgt een bevestiging per e-mail."));
    assert!(app.seats(&course).await.is_empty());
    app.mail_to(&ann, "Je bent uitgeschreven: Persoonlijk leiderschap").await;
}
