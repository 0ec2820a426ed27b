//! JSON API of attendance: a session's roster, marks and their history; certificates.

use actix_web::{HttpResponse, get, post, put, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::attendance::model::{Change, MarkInput};
use crate::attendance::service::{self, Check, MyCertificate, PublicCertificate, Roster};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
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

#[derive(Debug, Serialize, ToSchema)]
pub struct MyCertificates {
    pub items: Vec<MyCertificate>,
}

/// The logged-in person's certificates of participation: one for each course that is over
/// and whose attendance rate reached the course's completion threshold (made when first
/// asked for).
#[utoipa::path(tag = "attendance", responses((status = 200, body = MyCertificates)), security(("bearer" = [])))]
#[get("/api/v1/me/certificates")]
async fn my_certificates(state: web::Data<AppState>, user: CurrentUser) -> AppResult<HttpResponse> {
    let site = state.config.site();
    let items = state.db.run(move |conn| service::my_certificates(conn, &site, &user)).await?;
    Ok(HttpResponse::Ok().json(MyCertificates { items }))
}

/// Check a certificate by its code (public, no login): name, course and date, nothing
/// more. An unknown code and a withdrawn certificate (the account was deleted) are both
/// 404; the page `/certificaat/{code}` tells the two apart.
#[utoipa::path(tag = "attendance",
    params(("code" = String, Path, description = "The verification code, e.g. `ABCD-EFGH-JK` (case and dashes do not matter)")),
    responses((status = 200, body = PublicCertificate),
              (status = 404, description = "Unknown or withdrawn", body = Problem, content_type = "application/problem+json")))]
#[get("/api/v1/certificates/{code}")]
async fn public_certificate(state: web::Data<AppState>, code: web::Path<String>) -> AppResult<HttpResponse> {
    let code = code.into_inner();
    match state.db.run(move |conn| service::check(conn, &code)).await? {
        Check::Valid(certificate) => Ok(HttpResponse::Ok().json(certificate)),
        Check::Withdrawn => Err(AppError::NotFound),
    }
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(get_roster).service(set_marks).service(absent_unmarked).service(history);
    cfg.service(my_certificates).service(public_certificate);
}
