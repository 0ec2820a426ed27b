//! Accounts' part of a person's data: the profile and the login sessions; forgetting turns
//! the account into an anonymous one that keeps its id, so that counts stay right.

use super::*;
use crate::db::schema::known_devices;
use crate::personal::{Export, Part, Subject, anonymous_address, value};

pub const PRIVACY: Part = Part { feature: "accounts", export, forget };

fn export(conn: &mut PgConnection, subject: &Subject) -> AppResult<Export> {
    let account = get(conn, subject.user)?;
    let mut out = Export::new();
    out.insert("profile".into(), value(&UserView::from(&account))?);
    out.insert("privacy_consent_at".into(), value(&account.privacy_consent_at)?);
    out.insert("sessions".into(), value(&sessions(conn, subject.user, subject.session_idle)?)?);
    Ok(out)
}

fn forget(conn: &mut PgConnection, subject: &Subject) -> AppResult<()> {
    let user = subject.user;
    diesel::update(users::table.find(user))
        .set((
            users::email.eq(anonymous_address(user)),
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
    logout_everywhere(conn, user, None)?;
    diesel::delete(user_tokens::table.filter(user_tokens::user_id.eq(user))).execute(conn)?;
    diesel::delete(known_devices::table.filter(known_devices::user_id.eq(user))).execute(conn)?;
    Ok(())
}

/// Whether `current_password` is the user's password (else 422 on the field `password`);
/// throttled per login session like a login (429), and argon2 runs with no connection held.
pub async fn check_password(db: &Db, actor: &CurrentUser, current_password: &str) -> AppResult<()> {
    let (user, session) = (actor.id, actor.session_id.to_string());
    let key = session.clone();
    let stored = db
        .tx(move |conn| {
            throttle::reserve(conn, &throttle::PASSWORD_CHECK, &key)?;
            Ok(get(conn, user)?.password_hash)
        })
        .await?;
    if password::verify_off_pool(current_password, stored).await? {
        db.run(move |conn| throttle::clear(conn, &throttle::PASSWORD_CHECK, &session)).await
    } else {
        Err(AppError::validation("password", "password-wrong"))
    }
}

/// An account that is about to be deleted: it must exist and not be anonymised yet; an admin
/// first stops being one (the last admin cannot: 409, someone else must become admin first).
pub fn prepare_deletion(conn: &mut PgConnection, user: &User) -> AppResult<()> {
    if user.anonymised_at.is_some() {
        return Err(AppError::NotFound);
    }
    if user.role == Role::Admin {
        set_role(conn, user.id, Role::Participant)?;
    }
    Ok(())
}
