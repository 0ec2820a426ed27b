//! Self check-in: the trainer's code, the window (15 minutes before the start until the
//! end), present or late, wrong codes throttled, the participant as the maker of the mark,
//! and the pages (the code form, the QR link, the trainer's screen).
//!
//! The window tests place sessions at a distance from now (seconds matter here), so they
//! build times from `Utc::now()` and assert nothing about clock times.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use super::{Class, history_path, mark, mark_of, roster_path};
use crate::common::{
    Answer, CourseSpec, Person, TestApp, Visitor, assert_invalid, header, instant, local_at, location, session_at,
    spawn_app, visible_text,
};

const ALPHABET: &str = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

fn code_path(session: i64) -> String {
    format!("/api/v1/sessions/{session}/check-in-code")
}

fn check_in_path(session: i64) -> String {
    format!("/api/v1/sessions/{session}/check-in")
}

/// Move a session to exactly these times.
async fn place(app: &TestApp, session: i64, starts: DateTime<Utc>, ends: DateTime<Utc>) {
    let (from, to) = (starts.to_rfc3339(), ends.to_rfc3339());
    app.execute(&format!("UPDATE course_sessions SET starts_at = '{from}', ends_at = '{to}' WHERE id = {session}"))
        .await;
}

/// The session's code, made by `who`.
async fn code_of(app: &TestApp, who: &Person, session: i64) -> String {
    let (status, body) = who.post(app, &code_path(session)).await;
    assert!(status == 200 || status == 201, "{status}: {body}");
    body["code"].as_str().expect("a code").to_owned()
}

async fn check_in(app: &TestApp, who: &Person, session: i64, code: &str) -> (u16, Value) {
    who.post_json(app, &check_in_path(session), &json!({ "code": code })).await
}

#[tokio::test]
async fn the_course_trainers_and_coordinators_make_one_code_per_session() {
    let app = &spawn_app().await;
    let class = Class::new(app, &["Ann Jansen"], &[local_at(2, "19:30"), local_at(9, "19:30")]).await;
    let (trainer, coordinator, ann) = (&class.trainer, &class.coordinator, &class.people[0]);
    let session = class.session(0);

    let tara = app.trainer("Tara Anders").await;
    let other = coordinator.create_course(app, CourseSpec::new("Democratisering", 5)).await;
    assert_eq!(coordinator.assign_trainer(app, &other, &tara).await.0, 200);
    assert_eq!(tara.post(app, &code_path(session)).await.0, 403, "a trainer of another course");
    assert_eq!(ann.post(app, &code_path(session)).await.0, 403, "a participant");
    assert_eq!(app.int("SELECT count(*)::bigint AS v FROM check_in_codes").await, 0);

    let made = trainer.post(app, &code_path(session)).await.expect_status(201);
    let code = made["code"].as_str().unwrap().to_owned();
    assert_eq!(code.chars().count(), 6, "{made}");
    assert!(code.chars().all(|c| ALPHABET.contains(c)), "no ambiguous characters: {code}");
    assert_eq!(made["url"], format!("{}/inchecken/{code}", app.address));
    let (starts, ends) = (local_at(2, "19:30"), local_at(2, "21:30"));
    assert_eq!(instant(&made["opens_at"]), starts - Duration::minutes(15));
    assert_eq!(instant(&made["closes_at"]), ends);

    // the same code again, for the coordinator too; another session has another code
    assert_eq!(trainer.post(app, &code_path(session)).await.expect_status(200)["code"], code.as_str());
    assert_eq!(coordinator.post(app, &code_path(session)).await.expect_status(200)["code"], code.as_str());
    let second = trainer.post(app, &code_path(class.session(1))).await.expect_status(201);
    assert_ne!(second["code"], code.as_str());
    assert_eq!(app.int("SELECT count(*)::bigint AS v FROM check_in_codes").await, 2);

    assert_eq!(trainer.post(app, "/api/v1/sessions/999999/check-in-code").await.0, 404);
    app.execute(&format!("UPDATE course_sessions SET status = 'cancelled' WHERE id = {}", class.session(1))).await;
    assert_eq!(trainer.post(app, &code_path(class.session(1))).await.0, 409, "a cancelled session");
}

#[tokio::test]
async fn check_in_is_open_from_15_minutes_before_the_start_until_the_end() {
    let app = &spawn_app().await;
    let names = ["Ann Jansen", "Bob Bakker"];
    let far = [local_at(20, "19:30"), local_at(21, "19:30"), local_at(22, "19:30"), local_at(23, "19:30")];
    let class = Class::new(app, &names, &far).await;
    let (ann, bob) = (&class.people[0], &class.people[1]);
    let now = Utc::now();
    let (s, m) = (Duration::seconds, Duration::minutes);

    // 15 minutes before the start (a few seconds less, for the time the test takes): open
    let just_open = class.session(0);
    place(app, just_open, now + m(15) - s(5), now + m(135)).await;
    // 16 minutes before the start: not yet
    let not_yet = class.session(1);
    place(app, not_yet, now + m(16), now + m(136)).await;
    // the end is a few seconds away: still open (and late); a few seconds ago: closed
    let ending = class.session(2);
    place(app, ending, now - m(120), now + s(30)).await;
    let ended = class.session(3);
    place(app, ended, now - m(120), now - s(5)).await;

    let code = code_of(app, &class.trainer, just_open).await;
    assert_eq!(check_in(app, ann, just_open, &code).await.expect_status(200), json!({"status": "present"}));

    let code = code_of(app, &class.trainer, not_yet).await;
    let (status, body) = check_in(app, ann, not_yet, &code).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["type"], "/problemen/conflict");

    let code = code_of(app, &class.trainer, ending).await;
    assert_eq!(check_in(app, bob, ending, &code).await.expect_status(200), json!({"status": "late"}));

    let code = code_of(app, &class.trainer, ended).await;
    assert_eq!(check_in(app, bob, ended, &code).await.0, 409);

    let roster = class.trainer.get(app, &roster_path(not_yet)).await.expect_status(200);
    assert_eq!(mark_of(&roster, ann), Value::Null, "a refused check-in leaves no mark");
    let roster = class.trainer.get(app, &roster_path(ended)).await.expect_status(200);
    assert_eq!(mark_of(&roster, bob), Value::Null);
}

#[tokio::test]
async fn present_until_15_minutes_after_the_start_and_late_after_that() {
    let app = &spawn_app().await;
    let class = Class::new(app, &["Ann Jansen"], &[local_at(20, "19:30"), local_at(21, "19:30")]).await;
    let ann = &class.people[0];
    let now = Utc::now();
    let m = Duration::minutes;
    place(app, class.session(0), now - m(14), now + m(100)).await;
    place(app, class.session(1), now - m(16), now + m(100)).await;

    let code = code_of(app, &class.trainer, class.session(0)).await;
    assert_eq!(check_in(app, ann, class.session(0), &code).await.expect_status(200)["status"], "present");
    let code = code_of(app, &class.trainer, class.session(1)).await;
    // typed in lower case with a space: still the code
    let typed = format!("{} {}", &code[..3], &code[3..]).to_lowercase();
    assert_eq!(check_in(app, ann, class.session(1), &typed).await.expect_status(200)["status"], "late");

    // checking in again answers the same, and is no new change in the history
    assert_eq!(check_in(app, ann, class.session(1), &code).await.expect_status(200)["status"], "late");
    let history = class.trainer.get(app, &history_path(class.session(1))).await.expect_status(200);
    assert_eq!(history["items"].as_array().unwrap().len(), 1, "{history}");
    let roster = class.trainer.get(app, &roster_path(class.session(1))).await.expect_status(200);
    assert_eq!(mark_of(&roster, ann), "late");
}

#[tokio::test]
async fn the_history_shows_the_participant_as_the_maker_and_trainer_marks_stay_unless_absent() {
    let app = &spawn_app().await;
    let class = Class::new(app, &["Ann Jansen", "Bob Bakker", "Cara de Vries"], &[local_at(20, "19:30")]).await;
    let (ann, bob, cara) = (&class.people[0], &class.people[1], &class.people[2]);
    let (session, trainer) = (class.session(0), &class.trainer);
    let now = Utc::now();
    place(app, session, now - Duration::minutes(5), now + Duration::minutes(100)).await;
    mark(app, trainer, session, &[(bob, "absent"), (cara, "late")]).await.expect_status(200);
    let code = code_of(app, trainer, session).await;

    assert_eq!(check_in(app, ann, session, &code).await.expect_status(200)["status"], "present");
    // marked absent, but here after all: present
    assert_eq!(check_in(app, bob, session, &code).await.expect_status(200)["status"], "present");
    // the trainer's "late" stays
    assert_eq!(check_in(app, cara, session, &code).await.expect_status(200)["status"], "late");

    let history = trainer.get(app, &history_path(session)).await.expect_status(200);
    let steps: Vec<(Value, Value, Value, Value)> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["user_id"].clone(), c["old"].clone(), c["new"].clone(), c["by"].clone()))
        .collect();
    assert_eq!(
        steps,
        vec![
            (json!(bob.id), Value::Null, json!("absent"), json!(trainer.id)),
            (json!(cara.id), Value::Null, json!("late"), json!(trainer.id)),
            (json!(ann.id), Value::Null, json!("present"), json!(ann.id)),
            (json!(bob.id), json!("absent"), json!("present"), json!(bob.id)),
        ]
    );
}

#[tokio::test]
async fn wrong_codes_are_refused_and_throttled_per_user() {
    let app = &spawn_app().await;
    let class = Class::new(app, &["Ann Jansen", "Bob Bakker"], &[local_at(20, "19:30"), local_at(21, "19:30")]).await;
    let (ann, bob) = (&class.people[0], &class.people[1]);
    let now = Utc::now();
    for session in [class.session(0), class.session(1)] {
        place(app, session, now - Duration::minutes(5), now + Duration::minutes(100)).await;
    }
    let code = code_of(app, &class.trainer, class.session(0)).await;
    let other = code_of(app, &class.trainer, class.session(1)).await;

    // the code of another session does not work here
    let answer = check_in(app, ann, class.session(0), &other).await;
    assert_eq!(assert_invalid(&answer, "code"), "checkin-wrong-code");
    for wrong in ["AAAAAA", "ZZZZZZ", "nonsense", "222222"] {
        assert_eq!(assert_invalid(&check_in(app, ann, class.session(0), wrong).await, "code"), "checkin-wrong-code");
    }
    // five wrong codes: now even the right one waits
    let response = app
        .api(reqwest::Method::POST, &check_in_path(class.session(0)), Some(&json!({"code": code})), Some(&ann.token))
        .await;
    assert_eq!(response.status(), 429);
    let wait: u64 = header(&response, "retry-after").parse().expect("Retry-After in seconds");
    assert!(wait > 0 && wait <= 600, "{wait}");
    assert_eq!(header(&response, "content-type"), "application/problem+json");
    let roster = class.trainer.get(app, &roster_path(class.session(0))).await.expect_status(200);
    assert_eq!(mark_of(&roster, ann), Value::Null);

    // another person is not held up by Ann's mistakes
    assert_eq!(check_in(app, bob, class.session(0), &code).await.expect_status(200)["status"], "present");
}

#[tokio::test]
async fn only_enrolled_people_check_in() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let future = vec![session_at(local_at(20, "19:30"))];
    let course = coordinator.create_course(app, CourseSpec::new("Energiecoach worden", 1).sessions(future)).await;
    let trainer = app.trainer("Tom Trainer").await;
    assert_eq!(coordinator.assign_trainer(app, &course, &trainer).await.0, 200);
    let (ann, wim, nel) =
        (app.participant("Ann Jansen").await, app.participant("Wim Wachter").await, app.participant("Nel Nooit").await);
    assert_eq!(ann.enrols_in(app, &course).await, "enrolled");
    assert_eq!(wim.enrols_in(app, &course).await, "waitlisted");
    let session = course.session_ids[0];
    let now = Utc::now();
    place(app, session, now - Duration::minutes(5), now + Duration::minutes(100)).await;
    let code = code_of(app, &trainer, session).await;

    for (who, what) in [(&wim, "waitlisted"), (&nel, "never enrolled")] {
        let (status, body) = check_in(app, who, session, &code).await;
        assert_eq!(status, 403, "{what}: {body}");
    }
    assert_eq!(
        app.int(&format!("SELECT count(*)::bigint AS v FROM attendance_marks WHERE session_id = {session}")).await,
        0
    );
    assert_eq!(check_in(app, &ann, session, &code).await.expect_status(200)["status"], "present");

    app.execute(&format!("UPDATE course_sessions SET status = 'cancelled' WHERE id = {session}")).await;
    assert_eq!(check_in(app, &ann, session, &code).await.0, 409, "a cancelled session");
}

#[tokio::test]
async fn a_participant_checks_in_with_the_link_and_the_form_without_javascript() {
    let app = &spawn_app().await;
    let class = Class::new(app, &["Ann Jansen", "Bob Bakker"], &[local_at(20, "19:30"), local_at(21, "19:30")]).await;
    let (ann, bob) = (&class.people[0], &class.people[1]);
    let now = Utc::now();
    place(app, class.session(0), now - Duration::minutes(5), now + Duration::minutes(100)).await;
    place(app, class.session(1), now + Duration::hours(3), now + Duration::hours(5)).await;
    let code = code_of(app, &class.trainer, class.session(0)).await;
    let link = format!("/inchecken/{code}");

    // not logged in: the login page, which leads back to the link
    let response = Visitor::new(app).get(&link).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), format!("/inloggen?terug=%2Finchecken%2F{code}"));

    let visitor = Visitor::logged_in(app, ann);
    let html = visitor.page(&link).await;
    assert!(visible_text(&html).contains("Energiecoach worden") && html.contains("Ik ben er"), "{html}");
    let response = visitor.submit(&link, &link, &[]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), link);
    let text = visible_text(&visitor.page(&link).await);
    assert!(text.contains("Je bent ingecheckt"), "{text}");
    let roster = class.trainer.get(app, &roster_path(class.session(0))).await.expect_status(200);
    assert_eq!(mark_of(&roster, ann), "present");
    let history = class.trainer.get(app, &history_path(class.session(0))).await.expect_status(200);
    assert_eq!(history["items"][0]["by"], ann.id);

    // the form: a wrong code is a form error; the right code, typed in lower case, checks in
    let bobs = Visitor::logged_in(app, bob);
    let response = bobs.submit("/inchecken", "/inchecken", &[("code", "QQQQQQ")]).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("Deze code klopt niet") && html.contains("aria-invalid=\"true\""), "{html}");
    let response = bobs.submit("/inchecken", "/inchecken", &[("code", &code.to_lowercase())]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), link);

    // too early: the session's page says so, with the time it opens
    let early = code_of(app, &class.trainer, class.session(1)).await;
    let response = bobs.submit("/inchecken", "/inchecken", &[("code", &early)]).await;
    assert_eq!(response.status(), 409);
    let text = visible_text(&response.text().await.unwrap());
    assert!(text.contains("Inchecken kan nog niet. Het kan vanaf"), "{text}");
    let roster = class.trainer.get(app, &roster_path(class.session(1))).await.expect_status(200);
    assert_eq!(mark_of(&roster, bob), Value::Null);
}

#[tokio::test]
async fn wrong_codes_on_the_pages_are_form_errors_until_the_throttle_asks_to_wait() {
    let app = &spawn_app().await;
    let class = Class::new(app, &["Ann Jansen"], &[local_at(20, "19:30")]).await;
    let now = Utc::now();
    place(app, class.session(0), now - Duration::minutes(5), now + Duration::minutes(100)).await;
    let code = code_of(app, &class.trainer, class.session(0)).await;
    let ann = Visitor::logged_in(app, &class.people[0]);

    // a wrong link counts like a wrong code typed in
    let response = ann.get("/inchecken/QQQQQQ").await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("Deze code klopt niet") && html.contains("action=\"/inchecken\""), "{html}");
    for wrong in ["WWWWWW", "XXXXXX", "YYYYYY", "ZZZZZZ"] {
        let response = ann.submit("/inchecken", "/inchecken", &[("code", wrong)]).await;
        assert_eq!(response.status(), 422);
    }
    let response = ann.submit("/inchecken", "/inchecken", &[("code", &code)]).await;
    assert_eq!(response.status(), 429);
    assert!(header(&response, "retry-after").parse::<u64>().is_ok_and(|s| s > 0));
    let text = visible_text(&response.text().await.unwrap());
    assert!(text.contains("Je hebt te vaak een verkeerde code ingevuld. Probeer het over"), "{text}");
    let roster = class.trainer.get(app, &roster_path(class.session(0))).await.expect_status(200);
    assert_eq!(mark_of(&roster, &class.people[0]), Value::Null);
}

#[tokio::test]
async fn the_trainer_screen_shows_the_code_its_qr_code_and_who_is_here() {
    let app = &spawn_app().await;
    let class = Class::new(app, &["Ann Jansen", "Bob Bakker"], &[local_at(20, "19:30")]).await;
    let (ann, session) = (&class.people[0], class.session(0));
    let now = Utc::now();
    place(app, session, now - Duration::minutes(5), now + Duration::minutes(100)).await;
    let tom = Visitor::logged_in(app, &class.trainer);
    let screen = format!("/mijn-trainingen/sessies/{session}/inchecken");

    let roster = tom.page(&format!("/mijn-trainingen/sessies/{session}")).await;
    assert!(roster.contains(&format!("href=\"{screen}\"")), "the roster links to the check-in screen");

    // no code yet: a button makes one (a GET never does)
    let html = tom.page(&screen).await;
    assert!(html.contains("Maak een code") && !html.contains("<svg"), "{html}");
    assert_eq!(app.int("SELECT count(*)::bigint AS v FROM check_in_codes").await, 0);
    let response = tom.submit(&screen, &screen, &[]).await;
    assert_eq!(response.status(), 303);
    let code = app.text(&format!("SELECT code AS v FROM check_in_codes WHERE session_id = {session}")).await.unwrap();

    let html = tom.page(&screen).await;
    assert!(html.contains(&format!(">{code}<")), "the code: {html}");
    assert!(html.contains(&format!("{}/inchecken/{code}", app.address)), "the link");
    assert!(html.contains("<svg") && !html.contains("<?xml"), "the QR code inline");
    assert!(visible_text(&html).contains("0 van 2 ingecheckt"), "{}", visible_text(&html));
    assert!(html.contains("Vernieuwen") && !html.contains("http-equiv"), "a reload link, no meta refresh");

    check_in(app, ann, session, &code).await.expect_status(200);
    let text = visible_text(&tom.page(&screen).await);
    assert!(text.contains("1 van 2 ingecheckt") && text.contains("Ann Jansen"), "{text}");

    let tara = app.trainer("Tara Anders").await;
    assert_eq!(Visitor::logged_in(app, &tara).get(&screen).await.status(), 403);
}
