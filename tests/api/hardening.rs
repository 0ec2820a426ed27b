//! Hostile and careless input never reaches a 500, and changes nothing: control characters
//! anywhere, slugs that keep coming, one new person enrolled everywhere at once, header
//! injection through a form value, a capacity below the people enrolled, a dead session
//! cookie, HEAD and wrong methods, spoofed proxy headers and unsafe production settings.

use std::process::{Command, Stdio};

use reqwest::Method;
use serde_json::{Value, json};
use wijkmakers::auth::Role;

use crate::common::{CourseSpec, TempDir, Visitor, course_body, fields, header, location, problem, spawn_app, with};

fn code_of(problem: &Value, field: &str) -> String {
    problem["errors"]
        .as_array()
        .and_then(|errors| errors.iter().find(|e| e["field"] == field))
        .and_then(|e| e["code"].as_str())
        .unwrap_or_else(|| panic!("{field} not named in {problem}"))
        .to_owned()
}

#[tokio::test]
async fn a_nul_in_a_json_body_is_422_naming_the_field_and_stores_nothing() {
    let app = spawn_app().await;
    let cora = app.coordinator().await;
    for (body, field) in [
        (with(course_body("Energie\u{0}café"), json!({})), "title"),
        (with(course_body("Energiecafé"), json!({"description": "Eerste regel\n\u{0}"})), "description"),
        (with(course_body("Energiecafé"), json!({"summary": "bel \u{7} aan"})), "summary"),
    ] {
        let (status, answer) = cora.post_json(&app, "/api/v1/courses", &body).await;
        assert_eq!(status, 422, "{answer}");
        assert_eq!(code_of(&answer, field), "invisible-chars");
    }
    // deeper in the body, the path names the place
    let (status, answer) = cora
        .post_json(&app, "/api/v1/courses/1/enrolments", &json!({"email": "nieuw@example.org", "name": "A\u{0}"}))
        .await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(code_of(&answer, "name"), "invisible-chars");
    assert_eq!(app.int("SELECT count(*) AS v FROM courses").await, 0);
    assert_eq!(app.int("SELECT count(*) AS v FROM users").await, 1, "no account for the refused person");

    // the positive control: line breaks and tabs in a multi-line field are fine
    let body = with(course_body("Energiecafé"), json!({"description": "Eerste regel\n\tTweede regel"}));
    let (status, answer) = cora.post_json(&app, "/api/v1/courses", &body).await;
    assert_eq!(status, 201, "{answer}");
}

#[tokio::test]
async fn a_nul_in_a_form_field_is_refused_naming_it_and_stores_nothing() {
    let app = spawn_app().await;
    let ann = app.participant("Ann de Vries").await;
    let visitor = Visitor::logged_in(&app, &ann);
    let response = visitor.submit("/profiel", "/profiel", &[("name", "Ann\u{0}"), ("locale", "nl")]).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("onzichtbaar teken"), "{page}");
    assert_eq!(app.text(&format!("SELECT name AS v FROM users WHERE id = {}", ann.id)).await.unwrap(), "Ann de Vries");

    // registering: nothing stored, no email
    let stranger = Visitor::new(&app);
    let response = stranger
        .submit(
            "/registreren",
            "/registreren",
            &[
                ("email", "bert@example.org"),
                ("name", "Bert\u{1b}[31m"),
                ("password", "een lang wachtwoord"),
                ("privacy_consent", "ja"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(app.int("SELECT count(*) AS v FROM users WHERE email = 'bert@example.org'").await, 0);
}

#[tokio::test]
async fn a_nul_in_a_query_parameter_is_422_naming_the_parameter() {
    let app = spawn_app().await;
    for path in ["/api/v1/courses?q=%00", "/api/v1/courses?theme=energie%00", "/api/v1/courses?page=1%00"] {
        let (status, answer) = problem(app.get(path).await).await;
        assert_eq!(status, 422, "{path}: {answer}");
        let field = path.split('?').nth(1).unwrap().split('=').next().unwrap();
        assert_eq!(fields(&answer), [field], "{path}");
    }
    for path in ["/cursussen?q=%00", "/cursussen?thema=%00", "/cursussen?wijk=x%01y"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 422, "{path}");
        assert!(header(&response, "content-type").starts_with("text/html"));
        assert!(response.text().await.unwrap().contains("onzichtbaar teken"), "{path}");
    }
    // the positive control
    assert_eq!(app.get("/cursussen?q=energie").await.status(), 200);
}

#[tokio::test]
async fn a_control_character_in_a_path_names_nothing_that_exists() {
    let app = spawn_app().await;
    for path in
        ["/cursussen/%00", "/agenda/%00.ics", "/api/v1/courses/%00", "/cursussen/energie%0A", "/beheer/themas/x%00"]
    {
        let response = app.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
    }
    let (status, _) = problem(app.get("/api/v1/courses/%00").await).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn courses_with_the_same_title_always_get_a_slug() {
    let app = spawn_app().await;
    let cora = app.coordinator().await;
    let mut slugs = Vec::new();
    for _ in 0..52 {
        let course = cora.post_course(&app, course_body("Buurtbudget")).await;
        slugs.push(course["slug"].as_str().unwrap().to_owned());
    }
    assert_eq!(slugs[0], "buurtbudget");
    assert_eq!(slugs[1], "buurtbudget-2");
    assert_eq!(slugs[50], "buurtbudget-51");
    assert_eq!(slugs[51], "buurtbudget-52");
    let mut unique = slugs.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 52);
}

#[tokio::test]
async fn new_people_enrolled_in_several_courses_at_once_get_one_account_each() {
    let app = spawn_app().await;
    let cora = app.coordinator().await;
    let mut courses = Vec::new();
    for n in 0..5 {
        courses.push(cora.create_course(&app, CourseSpec::new(&format!("Cursus {n}"), 20)).await);
    }
    let mut requests = Vec::new();
    for p in 0..10 {
        for course in &courses {
            let (app, cora, path) = (&app, &cora, course.enrolments_path());
            requests.push(async move {
                let body = json!({"email": format!("nieuw{p}@example.org"), "name": format!("Nieuw {p}")});
                cora.post_json(app, &path, &body).await
            });
        }
    }
    let answers = futures_util::future::join_all(requests).await;
    for (status, body) in &answers {
        assert_eq!(*status, 201, "{body}");
    }
    assert_eq!(app.int("SELECT count(*) AS v FROM users WHERE email LIKE 'nieuw%'").await, 10);
    assert_eq!(
        app.int(
            "SELECT count(*) AS v FROM enrolments e JOIN users u ON u.id = e.user_id \
             WHERE u.email LIKE 'nieuw%' AND e.status = 'enrolled'"
        )
        .await,
        50
    );
    app.settle_outbox().await;
    assert_eq!(app.int("SELECT count(*) AS v FROM outbox WHERE idempotency_key LIKE 'invite:%'").await, 10);
}

#[tokio::test]
async fn a_status_from_a_form_is_parsed_before_anything_is_saved_and_never_reaches_a_header() {
    let app = spawn_app().await;
    let cora = app.coordinator().await;
    let course = cora.create_course(&app, CourseSpec::new("Energiecafé", 10)).await;
    let visitor = Visitor::logged_in(&app, &cora);
    let manage = course.manage_page();
    let action = format!("/beheer/cursussen/{}/status", course.id);

    let response = visitor.submit(&manage, &action, &[("status", "archived\r\nX-Injected: ja")]).await;
    assert_eq!(response.status(), 422);
    assert!(response.headers().get("x-injected").is_none());
    assert_eq!(
        app.text(&format!("SELECT status::text AS v FROM courses WHERE id = {}", course.id)).await.unwrap(),
        "published"
    );

    // a stray line ending around a right word is the word
    let response = visitor.submit(&manage, &action, &[("status", "archived\r\n")]).await;
    assert_eq!(response.status(), 303);
    let to = location(&response);
    assert_eq!(to, format!("/beheer/cursussen/{}?melding=status-archived", course.id));
    assert_eq!(
        app.text(&format!("SELECT status::text AS v FROM courses WHERE id = {}", course.id)).await.unwrap(),
        "archived"
    );
}

#[tokio::test]
async fn fewer_seats_than_people_enrolled_is_409_with_both_numbers() {
    let app = spawn_app().await;
    let cora = app.coordinator().await;
    let course = cora.create_course(&app, CourseSpec::new("Energiecafé", 4)).await;
    for person in app.people("deelnemer", 3, Role::Participant).await {
        assert_eq!(person.enrols_in(&app, &course).await, "enrolled");
    }
    let (status, answer) =
        cora.patch_json(&app, &format!("/api/v1/courses/{}", course.id), &json!({"capacity": 2})).await;
    assert_eq!(status, 409, "{answer}");
    let detail = answer["detail"].as_str().unwrap();
    assert!(detail.contains('3') && detail.contains('2'), "{detail}");
    assert_eq!(app.int(&format!("SELECT capacity::bigint AS v FROM courses WHERE id = {}", course.id)).await, 4);

    // the form says it by the capacity field
    let visitor = Visitor::logged_in(&app, &cora);
    let edit = format!("/beheer/cursussen/{}/bewerken", course.id);
    let fields = [
        ("title", "Energiecafé"),
        ("theme", "energietransitie"),
        ("format", "cursus"),
        ("capacity", "2"),
        ("cancellation_deadline_hours", "24"),
        ("completion_threshold", "80"),
        ("waitlist_enabled", "ja"),
    ];
    let response = visitor.submit(&edit, &edit, &fields).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("Er zijn al 3 mensen ingeschreven"), "{page}");
    // lowering to exactly the number enrolled is fine
    let (status, _) = cora.patch_json(&app, &format!("/api/v1/courses/{}", course.id), &json!({"capacity": 3})).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_browser_with_a_dead_session_cookie_logs_in_the_first_time() {
    let app = spawn_app().await;
    let ann = app.participant("Ann").await;
    let visitor = Visitor::new(&app);
    visitor.login_as(&ann).await;
    assert_eq!(visitor.get("/profiel").await.status(), 200);
    // the session ends elsewhere ("log out everywhere", or it expired)
    app.execute(&format!("UPDATE login_sessions SET revoked_at = now() WHERE user_id = {}", ann.id)).await;

    let response = visitor.login(&ann.email, &ann.password).await;
    assert_eq!(response.status(), 303);
    assert_eq!(visitor.get("/profiel").await.status(), 200);

    // and the registration form too
    app.execute(&format!("UPDATE login_sessions SET revoked_at = now() WHERE user_id = {}", ann.id)).await;
    let response = visitor
        .post_form(
            "/registreren",
            &[
                ("email", "bert@example.org"),
                ("name", "Bert"),
                ("password", "een lang wachtwoord"),
                ("privacy_consent", "ja"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap_or_default());
}

#[tokio::test]
async fn head_answers_wherever_get_does_without_a_body() {
    let app = spawn_app().await;
    let cora = app.coordinator().await;
    let course = cora.create_course(&app, CourseSpec::new("Energiecafé", 10)).await;
    for path in ["/", "/cursussen", &course.page(), "/cursussen/agenda.ics", "/api/v1/courses", "/healthz", "/readyz"] {
        let get = app.api_client.get(app.url(path)).send().await.unwrap();
        let head = app.api_client.head(app.url(path)).send().await.unwrap();
        assert_eq!(head.status(), get.status(), "{path}");
        assert_eq!(header(&head, "content-type"), header(&get, "content-type"), "{path}");
        let length = get.bytes().await.unwrap().len();
        assert_eq!(header(&head, "content-length"), length.to_string(), "{path}");
        assert!(head.bytes().await.unwrap().is_empty(), "{path}");
    }
}

#[tokio::test]
async fn a_known_path_with_another_method_is_405_with_allow() {
    let app = spawn_app().await;
    for (method, path, allow) in [
        (Method::DELETE, "/cursussen", "GET, HEAD"),
        (Method::POST, "/healthz", "GET, HEAD"),
        (Method::PUT, "/inloggen", "GET, POST, HEAD"),
        (Method::PUT, "/api/v1/courses", "GET, POST, HEAD"),
        (Method::DELETE, "/api/v1/themes", "GET, POST, HEAD"),
    ] {
        let response = app.api_client.request(method.clone(), app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 405, "{method} {path}");
        assert_eq!(header(&response, "allow"), allow, "{method} {path}");
        if path.starts_with("/api/") {
            assert_eq!(header(&response, "content-type"), "application/problem+json");
        }
    }
    // an unknown path stays 404
    let response = app.api_client.delete(app.url("/bestaat-niet")).send().await.unwrap();
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn a_client_cannot_choose_its_own_address() {
    let app = spawn_app().await;
    let ann = app.participant("Ann").await;
    let login = |address: String, forwarded: &'static str| {
        let (email, password) = (ann.email.clone(), ann.password.clone());
        async move {
            let response = reqwest::Client::new()
                .post(format!("{address}/api/v1/auth/login"))
                .header("x-forwarded-for", forwarded)
                .json(&json!({"email": email, "password": password}))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200);
        }
    };
    let last = format!("SELECT ip AS v FROM login_sessions WHERE user_id = {} ORDER BY id DESC LIMIT 1", ann.id);
    let last_ip = || app.text(&last);
    // without TRUST_PROXY the header means nothing
    login(app.address.clone(), "6.6.6.6").await;
    assert_eq!(last_ip().await.unwrap(), "127.0.0.1");
    // behind a trusted proxy: the right-most address the proxies did not add, never the left-most
    let proxied = app.start_instance_with(|config| {
        config.trust_proxy = true;
        config.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()];
    });
    login(proxied.address.clone(), "6.6.6.6, 203.0.113.9").await;
    assert_eq!(last_ip().await.unwrap(), "203.0.113.9");
    login(proxied.address.clone(), "6.6.6.6, 203.0.113.9, 127.0.0.1").await;
    assert_eq!(last_ip().await.unwrap(), "203.0.113.9");
}

#[tokio::test]
async fn the_origin_check_believes_forwarded_hosts_only_from_a_trusted_proxy() {
    let app = spawn_app().await;
    let visitor = Visitor::new(&app);
    let token = visitor.csrf_token("/").await;
    let spoofed = [("origin", "http://evil.example"), ("x-forwarded-host", "evil.example")];
    let response =
        visitor.post_form_raw("/taal", &[("lang", "en"), ("terug", "/"), ("csrf_token", &token)], &spoofed).await;
    assert_eq!(response.status(), 403);
    // the positive control
    let own = [("origin", app.address.as_str())];
    let response =
        visitor.post_form_raw("/taal", &[("lang", "en"), ("terug", "/"), ("csrf_token", &token)], &own).await;
    assert_eq!(response.status(), 303);
}

/// `wijkmakers migrate` with exactly these variables (and the test database).
fn migrate_with(database_url: &str, vars: &[(&str, &str)]) -> (bool, String) {
    let dir = TempDir::new("settings");
    let output = Command::new(env!("CARGO_BIN_EXE_wijkmakers"))
        .arg("migrate")
        .current_dir(dir.path())
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", database_url)
        .envs(vars.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("run wijkmakers");
    (output.status.success(), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[tokio::test]
async fn production_refuses_plain_http_on_a_public_address_unless_allowed() {
    let app = spawn_app().await;
    let url = app.db.url().to_owned();
    let key = "k".repeat(40);
    let run = |extra: &[(&str, &str)]| {
        let mut vars = vec![("APP_ENV".to_owned(), "production".to_owned()), ("SECRET_KEY".to_owned(), key.clone())];
        vars.extend(extra.iter().map(|(a, b)| (a.to_string(), b.to_string())));
        let url = url.clone();
        tokio::task::spawn_blocking(move || {
            let vars: Vec<(&str, &str)> = vars.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            migrate_with(&url, &vars)
        })
    };
    let (ok, stderr) = run(&[("BASE_URL", "http://academie.example.org")]).await.unwrap();
    assert!(!ok, "started on plain http");
    assert!(stderr.contains("BASE_URL") && stderr.contains("ALLOW_INSECURE_HTTP"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");

    for allowed in [
        vec![("BASE_URL", "https://academie.example.org")],
        vec![("BASE_URL", "http://localhost:8080")],
        vec![("BASE_URL", "http://academie.example.org"), ("ALLOW_INSECURE_HTTP", "true")],
    ] {
        let (ok, stderr) = run(&allowed).await.unwrap();
        assert!(ok, "{allowed:?}: {stderr}");
    }
}

#[test]
fn docker_compose_ships_no_usable_secret_and_no_demo_by_default() {
    let compose = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docker-compose.yml")).unwrap();
    assert!(compose.contains("SECRET_KEY: ${SECRET_KEY:?"), "compose must stop until SECRET_KEY is set");
    assert!(compose.contains("DEMO: ${DEMO:-false}"));
    assert!(!compose.contains("--demo"), "the demo runs only when asked for");
    assert!(!compose.contains("change-me"), "no placeholder key");
}
