//! Fixtures of the enrolment journeys (tests/api/enrol, tests/browser/enrol): people made
//! straight in the database with a login session (hundreds in a blink, no password
//! hashing), published courses made through the coordinator's API, a cookie client per
//! visitor, and the calendar files of the emails.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Integer, Nullable, Text, Timestamptz};
use reqwest::{Method, Response};
use serde_json::{Value, json};
use wijkmakers::accounts::model::SessionKind;
use wijkmakers::accounts::service::{Client, open_session};
use wijkmakers::ids::UserId;

use super::app::hidden_input;
use super::{ReceivedMail, TestApp};

/// How long a test waits for an email to arrive.
pub const MAIL_WAIT: StdDuration = StdDuration::from_secs(60);

/// Someone with an account and a live login session (`token`: a bearer token, or the
/// value of the `wm_session` cookie).
#[derive(Debug, Clone)]
pub struct Person {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub token: String,
}

#[derive(QueryableByName)]
struct NewRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    email: String,
    #[diesel(sql_type = Text)]
    name: String,
}

/// `count` accounts `<prefix>-001@example.org` … named `<Prefix> 001` …, with `role`,
/// verified or not, each with an API session; in id order (the order they were made).
pub async fn people(app: &TestApp, prefix: &str, count: usize, role: &str, verified: bool) -> Vec<Person> {
    let (prefix, role) = (prefix.to_owned(), role.to_owned());
    let count = i32::try_from(count).expect("a small number of people");
    app.pool
        .tx(move |conn| {
            let rows: Vec<NewRow> = diesel::sql_query(
                "INSERT INTO users (email, name, role, email_verified_at, locale, privacy_consent_at, calendar_token)
                 SELECT $1 || '-' || lpad(g::text, 3, '0') || '@example.org',
                        initcap($1) || ' ' || lpad(g::text, 3, '0'),
                        $2::user_role, CASE WHEN $4 THEN now() END, 'nl', now(),
                        md5(random()::text || clock_timestamp()::text || g)
                 FROM generate_series(1, $3) g ORDER BY g
                 RETURNING id, email, name",
            )
            .bind::<Text, _>(&prefix)
            .bind::<Text, _>(&role)
            .bind::<Integer, _>(count)
            .bind::<Bool, _>(verified)
            .load(conn)?;
            let client = Client { ip: "127.0.0.1".into(), user_agent: Some("enrolment tests".into()) };
            let mut people = Vec::with_capacity(rows.len());
            for row in rows {
                let token = open_session(conn, UserId(row.id), SessionKind::Api, &client, Duration::days(1))?;
                people.push(Person { id: row.id, email: row.email, name: row.name, token });
            }
            people.sort_by_key(|p| p.id);
            Ok(people)
        })
        .await
        .expect("make people")
}

/// One verified participant.
pub async fn participant(app: &TestApp, prefix: &str) -> Person {
    people(app, prefix, 1, "participant", true).await.remove(0)
}

/// One verified coordinator.
pub async fn coordinator(app: &TestApp) -> Person {
    people(app, "coordinator", 1, "coordinator", true).await.remove(0)
}

/// Rename someone (for names that a spreadsheet or a page must handle with care).
pub async fn rename(app: &TestApp, person: &mut Person, name: &str) {
    let (id, new) = (person.id, name.to_owned());
    app.pool
        .run(move |conn| {
            Ok(diesel::sql_query("UPDATE users SET name = $1 WHERE id = $2")
                .bind::<Text, _>(new)
                .bind::<BigInt, _>(id)
                .execute(conn)?)
        })
        .await
        .expect("rename");
    person.name = name.to_owned();
}

/// Any API call with a bearer token: status and JSON body (`Null` when there is none).
pub async fn call(app: &TestApp, method: Method, path: &str, body: Option<&Value>, token: &str) -> (u16, Value) {
    let response = app.api(method, path, body, Some(token)).await;
    status_and_json(response).await
}

pub async fn status_and_json(response: Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.expect("a body");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
    };
    (status, body)
}

/// A course as a coordinator makes it: title, capacity, rules and sessions.
#[derive(Debug, Clone)]
pub struct CourseSpec {
    pub title: String,
    pub capacity: i32,
    pub waitlist: bool,
    pub deadline_hours: i32,
    pub opens: Option<String>,
    pub closes: Option<String>,
    /// `(starts_at, ends_at)` as the API takes them.
    pub sessions: Vec<(String, String)>,
    pub publish: bool,
}

impl CourseSpec {
    /// A published course with one session of two hours, two weeks from now.
    pub fn new(title: &str, capacity: i32) -> CourseSpec {
        CourseSpec {
            title: title.to_owned(),
            capacity,
            waitlist: true,
            deadline_hours: 24,
            opens: None,
            closes: None,
            sessions: vec![session_in(Duration::days(14))],
            publish: true,
        }
    }

    pub fn sessions(mut self, sessions: Vec<(String, String)>) -> Self {
        self.sessions = sessions;
        self
    }

    pub fn without_waitlist(mut self) -> Self {
        self.waitlist = false;
        self
    }

    pub fn deadline_hours(mut self, hours: i32) -> Self {
        self.deadline_hours = hours;
        self
    }

    pub fn window(mut self, opens: Option<DateTime<Utc>>, closes: Option<DateTime<Utc>>) -> Self {
        self.opens = opens.map(|t| t.to_rfc3339());
        self.closes = closes.map(|t| t.to_rfc3339());
        self
    }

    pub fn draft(mut self) -> Self {
        self.publish = false;
        self
    }
}

/// A session of two hours starting `from_now` from now (in whole minutes, UTC).
pub fn session_in(from_now: Duration) -> (String, String) {
    use chrono::DurationRound;
    let start = (Utc::now() + from_now).duration_trunc(Duration::minutes(1)).expect("a time in range");
    (start.to_rfc3339(), (start + Duration::hours(2)).to_rfc3339())
}

/// A course made through the API.
#[derive(Debug, Clone)]
pub struct Course {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub session_ids: Vec<i64>,
    /// When each session starts, as the app stored it.
    pub session_starts: Vec<DateTime<Utc>>,
}

impl Course {
    pub fn enrolment_path(&self) -> String {
        format!("/api/v1/courses/{}/enrolment", self.id)
    }

    pub fn enrolments_path(&self) -> String {
        format!("/api/v1/courses/{}/enrolments", self.id)
    }

    pub fn page(&self) -> String {
        format!("/cursussen/{}", self.slug)
    }

    pub fn manage_page(&self) -> String {
        format!("/beheer/cursussen/{}/inschrijvingen", self.id)
    }
}

/// Create the course as `coordinator` (bearer), add its sessions (in Buurtcentrum De
/// Oosterpoort) and publish it unless it is a draft.
pub async fn create_course(app: &TestApp, coordinator: &str, spec: CourseSpec) -> Course {
    let body = json!({
        "title": spec.title,
        "summary": "Samen aan de slag in de wijk.",
        "theme": "energietransitie",
        "capacity": spec.capacity,
        "waitlist_enabled": spec.waitlist,
        "cancellation_deadline_hours": spec.deadline_hours,
        "enrolment_opens_at": spec.opens,
        "enrolment_closes_at": spec.closes,
    });
    let (status, created) = call(app, Method::POST, "/api/v1/courses", Some(&body), coordinator).await;
    assert_eq!(status, 201, "create the course: {created}");
    let id = created["id"].as_i64().expect("course id");
    let (mut session_ids, mut session_starts) = (Vec::new(), Vec::new());
    for (starts, ends) in &spec.sessions {
        let body = json!({
            "starts_at": starts, "ends_at": ends,
            "place": "Buurtcentrum De Oosterpoort", "address": "Voorbeeldstraat 1", "wijk": "oosterpoort",
        });
        let (status, session) =
            call(app, Method::POST, &format!("/api/v1/courses/{id}/sessions"), Some(&body), coordinator).await;
        assert_eq!(status, 201, "add a session: {session}");
        session_ids.push(session["id"].as_i64().expect("session id"));
        session_starts.push(session["starts_at"].as_str().and_then(|t| t.parse().ok()).expect("starts_at"));
    }
    if spec.publish {
        let (status, body) = call(
            app,
            Method::PATCH,
            &format!("/api/v1/courses/{id}"),
            Some(&json!({"status": "published"})),
            coordinator,
        )
        .await;
        assert_eq!(status, 200, "publish: {body}");
    }
    let slug = created["slug"].as_str().expect("slug").to_owned();
    Course { id, slug, title: spec.title, session_ids, session_starts }
}

/// `POST /api/v1/courses/{id}/enrolment` as `person`.
pub async fn enrol(app: &TestApp, course: &Course, person: &Person) -> (u16, Value) {
    call(app, Method::POST, &course.enrolment_path(), None, &person.token).await
}

/// `DELETE /api/v1/courses/{id}/enrolment` as `person`.
pub async fn cancel(app: &TestApp, course: &Course, person: &Person) -> (u16, Value) {
    call(app, Method::DELETE, &course.enrolment_path(), None, &person.token).await
}

/// One active enrolment as the database has it; `position` is counted here, from
/// `queued_at`, independently of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seat {
    pub enrolment_id: i64,
    pub user_id: i64,
    pub status: String,
    pub position: Option<i64>,
    pub over_capacity: bool,
}

#[derive(QueryableByName)]
struct SeatRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    user_id: i64,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    position: Option<i64>,
    #[diesel(sql_type = Bool)]
    over_capacity: bool,
}

/// The active enrolments of a course: the enrolled first, then the waiting list in order.
pub async fn seats_in_db(app: &TestApp, course: &Course) -> Vec<Seat> {
    let id = course.id;
    app.pool
        .run(move |conn| {
            let rows: Vec<SeatRow> = diesel::sql_query(
                "SELECT id, user_id, status::text AS status, over_capacity,
                        CASE WHEN status = 'waitlisted'
                             THEN row_number() OVER (PARTITION BY status ORDER BY queued_at, id) END AS position
                 FROM enrolments WHERE course_id = $1 AND status <> 'cancelled'
                 ORDER BY status, queued_at, id",
            )
            .bind::<BigInt, _>(id)
            .load(conn)?;
            Ok(rows
                .into_iter()
                .map(|r| Seat {
                    enrolment_id: r.id,
                    user_id: r.user_id,
                    status: r.status,
                    position: r.position,
                    over_capacity: r.over_capacity,
                })
                .collect())
        })
        .await
        .expect("read the enrolments")
}

/// An entry of the history of the enrolments of a course.
#[derive(Debug, Clone)]
pub struct Event {
    pub enrolment_id: i64,
    pub user_id: i64,
    pub action: String,
    pub actor_id: Option<i64>,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(QueryableByName)]
struct EventRow {
    #[diesel(sql_type = BigInt)]
    enrolment_id: i64,
    #[diesel(sql_type = BigInt)]
    user_id: i64,
    #[diesel(sql_type = Text)]
    action: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    actor_id: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    note: Option<String>,
    #[diesel(sql_type = Timestamptz)]
    at: DateTime<Utc>,
}

/// Every event of the course's enrolments, in the order they happened.
pub async fn events(app: &TestApp, course: &Course) -> Vec<Event> {
    let id = course.id;
    app.pool
        .run(move |conn| {
            let rows: Vec<EventRow> = diesel::sql_query(
                "SELECT ev.enrolment_id, e.user_id, ev.action::text AS action, ev.actor_id, ev.note, ev.at
                 FROM enrolment_events ev JOIN enrolments e ON e.id = ev.enrolment_id
                 WHERE e.course_id = $1 ORDER BY ev.id",
            )
            .bind::<BigInt, _>(id)
            .load(conn)?;
            Ok(rows
                .into_iter()
                .map(|r| Event {
                    enrolment_id: r.enrolment_id,
                    user_id: r.user_id,
                    action: r.action,
                    actor_id: r.actor_id,
                    note: r.note,
                    at: r.at,
                })
                .collect())
        })
        .await
        .expect("read the history")
}

/// The first email to `to` whose subject starts with `subject`, waiting for it.
pub async fn mail_to(app: &TestApp, to: &str, subject: &str) -> ReceivedMail {
    let deadline = tokio::time::Instant::now() + MAIL_WAIT;
    loop {
        let found = app.smtp.messages_to(to).into_iter().find(|m| m.subject().is_some_and(|s| s.starts_with(subject)));
        if let Some(mail) = found {
            return mail;
        }
        if tokio::time::Instant::now() > deadline {
            let subjects: Vec<_> = app.smtp.messages_to(to).iter().map(ReceivedMail::subject).collect();
            panic!("no email to {to} with a subject starting {subject:?} within {MAIL_WAIT:?}; got {subjects:?}");
        }
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
}

/// The subjects of the outbox messages to `to`, oldest first.
pub async fn outbox_subjects(app: &TestApp, to: &str) -> Vec<String> {
    app.outbox().await.into_iter().filter(|m| m.recipient_email == to).map(|m| m.subject).collect()
}

/// The .ics attachment of `mail`, parsed, after checking that the MIME part carries the
/// same METHOD as the file.
pub fn calendar_of(mail: &ReceivedMail) -> icalendar::Calendar {
    let part = mail
        .attachments()
        .into_iter()
        .find(|p| p.content_type == "text/calendar")
        .unwrap_or_else(|| panic!("no calendar in {:?}", mail.subject()));
    let calendar: icalendar::Calendar =
        part.text().parse().unwrap_or_else(|e| panic!("invalid .ics ({e}): {}", part.text()));
    let method = calendar.property_value("METHOD").map(str::to_owned);
    assert_eq!(part.params.get("method").map(|m| m.to_ascii_uppercase()), method, "MIME method and METHOD differ");
    calendar
}

/// One VEVENT, read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEvent {
    pub uid: String,
    pub starts: DateTime<Utc>,
    pub ends: DateTime<Utc>,
    pub status: Option<String>,
    pub sequence: Option<u32>,
    pub location: Option<String>,
}

fn utc(value: Option<icalendar::DatePerhapsTime>, what: &str) -> DateTime<Utc> {
    match value {
        Some(icalendar::DatePerhapsTime::DateTime(icalendar::CalendarDateTime::Utc(t))) => t,
        other => panic!("{what} is not a UTC date-time: {other:?}"),
    }
}

/// The events of a calendar, in file order.
pub fn events_of(calendar: &icalendar::Calendar) -> Vec<CalendarEvent> {
    use icalendar::{Component, EventLike};
    calendar
        .events()
        .map(|e| CalendarEvent {
            uid: e.get_uid().expect("every event has a UID").to_owned(),
            starts: utc(e.get_start(), "DTSTART"),
            ends: utc(e.get_end(), "DTEND"),
            status: e.property_value("STATUS").map(str::to_owned),
            sequence: e.get_sequence(),
            location: e.get_location().map(str::to_owned),
        })
        .collect()
}

/// A browser-like client (cookies, no redirects) logged in as `person` by their session
/// cookie.
pub struct Visitor {
    pub client: reqwest::Client,
    pub address: String,
}

impl Visitor {
    /// `person` must have been made with a session (see [`people`]); the token is used as
    /// the login cookie.
    pub fn new(app: &TestApp, person: &Person) -> Visitor {
        let jar = Arc::new(reqwest::cookie::Jar::default());
        let url = url::Url::parse(&app.address).expect("app URL");
        jar.add_cookie_str(&format!("wm_session={}; Path=/", person.token), &url);
        let client = reqwest::Client::builder()
            .cookie_provider(jar)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(StdDuration::from_secs(30))
            .build()
            .expect("build the HTTP client");
        Visitor { client, address: app.address.clone() }
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(format!("{}{path}", self.address)).send().await.unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// The page at `path` (panics unless 200).
    pub async fn page(&self, path: &str) -> String {
        let response = self.get(path).await;
        let status = response.status();
        let body = response.text().await.expect("page body");
        assert_eq!(status, 200, "GET {path}: {body}");
        body
    }

    /// Submit a form of the page `from` to `action`, like a browser: with the page's CSRF
    /// token and this site's Origin.
    pub async fn submit(&self, from: &str, action: &str, fields: &[(&str, &str)]) -> Response {
        let page = self.page(from).await;
        let token = hidden_input(&page, "csrf_token").unwrap_or_else(|| panic!("no form on {from}"));
        let mut fields = fields.to_vec();
        fields.push(("csrf_token", &token));
        self.client
            .post(format!("{}{action}", self.address))
            .header("origin", &self.address)
            .form(&fields)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {action}: {e}"))
    }
}

/// The `Location` of a redirect.
pub fn location(response: &Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("no Location on a {} answer", response.status()))
        .to_owned()
}

/// Text of an HTML fragment without tags, with askama's entities undone and whitespace
/// collapsed: what a reader sees.
pub fn visible_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&#39;", "'")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#38;", "&")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The part of `html` after the start tag of the element with `id` (a section's heading)
/// to the end of its `<section>`.
pub fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id} on the page"));
    let rest = &html[start..];
    let rest = &rest[rest.find('>').map_or(0, |i| i + 1)..];
    &rest[..rest.find("</section>").unwrap_or(rest.len())]
}

/// The `value` of the input with `id` (unescaped).
pub fn input_value(html: &str, id: &str) -> String {
    let start = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id} on the page"));
    let tag = &html[html[..start].rfind('<').expect("inside a tag")..];
    let tag = &tag[..tag.find('>').expect("a whole tag")];
    let value = tag.split("value=\"").nth(1).unwrap_or_else(|| panic!("#{id} has no value: {tag}"));
    visible_text(&value[..value.find('"').expect("a quoted value")])
}
