//! Users.

use super::*;

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

pub(super) fn recipient(user: &User) -> Recipient {
    Recipient { email: user.email.clone(), name: user.name.clone(), user_id: Some(user.id), locale: user.locale() }
}

/// How many accounts there are (anonymised ones included).
pub fn count(conn: &mut PgConnection) -> AppResult<i64> {
    Ok(users::table.count().get_result(conn)?)
}

/// Someone as the recipient of an email, in their language.
pub fn recipient_of(conn: &mut PgConnection, user: UserId) -> AppResult<Recipient> {
    Ok(recipient(&get(conn, user)?))
}

/// The people behind some accounts, as email recipients, in one query; anonymised accounts
/// (whose address is gone) are left out.
pub fn recipients(conn: &mut PgConnection, ids: &[UserId]) -> AppResult<Vec<Recipient>> {
    let found: Vec<User> = users::table
        .filter(users::id.eq_any(ids))
        .filter(users::anonymised_at.is_null())
        .select(User::as_select())
        .load(conn)?;
    Ok(found.iter().map(recipient).collect())
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
        send_verification(conn, base, &user, input.next.as_deref())
    })
}

/// A path on this site to continue to after a link in an email: no scheme, no host (not
/// `//host`, nor `/\host`, which browsers read as one), no control characters, and short.
pub fn continue_path(path: &str) -> Option<&str> {
    let ok = path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && path.len() <= 300
        && path.chars().all(|c| c.is_ascii_graphic());
    ok.then_some(path)
}

/// The MAC the registration page leaves in the browser that registered `email`: following
/// the verification link in that same browser logs the person in.
pub fn registered_here_proof(secret: &str, email: &str) -> String {
    crate::tokens::mac(secret, &format!("registered-here:{}", normalise_email(email)))
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
pub(super) fn issue_token(
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
pub(super) fn sent_recently(conn: &mut PgConnection, user: UserId, purpose: TokenPurpose) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        user_tokens::table
            .filter(user_tokens::user_id.eq(user))
            .filter(user_tokens::purpose.eq(purpose))
            .filter(user_tokens::created_at.gt(Utc::now() - Duration::minutes(RESEND_GAP_MINUTES))),
    ))
    .get_result(conn)
}

/// Take a token: it must exist, have this purpose, be unused and unexpired. Marks it used.
pub(super) fn consume_token(conn: &mut PgConnection, token: &str, purpose: TokenPurpose) -> AppResult<UserId> {
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

fn send_verification(conn: &mut PgConnection, base: &str, user: &User, next: Option<&str>) -> AppResult<()> {
    let (id, token) = issue_token(conn, user.id, TokenPurpose::VerifyEmail, Duration::hours(VERIFY_TTL_HOURS))?;
    let t = user.locale();
    let mut link = format!("{base}/e-mail-bevestigen?token={token}");
    if let Some(next) = next.and_then(continue_path) {
        link.push_str("&terug=");
        link.extend(url::form_urlencoded::byte_serialize(next.as_bytes()));
    }
    let email = Email::new(recipient(user), format!("verify:{id}"), t.t("mail-verify-subject"))
        .paragraph(t.t("mail-verify-intro"))
        .action(t.t("mail-verify-action"), link)
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
        send_verification(conn, base, &user, None)
    })
}

/// The outcome of following a verification link in a browser.
pub struct Verified {
    pub user: UserId,
    pub email: String,
    /// A new login session when the browser is the one that registered.
    pub session: Option<String>,
}

/// Verify the address of the token's owner. When `registered_here` is the proof the
/// registration page left in this browser for that address, the person has shown both the
/// browser and the mailbox: they are logged in. A link opened anywhere else only verifies
/// (someone who registered another's address must never get a session in that person's
/// browser).
pub fn verify_email_in_browser(
    conn: &mut PgConnection,
    token: &str,
    registered_here: Option<&str>,
    secret: &str,
    client: &Client,
    lifetime: Duration,
) -> AppResult<Verified> {
    conn.transaction(|conn| {
        let id = verify_email(conn, token)?;
        let user = get(conn, id)?;
        let proven = registered_here
            .is_some_and(|proof| crate::tokens::same(proof, &registered_here_proof(secret, &user.email)));
        let session = if proven && user.anonymised_at.is_none() {
            Some(open_session(conn, id, SessionKind::Browser, client, lifetime)?)
        } else {
            None
        };
        Ok(Verified { user: id, email: user.email, session })
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
