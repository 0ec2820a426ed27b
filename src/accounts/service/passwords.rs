//! Passwords.

use super::*;
use crate::db::schema::password_reset_requests;

/// Change one's password: the current one is checked (throttled per login session, like
/// a login), and the new one hashed, with no connection held; the change only lands if the password was not changed meanwhile.
pub async fn change_password(db: &Db, base: &str, actor: &CurrentUser, current: &str, new: &str) -> AppResult<()> {
    let (id, session) = (actor.id, actor.session_id.to_string());
    let key = session.clone();
    let user = db
        .tx(move |conn| {
            throttle::reserve(conn, &throttle::PASSWORD_CHECK, &key)?;
            get(conn, id)
        })
        .await?;
    let ok = password::verify_off_pool(current, user.password_hash.clone()).await?;
    if ok {
        let key = session.clone();
        db.run(move |conn| throttle::clear(conn, &throttle::PASSWORD_CHECK, &key)).await?;
    }
    let mut errors = FieldErrors::default();
    if !ok {
        errors.add("current_password", "password-wrong");
    }
    if let Err(e) = password::check_new("new_password", new, &user.email) {
        errors.0.push(e);
    }
    errors.into_result()?;
    let hash = password::hash_off_pool(new).await?;
    let (base, keep) = (base.to_owned(), actor.session_id);
    db.tx(move |conn| {
        let changed = diesel::update(
            users::table.find(user.id).filter(users::password_hash.is_not_distinct_from(&user.password_hash)),
        )
        .set((users::password_hash.eq(hash), users::updated_at.eq(Utc::now())))
        .execute(conn)?;
        if changed == 0 {
            return Err(AppError::validation("current_password", "password-wrong"));
        }
        logout_everywhere(conn, user.id, Some(keep))?;
        let t = user.locale();
        let key = format!("password-changed:{}:{}", user.id, Utc::now().timestamp_micros());
        let email = Email::new(recipient(&user), key, t.t("mail-password-changed-subject"))
            .paragraph(t.t("mail-password-changed-intro"))
            .action(t.t("mail-password-changed-action"), format!("{base}/wachtwoord-vergeten"));
        mail::enqueue(conn, &base, email)?;
        Ok(())
    })
    .await
}

/// Store a password hashed beforehand (with [`password::hash_off_pool`]).
pub(super) fn store_hash(conn: &mut PgConnection, user: UserId, hash: &str) -> AppResult<()> {
    diesel::update(users::table.find(user))
        .set((users::password_hash.eq(hash), users::updated_at.eq(Utc::now())))
        .execute(conn)?;
    Ok(())
}

/// Ask for a reset link. The request only writes one row, the same statement for every
/// address, so neither the answer nor its time tells whether the address has an account;
/// [`send_requested_resets`] (beside the mail worker) looks the address up and sends the
/// link, or nothing.
pub fn request_password_reset(conn: &mut PgConnection, email: &str) -> AppResult<()> {
    // malformed input answers alike too: it simply matches nobody
    let email = normalise_email(email);
    if email.is_empty() || email.len() > 254 {
        return Ok(());
    }
    diesel::insert_into(password_reset_requests::table)
        .values(password_reset_requests::email.eq(&email))
        .execute(conn)?;
    Ok(())
}

/// Handle the reset requests waiting: a link for each address that has an account (at most
/// one every few minutes), nothing for the others. Several instances may run it at once.
pub fn send_requested_resets(conn: &mut PgConnection, base: &str) -> AppResult<usize> {
    conn.transaction(|conn| {
        let ids: Vec<i64> = password_reset_requests::table
            .select(password_reset_requests::id)
            .order(password_reset_requests::id)
            .limit(50)
            .for_update()
            .skip_locked()
            .load(conn)?;
        if ids.is_empty() {
            return Ok(0);
        }
        let emails: Vec<String> =
            diesel::delete(password_reset_requests::table.filter(password_reset_requests::id.eq_any(&ids)))
                .returning(password_reset_requests::email)
                .get_results(conn)?;
        for email in &emails {
            send_reset(conn, base, email)?;
        }
        Ok(emails.len())
    })
}

fn send_reset(conn: &mut PgConnection, base: &str, email: &str) -> AppResult<()> {
    let Some(user) = find_by_email(conn, email)?.filter(|u| u.anonymised_at.is_none()) else {
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
}

/// Runs beside the mail worker: hands waiting reset requests to [`send_requested_resets`].
pub async fn reset_mailer(
    db: Db,
    base: String,
    poll: std::time::Duration,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        let base = base.clone();
        if let Err(e) = db.run(move |conn| send_requested_resets(conn, &base)).await {
            tracing::warn!(error = %e, "reset requests failed");
        }
        tokio::select! {
            _ = tokio::time::sleep(poll) => {}
            _ = shutdown.changed() => break,
        }
    }
}

/// Set a new password with a reset token; every login session of the user ends. The token
/// is looked at, the password checked and hashed off the pool, then the token taken.
pub async fn reset_password(db: &Db, token: &str, new: &str) -> AppResult<UserId> {
    let looked = token.to_owned();
    let email = db.run(move |conn| email_of_token(conn, &looked, TokenPurpose::PasswordReset)).await?;
    password::check_new("password", new, &email).map_err(|e| AppError::Validation(vec![e]))?;
    let hash = password::hash_off_pool(new).await?;
    let token = token.to_owned();
    db.tx(move |conn| {
        let user = consume_token(conn, &token, TokenPurpose::PasswordReset)?;
        store_hash(conn, user, &hash)?;
        // the link proved the address
        diesel::update(users::table.find(user).filter(users::email_verified_at.is_null()))
            .set(users::email_verified_at.eq(Utc::now()))
            .execute(conn)?;
        logout_everywhere(conn, user, None)?;
        Ok(user)
    })
    .await
}
