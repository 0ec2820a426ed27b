//! HTML of attendance: the trainer's roster of a session, one form of radio buttons that
//! works without JavaScript.

use std::collections::HashMap;

use actix_web::{HttpResponse, get, post, web};
use askama::Template;

use crate::attendance::model::{AttendanceStatus, MarkInput};
use crate::attendance::service::{self, Cell, Matrix, Roster};
use crate::auth::CurrentUser;
use crate::choice::Choice;
use crate::error::{AppError, AppResult};
use crate::ids::{CourseId, SessionId, UserId};
use crate::web::ctx::Ctx;
use crate::web::{AppState, render, see_other};

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

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(roster_page).service(save_marks).service(absent_unmarked).service(matrix_page);
}
