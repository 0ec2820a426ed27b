//! The rules of accounts: registering, proving an email address, logging in and out,
//! passwords, roles and privacy. Plain functions over a connection; the caller chooses the
//! transaction. Argon2 runs here too, which is fine: every call already runs on a blocking
//! thread (see `Db::run`), never on the async executor.

use chrono::{DateTime, Duration, Utc};
use diesel::dsl::count_star;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use crate::auth::{CurrentUser, Role};

use crate::accounts::model::{
    LoginSession, NewUser, ParticipantKind, SessionKind, TokenPurpose, User, UserToken, UserView,
};

use crate::accounts::password;
use crate::config::Site;
use crate::db::schema::{login_failures, login_sessions, outbox, user_tokens, users};
use crate::error::{AppError, AppResult, FieldError, FieldErrors};
use crate::i18n::Locale;
use crate::ids::UserId;
use crate::mail::{self, Email, Recipient};
use crate::places;
use crate::tokens::{hash_token, random_token};

pub const VERIFY_TTL_HOURS: i64 = 48;
pub const RESET_TTL_HOURS: i64 = 1;
pub const INVITATION_TTL_DAYS: i64 = 7;
/// Throttling window and limits for failed logins.
pub const FAILURE_WINDOW_MINUTES: i64 = 15;
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 10;
pub const MAX_FAILURES_PER_IP: i64 = 30;
/// A new link is sent at most this often per person and purpose, against email bombing.
const RESEND_GAP_MINUTES: i64 = 2;

// ---------------------------------------------------------------------------------------
// input

fn not_blank(value: &str) -> Result<(), ValidationError> {
    if value.trim().is_empty() { Err(ValidationError::new("required")) } else { Ok(()) }
}

fn one_line(value: &str) -> Result<(), ValidationError> {
    if value.chars().any(char::is_control) { Err(ValidationError::new("control-chars")) } else { Ok(()) }
}

fn known_place(value: &str) -> Result<(), ValidationError> {
    if value.trim().is_empty() || places::find(value).is_some() {
        Ok(())
    } else {
        Err(ValidationError::new("wijk-unknown"))
    }
}

fn known_kind(value: &str) -> Result<(), ValidationError> {
    if value.trim().is_empty() || ParticipantKind::parse(value).is_some() {
        Ok(())
    } else {
        Err(ValidationError::new("kind-unknown"))
    }
}

fn known_locale(value: &str) -> Result<(), ValidationError> {
    if Locale::from_code(value).is_some() { Ok(()) } else { Err(ValidationError::new("choice")) }
}

/// Empty text means "not given".
fn optional(value: &Option<String>) -> Option<String> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned)
}

/// The address as it is compared: trimmed, lower case.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
pub struct Registration {
    #[serde(default)]
    #[validate(email(code = "email-invalid"), length(max = 254, code = "too-long"))]
    pub email: String,
    #[serde(default)]
    #[validate(custom(function = "not_blank"), custom(function = "one_line"), length(max = 100, code = "too-long"))]
    pub name: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub privacy_consent: Option<bool>,
    #[validate(custom(function = "known_place"))]
    pub wijk: Option<String>,
    #[validate(custom(function = "one_line"), length(max = 150, code = "too-long"))]
    pub organisation: Option<String>,
    #[validate(custom(function = "known_kind"))]
    pub participant_kind: Option<String>,
    /// Language for emails; defaults to the language of the page or request.
    #[validate(custom(function = "known_locale"))]
    pub locale: Option<String>,
}

/// What may change on one's own profile.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
pub struct ProfileChange {
    #[validate(custom(function = "not_blank"), custom(function = "one_line"), length(max = 100, code = "too-long"))]
    pub name: Option<String>,
    #[validate(custom(function = "known_place"))]
    pub wijk: Option<String>,
    #[validate(custom(function = "one_line"), length(max = 150, code = "too-long"))]
    pub organisation: Option<String>,
    #[validate(custom(function = "known_kind"))]
    pub participant_kind: Option<String>,
    #[validate(custom(function = "known_locale"))]
    pub locale: Option<String>,
}

fn validation(input: &impl Validate) -> FieldErrors {
    match input.validate() {
        Ok(()) => FieldErrors::default(),
        Err(errors) => FieldErrors::from(errors),
    }
}

// ---------------------------------------------------------------------------------------
// users

pub fn find_by_email(conn: &mut PgConnection, email: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>("lower(users.email) = ")
                .bind::<diesel::sql_types::Text, _>(normalise_email(email)),
        )
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn get(conn: &mut PgConnection, id: UserId) -> AppResult<User> {
    Ok(users::table.find(id).select(User::as_select()).first(conn)?)
}

fn recipient(user: &User) -> Recipient {
    Recipient { email: user.email.clone(), name: user.name.clone(), user_id: Some(user.id), locale: user.locale() }
}

/// Register a participant. Answers the same whether the address is new or known: the
/// owner of a known address gets an email saying so instead (no user enumeration).
pub fn register(conn: &mut PgConnection, base: &str, input: &Registration, page_locale: Locale) -> AppResult<()> {
    // the address is checked as it is stored: without surrounding spaces
    let input = &Registration { email: input.email.trim().to_owned(), ..input.clone() };
    let mut errors = validation(input);
    if let Err(e) = password::check_new("password", &input.password, &input.email) {
        errors.0.push(e);
    }
    if input.privacy_consent != Some(true) {
        errors.0.push(FieldError::new("privacy_consent", "consent-required"));
    }
    errors.into_result()?;
    let email = normalise_email(&input.email);
    let locale = input.locale.as_deref().and_then(Locale::from_code).unwrap_or(page_locale);
    // hashed before the lookup, so both answers take as long
    let hash = password::hash(&input.password)?;
    conn.transaction(|conn| {
        if let Some(existing) = find_by_email(conn, &email)? {
            if existing.anonymised_at.is_none() {
                send_already_registered(conn, base, &existing)?;
            }
            return Ok(());
        }
        let user: User = diesel::insert_into(users::table)
            .values(NewUser {
                email: &email,
                name: input.name.trim(),
                password_hash: Some(&hash),
                role: Role::Participant,
                email_verified_at: None,
                wijk: optional(&input.wijk).as_deref().and_then(places::find),
                organisation: optional(&input.organisation).as_deref(),
                participant_kind: optional(&input.participant_kind).as_deref().and_then(ParticipantKind::parse),
                locale: locale.code(),
                privacy_consent_at: Some(Utc::now()),
                calendar_token: &random_token(),
            })
            .returning(User::as_returning())
            .get_result(conn)?;
        send_verification(conn, base, &user)
    })
}

fn send_already_registered(conn: &mut PgConnection, base: &str, user: &User) -> AppResult<()> {
    let t = user.locale();
    // at most one such email per hour
    let key = format!("already-registered:{}:{}", user.id, Utc::now().format("%Y%m%d%H"));
    let email = Email::new(recipient(user), key, t.t("mail-existing-subject"))
        .paragraph(t.t("mail-existing-intro"))
        .action(t.t("mail-existing-action"), format!("{base}/inloggen"))
        .closing(t.t_args("mail-existing-forgot", [("url", format!("{base}/wachtwoord-vergeten").into())]))
        .closing(t.t("mail-ignore"));
    mail::enqueue(conn, base, email)?;
    Ok(())
}

/// Issue a single-use token for `purpose`; only its hash is stored.
fn issue_token(
    conn: &mut PgConnection,
    user: UserId,
    purpose: TokenPurpose,
    ttl: Duration,
) -> AppResult<(i64, String)> {
    let token = random_token();
    let id = diesel::insert_into(user_tokens::table)
        .values((
            user_tokens::user_id.eq(user),
            user_tokens::purpose.eq(purpose),
            user_tokens::token_hash.eq(hash_token(&token)),
            user_tokens::expires_at.eq(Utc::now() + ttl),
        ))
        .returning(user_tokens::id)
        .get_result(conn)?;
    Ok((id, token))
}

/// Whether a link for `purpose` went out very recently (then we do not send another).
fn sent_recently(conn: &mut PgConnection, user: UserId, purpose: TokenPurpose) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        user_tokens::table
            .filter(user_tokens::user_id.eq(user))
            .filter(user_tokens::purpose.eq(purpose))
            .filter(user_tokens::created_at.gt(Utc::now() - Duration::minutes(RESEND_GAP_MINUTES))),
    ))
    .get_result(conn)
}

/// Take a token: it must exist, have this purpose, be unused and unexpired. Marks it used.
fn consume_token(conn: &mut PgConnection, token: &str, purpose: TokenPurpose) -> AppResult<UserId> {
    let found: Option<UserToken> = user_tokens::table
        .filter(user_tokens::token_hash.eq(hash_token(token.trim())))
        .filter(user_tokens::purpose.eq(purpose))
        .select(UserToken::as_select())
        .for_update()
        .first(conn)
        .optional()?;
    match found {
        Some(t) if t.used_at.is_none() && t.expires_at > Utc::now() => {
            diesel::update(user_tokens::table.find(t.id)).set(user_tokens::used_at.eq(Utc::now())).execute(conn)?;
            Ok(t.user_id)
        }
        _ => Err(AppError::validation("token", "token-invalid")),
    }
}

fn send_verification(conn: &mut PgConnection, base: &str, user: &User) -> AppResult<()> {
    let (id, token) = issue_token(conn, user.id, TokenPurpose::VerifyEmail, Duration::hours(VERIFY_TTL_HOURS))?;
    let t = user.locale();
    let email = Email::new(recipient(user), format!("verify:{id}"), t.t("mail-verify-subject"))
        .paragraph(t.t("mail-verify-intro"))
        .action(t.t("mail-verify-action"), format!("{base}/e-mail-bevestigen?token={token}"))
        .closing(t.t("mail-verify-expires"))
        .closing(t.t("mail-ignore"));
    mail::enqueue(conn, base, email)?;
    Ok(())
}

/// A new verification link for a logged-in, unverified user.
pub fn resend_verification(conn: &mut PgConnection, base: &str, user: UserId) -> AppResult<()> {
    conn.transaction(|conn| {
        let user = get(conn, user)?;
        if user.email_verified_at.is_some() || sent_recently(conn, user.id, TokenPurpose::VerifyEmail)? {
            return Ok(());
        }
        send_verification(conn, base, &user)
    })
}

pub fn verify_email(conn: &mut PgConnection, token: &str) -> AppResult<UserId> {
    conn.transaction(|conn| {
        let user = consume_token(conn, token, TokenPurpose::VerifyEmail)?;
        diesel::update(users::table.find(user).filter(users::email_verified_at.is_null()))
            .set((users::email_verified_at.eq(Utc::now()), users::updated_at.eq(Utc::now())))
            .execute(conn)?;
        Ok(user)
    })
}

// ---------------------------------------------------------------------------------------
// logging in

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct Credentials {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
}

/// Who is logging in from where.
#[derive(Debug, Clone)]
pub struct Client {
    pub ip: String,
    pub user_agent: Option<String>,
}

#[derive(QueryableByName)]
struct FailureCounts {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    by_email: i64,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>)]
    email_oldest: Option<DateTime<Utc>>,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    by_ip: i64,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>)]
    ip_oldest: Option<DateTime<Utc>>,
}

/// 429 after too many failed logins for this address or from this IP in the window.
fn throttle(conn: &mut PgConnection, email: &str, ip: &str) -> AppResult<()> {
    let counts: FailureCounts = diesel::sql_query(
        "SELECT count(*) FILTER (WHERE email = $1) AS by_email,
                min(attempted_at) FILTER (WHERE email = $1) AS email_oldest,
                count(*) FILTER (WHERE ip = $2) AS by_ip,
                min(attempted_at) FILTER (WHERE ip = $2) AS ip_oldest
         FROM login_failures
         WHERE attempted_at > now() - make_interval(mins => $3) AND (email = $1 OR ip = $2)",
    )
    .bind::<diesel::sql_types::Text, _>(email)
    .bind::<diesel::sql_types::Text, _>(ip)
    .bind::<diesel::sql_types::Integer, _>(FAILURE_WINDOW_MINUTES as i32)
    .get_result(conn)?;
    let window = Duration::minutes(FAILURE_WINDOW_MINUTES);
    let blocked_until = [
        (counts.by_email >= MAX_FAILURES_PER_ACCOUNT).then_some(counts.email_oldest).flatten(),
        (counts.by_ip >= MAX_FAILURES_PER_IP).then_some(counts.ip_oldest).flatten(),
    ]
    .into_iter()
    .flatten()
    .map(|oldest| oldest + window)
    .max();
    match blocked_until {
        Some(until) => {
            Err(AppError::TooManyRequests { retry_after_secs: (until - Utc::now()).num_seconds().max(1) as u64 })
        }
        None => Ok(()),
    }
}

/// Check the credentials and open a login session. A wrong password and an unknown
/// address answer the same 401, after the same amount of work.
pub fn login(
    conn: &mut PgConnection,
    credentials: &Credentials,
    client: &Client,
    kind: SessionKind,
    lifetime: Duration,
) -> AppResult<(String, User)> {
    let email = normalise_email(&credentials.email);
    throttle(conn, &email, &client.ip)?;
    let user = find_by_email(conn, &email)?.filter(|u| u.anonymised_at.is_none());
    let stored = user.as_ref().and_then(|u| u.password_hash.clone());
    let too_long = credentials.password.len() > password::MAX_BYTES;
    let valid =
        !too_long && password::verify(&credentials.password, stored.as_deref().unwrap_or(&password::DUMMY_HASH));
    let user = match (user, valid && stored.is_some()) {
        (Some(user), true) => user,
        _ => {
            diesel::insert_into(login_failures::table)
                .values((login_failures::email.eq(&email), login_failures::ip.eq(&client.ip)))
                .execute(conn)?;
            return Err(AppError::Unauthorized);
        }
    };
    if stored.as_deref().is_some_and(password::needs_rehash) {
        let fresh = password::hash(&credentials.password)?;
        diesel::update(users::table.find(user.id)).set(users::password_hash.eq(fresh)).execute(conn)?;
    }
    diesel::delete(login_failures::table.filter(login_failures::email.eq(&email))).execute(conn)?;
    let token = open_session(conn, user.id, kind, client, lifetime)?;
    Ok((token, user))
}

pub fn open_session(
    conn: &mut PgConnection,
    user: UserId,
    kind: SessionKind,
    client: &Client,
    lifetime: Duration,
) -> AppResult<String> {
    let token = random_token();
    diesel::insert_into(login_sessions::table)
        .values((
            login_sessions::user_id.eq(user),
            login_sessions::token_hash.eq(hash_token(&token)),
            login_sessions::kind.eq(kind),
            login_sessions::user_agent.eq(&client.user_agent),
            login_sessions::ip.eq(&client.ip),
            login_sessions::expires_at.eq(Utc::now() + lifetime),
        ))
        .execute(conn)?;
    Ok(token)
}

/// The user behind a session token, if the session is alive (not revoked, not past its
/// lifetime, used within the idle timeout). Marks it as used, at most once a minute.
pub fn session_user(conn: &mut PgConnection, token: &str, idle: Duration) -> AppResult<Option<CurrentUser>> {
    let now_at = Utc::now();
    let found = login_sessions::table
        .inner_join(users::table)
        .filter(login_sessions::token_hash.eq(hash_token(token)))
        .filter(login_sessions::revoked_at.is_null())
        .filter(login_sessions::expires_at.gt(now_at))
        .filter(login_sessions::last_seen_at.gt(now_at - idle))
        .filter(users::anonymised_at.is_null())
        .select((
            login_sessions::id,
            login_sessions::last_seen_at,
            users::id,
            users::name,
            users::email,
            users::role,
            users::email_verified_at,
            users::locale,
        ))
        .first::<(i64, DateTime<Utc>, UserId, String, String, Role, Option<DateTime<Utc>>, String)>(conn)
        .optional()?;
    let Some((session_id, last_seen, id, name, email, role, verified, locale)) = found else {
        return Ok(None);
    };
    if last_seen < now_at - Duration::minutes(1) {
        diesel::update(login_sessions::table.find(session_id))
            .set(login_sessions::last_seen_at.eq(now_at))
            .execute(conn)?;
    }
    Ok(Some(CurrentUser {
        id,
        name,
        email,
        role,
        email_verified: verified.is_some(),
        locale: Locale::from_code(&locale).unwrap_or_default(),
        session_id,
    }))
}

pub fn logout(conn: &mut PgConnection, session_id: i64) -> AppResult<()> {
    diesel::update(login_sessions::table.find(session_id).filter(login_sessions::revoked_at.is_null()))
        .set(login_sessions::revoked_at.eq(Utc::now()))
        .execute(conn)?;
    Ok(())
}

/// End every session of a user, except `keep` if given.
pub fn logout_everywhere(conn: &mut PgConnection, user: UserId, keep: Option<i64>) -> AppResult<usize> {
    let sessions = login_sessions::table
        .filter(login_sessions::user_id.eq(user))
        .filter(login_sessions::revoked_at.is_null())
        .filter(login_sessions::id.ne(keep.unwrap_or(-1)));
    Ok(diesel::update(sessions).set(login_sessions::revoked_at.eq(Utc::now())).execute(conn)?)
}

/// End one of one's own sessions (from the list on the profile page).
pub fn end_session(conn: &mut PgConnection, user: UserId, session_id: i64) -> AppResult<()> {
    let ended = diesel::update(
        login_sessions::table
            .filter(login_sessions::id.eq(session_id))
            .filter(login_sessions::user_id.eq(user))
            .filter(login_sessions::revoked_at.is_null()),
    )
    .set(login_sessions::revoked_at.eq(Utc::now()))
    .execute(conn)?;
    if ended == 0 { Err(AppError::NotFound) } else { Ok(()) }
}

/// Live sessions of a user, most recent first.
pub fn sessions(conn: &mut PgConnection, user: UserId, idle: Duration) -> AppResult<Vec<LoginSession>> {
    let now_at = Utc::now();
    Ok(login_sessions::table
        .filter(login_sessions::user_id.eq(user))
        .filter(login_sessions::revoked_at.is_null())
        .filter(login_sessions::expires_at.gt(now_at))
        .filter(login_sessions::last_seen_at.gt(now_at - idle))
        .order(login_sessions::last_seen_at.desc())
        .select(LoginSession::as_select())
        .load(conn)?)
}

// ---------------------------------------------------------------------------------------
// passwords

pub fn change_password(
    conn: &mut PgConnection,
    base: &str,
    actor: &CurrentUser,
    current: &str,
    new: &str,
) -> AppResult<()> {
    conn.transaction(|conn| {
        let user = get(conn, actor.id)?;
        let ok = user
            .password_hash
            .as_deref()
            .is_some_and(|h| current.len() <= password::MAX_BYTES && password::verify(current, h));
        let mut errors = FieldErrors::default();
        if !ok {
            errors.add("current_password", "password-wrong");
        }
        if let Err(e) = password::check_new("new_password", new, &user.email) {
            errors.0.push(e);
        }
        errors.into_result()?;
        set_password(conn, user.id, new)?;
        logout_everywhere(conn, user.id, Some(actor.session_id))?;
        let t = user.locale();
        let key = format!("password-changed:{}:{}", user.id, Utc::now().timestamp_micros());
        let email = Email::new(recipient(&user), key, t.t("mail-password-changed-subject"))
            .paragraph(t.t("mail-password-changed-intro"))
            .action(t.t("mail-password-changed-action"), format!("{base}/wachtwoord-vergeten"));
        mail::enqueue(conn, base, email)?;
        Ok(())
    })
}

fn set_password(conn: &mut PgConnection, user: UserId, new: &str) -> AppResult<()> {
    let hash = password::hash(new)?;
    diesel::update(users::table.find(user))
        .set((users::password_hash.eq(hash), users::updated_at.eq(Utc::now())))
        .execute(conn)?;
    Ok(())
}

/// Send a reset link if the address belongs to someone; answer the same either way.
pub fn request_password_reset(conn: &mut PgConnection, base: &str, email: &str) -> AppResult<()> {
    // malformed input answers alike too: it simply matches nobody
    let email = normalise_email(email);
    if email.is_empty() || email.len() > 254 {
        return Ok(());
    }
    conn.transaction(|conn| {
        let Some(user) = find_by_email(conn, &email)?.filter(|u| u.anonymised_at.is_none()) else {
            return Ok(());
        };
        if sent_recently(conn, user.id, TokenPurpose::PasswordReset)? {
            return Ok(());
        }
        let (id, token) = issue_token(conn, user.id, TokenPurpose::PasswordReset, Duration::hours(RESET_TTL_HOURS))?;
        let t = user.locale();
        let email = Email::new(recipient(&user), format!("reset:{id}"), t.t("mail-reset-subject"))
            .paragraph(t.t("mail-reset-intro"))
            .action(t.t("mail-reset-action"), format!("{base}/wachtwoord-herstellen?token={token}"))
            .closing(t.t("mail-reset-expires"))
            .closing(t.t("mail-ignore"));
        mail::enqueue(conn, base, email)?;
        Ok(())
    })
}

/// Set a new password with a reset token; every login session of the user ends.
pub fn reset_password(conn: &mut PgConnection, token: &str, new: &str) -> AppResult<UserId> {
    conn.transaction(|conn| {
        let user = consume_token(conn, token, TokenPurpose::PasswordReset)?;
        let email = get(conn, user)?.email;
        password::check_new("password", new, &email).map_err(|e| AppError::Validation(vec![e]))?;
        set_password(conn, user, new)?;
        // the link proved the address
        diesel::update(users::table.find(user).filter(users::email_verified_at.is_null()))
            .set(users::email_verified_at.eq(Utc::now()))
            .execute(conn)?;
        logout_everywhere(conn, user, None)?;
        Ok(user)
    })
}

// ---------------------------------------------------------------------------------------
// invitations and roles

/// Create an account without a password and email a link to set one. Used by admins (any
/// role) and by coordinators enrolling a new person (participants only).
pub fn invite(
    conn: &mut PgConnection,
    base: &str,
    actor: &CurrentUser,
    email: &str,
    name: &str,
    role: Role,
) -> AppResult<User> {
    if role > Role::Participant {
        actor.require(Role::Admin)?;
    } else {
        actor.require(Role::Coordinator)?;
    }
    #[derive(Validate)]
    struct Invite<'a> {
        #[validate(email(code = "email-invalid"), length(max = 254, code = "too-long"))]
        email: &'a str,
        #[validate(
            custom(function = "not_blank"),
            custom(function = "one_line"),
            length(max = 100, code = "too-long")
        )]
        name: &'a str,
    }
    let email = normalise_email(email);
    validation(&Invite { email: &email, name }).into_result()?;
    conn.transaction(|conn| {
        if find_by_email(conn, &email)?.is_some() {
            return Err(AppError::Conflict("conflict-email-taken"));
        }
        let user: User = diesel::insert_into(users::table)
            .values(NewUser {
                email: &email,
                name: name.trim(),
                password_hash: None,
                role,
                email_verified_at: None,
                wijk: None,
                organisation: None,
                participant_kind: None,
                locale: actor.locale.code(),
                privacy_consent_at: None,
                calendar_token: &random_token(),
            })
            .returning(User::as_returning())
            .get_result(conn)?;
        let (id, token) = issue_token(conn, user.id, TokenPurpose::Invitation, Duration::days(INVITATION_TTL_DAYS))?;
        let t = user.locale();
        let role_name = t.t(&format!("role-{}", role.as_str()));
        let email = Email::new(recipient(&user), format!("invite:{id}"), t.t("mail-invite-subject"))
            .paragraph(
                t.t_args("mail-invite-intro", [("inviter", actor.name.as_str().into()), ("role", role_name.into())]),
            )
            .action(t.t("mail-invite-action"), format!("{base}/uitnodiging?token={token}"))
            .closing(t.t("mail-invite-expires"));
        mail::enqueue(conn, base, email)?;
        Ok(user)
    })
}

/// Accept an invitation: set a password, which also proves the address.
pub fn accept_invitation(conn: &mut PgConnection, token: &str, new: &str, consent: bool) -> AppResult<UserId> {
    conn.transaction(|conn| {
        let user = consume_token(conn, token, TokenPurpose::Invitation)?;
        let email = get(conn, user)?.email;
        let mut errors = FieldErrors::default();
        if let Err(e) = password::check_new("password", new, &email) {
            errors.0.push(e);
        }
        if !consent {
            errors.add("privacy_consent", "consent-required");
        }
        errors.into_result()?;
        set_password(conn, user, new)?;
        diesel::update(users::table.find(user))
            .set((users::email_verified_at.eq(Utc::now()), users::privacy_consent_at.eq(Utc::now())))
            .execute(conn)?;
        Ok(user)
    })
}

/// Change someone's role (admins only); the last admin keeps the role.
pub fn change_role(conn: &mut PgConnection, actor: &CurrentUser, user: UserId, role: Role) -> AppResult<User> {
    actor.require(Role::Admin)?;
    conn.transaction(|conn| set_role(conn, user, role))
}

fn set_role(conn: &mut PgConnection, user: UserId, role: Role) -> AppResult<User> {
    // lock the admins, so two demotions at once cannot both pass the check
    let admins: Vec<UserId> = users::table
        .filter(users::role.eq(Role::Admin))
        .filter(users::anonymised_at.is_null())
        .select(users::id)
        .for_update()
        .load(conn)?;
    let target = get(conn, user)?;
    if target.anonymised_at.is_some() {
        return Err(AppError::NotFound);
    }
    if target.role == Role::Admin && role != Role::Admin && admins.len() <= 1 {
        return Err(AppError::Conflict("conflict-last-admin"));
    }
    Ok(diesel::update(users::table.find(user))
        .set((users::role.eq(role), users::updated_at.eq(Utc::now())))
        .returning(User::as_returning())
        .get_result(conn)?)
}

/// For the CLI: an account that counts as verified, with a password from standard input.
pub fn add_verified_user(
    conn: &mut PgConnection,
    email: &str,
    name: &str,
    role: Role,
    new_password: &str,
) -> AppResult<User> {
    let input = Registration {
        email: email.to_owned(),
        name: name.to_owned(),
        password: new_password.to_owned(),
        privacy_consent: Some(true),
        ..Registration::default()
    };
    let mut errors = validation(&input);
    if let Err(e) = password::check_new("password", new_password, email) {
        errors.0.push(e);
    }
    errors.into_result()?;
    let email = normalise_email(email);
    let hash = password::hash(new_password)?;
    conn.transaction(|conn| {
        if find_by_email(conn, &email)?.is_some() {
            return Err(AppError::Conflict("conflict-email-taken"));
        }
        Ok(diesel::insert_into(users::table)
            .values(NewUser {
                email: &email,
                name: name.trim(),
                password_hash: Some(&hash),
                role,
                email_verified_at: Some(Utc::now()),
                wijk: None,
                organisation: None,
                participant_kind: None,
                locale: "nl",
                privacy_consent_at: Some(Utc::now()),
                calendar_token: &random_token(),
            })
            .returning(User::as_returning())
            .get_result(conn)?)
    })
}

pub fn set_role_by_email(conn: &mut PgConnection, email: &str, role: Role) -> AppResult<User> {
    conn.transaction(|conn| {
        let user = find_by_email(conn, email)?.ok_or(AppError::NotFound)?;
        set_role(conn, user.id, role)
    })
}

/// An error as one line of English, for the command line.
pub fn describe_error(error: &AppError) -> String {
    let (_, detail) = error.message_keys();
    let mut text = Locale::En.t(detail);
    if let AppError::Validation(fields) = error {
        let parts: Vec<String> = fields
            .iter()
            .map(|f| {
                let message = Locale::En.t_args(
                    &format!("field-{}", f.code),
                    f.args.iter().map(|(n, v)| (*n, crate::i18n::Arg::Text(v.clone()))),
                );
                format!("{}: {message}", f.field)
            })
            .collect();
        text = format!("{text} {}", parts.join("; "));
    }
    if let AppError::Internal(e) = error {
        text = format!("{text} ({e:#})");
    }
    text
}

// ---------------------------------------------------------------------------------------
// profile

pub fn update_profile(conn: &mut PgConnection, user: UserId, change: &ProfileChange) -> AppResult<User> {
    validation(change).into_result()?;
    #[derive(AsChangeset)]
    #[diesel(table_name = users)]
    struct Changes {
        name: Option<String>,
        wijk: Option<Option<String>>,
        organisation: Option<Option<String>>,
        participant_kind: Option<Option<ParticipantKind>>,
        locale: Option<String>,
        updated_at: DateTime<Utc>,
    }
    let changes = Changes {
        name: change.name.as_deref().map(|n| n.trim().to_owned()),
        wijk: change.wijk.as_ref().map(|w| places::find(w).map(str::to_owned)),
        organisation: change.organisation.as_ref().map(|o| Some(o.trim().to_owned()).filter(|o| !o.is_empty())),
        participant_kind: change.participant_kind.as_ref().map(|k| ParticipantKind::parse(k)),
        locale: change.locale.as_deref().and_then(Locale::from_code).map(|l| l.code().to_owned()),
        updated_at: Utc::now(),
    };
    Ok(diesel::update(users::table.find(user)).set(&changes).returning(User::as_returning()).get_result(conn)?)
}

pub fn set_locale(conn: &mut PgConnection, user: UserId, locale: Locale) -> AppResult<()> {
    diesel::update(users::table.find(user)).set(users::locale.eq(locale.code())).execute(conn)?;
    Ok(())
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct UserQuery {
    pub q: Option<String>,
    pub role: Option<String>,
}

/// Accounts matching a search, for admins.
pub fn list(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    query: &UserQuery,
    paging: crate::paging::Paging,
) -> AppResult<(Vec<User>, i64)> {
    actor.require(Role::Admin)?;
    let role = match optional(&query.role) {
        Some(text) => Some(Role::parse(&text).ok_or_else(|| AppError::validation("role", "choice"))?),
        None => None,
    };
    let filtered = || {
        let mut q = users::table.filter(users::anonymised_at.is_null()).into_boxed();
        if let Some(text) = optional(&query.q) {
            let pattern = format!("%{}%", text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
            q = q.filter(users::name.ilike(pattern.clone()).or(users::email.ilike(pattern)));
        }
        if let Some(role) = role {
            q = q.filter(users::role.eq(role));
        }
        q
    };
    let total = filtered().select(count_star()).first(conn)?;
    let items = filtered()
        .order((users::name, users::id))
        .limit(paging.per_page)
        .offset(paging.offset())
        .select(User::as_select())
        .load(conn)?;
    Ok((items, total))
}

/// Trainers and up, for assigning to a course.
pub fn trainers(conn: &mut PgConnection) -> AppResult<Vec<User>> {
    Ok(users::table
        .filter(users::role.ge(Role::Trainer))
        .filter(users::anonymised_at.is_null())
        .order(users::name)
        .select(User::as_select())
        .load(conn)?)
}

// ---------------------------------------------------------------------------------------
// privacy

#[derive(Debug, Serialize, ToSchema)]
pub struct SentEmail {
    pub subject: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// Everything the platform keeps about a person, for "download my data".
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonalData {
    pub profile: UserView,
    pub privacy_consent_at: Option<DateTime<Utc>>,
    pub sessions: Vec<LoginSession>,
    #[schema(value_type = Vec<Object>)]
    pub enrolments: Vec<serde_json::Value>,
    #[schema(value_type = Vec<Object>)]
    pub trainer_of: Vec<serde_json::Value>,
    #[schema(value_type = Vec<Object>)]
    pub attendance: Vec<serde_json::Value>,
    pub emails: Vec<SentEmail>,
    pub exported_at: DateTime<Utc>,
}

pub fn personal_data(conn: &mut PgConnection, user: UserId, idle: Duration) -> AppResult<PersonalData> {
    let account = get(conn, user)?;
    let emails = outbox::table
        .filter(outbox::user_id.eq(user))
        .order(outbox::id)
        .select((outbox::subject, outbox::status, outbox::created_at, outbox::sent_at))
        .load::<(String, crate::mail::model::MailStatus, DateTime<Utc>, Option<DateTime<Utc>>)>(conn)?
        .into_iter()
        .map(|(subject, status, created_at, sent_at)| SentEmail {
            subject,
            status: status.as_str().to_owned(),
            created_at,
            sent_at,
        })
        .collect();
    Ok(PersonalData {
        profile: UserView::from(&account),
        privacy_consent_at: account.privacy_consent_at,
        sessions: sessions(conn, user, idle)?,
        enrolments: crate::enrolment::service::personal_data(conn, user)?,
        trainer_of: crate::catalogue::service::trainer_courses_data(conn, user)?,
        // attendance is not recorded yet on this platform
        attendance: Vec::new(),
        emails,
        exported_at: Utc::now(),
    })
}

/// Delete one's own account; asks the password.
pub fn delete_own_account(
    conn: &mut PgConnection,
    site: &Site,
    actor: &CurrentUser,
    current_password: &str,
) -> AppResult<()> {
    conn.transaction(|conn| {
        let user = get(conn, actor.id)?;
        let ok = user
            .password_hash
            .as_deref()
            .is_some_and(|h| current_password.len() <= password::MAX_BYTES && password::verify(current_password, h));
        if !ok {
            return Err(AppError::validation("password", "password-wrong"));
        }
        if user.role == Role::Admin {
            // the last admin stays (409): someone else must become admin first
            set_role(conn, user.id, Role::Participant)?;
        }
        anonymise(conn, site, &user, Some(actor.id))
    })
}

/// An admin deletes an account on request (no password needed).
pub fn delete_account_by_admin(
    conn: &mut PgConnection,
    site: &Site,
    actor: &CurrentUser,
    user: UserId,
) -> AppResult<()> {
    actor.require(Role::Admin)?;
    conn.transaction(|conn| {
        let target = get(conn, user)?;
        if target.anonymised_at.is_some() {
            return Err(AppError::NotFound);
        }
        if target.role == Role::Admin {
            set_role(conn, user, Role::Participant)?;
        }
        anonymise(conn, site, &target, Some(actor.id))
    })
}

/// Forget who the person was, keep what happened: seats in upcoming courses are given
/// up (so the waiting list moves), enrolments and attendance stay as anonymous counts.
fn anonymise(conn: &mut PgConnection, site: &Site, user: &User, actor: Option<UserId>) -> AppResult<()> {
    crate::enrolment::service::withdraw_everywhere(conn, site, user.id, actor)?;
    crate::catalogue::service::unassign_trainer_everywhere(conn, user.id)?;
    let anonymous_email = format!("verwijderd-{}@verwijderd.invalid", user.id);
    diesel::update(users::table.find(user.id))
        .set((
            users::email.eq(&anonymous_email),
            users::name.eq("Verwijderde gebruiker"),
            users::password_hash.eq(None::<String>),
            users::wijk.eq(None::<String>),
            users::organisation.eq(None::<String>),
            users::role.eq(Role::Participant),
            users::calendar_token.eq(random_token()),
            users::anonymised_at.eq(Utc::now()),
            users::updated_at.eq(Utc::now()),
        ))
        .execute(conn)?;
    logout_everywhere(conn, user.id, None)?;
    diesel::delete(user_tokens::table.filter(user_tokens::user_id.eq(user.id))).execute(conn)?;
    // messages to the person: unsent ones are dropped, and none keeps the address or text
    diesel::update(outbox::table.filter(outbox::user_id.eq(user.id)))
        .set((
            outbox::recipient_email.eq(&anonymous_email),
            outbox::recipient_name.eq(None::<String>),
            outbox::text_body.eq(""),
            outbox::html_body.eq(""),
            outbox::attachments.eq(serde_json::json!([])),
        ))
        .execute(conn)?;
    diesel::update(outbox::table.filter(outbox::user_id.eq(user.id)).filter(
        outbox::status.eq_any([crate::mail::model::MailStatus::Pending, crate::mail::model::MailStatus::Sending]),
    ))
    .set((outbox::status.eq(crate::mail::model::MailStatus::Failed), outbox::last_error.eq("account deleted")))
    .execute(conn)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// housekeeping

/// Remove what has expired: sessions, tokens and old login failures. Runs every hour in
/// every instance; the statements are idempotent.
pub async fn housekeeping(db: crate::db::Db, mut shutdown: tokio::sync::watch::Receiver<bool>) {
    loop {
        let cleaned = db
            .run(|conn| {
                let cutoff = Utc::now() - Duration::days(1);
                let sessions = diesel::delete(
                    login_sessions::table
                        .filter(login_sessions::expires_at.lt(cutoff).or(login_sessions::revoked_at.lt(cutoff))),
                )
                .execute(conn)?;
                let tokens =
                    diesel::delete(user_tokens::table.filter(user_tokens::expires_at.lt(cutoff))).execute(conn)?;
                let failures = diesel::delete(
                    login_failures::table.filter(login_failures::attempted_at.lt(Utc::now() - Duration::hours(1))),
                )
                .execute(conn)?;
                Ok((sessions, tokens, failures))
            })
            .await;
        if let Err(e) = cleaned {
            tracing::warn!(error = %e, "housekeeping failed");
        }
        tokio::select! {
            _ = tokio::time::sleep(std::time::Duration::from_secs(3600)) => {}
            _ = shutdown.changed() => break,
        }
    }
}

/// The owner of a personal calendar feed, by the secret in its URL.
pub fn by_calendar_token(conn: &mut PgConnection, token: &str) -> AppResult<UserId> {
    Ok(users::table
        .filter(users::calendar_token.eq(token))
        .filter(users::anonymised_at.is_null())
        .select(users::id)
        .first(conn)?)
}
