//! Passwords.

use super::*;

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

pub(super) fn set_password(conn: &mut PgConnection, user: UserId, new: &str) -> AppResult<()> {
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
