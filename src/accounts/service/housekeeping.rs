//! Housekeeping.

use super::*;

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

/// The secret part of a person's calendar feed address: their id and an HMAC (under the
/// platform's secret key) of the id and their calendar key. The database keeps only the
/// key, so a copy of it opens no feed; a new key ("new link") revokes the old address.
pub fn calendar_feed_token(secret: &str, user: UserId, key: &str) -> String {
    format!("{}-{}", user.0, crate::tokens::mac(secret, &format!("agenda:{}:{key}", user.0)))
}

/// The owner of a personal calendar feed, by the secret in its URL.
pub fn by_calendar_token(conn: &mut PgConnection, secret: &str, token: &str) -> AppResult<UserId> {
    let id = token.split_once('-').and_then(|(id, _)| id.parse::<i64>().ok()).ok_or(AppError::NotFound)?;
    let key: String = users::table
        .find(UserId(id))
        .filter(users::anonymised_at.is_null())
        .select(users::calendar_token)
        .first(conn)?;
    if crate::tokens::same(token, &calendar_feed_token(secret, UserId(id), &key)) {
        Ok(UserId(id))
    } else {
        Err(AppError::NotFound)
    }
}

/// A new calendar feed address for `user`; the old one answers 404 from now on.
pub fn renew_calendar_key(conn: &mut PgConnection, user: UserId) -> AppResult<()> {
    diesel::update(users::table.find(user))
        .set(users::calendar_token.eq(crate::tokens::random_token()))
        .execute(conn)?;
    Ok(())
}
