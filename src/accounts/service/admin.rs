//! Invitations and roles.

use super::*;

/// Create an account without a password and email a link to set one. Used by admins (any
/// role) and by coordinators enrolling a new person (participants only). An address that
/// has an account already is refused (409).
pub fn invite(
    conn: &mut PgConnection,
    base: &str,
    actor: &CurrentUser,
    email: &str,
    name: &str,
    role: Role,
) -> AppResult<User> {
    let email = check_invitation(actor, email, name, role)?;
    conn.transaction(|conn| match insert_invited(conn, actor, &email, name, role)? {
        Some(user) => send_invitation(conn, base, actor, user, role),
        None => Err(AppError::Conflict("conflict-email-taken")),
    })
}

/// The account of `email`, made with an invitation when there is none yet (a coordinator
/// enrolling a new person). Several requests for one new address at once make one account:
/// the insert skips on the unique address (waiting for a concurrent one to commit), and the
/// others find the account it made.
pub fn find_or_invite(
    conn: &mut PgConnection,
    base: &str,
    actor: &CurrentUser,
    email: &str,
    name: &str,
) -> AppResult<User> {
    let email = check_invitation(actor, email, name, Role::Participant)?;
    conn.transaction(|conn| match insert_invited(conn, actor, &email, name, Role::Participant)? {
        Some(user) => send_invitation(conn, base, actor, user, Role::Participant),
        None => find_by_email(conn, &email)?.ok_or(AppError::NotFound),
    })
}

/// [`find_or_invite`] for a trainer who adds a walk-in to their own session (attendance
/// checks that it is their course): the person stands in the room, so a trainer may make
/// them a participant's account, and nothing more.
pub fn find_or_invite_walk_in(
    conn: &mut PgConnection,
    base: &str,
    actor: &CurrentUser,
    email: &str,
    name: &str,
) -> AppResult<User> {
    actor.require(Role::Trainer)?;
    let email = valid_invitation(email, name)?;
    conn.transaction(|conn| match insert_invited(conn, actor, &email, name, Role::Participant)? {
        Some(user) => send_invitation(conn, base, actor, user, Role::Participant),
        None => find_by_email(conn, &email)?.ok_or(AppError::NotFound),
    })
}

/// Who may invite whom, and a valid address and name; answers the address as stored.
fn check_invitation(actor: &CurrentUser, email: &str, name: &str, role: Role) -> AppResult<String> {
    if role > Role::Participant {
        actor.require(Role::Admin)?;
    } else {
        actor.require(Role::Coordinator)?;
    }
    valid_invitation(email, name)
}

/// A valid address and name for an invitation; answers the address as stored.
fn valid_invitation(email: &str, name: &str) -> AppResult<String> {
    #[derive(Validate)]
    struct Invite<'a> {
        #[validate(email(code = "email-invalid"), length(max = 254, code = "too-long"))]
        email: &'a str,
        #[validate(
            custom(function = "not_blank"),
            custom(function = "one_line"),
            length(max = 100, code = "too-long")
        )]
        name: &'a str,
    }
    let email = normalise_email(email);
    validation(&Invite { email: &email, name }).into_result()?;
    Ok(email)
}

/// The new account, or `None` when the address has one (`ON CONFLICT DO NOTHING`).
fn insert_invited(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    email: &str,
    name: &str,
    role: Role,
) -> AppResult<Option<User>> {
    Ok(diesel::insert_into(users::table)
        .values(NewUser {
            email,
            name: name.trim(),
            password_hash: None,
            role,
            email_verified_at: None,
            wijk: None,
            organisation: None,
            participant_kind: None,
            locale: actor.locale.code(),
            privacy_consent_at: None,
            calendar_token: &random_token(),
        })
        .on_conflict_do_nothing()
        .returning(User::as_returning())
        .get_result(conn)
        .optional()?)
}

fn send_invitation(
    conn: &mut PgConnection,
    base: &str,
    actor: &CurrentUser,
    user: User,
    role: Role,
) -> AppResult<User> {
    let (id, token) = issue_token(conn, user.id, TokenPurpose::Invitation, Duration::days(INVITATION_TTL_DAYS))?;
    let t = user.locale();
    let role_name = t.t(&format!("role-{}", role.as_str()));
    let email = Email::new(recipient(&user), format!("invite:{id}"), t.t("mail-invite-subject"))
        .paragraph(t.t_args("mail-invite-intro", [("inviter", actor.name.as_str().into()), ("role", role_name.into())]))
        .action(t.t("mail-invite-action"), format!("{base}/uitnodiging?token={token}"))
        .closing(t.t("mail-invite-expires"));
    mail::enqueue(conn, base, email)?;
    Ok(user)
}

/// Accept an invitation on the web: set a password (which also proves the address) and
/// log in on this browser. The password is checked and hashed off the pool; the token is
/// taken and the session opened in one transaction. Answers the login session's token.
pub async fn accept_invitation_and_log_in(
    db: &Db,
    token: &str,
    new: &str,
    consent: bool,
    client: &Client,
    lifetime: Duration,
) -> AppResult<String> {
    let looked = token.to_owned();
    let email = db.run(move |conn| email_of_token(conn, &looked, TokenPurpose::Invitation)).await?;
    let mut errors = FieldErrors::default();
    if let Err(e) = password::check_new("password", new, &email) {
        errors.0.push(e);
    }
    if !consent {
        errors.add("privacy_consent", "consent-required");
    }
    errors.into_result()?;
    let hash = password::hash_off_pool(new).await?;
    let (token, client) = (token.to_owned(), client.clone());
    db.tx(move |conn| {
        let user = consume_token(conn, &token, TokenPurpose::Invitation)?;
        store_hash(conn, user, &hash)?;
        diesel::update(users::table.find(user))
            .set((users::email_verified_at.eq(Utc::now()), users::privacy_consent_at.eq(Utc::now())))
            .execute(conn)?;
        open_session(conn, user, SessionKind::Browser, &client, lifetime)
    })
    .await
}

/// Change someone's role (admins only); the last admin keeps the role.
pub fn change_role(conn: &mut PgConnection, actor: &CurrentUser, user: UserId, role: Role) -> AppResult<User> {
    actor.require(Role::Admin)?;
    conn.transaction(|conn| set_role(conn, user, role))
}

pub(super) fn set_role(conn: &mut PgConnection, user: UserId, role: Role) -> AppResult<User> {
    // lock the admins, so two demotions at once cannot both pass the check
    let admins: Vec<UserId> = users::table
        .filter(users::role.eq(Role::Admin))
        .filter(users::anonymised_at.is_null())
        .select(users::id)
        .for_update()
        .load(conn)?;
    let target = get(conn, user)?;
    if target.anonymised_at.is_some() {
        return Err(AppError::NotFound);
    }
    if target.role == Role::Admin && role != Role::Admin && admins.len() <= 1 {
        return Err(AppError::Conflict("conflict-last-admin"));
    }
    Ok(diesel::update(users::table.find(user))
        .set((users::role.eq(role), users::updated_at.eq(Utc::now())))
        .returning(User::as_returning())
        .get_result(conn)?)
}

/// For the CLI: an account that counts as verified, with a password from standard input.
pub fn add_verified_user(
    conn: &mut PgConnection,
    email: &str,
    name: &str,
    role: Role,
    new_password: &str,
) -> AppResult<User> {
    let input = Registration {
        email: email.to_owned(),
        name: name.to_owned(),
        password: new_password.to_owned(),
        privacy_consent: Some(true),
        ..Registration::default()
    };
    let mut errors = validation(&input);
    if let Err(e) = password::check_new("password", new_password, email) {
        errors.0.push(e);
    }
    errors.into_result()?;
    let email = normalise_email(email);
    let hash = password::hash(new_password)?;
    conn.transaction(|conn| {
        if find_by_email(conn, &email)?.is_some() {
            return Err(AppError::Conflict("conflict-email-taken"));
        }
        Ok(diesel::insert_into(users::table)
            .values(NewUser {
                email: &email,
                name: name.trim(),
                password_hash: Some(&hash),
                role,
                email_verified_at: Some(Utc::now()),
                wijk: None,
                organisation: None,
                participant_kind: None,
                locale: "nl",
                privacy_consent_at: Some(Utc::now()),
                calendar_token: &random_token(),
            })
            .returning(User::as_returning())
            .get_result(conn)?)
    })
}

pub fn set_role_by_email(conn: &mut PgConnection, email: &str, role: Role) -> AppResult<User> {
    conn.transaction(|conn| {
        let user = find_by_email(conn, email)?.ok_or(AppError::NotFound)?;
        set_role(conn, user.id, role)
    })
}

/// An error as one line of English, for the command line.
pub fn describe_error(error: &AppError) -> String {
    let (_, detail) = error.message_keys();
    let mut text = Locale::En.t(detail);
    if let AppError::Validation(fields) = error {
        let parts: Vec<String> = fields
            .iter()
            .map(|f| {
                let message = Locale::En.t_args(
                    &format!("field-{}", f.code),
                    f.args.iter().map(|(n, v)| (*n, crate::i18n::Arg::Text(v.clone()))),
                );
                format!("{}: {message}", f.field)
            })
            .collect();
        text = format!("{text} {}", parts.join("; "));
    }
    if let AppError::Internal(e) = error {
        text = format!("{text} ({e:#})");
    }
    text
}
