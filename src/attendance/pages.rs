//! HTML of attendance: the trainer's roster of a session, one form of radio buttons that
//! works without JavaScript; the person's certificates, their PDF and the public check.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use askama::Template;

use crate::attendance::model::{AttendanceStatus, MarkInput};
use crate::attendance::service::{self, Check, MyCertificate, Roster};
use crate::auth::CurrentUser;
use crate::choice::Choice;
use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use crate::ids::{SessionId, UserId};
use crate::web::ctx::Ctx;
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
    match service::normalise_code(&typed) {
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
    cfg.service(roster_page).service(save_marks).service(absent_unmarked);
    cfg.service(certificates_page).service(certificate_pdf).service(check_form).service(check_page);
}
