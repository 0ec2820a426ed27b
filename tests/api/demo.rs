//! Demo data (`wijkmakers demo`, `serve --demo`): an empty database gets accounts for every
//! role and a realistic programme that the public catalogue shows; a database with
//! accounts is left alone; the printed logins work.

use std::collections::BTreeSet;

use chrono::{Timelike, Utc};
use chrono_tz::Europe::Amsterdam;
use diesel::prelude::*;
use reqwest::Method;
use serde_json::Value;
use wijkmakers::auth::Role;
use wijkmakers::choice::Choice;
use wijkmakers::db::schema::{courses, enrolments, outbox, users};
use wijkmakers::demo::{self, DemoLogin, DemoOutcome};

use crate::common::{AppOptions, TestApp, instant, spawn_app_with};

const THEMES: [&str; 6] = [
    "ondermijning",
    "energietransitie",
    "democratisering",
    "wijkvernieuwing",
    "persoonlijk-leiderschap",
    "elkaars-taal",
];

/// An app without a mail worker: the demo's emails stay in the outbox to be looked at.
async fn app() -> TestApp {
    spawn_app_with(AppOptions { mail_worker: false, ..AppOptions::default() }).await
}

async fn run_demo(app: &TestApp) -> DemoOutcome {
    demo::run(&app.pool, &app.config).await.expect("demo data")
}

async fn created(app: &TestApp) -> Vec<DemoLogin> {
    match run_demo(app).await {
        DemoOutcome::Created(logins) => logins,
        DemoOutcome::AlreadyHasUsers => panic!("an empty database gets demo data"),
    }
}

/// (users, courses, enrolments, outbox messages) in the database.
async fn counts(app: &TestApp) -> (i64, i64, i64, i64) {
    app.pool
        .run(|conn| {
            Ok((
                users::table.count().get_result(conn)?,
                courses::table.count().get_result(conn)?,
                enrolments::table.count().get_result(conn)?,
                outbox::table.count().get_result(conn)?,
            ))
        })
        .await
        .expect("count rows")
}

async fn json(app: &TestApp, path: &str, bearer: Option<&str>) -> Value {
    let response = app.api(Method::GET, path, None, bearer).await;
    assert_eq!(response.status(), 200, "GET {path}");
    response.json().await.expect("JSON body")
}

fn login(logins: &[DemoLogin], role: Role) -> &DemoLogin {
    logins.iter().find(|l| l.role == role).unwrap_or_else(|| panic!("a demo login for {role:?}"))
}

#[tokio::test]
async fn an_empty_database_gets_accounts_for_every_role_and_a_public_programme() {
    let app = app().await;
    let logins = created(&app).await;

    // accounts for every role, printable, on addresses that reach nobody
    for role in Role::all().iter().copied() {
        login(&logins, role);
    }
    assert!(logins.iter().filter(|l| l.role == Role::Trainer).count() >= 2, "two or three trainers");
    assert!(logins.iter().filter(|l| l.role == Role::Participant).count() >= 3, "a few participants");
    for l in &logins {
        assert!(l.email.ends_with("@example.org"), "{}", l.email);
        assert!(l.password.starts_with("demo-") && l.password.len() >= 10, "{}", l.password);
    }
    let passwords: BTreeSet<&str> = logins.iter().map(|l| l.password.as_str()).collect();
    assert_eq!(passwords.len(), logins.len(), "every account has its own password");
    let (unverified, without_wijk): (i64, i64) = app
        .pool
        .run(|conn| {
            Ok((
                users::table.filter(users::email_verified_at.is_null()).count().get_result(conn)?,
                users::table
                    .filter(users::role.eq(Role::Participant))
                    .filter(users::wijk.is_null().or(users::participant_kind.is_null()))
                    .count()
                    .get_result(conn)?,
            ))
        })
        .await
        .unwrap();
    assert_eq!((unverified, without_wijk), (0, 0), "all verified; participants have a wijk and a kind");
    let (users, _, enrolled, messages) = counts(&app).await;
    assert_eq!(users, logins.len() as i64, "every account is printed");
    assert!(enrolled > 0 && messages > 0, "enrolments, with their confirmations queued");
    assert!(app.outbox().await.iter().all(|m| m.recipient_email.ends_with("@example.org")));

    // the public catalogue: at least 15 courses with sessions to come, over every theme
    let list = json(&app, "/api/v1/courses?per_page=100", None).await;
    let items = list["items"].as_array().expect("items");
    assert!(list["total"].as_i64().unwrap() >= 15, "{}", list["total"]);
    let themes: BTreeSet<&str> = items.iter().map(|c| c["theme"].as_str().unwrap()).collect();
    assert_eq!(themes, THEMES.into_iter().collect(), "every theme has a course");
    let formats: BTreeSet<&str> = items.iter().map(|c| c["format"].as_str().unwrap()).collect();
    assert_eq!(formats.len(), 3, "cursus, werkplaats and bijeenkomst: {formats:?}");
    for c in items {
        assert!(instant(&c["next_session_at"]) > Utc::now(), "{}", c["title"]);
        assert!((8..=25).contains(&c["capacity"].as_i64().unwrap()), "{}", c["title"]);
    }
    assert!(
        items.iter().any(|c| c["seats_left"] == 0 && c["waitlist_length"].as_i64().unwrap() > 0),
        "a full course with a waiting list"
    );
    assert!(items.iter().any(|c| c["enrolled_count"].as_i64().unwrap() > 0 && c["seats_left"].as_i64().unwrap() > 0));
    // the full course is in `offer` mode, with an open offer for the first in line
    let mut offering = Vec::new();
    for c in items {
        let detail = json(&app, &format!("/api/v1/courses/{}", c["id"]), None).await;
        if detail["waitlist_mode"] == "offer" {
            offering.push(detail);
        }
    }
    assert_eq!(offering.len(), 1, "one course in offer mode");
    assert_eq!((offering[0]["offered_count"].as_i64(), offering[0]["seats_left"].as_i64()), (Some(1), Some(0)));
    assert!(offering[0]["waitlist_length"].as_i64().unwrap() >= 1, "{}", offering[0]);

    // every course has trainers and sessions in a wijk or dorp, in the afternoon or evening
    let mut wijken = BTreeSet::new();
    for c in items {
        let detail = json(&app, &format!("/api/v1/courses/{}", c["id"]), None).await;
        assert!(!detail["trainers"].as_array().unwrap().is_empty(), "{} has a trainer", c["title"]);
        assert!(detail["description_html"].as_str().unwrap().contains("<p>"), "Markdown is rendered");
        for s in detail["sessions"].as_array().unwrap() {
            let starts = instant(&s["starts_at"]).with_timezone(&Amsterdam);
            assert!(
                (9..=20).contains(&starts.hour()) && starts.minute().is_multiple_of(15),
                "{} at {starts}",
                c["title"]
            );
            assert!(instant(&s["ends_at"]) > instant(&s["starts_at"]));
            assert!(!s["place"].as_str().unwrap().is_empty() && !s["address"].as_str().unwrap().is_empty());
            wijken.insert(s["wijk"].as_str().expect("a wijk or dorp").to_owned());
        }
    }
    for place in ["oosterpoort", "selwerd", "de-hoogte", "vinkhuizen", "beijum", "lewenborg", "haren", "ten-boer"] {
        assert!(wijken.contains(place), "a session in {place}: {wijken:?}");
    }

    // a coordinator also sees the draft and the archived course of the past months
    let coordinator = login(&logins, Role::Coordinator);
    let token = app.login_api(&coordinator.email, &coordinator.password).await;
    let all = json(&app, "/api/v1/courses?status=all&per_page=100", Some(&token)).await;
    let statuses: Vec<&str> = all["items"].as_array().unwrap().iter().map(|c| c["status"].as_str().unwrap()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == "draft").count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == "archived").count(), 1, "{statuses:?}");
    let archived = json(&app, "/api/v1/courses?status=archived", Some(&token)).await;
    let id = &archived["items"][0]["id"];
    let past = json(&app, &format!("/api/v1/courses/{id}"), None).await;
    assert!(past["sessions"].as_array().unwrap().iter().all(|s| instant(&s["ends_at"]) < Utc::now()));
    assert!(past["enrolled_count"].as_i64().unwrap() > 0, "the archived course had participants");
}

#[tokio::test]
async fn a_second_run_adds_nothing() {
    let app = app().await;
    created(&app).await;
    let before = counts(&app).await;

    assert!(matches!(run_demo(&app).await, DemoOutcome::AlreadyHasUsers));
    assert_eq!(counts(&app).await, before);
}

#[tokio::test]
async fn a_database_with_accounts_gets_no_demo_data() {
    let app = app().await;
    app.add_user("sanne@example.org", "Sanne de Vries", Role::Admin, "een lange zin als wachtwoord").await;

    assert!(matches!(run_demo(&app).await, DemoOutcome::AlreadyHasUsers));
    assert_eq!(counts(&app).await, (1, 0, 0, 0));
}

#[tokio::test]
async fn a_demo_participant_logs_in_and_finds_their_courses() {
    let app = app().await;
    let logins = created(&app).await;
    let participant = login(&logins, Role::Participant);

    let token = app.login_api(&participant.email, &participant.password).await;
    let me = json(&app, "/api/v1/me", Some(&token)).await;
    assert_eq!(me["role"], "participant");
    assert_eq!(me["email_verified"], true);
    assert!(me["wijk"].is_string() && me["participant_kind"].is_string(), "{me}");
    let mine = json(&app, "/api/v1/me/enrolments", Some(&token)).await;
    assert!(!mine["items"].as_array().unwrap().is_empty(), "the demo participant has enrolments: {mine}");

    // the HTML login form takes the printed password too
    let admin = login(&logins, Role::Admin);
    app.login(&admin.email, &admin.password).await;
    assert!(app.page("/profiel").await.contains(&admin.email));
}

#[tokio::test]
async fn a_first_look_shows_a_running_course_with_marks_rates_and_a_warning() {
    let app = app().await;
    let logins = created(&app).await;
    let coordinator = login(&logins, Role::Coordinator);
    let token = app.login_api(&coordinator.email, &coordinator.password).await;
    let list = json(&app, "/api/v1/courses?q=sterker", None).await;
    let id = list["items"][0]["id"].as_i64().expect("the running course");

    let matrix = json(&app, &format!("/api/v1/courses/{id}/attendance"), Some(&token)).await;
    let rows = matrix["participants"].as_array().expect("participants");
    assert!(rows.len() >= 5, "{matrix}");
    assert!(rows.iter().all(|r| r["attendance_rate"].is_number()), "sessions held, so rates: {matrix}");
    assert!(rows.iter().any(|r| r["absence_warning"] == true), "someone absent twice in a row: {matrix}");
    let late_joiner = rows.iter().filter(|r| r["marks"].as_object().unwrap().values().any(|m| m == "not_expected"));
    assert_eq!(late_joiner.count(), 1, "one joined after the first session: {matrix}");
    assert!(matrix["sessions"].as_array().unwrap().iter().any(|s| s["held"] == false), "sessions to come");
}
