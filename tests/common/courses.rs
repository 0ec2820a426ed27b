//! Courses and enrolments. A coordinator makes a course as people see it with
//! `coordinator.create_course(&app, CourseSpec::new("Titel", 12))` (published, with
//! sessions); API tests of the course endpoints post bodies of their own with
//! `coordinator.post_course(&app, course_body("Titel"))`, `add_session`, `set_status`.
//! People enrol and cancel (`ann.enrol(&app, &course)`); the database's view of a course
//! is `app.seats(&course)` and `app.history(&course)`. Bulk data for lists goes straight
//! into the database with [`Seed`].

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Nullable, Text, Timestamptz};
use serde_json::{Value, json};

use super::TestApp;
use super::answers::Answer;
use super::people::Person;
use super::time::{local_at, session_at};

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
    /// A published course with one session of two hours, two weeks from today at 19:30.
    pub fn new(title: &str, capacity: i32) -> CourseSpec {
        CourseSpec {
            title: title.to_owned(),
            capacity,
            waitlist: true,
            deadline_hours: 24,
            opens: None,
            closes: None,
            sessions: vec![session_at(local_at(14, "19:30"))],
            publish: true,
        }
    }

    /// These sessions instead (see `session_at` and `local_at`).
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

    /// The enrolment window.
    pub fn window(mut self, opens: Option<DateTime<Utc>>, closes: Option<DateTime<Utc>>) -> Self {
        self.opens = opens.map(|t| t.to_rfc3339());
        self.closes = closes.map(|t| t.to_rfc3339());
        self
    }

    /// Not published.
    pub fn draft(mut self) -> Self {
        self.publish = false;
        self
    }
}

/// A course made with [`Person::create_course`].
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
    /// `/api/v1/courses/{id}/enrolment`: one's own enrolment.
    pub fn enrolment_path(&self) -> String {
        format!("/api/v1/courses/{}/enrolment", self.id)
    }

    /// `/api/v1/courses/{id}/enrolments`: the coordinator's list.
    pub fn enrolments_path(&self) -> String {
        format!("/api/v1/courses/{}/enrolments", self.id)
    }

    /// The public page.
    pub fn page(&self) -> String {
        format!("/cursussen/{}", self.slug)
    }

    /// The coordinator's page of the enrolments.
    pub fn manage_page(&self) -> String {
        format!("/beheer/cursussen/{}/inschrijvingen", self.id)
    }
}

/// A course by its id: a [`Course`], a course as the API answers it, or the id.
pub trait CourseRef {
    fn course_id(&self) -> i64;
}

impl CourseRef for Course {
    fn course_id(&self) -> i64 {
        self.id
    }
}

impl CourseRef for Value {
    fn course_id(&self) -> i64 {
        id(self)
    }
}

impl CourseRef for i64 {
    fn course_id(&self) -> i64 {
        *self
    }
}

/// A minimal valid course body for `POST /api/v1/courses`.
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

/// The `id` of a resource the API answered.
pub fn id(resource: &Value) -> i64 {
    resource["id"].as_i64().unwrap_or_else(|| panic!("no id: {resource}"))
}

/// What a coordinator does with courses, through the API.
impl Person {
    /// Create the course, add its sessions (in Buurtcentrum De Oosterpoort) and publish it
    /// unless it is a draft.
    pub async fn create_course(&self, app: &TestApp, spec: CourseSpec) -> Course {
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
        let created = self.post_course(app, body).await;
        let id = id(&created);
        let (mut session_ids, mut session_starts) = (Vec::new(), Vec::new());
        for (starts, ends) in &spec.sessions {
            let body = json!({
                "starts_at": starts, "ends_at": ends,
                "place": "Buurtcentrum De Oosterpoort", "address": "Voorbeeldstraat 1", "wijk": "oosterpoort",
            });
            let session = self.post_session(app, id, &body).await;
            session_ids.push(session["id"].as_i64().expect("session id"));
            session_starts.push(session["starts_at"].as_str().and_then(|t| t.parse().ok()).expect("starts_at"));
        }
        if spec.publish {
            self.set_status(app, id, "published").await;
        }
        let slug = created["slug"].as_str().expect("slug").to_owned();
        Course { id, slug, title: spec.title, session_ids, session_starts }
    }

    /// `POST /api/v1/courses`, which must answer 201; answers the course (a draft).
    pub async fn post_course(&self, app: &TestApp, body: Value) -> Value {
        let (status, course) = self.post_json(app, "/api/v1/courses", &body).await;
        assert_eq!(status, 201, "create a course: {course}");
        course
    }

    /// `POST /api/v1/courses/{course}/sessions`, which must answer 201; answers the session.
    pub async fn post_session(&self, app: &TestApp, course: i64, body: &Value) -> Value {
        let (status, session) = self.post_json(app, &format!("/api/v1/courses/{course}/sessions"), body).await;
        assert_eq!(status, 201, "add a session: {session}");
        session
    }

    /// A session (Amsterdam local times) at "Buurthuis", Voorbeeldstraat 1, in `wijk`.
    pub async fn add_session(&self, app: &TestApp, course: i64, starts: &str, ends: &str, wijk: &str) -> Value {
        let body = json!({ "starts_at": starts, "ends_at": ends, "place": "Buurthuis", "address": "Voorbeeldstraat 1", "wijk": wijk });
        self.post_session(app, course, &body).await
    }

    /// Move the course to `status`, which must succeed; answers the course.
    pub async fn set_status(&self, app: &TestApp, course: i64, status: &str) -> Value {
        let (code, body) =
            self.patch_json(app, &format!("/api/v1/courses/{course}"), &json!({ "status": status })).await;
        assert_eq!(code, 200, "course {course} → {status}: {body}");
        assert_eq!(body["status"], status);
        body
    }

    /// A published course from `body` with one session on `date` (19:30–21:30 local) in
    /// `wijk`; answers the course.
    pub async fn published_course(&self, app: &TestApp, body: Value, date: &str, wijk: &str) -> Value {
        let course = self.post_course(app, body).await;
        self.add_session(app, id(&course), &format!("{date}T19:30"), &format!("{date}T21:30"), wijk).await;
        self.set_status(app, id(&course), "published").await
    }

    /// `POST /api/v1/sessions/{session}/cancel`.
    pub async fn cancel_session(&self, app: &TestApp, session: i64) -> (u16, Value) {
        self.post(app, &format!("/api/v1/sessions/{session}/cancel")).await
    }

    /// `PUT /api/v1/courses/{course}/trainers/{trainer}`.
    pub async fn assign_trainer(&self, app: &TestApp, course: &impl CourseRef, trainer: &Person) -> (u16, Value) {
        self.put(app, &format!("/api/v1/courses/{}/trainers/{}", course.course_id(), trainer.id)).await
    }
}

/// What a participant does with courses, through the API.
impl Person {
    /// `POST /api/v1/courses/{id}/enrolment`.
    pub async fn enrol(&self, app: &TestApp, course: &impl CourseRef) -> (u16, Value) {
        self.post(app, &format!("/api/v1/courses/{}/enrolment", course.course_id())).await
    }

    /// `DELETE /api/v1/courses/{id}/enrolment`.
    pub async fn cancel(&self, app: &TestApp, course: &impl CourseRef) -> (u16, Value) {
        self.delete(app, &format!("/api/v1/courses/{}/enrolment", course.course_id())).await
    }

    /// Enrol, which must answer 201; answers the status of the enrolment (`enrolled`,
    /// `waitlisted`).
    pub async fn enrols_in(&self, app: &TestApp, course: &impl CourseRef) -> String {
        let body = self.enrol(app, course).await.expect_status(201);
        body["status"].as_str().expect("a status").to_owned()
    }
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

impl TestApp {
    /// The active enrolments of a course as the database has them: the enrolled first,
    /// then the waiting list in order.
    pub async fn seats(&self, course: &Course) -> Vec<Seat> {
        let id = course.id;
        self.pool
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

    /// Every event of the course's enrolments, in the order they happened.
    pub async fn history(&self, course: &Course) -> Vec<Event> {
        let id = course.id;
        self.pool
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
/// in every course whose slug is `key-<number>` (see [`Seed`]).
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
