//! JSON API of the catalogue: themes, courses, sessions and trainers.

use actix_web::{HttpResponse, delete, get, patch, post, put, web};

use crate::auth::CurrentUser;
use crate::catalogue::input::{CourseInput, SessionInput};
use crate::catalogue::model::{CourseSummary, CourseView, SessionView, ThemeView};
use crate::catalogue::service::{self, CourseQuery, ThemeInput};
use crate::enrolment::service::programme;
use crate::error::{AppError, AppResult};
use crate::ids::{CourseId, SessionId, UserId};
use crate::paging::{List, Paging};
use crate::web::AppState;
use crate::web::api::ApiJson;
use crate::web::ctx::MaybeUser;
use crate::web::errors::Problem;

/// The themes courses are grouped by.
#[utoipa::path(tag = "catalogue", responses((status = 200, body = List<ThemeView>)))]
#[get("/api/v1/themes")]
async fn list_themes(state: web::Data<AppState>, user: MaybeUser) -> AppResult<HttpResponse> {
    let all = user.0.is_some_and(|u| u.has(crate::auth::Role::Coordinator));
    let themes = state.db.run(move |conn| service::themes(conn, all)).await?;
    let items: Vec<ThemeView> = themes.iter().map(ThemeView::from).collect();
    let total = items.len() as i64;
    Ok(HttpResponse::Ok().json(List::new(items, total, Paging { page: 1, per_page: total.max(1) })))
}

/// Add a theme (coordinators).
#[utoipa::path(tag = "catalogue", request_body = ThemeInput,
    responses((status = 201, body = ThemeView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/api/v1/themes")]
async fn create_theme(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: ApiJson<ThemeInput>,
) -> AppResult<HttpResponse> {
    let theme = state.db.run(move |conn| service::create_theme(conn, &user, &body.0)).await?;
    Ok(HttpResponse::Created().json(ThemeView::from(&theme)))
}

/// Rename or retire a theme (coordinators); its slug stays.
#[utoipa::path(tag = "catalogue", request_body = ThemeInput, params(("slug" = String, Path)),
    responses((status = 200, body = ThemeView), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[patch("/api/v1/themes/{slug}")]
async fn update_theme(
    state: web::Data<AppState>,
    user: CurrentUser,
    slug: web::Path<String>,
    body: ApiJson<ThemeInput>,
) -> AppResult<HttpResponse> {
    let theme = state.db.run(move |conn| service::update_theme(conn, &user, &slug, &body.0)).await?;
    Ok(HttpResponse::Ok().json(ThemeView::from(&theme)))
}

/// Published courses with sessions to come, sorted by the next session. Coordinators may
/// ask for other statuses with `status`.
#[utoipa::path(tag = "catalogue", params(CourseQuery),
    responses((status = 200, body = List<CourseSummary>), (status = 422, body = Problem, content_type = "application/problem+json")))]
#[get("/api/v1/courses")]
async fn list(state: web::Data<AppState>, user: MaybeUser, query: web::Query<CourseQuery>) -> AppResult<HttpResponse> {
    let (filter, paging) = query.parse(user.0.as_ref(), Paging::DEFAULT_PER_PAGE)?;
    // serialised once per answer (the filter holds what the reader may see)
    let question = format!("api/courses {filter:?} {paging:?}");
    let answer = service::kept_list(&state.db, filter, paging).await?;
    let body = state.bodies.get_or_make(question, &answer, "", || {
        let (items, total) = answer.as_ref().clone();
        serde_json::to_string(&List::new(items, total, paging)).map_err(AppError::internal)
    })?;
    Ok(HttpResponse::Ok().content_type(actix_web::http::header::ContentType::json()).body(body))
}

/// One course with its sessions and trainers.
#[utoipa::path(tag = "catalogue", params(("id" = i64, Path)),
    responses((status = 200, body = CourseView), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/api/v1/courses/{id}")]
async fn get_course(state: web::Data<AppState>, user: MaybeUser, id: web::Path<CourseId>) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let detail = service::kept_detail(&state.db, user.0.as_ref(), id).await?;
    Ok(HttpResponse::Ok().json(detail.view()))
}

/// Create a course (coordinators); it starts as a draft.
#[utoipa::path(tag = "catalogue", request_body = CourseInput,
    responses((status = 201, body = CourseView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/api/v1/courses")]
async fn create_course(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: ApiJson<CourseInput>,
) -> AppResult<HttpResponse> {
    let input = body.0.parse();
    let detail = state.db.run(move |conn| service::create_course(conn, &user, &input)).await?;
    Ok(HttpResponse::Created().json(detail.view()))
}

/// Change a course, including its status (`draft → published → cancelled | archived`).
#[utoipa::path(tag = "catalogue", request_body = CourseInput, params(("id" = i64, Path)),
    responses((status = 200, body = CourseView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "the capacity is below the number enrolled, or the course is closed", body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[patch("/api/v1/courses/{id}")]
async fn update_course(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<CourseId>,
    body: ApiJson<CourseInput>,
) -> AppResult<HttpResponse> {
    let (id, site, input) = (id.into_inner(), state.config.site(), body.0.parse());
    let detail = state.db.run(move |conn| programme::update_course(conn, &site, &user, id, &input)).await?;
    Ok(HttpResponse::Ok().json(detail.view()))
}

/// Add a session to a course (coordinators).
#[utoipa::path(tag = "catalogue", request_body = SessionInput, params(("id" = i64, Path)),
    responses((status = 201, body = SessionView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "the course is cancelled or archived", body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/api/v1/courses/{id}/sessions")]
async fn add_session(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<CourseId>,
    body: ApiJson<SessionInput>,
) -> AppResult<HttpResponse> {
    let (id, site, input) = (id.into_inner(), state.config.site(), body.0.parse());
    let session = state.db.run(move |conn| programme::add_session(conn, &site, &user, id, &input)).await?;
    Ok(HttpResponse::Created().json(&session))
}

/// Change a session; enrolled people hear about a new time or place.
#[utoipa::path(tag = "catalogue", request_body = SessionInput, params(("id" = i64, Path)),
    responses((status = 200, body = SessionView), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "the session or its course is cancelled", body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[patch("/api/v1/sessions/{id}")]
async fn update_session(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<SessionId>,
    body: ApiJson<SessionInput>,
) -> AppResult<HttpResponse> {
    let (id, site, input) = (id.into_inner(), state.config.site(), body.0.parse());
    let session = state.db.run(move |conn| programme::update_session(conn, &site, &user, id, &input)).await?;
    Ok(HttpResponse::Ok().json(&session))
}

/// Cancel a session; everyone enrolled or waiting gets an email with an .ics CANCEL.
#[utoipa::path(tag = "catalogue", params(("id" = i64, Path)),
    responses((status = 200, body = SessionView), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "the session or its course is cancelled", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/api/v1/sessions/{id}/cancel")]
async fn cancel_session(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<SessionId>,
) -> AppResult<HttpResponse> {
    let (id, site) = (id.into_inner(), state.config.site());
    let session = state.db.run(move |conn| programme::cancel_session(conn, &site, &user, id)).await?;
    Ok(HttpResponse::Ok().json(&session))
}

/// Assign a trainer to a course (coordinators); the user needs role trainer or above.
#[utoipa::path(tag = "catalogue", params(("id" = i64, Path), ("user_id" = i64, Path)),
    responses((status = 200, body = CourseView), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[put("/api/v1/courses/{id}/trainers/{user_id}")]
async fn assign_trainer(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(CourseId, UserId)>,
) -> AppResult<HttpResponse> {
    let (course, trainer) = path.into_inner();
    let detail = state.db.run(move |conn| service::assign_trainer(conn, &user, course, trainer)).await?;
    Ok(HttpResponse::Ok().json(detail.view()))
}

/// Remove a trainer from a course (coordinators).
#[utoipa::path(tag = "catalogue", params(("id" = i64, Path), ("user_id" = i64, Path)),
    responses((status = 204), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[delete("/api/v1/courses/{id}/trainers/{user_id}")]
async fn remove_trainer(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(CourseId, UserId)>,
) -> AppResult<HttpResponse> {
    let (course, trainer) = path.into_inner();
    state.db.run(move |conn| service::remove_trainer(conn, &user, course, trainer)).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(list_themes)
        .service(create_theme)
        .service(update_theme)
        .service(list)
        .service(get_course)
        .service(create_course)
        .service(update_course)
        .service(add_session)
        .service(update_session)
        .service(cancel_session)
        .service(assign_trainer)
        .service(remove_trainer);
}
