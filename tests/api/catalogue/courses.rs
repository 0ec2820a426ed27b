//! Courses through the API: defaults, slugs, validation, the status lifecycle, who sees
//! what, who may change what, and Markdown that cannot run anything.

use reqwest::Method;
use serde_json::{Value, json};
use wijkmakers::auth::Role;

use super::{
    add_session, ahead, assert_invalid, call, course_body, create_course, fields, get, id, patch, person, post,
    published, set_status, with,
};
use crate::common::spawn_app;

#[tokio::test]
async fn a_new_course_is_a_draft_with_the_defaults() {
    let app = spawn_app().await;
    let token = person(&app, "Cora Coordinator", Role::Coordinator).await.token;

    let course = create_course(&app, &token, course_body("Samen sterk in de wijk")).await;
    assert!(id(&course) > 0);
    assert_eq!(course["slug"], "samen-sterk-in-de-wijk");
    assert_eq!(course["title"], "Samen sterk in de wijk");
    assert_eq!(course["theme"], "wijkvernieuwing");
    assert_eq!(course["capacity"], 12);
    assert_eq!(course["format"], "cursus");
    assert_eq!(course["waitlist_enabled"], true);
    assert_eq!(course["cancellation_deadline_hours"], 24);
    assert_eq!(course["completion_threshold"], 80);
    assert_eq!(course["status"], "draft");
    assert_eq!(course["enrolment_opens_at"], Value::Null);
    assert_eq!(course["sessions"], json!([]));
    assert_eq!(course["trainers"], json!([]));
    assert_eq!(course["seats_left"], 12);

    // what is given is kept; local times are Amsterdam time
    let body = with(
        course_body("Werkplaats energie"),
        json!({
            "theme": "energietransitie", "format": "werkplaats", "waitlist_enabled": false,
            "cancellation_deadline_hours": 48, "completion_threshold": 60, "audience": "Bewoners van Beijum",
            "summary": "Minder energie gebruiken.", "enrolment_opens_at": "2027-01-10T09:00",
            "enrolment_closes_at": "2027-03-01T12:00:00+01:00"
        }),
    );
    let course = create_course(&app, &token, body).await;
    assert_eq!(course["format"], "werkplaats");
    assert_eq!(course["waitlist_enabled"], false);
    assert_eq!(course["cancellation_deadline_hours"], 48);
    assert_eq!(course["completion_threshold"], 60);
    assert_eq!(course["audience"], "Bewoners van Beijum");
    assert_eq!(course["summary"], "Minder energie gebruiken.");
    assert_eq!(
        instant(&course["enrolment_opens_at"]),
        "2027-01-10T08:00:00Z".parse::<chrono::DateTime<chrono::Utc>>().unwrap()
    );
    assert_eq!(
        instant(&course["enrolment_closes_at"]),
        "2027-03-01T11:00:00Z".parse::<chrono::DateTime<chrono::Utc>>().unwrap()
    );

    // and read back the same
    let (status, read) = get(&app, &format!("/api/v1/courses/{}", id(&course)), Some(&token)).await;
    assert_eq!(status, 200);
    assert_eq!(read["format"], "werkplaats");
    assert_eq!(read["status"], "draft");
}

/// An RFC 3339 time with an offset, as the API must answer them.
pub fn instant(value: &Value) -> chrono::DateTime<chrono::Utc> {
    let text = value.as_str().unwrap_or_else(|| panic!("not a time: {value}"));
    chrono::DateTime::parse_from_rfc3339(text).unwrap_or_else(|e| panic!("not RFC 3339 ({e}): {text}")).to_utc()
}

#[tokio::test]
async fn slugs_come_from_the_title_are_unique_and_do_not_change() {
    let app = spawn_app().await;
    let token = person(&app, "Cora Coordinator", Role::Coordinator).await.token;

    let first = create_course(&app, &token, course_body("Samen sterk in de wijk")).await;
    let second = create_course(&app, &token, course_body("Samen sterk in de wijk")).await;
    let third = create_course(&app, &token, course_body("Samen  sterk in de wijk!")).await;
    assert_eq!(first["slug"], "samen-sterk-in-de-wijk");
    assert_eq!(second["slug"], "samen-sterk-in-de-wijk-2");
    assert_eq!(third["slug"], "samen-sterk-in-de-wijk-3");

    let accents = create_course(&app, &token, course_body("Één wijk")).await;
    assert_eq!(accents["slug"], "een-wijk");
    let more = create_course(&app, &token, course_body("Café-avond: Çà & là in Zuidwest")).await;
    let slug = more["slug"].as_str().unwrap();
    assert!(slug.starts_with("cafe-avond"), "{slug}");
    assert!(slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{slug}");

    // a new title keeps the slug, so links and bookmarks keep working
    let (status, renamed) =
        patch(&app, &format!("/api/v1/courses/{}", id(&first)), json!({"title": "Sterk in je wijk"}), &token).await;
    assert_eq!(status, 200, "{renamed}");
    assert_eq!(renamed["title"], "Sterk in je wijk");
    assert_eq!(renamed["slug"], "samen-sterk-in-de-wijk");
    let (_, read) = get(&app, &format!("/api/v1/courses/{}", id(&first)), Some(&token)).await;
    assert_eq!(read["slug"], "samen-sterk-in-de-wijk");

    // a new course with the old title still gets a slug of its own
    let fourth = create_course(&app, &token, course_body("Samen sterk in de wijk")).await;
    assert_eq!(fourth["slug"], "samen-sterk-in-de-wijk-4");
}

#[tokio::test]
async fn invalid_courses_are_refused_with_a_message_for_the_field() {
    let app = spawn_app().await;
    let token = person(&app, "Cora Coordinator", Role::Coordinator).await.token;
    let cases: Vec<(&str, Value, &str)> = vec![
        ("empty title", json!({"title": ""}), "title"),
        ("blank title", json!({"title": "   "}), "title"),
        ("capacity 0", json!({"capacity": 0}), "capacity"),
        ("negative capacity", json!({"capacity": -3}), "capacity"),
        ("capacity not a number", json!({"capacity": "abc"}), "capacity"),
        ("unknown theme", json!({"theme": "astrologie"}), "theme"),
        ("bad format", json!({"format": "lezing"}), "format"),
        (
            "closes before opens",
            json!({"enrolment_opens_at": "2027-03-01T10:00", "enrolment_closes_at": "2027-02-01T10:00"}),
            "enrolment_closes_at",
        ),
        ("not a time", json!({"enrolment_opens_at": "volgende week"}), "enrolment_opens_at"),
        ("threshold over 100", json!({"completion_threshold": 101}), "completion_threshold"),
        ("threshold 0", json!({"completion_threshold": 0}), "completion_threshold"),
        ("negative deadline", json!({"cancellation_deadline_hours": -1}), "cancellation_deadline_hours"),
        ("created as published", json!({"status": "published"}), "status"),
        ("created as archived", json!({"status": "archived"}), "status"),
        ("unknown status", json!({"status": "klaar"}), "status"),
    ];
    for (what, change, field) in cases {
        let answer = post(&app, "/api/v1/courses", with(course_body("Geldige titel"), change), &token).await;
        assert_eq!(answer.0, 422, "{what}: {}", answer.1);
        assert_eq!(answer.1["type"], "/problemen/validation", "{what}");
        assert_invalid(&answer, field);
    }
    let missing = post(&app, "/api/v1/courses", json!({"summary": "Alleen een samenvatting"}), &token).await;
    for field in ["title", "theme", "capacity"] {
        assert_invalid(&missing, field);
    }
    let (_, all) = get(&app, "/api/v1/courses?status=all", Some(&token)).await;
    assert_eq!(all["total"], 0, "nothing was created: {all}");

    // the positive control: the same body without the mistake is accepted
    create_course(&app, &token, course_body("Geldige titel")).await;
}

#[tokio::test]
async fn several_bad_fields_are_all_named_at_once() {
    let app = spawn_app().await;
    let token = person(&app, "Cora Coordinator", Role::Coordinator).await.token;
    let body = json!({
        "title": "", "capacity": 0, "theme": "astrologie", "format": "lezing",
        "completion_threshold": 150, "enrolment_opens_at": "2027-03-01T10:00", "enrolment_closes_at": "2027-01-01T10:00"
    });
    let answer = post(&app, "/api/v1/courses", body, &token).await;
    assert_eq!(answer.0, 422, "{}", answer.1);
    let named = fields(&answer.1);
    for field in ["title", "capacity", "theme", "format", "completion_threshold", "enrolment_closes_at"] {
        assert!(named.iter().any(|f| f == field), "{field} not named: {named:?}");
    }

    // the same on a change
    let course = create_course(&app, &token, course_body("Buurtbudget")).await;
    let answer = patch(
        &app,
        &format!("/api/v1/courses/{}", id(&course)),
        json!({"title": " ", "capacity": -1, "status": "archived"}),
        &token,
    )
    .await;
    let named = fields(&answer.1);
    for field in ["title", "capacity", "status"] {
        assert!(named.iter().any(|f| f == field), "{field} not named: {named:?}");
    }
    let (_, unchanged) = get(&app, &format!("/api/v1/courses/{}", id(&course)), Some(&token)).await;
    assert_eq!((unchanged["title"].as_str(), unchanged["capacity"].as_i64()), (Some("Buurtbudget"), Some(12)));
}

#[tokio::test]
async fn courses_move_only_along_the_allowed_transitions() {
    let app = spawn_app().await;
    let token = person(&app, "Cora Coordinator", Role::Coordinator).await.token;
    let path = |course: &Value| format!("/api/v1/courses/{}", id(course));
    let to = |status: &str| json!({ "status": status });

    let course = create_course(&app, &token, course_body("Levenscyclus")).await;
    for jump in ["archived", "cancelled"] {
        let answer = patch(&app, &path(&course), to(jump), &token).await;
        assert_eq!(assert_invalid(&answer, "status"), "status-transition", "draft → {jump}");
    }
    // publishing needs a session
    let answer = patch(&app, &path(&course), to("published"), &token).await;
    assert_eq!(assert_invalid(&answer, "status"), "publish-without-sessions");
    let (_, read) = get(&app, &path(&course), Some(&token)).await;
    assert_eq!(read["status"], "draft");

    add_session(&app, &token, id(&course), "2027-04-01T19:30", "2027-04-01T21:30", "selwerd").await;
    set_status(&app, &token, id(&course), "published").await;
    let answer = patch(&app, &path(&course), to("draft"), &token).await;
    assert_eq!(assert_invalid(&answer, "status"), "status-transition", "published → draft");
    set_status(&app, &token, id(&course), "archived").await;
    for next in ["published", "cancelled", "draft"] {
        let answer = patch(&app, &path(&course), to(next), &token).await;
        assert_eq!(assert_invalid(&answer, "status"), "status-transition", "archived → {next}");
    }

    let other = published(&app, &token, course_body("Gaat niet door"), "2027-05-01", "beijum").await;
    set_status(&app, &token, id(&other), "cancelled").await;
    for next in ["published", "draft"] {
        let answer = patch(&app, &path(&other), to(next), &token).await;
        assert_eq!(assert_invalid(&answer, "status"), "status-transition", "cancelled → {next}");
    }
    set_status(&app, &token, id(&other), "archived").await;

    let answer = patch(&app, &path(&other), to("weg"), &token).await;
    assert_invalid(&answer, "status");
    let (status, _) = patch(&app, "/api/v1/courses/999999", to("published"), &token).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn only_published_and_archived_courses_are_public() {
    let app = spawn_app().await;
    let coordinator = person(&app, "Cora Coordinator", Role::Coordinator).await;
    let participant = person(&app, "Piet Participant", Role::Participant).await;
    let trainer = person(&app, "Tineke Trainer", Role::Trainer).await;
    let token = coordinator.token.as_str();

    let draft = create_course(&app, token, course_body("Nog een concept")).await;
    add_session(&app, token, id(&draft), &ahead("2027-04-01T19:30"), &ahead("2027-04-01T21:30"), "selwerd").await;
    let open = published(&app, token, course_body("Open cursus"), &ahead("2027-04-02"), "selwerd").await;
    let cancelled = published(&app, token, course_body("Afgelast"), &ahead("2027-04-03"), "selwerd").await;
    set_status(&app, token, id(&cancelled), "cancelled").await;
    let archived = published(&app, token, course_body("Voorbij"), &ahead("2027-04-04"), "selwerd").await;
    set_status(&app, token, id(&archived), "archived").await;

    let viewers = [
        ("anonymous", None),
        ("participant", Some(participant.token.as_str())),
        ("trainer", Some(trainer.token.as_str())),
    ];
    for (who, bearer) in viewers {
        for (course, expected) in [(&draft, 404), (&cancelled, 404), (&open, 200), (&archived, 200)] {
            let (status, body) = get(&app, &format!("/api/v1/courses/{}", id(course)), bearer).await;
            assert_eq!(status, expected, "{who} reads the {} course: {body}", course["status"]);
        }
    }
    for (course, expected) in [(&draft, 404), (&cancelled, 404), (&open, 200), (&archived, 200)] {
        let response = app
            .api_client
            .get(app.url(&format!("/cursussen/{}", course["slug"].as_str().unwrap())))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), expected, "anonymous opens the page of {}", course["title"]);
        let (status, _) = get(&app, &format!("/api/v1/courses/{}", id(course)), Some(token)).await;
        assert_eq!(status, 200, "coordinators see every course");
    }
    // and a participant with a browser session: 404 pages for the draft
    app.login(&participant.email, super::PASSWORD).await;
    assert_eq!(app.get(&format!("/cursussen/{}", draft["slug"].as_str().unwrap())).await.status(), 404);
    let page = app.page(&format!("/cursussen/{}", archived["slug"].as_str().unwrap())).await;
    assert!(page.contains("Deze cursus is voorbij"), "{page}");
    assert!(!page.contains("/inschrijven\""), "an archived course is read-only: {page}");
    let page = app.page(&format!("/cursussen/{}", open["slug"].as_str().unwrap())).await;
    assert!(page.contains(&format!(r#"action="/cursussen/{}/inschrijven""#, open["slug"].as_str().unwrap())), "{page}");

    // the coordinator sees the draft with a notice
    app.login(&coordinator.email, super::PASSWORD).await;
    let page = app.page(&format!("/cursussen/{}", draft["slug"].as_str().unwrap())).await;
    assert!(page.contains("Dit is een concept"), "{page}");

    // the list shows the published course only; other statuses are for coordinators
    let (_, list) = get(&app, "/api/v1/courses", None).await;
    let titles: Vec<&str> = list["items"].as_array().unwrap().iter().map(|c| c["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Open cursus"]);
    let (_, list) = get(&app, "/api/v1/courses?status=all", Some(token)).await;
    assert_eq!(list["total"], 4);
    let (_, list) = get(&app, "/api/v1/courses?status=draft", Some(token)).await;
    assert_eq!(list["items"][0]["title"], "Nog een concept");
    let (status, _) = get(&app, "/api/v1/courses?status=all", Some(&participant.token)).await;
    assert_eq!(status, 403);
    let (status, _) = get(&app, "/api/v1/courses?status=draft", None).await;
    assert_eq!(status, 401, "not logged in");
    let (status, _) = get(&app, "/api/v1/courses/999999", Some(token)).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn every_coordinator_route_refuses_participants_and_trainers() {
    let app = spawn_app().await;
    let coordinator = person(&app, "Cora Coordinator", Role::Coordinator).await;
    let participant = person(&app, "Piet Participant", Role::Participant).await;
    let trainer = person(&app, "Tineke Trainer", Role::Trainer).await;
    let token = coordinator.token.as_str();
    let course = create_course(&app, token, course_body("Alleen voor coördinatoren")).await;
    let c = id(&course);
    let session = add_session(&app, token, c, "2027-04-01T19:30", "2027-04-01T21:30", "selwerd").await;
    let s = id(&session);
    let t = trainer.id;
    let session_body = json!({"starts_at": "2027-04-08T19:30", "ends_at": "2027-04-08T21:30", "place": "Elders"});

    let api: Vec<(Method, String, Option<Value>)> = vec![
        (Method::POST, "/api/v1/courses".into(), Some(course_body("Stiekem"))),
        (Method::PATCH, format!("/api/v1/courses/{c}"), Some(json!({"title": "Gekaapt"}))),
        (Method::PATCH, format!("/api/v1/courses/{c}"), Some(json!({"status": "published"}))),
        (Method::POST, format!("/api/v1/courses/{c}/sessions"), Some(session_body.clone())),
        (Method::PATCH, format!("/api/v1/sessions/{s}"), Some(json!({"place": "Elders"}))),
        (Method::POST, format!("/api/v1/sessions/{s}/cancel"), None),
        (Method::PUT, format!("/api/v1/courses/{c}/trainers/{t}"), None),
        (Method::DELETE, format!("/api/v1/courses/{c}/trainers/{t}"), None),
        (Method::POST, "/api/v1/themes".into(), Some(json!({"name_nl": "X", "name_en": "X"}))),
        (Method::PATCH, "/api/v1/themes/ondermijning".into(), Some(json!({"retired": true}))),
    ];
    for (method, path, body) in &api {
        for (who, bearer, expected) in [
            ("participant", Some(participant.token.as_str()), 403),
            ("trainer", Some(trainer.token.as_str()), 403),
            ("anonymous", None, 401),
        ] {
            let (status, problem) = call(&app, method.clone(), path, body.clone(), bearer).await;
            assert_eq!(status, expected, "{who}: {method} {path}: {problem}");
            assert!(problem["type"].as_str().is_some(), "a problem: {problem}");
        }
    }

    // the HTML pages and forms of the coordinator
    let pages = [
        "/beheer/cursussen".to_owned(),
        "/beheer/cursussen/nieuw".to_owned(),
        format!("/beheer/cursussen/{c}"),
        format!("/beheer/cursussen/{c}/bewerken"),
        format!("/beheer/sessies/{s}/bewerken"),
        "/beheer/themas".to_owned(),
    ];
    let t = t.to_string();
    let forms: Vec<(String, Vec<(&str, &str)>)> = vec![
        ("/beheer/cursussen".into(), vec![("title", "Stiekem"), ("theme", "ondermijning"), ("capacity", "5")]),
        (
            format!("/beheer/cursussen/{c}/bewerken"),
            vec![("title", "Gekaapt"), ("theme", "ondermijning"), ("capacity", "5")],
        ),
        (format!("/beheer/cursussen/{c}/status"), vec![("status", "published")]),
        (
            format!("/beheer/cursussen/{c}/sessies"),
            vec![("date", "2027-04-08"), ("start_time", "19:30"), ("end_time", "21:30"), ("place", "Elders")],
        ),
        (
            format!("/beheer/sessies/{s}/bewerken"),
            vec![("date", "2027-04-08"), ("start_time", "19:30"), ("end_time", "21:30"), ("place", "Elders")],
        ),
        (format!("/beheer/sessies/{s}/annuleren"), vec![]),
        (format!("/beheer/cursussen/{c}/trainers"), vec![("user_id", t.as_str())]),
        (format!("/beheer/cursussen/{c}/trainers/{t}/verwijderen"), vec![]),
        ("/beheer/themas".into(), vec![("name_nl", "X"), ("name_en", "X")]),
        ("/beheer/themas/ondermijning".into(), vec![("name_nl", "X"), ("name_en", "X"), ("retired", "ja")]),
    ];
    for path in &pages {
        let response = app.get(path).await;
        assert_eq!(response.status(), 303, "anonymous: GET {path}");
        assert!(response.headers()["location"].to_str().unwrap().starts_with("/inloggen"), "GET {path}");
    }
    for (path, fields) in &forms {
        assert_eq!(app.post_form(path, fields).await.status(), 401, "anonymous: POST {path}");
    }
    for who in [&participant, &trainer] {
        app.login(&who.email, super::PASSWORD).await;
        for path in &pages {
            assert_eq!(app.get(path).await.status(), 403, "{}: GET {path}", who.email);
        }
        for (path, fields) in &forms {
            assert_eq!(app.post_form(path, fields).await.status(), 403, "{}: POST {path}", who.email);
        }
    }

    // nothing changed
    let (_, read) = get(&app, &format!("/api/v1/courses/{c}"), Some(token)).await;
    assert_eq!(read["title"], "Alleen voor coördinatoren");
    assert_eq!(read["status"], "draft");
    assert_eq!(read["sessions"].as_array().unwrap().len(), 1);
    assert_eq!(read["sessions"][0]["status"], "scheduled");
    assert_eq!(read["sessions"][0]["place"], "Buurthuis");
    assert_eq!(read["trainers"], json!([]));
    let (_, all) = get(&app, "/api/v1/courses?status=all", Some(token)).await;
    assert_eq!(all["total"], 1);
    let (_, themes) = get(&app, "/api/v1/themes", Some(token)).await;
    assert_eq!(themes["total"], 6);
    assert!(themes["items"].as_array().unwrap().iter().all(|t| t["retired"] == false));

    // positive control: the coordinator may
    let (status, _) = call(&app, Method::PUT, &format!("/api/v1/courses/{c}/trainers/{t}"), None, Some(token)).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_markdown_description_renders_harmless_on_the_course_page() {
    let app = spawn_app().await;
    let token = person(&app, "Cora Coordinator", Role::Coordinator).await.token;
    let description = "Een **sterke** start.\n\n\
        - eerste punt\n\
        - tweede punt\n\n\
        <script>alert('xss')</script>\n\n\
        <img src=\"x.png\" onerror=\"alert('img')\">\n\n\
        [klik hier](javascript:alert('link')) en [de Academie](https://wijkmakers.nl)\n\n\
        <a href=\"javascript:alert('raw')\" onclick=\"alert('click')\">ruwe link</a>\n\n\
        <svg onload=\"alert('svg')\"></svg><iframe src=\"https://evil.example\"></iframe>\n\n\
        <div style=\"background:url(javascript:alert('css'))\" onmouseover=\"alert('over')\">vak</div>";
    let course = published(
        &app,
        &token,
        with(course_body("Veilige tekst"), json!({ "description": description })),
        "2027-04-01",
        "selwerd",
    )
    .await;
    assert_eq!(course["description"], description, "the Markdown is kept as written");

    let response = app.api_client.get(app.url("/cursussen/veilige-tekst")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let page = response.text().await.unwrap();
    let lower = page.to_lowercase();
    for bad in
        ["<script", "onerror", "onclick", "onload", "onmouseover", "javascript:", "alert(", "<iframe", "<svg", "style="]
    {
        assert!(!lower.contains(bad), "the page contains {bad}: {page}");
    }
    // what Markdown is for still works
    assert!(page.contains("<strong>sterke</strong>"), "{page}");
    assert!(page.contains("<li>eerste punt</li>") && page.contains("<li>tweede punt</li>"), "{page}");
    assert!(page.contains(r#"href="https://wijkmakers.nl""#), "{page}");
    assert!(page.contains(r#"rel="noopener noreferrer nofollow""#), "{page}");
    assert!(page.contains(">klik hier<") && page.contains(">ruwe link<"), "the link texts stay: {page}");

    let html = course["description_html"].as_str().unwrap().to_lowercase();
    assert!(html.contains("<strong>sterke</strong>"));
    for bad in ["<script", "onerror", "javascript:", "onclick"] {
        assert!(!html.contains(bad), "description_html contains {bad}: {html}");
    }

    // a changed description is sanitised too
    let (status, changed) = patch(
        &app,
        &format!("/api/v1/courses/{}", id(&course)),
        json!({"description": "*nieuw* <script>alert(2)</script><b onmouseover=alert(3)>vet</b>"}),
        &token,
    )
    .await;
    assert_eq!(status, 200);
    let html = changed["description_html"].as_str().unwrap();
    assert!(html.contains("<em>nieuw</em>") && html.contains("<b>vet</b>"), "{html}");
    assert!(!html.contains("script") && !html.contains("onmouseover"), "{html}");
    let page = app.api_client.get(app.url("/cursussen/veilige-tekst")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("<em>nieuw</em>") && !page.contains("alert("), "{page}");
}

#[tokio::test]
async fn the_openapi_document_describes_the_catalogue() {
    let app = spawn_app().await;
    let (status, doc) = get(&app, "/api/v1/openapi.json", None).await;
    assert_eq!(status, 200);
    let operations: [(&str, &[&str]); 8] = [
        ("/api/v1/themes", &["get", "post"]),
        ("/api/v1/themes/{slug}", &["patch"]),
        ("/api/v1/courses", &["get", "post"]),
        ("/api/v1/courses/{id}", &["get", "patch"]),
        ("/api/v1/courses/{id}/sessions", &["post"]),
        ("/api/v1/sessions/{id}", &["patch"]),
        ("/api/v1/sessions/{id}/cancel", &["post"]),
        ("/api/v1/courses/{id}/trainers/{user_id}", &["put", "delete"]),
    ];
    for (path, methods) in operations {
        for method in methods {
            assert!(doc["paths"][path][method].is_object(), "{method} {path} is not in the OpenAPI document");
        }
    }
    let parameters: Vec<&str> = doc["paths"]["/api/v1/courses"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for name in ["theme", "wijk", "q", "from", "to", "available", "page", "per_page"] {
        assert!(parameters.contains(&name), "query parameter {name} missing: {parameters:?}");
    }
    let summary = &doc["components"]["schemas"]["CourseSummary"]["properties"];
    for field in [
        "id",
        "slug",
        "title",
        "summary",
        "theme",
        "format",
        "status",
        "capacity",
        "seats_left",
        "waitlist_length",
        "next_session_at",
        "session_count",
    ] {
        assert!(summary[field].is_object(), "CourseSummary.{field} missing: {summary}");
    }
    let session = &doc["components"]["schemas"]["SessionView"]["properties"];
    for field in ["id", "starts_at", "ends_at", "place", "address", "wijk", "status"] {
        assert!(session[field].is_object(), "SessionView.{field} missing: {session}");
    }
}
