//! "Mijn cursussen": upcoming, waiting (with the position) and past, with cancel buttons
//! and calendar files; and the personal calendar feed behind a secret URL.

use reqwest::Method;
use serde_json::json;
use wijkmakers::auth::Role;

use crate::common::{
    CourseSpec, Visitor, calendar_of, events_of, input_value, local_at, location, section, session_at, spawn_app,
    visible_text,
};

#[tokio::test]
async fn mijn_cursussen_shows_upcoming_waiting_and_past_with_cancel_buttons_and_calendars() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let upcoming = coordinator.create_course(app, CourseSpec::new("Energie besparen", 5)).await;
    let full = coordinator.create_course(app, CourseSpec::new("Vol maar leuk", 1)).await;
    let past = coordinator
        .create_course(app, CourseSpec::new("Vorige maand", 5).sessions(vec![session_at(local_at(-30, "19:30"))]))
        .await;
    let [first, second] = <[_; 2]>::try_from(app.people("ander", 2, Role::Participant).await).unwrap();
    let ann = app.participant("Ann").await;
    ann.enrol(app, &upcoming).await;
    first.enrol(app, &full).await;
    second.enrol(app, &full).await;
    assert_eq!(ann.enrol(app, &full).await.1["waitlist_position"], 2);
    // a course that is over: only a coordinator can still add someone (afterwards)
    let (status, body) = coordinator.post_json(app, &past.enrolments_path(), &json!({ "user_id": ann.id })).await;
    assert_eq!(status, 201, "{body}");

    let visitor = Visitor::logged_in(app, &ann);
    let page = visitor.page("/mijn-cursussen").await;
    let coming = section(&page, "upcoming");
    assert!(coming.contains("Energie besparen"), "{coming}");
    assert!(coming.contains(&format!("href=\"{}/uitschrijven\"", upcoming.page())), "a cancel button: {coming}");
    assert!(visible_text(coming).contains("Uitschrijven voor Energie besparen"), "{coming}");
    assert!(visible_text(coming).contains("Je kunt je uitschrijven tot"), "{coming}");
    assert!(coming.contains(&format!("href=\"{}/agenda.ics\"", upcoming.page())), "the course's .ics: {coming}");
    assert!(!coming.contains("Vol maar leuk") && !coming.contains("Vorige maand"), "{coming}");

    let waiting = visible_text(section(&page, "waiting"));
    assert!(waiting.contains("Vol maar leuk"), "{waiting}");
    assert!(waiting.contains("Je bent nummer 2 op de wachtlijst."), "{waiting}");
    assert!(waiting.contains("Van de wachtlijst af voor Vol maar leuk"), "{waiting}");

    let over = section(&page, "past");
    assert!(visible_text(over).contains("Vorige maand"), "{over}");
    assert!(!over.contains("/uitschrijven"), "nothing to cancel in the past: {over}");

    // the course's calendar file is there to download
    let response = visitor.get(&format!("{}/agenda.ics", upcoming.page())).await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
    let calendar: icalendar::Calendar = response.text().await.unwrap().parse().unwrap();
    let starts: Vec<_> = events_of(&calendar).iter().map(|e| e.starts).collect();
    assert_eq!(starts, upcoming.session_starts);

    // leaving the waiting list from this page, without JavaScript: the question, then the post
    let leave = format!("{}/uitschrijven", full.page());
    let response = visitor.submit(&leave, &leave, &[]).await;
    assert_eq!((response.status().as_u16(), location(&response)), (303, "/mijn-cursussen?melding=cancelled".into()));
    let page = visitor.page("/mijn-cursussen").await;
    assert!(!page.contains("Vol maar leuk"), "no longer waiting");
    app.mail_to(&ann, "Je staat niet meer op de wachtlijst: Vol maar leuk").await;

    // the same in the API, cancelled ones included
    let (status, mine) = ann.get(app, "/api/v1/me/enrolments").await;
    assert_eq!(status, 200, "{mine}");
    assert_eq!(mine["total"], 3);
    let mut statuses: Vec<(String, String)> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["course"]["title"].as_str().unwrap().to_owned(), i["status"].as_str().unwrap().to_owned()))
        .collect();
    statuses.sort();
    assert_eq!(
        statuses,
        [
            ("Energie besparen".into(), "enrolled".into()),
            ("Vol maar leuk".into(), "cancelled".into()),
            ("Vorige maand".into(), "enrolled".into())
        ]
    );
}

#[tokio::test]
async fn the_personal_calendar_feed_lists_the_sessions_of_enrolled_courses_behind_a_secret() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator
        .create_course(
            app,
            CourseSpec::new("Wijkkracht", 5)
                .sessions(vec![session_at(local_at(7, "19:30")), session_at(local_at(14, "19:30"))]),
        )
        .await;
    let full = coordinator.create_course(app, CourseSpec::new("Wachten maar", 1)).await;
    let [ann, bob] = <[_; 2]>::try_from(app.people("persoon", 2, Role::Participant).await).unwrap();
    ann.enrol(app, &course).await;
    bob.enrol(app, &full).await;
    ann.enrol(app, &full).await; // waiting: no sessions in the feed

    let page = Visitor::logged_in(app, &ann).page("/mijn-cursussen").await;
    let feed_url = input_value(&page, "calendar-url");
    let profile = Visitor::logged_in(app, &ann).page("/profiel").await;
    assert!(profile.contains(&feed_url), "the profile shows the same address");
    let path = feed_url.strip_prefix(&app.address).expect("an address on this site").to_owned();
    assert!(path.starts_with("/agenda/") && path.ends_with(".ics"), "{path}");

    // a calendar program fetches it without cookies
    let response = app.api(Method::GET, &path, None, None).await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
    let calendar: icalendar::Calendar = response.text().await.unwrap().parse().unwrap();
    assert_eq!(calendar.property_value("METHOD"), Some("PUBLISH"));
    let feed = events_of(&calendar);
    assert_eq!(feed.iter().map(|e| e.starts).collect::<Vec<_>>(), course.session_starts);
    // the same events as in the invitation, so calendars do not show them twice
    let invitation = events_of(&calendar_of(&app.mail_to(&ann, "Je bent ingeschreven: Wijkkracht").await));
    assert_eq!(feed.iter().map(|e| &e.uid).collect::<Vec<_>>(), invitation.iter().map(|e| &e.uid).collect::<Vec<_>>());

    // a wrong secret shows nothing
    let response = app.api(Method::GET, "/agenda/verkeerd-geheim.ics", None, None).await;
    assert_eq!(response.status(), 404);
}
