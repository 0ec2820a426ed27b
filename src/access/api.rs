//! JSON API of access needs: one's own for a course (read, store with consent, remove),
//! and a course's list for its trainers and coordinators.

use actix_web::{HttpResponse, delete, get, put, web};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::access::service::{self, CourseNeeds, MyNeeds, NeedsInput};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::ids::CourseId;
use crate::web::AppState;
use crate::web::api::ApiJson;
use crate::web::errors::Problem;

/// One's own access needs for a course; 404 when none are stored.
#[utoipa::path(tag = "access", params(("id" = i64, Path)),
    responses((status = 200, body = MyNeeds),
              (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 404, description = "unknown course, or nothing stored", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[get("/api/v1/courses/{id}/enrolment/access-needs")]
async fn get_own(state: web::Data<AppState>, user: CurrentUser, id: web::Path<CourseId>) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let needs = state.db.run(move |conn| service::own(conn, &user, id)).await?.ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok().json(needs))
}

/// Store or change one's access needs for a course where one has a place (enrolled or
/// waiting), with explicit consent (`consent: true`); without it nothing is stored (422 on
/// `consent`). An unknown need is 422 on `needs`. They are seen by the course's trainers
/// and coordinators only, and deleted 30 days after the last session.
#[utoipa::path(tag = "access", params(("id" = i64, Path)), request_body = NeedsInput,
    responses((status = 201, description = "stored", body = MyNeeds),
              (status = 200, description = "changed", body = MyNeeds),
              (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, description = "no place in the course", body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[put("/api/v1/courses/{id}/enrolment/access-needs")]
async fn put_own(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<CourseId>,
    body: ApiJson<NeedsInput>,
) -> AppResult<HttpResponse> {
    let (id, notify) = (id.into_inner(), service::Notify::from_config(&state.config));
    let (needs, created) = state.db.run(move |conn| service::save(conn, &notify, &user, id, &body.0)).await?;
    let mut response = if created { HttpResponse::Created() } else { HttpResponse::Ok() };
    Ok(response.json(needs))
}

/// Remove one's access needs for a course (also when none are stored).
#[utoipa::path(tag = "access", params(("id" = i64, Path)),
    responses((status = 204, description = "removed"),
              (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 404, description = "unknown course", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[delete("/api/v1/courses/{id}/enrolment/access-needs")]
async fn delete_own(state: web::Data<AppState>, user: CurrentUser, id: web::Path<CourseId>) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    state.db.run(move |conn| service::remove(conn, &user, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    /// `true` to get each person's needs; the read is logged (who, when, which course).
    /// Without it only the summary.
    pub include_access_needs: Option<bool>,
}

/// The access needs of the people with a seat in a course (its trainers and
/// coordinators; anyone else 403): `summary` counts how many need what; `items` holds each
/// person's needs only with `include_access_needs=true`, and that read is written to the
/// audit table.
#[utoipa::path(tag = "access", params(("id" = i64, Path), ListQuery),
    responses((status = 200, body = CourseNeeds),
              (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[get("/api/v1/courses/{id}/access-needs")]
async fn course_list(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<CourseId>,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let (id, include) = (id.into_inner(), query.include_access_needs.unwrap_or(false));
    let needs = state.db.run(move |conn| service::course_list(conn, &user, id, include)).await?;
    Ok(HttpResponse::Ok().json(needs))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(get_own).service(put_own).service(delete_own).service(course_list);
}
