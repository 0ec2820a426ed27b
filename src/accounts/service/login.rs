//! Logging in.

use super::*;

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct Credentials {
    #[serde(default)]
    #[schema(required)]
    pub email: String,
    #[serde(default)]
    #[schema(required)]
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
