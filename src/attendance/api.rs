//! JSON API of attendance: a session's roster, marks and their history; apologies, walk-ins,
//! self check-in, the course overview, one's own attendance and certificates.

use actix_web::{HttpResponse, delete, get, post, put, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::attendance::model::{Change, MarkInput};
use crate::attendance::service::{
    self, Check, CheckInCode, CheckedIn, GivenApology, Matrix, MyAttendance, MyCertificate, PublicCertificate, Roster,
    WalkInAnswer,
};
use crate::auth::CurrentUser;
use crate::enrolment::service::WalkIn;
use crate::error::{AppError, AppResult};
use crate::ids::{CourseId, SessionId};
use crate::web::AppState;
use crate::web::api::{ApiJson, OptionalJson};
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

/// A course's attendance (the course's trainers and coordinators): sessions × participants
/// with their marks (`"not_expected"` before someone joined), both rates, completion, and a
/// warning for two unexcused absences in a row.
#[utoipa::path(tag = "attendance", params(("id" = i64, Path)),
    responses((status = 200, body = Matrix), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[get("/api/v1/courses/{id}/attendance")]
async fn course_attendance(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<CourseId>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let answer = state.db.run(move |conn| service::matrix(conn, &user, id)).await?;
    Ok(HttpResponse::Ok().json(answer))
}

/// The session's check-in code and link (made on the first call: 201; after that the
/// same code: 200). The course's trainers and coordinators.
#[utoipa::path(tag = "attendance", params(("id" = i64, Path)),
    responses((status = 201, description = "made now", body = CheckInCode),
              (status = 200, description = "the session already had one", body = CheckInCode),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "the session is cancelled", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/api/v1/sessions/{id}/check-in-code")]
async fn check_in_code(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<SessionId>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let base = state.config.base().to_owned();
    let (code, made) = state.db.run(move |conn| service::make_code(conn, &user, id, &base)).await?;
    Ok(if made { HttpResponse::Created().json(code) } else { HttpResponse::Ok().json(code) })
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CheckInBody {
    /// The code the trainer shows (case, spaces and dashes do not matter).
    pub code: String,
}

/// Check in to the session (an enrolled participant): marked present, or late from 15
/// minutes after the start. Open from 15 minutes before the start until the end. Checking
/// in again answers the same status. A mark the trainer gave stays, unless it is absent or
/// excused. Wrong codes are throttled per user (5 per 10 minutes, then 429).
#[utoipa::path(tag = "attendance", params(("id" = i64, Path)), request_body = CheckInBody,
    responses((status = 200, body = CheckedIn),
              (status = 403, description = "not enrolled in the course (waiting list, cancelled, never enrolled)", body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "outside the check-in window, or the session is cancelled", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "a wrong code (`errors[].field` = `code`)", body = Problem, content_type = "application/problem+json"),
              (status = 429, description = "too many wrong codes; see Retry-After", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/api/v1/sessions/{id}/check-in")]
async fn check_in(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<SessionId>,
    body: ApiJson<CheckInBody>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let answer = state.db.run(move |conn| service::check_in(conn, &user, Some(id), &body.0.code)).await?;
    Ok(HttpResponse::Ok().json(answer))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ApologyBody {
    /// Why one cannot come (optional, at most 500 characters).
    #[serde(default)]
    #[schema(max_length = 500)]
    pub reason: Option<String>,
}

/// "Ik kan er niet bij zijn": the participant (enrolled, expected at the session) apologises
/// before the session starts. The mark becomes `excused`, made by the participant. Giving
/// it again changes only the reason and answers 200.
#[utoipa::path(tag = "attendance", params(("id" = i64, Path)), request_body(content = ApologyBody, description = "may be left out"),
    responses((status = 201, description = "apology given", body = GivenApology),
              (status = 200, description = "already given: the reason changed", body = GivenApology),
              (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, description = "not enrolled in the course", body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "the session has started or is cancelled", body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/api/v1/sessions/{id}/apology")]
async fn give_apology(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<SessionId>,
    body: OptionalJson<ApologyBody>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let given = state.db.run(move |conn| service::give_apology(conn, &user, id, body.0.reason.as_deref())).await?;
    let mut response = if given.created { HttpResponse::Created() } else { HttpResponse::Ok() };
    Ok(response.json(given.apology))
}

/// Take an apology back, until the session starts. The `excused` mark it set is removed
/// (the history keeps the change); a mark a trainer gave since stays. Without an apology
/// nothing changes.
#[utoipa::path(tag = "attendance", params(("id" = i64, Path)),
    responses((status = 204, description = "taken back"),
              (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, description = "not enrolled in the course", body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "the session has started or is cancelled", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[delete("/api/v1/sessions/{id}/apology")]
async fn take_back_apology(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<SessionId>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    state.db.run(move |conn| service::take_back_apology(conn, &user, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// One's own attendance: per course (enrolled, or cancelled with marks) the two rates, the
/// counts and every session with one's mark and apology.
#[utoipa::path(tag = "attendance",
    responses((status = 200, body = MyAttendance), (status = 401, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[get("/api/v1/me/attendance")]
async fn my_attendance(state: web::Data<AppState>, user: CurrentUser) -> AppResult<HttpResponse> {
    let id = user.id;
    let items = state.db.run(move |conn| service::my_attendance(conn, id, chrono::Utc::now())).await?;
    Ok(HttpResponse::Ok().json(MyAttendance { items }))
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
    cfg.service(get_roster).service(set_marks).service(absent_unmarked).service(history).service(course_attendance);
    cfg.service(check_in_code).service(check_in);
    cfg.service(give_apology).service(take_back_apology).service(my_attendance).service(walk_in);
    cfg.service(my_certificates).service(public_certificate);
}
