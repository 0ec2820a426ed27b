//! Enrolling: a seat when one is free, else the waiting list (or a refusal without one),
//! only for verified people, published courses and inside the enrolment window;
//! idempotent; a confirmation with an .ics of every session, right across a DST change.

use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::Value;
use wijkmakers::auth::Role;

use crate::common::{
    AppOptions, CourseSpec, Seat, Visitor, calendar_of, events_of, section, spawn_app, spawn_app_with, utc as at,
    visible_text,
};

/// A refusal as problem+json with the given status and a detail a person understands.
#[track_caller]
fn assert_refused(answer: &(u16, Value), status: u16, detail: &str) {
    let (got, body) = answer;
    assert_eq!(*got, status, "{body}");
    assert_eq!(body["status"], status, "{body}");
    let said = body["detail"].as_str().unwrap_or_default();
    assert!(said.contains(detail), "detail {said:?} does not say {detail:?}");
}

#[tokio::test]
async fn a_verified_participant_gets_a_seat_and_an_invitation_for_every_session_in_utc_across_dst() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    // Amsterdam goes from UTC+1 to UTC+2 in the night between these two evenings
    let course = coordinator
        .create_course(
            app,
            CourseSpec::new("Energie besparen in de Oosterpoort", 12).sessions(vec![
                ("2027-03-27T19:30".into(), "2027-03-27T21:30".into()),
                ("2027-03-28T19:30".into(), "2027-03-28T21:30".into()),
            ]),
        )
        .await;
    let ann = app.participant("Ann").await;

    let (status, body) = ann.enrol(app, &course).await;
    assert_eq!(status, 201, "{body}");
    let id = body["id"].as_i64().expect("the enrolment's id");
    assert_eq!(body["status"], "enrolled");
    assert_eq!(body["waitlist_position"], Value::Null);
    assert_eq!(
        app.seats(&course).await,
        [Seat { enrolment_id: id, user_id: ann.id, status: "enrolled".into(), position: None, over_capacity: false }]
    );

    let mail = app.mail_to(&ann, "Je bent ingeschreven: Energie besparen in de Oosterpoort").await;
    let text = mail.text();
    assert!(
        text.contains("Bijeenkomst 1: zaterdag 27 maart 2027, 19:30–21:30 · Buurtcentrum De Oosterpoort"),
        "{text}"
    );
    assert!(text.contains("Bijeenkomst 2: zondag 28 maart 2027, 19:30–21:30 · Buurtcentrum De Oosterpoort"), "{text}");
    assert!(text.contains(&format!("{}/mijn-cursussen", app.address)), "{text}");

    let calendar = calendar_of(&mail);
    assert_eq!(calendar.property_value("METHOD"), Some("REQUEST"));
    let events = events_of(&calendar);
    assert_eq!(events.len(), 2, "one VEVENT per session: {events:?}");
    // 19:30 in Amsterdam is 18:30Z in winter time and 17:30Z in summer time
    assert_eq!((events[0].starts, events[0].ends), (at("2027-03-27T18:30:00Z"), at("2027-03-27T20:30:00Z")));
    assert_eq!((events[1].starts, events[1].ends), (at("2027-03-28T17:30:00Z"), at("2027-03-28T19:30:00Z")));
    assert_ne!(events[0].uid, events[1].uid, "every session has its own UID");
    for event in &events {
        assert_eq!(event.status.as_deref(), Some("CONFIRMED"));
        assert!(event.location.as_deref().is_some_and(|l| l.contains("Buurtcentrum De Oosterpoort")), "{event:?}");
    }

    // enrolling again answers the same enrolment, and sends nothing new
    let (status, again) = ann.enrol(app, &course).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again, body);
    assert_eq!(app.seats(&course).await.len(), 1);

    // the UID of a session is the same in every file about it
    let bob = app.participant("Bob").await;
    assert_eq!(bob.enrol(app, &course).await.0, 201);
    let bobs = events_of(&calendar_of(&app.mail_to(&bob, "Je bent ingeschreven").await));
    assert_eq!(bobs.iter().map(|e| &e.uid).collect::<Vec<_>>(), events.iter().map(|e| &e.uid).collect::<Vec<_>>());
    assert_eq!(app.outbox_subjects(&ann).await, ["Je bent ingeschreven: Energie besparen in de Oosterpoort"]);
}

#[tokio::test]
async fn a_full_course_puts_people_on_the_waiting_list_and_tells_them_their_place() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(app, CourseSpec::new("Buurtgesprekken leiden", 2)).await;
    let people = app.people("wachter", 4, Role::Participant).await;

    let mut answers = Vec::new();
    for person in &people {
        let (status, body) = person.enrol(app, &course).await;
        assert_eq!(status, 201, "{body}");
        answers.push((body["status"].clone(), body["waitlist_position"].clone()));
    }
    assert_eq!(
        answers,
        [
            ("enrolled".into(), Value::Null),
            ("enrolled".into(), Value::Null),
            ("waitlisted".into(), 1.into()),
            ("waitlisted".into(), 2.into())
        ]
    );
    let seats = app.seats(&course).await;
    assert_eq!(
        seats.iter().map(|s| (s.user_id, s.position)).collect::<Vec<_>>(),
        [(people[0].id, None), (people[1].id, None), (people[2].id, Some(1)), (people[3].id, Some(2))]
    );

    // the waiting-list email says the place, and holds no invitation: there is no seat yet
    let mail = app.mail_to(&people[3], "Je staat op de wachtlijst: Buurtgesprekken leiden").await;
    assert!(mail.text().contains("Je staat op de wachtlijst, op plaats 2."), "{}", mail.text());
    assert!(mail.calendar().is_none(), "a waiting-list email carries no calendar invitation");
    let first = app.mail_to(&people[2], "Je staat op de wachtlijst").await;
    assert!(first.text().contains("op plaats 1."), "{}", first.text());

    // asking again answers the same place
    let (status, again) = people[3].enrol(app, &course).await;
    assert_eq!(
        (status, again["status"].as_str(), again["waitlist_position"].as_i64()),
        (200, Some("waitlisted"), Some(2))
    );

    // the course page tells the next visitor it is full and offers the waiting list
    let page = Visitor::logged_in(app, &app.participant("Kijker").await).page(&course.page()).await;
    let text = visible_text(&page);
    assert!(text.contains("Vol"), "{text}");
    assert!(text.contains("Zet me op de wachtlijst"), "{text}");
}

#[tokio::test]
async fn a_full_course_without_a_waiting_list_refuses_with_409() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(app, CourseSpec::new("Wijkschouw", 1).without_waitlist()).await;
    let first = app.participant("Eerste").await;
    let late = app.participant("Laat").await;
    assert_eq!(first.enrol(app, &course).await.0, 201);

    let answer = late.enrol(app, &course).await;
    assert_refused(&answer, 409, "De cursus is vol en heeft geen wachtlijst.");
    assert_eq!(app.seats(&course).await.iter().map(|s| s.user_id).collect::<Vec<_>>(), [first.id]);
    assert!(app.outbox_subjects(&late).await.is_empty(), "a refusal sends no email");

    let page = Visitor::logged_in(app, &late).page(&course.page()).await;
    assert!(visible_text(&page).contains("De cursus is vol en heeft geen wachtlijst."));
    assert!(!page.contains("/inschrijven\""), "no enrol button on a full course without a waiting list");
}

#[tokio::test]
async fn enrolling_is_refused_before_the_window_opens_and_after_it_closes() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let now = Utc::now();
    let not_yet = coordinator
        .create_course(app, CourseSpec::new("Nog niet open", 10).window(Some(now + Duration::days(2)), None))
        .await;
    let closed = coordinator
        .create_course(
            app,
            CourseSpec::new("Al gesloten", 10).window(Some(now - Duration::days(5)), Some(now - Duration::hours(1))),
        )
        .await;
    let open = coordinator
        .create_course(
            app,
            CourseSpec::new("Nu open", 10).window(Some(now - Duration::days(1)), Some(now + Duration::days(1))),
        )
        .await;
    let ann = app.participant("Ann").await;

    assert_refused(&ann.enrol(app, &not_yet).await, 409, "Inschrijven kan nog niet.");
    assert_refused(&ann.enrol(app, &closed).await, 409, "De inschrijving voor deze cursus is gesloten.");
    assert_eq!(ann.enrol(app, &open).await.0, 201, "inside the window");
    assert!(app.seats(&not_yet).await.is_empty());
    assert!(app.seats(&closed).await.is_empty());

    // the course page says so instead of offering the button
    let visitor = Visitor::logged_in(app, &ann);
    let page = visitor.page(&not_yet.page()).await;
    assert!(visible_text(&page).contains("Inschrijven kan nog niet."));
    assert!(!page.contains(&format!("{}/inschrijven", not_yet.page())));
    let page = visitor.page(&closed.page()).await;
    assert!(visible_text(&page).contains("De inschrijving voor deze cursus is gesloten."));
    assert!(!page.contains(&format!("{}/inschrijven", closed.page())));
}

#[tokio::test]
async fn a_draft_course_is_not_found_and_unverified_or_anonymous_people_cannot_enrol() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let draft = coordinator.create_course(app, CourseSpec::new("Nog in de maak", 10).draft()).await;
    let course = coordinator.create_course(app, CourseSpec::new("Democratie in de wijk", 10)).await;
    let ann = app.participant("Ann").await;
    let unverified = app.participant("Onbevestigd").unverified().await;

    assert_refused(&ann.enrol(app, &draft).await, 404, "");
    assert_refused(&unverified.enrol(app, &course).await, 403, "Bevestig eerst je e-mailadres.");
    let anonymous = app.api(Method::POST, &course.enrolment_path(), None, None).await;
    assert_eq!(anonymous.status(), 401);
    let (status, body) = ann.get(app, &format!("/api/v1/courses/{}", draft.id)).await;
    assert_eq!(status, 404, "a participant does not see a draft: {body}");

    assert!(app.seats(&draft).await.is_empty());
    assert!(app.seats(&course).await.is_empty());
    assert!(app.outbox_subjects(&unverified).await.is_empty());

    // the course page says what to do first instead of offering the button
    let enrol_form = format!("action=\"{}/inschrijven\"", course.page());
    let page = Visitor::logged_in(app, &unverified).page(&course.page()).await;
    assert!(visible_text(section(&page, "enrol-title")).contains("Bevestig eerst je e-mailadres."), "{page}");
    assert!(!page.contains(&enrol_form));
    let page = app.page(&course.page()).await;
    assert!(visible_text(section(&page, "enrol-title")).contains("Log in om je in te schrijven"), "{page}");
    assert!(
        page.contains(&format!("href=\"/inloggen?terug={}\"", course.page())),
        "back to the course after logging in"
    );
    assert!(!page.contains(&enrol_form));
    assert!(
        Visitor::logged_in(app, &ann).page(&course.page()).await.contains(&enrol_form),
        "a verified participant may"
    );
}

#[tokio::test]
async fn the_enrolment_api_is_in_the_openapi_document() {
    let app = spawn_app().await;
    let document: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    let paths = &document["paths"];
    for (path, methods) in [
        ("/api/v1/courses/{id}/enrolment", &["post", "delete"][..]),
        ("/api/v1/me/enrolments", &["get"]),
        ("/api/v1/courses/{id}/enrolments", &["get", "post"]),
        ("/api/v1/enrolments/{id}", &["delete"]),
        ("/api/v1/enrolments/{id}/promote", &["post"]),
    ] {
        for method in methods {
            assert!(paths[path][method].is_object(), "{method} {path} is not in the OpenAPI document");
        }
    }
    let enrol = &paths["/api/v1/courses/{id}/enrolment"]["post"]["responses"];
    for status in ["200", "201", "401", "403", "404", "409"] {
        assert!(enrol[status].is_object(), "POST …/enrolment does not document {status}");
    }
    let problem = &enrol["409"]["content"]["application/problem+json"];
    assert!(problem.is_object(), "a refusal is documented as problem+json: {enrol}");
}

#[tokio::test]
async fn parallel_duplicate_requests_of_one_person_make_one_enrolment() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(app, CourseSpec::new("Dubbelklik", 5)).await;
    let ann = app.participant("Ann").await;

    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(10));
    let mut tasks = Vec::new();
    for _ in 0..10 {
        let (client, url, token, barrier) =
            (app.api_client.clone(), app.url(&course.enrolment_path()), ann.token.clone(), barrier.clone());
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            let response = client.post(url).bearer_auth(token).send().await.expect("enrol");
            let status = response.status().as_u16();
            (status, response.json::<Value>().await.expect("JSON"))
        }));
    }
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.expect("request task"));
    }
    let created = answers.iter().filter(|(s, _)| *s == 201).count();
    let repeated = answers.iter().filter(|(s, _)| *s == 200).count();
    assert_eq!((created, repeated), (1, 9), "{answers:?}");
    let ids: std::collections::BTreeSet<i64> = answers.iter().map(|(_, b)| b["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), 1, "every answer names the same enrolment: {answers:?}");
    let seats = app.seats(&course).await;
    assert_eq!(seats.len(), 1);
    assert_eq!(Some(&seats[0].enrolment_id), ids.iter().next());
    assert_eq!(app.outbox_subjects(&ann).await.len(), 1, "one confirmation");
}

/// Issue 20: an enrolment over the API costs seven statements, a seat or a place on the
/// waiting list alike: the session lookup, then BEGIN, the course lock, its sessions, one
/// statement that counts the seats and inserts the enrolment with its history row, the
/// email into the outbox, COMMIT (it took 14 and 15 before; the pool's check of a
/// connection is not counted, and no longer runs for a connection used a moment ago).
#[tokio::test]
async fn an_enrolment_costs_seven_statements_for_a_seat_and_for_the_waiting_list() {
    // one connection, so the first request has asked PostgreSQL for the enum types' OIDs
    let options = AppOptions { mail_worker: false, tune: |c| c.db_pool_size = 1, ..AppOptions::default() };
    let app = &spawn_app_with(options).await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(app, CourseSpec::new("Tellen in de wijk", 2)).await;
    let people = app.people("teller", 3, Role::Participant).await;
    let mut costs = Vec::new();
    for person in &people {
        let before = app.pool.query_count();
        let status = person.enrols_in(app, &course).await;
        costs.push((status, app.pool.query_count() - before));
    }
    assert_eq!(costs[1..], [("enrolled".to_owned(), 7), ("waitlisted".to_owned(), 7)], "the first: {:?}", costs[0]);
    let seats = app.seats(&course).await;
    assert_eq!(seats.iter().map(|s| s.position).collect::<Vec<_>>(), [None, None, Some(1)]);
}
