//! Throttling, counted in PostgreSQL so that every instance sees the same numbers. An
//! attempt is reserved (counted) before the password is checked, in one statement that
//! locks the row (`INSERT … ON CONFLICT … DO UPDATE … RETURNING`): of forty attempts at
//! once, only the first `max` get through to argon2, the rest answer 429.

use super::*;
use diesel::sql_types::{BigInt, Integer, Text};

/// How a key is throttled: at most `max` attempts in `window`, then a lock-out.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub scope: &'static str,
    pub max: i32,
    pub window: Duration,
    pub lock: Lock,
}

#[derive(Debug, Clone, Copy)]
pub enum Lock {
    /// Locked for `first`, twice as long at each lock-out after that (at most `longest`);
    /// a day after the last lock-out ended it starts at `first` again.
    Doubling { first: Duration, longest: Duration },
    /// Locked until the window ends (a plain rate: so many an hour).
    UntilWindowEnds,
}

/// Wrong passwords for an address from clients it does not know (also for addresses
/// without an account, which are throttled alike).
pub const LOGIN_ACCOUNT: Limit = Limit {
    scope: "login-account",
    max: 10,
    window: Duration::minutes(15),
    lock: Lock::Doubling { first: Duration::minutes(1), longest: Duration::hours(1) },
};
/// Wrong passwords from a device that logged in to this account before: its own count.
pub const LOGIN_DEVICE: Limit = Limit { scope: "login-device", ..LOGIN_ACCOUNT };
/// Wrong passwords from one client address, for any account (clients it does not know).
pub const LOGIN_IP: Limit = Limit { scope: "login-ip", max: 30, ..LOGIN_ACCOUNT };
/// The current password asked again (to change it, to delete the account), per session.
pub const PASSWORD_CHECK: Limit = Limit { scope: "password-check", max: 5, ..LOGIN_ACCOUNT };

/// Registrations (and new confirmation links) per client address and per email address.
pub fn register_ip(max: u32) -> Limit {
    Limit { scope: "register-ip", max: max as i32, window: Duration::hours(1), lock: Lock::UntilWindowEnds }
}
pub fn register_address(max: u32) -> Limit {
    Limit { scope: "register-address", max: max as i32, window: Duration::hours(1), lock: Lock::UntilWindowEnds }
}

#[derive(QueryableByName)]
struct Reserved {
    #[diesel(sql_type = Integer)]
    hits: i32,
}

#[derive(QueryableByName)]
struct Wait {
    #[diesel(sql_type = BigInt)]
    seconds: i64,
}

/// Count one attempt for `key`, or answer 429 with the seconds until it may try again. The
/// attempt that reaches the limit still goes ahead; it locks the key for the ones after it.
/// Call it inside the transaction that decides: an error rolls the count back.
pub fn reserve(conn: &mut PgConnection, limit: &Limit, key: &str) -> AppResult<()> {
    let window = limit.window.num_seconds() as i32;
    let reserved: Option<Reserved> = diesel::sql_query(
        "INSERT INTO throttles AS t (scope, key, hits, window_started_at) VALUES ($1, $2, 1, now())
         ON CONFLICT (scope, key) DO UPDATE SET
             hits = CASE WHEN t.window_started_at <= now() - make_interval(secs => $3) OR t.locked_until IS NOT NULL
                         THEN 1 ELSE t.hits + 1 END,
             window_started_at = CASE WHEN t.window_started_at <= now() - make_interval(secs => $3)
                                           OR t.locked_until IS NOT NULL
                                      THEN now() ELSE t.window_started_at END,
             lockouts = CASE WHEN coalesce(t.locked_until, t.window_started_at) < now() - interval '1 day'
                             THEN 0 ELSE t.lockouts END,
             locked_until = NULL
         WHERE t.locked_until IS NULL OR t.locked_until <= now()
         RETURNING hits",
    )
    .bind::<Text, _>(limit.scope)
    .bind::<Text, _>(key)
    .bind::<Integer, _>(window)
    .get_result(conn)
    .optional()?;
    let Some(reserved) = reserved else {
        let wait: Wait = diesel::sql_query(
            "SELECT greatest(1, ceil(extract(epoch FROM locked_until - now())))::bigint AS seconds
             FROM throttles WHERE scope = $1 AND key = $2",
        )
        .bind::<Text, _>(limit.scope)
        .bind::<Text, _>(key)
        .get_result(conn)?;
        return Err(AppError::TooManyRequests { retry_after_secs: wait.seconds as u64 });
    };
    if reserved.hits >= limit.max {
        let until = match limit.lock {
            Lock::Doubling { first, longest } => format!(
                "now() + least(make_interval(secs => {}) * power(2, lockouts), make_interval(secs => {}))",
                first.num_seconds(),
                longest.num_seconds()
            ),
            Lock::UntilWindowEnds => format!("window_started_at + make_interval(secs => {window})"),
        };
        diesel::sql_query(format!(
            "UPDATE throttles SET locked_until = {until}, lockouts = lockouts + 1 WHERE scope = $1 AND key = $2"
        ))
        .bind::<Text, _>(limit.scope)
        .bind::<Text, _>(key)
        .execute(conn)?;
    }
    Ok(())
}

/// The attempt went well: forget the count (and any lock-out) of this key.
pub fn clear(conn: &mut PgConnection, limit: &Limit, key: &str) -> AppResult<()> {
    diesel::sql_query("DELETE FROM throttles WHERE scope = $1 AND key = $2")
        .bind::<Text, _>(limit.scope)
        .bind::<Text, _>(key)
        .execute(conn)?;
    Ok(())
}

/// The attempt went well: give its reservation back (an office behind one address logs in
/// many times a day), without lifting a lock-out.
pub fn give_back(conn: &mut PgConnection, limit: &Limit, key: &str) -> AppResult<()> {
    diesel::sql_query("UPDATE throttles SET hits = greatest(hits - 1, 0) WHERE scope = $1 AND key = $2")
        .bind::<Text, _>(limit.scope)
        .bind::<Text, _>(key)
        .execute(conn)?;
    Ok(())
}
