//! Issue 20: the public catalogue is answered from what each instance keeps until the data
//! changes. A kept answer costs no query; nobody sees an answer older than a change whose
//! response they have had, a change from elsewhere (another instance, psql) shows within a
//! moment, and a list ends when a session starts.

use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};

use crate::common::{AppOptions, CourseSpec, TestApp, Visitor, hidden_input, location, spawn_app_with};

async fn quiet_app() -> TestApp {
    spawn_app_with(AppOptions { mail_worker: false, ..AppOptions::default() }).await
}

/// The body of an anonymous GET of `path` (which must answer 200), and the statements it cost.
async fn read(app: &TestApp, path: &str) -> (String, u64) {
    let before = app.pool.query_count();
    let response = app.api_client.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), 200, "GET {path}");
    let body = response.text().await.unwrap();
    (body, app.pool.query_count() - before)
}

/// The app keeps answers once its listener has connected: wait until a second read is free.
async fn wait_until_listening(app: &TestApp) {
    for _ in 0..200 {
        read(app, "/cursussen").await;
        if read(app, "/cursussen").await.1 == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the catalogue is never kept");
}

/// Two reads of `path` in a row: the bodies and what the second cost. This instance hears the
/// notices of the changes made before (the course's creation) once more from PostgreSQL,
/// within a poll or two of its listener, later on a busy machine: a pair that such a notice
/// cut in two is read again, five times at most.
async fn read_twice(app: &TestApp, path: &str) -> (String, String, u64) {
    let mut pair = (String::new(), String::new(), u64::MAX);
    for _ in 0..5 {
        let (first, _) = read(app, path).await;
        let (second, statements) = read(app, path).await;
        pair = (first, second, statements);
        if statements == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    pair
}

/// Read `path` until `seen` holds of the body, for at most `within`; answers whether it did.
async fn shows_within(app: &TestApp, path: &str, within: Duration, seen: impl Fn(&str) -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < within {
        if seen(&read(app, path).await.0) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

#[tokio::test]
async fn a_kept_answer_costs_no_query_and_every_change_ends_it() {
    let app = quiet_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(&app, CourseSpec::new("Buurtkracht in Selwerd", 2)).await;
    let ann = app.participant("Ann Jansen").await;
    let (page, detail) = (course.page(), format!("/api/v1/courses/{}", course.id));
    let paths = ["/cursussen", "/api/v1/courses", page.as_str(), detail.as_str()];

    wait_until_listening(&app).await;
    for path in paths {
        let (first, second, statements) = read_twice(&app, path).await;
        assert_eq!(statements, 0, "GET {path} again is answered from what was kept");
        assert!(first.contains("Nog 2 plekken") || first.contains("\"seats_left\":2"), "{path}: {first}");
        assert_eq!(strip_csrf(&first), strip_csrf(&second), "GET {path}: the kept answer is the same");
    }

    // Ann enrols: the very next reads show one seat left, everywhere
    let (status, body) = ann.enrol(&app, &course).await;
    assert_eq!(status, 201, "{body}");
    for path in paths {
        let (body, statements) = read(&app, path).await;
        assert!(statements > 0, "GET {path} after the change reads the database");
        assert!(body.contains("Nog 1 plek") || body.contains("\"seats_left\":1"), "{path} after enrolling: {body}");
    }

    // a change made elsewhere (psql, another instance) is heard from PostgreSQL
    let mut elsewhere = PgConnection::establish(app.db.url()).expect("a connection of our own");
    elsewhere
        .batch_execute(&format!("UPDATE courses SET title = 'Buurtkracht in Beijum' WHERE id = {}", course.id))
        .expect("rename the course");
    for path in paths {
        assert!(
            shows_within(&app, path, Duration::from_secs(2), |body| body.contains("Buurtkracht in Beijum")).await,
            "{path} shows the new title within two seconds"
        );
    }
    app.finish();
}

#[tokio::test]
async fn a_kept_list_ends_when_a_session_starts() {
    let app = quiet_app().await;
    // a published course whose only session starts in ten seconds (the only way to watch
    // time pass in a test: the answer depends on the moment itself, not on a time of day)
    wait_until_listening(&app).await;
    app.execute(
        "INSERT INTO courses (slug, title, summary, description, theme_id, capacity, status)
         VALUES ('bijna-begonnen', 'Bijna begonnen', 'Kort', 'Kort', (SELECT id FROM themes LIMIT 1), 10, 'published')",
    )
    .await;
    app.execute(
        "INSERT INTO course_sessions (course_id, starts_at, ends_at, place, address, wijk)
         SELECT id, now() + interval '10 seconds', now() + interval '2 hours', 'Buurthuis', 'Straat 1', 'selwerd'
         FROM courses WHERE slug = 'bijna-begonnen'",
    )
    .await;
    let started = Instant::now() + Duration::from_secs(10);
    // the inserts' notice may reach the server after its first read (a busy machine): read
    // until an answer is kept, while the session is more than a second away
    let (mut body, mut kept, mut reads) = (String::new(), false, 0);
    while !kept && Instant::now() + Duration::from_secs(1) < started {
        let (answer, statements) = read(&app, "/api/v1/courses").await;
        (body, kept, reads) = (answer, statements == 0, reads + 1);
        if !kept {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    // on a machine too busy to read three times before the session starts only the end is checked
    if reads > 0 {
        assert!(body.contains("Bijna begonnen"), "listed before it starts: {body}");
    }
    assert!(kept || reads < 3, "kept until the session starts: {reads} reads, each from the database");
    tokio::time::sleep_until((started + Duration::from_millis(300)).into()).await;
    let (body, _) = read(&app, "/api/v1/courses").await;
    assert!(!body.contains("Bijna begonnen"), "a course that has begun is no longer upcoming: {body}");
    app.finish();
}

/// A page without its CSRF token (each answer may carry a fresh one).
fn strip_csrf(page: &str) -> String {
    page.split("csrf_token").next().unwrap_or(page).to_owned()
}

#[tokio::test]
async fn a_logged_in_reader_costs_no_query_once_kept_and_sees_their_own_enrolment_at_once() {
    let app = quiet_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(&app, CourseSpec::new("Samen de wijk vergroenen", 5)).await;
    let ann = app.participant("Ann Ingeschreven").await;
    let browser = Visitor::logged_in(&app, &ann);
    let page = course.page();
    wait_until_listening(&app).await;
    // the notices of the course's creation reach this instance once more, within a poll or two
    tokio::time::sleep(Duration::from_millis(150)).await;
    // the reader's GET of `path`: its body and the statements it cost
    let read_as = |path: String| {
        let (app, browser) = (&app, &browser);
        async move {
            let before = app.pool.query_count();
            let body = browser.page(&path).await;
            (body, app.pool.query_count() - before)
        }
    };
    let bearer = |path: &'static str| {
        let (app, token) = (&app, ann.token.clone());
        async move {
            let before = app.pool.query_count();
            let response = app.api_client.get(app.url(path)).bearer_auth(token).send().await.unwrap();
            assert_eq!(response.status(), 200, "GET {path}");
            app.pool.query_count() - before
        }
    };

    for path in ["/cursussen".to_owned(), page.clone()] {
        read_as(path.clone()).await;
        let (body, statements) = read_as(path.clone()).await;
        assert_eq!(statements, 0, "GET {path} logged in, again: nothing read");
        assert!(body.contains("Ann Ingeschreven"), "logged in: {body}");
        assert!(!body.contains("Je bent ingeschreven voor deze cursus."), "{path}: {body}");
    }
    bearer("/api/v1/courses").await;
    assert_eq!(bearer("/api/v1/courses").await, 0, "the API list with a bearer token, again: nothing read");

    // Ann enrols: her very next read of the page says so; cancelling, the next says not
    assert_eq!(ann.enrol(&app, &course).await.0, 201);
    let (body, _) = read_as(page.clone()).await;
    assert!(body.contains("Je bent ingeschreven voor deze cursus."), "at once after enrolling: {body}");
    assert!(body.contains("Nog 4 plekken"), "{body}");
    tokio::time::sleep(Duration::from_millis(150)).await; // the enrolment's notice comes back
    read_as(page.clone()).await;
    let (_, statements) = read_as(page.clone()).await;
    assert_eq!(statements, 0, "kept again");
    assert_eq!(ann.cancel(&app, &course).await.0, 200);
    let (body, _) = read_as(page.clone()).await;
    assert!(!body.contains("Je bent ingeschreven voor deze cursus."), "at once after cancelling: {body}");
    assert!(body.contains("Nog 5 plekken"), "{body}");
    app.finish();
}

#[tokio::test]
async fn a_kept_page_carries_each_readers_own_token_name_and_menu() {
    let app = quiet_app().await;
    let coordinator = app.coordinator().await;
    coordinator.create_course(&app, CourseSpec::new("Buurtkracht in Selwerd", 5)).await;
    let (ann, bob) = (app.participant("Ann Akker").await, app.participant("Bob Bakker").await);
    wait_until_listening(&app).await;

    // two strangers: the page is made once, and each gets the token their own cookie asks for
    // (read again when a late notice of the course's creation came between the two)
    let (first, second) = (Visitor::new(&app), Visitor::new(&app));
    let (mut page_of_first, mut page_of_second, mut statements) = (String::new(), String::new(), u64::MAX);
    for _ in 0..5 {
        page_of_first = first.page("/cursussen").await;
        let before = app.pool.query_count();
        page_of_second = second.page("/cursussen").await;
        statements = app.pool.query_count() - before;
        if statements == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(statements, 0, "the second stranger's page was kept");
    let (token_of_first, token_of_second) =
        (hidden_input(&page_of_first, "csrf_token").unwrap(), hidden_input(&page_of_second, "csrf_token").unwrap());
    assert_ne!(token_of_first, token_of_second);
    assert!(!page_of_second.contains(&token_of_first), "nothing of the first stranger on the second's page");
    for (visitor, token) in [(&first, &token_of_first), (&second, &token_of_second)] {
        let response = visitor
            .post_form_raw(
                "/taal",
                &[("lang", "en"), ("terug", "/cursussen"), ("csrf_token", token)],
                &[("origin", &visitor.address)],
            )
            .await;
        assert_eq!(response.status(), 303, "the kept page's form works with the reader's own token");
    }
    let refused = second
        .post_form_raw("/taal", &[("lang", "en"), ("csrf_token", &token_of_first)], &[("origin", &second.address)])
        .await;
    assert_eq!(refused.status(), 403, "another reader's token is refused");

    // logged in: each reader sees their own name and menu, and their own token logs them out
    let staff = Visitor::logged_in(&app, &coordinator);
    let readers = [(Visitor::logged_in(&app, &ann), "Ann Akker"), (Visitor::logged_in(&app, &bob), "Bob Bakker")];
    assert!(staff.page("/cursussen").await.contains("href=\"/beheer/cursussen\""), "a coordinator's menu");
    for (reader, name) in &readers {
        let page = reader.page("/cursussen").await;
        assert!(page.contains(name), "{name} sees their name: {page}");
        for other in ["Ann Akker", "Bob Bakker"].into_iter().filter(|other| other != name) {
            assert!(!page.contains(other), "{name} does not see {other}");
        }
        assert!(!page.contains("href=\"/beheer/cursussen\""), "{name} has no coordinator's menu");
    }
    let (ann_reader, _) = &readers[0];
    let logout = ann_reader.submit("/cursussen", "/uitloggen", &[]).await;
    assert_eq!(logout.status(), 303);
    assert_eq!(location(&logout), "/?melding=logged-out");
    assert!(!ann_reader.page("/cursussen").await.contains("Ann Akker"), "logged out: the page no longer names her");
    app.finish();
}
