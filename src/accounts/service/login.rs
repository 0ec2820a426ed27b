//! Logging in. Throttled per (account, client) and per client address, with lock-outs that
//! double, so that a stranger's guesses cannot lock the owner out: a device that logged in
//! to the account before (OWASP's "device cookie": a random token, stored hashed, bound to
//! the account) keeps its own count and passes the address's and the IP's lock-outs.

use super::throttle::{self, LOGIN_ACCOUNT, LOGIN_DEVICE, LOGIN_IP};
use super::*;
use crate::db::changes::Topic;
use crate::db::schema::known_devices;
use crate::db::shelf::Kind;

/// The cookie (and API field) that marks a device that logged in to an account before.
pub const DEVICE_COOKIE: &str = "wm_device";
/// A known device is forgotten when it has not logged in for this long.
pub const DEVICE_LIFETIME_DAYS: i64 = 180;

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct Credentials {
    #[serde(default)]
    #[schema(required)]
    pub email: String,
    #[serde(default)]
    #[schema(required)]
    pub password: String,
    /// The `device_token` of an earlier login of this account from this client: it keeps
    /// logging in while the account is locked for clients it does not know.
    #[serde(default)]
    pub device_token: Option<String>,
}

/// Who is logging in from where.
#[derive(Debug, Clone)]
pub struct Client {
    pub ip: String,
    pub user_agent: Option<String>,
}

/// A successful login: the session's token, the user, and the device token to keep.
#[derive(Debug)]
pub struct LoggedIn {
    pub session: String,
    pub user: User,
    pub device: String,
}

/// The id of a known device of the account with this address, if `token` is one.
fn known_device(conn: &mut PgConnection, email: &str, token: &str) -> QueryResult<Option<i64>> {
    known_devices::table
        .inner_join(users::table)
        .filter(known_devices::token_hash.eq(hash_token(token.trim())))
        .filter(known_devices::last_used_at.gt(Utc::now() - Duration::days(DEVICE_LIFETIME_DAYS)))
        .filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>("lower(users.email) = ")
                .bind::<diesel::sql_types::Text, _>(email),
        )
        .select(known_devices::id)
        .first(conn)
        .optional()
}

/// Remember this client as a device of `user`; answers the token to give it.
fn remember_device(conn: &mut PgConnection, user: UserId) -> AppResult<String> {
    let token = random_token();
    diesel::insert_into(known_devices::table)
        .values((known_devices::user_id.eq(user), known_devices::token_hash.eq(hash_token(&token))))
        .execute(conn)?;
    Ok(token)
}

/// Check the credentials and open a login session. A wrong password and an unknown
/// address answer the same 401, after the same statements and the same amount of work
/// (an unknown address is throttled like a known one). Three steps, so that argon2 runs
/// with no pooled connection held: reserve an attempt and look up, verify, record.
pub async fn login(
    db: &Db,
    credentials: &Credentials,
    client: &Client,
    kind: SessionKind,
    lifetime: Duration,
) -> AppResult<LoggedIn> {
    let email = normalise_email(&credentials.email);
    let presented = credentials.device_token.clone().filter(|t| !t.trim().is_empty());
    let (lookup, ip, token) = (email.clone(), client.ip.clone(), presented.clone());
    let (device, user) = db
        .tx(move |conn| {
            let device = match &token {
                Some(token) => known_device(conn, &lookup, token)?,
                None => None,
            };
            match device {
                Some(id) => throttle::reserve(conn, &LOGIN_DEVICE, &id.to_string())?,
                None => {
                    throttle::reserve(conn, &LOGIN_IP, &ip)?;
                    throttle::reserve(conn, &LOGIN_ACCOUNT, &lookup)?;
                }
            }
            Ok((device, find_by_email(conn, &lookup)?.filter(|u| u.anonymised_at.is_none())))
        })
        .await?;
    let stored = user.as_ref().and_then(|u| u.password_hash.clone());
    let valid = password::verify_off_pool(&credentials.password, stored.clone()).await?;
    let (Some(user), true) = (user, valid) else {
        // the reserved attempt stays counted as a failure
        return Err(AppError::Unauthorized);
    };
    let fresh = match &stored {
        Some(phc) if password::needs_rehash(phc) => Some(password::hash_off_pool(&credentials.password).await?),
        _ => None,
    };
    let client = client.clone();
    db.tx(move |conn| {
        if let Some(fresh) = fresh {
            diesel::update(users::table.find(user.id)).set(users::password_hash.eq(fresh)).execute(conn)?;
        }
        let device = match (device, presented) {
            (Some(id), Some(token)) => {
                throttle::clear(conn, &LOGIN_DEVICE, &id.to_string())?;
                diesel::update(known_devices::table.find(id))
                    .set(known_devices::last_used_at.eq(Utc::now()))
                    .execute(conn)?;
                token
            }
            _ => {
                throttle::clear(conn, &LOGIN_ACCOUNT, &email)?;
                throttle::give_back(conn, &LOGIN_IP, &client.ip)?;
                remember_device(conn, user.id)?
            }
        };
        let session = open_session(conn, user.id, kind, &client, lifetime)?;
        Ok(LoggedIn { session, user, device })
    })
    .await
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

/// Who is behind session tokens, per token hash: kept until a login session or an account
/// changes (topic `Identity`, migration 2026-12-01-000022; on this instance before the
/// response of the change, on others within one poll of the listener). 4,096 sessions of at
/// most about 1.5 KB each (a name of 100 characters, an address of 254): a few MB at most.
static SESSIONS: Kind = Kind { name: "accounts/sessions", topic: Topic::Identity, room: 4096 };

/// [`session_user`], from what this instance keeps when it can: a logged-in page costs no
/// query for who is asking. A kept session is used only while the `last_seen_at` it was read
/// with is less than a minute old (and within the idle timeout and its lifetime), so the
/// lookup that marks it as used still runs once a minute.
pub async fn kept_session_user(db: &Db, token: &str, idle: Duration) -> AppResult<Option<CurrentUser>> {
    let hash = hash_token(token);
    let key = hash.clone();
    db.kept(&SESSIONS, key, move |conn| {
        Ok(match alive_session(conn, hash, idle)? {
            Some((user, until)) if user.name.len() + user.email.len() <= 1024 => (Some(user), Some(until)),
            found => (found.map(|(user, _)| user), None),
        })
    })
    .await
}

/// The user behind a session token, if the session is alive (not revoked, not past its
/// lifetime, used within the idle timeout). Marks it as used, at most once a minute.
pub fn session_user(conn: &mut PgConnection, token: &str, idle: Duration) -> AppResult<Option<CurrentUser>> {
    Ok(alive_session(conn, hash_token(token), idle)?.map(|(user, _)| user))
}

/// [`session_user`] by the token's hash, with the moment until which the answer holds unless
/// the session or the account changes: a minute after it was last marked as used.
fn alive_session(
    conn: &mut PgConnection,
    hash: Vec<u8>,
    idle: Duration,
) -> AppResult<Option<(CurrentUser, DateTime<Utc>)>> {
    let now_at = Utc::now();
    let found = login_sessions::table
        .inner_join(users::table)
        .filter(login_sessions::token_hash.eq(hash))
        .filter(login_sessions::revoked_at.is_null())
        .filter(login_sessions::expires_at.gt(now_at))
        .filter(login_sessions::last_seen_at.gt(now_at - idle))
        .filter(users::anonymised_at.is_null())
        .select((
            login_sessions::id,
            login_sessions::last_seen_at,
            login_sessions::expires_at,
            users::id,
            users::name,
            users::email,
            users::role,
            users::email_verified_at,
            users::locale,
        ))
        .first::<(i64, DateTime<Utc>, DateTime<Utc>, UserId, String, String, Role, Option<DateTime<Utc>>, String)>(conn)
        .optional()?;
    let Some((session_id, mut last_seen, expires, id, name, email, role, verified, locale)) = found else {
        return Ok(None);
    };
    if last_seen < now_at - Duration::minutes(1) {
        // forward only (`greatest`): kept sessions stay right, so this is announced to no one
        // (db::changes::may_change_identity, migration 2026-12-01-000022)
        diesel::sql_query("UPDATE login_sessions SET last_seen_at = greatest(last_seen_at, $1) WHERE id = $2")
            .bind::<diesel::sql_types::Timestamptz, _>(now_at)
            .bind::<diesel::sql_types::BigInt, _>(session_id)
            .execute(conn)?;
        last_seen = now_at;
    }
    let until = (last_seen + Duration::minutes(1)).min(last_seen + idle).min(expires);
    let user = CurrentUser {
        id,
        name,
        email,
        role,
        email_verified: verified.is_some(),
        locale: Locale::from_code(&locale).unwrap_or_default(),
        session_id,
    };
    Ok(Some((user, until)))
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
