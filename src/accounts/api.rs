//! JSON API of accounts: `/api/v1/auth/*`, `/api/v1/me*` and, for admins, `/api/v1/users*`.

use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::accounts::identity::{device_cookie, device_token};
use crate::accounts::model::{SessionKind, UserView};
use crate::accounts::service::{self, Client, Credentials, ProfileChange, Registration, UserQuery};
use crate::auth::{CurrentUser, Role};
use crate::choice::Choice;
use crate::error::{AppError, AppResult};
use crate::ids::UserId;
use crate::paging::List;
use crate::privacy;
use crate::privacy::service::PersonalData;
use crate::web::AppState;
use crate::web::api::{ApiJson, PageQuery};
use crate::web::ctx::{client_ip, locale_of, user_agent};
use crate::web::errors::Problem;

/// The answer to a registration: the same whether the address was new or known.
#[derive(Debug, Serialize, ToSchema)]
pub struct Registered {
    pub email: String,
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoggedIn {
    /// Bearer token: send it as `Authorization: Bearer <token>`.
    pub token: String,
    pub user: UserView,
    /// Keep it and send it as `device_token` with later logins: a known device still gets
    /// in while the account is locked for clients it does not know.
    pub device_token: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenBody {
    #[serde(default)]
    #[schema(required)]
    pub token: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct EmailBody {
    /// Any text, or left out: the answer is 202 whatever it is.
    #[serde(default)]
    #[schema(required = false)]
    pub email: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ResetConfirm {
    #[serde(default)]
    #[schema(required)]
    pub token: String,
    /// The new password: at least 10 characters, not a common one.
    #[serde(default)]
    #[schema(required, min_length = 10)]
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordBody {
    #[serde(default)]
    #[schema(required)]
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordChange {
    #[serde(default)]
    #[schema(required)]
    pub current_password: String,
    /// At least 10 characters, not a common one.
    #[serde(default)]
    #[schema(required, min_length = 10)]
    pub new_password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Invitation {
    #[serde(default)]
    #[schema(required, format = Email, max_length = 254)]
    pub email: String,
    #[serde(default)]
    #[schema(required, min_length = 1, max_length = 100)]
    pub name: String,
    #[serde(default)]
    #[schema(required, value_type = Role)]
    pub role: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RoleChange {
    #[serde(default)]
    #[schema(required, value_type = Role)]
    pub role: String,
}

fn parse_role(text: &str) -> AppResult<Role> {
    Role::parse(text).ok_or_else(|| AppError::validation("role", "choice"))
}

/// Register a participant account; a verification email follows.
#[utoipa::path(tag = "auth", request_body = Registration,
    responses((status = 201, body = Registered), (status = 422, body = Problem, content_type = "application/problem+json"),
              (status = 429, description = "Too many attempts; Retry-After says when to try again", body = Problem, content_type = "application/problem+json")))]
#[post("/api/v1/auth/register")]
async fn register(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ApiJson<Registration>,
) -> AppResult<HttpResponse> {
    let input = body.0;
    let locale = locale_of(&req);
    let base = state.config.base().to_owned();
    let email = service::normalise_email(&input.email);
    let (ip, limits) = (client_ip(&req, &state.config), service::RegisterLimits::from(&*state.config));
    service::register(&state.db, &base, &input, locale, &ip, limits).await?;
    Ok(HttpResponse::Created().json(Registered { email, message: locale.t("register-sent-body") }))
}

/// Confirm an email address with the token from the verification email.
#[utoipa::path(tag = "auth", request_body = TokenBody,
    responses((status = 204), (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/api/v1/auth/verify-email")]
async fn verify_email(state: web::Data<AppState>, body: ApiJson<TokenBody>) -> AppResult<HttpResponse> {
    state.db.run(move |conn| service::verify_email(conn, &body.0.token)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Send a new verification email to the logged-in user.
#[utoipa::path(tag = "auth", responses((status = 202), (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 429, description = "Too many attempts; Retry-After says when to try again", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/api/v1/auth/resend-verification")]
async fn resend_verification(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
) -> AppResult<HttpResponse> {
    let base = state.config.base().to_owned();
    let (ip, limits) = (client_ip(&req, &state.config), service::RegisterLimits::from(&*state.config));
    state.db.run(move |conn| service::resend_verification(conn, &base, user.id, &ip, limits)).await?;
    Ok(HttpResponse::Accepted().finish())
}

/// Log in: answers a bearer token. Unknown address and wrong password answer alike (401);
/// too many failures answer 429 with Retry-After.
#[utoipa::path(tag = "auth", request_body = Credentials,
    responses((status = 200, body = LoggedIn), (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 429, body = Problem, content_type = "application/problem+json")))]
#[post("/api/v1/auth/login")]
async fn login(state: web::Data<AppState>, req: HttpRequest, body: ApiJson<Credentials>) -> AppResult<HttpResponse> {
    let client = Client { ip: client_ip(&req, &state.config), user_agent: user_agent(&req) };
    let lifetime = state.config.session_lifetime;
    let mut credentials = body.0;
    credentials.device_token = credentials.device_token.or_else(|| device_token(&req));
    let done = service::login(&state.db, &credentials, &client, SessionKind::Api, lifetime).await?;
    let cookie = device_cookie(&state.config, done.device.clone());
    let answer = LoggedIn { token: done.session, user: UserView::from(&done.user), device_token: done.device };
    Ok(HttpResponse::Ok().cookie(cookie).json(answer))
}

/// End the current session (the bearer token or cookie used for this request).
#[utoipa::path(tag = "auth", responses((status = 204), (status = 401, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/api/v1/auth/logout")]
async fn logout(state: web::Data<AppState>, user: CurrentUser) -> AppResult<HttpResponse> {
    state.db.run(move |conn| service::logout(conn, user.session_id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Ask for a password reset link. Always 202, whether the address is known or not (only a
/// missing or broken body is refused).
#[utoipa::path(tag = "auth", request_body = EmailBody, responses((status = 202), (status = 429, description = "Too many attempts; Retry-After says when to try again", body = Problem, content_type = "application/problem+json")))]
#[post("/api/v1/auth/password-reset")]
async fn password_reset(state: web::Data<AppState>, body: ApiJson<EmailBody>) -> AppResult<HttpResponse> {
    state.db.run(move |conn| service::request_password_reset(conn, &body.0.email)).await?;
    Ok(HttpResponse::Accepted().finish())
}

/// Set a new password with the token from the reset email; every session of the user ends.
#[utoipa::path(tag = "auth", request_body = ResetConfirm,
    responses((status = 204), (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/api/v1/auth/password-reset/confirm")]
async fn password_reset_confirm(state: web::Data<AppState>, body: ApiJson<ResetConfirm>) -> AppResult<HttpResponse> {
    service::reset_password(&state.db, &body.0.token, &body.0.password).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The logged-in user.
#[utoipa::path(tag = "me", responses((status = 200, body = UserView), (status = 401, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[get("/api/v1/me")]
async fn me(state: web::Data<AppState>, user: CurrentUser) -> AppResult<HttpResponse> {
    let found = state.db.run(move |conn| service::get(conn, user.id)).await?;
    Ok(HttpResponse::Ok().json(UserView::from(&found)))
}

/// Change one's name, wijk, organisation, participant kind or language: at least one of
/// them (an empty change is 422).
#[utoipa::path(tag = "me", request_body = ProfileChange,
    responses((status = 200, body = UserView), (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[patch("/api/v1/me")]
async fn update_me(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: ApiJson<ProfileChange>,
) -> AppResult<HttpResponse> {
    let updated = state.db.run(move |conn| service::update_profile(conn, user.id, &body.0)).await?;
    Ok(HttpResponse::Ok().json(UserView::from(&updated)))
}

/// Change one's password (asks the current one); other sessions end.
#[utoipa::path(tag = "me", request_body = PasswordChange,
    responses((status = 204), (status = 422, body = Problem, content_type = "application/problem+json"),
              (status = 429, description = "Too many attempts; Retry-After says when to try again", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/api/v1/me/password")]
async fn change_password(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: ApiJson<PasswordChange>,
) -> AppResult<HttpResponse> {
    let base = state.config.base().to_owned();
    service::change_password(&state.db, &base, &user, &body.0.current_password, &body.0.new_password).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Everything the platform keeps about the logged-in user (AVG).
#[utoipa::path(tag = "me", responses((status = 200, body = PersonalData)), security(("bearer" = [])))]
#[get("/api/v1/me/data")]
async fn my_data(state: web::Data<AppState>, user: CurrentUser) -> AppResult<HttpResponse> {
    let (idle, site) = (state.config.session_idle, state.config.site());
    let data = state.db.run(move |conn| privacy::service::personal_data(conn, &site, user.id, idle)).await?;
    Ok(HttpResponse::Ok().json(data))
}

/// Delete one's account: asks the password; cannot be undone.
#[utoipa::path(tag = "me", request_body = PasswordBody,
    responses((status = 204), (status = 422, body = Problem, content_type = "application/problem+json"),
              (status = 429, description = "Too many attempts; Retry-After says when to try again", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[delete("/api/v1/me")]
async fn delete_me(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: ApiJson<PasswordBody>,
) -> AppResult<HttpResponse> {
    let site = state.config.site();
    privacy::service::delete_own_account(&state.db, &site, &user, &body.0.password).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct UsersQuery {
    /// Part of a name or email address.
    pub q: Option<String>,
    #[param(value_type = Option<Role>)]
    pub role: Option<String>,
    /// From 1.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000000)]
    pub page: Option<String>,
    /// 50 unless given; at most 200.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 200)]
    pub per_page: Option<String>,
}

/// Accounts (admins).
#[utoipa::path(tag = "users", params(UsersQuery),
    responses((status = 200, body = List<UserView>), (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[get("/api/v1/users")]
async fn list_users(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<UsersQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let paging = PageQuery { page: query.page.clone(), per_page: query.per_page.clone() }.paging()?;
    let filter = UserQuery { q: query.q, role: query.role };
    let (items, total) = state.db.run(move |conn| service::list(conn, &user, &filter, paging)).await?;
    Ok(HttpResponse::Ok().json(List::new(items.iter().map(UserView::from).collect(), total, paging)))
}

/// Invite someone with a role (admins): an email with a link to set a password.
#[utoipa::path(tag = "users", request_body = Invitation,
    responses((status = 201, body = UserView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/api/v1/users")]
async fn invite(state: web::Data<AppState>, user: CurrentUser, body: ApiJson<Invitation>) -> AppResult<HttpResponse> {
    user.require(Role::Admin)?;
    let role = parse_role(&body.0.role)?;
    let base = state.config.base().to_owned();
    let invited =
        state.db.run(move |conn| service::invite(conn, &base, &user, &body.0.email, &body.0.name, role)).await?;
    Ok(HttpResponse::Created().json(UserView::from(&invited)))
}

/// Change someone's role (admins); the last admin cannot be demoted (409).
#[utoipa::path(tag = "users", request_body = RoleChange, params(("id" = i64, Path)),
    responses((status = 200, body = UserView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[patch("/api/v1/users/{id}")]
async fn update_user(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<UserId>,
    body: ApiJson<RoleChange>,
) -> AppResult<HttpResponse> {
    user.require(Role::Admin)?;
    let role = parse_role(&body.0.role)?;
    let id = id.into_inner();
    let updated = state.db.run(move |conn| service::change_role(conn, &user, id, role)).await?;
    Ok(HttpResponse::Ok().json(UserView::from(&updated)))
}

/// Delete (anonymise) an account on the person's request (admins).
#[utoipa::path(tag = "users", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[delete("/api/v1/users/{id}")]
async fn delete_user(state: web::Data<AppState>, user: CurrentUser, id: web::Path<UserId>) -> AppResult<HttpResponse> {
    let site = state.config.site();
    let id = id.into_inner();
    state.db.run(move |conn| privacy::service::delete_account_by_admin(conn, &site, &user, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(register)
        .service(verify_email)
        .service(resend_verification)
        .service(login)
        .service(logout)
        .service(password_reset)
        .service(password_reset_confirm)
        .service(me)
        .service(update_me)
        .service(change_password)
        .service(my_data)
        .service(delete_me)
        .service(list_users)
        .service(invite)
        .service(update_user)
        .service(delete_user);
}
