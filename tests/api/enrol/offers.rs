//! Waiting-list offers with a deadline (issue 18): in a course in `offer` mode a freed
//! seat is held for the first in line, who accepts or declines; a declined or expired
//! offer goes to the next at once; near the course the deadline is capped and within two
//! hours the seat is given at once. Seats left = capacity − enrolled − open offers.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use reqwest::Method;
use serde_json::{Value, json};

use wijkmakers::auth::Role;
use wijkmakers::enrolment::service::expire_due;

use crate::common::{
    Course, CourseSpec, PASSWORD, Person, TestApp, Visitor, calendar_of, local_at, session_at, spawn_app,
};

/// A published course of `capacity` seats in `offer` mode with `hours` to answer.
async fn offer_course(app: &TestApp, coordinator: &Person, spec: CourseSpec, hours: i32) -> Course {
    let course = coordinator.create_course(app, spec).await;
    let (status, body) = coordinator
        .patch_json(
            app,
            &format!("/api/v1/courses/{}", course.id),
            &json!({ "waitlist_mode": "offer", "offer_hours": hours }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["waitlist_mode"], "offer");
    assert_eq!(body["offer_hours"], hours);
    course
}

/// `n` participants, each enrolled in `course` in this order.
async fn enrol_all(app: &TestApp, course: &Course, prefix: &str, n: usize) -> Vec<Person> {
    let people = app.people(prefix, n, Role::Participant).await;
    for p in &people {
        let (status, body) = p.enrol(app, course).await;
        assert_eq!(status, 201, "{body}");
    }
    people
}

/// My enrolment in `course`, as the API shows it to me.
async fn my_enrolment(app: &TestApp, person: &Person, course: &Course) -> Value {
    let (status, list) = person.get(app, "/api/v1/me/enrolments?per_page=200").await;
    assert_eq!(status, 200, "{list}");
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|e| e["course_id"] == course.id && e["status"] != "cancelled")
        .cloned()
        .unwrap_or(Value::Null)
}

fn enrolment_id(e: &Value) -> i64 {
    e["id"].as_i64().expect("enrolment id")
}

/// `(enrolled, open offers)` of a course, counted in the database.
async fn counts(app: &TestApp, course: &Course) -> (i64, i64) {
    let enrolled = app
        .int(&format!("SELECT count(*) AS v FROM enrolments WHERE course_id = {} AND status = 'enrolled'", course.id))
        .await;
    let offered = app
        .int(&format!("SELECT count(*) AS v FROM waitlist_offers WHERE course_id = {} AND status = 'open'", course.id))
        .await;
    (enrolled, offered)
}

async fn course_json(app: &TestApp, course: &Course) -> Value {
    let (status, body) = app.get_json(&format!("/api/v1/courses/{}", course.id)).await;
    assert_eq!(status, 200, "{body}");
    body
}

fn at(value: &Value) -> DateTime<Utc> {
    value.as_str().and_then(|t| DateTime::parse_from_rfc3339(t).ok()).expect("a time").with_timezone(&Utc)
}

#[tokio::test]
async fn existing_and_new_courses_are_automatic_and_the_mode_is_checked() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(app, CourseSpec::new("Buurtbudget", 2)).await;
    let body = course_json(app, &course).await;
    assert_eq!(body["waitlist_mode"], "automatic");
    assert_eq!(body["offer_hours"], 48);
    let path = format!("/api/v1/courses/{}", course.id);
    let (status, problem) =
        coordinator.patch_json(app, &path, &json!({ "waitlist_mode": "lottery", "offer_hours": 169 })).await;
    assert_eq!(status, 422, "{problem}");
    let fields: Vec<&str> = problem["errors"].as_array().unwrap().iter().filter_map(|e| e["field"].as_str()).collect();
    assert!(fields.contains(&"waitlist_mode") && fields.contains(&"offer_hours"), "{problem}");
}

#[tokio::test]
async fn a_cancelled_seat_is_offered_held_and_accepted_with_a_confirmation() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = offer_course(app, &coordinator, CourseSpec::new("Energiecafé", 1), 48).await;
    let ann = app.participant("Ann").await;
    assert_eq!(ann.enrols_in(app, &course).await, "enrolled");
    let waiting = enrol_all(app, &course, "wachtend", 2).await;
    let (bob, carla) = (&waiting[0], &waiting[1]);

    let before = Utc::now();
    assert_eq!(ann.cancel(app, &course).await.0, 200);
    let offer = my_enrolment(app, bob, &course).await;
    assert_eq!(offer["status"], "offered", "{offer}");
    let until = at(&offer["offer_expires_at"]);
    assert!(until >= before + Duration::hours(48) && until <= Utc::now() + Duration::hours(48), "{until}");
    assert_eq!(my_enrolment(app, carla, &course).await["status"], "waitlisted");

    // the seat is held: none left, and a newcomer waits
    let body = course_json(app, &course).await;
    assert_eq!((body["seats_left"].clone(), body["offered_count"].clone()), (json!(0), json!(1)));
    let dan = app.participant("Dan").await;
    assert_eq!(dan.enrols_in(app, &course).await, "waitlisted");

    // the email links to a page with a POST button
    let mail = app.mail_to(bob, "Er is een plek vrij voor jou").await;
    let id = enrolment_id(&offer);
    let link = mail.link_to(&format!("/aanbod/{id}")).expect("a link to the offer");
    assert!(mail.text().contains("Ik neem de plek"), "{}", mail.text());
    let visitor = Visitor::logged_in(app, bob);
    let page = visitor.page(link.strip_prefix(&app.address).unwrap_or(&link)).await;
    assert!(page.contains(&format!("action=\"/aanbod/{id}/accepteren\"")), "{page}");
    assert!(page.contains("method=\"post\""));

    // someone else cannot take it
    assert_eq!(carla.post(app, &format!("/api/v1/enrolments/{id}/accept")).await.0, 404);
    let (status, accepted) = bob.post(app, &format!("/api/v1/enrolments/{id}/accept")).await;
    assert_eq!(status, 200, "{accepted}");
    assert_eq!(accepted["status"], "enrolled");
    assert!(accepted["offer_expires_at"].is_null());
    let confirmation = app.mail_to(bob, "Je bent ingeschreven").await;
    assert_eq!(calendar_of(&confirmation).property_value("METHOD"), Some("REQUEST"));
    assert_eq!(counts(app, &course).await, (1, 0));

    let actions: Vec<String> =
        app.history(&course).await.into_iter().filter(|e| e.user_id == bob.id).map(|e| e.action).collect();
    assert_eq!(actions, ["waitlisted", "offered", "offer_accepted"]);
    let manage = Visitor::logged_in(app, &coordinator).page(&course.manage_page()).await;
    assert!(manage.contains("plek aangeboden") && manage.contains("aanbod aangenomen"), "{manage}");
}

#[tokio::test]
async fn declining_offers_the_seat_to_the_next_in_the_same_request() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = offer_course(app, &coordinator, CourseSpec::new("Wijkvernieuwing", 1), 24).await;
    let ann = app.participant("Ann").await;
    ann.enrols_in(app, &course).await;
    let waiting = enrol_all(app, &course, "wachtend", 3).await;
    ann.cancel(app, &course).await;
    let first = enrolment_id(&my_enrolment(app, &waiting[0], &course).await);

    // declined, staying: at the end of the list; the next holds the seat already
    let (status, declined) = waiting[0]
        .post_json(app, &format!("/api/v1/enrolments/{first}/decline"), &json!({"stay_on_waitlist": true}))
        .await;
    assert_eq!(status, 200, "{declined}");
    assert_eq!(declined["status"], "waitlisted");
    assert_eq!(declined["waitlist_position"], 3);
    assert_eq!(my_enrolment(app, &waiting[1], &course).await["status"], "offered");
    assert_eq!(counts(app, &course).await, (0, 1));

    // declined, leaving: off the list, and the third is offered
    let second = enrolment_id(&my_enrolment(app, &waiting[1], &course).await);
    let (status, left) = waiting[1]
        .post_json(app, &format!("/api/v1/enrolments/{second}/decline"), &json!({"stay_on_waitlist": false}))
        .await;
    assert_eq!(status, 200, "{left}");
    assert_eq!(left["status"], "cancelled");
    assert_eq!(my_enrolment(app, &waiting[2], &course).await["status"], "offered");
    // declining twice is a conflict, not a second seat
    assert_eq!(waiting[1].post(app, &format!("/api/v1/enrolments/{second}/decline")).await.0, 409);
    assert_eq!(counts(app, &course).await, (0, 1));
    let declines = app.history(&course).await.into_iter().filter(|e| e.action == "offer_declined").count();
    assert_eq!(declines, 2);
}

#[tokio::test]
async fn an_expired_offer_passes_on_exactly_once_with_two_schedulers() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = offer_course(app, &coordinator, CourseSpec::new("Ondermijning", 3), 48).await;
    let seated = enrol_all(app, &course, "zit", 3).await;
    let waiting = enrol_all(app, &course, "wacht", 6).await;
    for p in &seated {
        assert_eq!(
            coordinator
                .delete(app, &format!("/api/v1/enrolments/{}", enrolment_id(&my_enrolment(app, p, &course).await)))
                .await
                .0,
            204
        );
    }
    assert_eq!(counts(app, &course).await, (0, 3));

    // two instances run the scheduler at the same moment, at the last of the deadlines
    // (the offers it makes anew run 48 hours from the real clock: later than that)
    let last = app
        .text(&format!("SELECT max(expires_at)::text AS v FROM waitlist_offers WHERE course_id = {}", course.id))
        .await
        .expect("offers");
    let later: DateTime<Utc> = DateTime::parse_from_str(&format!("{last}00"), "%Y-%m-%d %H:%M:%S%.f%z")
        .expect("a timestamptz")
        .with_timezone(&Utc);
    let site = Arc::new(app.config.site());
    let runs: Vec<_> = (0..2)
        .map(|_| {
            let (pool, site) = (app.pool.clone(), site.clone());
            tokio::spawn(async move { pool.run(move |conn| expire_due(conn, &site, later)).await.expect("expire") })
        })
        .collect();
    let mut expired = 0;
    for run in runs {
        expired += run.await.expect("scheduler task");
    }
    assert_eq!(expired, 3);
    let events = app.history(&course).await;
    assert_eq!(events.iter().filter(|e| e.action == "offer_expired").count(), 3);
    assert_eq!(counts(app, &course).await, (0, 3));
    // the next three hold the seats; the first three wait at the end, and heard it once
    for p in &waiting[3..] {
        assert_eq!(my_enrolment(app, p, &course).await["status"], "offered");
    }
    for p in &waiting[..3] {
        let mine = my_enrolment(app, p, &course).await;
        assert_eq!(mine["status"], "waitlisted");
        assert!(mine["waitlist_position"].as_i64().unwrap() >= 4, "{mine}");
        assert_eq!(app.count_mail(p, "Je aanbod is verlopen").await, 1);
    }
    // an offer past its deadline cannot be accepted even before the scheduler saw it
    let late = enrolment_id(&my_enrolment(app, &waiting[3], &course).await);
    app.execute(&format!(
        "UPDATE waitlist_offers SET offered_at = now() - interval '2 hours', expires_at = now() - interval '1 second' WHERE enrolment_id = {late} AND status = 'open'"
    ))
    .await;
    assert_eq!(waiting[3].post(app, &format!("/api/v1/enrolments/{late}/accept")).await.0, 409);
}

#[tokio::test]
async fn near_the_course_the_deadline_is_capped_two_hours_before_the_session() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let start = local_at(2, "19:30");
    let spec = CourseSpec::new("Democratisering", 1).sessions(vec![session_at(start)]).deadline_hours(0);
    let course = offer_course(app, &coordinator, spec, 168).await;
    let ann = app.participant("Ann").await;
    ann.enrols_in(app, &course).await;
    let waiting = enrol_all(app, &course, "wachtend", 1).await;
    ann.cancel(app, &course).await;
    let offer = my_enrolment(app, &waiting[0], &course).await;
    assert_eq!(at(&offer["offer_expires_at"]), course.session_starts[0] - Duration::hours(2));

    // extending cannot pass that moment either
    let id = enrolment_id(&offer);
    let (status, problem) =
        coordinator.post_json(app, &format!("/api/v1/enrolments/{id}/offer/extend"), &json!({"hours": 24})).await;
    assert_eq!(status, 409, "{problem}");
}

#[tokio::test]
async fn within_two_hours_of_a_session_a_freed_seat_goes_at_once() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    // the point of this test is the distance to the present
    let soon = Utc::now() + Duration::minutes(90);
    let spec = CourseSpec::new("Persoonlijk leiderschap", 1)
        .sessions(vec![(soon.to_rfc3339(), (soon + Duration::hours(2)).to_rfc3339())])
        .deadline_hours(0);
    let course = offer_course(app, &coordinator, spec, 48).await;
    let ann = app.participant("Ann").await;
    ann.enrols_in(app, &course).await;
    let waiting = enrol_all(app, &course, "wachtend", 1).await;
    assert_eq!(ann.cancel(app, &course).await.0, 200);
    assert_eq!(my_enrolment(app, &waiting[0], &course).await["status"], "enrolled");
    assert_eq!(counts(app, &course).await, (1, 0));
    app.mail_to(&waiting[0], "Er is een plek voor je vrijgekomen").await;
}

#[tokio::test]
async fn seats_left_count_open_offers_in_the_catalogue_the_api_and_the_page() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = offer_course(app, &coordinator, CourseSpec::new("Energiecoaches", 3), 48).await;
    let seated = enrol_all(app, &course, "zit", 3).await;
    enrol_all(app, &course, "wacht", 1).await;
    seated[0].cancel(app, &course).await;
    seated[1].cancel(app, &course).await;
    // 3 − 1 enrolled − 1 offer = 1 left
    let body = course_json(app, &course).await;
    assert_eq!(body["seats_left"], 1);
    assert_eq!(body["enrolled_count"], 1);
    assert_eq!(body["offered_count"], 1);
    let (_, list) = app.get_json("/api/v1/courses?per_page=200").await;
    let item = list["items"].as_array().unwrap().iter().find(|c| c["id"] == course.id).cloned().unwrap();
    assert_eq!(item["seats_left"], 1, "{item}");
    let page = app.page(&course.page()).await;
    assert!(page.contains("Nog 1 plek"), "{page}");
    // the newcomer takes the free seat, the next waits
    let eve = app.participant("Eve").await;
    assert_eq!(eve.enrols_in(app, &course).await, "enrolled");
    let fred = app.participant("Fred").await;
    assert_eq!(fred.enrols_in(app, &course).await, "waitlisted");
    assert_eq!(course_json(app, &course).await["seats_left"], 0);
}

#[tokio::test]
async fn the_coordinator_extends_and_withdraws_an_offer() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = offer_course(app, &coordinator, CourseSpec::new("Buurtkracht", 1), 24).await;
    let ann = app.participant("Ann").await;
    ann.enrols_in(app, &course).await;
    let waiting = enrol_all(app, &course, "wachtend", 2).await;
    ann.cancel(app, &course).await;
    let offer = my_enrolment(app, &waiting[0], &course).await;
    let id = enrolment_id(&offer);
    let path = format!("/api/v1/enrolments/{id}/offer/extend");

    assert_eq!(waiting[0].post_json(app, &path, &json!({"hours": 12})).await.0, 403);
    let (status, problem) = coordinator.post_json(app, &path, &json!({"hours": 0})).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "hours");
    let (status, extended) = coordinator.post_json(app, &path, &json!({"hours": 12})).await;
    assert_eq!(status, 200, "{extended}");
    assert_eq!(at(&extended["offer_expires_at"]), at(&offer["offer_expires_at"]) + Duration::hours(12));

    // the list shows the offer with its deadline
    let visitor = Visitor::logged_in(app, &coordinator);
    let manage = visitor.page(&course.manage_page()).await;
    assert!(manage.contains("aanbod loopt tot"), "{manage}");
    assert!(manage.contains(&format!("/beheer/inschrijvingen/{id}/aanbod/intrekken")));

    // a wrong value in the form: the list again with a form error, not an error page
    let extend = format!("/beheer/inschrijvingen/{id}/aanbod/verlengen");
    let cursus = course.id.to_string();
    for wrong in ["abc", "999"] {
        let answer = visitor.submit(&course.manage_page(), &extend, &[("hours", wrong), ("cursus", &cursus)]).await;
        assert_eq!(answer.status().as_u16(), 422);
        let page = answer.text().await.unwrap();
        assert!(page.contains("error-summary") && page.contains("Meer tijd voor het aanbod"), "{page}");
        assert!(page.contains(&format!("href=\"#aanbod-{id}-hours\"")), "{page}");
        assert!(page.contains(&format!("id=\"aanbod-{id}-hours\" name=\"hours\" aria-invalid=\"true\"")), "{page}");
    }
    assert_eq!(my_enrolment(app, &waiting[0], &course).await["offer_expires_at"], extended["offer_expires_at"]);
    let answer = visitor.submit(&course.manage_page(), &extend, &[("hours", "24"), ("cursus", &cursus)]).await;
    assert_eq!(answer.status().as_u16(), 303);
    let later = at(&my_enrolment(app, &waiting[0], &course).await["offer_expires_at"]);
    assert_eq!(later, at(&extended["offer_expires_at"]) + Duration::hours(24));

    // withdrawn through the form: the next holds the seat
    let answer =
        visitor.submit(&course.manage_page(), &format!("/beheer/inschrijvingen/{id}/aanbod/intrekken"), &[]).await;
    assert_eq!(answer.status().as_u16(), 303);
    assert_eq!(my_enrolment(app, &waiting[0], &course).await["status"], "waitlisted");
    assert_eq!(my_enrolment(app, &waiting[1], &course).await["status"], "offered");
    assert_eq!(app.count_mail(&waiting[0], "Het aanbod is ingetrokken").await, 1);
    let next = enrolment_id(&my_enrolment(app, &waiting[1], &course).await);
    assert_eq!(coordinator.delete(app, &format!("/api/v1/enrolments/{next}/offer")).await.0, 204);
    // both had their offer withdrawn: neither is offered it again, the seat is free
    assert_eq!(my_enrolment(app, &waiting[0], &course).await["status"], "waitlisted");
    assert_eq!(my_enrolment(app, &waiting[1], &course).await["status"], "waitlisted");
    assert_eq!(counts(app, &course).await, (0, 0));
    assert_eq!(course_json(app, &course).await["seats_left"], 1);
}

/// The email's link and the token in it: `?token=` opens the offer without a login; only
/// the POST uses it, once. Following the link (a mail scanner) changes nothing.
#[tokio::test]
async fn the_email_link_answers_the_offer_without_a_login_once() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = offer_course(app, &coordinator, CourseSpec::new("Buurtpreventie", 1), 48).await;
    let ann = app.participant("Ann").await;
    ann.enrols_in(app, &course).await;
    let bob = &enrol_all(app, &course, "wachtend", 1).await[0];
    ann.cancel(app, &course).await;
    let id = enrolment_id(&my_enrolment(app, bob, &course).await);
    let link = app.mail_to(bob, "Er is een plek vrij voor jou").await.link_to(&format!("/aanbod/{id}")).expect("link");
    let url = url::Url::parse(&link).expect("a URL");
    let token = url.query_pairs().find(|(k, _)| k == "token").map(|(_, v)| v.into_owned()).expect("a token");
    assert_eq!(token.len(), 43, "{link}");
    let path = format!("{}?{}", url.path(), url.query().unwrap_or_default());

    // a scanner (or the person) opens the link twice: the page shows the offer, nothing changes
    let anonymous = Visitor::new(app);
    for _ in 0..2 {
        let page = anonymous.page(&path).await;
        assert!(page.contains("Ik neem de plek") && page.contains(&format!("value=\"{token}\"")), "{page}");
    }
    assert_eq!(my_enrolment(app, bob, &course).await["status"], "offered");
    let actions: Vec<String> =
        app.history(&course).await.into_iter().filter(|e| e.user_id == bob.id).map(|e| e.action).collect();
    assert_eq!(actions, ["waitlisted", "offered"]);

    // without the token (and without a login) the POST is refused; with it, the seat is taken
    let refused = anonymous.submit(&path, &format!("/aanbod/{id}/accepteren"), &[]).await;
    assert_ne!(refused.status().as_u16(), 303);
    assert_eq!(counts(app, &course).await, (0, 1));
    let answer = anonymous.submit(&path, &format!("/aanbod/{id}/accepteren"), &[("token", &token)]).await;
    assert_eq!(answer.status().as_u16(), 303);
    assert_eq!(answer.headers()["location"], "/cursussen?melding=offer-accepted");
    assert_eq!(my_enrolment(app, bob, &course).await["status"], "enrolled");
    app.mail_to(bob, "Je bent ingeschreven").await;
    let accepted = app.history(&course).await.into_iter().find(|e| e.action == "offer_accepted").expect("accepted");
    assert_eq!(accepted.actor_id, Some(bob.id));

    // used once: the link now says so kindly, and a second POST changes nothing
    let again = anonymous.get(&path).await;
    assert_eq!(again.status().as_u16(), 410);
    let body = again.text().await.unwrap();
    assert!(body.contains("Deze link werkt niet meer") && body.contains("al beantwoord"), "{body}");
    let home = Visitor::new(app);
    let twice = home.post_form_raw(&format!("/aanbod/{id}/accepteren"), &[("token", &token)], &[]).await;
    assert_ne!(twice.status().as_u16(), 303);
    assert_eq!(counts(app, &course).await, (1, 0));
    assert_eq!(app.history(&course).await.iter().filter(|e| e.action == "offer_accepted").count(), 1);
}

/// Another offer's token, or a token past its deadline: a kind page, nothing changes. The
/// decline button works with the token too.
#[tokio::test]
async fn a_wrong_or_expired_link_changes_nothing() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = offer_course(app, &coordinator, CourseSpec::new("Groen in de buurt", 2), 48).await;
    let seated = enrol_all(app, &course, "zit", 2).await;
    let waiting = enrol_all(app, &course, "wacht", 3).await;
    for p in &seated {
        p.cancel(app, &course).await;
    }
    assert_eq!(counts(app, &course).await, (0, 2));
    let (bob, carla) = (&waiting[0], &waiting[1]);
    let bob_id = enrolment_id(&my_enrolment(app, bob, &course).await);
    let carla_id = enrolment_id(&my_enrolment(app, carla, &course).await);
    let token_of = |link: String| {
        let url = url::Url::parse(&link).expect("a URL");
        url.query_pairs().find(|(k, _)| k == "token").map(|(_, v)| v.into_owned()).expect("a token")
    };
    let bob_mail = app.mail_to(bob, "Er is een plek vrij voor jou").await;
    let carla_mail = app.mail_to(carla, "Er is een plek vrij voor jou").await;
    let bob_token = token_of(bob_mail.link_to("/aanbod/").expect("a link"));
    let carla_token = token_of(carla_mail.link_to("/aanbod/").expect("a link"));

    // Carla's token on Bob's offer
    let visitor = Visitor::new(app);
    let wrong = visitor.get(&format!("/aanbod/{bob_id}?token={carla_token}")).await;
    assert_eq!(wrong.status().as_u16(), 404);
    let body = wrong.text().await.unwrap();
    assert!(body.contains("hoort niet bij dit aanbod") && !body.contains("Ik neem de plek"), "{body}");
    let posted = visitor
        .post_form(&format!("/aanbod/{bob_id}/accepteren?token={carla_token}"), &[("token", &carla_token)])
        .await;
    assert_eq!(posted.status().as_u16(), 404);
    assert_eq!(my_enrolment(app, bob, &course).await["status"], "offered");
    assert_eq!(my_enrolment(app, carla, &course).await["status"], "offered");

    // Bob's offer is past its deadline (the scheduler has not run yet)
    app.execute(&format!(
        "UPDATE waitlist_offers SET offered_at = now() - interval '2 hours', expires_at = now() - interval '1 second' WHERE enrolment_id = {bob_id} AND status = 'open'"
    ))
    .await;
    let expired = visitor.get(&format!("/aanbod/{bob_id}?token={bob_token}")).await;
    assert_eq!(expired.status().as_u16(), 410);
    assert!(expired.text().await.unwrap().contains("Het aanbod is verlopen"));
    let form = format!("/aanbod/{carla_id}?token={carla_token}");
    let late = visitor.submit(&form, &format!("/aanbod/{bob_id}/accepteren"), &[("token", &bob_token)]).await;
    assert_eq!(late.status().as_u16(), 410);
    assert_eq!(counts(app, &course).await, (0, 2));

    // Carla declines from her link, staying on the list; the third is offered the seat
    let declined = visitor
        .submit(&form, &format!("/aanbod/{carla_id}/afwijzen"), &[("token", &carla_token), ("blijven", "ja")])
        .await;
    assert_eq!(declined.status().as_u16(), 303);
    assert_eq!(my_enrolment(app, carla, &course).await["status"], "waitlisted");
    assert_eq!(my_enrolment(app, &waiting[2], &course).await["status"], "offered");
}

/// Someone whose offer ended without a yes is not offered the seat again at once: when
/// nobody else waits, it becomes an ordinary free seat, which they see and take with one
/// button (and anyone may enrol in). A seat freed anew starts a new round.
#[tokio::test]
async fn who_passed_is_not_offered_again_and_the_seat_becomes_free() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = offer_course(app, &coordinator, CourseSpec::new("Wijkfestival", 2), 48).await;
    let seated = enrol_all(app, &course, "zit", 2).await;
    let bob = &enrol_all(app, &course, "wacht", 1).await[0];
    seated[0].cancel(app, &course).await;
    let id = enrolment_id(&my_enrolment(app, bob, &course).await);
    let (status, declined) =
        bob.post_json(app, &format!("/api/v1/enrolments/{id}/decline"), &json!({"stay_on_waitlist": true})).await;
    assert_eq!(status, 200, "{declined}");
    assert_eq!(declined["status"], "waitlisted");
    assert_eq!(counts(app, &course).await, (1, 0));
    assert_eq!(course_json(app, &course).await["seats_left"], 1);
    assert_eq!(app.history(&course).await.iter().filter(|e| e.action == "offered").count(), 1);
    assert_eq!(my_enrolment(app, bob, &course).await["seat_free"], true);

    // a seat freed anew: a new round, Bob is offered one of the two free seats
    seated[1].cancel(app, &course).await;
    assert_eq!(my_enrolment(app, bob, &course).await["status"], "offered");
    assert_eq!(counts(app, &course).await, (0, 1));
    // he lets it expire: not offered again, both seats free
    let due = Utc::now() + Duration::hours(49);
    let site = app.config.site();
    let expired = app.pool.run(move |conn| expire_due(conn, &site, due)).await.expect("expire");
    assert_eq!(expired, 1);
    assert_eq!(counts(app, &course).await, (0, 0));
    assert_eq!(course_json(app, &course).await["seats_left"], 2);

    // he sees the free seat on Mijn cursussen and on the course page, and takes it
    let visitor = Visitor::logged_in(app, bob);
    let mine = visitor.page("/mijn-cursussen").await;
    assert!(mine.contains("Neem de vrije plek") && !mine.contains("Aanbod loopt tot"), "{mine}");
    let page = visitor.page(&course.page()).await;
    let action = format!("/cursussen/{}/vrije-plek", course.slug);
    assert!(page.contains(&action), "{page}");
    let taken = visitor.submit(&course.page(), &action, &[]).await;
    assert_eq!(taken.status().as_u16(), 303);
    assert_eq!(my_enrolment(app, bob, &course).await["status"], "enrolled");
    app.mail_to(bob, "Er is een plek voor je vrijgekomen").await;
    // anyone may take the other
    let eve = app.participant("Eve").await;
    assert_eq!(eve.enrols_in(app, &course).await, "enrolled");
    assert_eq!(counts(app, &course).await, (2, 0));
}

/// The free-seat button refuses when there is no free seat.
#[tokio::test]
async fn the_free_seat_button_refuses_when_the_course_is_full() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = offer_course(app, &coordinator, CourseSpec::new("Huiskamergesprek", 1), 48).await;
    enrol_all(app, &course, "zit", 1).await;
    let bob = &enrol_all(app, &course, "wacht", 1).await[0];
    assert_eq!(my_enrolment(app, bob, &course).await["seat_free"], false);
    let visitor = Visitor::logged_in(app, bob);
    assert!(!visitor.page(&course.page()).await.contains("vrije-plek"));
    let answer = visitor.post_form(&format!("/cursussen/{}/vrije-plek", course.slug), &[]).await;
    assert_eq!(answer.status().as_u16(), 409);
    assert_eq!(my_enrolment(app, bob, &course).await["status"], "waitlisted");
}

#[tokio::test]
async fn mijn_cursussen_shows_the_offer_and_the_place_in_line_and_accepts_it() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = offer_course(app, &coordinator, CourseSpec::new("Samen sterk", 1), 48).await;
    let ann = app.participant("Ann").await;
    ann.enrols_in(app, &course).await;
    let waiting = enrol_all(app, &course, "wachtend", 3).await;
    let third = Visitor::logged_in(app, &waiting[2]).page("/mijn-cursussen").await;
    assert!(third.contains("Je bent nummer 3 op de wachtlijst."), "{third}");
    ann.cancel(app, &course).await;

    let bob = Visitor::logged_in(app, &waiting[0]);
    let mine = bob.page("/mijn-cursussen").await;
    assert!(mine.contains("Aanbod loopt tot"), "{mine}");
    let id = enrolment_id(&my_enrolment(app, &waiting[0], &course).await);
    let course_page = bob.page(&course.page()).await;
    assert!(course_page.contains(&format!("/aanbod/{id}/accepteren")), "{course_page}");
    let answer = bob.submit("/mijn-cursussen", &format!("/aanbod/{id}/accepteren"), &[]).await;
    assert_eq!(answer.status().as_u16(), 303);
    assert_eq!(my_enrolment(app, &waiting[0], &course).await["status"], "enrolled");
    let now_second = Visitor::logged_in(app, &waiting[2]).page("/mijn-cursussen").await;
    assert!(now_second.contains("Je bent nummer 2 op de wachtlijst."), "{now_second}");
}

/// Ten seats, forty waiting: ten cancel while everyone waiting tries to accept, all at
/// once. Never more enrolled plus offered than the capacity, never two open offers for one
/// enrolment, and every offer is to someone waiting.
#[tokio::test]
async fn fifty_concurrent_cancellations_and_accepts_keep_the_seats_true() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = offer_course(app, &coordinator, CourseSpec::new("Drukke cursus", 10), 48).await;
    let seated = enrol_all(app, &course, "zit", 10).await;
    let waiting = enrol_all(app, &course, "wacht", 40).await;
    let mut ids = Vec::new();
    for p in &waiting {
        ids.push(enrolment_id(&my_enrolment(app, p, &course).await));
    }
    let barrier = Arc::new(tokio::sync::Barrier::new(50));
    let mut tasks = Vec::new();
    for p in &seated {
        let request = app.api_client.request(Method::DELETE, app.url(&course.enrolment_path())).bearer_auth(&p.token);
        let barrier = barrier.clone();
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            request.send().await.expect("answered").status().as_u16()
        }));
    }
    for (p, id) in waiting.iter().zip(&ids) {
        let request = app
            .api_client
            .request(Method::POST, app.url(&format!("/api/v1/enrolments/{id}/accept")))
            .bearer_auth(&p.token);
        let barrier = barrier.clone();
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            request.send().await.expect("answered").status().as_u16()
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.expect("task"));
    }
    assert!(statuses[..10].iter().all(|s| *s == 200), "{statuses:?}");
    assert!(statuses[10..].iter().all(|s| *s == 200 || *s == 409), "{statuses:?}");
    let (enrolled, offered) = counts(app, &course).await;
    assert_eq!(enrolled + offered, 10, "{enrolled} enrolled, {offered} offered");
    let accepted = statuses[10..].iter().filter(|s| **s == 200).count() as i64;
    assert_eq!(enrolled, accepted);
    let doubles = app
        .int("SELECT count(*) AS v FROM (SELECT enrolment_id FROM waitlist_offers GROUP BY enrolment_id HAVING count(*) > 1) d")
        .await;
    assert_eq!(doubles, 0, "nobody was offered twice");
    let strays = app
        .int("SELECT count(*) AS v FROM waitlist_offers o JOIN enrolments e ON e.id = o.enrolment_id WHERE o.status = 'open' AND e.status <> 'waitlisted'")
        .await;
    assert_eq!(strays, 0);
    // the offers went to the first in line
    let first_ten: Vec<i64> = ids[..10].to_vec();
    let to_first = app
        .int(&format!(
            "SELECT count(*) AS v FROM waitlist_offers WHERE enrolment_id = ANY(ARRAY[{}]::bigint[])",
            first_ten.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
        ))
        .await;
    assert_eq!(to_first, 10);
}

/// The offers made to someone are in their data download; deleting the account withdraws
/// an open offer and passes the seat on.
#[tokio::test]
async fn offers_are_in_the_download_and_deleting_the_account_passes_an_open_offer_on() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = offer_course(app, &coordinator, CourseSpec::new("Warme buurt", 1), 48).await;
    let ann = app.participant("Ann").await;
    ann.enrols_in(app, &course).await;
    let waiting = enrol_all(app, &course, "wachtend", 2).await;
    let (bob, carla) = (&waiting[0], &waiting[1]);
    ann.cancel(app, &course).await;
    let id = enrolment_id(&my_enrolment(app, bob, &course).await);

    let (status, data) = bob.get(app, "/api/v1/me/data").await;
    assert_eq!(status, 200, "{data}");
    let offers = data["waitlist_offers"].as_array().expect("offers in the download");
    assert_eq!(offers.len(), 1, "{data}");
    assert_eq!((offers[0]["enrolment_id"].as_i64(), offers[0]["status"].as_str()), (Some(id), Some("open")));
    assert_eq!(offers[0]["course_id"], course.id);
    assert!(offers[0].get("token_hash").is_none() && offers[0]["expires_at"].is_string(), "{data}");
    let (_, theirs) = carla.get(app, "/api/v1/me/data").await;
    assert_eq!(theirs["waitlist_offers"], json!([]));

    // his emails went out before he left
    app.mail_to(bob, "Er is een plek vrij voor jou").await;
    app.mail_to(bob, "Je staat op de wachtlijst").await;
    let body = json!({ "password": PASSWORD });
    let response = app.api(Method::DELETE, "/api/v1/me", Some(&body), Some(&bob.token)).await;
    assert_eq!(response.status(), 204);
    assert_eq!(my_enrolment(app, carla, &course).await["status"], "offered");
    assert_eq!(counts(app, &course).await, (0, 1));
    let sql = format!(
        "SELECT concat(status::text, '|', (token_hash IS NULL)::text) AS v FROM waitlist_offers WHERE enrolment_id = {id}"
    );
    assert_eq!(app.text(&sql).await.as_deref(), Some("withdrawn|true"));
    let withdrawn = app.history(&course).await.into_iter().filter(|e| e.action == "offer_withdrawn").count();
    assert_eq!(withdrawn, 1);
}
