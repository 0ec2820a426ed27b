//! HTML of attendance: the trainer's day ("Mijn trainingen"), and the roster of a session:
//! one form of radio buttons that works without JavaScript (static/roster.js saves each tap
//! at once where it runs), and a section to add walk-ins.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use chrono::{DateTime, Utc};

use crate::attendance::model::{AttendanceStatus, MarkInput};
use crate::attendance::service::{self, Found, Roster, TrainerDay};
use crate::auth::CurrentUser;
use crate::choice::Choice;
use crate::enrolment::service::WalkIn;
use crate::error::{AppError, AppResult, FieldError};
use crate::ids::{SessionId, UserId};
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
    let (mut roster, found) =
        state.db.run(move |conn| service::roster_with_search(conn, &user, id, search.as_deref())).await?;
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

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(trainings).service(roster_page).service(save_marks).service(absent_unmarked).service(add_walk_in);
}
