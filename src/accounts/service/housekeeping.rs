//! Housekeeping.

use super::*;
use crate::db::schema::{known_devices, throttles};

/// Remove what has expired: sessions, tokens, old throttling counts and forgotten devices. Runs every hour in
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
                // counts whose window and lock-out are long over (the lock-out doubling
                // starts afresh after a day anyway)
                let throttles = diesel::delete(
                    throttles::table
                        .filter(throttles::window_started_at.lt(cutoff))
                        .filter(throttles::locked_until.is_null().or(throttles::locked_until.lt(cutoff))),
                )
                .execute(conn)?;
                let devices = diesel::delete(
                    known_devices::table
                        .filter(known_devices::last_used_at.lt(Utc::now() - Duration::days(DEVICE_LIFETIME_DAYS))),
                )
                .execute(conn)?;
                Ok((sessions, tokens, throttles, devices))
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
