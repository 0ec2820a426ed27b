//! HTML of attendance: the trainer's day ("Mijn trainingen"); the roster of a session, one
//! form of radio buttons that works without JavaScript (static/roster.js saves each tap at
//! once where it runs) with a section to add walk-ins; the course overview; self check-in
//! (the trainer's screen with the code, the participant's form and link); "Mijn cursussen"
//! with one's own marks, rates and apologies (enrolment's page composed with attendance, as
//! the higher layer may); the person's certificates, their PDF and the public check.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::http::header::{HeaderValue, RETRY_AFTER};
use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::access::service::{self as access, CourseNeeds};
use crate::attendance::model::{AttendanceStatus, MarkInput};
use crate::attendance::service::{
    self, ApologyPage, Cell, Check, Found, Matrix, MyCertificate, MyCourseAttendance, MyMark, MyPage, MySession,
    Roster, TrainerDay,
};
use crate::auth::CurrentUser;
use crate::catalogue::model::{CourseStatus, SessionStatus};
use crate::choice::Choice;
use crate::enrolment::model::EnrolmentState;
use crate::enrolment::service::{MyCourses, MyEnrolment, WalkIn};
use crate::error::{AppError, AppResult, FieldError};
use crate::i18n::Locale;
use crate::ids::{CourseId, SessionId, UserId};
use crate::web::ctx::Ctx;
use crate::web::form::{finish, go};
use crate::web::{AppState, render, render_with_status, see_other};

// ---------------------------------------------------------------------------------------
// the trainer's day

#[derive(Template)]
#[template(path = "attendance/trainings.html")]
struct TrainingsPage {
    ctx: Ctx,
    day: TrainerDay,
}

impl TrainingsPage {
    /// "Let op: op dat moment geef je ook …".
    fn overlap_text(&self, (course, starts, ends): &(String, DateTime<Utc>, DateTime<Utc>)) -> String {
        let when = self.ctx.time_range(starts, ends);
        self.ctx.locale.t_args("clash-own-warning", [("course", course.as_str().into()), ("when", when.into())])
    }

    /// "12 van 15 gemarkeerd".
    fn progress_text(&self, progress: &service::Progress) -> String {
        self.ctx.locale.t_args(
            "trainerday-marked",
            [("marked", (progress.marked as i64).into()), ("total", (progress.total as i64).into())],
        )
    }
}

/// Today's sessions first, then the next ones, each with a link to its roster.
#[get("/mijn-trainingen")]
async fn trainings(state: web::Data<AppState>, ctx: Ctx, user: CurrentUser) -> AppResult<HttpResponse> {
    let day = state.db.run(move |conn| service::trainer_day(conn, &user)).await?;
    render(&TrainingsPage { ctx, day })
}

// ---------------------------------------------------------------------------------------
// the roster

#[derive(Template)]
#[template(path = "attendance/roster.html")]
struct RosterPage {
    ctx: Ctx,
    roster: Roster,
    notice: Option<&'static str>,
    errors: Vec<FieldError>,
    /// The walk-in search as typed, and what it found (`None`: no search).
    query: String,
    found: Option<Vec<Found>>,
    /// A new walk-in's name and address as typed.
    new_person: WalkInForm,
    /// What people need to take part (access sits above attendance and adds them).
    needs: CourseNeeds,
}

/// The fields of the error summary, in the order of the page, with their labels.
const FIELDS: &[(&str, &str)] = &[
    ("zoek", "trainerday-search-label"),
    ("user_id", "trainerday-walk-in-person"),
    ("name", "trainerday-new-name"),
    ("email", "trainerday-new-email"),
];

impl RosterPage {
    fn statuses(&self) -> &'static [AttendanceStatus] {
        AttendanceStatus::all()
    }

    fn place_name(&self, slug: &Option<String>) -> String {
        slug.as_deref().map(crate::places::name).unwrap_or("").to_owned()
    }

    fn fields(&self) -> &'static [(&'static str, &'static str)] {
        FIELDS
    }

    /// The form error of one person's row, if any.
    fn mark_error(&self, user: &UserId) -> Option<String> {
        self.ctx.err(&self.errors, &format!("mark-{}", user.0))
    }
}

#[derive(Debug, serde::Deserialize)]
struct PageQuery {
    melding: Option<String>,
    zoek: Option<String>,
}

/// The notices a form post comes back with.
fn notice(melding: Option<&str>) -> Option<&'static str> {
    match melding? {
        "opgeslagen" => Some("attendance-saved"),
        "toegevoegd" => Some("trainerday-walk-in-added"),
        _ => None,
    }
}

async fn roster_page_with(
    state: &AppState,
    ctx: Ctx,
    user: CurrentUser,
    id: SessionId,
    page: (PageQuery, WalkInForm, Vec<FieldError>),
    chosen: Vec<MarkInput>,
) -> AppResult<HttpResponse> {
    let (query, new_person, mut errors) = page;
    let search = query.zoek.clone();
    let (mut roster, found, needs) =
        state.db.run(move |conn| access::session_roster(conn, &user, id, search.as_deref())).await?;
    let found = match found {
        Some(Err(AppError::Validation(more))) => {
            errors.extend(more);
            None
        }
        Some(other) => Some(other?),
        None => None,
    };
    // a form that comes back shows the choices as they were made
    for mark in chosen {
        if let Some(item) = roster.items.iter_mut().find(|i| i.user_id == mark.user_id) {
            item.attendance = Some(mark.status);
        }
    }
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = RosterPage {
        ctx,
        roster,
        notice: notice(query.melding.as_deref()),
        errors,
        query: query.zoek.unwrap_or_default(),
        found,
        new_person,
        needs,
    };
    render_with_status(status, &page)
}

/// The roster of a session, for the course's trainers and coordinators; `?zoek=` searches
/// people to add as walk-ins.
#[get("/mijn-trainingen/sessies/{id}")]
async fn roster_page(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    id: web::Path<SessionId>,
    query: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let page = (query.into_inner(), WalkInForm::default(), Vec::new());
    roster_page_with(&state, ctx, user, id.into_inner(), page, Vec::new()).await
}

/// The marks of the form: a field `mark-{user id}` per person with a chosen status. A
/// value that is not a status is a form error on that row.
fn marks_of(form: &HashMap<String, String>) -> AppResult<(Vec<MarkInput>, Vec<FieldError>)> {
    let mut marks: Vec<MarkInput> = Vec::new();
    let mut errors = Vec::new();
    for (name, value) in form {
        let Some(id) = name.strip_prefix("mark-") else { continue };
        let user_id = id.parse().map(UserId).map_err(|_| AppError::BadRequest("error-bad-request-detail"))?;
        match AttendanceStatus::parse(value) {
            Some(status) => marks.push(MarkInput { user_id, status, note: None }),
            None => errors.push(FieldError::new(name.as_str(), "choice")),
        }
    }
    marks.sort_by_key(|m| m.user_id);
    Ok((marks, errors))
}

/// The service names a mark by its place in the list (`marks[2].user_id`); the form names
/// the person's row (`mark-17`).
fn on_rows(errors: Vec<FieldError>, marks: &[MarkInput]) -> Vec<FieldError> {
    errors
        .into_iter()
        .map(|mut e| {
            let index = e.field.strip_prefix("marks[").and_then(|rest| rest.split(']').next()?.parse::<usize>().ok());
            if let Some(mark) = index.and_then(|i| marks.get(i)) {
                e.field = format!("mark-{}", mark.user_id.0);
            }
            e
        })
        .collect()
}

#[post("/mijn-trainingen/sessies/{id}")]
async fn save_marks(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    id: web::Path<SessionId>,
    form: web::Form<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let (marks, wrong) = marks_of(&form)?;
    let empty = || PageQuery { melding: None, zoek: None };
    if !wrong.is_empty() {
        return roster_page_with(&state, ctx, user, id, (empty(), WalkInForm::default(), wrong), marks).await;
    }
    let (actor, sent) = (user.clone(), marks.clone());
    let result = state.db.run(move |conn| service::set_marks(conn, &actor, id, &sent)).await;
    finish(
        result,
        |_| go(format!("/mijn-trainingen/sessies/{id}?melding=opgeslagen")),
        |errors| {
            let errors = on_rows(errors, &marks);
            roster_page_with(&state, ctx, user, id, (empty(), WalkInForm::default(), errors), marks.clone())
        },
    )
    .await
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

/// A walk-in from the roster page: `user_id` (a search result's button), or `name` and
/// `email` for someone new.
#[derive(Debug, Clone, Default, serde::Deserialize)]
struct WalkInForm {
    #[serde(default)]
    user_id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
}

#[post("/mijn-trainingen/sessies/{id}/inloop")]
async fn add_walk_in(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    id: web::Path<SessionId>,
    form: web::Form<WalkInForm>,
) -> AppResult<HttpResponse> {
    let (id, site, form) = (id.into_inner(), state.config.site(), form.into_inner());
    let user_id = match form.user_id.trim() {
        "" => None,
        text => Some(text.parse().map(UserId).map_err(|_| AppError::validation("user_id", "user-unknown"))?),
    };
    let who = WalkIn {
        user_id,
        email: (user_id.is_none()).then(|| form.email.clone()),
        name: (user_id.is_none()).then(|| form.name.clone()),
    };
    if who.user_id.is_none() && (form.email.trim().is_empty() || form.name.trim().is_empty()) {
        // the new person's form: both fields are asked for
        let errors = [("name", &form.name), ("email", &form.email)]
            .into_iter()
            .filter(|(_, value)| value.trim().is_empty())
            .map(|(field, _)| FieldError::new(field, "required"))
            .collect();
        let page = (PageQuery { melding: None, zoek: None }, form, errors);
        return roster_page_with(&state, ctx, user, id, page, Vec::new()).await;
    }
    let actor = user.clone();
    let result = state.db.run(move |conn| service::add_walk_in(conn, &site, &actor, id, &who)).await;
    finish(
        result,
        |_| go(format!("/mijn-trainingen/sessies/{id}?melding=toegevoegd#inloop")),
        |errors| {
            let page = (PageQuery { melding: None, zoek: None }, form, errors);
            roster_page_with(&state, ctx, user, id, page, Vec::new())
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "attendance/matrix.html")]
struct MatrixPage {
    ctx: Ctx,
    matrix: Matrix,
}

impl MatrixPage {
    /// The words of a cell: what a screen reader reads, and what shows.
    fn cell(&self, cell: Option<&Cell>) -> (&'static str, String) {
        match cell {
            Some(Cell::Marked(status)) => {
                (status.as_str(), self.ctx.t(format!("attendance-status-{}", status.as_str())))
            }
            Some(Cell::NotExpected) | None => ("not-expected", self.ctx.t("attendance-cell-not-expected")),
            Some(Cell::Unmarked) => ("unmarked", self.ctx.t("attendance-not-marked")),
        }
    }

    fn warned(&self) -> Vec<&str> {
        self.matrix.participants.iter().filter(|p| p.absence_warning).map(|p| p.name.as_str()).collect()
    }
}

/// The course's attendance: everyone's marks and rates, for its trainers and coordinators.
#[get("/mijn-trainingen/cursussen/{id}/aanwezigheid")]
async fn matrix_page(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    id: web::Path<CourseId>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let matrix = state.db.run(move |conn| service::matrix(conn, &user, id)).await?;
    render(&MatrixPage { ctx, matrix })
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

#[derive(Template)]
#[template(path = "attendance/certificates.html")]
struct CertificatesPage {
    ctx: Ctx,
    items: Vec<MyCertificate>,
}

impl CertificatesPage {
    fn pdf(&self, certificate: &MyCertificate, lang: &str) -> String {
        format!("{}?lang={lang}", service::certificate_path(&certificate.code))
    }
}

/// The person's certificates, with downloads in Dutch and English.
#[get("/mijn-cursussen/certificaten")]
async fn certificates_page(state: web::Data<AppState>, ctx: Ctx, user: CurrentUser) -> AppResult<HttpResponse> {
    let site = state.config.site();
    let items = state.db.run(move |conn| service::my_certificates(conn, &site, &user)).await?;
    render(&CertificatesPage { ctx, items })
}

#[derive(Debug, serde::Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

/// The owner's certificate as a PDF (`{code}.pdf`), in the account's language or `?lang=`.
/// Anyone else gets 404.
#[get("/mijn-cursussen/certificaten/{file}")]
async fn certificate_pdf(
    state: web::Data<AppState>,
    user: CurrentUser,
    file: web::Path<String>,
    query: web::Query<LangQuery>,
) -> AppResult<HttpResponse> {
    let code = file.into_inner().strip_suffix(".pdf").ok_or(AppError::NotFound)?.to_owned();
    let locale = query.lang.as_deref().and_then(Locale::from_code).unwrap_or(user.locale);
    let site = state.config.site();
    let file = state.db.run(move |conn| service::certificate_pdf(conn, &site, &user, &code, locale)).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header(("Content-Disposition", format!("attachment; filename=\"{}\"", file.filename)))
        .insert_header(("Cache-Control", "private, no-store"))
        .body(file.bytes))
}

#[derive(Template)]
#[template(path = "attendance/certificate_check.html")]
struct CheckPage {
    ctx: Ctx,
    check: Option<Check>,
    /// A code was asked for (so "not found" is said).
    asked: bool,
    typed: String,
}

impl CheckPage {
    fn day(&self, date: &chrono::NaiveDate) -> String {
        let noon = date.and_hms_opt(12, 0, 0).map(|t| t.and_utc()).unwrap_or_default();
        self.ctx.locale.date(noon)
    }
}

#[derive(Debug, serde::Deserialize)]
struct CodeQuery {
    code: Option<String>,
}

/// The form to check a code; a typed code goes to its own page.
#[get("/certificaat")]
async fn check_form(ctx: Ctx, query: web::Query<CodeQuery>) -> AppResult<HttpResponse> {
    let typed = query.code.as_deref().unwrap_or("").trim().to_owned();
    if typed.is_empty() {
        return render(&CheckPage { ctx, check: None, asked: false, typed });
    }
    match service::normalise_certificate_code(&typed) {
        Some(code) => Ok(see_other(format!("/certificaat/{code}"))),
        None => render_with_status(StatusCode::NOT_FOUND, &CheckPage { ctx, check: None, asked: true, typed }),
    }
}

/// The public check of a certificate: name, course and date; or "withdrawn", or "not
/// found" (both 404).
#[get("/certificaat/{code}")]
async fn check_page(state: web::Data<AppState>, ctx: Ctx, code: web::Path<String>) -> AppResult<HttpResponse> {
    let typed = code.into_inner();
    let asked = typed.clone();
    let check = match state.db.run(move |conn| service::check(conn, &asked)).await {
        Ok(check) => Some(check),
        Err(AppError::NotFound) => None,
        Err(e) => return Err(e),
    };
    let status = if matches!(check, Some(Check::Valid(_))) { StatusCode::OK } else { StatusCode::NOT_FOUND };
    render_with_status(status, &CheckPage { ctx, check, asked: true, typed })
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(trainings).service(roster_page).service(save_marks).service(absent_unmarked).service(add_walk_in);
    cfg.service(matrix_page);
    cfg.service(my_courses).service(apology_form).service(give_apology).service(take_back_apology);
    cfg.service(check_in_screen).service(make_check_in_code);
    cfg.service(check_in_form).service(check_in_with_form).service(check_in_link).service(check_in_with_link);
    cfg.service(certificates_page).service(certificate_pdf).service(check_form).service(check_page);
}

// ---------------------------------------------------------------------------------------
// self check-in: the trainer's screen with the code, and the participant's pages

#[derive(Template)]
#[template(path = "attendance/check_in_screen.html")]
struct CheckInScreenPage {
    ctx: Ctx,
    screen: service::CheckInScreen,
    /// The QR code of the check-in link, as inline SVG (made here, on the server).
    qr: Option<String>,
}

impl CheckInScreenPage {
    /// "3 van 12 ingecheckt".
    fn count(&self) -> String {
        self.count_of(self.screen.here().len().to_string(), self.screen.enrolled().to_string())
    }

    /// The same sentence with placeholders, for checkin.js to fill in.
    fn count_template(&self) -> String {
        self.count_of("{n}".to_owned(), "{m}".to_owned())
    }

    /// The code letter by letter, for screen readers ("A B C 2 3 4").
    fn spelled(&self, code: &str) -> String {
        code.chars().map(String::from).collect::<Vec<_>>().join(" ")
    }

    /// "Inchecken kan van 1 december 19:15 tot 21:30."
    fn window(&self) -> String {
        use crate::i18n::Arg;
        let opens = Arg::Text(self.ctx.datetime(&self.screen.opens_at));
        let closes = Arg::Text(self.ctx.time(&self.screen.roster.ends_at));
        self.ctx.locale.t_args("checkin-window", [("opens", opens), ("closes", closes)])
    }

    fn script(&self) -> &'static str {
        crate::web::assets::CHECKIN_JS_URL.as_str()
    }

    fn count_of(&self, here: String, total: String) -> String {
        use crate::i18n::Arg;
        self.ctx.locale.t_args("checkin-count", [("here", Arg::Text(here)), ("total", Arg::Text(total))])
    }
}

/// The QR code of `url` as an SVG element to put inline (without the XML declaration).
fn qr_svg(url: &str) -> AppResult<String> {
    use qrcode::render::svg;
    let code = qrcode::QrCode::new(url.as_bytes()).map_err(AppError::internal)?;
    let image = code
        .render()
        .min_dimensions(240, 240)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    Ok(image.find("<svg").map(|at| image[at..].to_owned()).unwrap_or(image))
}

/// The trainer's check-in screen: the code large, the link, its QR code and who is here.
#[get("/mijn-trainingen/sessies/{id}/inchecken")]
async fn check_in_screen(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    id: web::Path<SessionId>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let base = state.config.base().to_owned();
    let screen = state.db.run(move |conn| service::check_in_screen(conn, &user, id, &base)).await?;
    let qr = screen.code.as_ref().map(|c| qr_svg(&c.url)).transpose()?;
    render(&CheckInScreenPage { ctx, screen, qr })
}

/// Make the session's code (a POST: a link never changes anything).
#[post("/mijn-trainingen/sessies/{id}/inchecken")]
async fn make_check_in_code(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<SessionId>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let base = state.config.base().to_owned();
    state.db.run(move |conn| service::make_code(conn, &user, id, &base)).await?;
    Ok(see_other(format!("/mijn-trainingen/sessies/{id}/inchecken")))
}

#[derive(Template)]
#[template(path = "attendance/check_in_form.html")]
struct CheckInFormPage {
    ctx: Ctx,
    code: String,
    errors: Vec<FieldError>,
}

#[derive(Template)]
#[template(path = "attendance/check_in_link.html")]
struct CheckInLinkPage {
    ctx: Ctx,
    view: service::CheckInView,
    errors: Vec<FieldError>,
}

#[derive(Debug, Default, serde::Deserialize)]
struct CodeForm {
    #[serde(default)]
    code: String,
}

#[get("/inchecken")]
async fn check_in_form(ctx: Ctx, _user: CurrentUser) -> AppResult<HttpResponse> {
    render(&CheckInFormPage { ctx, code: String::new(), errors: Vec::new() })
}

#[post("/inchecken")]
async fn check_in_with_form(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    form: web::Form<CodeForm>,
) -> AppResult<HttpResponse> {
    check_in_page(state, ctx, user, form.into_inner().code).await
}

/// The link of the QR code: which session, and one button to check in.
#[get("/inchecken/{code}")]
async fn check_in_link(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    code: web::Path<String>,
) -> AppResult<HttpResponse> {
    let code = code.into_inner();
    let typed = code.clone();
    let result = state.db.run(move |conn| service::check_in_view(conn, &user, &code)).await;
    match result {
        Ok(view) => render(&CheckInLinkPage { ctx, view, errors: Vec::new() }),
        Err(e) => code_form_again(ctx, typed, e),
    }
}

#[post("/inchecken/{code}")]
async fn check_in_with_link(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    code: web::Path<String>,
) -> AppResult<HttpResponse> {
    check_in_page(state, ctx, user, code.into_inner()).await
}

/// Check in and go on to the link's page, which then says "je bent ingecheckt". A wrong
/// code shows the code form again; a right code at the wrong moment (or someone not
/// enrolled) shows the session's page with the reason and its times.
async fn check_in_page(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    code: String,
) -> AppResult<HttpResponse> {
    let typed = code.clone();
    let (who, again) = (user.clone(), code.clone());
    let result = state.db.run(move |conn| service::check_in(conn, &who, None, &code)).await;
    let refused = match result {
        Ok(_) => {
            let code = service::normalise_code(&typed);
            return Ok(see_other(format!("/inchecken/{code}")));
        }
        Err(e @ (AppError::Forbidden(_) | AppError::Conflict(_))) => e,
        Err(e) => return code_form_again(ctx, typed, e),
    };
    let view = state.db.run(move |conn| service::check_in_view(conn, &user, &again)).await?;
    let (status, key) = match refused {
        AppError::Forbidden(key) => (StatusCode::FORBIDDEN, key),
        AppError::Conflict(key) => (StatusCode::CONFLICT, key),
        other => return Err(other),
    };
    let error = FieldError::new("code", key)
        .with_arg("opens", ctx.datetime(&view.opens_at))
        .with_arg("closes", ctx.datetime(&view.ends_at));
    render_with_status(status, &CheckInLinkPage { ctx, view, errors: vec![error] })
}

/// The code form again after a wrong code (422) or too many of them (429, Retry-After).
fn code_form_again(ctx: Ctx, code: String, error: AppError) -> AppResult<HttpResponse> {
    match error {
        AppError::Validation(errors) => {
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &CheckInFormPage { ctx, code, errors })
        }
        AppError::TooManyRequests { retry_after_secs } => {
            let error = FieldError::new("code", "checkin-throttled").with_arg("minutes", retry_after_secs.div_ceil(60));
            let page = CheckInFormPage { ctx, code, errors: vec![error] };
            let mut response = render_with_status(StatusCode::TOO_MANY_REQUESTS, &page)?;
            response.headers_mut().insert(RETRY_AFTER, HeaderValue::from(retry_after_secs));
            Ok(response)
        }
        other => Err(other),
    }
}
