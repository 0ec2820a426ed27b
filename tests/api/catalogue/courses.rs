//! Courses through the API: defaults, slugs, validation, the status lifecycle, who sees
//! what, who may change what, and Markdown that cannot run anything.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{ahead, assert_invalid, course_body, fields, id, instant, spawn_app, with};

#[tokio::test]
async fn a_new_course_is_a_draft_with_the_defaults() {
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;

    let course = coordinator.post_course(&app, course_body("Samen sterk in de wijk")).await;
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
    let course = coordinator.post_course(&app, body).await;
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
    let (status, read) = coordinator.get(&app, &format!("/api/v1/courses/{}", id(&course))).await;
    assert_eq!(status, 200);
    assert_eq!(read["format"], "werkplaats");
    assert_eq!(read["status"], "draft");
}

#[tokio::test]
async fn slugs_come_from_the_title_are_unique_and_do_not_change() {
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;

    let first = coordinator.post_course(&app, course_body("Samen sterk in de wijk")).await;
    let second = coordinator.post_course(&app, course_body("Samen sterk in de wijk")).await;
    let third = coordinator.post_course(&app, course_body("Samen  sterk in de wijk!")).await;
    assert_eq!(first["slug"], "samen-sterk-in-de-wijk");
    assert_eq!(second["slug"], "samen-sterk-in-de-wijk-2");
    assert_eq!(third["slug"], "samen-sterk-in-de-wijk-3");

    let accents = coordinator.post_course(&app, course_body("Één wijk")).await;
    assert_eq!(accents["slug"], "een-wijk");
    let more = coordinator.post_course(&app, course_body("Café-avond: Çà & là in Zuidwest")).await;
    let slug = more["slug"].as_str().unwrap();
    assert!(slug.starts_with("cafe-avond"), "{slug}");
    assert!(slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{slug}");

    // a new title keeps the slug, so links and bookmarks keep working
    let (status, renamed) = coordinator
        .patch_json(&app, &format!("/api/v1/courses/{}", id(&first)), &json!({"title": "Sterk in je wijk"}))
        .await;
    assert_eq!(status, 200, "{renamed}");
    assert_eq!(renamed["title"], "Sterk in je wijk");
    assert_eq!(renamed["slug"], "samen-sterk-in-de-wijk");
    let (_, read) = coordinator.get(&app, &format!("/api/v1/courses/{}", id(&first))).await;
    assert_eq!(read["slug"], "samen-sterk-in-de-wijk");

    // a new course with the old title still gets a slug of its own
    let fourth = coordinator.post_course(&app, course_body("Samen sterk in de wijk")).await;
    assert_eq!(fourth["slug"], "samen-sterk-in-de-wijk-4");
}

#[tokio::test]
async fn invalid_courses_are_refused_with_a_message_for_the_field() {
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
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
        let answer = coordinator.post_json(&app, "/api/v1/courses", &with(course_body("Geldige titel"), change)).await;
        assert_eq!(answer.0, 422, "{what}: {}", answer.1);
        assert_eq!(answer.1["type"], "/problemen/validation", "{what}");
        assert_invalid(&answer, field);
    }
    let missing = coordinator.post_json(&app, "/api/v1/courses", &json!({"summary": "Alleen een samenvatting"})).await;
    for field in ["title", "theme", "capacity"] {
        assert_invalid(&missing, field);
    }
    let (_, all) = coordinator.get(&app, "/api/v1/courses?status=all").await;
    assert_eq!(all["total"], 0, "nothing was created: {all}");

    // the positive control: the same body without the mistake is accepted
    coordinator.post_course(&app, course_body("Geldige titel")).await;
}

#[tokio::test]
async fn several_bad_fields_are_all_named_at_once() {
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    let body = json!({
        "title": "", "capacity": 0, "theme": "astrologie", "format": "lezing",
        "completion_threshold": 150, "enrolment_opens_at": "2027-03-01T10:00", "enrolment_closes_at": "2027-01-01T10:00"
    });
    let answer = coordinator.post_json(&app, "/api/v1/courses", &body).await;
    assert_eq!(answer.0, 422, "{}", answer.1);
    let named = fields(&answer.1);
    for field in ["title", "capacity", "theme", "format", "completion_threshold", "enrolment_closes_at"] {
        assert!(named.iter().any(|f| f == field), "{field} not named: {named:?}");
    }

    // the same on a change
    let course = coordinator.post_course(&app, course_body("Buurtbudget")).await;
    let answer = coordinator
        .patch_json(
            &app,
            &format!("/api/v1/courses/{}", id(&course)),
            &json!({"title": " ", "capacity": -1, "status": "archived"}),
        )
        .await;
    let named = fields(&answer.1);
    for field in ["title", "capacity", "status"] {
        assert!(named.iter().any(|f| f == field), "{field} not named: {named:?}");
    }
    let (_, unchanged) = coordinator.get(&app, &format!("/api/v1/courses/{}", id(&course))).await;
    assert_eq!((unchanged["title"].as_str(), unchanged["capacity"].as_i64()), (Some("Buurtbudget"), Some(12)));
}

#[tokio::test]
async fn courses_move_only_along_the_allowed_transitions() {
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    let path = |course: &Value| format!("/api/v1/courses/{}", id(course));
    let to = |status: &str| json!({ "status": status });

    let course = coordinator.post_course(&app, course_body("Levenscyclus")).await;
    for jump in ["archived", "cancelled"] {
        let answer = coordinator.patch_json(&app, &path(&course), &to(jump)).await;
        assert_eq!(assert_invalid(&answer, "status"), "status-transition", "draft → {jump}");
    }
    // publishing needs a session
    let answer = coordinator.patch_json(&app, &path(&course), &to("published")).await;
    assert_eq!(assert_invalid(&answer, "status"), "publish-without-sessions");
    let (_, read) = coordinator.get(&app, &path(&course)).await;
    assert_eq!(read["status"], "draft");

    coordinator.add_session(&app, id(&course), "2027-04-01T19:30", "2027-04-01T21:30", "selwerd").await;
    coordinator.set_status(&app, id(&course), "published").await;
    let answer = coordinator.patch_json(&app, &path(&course), &to("draft")).await;
    assert_eq!(assert_invalid(&answer, "status"), "status-transition", "published → draft");
    coordinator.set_status(&app, id(&course), "archived").await;
    for next in ["published", "cancelled", "draft"] {
        let answer = coordinator.patch_json(&app, &path(&course), &to(next)).await;
        assert_eq!(assert_invalid(&answer, "status"), "status-transition", "archived → {next}");
    }

    let other = coordinator.published_course(&app, course_body("Gaat niet door"), "2027-05-01", "beijum").await;
    coordinator.set_status(&app, id(&other), "cancelled").await;
    for next in ["published", "draft"] {
        let answer = coordinator.patch_json(&app, &path(&other), &to(next)).await;
        assert_eq!(assert_invalid(&answer, "status"), "status-transition", "cancelled → {next}");
    }
    coordinator.set_status(&app, id(&other), "archived").await;

    let answer = coordinator.patch_json(&app, &path(&other), &to("weg")).await;
    assert_invalid(&answer, "status");
    let (status, _) = coordinator.patch_json(&app, "/api/v1/courses/999999", &to("published")).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn only_published_and_archived_courses_are_public() {
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    let participant = app.participant("Piet Participant").await;
    let trainer = app.trainer("Tineke Trainer").await;

    let draft = coordinator.post_course(&app, course_body("Nog een concept")).await;
    coordinator.add_session(&app, id(&draft), &ahead("2027-04-01T19:30"), &ahead("2027-04-01T21:30"), "selwerd").await;
    let open = coordinator.published_course(&app, course_body("Open cursus"), &ahead("2027-04-02"), "selwerd").await;
    let cancelled = coordinator.published_course(&app, course_body("Afgelast"), &ahead("2027-04-03"), "selwerd").await;
    coordinator.set_status(&app, id(&cancelled), "cancelled").await;
    let archived = coordinator.published_course(&app, course_body("Voorbij"), &ahead("2027-04-04"), "selwerd").await;
    coordinator.set_status(&app, id(&archived), "archived").await;

    let viewers = [
        ("anonymous", None),
        ("participant", Some(participant.token.as_str())),
        ("trainer", Some(trainer.token.as_str())),
    ];
    for (who, bearer) in viewers {
        for (course, expected) in [(&draft, 404), (&cancelled, 404), (&open, 200), (&archived, 200)] {
            let (status, body) = app.call(Method::GET, &format!("/api/v1/courses/{}", id(course)), None, bearer).await;
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
        let (status, _) = coordinator.get(&app, &format!("/api/v1/courses/{}", id(course))).await;
        assert_eq!(status, 200, "coordinators see every course");
    }
    // and a participant with a browser session: 404 pages for the draft
    app.login_as(&participant).await;
    assert_eq!(app.get(&format!("/cursussen/{}", draft["slug"].as_str().unwrap())).await.status(), 404);
    let page = app.page(&format!("/cursussen/{}", archived["slug"].as_str().unwrap())).await;
    assert!(page.contains("Deze cursus is voorbij"), "{page}");
    assert!(!page.contains("/inschrijven\""), "an archived course is read-only: {page}");
    let page = app.page(&format!("/cursussen/{}", open["slug"].as_str().unwrap())).await;
    assert!(page.contains(&format!(r#"action="/cursussen/{}/inschrijven""#, open["slug"].as_str().unwrap())), "{page}");

    // the coordinator sees the draft with a notice
    app.login_as(&coordinator).await;
    let page = app.page(&format!("/cursussen/{}", draft["slug"].as_str().unwrap())).await;
    assert!(page.contains("Dit is een concept"), "{page}");

    // the list shows the published course only; other statuses are for coordinators
    let (_, list) = app.get_json("/api/v1/courses").await;
    let titles: Vec<&str> = list["items"].as_array().unwrap().iter().map(|c| c["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Open cursus"]);
    let (_, list) = coordinator.get(&app, "/api/v1/courses?status=all").await;
    assert_eq!(list["total"], 4);
    let (_, list) = coordinator.get(&app, "/api/v1/courses?status=draft").await;
    assert_eq!(list["items"][0]["title"], "Nog een concept");
    let (status, _) = participant.get(&app, "/api/v1/courses?status=all").await;
    assert_eq!(status, 403);
    let (status, _) = app.get_json("/api/v1/courses?status=draft").await;
    assert_eq!(status, 401, "not logged in");
    let (status, _) = coordinator.get(&app, "/api/v1/courses/999999").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn every_coordinator_route_refuses_participants_and_trainers() {
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    let participant = app.participant("Piet Participant").await;
    let trainer = app.trainer("Tineke Trainer").await;
    let course = coordinator.post_course(&app, course_body("Alleen voor coördinatoren")).await;
    let c = id(&course);
    let session = coordinator.add_session(&app, c, "2027-04-01T19:30", "2027-04-01T21:30", "selwerd").await;
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
            let (status, problem) = app.call(method.clone(), path, body.as_ref(), bearer).await;
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
        app.login_as(who).await;
        for path in &pages {
            assert_eq!(app.get(path).await.status(), 403, "{}: GET {path}", who.email);
        }
        for (path, fields) in &forms {
            assert_eq!(app.post_form(path, fields).await.status(), 403, "{}: POST {path}", who.email);
        }
    }

    // nothing changed
    let (_, read) = coordinator.get(&app, &format!("/api/v1/courses/{c}")).await;
    assert_eq!(read["title"], "Alleen voor coördinatoren");
    assert_eq!(read["status"], "draft");
    assert_eq!(read["sessions"].as_array().unwrap().len(), 1);
    assert_eq!(read["sessions"][0]["status"], "scheduled");
    assert_eq!(read["sessions"][0]["place"], "Buurthuis");
    assert_eq!(read["trainers"], json!([]));
    let (_, all) = coordinator.get(&app, "/api/v1/courses?status=all").await;
    assert_eq!(all["total"], 1);
    let (_, themes) = coordinator.get(&app, "/api/v1/themes").await;
    assert_eq!(themes["total"], 6);
    assert!(themes["items"].as_array().unwrap().iter().all(|t| t["retired"] == false));

    // positive control: the coordinator may
    let (status, _) = coordinator.put(&app, &format!("/api/v1/courses/{c}/trainers/{t}")).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_markdown_description_renders_harmless_on_the_course_page() {
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    let description = "Een **sterke** start.\n\n\
        - eerste punt\n\
        - tweede punt\n\n\
        <script>alert('xss')</script>\n\n\
        <img src=\"x.png\" onerror=\"alert('img')\">\n\n\
        [klik hier](javascript:alert('link')) en [de Academie](https://wijkmakers.nl)\n\n\
        <a href=\"javascript:alert('raw')\" onclick=\"alert('click')\">ruwe link</a>\n\n\
        <svg onload=\"alert('svg')\"></svg><iframe src=\"https://evil.example\"></iframe>\n\n\
        <div style=\"background:url(javascript:alert('css'))\" onmouseover=\"alert('over')\">vak</div>";
    let course = coordinator
        .published_course(
            &app,
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
    let (status, changed) = coordinator
        .patch_json(
            &app,
            &format!("/api/v1/courses/{}", id(&course)),
            &json!({"description": "*nieuw* <script>alert(2)</script><b onmouseover=alert(3)>vet</b>"}),
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
    let (status, doc) = app.get_json("/api/v1/openapi.json").await;
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
