//! HTML pages of accounts: register, verify, log in and out, passwords, profile, privacy,
//! and the admin's list of accounts. Every form works without JavaScript, keeps what was
//! typed (never a password) and shows errors next to the field.

use actix_web::http::StatusCode;
use actix_web::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use crate::accounts::identity::session_cookie;
use crate::accounts::model::{LoginSession, ParticipantKind, SessionKind, User};
use crate::accounts::service::{self, Client, Credentials, ProfileChange, Registration, UserQuery};
use crate::auth::{CurrentUser, Role};
use crate::choice::Choice;
use crate::error::{AppError, AppResult, FieldError};
use crate::i18n::Locale;
use crate::ids::UserId;
use crate::paging::Paging;
use crate::places::PLACES;
use crate::privacy;
use crate::web::ctx::{Ctx, LANG_COOKIE, client_ip, user_agent};
use crate::web::form::{finish, go};
use crate::web::pages::safe_return;
use crate::web::{AppState, render, render_with_status, see_other};
use actix_web::cookie::{Cookie, SameSite, time};
use actix_web::http::header::LOCATION;

/// Choices for the wijk and participant-kind fields.
pub struct Choices {
    pub places: &'static [(&'static str, &'static str)],
    pub kinds: &'static [ParticipantKind],
}

const CHOICES: Choices = Choices { places: PLACES, kinds: <ParticipantKind as strum::VariantArray>::VARIANTS };

// ---------------------------------------------------------------------------------------
// register

#[derive(Debug, Default, Clone, Deserialize)]
pub struct RegisterForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub wijk: String,
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub participant_kind: String,
    pub privacy_consent: Option<String>,
    /// Where to continue after the email is verified (the course page this started on).
    #[serde(default)]
    pub terug: String,
}

/// The cookie the registration page leaves in the browser that registered (see
/// `service::verify_email_in_browser`).
const REGISTERED_COOKIE: &str = "wm_registered";

#[derive(Template)]
#[template(path = "accounts/register.html")]
struct RegisterPage {
    ctx: Ctx,
    form: RegisterForm,
    errors: Vec<FieldError>,
    choices: Choices,
}

#[get("/registreren")]
async fn register_form(ctx: Ctx, query: web::Query<ReturnQuery>) -> AppResult<HttpResponse> {
    if ctx.logged_in() {
        return Ok(see_other("/profiel"));
    }
    let terug = service::continue_path(&query.terug).unwrap_or_default().to_owned();
    let form = RegisterForm { terug, ..RegisterForm::default() };
    render(&RegisterPage { ctx, form, errors: Vec::new(), choices: CHOICES })
}

#[post("/registreren")]
async fn register(state: web::Data<AppState>, ctx: Ctx, form: web::Form<RegisterForm>) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let input = Registration {
        email: form.email.clone(),
        name: form.name.clone(),
        password: form.password.clone(),
        privacy_consent: Some(form.privacy_consent.is_some()),
        wijk: Some(form.wijk.clone()),
        organisation: Some(form.organisation.clone()),
        participant_kind: Some(form.participant_kind.clone()),
        locale: Some(ctx.locale.code().to_owned()),
        next: service::continue_path(&form.terug).map(str::to_owned),
    };
    let base = state.config.base().to_owned();
    let locale = ctx.locale;
    let proof = service::registered_here_proof(&state.config.secret_key, &form.email);
    let result = state.db.run(move |conn| service::register(conn, &base, &input, locale)).await;
    let cookie = Cookie::build(REGISTERED_COOKIE, proof)
        .path("/e-mail-bevestigen")
        .http_only(true)
        .secure(state.config.secure_cookies())
        .same_site(SameSite::Lax)
        .max_age(time::Duration::hours(service::VERIFY_TTL_HOURS))
        .finish();
    finish(
        result,
        |()| {
            let mut response = see_other("/registreren/verstuurd");
            response.add_cookie(&cookie).map_err(AppError::internal)?;
            Ok(response)
        },
        |errors| async move {
            let form = RegisterForm { password: String::new(), ..form };
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &RegisterPage { ctx, form, errors, choices: CHOICES })
        },
    )
    .await
}

/// A page with a heading, a few paragraphs and an optional link.
#[derive(Template)]
#[template(path = "accounts/notice.html")]
struct Notice {
    ctx: Ctx,
    title: String,
    paragraphs: Vec<String>,
    link: Option<(String, String)>,
}

#[get("/registreren/verstuurd")]
async fn register_sent(ctx: Ctx) -> AppResult<HttpResponse> {
    let page = Notice {
        title: ctx.t("register-sent-title"),
        paragraphs: vec![ctx.t("register-sent-body"), ctx.t("register-sent-spam")],
        link: Some(("/inloggen".into(), ctx.t("nav-login"))),
        ctx,
    };
    render(&page)
}

// ---------------------------------------------------------------------------------------
// links from emails: show a button first, use the token on POST (mail scanners follow links)

#[derive(Debug, Default, Deserialize)]
struct TokenQuery {
    #[serde(default)]
    token: String,
    /// Where to continue (verification only).
    #[serde(default)]
    terug: String,
}

#[derive(Template)]
#[template(path = "accounts/confirm_link.html")]
struct ConfirmLink {
    ctx: Ctx,
    title: String,
    intro: String,
    button: String,
    action: &'static str,
    token: String,
    /// Where to continue afterwards, carried through the form.
    terug: String,
}

#[get("/e-mail-bevestigen")]
async fn verify_form(ctx: Ctx, query: web::Query<TokenQuery>) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let page = ConfirmLink {
        title: ctx.t("verify-title"),
        intro: ctx.t("verify-intro"),
        button: ctx.t("verify-button"),
        action: "/e-mail-bevestigen",
        token: query.token,
        terug: service::continue_path(&query.terug).unwrap_or_default().to_owned(),
        ctx,
    };
    render(&page)
}

/// `path` with the one-time message `note` added to its query.
fn with_note(path: &str, note: &str) -> String {
    let sep = if path.contains('?') { '&' } else { '?' };
    format!("{path}{sep}melding={note}")
}

/// Verify the address and go on where the person was going: logged in when this is the
/// browser that registered (or already logged in as them), else at the login form with
/// the address filled in, which leads on to the same place.
#[post("/e-mail-bevestigen")]
async fn verify(
    state: web::Data<AppState>,
    req: HttpRequest,
    ctx: Ctx,
    form: web::Form<TokenQuery>,
) -> AppResult<HttpResponse> {
    let TokenQuery { token, terug } = form.into_inner();
    let target = service::continue_path(&terug).map(safe_return);
    let proof = req.cookie(REGISTERED_COOKIE).map(|c| c.value().to_owned());
    let client = Client { ip: client_ip(&req, &state.config), user_agent: user_agent(&req) };
    let (secret, lifetime) = (state.config.secret_key.clone(), state.config.session_lifetime);
    let result = state
        .db
        .run(move |conn| service::verify_email_in_browser(conn, &token, proof.as_deref(), &secret, &client, lifetime))
        .await;
    let verified = match result {
        Ok(verified) => verified,
        Err(AppError::Validation(_)) => {
            let link = if ctx.logged_in() {
                ("/cursussen".to_owned(), ctx.t("nav-courses"))
            } else {
                ("/inloggen".to_owned(), ctx.t("nav-login"))
            };
            let page = Notice {
                title: ctx.t("link-invalid-title"),
                paragraphs: vec![ctx.t("link-invalid-body")],
                link: Some(link),
                ctx,
            };
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
        Err(e) => return Err(e),
    };
    let mut gone = Cookie::build(REGISTERED_COOKIE, "").path("/e-mail-bevestigen").finish();
    gone.make_removal();
    let here_as_them = ctx.user.as_ref().is_some_and(|u| u.id == verified.user);
    if verified.session.is_some() || here_as_them {
        let next = with_note(target.as_deref().unwrap_or("/mijn-cursussen"), "email-verified");
        let mut response = see_other(next);
        if let Some(token) = verified.session {
            response.add_cookie(&session_cookie(&state.config, token)).map_err(AppError::internal)?;
        }
        response.add_cookie(&gone).map_err(AppError::internal)?;
        return Ok(response);
    }
    if ctx.logged_in() {
        // someone else is logged in here: say it worked, without touching their session
        let link = Some(("/cursussen".to_owned(), ctx.t("nav-courses")));
        let page = Notice { title: ctx.t("verify-done-title"), paragraphs: vec![ctx.t("verify-done-body")], link, ctx };
        return render(&page);
    }
    let page = LoginPage {
        notice: Some(ctx.t("verify-done-login")),
        email: verified.email,
        terug: target.unwrap_or_default(),
        problem: None,
        ctx,
    };
    render(&page)
}

#[post("/e-mail-opnieuw")]
async fn resend_verification(state: web::Data<AppState>, user: CurrentUser) -> AppResult<HttpResponse> {
    let base = state.config.base().to_owned();
    state.db.run(move |conn| service::resend_verification(conn, &base, user.id)).await?;
    Ok(see_other("/profiel?melding=verification-sent"))
}

// ---------------------------------------------------------------------------------------
// log in and out

#[derive(Debug, Default, Clone, Deserialize)]
struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    terug: String,
}

#[derive(Template)]
#[template(path = "accounts/login.html")]
struct LoginPage {
    ctx: Ctx,
    email: String,
    terug: String,
    problem: Option<String>,
    /// A word before the form (the address was just verified).
    notice: Option<String>,
}

impl LoginPage {
    /// The registration link keeps where the person was going.
    fn register_link(&self) -> String {
        match service::continue_path(&self.terug) {
            Some(path) => format!(
                "/registreren?terug={}",
                url::form_urlencoded::byte_serialize(path.as_bytes()).collect::<String>()
            ),
            None => "/registreren".to_owned(),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
struct ReturnQuery {
    #[serde(default)]
    terug: String,
}

#[get("/inloggen")]
async fn login_form(ctx: Ctx, query: web::Query<ReturnQuery>) -> AppResult<HttpResponse> {
    let terug = query.into_inner().terug;
    if ctx.logged_in() {
        return Ok(see_other(safe_return(&terug)));
    }
    render(&LoginPage { ctx, email: String::new(), terug, problem: None, notice: None })
}

#[post("/inloggen")]
async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    ctx: Ctx,
    form: web::Form<LoginForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let client = Client { ip: client_ip(&req, &state.config), user_agent: user_agent(&req) };
    let credentials = Credentials { email: form.email.clone(), password: form.password.clone() };
    let lifetime = state.config.session_lifetime;
    let result =
        state.db.run(move |conn| service::login(conn, &credentials, &client, SessionKind::Browser, lifetime)).await;
    match result {
        Ok((token, _user)) => {
            let target = if form.terug.is_empty() { "/mijn-cursussen".to_owned() } else { safe_return(&form.terug) };
            let mut response = see_other(target);
            response.add_cookie(&session_cookie(&state.config, token)).map_err(AppError::internal)?;
            Ok(response)
        }
        Err(AppError::Unauthorized) => {
            let problem = Some(ctx.t("login-failed"));
            let page = LoginPage { ctx, email: form.email, terug: form.terug, problem, notice: None };
            render_with_status(StatusCode::UNAUTHORIZED, &page)
        }
        Err(AppError::TooManyRequests { retry_after_secs }) => {
            let minutes = retry_after_secs.div_ceil(60) as i64;
            let problem = Some(ctx.t1("login-throttled", "minutes", minutes));
            let page = LoginPage { ctx, email: form.email, terug: form.terug, problem, notice: None };
            let mut response = render_with_status(StatusCode::TOO_MANY_REQUESTS, &page)?;
            response.headers_mut().insert(
                actix_web::http::header::RETRY_AFTER,
                actix_web::http::header::HeaderValue::from(retry_after_secs),
            );
            Ok(response)
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "accounts/logout.html")]
struct LogoutPage {
    ctx: Ctx,
}

#[get("/uitloggen")]
async fn logout_form(ctx: Ctx) -> AppResult<HttpResponse> {
    if !ctx.logged_in() {
        return Ok(see_other("/"));
    }
    render(&LogoutPage { ctx })
}

#[post("/uitloggen")]
async fn logout(state: web::Data<AppState>, ctx: Ctx) -> AppResult<HttpResponse> {
    if let Some(user) = ctx.user {
        state.db.run(move |conn| service::logout(conn, user.session_id)).await?;
    }
    let mut response = see_other("/?melding=logged-out");
    response.add_removal_cookie(&session_cookie(&state.config, String::new())).map_err(AppError::internal)?;
    Ok(response)
}

// ---------------------------------------------------------------------------------------
// passwords

#[derive(Debug, Default, Clone, Deserialize)]
struct EmailForm {
    #[serde(default)]
    email: String,
}

#[derive(Template)]
#[template(path = "accounts/forgot.html")]
struct ForgotPage {
    ctx: Ctx,
}

#[get("/wachtwoord-vergeten")]
async fn forgot_form(ctx: Ctx) -> AppResult<HttpResponse> {
    render(&ForgotPage { ctx })
}

#[post("/wachtwoord-vergeten")]
async fn forgot(state: web::Data<AppState>, ctx: Ctx, form: web::Form<EmailForm>) -> AppResult<HttpResponse> {
    let email = form.into_inner().email;
    let base = state.config.base().to_owned();
    state.db.run(move |conn| service::request_password_reset(conn, &base, &email)).await?;
    let page = Notice {
        title: ctx.t("forgot-sent-title"),
        paragraphs: vec![ctx.t("forgot-sent-body"), ctx.t("register-sent-spam")],
        link: Some(("/inloggen".into(), ctx.t("nav-login"))),
        ctx,
    };
    render(&page)
}

#[derive(Template)]
#[template(path = "accounts/new_password.html")]
struct NewPasswordPage {
    ctx: Ctx,
    title: String,
    intro: String,
    action: &'static str,
    token: String,
    ask_consent: bool,
    errors: Vec<FieldError>,
}

#[derive(Debug, Default, Deserialize)]
struct NewPasswordForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
    privacy_consent: Option<String>,
}

#[get("/wachtwoord-herstellen")]
async fn reset_form(ctx: Ctx, query: web::Query<TokenQuery>) -> AppResult<HttpResponse> {
    let page = NewPasswordPage {
        title: ctx.t("reset-title"),
        intro: ctx.t("reset-intro"),
        action: "/wachtwoord-herstellen",
        token: query.into_inner().token,
        ask_consent: false,
        errors: Vec::new(),
        ctx,
    };
    render(&page)
}

#[post("/wachtwoord-herstellen")]
async fn reset(state: web::Data<AppState>, ctx: Ctx, form: web::Form<NewPasswordForm>) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let (token, password) = (form.token.clone(), form.password.clone());
    let result = state.db.run(move |conn| service::reset_password(conn, &token, &password)).await;
    finish(
        result,
        |_| go("/inloggen?melding=password-reset"),
        |errors| async move {
            let page = NewPasswordPage {
                title: ctx.t("reset-title"),
                intro: ctx.t("reset-intro"),
                action: "/wachtwoord-herstellen",
                token: form.token,
                ask_consent: false,
                errors,
                ctx,
            };
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        },
    )
    .await
}

#[get("/uitnodiging")]
async fn invitation_form(ctx: Ctx, query: web::Query<TokenQuery>) -> AppResult<HttpResponse> {
    let page = NewPasswordPage {
        title: ctx.t("invitation-title"),
        intro: ctx.t("invitation-intro"),
        action: "/uitnodiging",
        token: query.into_inner().token,
        ask_consent: true,
        errors: Vec::new(),
        ctx,
    };
    render(&page)
}

#[post("/uitnodiging")]
async fn accept_invitation(
    state: web::Data<AppState>,
    req: HttpRequest,
    ctx: Ctx,
    form: web::Form<NewPasswordForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let (token, password, consent) = (form.token.clone(), form.password.clone(), form.privacy_consent.is_some());
    let client = Client { ip: client_ip(&req, &state.config), user_agent: user_agent(&req) };
    let lifetime = state.config.session_lifetime;
    let result = state
        .db
        .run(move |conn| service::accept_invitation_and_log_in(conn, &token, &password, consent, &client, lifetime))
        .await;
    let next = |session: String| {
        let mut response = see_other("/mijn-cursussen?melding=welcome");
        response.add_cookie(&session_cookie(&state.config, session)).map_err(AppError::internal)?;
        Ok(response)
    };
    finish(result, next, |errors| async move {
        let page = NewPasswordPage {
            title: ctx.t("invitation-title"),
            intro: ctx.t("invitation-intro"),
            action: "/uitnodiging",
            token: form.token,
            ask_consent: true,
            errors,
            ctx,
        };
        render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
    })
    .await
}

// ---------------------------------------------------------------------------------------
// profile

#[derive(Debug, Default, Clone, Deserialize)]
struct ProfileForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    wijk: String,
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    participant_kind: String,
    #[serde(default)]
    locale: String,
}

#[derive(Template)]
#[template(path = "accounts/profile.html")]
struct ProfilePage {
    ctx: Ctx,
    user: User,
    form: ProfileForm,
    errors: Vec<FieldError>,
    password_errors: Vec<FieldError>,
    sessions: Vec<LoginSession>,
    current_session: i64,
    calendar_url: String,
    webcal_url: String,
    choices: Choices,
}

impl ProfilePage {
    fn kind_selected(&self, kind: &ParticipantKind) -> bool {
        self.form.participant_kind == kind.as_str()
    }
}

async fn profile_page(
    state: &AppState,
    ctx: Ctx,
    user: CurrentUser,
    form: Option<ProfileForm>,
    errors: Vec<FieldError>,
    password_errors: Vec<FieldError>,
) -> AppResult<HttpResponse> {
    let idle = state.config.session_idle;
    let id = user.id;
    let (account, sessions) = state.db.run(move |conn| service::profile(conn, id, idle)).await?;
    let form = form.unwrap_or_else(|| ProfileForm {
        name: account.name.clone(),
        wijk: account.wijk.clone().unwrap_or_default(),
        organisation: account.organisation.clone().unwrap_or_default(),
        participant_kind: account.participant_kind.map(|k| k.as_str().to_owned()).unwrap_or_default(),
        locale: account.locale.clone(),
    });
    let status =
        if errors.is_empty() && password_errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let (calendar_url, webcal_url) = feed_urls(state, account.id, &account.calendar_token);
    let page = ProfilePage {
        ctx,
        user: account,
        form,
        errors,
        password_errors,
        sessions,
        current_session: user.session_id,
        calendar_url,
        webcal_url,
        choices: CHOICES,
    };
    render_with_status(status, &page)
}

#[get("/profiel")]
async fn profile(state: web::Data<AppState>, ctx: Ctx, user: CurrentUser) -> AppResult<HttpResponse> {
    profile_page(&state, ctx, user, None, Vec::new(), Vec::new()).await
}

#[post("/profiel")]
async fn update_profile(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    form: web::Form<ProfileForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let change = ProfileChange {
        name: Some(form.name.clone()),
        wijk: Some(form.wijk.clone()),
        organisation: Some(form.organisation.clone()),
        participant_kind: Some(form.participant_kind.clone()),
        locale: Some(form.locale.clone()).filter(|l| !l.is_empty()),
    };
    let id = user.id;
    let result = state.db.run(move |conn| service::update_profile(conn, id, &change)).await;
    let next = |updated: User| {
        // the page language follows the account's choice
        let mut response = see_other("/profiel?melding=profile-saved");
        let cookie = actix_web::cookie::Cookie::build(crate::web::ctx::LANG_COOKIE, updated.locale().code())
            .path("/")
            .max_age(actix_web::cookie::time::Duration::days(365))
            .same_site(actix_web::cookie::SameSite::Lax)
            .secure(state.config.secure_cookies())
            .finish();
        response.add_cookie(&cookie).map_err(AppError::internal)?;
        Ok(response)
    };
    finish(result, next, |errors| profile_page(&state, ctx, user, Some(form), errors, Vec::new())).await
}

#[derive(Debug, Default, Deserialize)]
struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

#[post("/profiel/wachtwoord")]
async fn change_password(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    form: web::Form<PasswordForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let base = state.config.base().to_owned();
    let actor = user.clone();
    let result = state
        .db
        .run(move |conn| service::change_password(conn, &base, &actor, &form.current_password, &form.new_password))
        .await;
    finish(
        result,
        |()| go("/profiel?melding=password-changed"),
        |errors| profile_page(&state, ctx, user, None, Vec::new(), errors),
    )
    .await
}

#[post("/profiel/sessies/{id}/beeindigen")]
async fn end_session(state: web::Data<AppState>, user: CurrentUser, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let own = user.session_id;
    state.db.run(move |conn| service::end_session(conn, user.id, id)).await?;
    if id == own {
        let mut response = see_other("/?melding=logged-out");
        response.add_removal_cookie(&session_cookie(&state.config, String::new())).map_err(AppError::internal)?;
        return Ok(response);
    }
    Ok(see_other("/profiel?melding=session-ended"))
}

/// The address of a person's calendar feed, and the same as a `webcal://` link that opens
/// the calendar program to subscribe.
pub fn feed_urls(state: &AppState, user: crate::ids::UserId, key: &str) -> (String, String) {
    let token = service::calendar_feed_token(&state.config.secret_key, user, key);
    let url = format!("{}/agenda/{token}.ics", state.config.base());
    let webcal = match url.split_once("://") {
        Some((_, rest)) => format!("webcal://{rest}"),
        None => url.clone(),
    };
    (url, webcal)
}

#[derive(Debug, Deserialize)]
struct RenewFeedForm {
    #[serde(default)]
    terug: String,
}

/// "Nieuwe link": the old feed address stops working; back to the page the button was on.
#[post("/profiel/agenda-link")]
async fn renew_feed(
    state: web::Data<AppState>,
    user: CurrentUser,
    form: web::Form<RenewFeedForm>,
) -> AppResult<HttpResponse> {
    state.db.run(move |conn| service::renew_calendar_key(conn, user.id)).await?;
    let back = if form.terug == "/mijn-cursussen" { "/mijn-cursussen" } else { "/profiel" };
    Ok(see_other(&format!("{back}?melding=feed-renewed#agenda")))
}

#[post("/profiel/uitloggen-overal")]
async fn logout_everywhere(state: web::Data<AppState>, user: CurrentUser) -> AppResult<HttpResponse> {
    state.db.run(move |conn| service::logout_everywhere(conn, user.id, None)).await?;
    let mut response = see_other("/inloggen?melding=logged-out-everywhere");
    response.add_removal_cookie(&session_cookie(&state.config, String::new())).map_err(AppError::internal)?;
    Ok(response)
}

#[get("/profiel/gegevens")]
async fn download_data(state: web::Data<AppState>, user: CurrentUser) -> AppResult<HttpResponse> {
    let (idle, site) = (state.config.session_idle, state.config.site());
    let data = state.db.run(move |conn| privacy::service::personal_data(conn, &site, user.id, idle)).await?;
    let body = serde_json::to_string_pretty(&data).map_err(AppError::internal)?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "application/json; charset=utf-8"))
        .insert_header((CONTENT_DISPOSITION, "attachment; filename=\"mijn-gegevens-wijkmakers.json\""))
        .body(body))
}

#[derive(Template)]
#[template(path = "accounts/delete.html")]
struct DeletePage {
    ctx: Ctx,
    errors: Vec<FieldError>,
}

#[get("/profiel/verwijderen")]
async fn delete_form(ctx: Ctx, _user: CurrentUser) -> AppResult<HttpResponse> {
    render(&DeletePage { ctx, errors: Vec::new() })
}

#[derive(Debug, Default, Deserialize)]
struct DeleteForm {
    #[serde(default)]
    password: String,
}

#[post("/profiel/verwijderen")]
async fn delete_account(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    form: web::Form<DeleteForm>,
) -> AppResult<HttpResponse> {
    let site = state.config.site();
    let password = form.into_inner().password;
    let result = state.db.run(move |conn| privacy::service::delete_own_account(conn, &site, &user, &password)).await;
    let next = |()| {
        let mut response = see_other("/?melding=account-deleted");
        response.add_removal_cookie(&session_cookie(&state.config, String::new())).map_err(AppError::internal)?;
        Ok(response)
    };
    finish(result, next, |errors| async move {
        render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &DeletePage { ctx, errors })
    })
    .await
}

#[derive(Template)]
#[template(path = "accounts/privacy.html")]
struct PrivacyPage {
    ctx: Ctx,
}

#[get("/privacy")]
async fn privacy_page(ctx: Ctx) -> AppResult<HttpResponse> {
    render(&PrivacyPage { ctx })
}

// ---------------------------------------------------------------------------------------
// admin

#[derive(Debug, Default, Clone, Deserialize)]
struct UsersFilter {
    #[serde(default)]
    q: String,
    #[serde(default)]
    role: String,
    page: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
struct InviteForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
}

#[derive(Template)]
#[template(path = "accounts/admin_users.html")]
struct AdminUsersPage {
    ctx: Ctx,
    filter: UsersFilter,
    users: Vec<User>,
    total: i64,
    paging: Paging,
    invite: InviteForm,
    errors: Vec<FieldError>,
    roles: &'static [Role],
}

impl AdminUsersPage {
    fn pages(&self) -> i64 {
        (self.total + self.paging.per_page - 1) / self.paging.per_page
    }
    fn page_link(&self, page: &i64) -> String {
        let query = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("q", &self.filter.q)
            .append_pair("role", &self.filter.role)
            .append_pair("page", &page.to_string())
            .finish();
        format!("/beheer/gebruikers?{query}")
    }
}

async fn admin_users_page(
    state: &AppState,
    ctx: Ctx,
    user: CurrentUser,
    filter: UsersFilter,
    invite: InviteForm,
    errors: Vec<FieldError>,
) -> AppResult<HttpResponse> {
    let mut paging_errors = Vec::new();
    let paging = Paging::parse(filter.page.as_deref(), Some("50"), &mut paging_errors);
    let query = UserQuery { q: Some(filter.q.clone()), role: Some(filter.role.clone()) };
    let (users, total) = state.db.run(move |conn| service::list(conn, &user, &query, paging)).await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    render_with_status(
        status,
        &AdminUsersPage { ctx, filter, users, total, paging, invite, errors, roles: Role::all() },
    )
}

#[get("/beheer/gebruikers")]
async fn admin_users(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    filter: web::Query<UsersFilter>,
) -> AppResult<HttpResponse> {
    admin_users_page(
        &state,
        ctx,
        user,
        filter.into_inner(),
        InviteForm { role: "trainer".into(), ..Default::default() },
        Vec::new(),
    )
    .await
}

#[post("/beheer/gebruikers")]
async fn admin_invite(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    form: web::Form<InviteForm>,
) -> AppResult<HttpResponse> {
    user.require(Role::Admin)?;
    let form = form.into_inner();
    let base = state.config.base().to_owned();
    let (actor, invite) = (user.clone(), form.clone());
    let result = match Role::parse(&form.role) {
        Some(role) => {
            state.db.run(move |conn| service::invite(conn, &base, &actor, &invite.email, &invite.name, role)).await
        }
        None => Err(AppError::validation("role", "choice")),
    };
    // the address has an account already: said by the field, as any other mistake
    let result = result.map_err(|e| match e {
        AppError::Conflict(_) => AppError::validation("email", "email-taken"),
        other => other,
    });
    finish(
        result,
        |_| go("/beheer/gebruikers?melding=invited"),
        |errors| admin_users_page(&state, ctx, user, UsersFilter::default(), form, errors),
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
struct RoleForm {
    #[serde(default)]
    role: String,
}

#[post("/beheer/gebruikers/{id}/rol")]
async fn admin_role(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<UserId>,
    form: web::Form<RoleForm>,
) -> AppResult<HttpResponse> {
    user.require(Role::Admin)?;
    let role = Role::parse(&form.role).ok_or_else(|| AppError::validation("role", "choice"))?;
    let id = id.into_inner();
    state.db.run(move |conn| service::change_role(conn, &user, id, role)).await?;
    Ok(see_other("/beheer/gebruikers?melding=role-changed"))
}

#[derive(Template)]
#[template(path = "accounts/admin_delete.html")]
struct AdminDeletePage {
    ctx: Ctx,
    person: User,
}

/// Deleting an account cannot be undone: the admin confirms on a page of its own.
#[get("/beheer/gebruikers/{id}/verwijderen")]
async fn admin_delete_form(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    id: web::Path<UserId>,
) -> AppResult<HttpResponse> {
    user.require(Role::Admin)?;
    let id = id.into_inner();
    let person = state.db.run(move |conn| service::get(conn, id)).await?;
    if person.anonymised_at.is_some() {
        return Err(AppError::NotFound);
    }
    render(&AdminDeletePage { ctx, person })
}

#[post("/beheer/gebruikers/{id}/verwijderen")]
async fn admin_delete(state: web::Data<AppState>, user: CurrentUser, id: web::Path<UserId>) -> AppResult<HttpResponse> {
    let site = state.config.site();
    let id = id.into_inner();
    state.db.run(move |conn| privacy::service::delete_account_by_admin(conn, &site, &user, id)).await?;
    Ok(see_other("/beheer/gebruikers?melding=account-deleted"))
}

// ---------------------------------------------------------------------------------------
// language

#[derive(Deserialize)]
struct LanguageForm {
    lang: String,
    #[serde(default)]
    terug: String,
}

/// Switch language: remembered in a cookie, and in the account for emails.
#[post("/taal")]
async fn language(
    state: web::Data<AppState>,
    ctx: Ctx,
    form: web::Form<LanguageForm>,
) -> Result<HttpResponse, AppError> {
    let locale = Locale::from_code(&form.lang).ok_or_else(|| AppError::validation("lang", "choice"))?;
    if let Some(user) = ctx.user.clone() {
        state.db.run(move |conn| service::set_locale(conn, user.id, locale)).await?;
    }
    let cookie = Cookie::build(LANG_COOKIE, locale.code())
        .path("/")
        .max_age(time::Duration::days(365))
        .same_site(SameSite::Lax)
        .secure(state.config.secure_cookies())
        .finish();
    Ok(HttpResponse::SeeOther().cookie(cookie).insert_header((LOCATION, safe_return(&form.terug))).finish())
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(language)
        .service(register_form)
        .service(register)
        .service(register_sent)
        .service(verify_form)
        .service(verify)
        .service(resend_verification)
        .service(login_form)
        .service(login)
        .service(logout_form)
        .service(logout)
        .service(forgot_form)
        .service(forgot)
        .service(reset_form)
        .service(reset)
        .service(invitation_form)
        .service(accept_invitation)
        .service(profile)
        .service(update_profile)
        .service(change_password)
        .service(end_session)
        .service(renew_feed)
        .service(logout_everywhere)
        .service(download_data)
        .service(delete_form)
        .service(delete_account)
        .service(privacy_page)
        .service(admin_users)
        .service(admin_invite)
        .service(admin_role)
        .service(admin_delete_form)
        .service(admin_delete);
}
