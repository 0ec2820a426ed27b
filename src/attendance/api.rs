//! JSON API of attendance: a session's roster, marks and their history.

use actix_web::{HttpResponse, get, post, put, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::attendance::model::{Change, MarkInput};
use crate::attendance::service::{self, Roster, WalkInAnswer};
use crate::auth::CurrentUser;
use crate::enrolment::service::WalkIn;
use crate::error::AppResult;
use crate::ids::SessionId;
use crate::web::AppState;
use crate::web::api::ApiJson;
use crate::web::errors::Problem;

/// The roster of a session (the course's trainers and coordinators).
#[utoipa::path(tag = "attendance", params(("id" = i64, Path)),
    responses((status = 200, body = Roster), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[get("/api/v1/sessions/{id}/roster")]
async fn get_roster(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<SessionId>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let answer = state.db.run(move |conn| service::roster(conn, &user, id)).await?;
    Ok(HttpResponse::Ok().json(answer))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MarksBody {
    pub marks: Vec<MarkInput>,
}

/// Set marks, all or nothing: one mark that cannot be given (someone not enrolled, a
/// wrong status) rejects the request with 422 naming it (`marks[2].status`). Answers the
/// roster as it now stands.
#[utoipa::path(tag = "attendance", params(("id" = i64, Path)), request_body = MarksBody,
    responses((status = 200, body = Roster), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "the session is cancelled, or (trainers) outside the marking window", body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[put("/api/v1/sessions/{id}/attendance")]
async fn set_marks(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<SessionId>,
    body: ApiJson<MarksBody>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let answer = state.db.run(move |conn| service::set_marks(conn, &user, id, &body.0.marks)).await?;
    Ok(HttpResponse::Ok().json(answer))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Marked {
    /// How many unmarked people were marked absent.
    pub marked: usize,
}

/// After the start: mark everyone expected and not yet marked as absent. Marks already
/// given stay as they are.
#[utoipa::path(tag = "attendance", params(("id" = i64, Path)),
    responses((status = 200, body = Marked), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "not started, cancelled, or outside the marking window", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/api/v1/sessions/{id}/attendance/absent-unmarked")]
async fn absent_unmarked(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<SessionId>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let marked = state.db.run(move |conn| service::absent_unmarked(conn, &user, id)).await?;
    Ok(HttpResponse::Ok().json(Marked { marked }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct History {
    pub items: Vec<Change>,
}

/// Every change to the session's marks, oldest first: who, when, old → new, note.
#[utoipa::path(tag = "attendance", params(("id" = i64, Path)),
    responses((status = 200, body = History), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[get("/api/v1/sessions/{id}/attendance/history")]
async fn history(state: web::Data<AppState>, user: CurrentUser, id: web::Path<SessionId>) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let items = state.db.run(move |conn| service::history(conn, &user, id)).await?;
    Ok(HttpResponse::Ok().json(History { items }))
}

/// Add a walk-in: someone who came without enrolling, by `user_id`, or by `email` and
/// `name` (a new person gets an account and an invitation; an address with an account is
/// that person). They are enrolled (over the capacity if need be; promoted when waiting),
/// recorded as a walk-in in the enrolment history, and marked present, in one step.
#[utoipa::path(tag = "attendance", params(("id" = i64, Path)), request_body = WalkIn,
    responses((status = 201, body = WalkInAnswer), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "the session is cancelled, the course is closed, or (trainers) outside the marking window", body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/api/v1/sessions/{id}/walk-ins")]
async fn walk_in(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<SessionId>,
    body: ApiJson<WalkIn>,
) -> AppResult<HttpResponse> {
    let (id, site) = (id.into_inner(), state.config.site());
    let answer = state.db.run(move |conn| service::add_walk_in(conn, &site, &user, id, &body.0)).await?;
    Ok(HttpResponse::Created().json(answer))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(get_roster).service(set_marks).service(absent_unmarked).service(history).service(walk_in);
}
