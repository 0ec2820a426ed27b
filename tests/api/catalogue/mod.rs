//! The course catalogue (issue 5): themes, courses, sessions, trainers, the public list
//! with its filters and search, the coordinator's pages, and what a page costs in queries.
//! Everything goes through the real API and pages of a running app.

mod courses;
mod listing;
mod pages;
mod queries;
mod sessions;
mod themes;
mod trainers;

use reqwest::Method;
use serde_json::{Value, json};
use wijkmakers::auth::Role;

use crate::common::TestApp;

pub const PASSWORD: &str = "een lange zin als wachtwoord";

/// Status and JSON body of an API call (`Null` for an empty body).
pub async fn call(app: &TestApp, method: Method, path: &str, body: Option<Value>, token: Option<&str>) -> (u16, Value) {
    let response = app.api(method.clone(), path, body.as_ref(), token).await;
    let status = response.status().as_u16();
    let text = response.text().await.expect("a body");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{method} {path} answered {status} without JSON ({e}): {text}"))
    };
    (status, body)
}

pub async fn get(app: &TestApp, path: &str, token: Option<&str>) -> (u16, Value) {
    call(app, Method::GET, path, None, token).await
}

pub async fn post(app: &TestApp, path: &str, body: Value, token: &str) -> (u16, Value) {
    call(app, Method::POST, path, Some(body), Some(token)).await
}

pub async fn patch(app: &TestApp, path: &str, body: Value, token: &str) -> (u16, Value) {
    call(app, Method::PATCH, path, Some(body), Some(token)).await
}

/// The fields a 422 problem names, in order.
pub fn fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("a problem with field errors: {problem}"))
        .iter()
        .map(|e| e["field"].as_str().expect("a field name").to_owned())
        .collect()
}

/// The 422 problem of `(status, body)`, naming `field` with a message; answers its code.
pub fn assert_invalid(answer: &(u16, Value), field: &str) -> String {
    let (status, body) = answer;
    assert_eq!(*status, 422, "expected 422 naming {field}: {body}");
    let error = body["errors"]
        .as_array()
        .and_then(|errors| errors.iter().find(|e| e["field"] == field))
        .unwrap_or_else(|| panic!("no error for {field}: {body}"));
    assert!(error["message"].as_str().is_some_and(|m| m.len() > 5), "no message for {field}: {body}");
    error["code"].as_str().unwrap_or_default().to_owned()
}

/// A minimal valid course body.
pub fn course_body(title: &str) -> Value {
    json!({ "title": title, "theme": "wijkvernieuwing", "capacity": 12 })
}

/// `base` with the fields of `extra` set.
pub fn with(mut base: Value, extra: Value) -> Value {
    for (k, v) in extra.as_object().expect("an object") {
        base[k] = v.clone();
    }
    base
}

/// POST /api/v1/courses, which must answer 201; answers the course.
pub async fn create_course(app: &TestApp, token: &str, body: Value) -> Value {
    let (status, course) = post(app, "/api/v1/courses", body, token).await;
    assert_eq!(status, 201, "create a course: {course}");
    course
}

pub fn id(resource: &Value) -> i64 {
    resource["id"].as_i64().unwrap_or_else(|| panic!("no id: {resource}"))
}

/// A session (Amsterdam local times) at "Buurthuis" in `wijk`; answers the session.
pub async fn add_session(app: &TestApp, token: &str, course: i64, starts: &str, ends: &str, wijk: &str) -> Value {
    let body = json!({ "starts_at": starts, "ends_at": ends, "place": "Buurthuis", "address": "Voorbeeldstraat 1", "wijk": wijk });
    let (status, session) = post(app, &format!("/api/v1/courses/{course}/sessions"), body, token).await;
    assert_eq!(status, 201, "add a session: {session}");
    session
}

pub async fn set_status(app: &TestApp, token: &str, course: i64, status: &str) -> Value {
    let (code, body) = patch(app, &format!("/api/v1/courses/{course}"), json!({ "status": status }), token).await;
    assert_eq!(code, 200, "course {course} → {status}: {body}");
    assert_eq!(body["status"], status);
    body
}

/// A published course with one session on `date` (19:30–21:30 local) in `wijk`.
pub async fn published(app: &TestApp, token: &str, body: Value, date: &str, wijk: &str) -> Value {
    let course = create_course(app, token, body).await;
    add_session(app, token, id(&course), &format!("{date}T19:30"), &format!("{date}T21:30"), wijk).await;
    set_status(app, token, id(&course), "published").await
}

/// Someone with an account and a bearer token.
pub struct Person {
    pub id: i64,
    pub email: String,
    pub token: String,
}

pub async fn person(app: &TestApp, name: &str, role: Role) -> Person {
    let email = format!("{}@example.org", name.to_lowercase().replace(' ', "."));
    let user = app.add_user(&email, name, role, PASSWORD).await;
    let token = app.login_api(&email, PASSWORD).await;
    Person { id: user.id.0, email, token }
}

/// The person enrols; answers the enrolment's status (`enrolled`, `waitlisted`).
pub async fn enrol(app: &TestApp, who: &Person, course: i64) -> String {
    let (status, body) =
        call(app, Method::POST, &format!("/api/v1/courses/{course}/enrolment"), None, Some(&who.token)).await;
    assert_eq!(status, 201, "{} enrols in {course}: {body}", who.email);
    body["status"].as_str().expect("a status").to_owned()
}

/// The first message to `to` whose subject starts with `prefix`, waiting up to 10 s.
pub async fn mail_to(app: &TestApp, to: &str, prefix: &str) -> crate::common::ReceivedMail {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let messages = app.smtp.messages_to(to);
        if let Some(found) = messages.iter().find(|m| m.subject().is_some_and(|s| s.starts_with(prefix))) {
            return found.clone();
        }
        let subjects: Vec<Option<String>> = messages.iter().map(|m| m.subject()).collect();
        assert!(std::time::Instant::now() < deadline, "no message “{prefix}…” to {to}; got {subjects:?}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// How many messages to `to` have a subject starting with `prefix`, once the outbox is empty.
pub async fn count_mail(app: &TestApp, to: &str, prefix: &str) -> usize {
    settle_outbox(app).await;
    app.smtp.messages_to(to).iter().filter(|m| m.subject().is_some_and(|s| s.starts_with(prefix))).count()
}

/// Wait until every queued message is delivered (or has failed).
pub async fn settle_outbox(app: &TestApp) {
    use wijkmakers::mail::model::MailStatus;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while app.outbox().await.iter().any(|m| matches!(m.status, MailStatus::Pending | MailStatus::Sending)) {
        assert!(std::time::Instant::now() < deadline, "the outbox did not empty");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // the SMTP server has stored what was accepted once the worker recorded it
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
}

/// The calendar attached to `mail`, parsed.
pub fn calendar_of(mail: &crate::common::ReceivedMail) -> icalendar::Calendar {
    let text = mail.calendar().unwrap_or_else(|| panic!("no calendar in {:?}", mail.subject()));
    text.parse().unwrap_or_else(|e| panic!("not a valid calendar ({e}): {text}"))
}

/// Bulk data for lists, straight into the database: `courses` published courses titled
/// "`title` 1" … (slug `key-1` …) in `theme`, each with `sessions` sessions a week apart in
/// `wijk`, the first at `first` (UTC) plus one hour per course number.
pub struct Seed<'a> {
    pub key: &'a str,
    pub title: &'a str,
    pub courses: usize,
    pub theme: &'a str,
    pub sessions: usize,
    pub first: &'a str,
    pub wijk: &'a str,
}

impl Seed<'_> {
    pub async fn insert(&self, app: &TestApp) {
        let Seed { key, title, courses, theme, sessions, first, wijk } = self;
        app.execute(&format!(
            "INSERT INTO courses (slug, title, summary, description, theme_id, capacity, status)
             SELECT '{key}-' || g, '{title} ' || g, 'Samenvatting van {title} ' || g, 'Beschrijving **{title}** ' || g,
                    (SELECT id FROM themes WHERE slug = '{theme}'), 10, 'published'
             FROM generate_series(1, {courses}) g"
        ))
        .await;
        app.execute(&format!(
            "INSERT INTO course_sessions (course_id, starts_at, ends_at, place, address, wijk)
             SELECT c.id, t.at, t.at + interval '2 hours', 'Buurthuis ' || c.id, 'Straat ' || k, '{wijk}'
             FROM courses c
             CROSS JOIN generate_series(0, {sessions} - 1) k
             CROSS JOIN LATERAL (SELECT timestamptz '{first}' + substring(c.slug from '[0-9]+$')::int * interval '1 hour'
                                        + k * interval '7 days' AS at) t
             WHERE c.slug ~ '^{key}-[0-9]+$'"
        ))
        .await;
    }
}

/// `per_course` verified participants (`seed-N@example.org`, made when missing) enrolled
/// in every course whose slug is `key-<number>`.
pub async fn seed_enrolments(app: &TestApp, key: &str, per_course: usize) {
    app.execute(&format!(
        "INSERT INTO users (email, name, role, email_verified_at, calendar_token)
         SELECT 'seed-' || g || '@example.org', 'Deelnemer ' || g, 'participant', now(), md5(random()::text || g)
         FROM generate_series(1, {per_course}) g
         ON CONFLICT DO NOTHING"
    ))
    .await;
    app.execute(&format!(
        "INSERT INTO enrolments (course_id, user_id, status, enrolled_at)
         SELECT c.id, u.id, 'enrolled', now()
         FROM courses c CROSS JOIN users u
         WHERE c.slug ~ '^{key}-[0-9]+$' AND u.email ~ '^seed-[0-9]+@example.org$'
           AND substring(u.email from '[0-9]+')::int <= {per_course}"
    ))
    .await;
}

/// The titles of the courses in a list answer, in order.
pub fn titles(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap_or_else(|| panic!("a list: {list}"))
        .iter()
        .map(|c| c["title"].as_str().unwrap().to_owned())
        .collect()
}

/// The titles of the course cards on a catalogue page, in order.
pub fn card_titles(page: &str) -> Vec<String> {
    page.split(r#"<li class="card">"#)
        .skip(1)
        .map(|card| {
            let link = &card[card.find("<h2><a href=\"").expect("a title link")..];
            let start = link.find('>').unwrap() + 1;
            let start = start + link[start..].find('>').unwrap() + 1;
            let end = start + link[start..].find("</a>").unwrap();
            link[start..end].replace("&#39;", "'").replace("&#38;", "&")
        })
        .collect()
}

/// The card of the course titled `title` on a catalogue page.
pub fn card<'a>(page: &'a str, title: &str) -> &'a str {
    page.split(r#"<li class="card">"#)
        .skip(1)
        .map(|card| &card[..card.find("</li>").unwrap_or(card.len())])
        .find(|card| card.contains(&format!(">{title}</a></h2>")))
        .unwrap_or_else(|| panic!("no card for {title}: {page}"))
}

/// Tests that need sessions still to come write their dates in 2027; `ahead` moves them to
/// next year, so they stay ahead whenever the tests run. (Those dates avoid the weeks of a
/// DST change and the tests do not name weekdays, which move with the year.)
pub fn ahead(text: &str) -> String {
    use chrono::Datelike;
    text.replace("2027", &(chrono::Utc::now().year() + 1).to_string())
}
