//! JSON API of enrolment.

use actix_web::{HttpResponse, delete, get, post, web};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::auth::CurrentUser;
use crate::enrolment::model::EnrolmentView;
use crate::enrolment::service::{self, Enrolled, MyEnrolment, OnBehalf, Participant};
use crate::error::AppResult;
use crate::ids::{CourseId, EnrolmentId};
use crate::paging::List;
use crate::web::AppState;
use crate::web::api::{ApiJson, OptionalJson, PageQuery};
use crate::web::errors::Problem;

fn answer(enrolled: Enrolled) -> HttpResponse {
    if enrolled.created { HttpResponse::Created() } else { HttpResponse::Ok() }.json(enrolled.enrolment)
}

/// Enrol in a course: `enrolled` when a seat is free, else `waitlisted` with a position.
/// 200 with the same body when already enrolled.
#[utoipa::path(tag = "enrolment", params(("id" = i64, Path)),
    responses((status = 201, body = EnrolmentView), (status = 200, body = EnrolmentView),
              (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, description = "email not verified", body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "outside the enrolment window, or full without a waiting list", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/api/v1/courses/{id}/enrolment")]
async fn enrol(state: web::Data<AppState>, user: CurrentUser, id: web::Path<CourseId>) -> AppResult<HttpResponse> {
    let (id, site) = (id.into_inner(), state.config.site());
    let enrolled = state.db.run(move |conn| service::enrol(conn, &site, &user, id)).await?;
    Ok(answer(enrolled))
}

/// Cancel one's own enrolment (a seat until the deadline, a waiting-list place always).
#[utoipa::path(tag = "enrolment", params(("id" = i64, Path)),
    responses((status = 200, body = EnrolmentView), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "the cancellation deadline has passed", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[delete("/api/v1/courses/{id}/enrolment")]
async fn cancel(state: web::Data<AppState>, user: CurrentUser, id: web::Path<CourseId>) -> AppResult<HttpResponse> {
    let (id, site) = (id.into_inner(), state.config.site());
    let enrolment = state.db.run(move |conn| service::cancel_own(conn, &site, &user, id)).await?;
    Ok(HttpResponse::Ok().json(enrolment))
}

/// My enrolments, newest first, cancelled ones included.
#[utoipa::path(tag = "enrolment", params(PageQuery), responses((status = 200, body = List<MyEnrolment>)), security(("bearer" = [])))]
#[get("/api/v1/me/enrolments")]
async fn mine(state: web::Data<AppState>, user: CurrentUser, query: web::Query<PageQuery>) -> AppResult<HttpResponse> {
    let paging = query.paging()?;
    let (items, total) = state.db.run(move |conn| service::mine_page(conn, user.id, paging)).await?;
    Ok(HttpResponse::Ok().json(List::new(items, total, paging)))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ParticipantsQuery {
    /// `true` to include cancelled enrolments.
    pub include_cancelled: Option<bool>,
    /// From 1.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000000)]
    pub page: Option<String>,
    /// 50 unless given; at most 200.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 200)]
    pub per_page: Option<String>,
}

/// Everyone enrolled and waiting in a course, the waiting list in order (coordinators and
/// the course's trainers).
#[utoipa::path(tag = "enrolment", params(("id" = i64, Path), ParticipantsQuery),
    responses((status = 200, body = List<Participant>), (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[get("/api/v1/courses/{id}/enrolments")]
async fn participants(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<CourseId>,
    query: web::Query<ParticipantsQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let paging = PageQuery { page: query.page, per_page: query.per_page }.paging()?;
    let (id, cancelled) = (id.into_inner(), query.include_cancelled.unwrap_or(false));
    let (items, total) =
        state.db.run(move |conn| service::participants(conn, &user, id, cancelled, Some(paging))).await?;
    Ok(HttpResponse::Ok().json(List::new(items, total, paging)))
}

/// Enrol someone on their behalf (coordinators): `{user_id}` or `{email, name}` for a new
/// person (who gets an invitation), plus `override_capacity`.
#[utoipa::path(tag = "enrolment", params(("id" = i64, Path)), request_body = OnBehalf,
    responses((status = 201, body = EnrolmentView), (status = 200, body = EnrolmentView),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/api/v1/courses/{id}/enrolments")]
async fn enrol_on_behalf(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<CourseId>,
    body: ApiJson<OnBehalf>,
) -> AppResult<HttpResponse> {
    let (id, site) = (id.into_inner(), state.config.site());
    let enrolled = state.db.run(move |conn| service::enrol_on_behalf(conn, &site, &user, id, &body.0)).await?;
    Ok(answer(enrolled))
}

/// Cancel anyone's enrolment (coordinators), at any time; the waiting list moves up.
#[utoipa::path(tag = "enrolment", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[delete("/api/v1/enrolments/{id}")]
async fn cancel_enrolment(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<EnrolmentId>,
) -> AppResult<HttpResponse> {
    let (id, site) = (id.into_inner(), state.config.site());
    state.db.run(move |conn| service::cancel_by_coordinator(conn, &site, &user, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct PromoteBody {
    /// Needed when no seat is free; recorded on the enrolment.
    #[serde(default)]
    pub override_capacity: bool,
}

/// Give a seat to someone on the waiting list (coordinators). The body may be left out.
#[utoipa::path(tag = "enrolment", params(("id" = i64, Path)), request_body = PromoteBody,
    responses((status = 200, body = EnrolmentView), (status = 409, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/api/v1/enrolments/{id}/promote")]
async fn promote(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<EnrolmentId>,
    body: OptionalJson<PromoteBody>,
) -> AppResult<HttpResponse> {
    let (id, site) = (id.into_inner(), state.config.site());
    let enrolment =
        state.db.run(move |conn| service::promote(conn, &site, &user, id, body.0.override_capacity)).await?;
    Ok(HttpResponse::Ok().json(enrolment))
}

/// Accept the offer of a seat before its deadline: `enrolled`, with the confirmation email.
/// 409 when there is no open offer or its deadline has passed.
#[utoipa::path(tag = "enrolment", params(("id" = i64, Path)),
    responses((status = 200, body = EnrolmentView),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "no open offer, or its deadline has passed", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/api/v1/enrolments/{id}/accept")]
async fn accept(state: web::Data<AppState>, user: CurrentUser, id: web::Path<EnrolmentId>) -> AppResult<HttpResponse> {
    let (id, site) = (id.into_inner(), state.config.site());
    let enrolment = state.db.run(move |conn| service::accept_offer(conn, &site, Some(&user), None, id)).await?;
    Ok(HttpResponse::Ok().json(enrolment))
}

fn stay_by_default() -> bool {
    true
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DeclineBody {
    /// Stay on the waiting list, at its end (default), or leave it.
    #[serde(default = "stay_by_default")]
    pub stay_on_waitlist: bool,
}

impl Default for DeclineBody {
    fn default() -> Self {
        DeclineBody { stay_on_waitlist: true }
    }
}

/// Decline the offer of a seat: it goes to the next in line at once.
#[utoipa::path(tag = "enrolment", params(("id" = i64, Path)), request_body = DeclineBody,
    responses((status = 200, body = EnrolmentView),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "no open offer", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/api/v1/enrolments/{id}/decline")]
async fn decline(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<EnrolmentId>,
    body: OptionalJson<DeclineBody>,
) -> AppResult<HttpResponse> {
    let (id, site, stay) = (id.into_inner(), state.config.site(), body.0.stay_on_waitlist);
    let enrolment = state.db.run(move |conn| service::decline_offer(conn, &site, Some(&user), None, id, stay)).await?;
    Ok(HttpResponse::Ok().json(enrolment))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ExtendBody {
    /// Hours to add to the deadline; it never passes two hours before the next session.
    #[schema(minimum = 1, maximum = 168)]
    pub hours: i64,
}

/// Give someone more time to answer an offer (coordinators).
#[utoipa::path(tag = "enrolment", params(("id" = i64, Path)), request_body = ExtendBody,
    responses((status = 200, body = EnrolmentView),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "no open offer, or no later deadline is possible", body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/api/v1/enrolments/{id}/offer/extend")]
async fn extend_offer(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<EnrolmentId>,
    body: ApiJson<ExtendBody>,
) -> AppResult<HttpResponse> {
    let (id, hours) = (id.into_inner(), body.0.hours);
    let enrolment = state.db.run(move |conn| service::extend_offer(conn, &user, id, hours)).await?;
    Ok(HttpResponse::Ok().json(enrolment))
}

/// Withdraw an offer (coordinators): the person goes to the end of the list, the seat to
/// the next in line.
#[utoipa::path(tag = "enrolment", params(("id" = i64, Path)),
    responses((status = 204),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "no open offer", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[delete("/api/v1/enrolments/{id}/offer")]
async fn withdraw_offer(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<EnrolmentId>,
) -> AppResult<HttpResponse> {
    let (id, site) = (id.into_inner(), state.config.site());
    state.db.run(move |conn| service::withdraw_offer(conn, &site, &user, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(enrol)
        .service(cancel)
        .service(mine)
        .service(participants)
        .service(enrol_on_behalf)
        .service(cancel_enrolment)
        .service(promote)
        .service(accept)
        .service(decline)
        .service(extend_offer)
        .service(withdraw_offer);
}
