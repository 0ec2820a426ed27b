//! HTML of attendance: the trainer's roster of a session, one form of radio buttons that
//! works without JavaScript; "Mijn cursussen" with one's own marks, rates and apologies
//! (enrolment's page composed with attendance, as the higher layer may).

use std::collections::HashMap;

use actix_web::{HttpResponse, get, post, web};
use askama::Template;

use actix_web::http::StatusCode;
use serde::Deserialize;

use crate::attendance::model::{AttendanceStatus, MarkInput};
use crate::attendance::service::{self, ApologyPage, MyCourseAttendance, MyMark, MyPage, MySession, Roster};
use crate::auth::CurrentUser;
use crate::catalogue::model::{CourseStatus, SessionStatus};
use crate::choice::Choice;
use crate::enrolment::model::EnrolmentStatus;
use crate::enrolment::service::{MyCourses, MyEnrolment};
use crate::error::{AppError, AppResult, FieldError};
use crate::ids::{CourseId, SessionId, UserId};
use crate::web::ctx::Ctx;
use crate::web::form::{finish, go};
use crate::web::{AppState, render, render_with_status, see_other};

#[derive(Template)]
#[template(path = "attendance/roster.html")]
struct RosterPage {
    ctx: Ctx,
    roster: Roster,
    saved: bool,
}

impl RosterPage {
    fn statuses(&self) -> &'static [AttendanceStatus] {
        AttendanceStatus::all()
    }

    fn place_name(&self, slug: &Option<String>) -> String {
        slug.as_deref().map(crate::places::name).unwrap_or("").to_owned()
    }
}

#[derive(Debug, serde::Deserialize)]
struct PageQuery {
    melding: Option<String>,
}

/// The roster of a session, for the course's trainers and coordinators.
#[get("/mijn-trainingen/sessies/{id}")]
async fn roster_page(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    id: web::Path<SessionId>,
    query: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let roster = state.db.run(move |conn| service::roster(conn, &user, id)).await?;
    render(&RosterPage { ctx, roster, saved: query.melding.as_deref() == Some("opgeslagen") })
}

/// The marks of the form: a field `mark-{user id}` per person with a chosen status.
fn marks_of(form: &HashMap<String, String>) -> AppResult<Vec<MarkInput>> {
    let mut marks: Vec<MarkInput> = Vec::new();
    for (name, value) in form {
        let Some(id) = name.strip_prefix("mark-") else { continue };
        let user_id = id.parse().map(UserId).map_err(|_| AppError::BadRequest("error-bad-request-detail"))?;
        let status = AttendanceStatus::parse(value).ok_or_else(|| AppError::validation(name, "choice"))?;
        marks.push(MarkInput { user_id, status, note: None });
    }
    marks.sort_by_key(|m| m.user_id);
    Ok(marks)
}

#[post("/mijn-trainingen/sessies/{id}")]
async fn save_marks(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<SessionId>,
    form: web::Form<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let marks = marks_of(&form)?;
    state.db.run(move |conn| service::set_marks(conn, &user, id, &marks)).await?;
    Ok(see_other(format!("/mijn-trainingen/sessies/{id}?melding=opgeslagen")))
}

#[post("/mijn-trainingen/sessies/{id}/afwezig")]
async fn absent_unmarked(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<SessionId>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    state.db.run(move |conn| service::absent_unmarked(conn, &user, id)).await?;
    Ok(see_other(format!("/mijn-trainingen/sessies/{id}?melding=opgeslagen")))
}

// ---------------------------------------------------------------------------------------
// Mijn cursussen: enrolment's page with one's own attendance and apologies

#[derive(Template)]
#[template(path = "attendance/mine.html")]
struct MinePage {
    ctx: Ctx,
    upcoming: Vec<MyEnrolment>,
    waiting: Vec<MyEnrolment>,
    past: Vec<MyEnrolment>,
    attendance: std::collections::BTreeMap<CourseId, MyCourseAttendance>,
    calendar_url: String,
    webcal_url: String,
    verified: bool,
    /// Whom to write when one can no longer cancel oneself.
    contact: String,
}

impl MinePage {
    /// One's attendance in a course where one has a seat (none while waiting).
    fn attendance_of(&self, course: &CourseId) -> Option<&MyCourseAttendance> {
        self.attendance.get(course)
    }

    /// A rate as a whole percentage ("75%"), or a dash before the first session.
    fn percent(&self, rate: &Option<f64>) -> String {
        rate.map_or_else(|| "–".to_owned(), |r| format!("{}%", (r * 100.0).round()))
    }

    /// The words for one's own mark at a held session.
    fn mark_key(&self, mark: &Option<MyMark>) -> &'static str {
        match mark {
            None => "apologies-mark-none",
            Some(MyMark::Present) => "attendance-status-present",
            Some(MyMark::Late) => "attendance-status-late",
            Some(MyMark::Excused) => "attendance-status-excused",
            Some(MyMark::Absent) => "attendance-status-absent",
            Some(MyMark::NotExpected) => "apologies-mark-not-expected",
        }
    }
}

impl MyCourseAttendance {
    fn session_of(&self, id: &SessionId) -> Option<&MySession> {
        self.sessions.iter().find(|s| s.session_id == *id)
    }
}

#[get("/mijn-cursussen")]
async fn my_courses(state: web::Data<AppState>, ctx: Ctx, user: CurrentUser) -> AppResult<HttpResponse> {
    let id = user.id;
    let MyPage { courses, attendance } = state.db.run(move |conn| service::my_page(conn, id)).await?;
    let MyCourses { upcoming, waiting, past, calendar_token } = courses;
    let (calendar_url, webcal_url) = crate::accounts::service::calendar_feed_urls(
        state.config.base(),
        &state.config.secret_key,
        user.id,
        &calendar_token,
    );
    let contact = state.config.mail_from.email.to_string();
    render(&MinePage {
        ctx,
        upcoming,
        waiting,
        past,
        attendance,
        calendar_url,
        webcal_url,
        verified: user.email_verified,
        contact,
    })
}

/// "Ik kan er niet bij zijn": a small page with an optional reason and one button, so it
/// works without JavaScript.
#[derive(Template)]
#[template(path = "attendance/apology.html")]
struct ApologyFormPage {
    ctx: Ctx,
    page: ApologyPage,
    reason: String,
    errors: Vec<FieldError>,
    max: usize,
}

#[derive(Debug, Default, Deserialize)]
struct ApologyForm {
    #[serde(default)]
    reason: String,
}

#[get("/mijn-cursussen/sessies/{id}/afmelden")]
async fn apology_form(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    id: web::Path<SessionId>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let page = state.db.run(move |conn| service::apology_page(conn, &user, id)).await?;
    let reason = page.apology.as_ref().and_then(|a| a.reason.clone()).unwrap_or_default();
    render(&ApologyFormPage { ctx, page, reason, errors: Vec::new(), max: service::REASON_MAX })
}

#[post("/mijn-cursussen/sessies/{id}/afmelden")]
async fn give_apology(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    id: web::Path<SessionId>,
    form: web::Form<ApologyForm>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let reason = form.into_inner().reason;
    let given = reason.clone();
    let asker = user.clone();
    let result = state.db.run(move |conn| service::give_apology(conn, &asker, id, Some(&given))).await;
    finish(
        result,
        |_| go(format!("/mijn-cursussen?melding=apologies-given#sessie-{id}")),
        |errors| async move {
            let page = state.db.run(move |conn| service::apology_page(conn, &user, id)).await?;
            let form = ApologyFormPage { ctx, page, reason, errors, max: service::REASON_MAX };
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &form)
        },
    )
    .await
}

/// "Toch komen": take the apology back (until the session starts).
#[post("/mijn-cursussen/sessies/{id}/afmelden/intrekken")]
async fn take_back_apology(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<SessionId>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    state.db.run(move |conn| service::take_back_apology(conn, &user, id)).await?;
    Ok(see_other(format!("/mijn-cursussen?melding=apologies-taken-back#sessie-{id}")))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(roster_page)
        .service(save_marks)
        .service(absent_unmarked)
        .service(my_courses)
        .service(apology_form)
        .service(give_apology)
        .service(take_back_apology);
}
