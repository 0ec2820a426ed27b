//! Privacy.

use super::*;

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
