//! Profile.

use super::*;

pub fn update_profile(conn: &mut PgConnection, user: UserId, change: &ProfileChange) -> AppResult<User> {
    if change.is_empty() {
        return Err(AppError::validation("body", "required"));
    }
    validation(change).into_result()?;
    #[derive(AsChangeset)]
    #[diesel(table_name = users)]
    struct Changes {
        name: Option<String>,
        wijk: Option<Option<String>>,
        organisation: Option<Option<String>>,
        participant_kind: Option<Option<ParticipantKind>>,
        locale: Option<String>,
        updated_at: DateTime<Utc>,
    }
    let changes = Changes {
        name: change.name.as_deref().map(|n| n.trim().to_owned()),
        wijk: change.wijk.as_ref().map(|w| places::find(w).map(str::to_owned)),
        organisation: change.organisation.as_ref().map(|o| Some(o.trim().to_owned()).filter(|o| !o.is_empty())),
        participant_kind: change.participant_kind.as_ref().map(|k| ParticipantKind::parse(k)),
        locale: change.locale.as_deref().and_then(Locale::from_code).map(|l| l.code().to_owned()),
        updated_at: Utc::now(),
    };
    Ok(diesel::update(users::table.find(user)).set(&changes).returning(User::as_returning()).get_result(conn)?)
}

pub fn set_locale(conn: &mut PgConnection, user: UserId, locale: Locale) -> AppResult<()> {
    diesel::update(users::table.find(user)).set(users::locale.eq(locale.code())).execute(conn)?;
    Ok(())
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct UserQuery {
    pub q: Option<String>,
    pub role: Option<String>,
}

/// Accounts matching a search, for admins.
pub fn list(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    query: &UserQuery,
    paging: crate::paging::Paging,
) -> AppResult<(Vec<User>, i64)> {
    actor.require(Role::Admin)?;
    let role = match optional(&query.role) {
        Some(text) => Some(Role::parse(&text).ok_or_else(|| AppError::validation("role", "choice"))?),
        None => None,
    };
    let filtered = || {
        let mut q = users::table.filter(users::anonymised_at.is_null()).into_boxed();
        if let Some(text) = optional(&query.q) {
            let pattern = format!("%{}%", text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
            q = q.filter(users::name.ilike(pattern.clone()).or(users::email.ilike(pattern)));
        }
        if let Some(role) = role {
            q = q.filter(users::role.eq(role));
        }
        q
    };
    let total = filtered().select(count_star()).first(conn)?;
    let items = filtered()
        .order((users::name, users::id))
        .limit(paging.per_page)
        .offset(paging.offset())
        .select(User::as_select())
        .load(conn)?;
    Ok((items, total))
}

/// Trainers and up, for assigning to a course.
pub fn trainers(conn: &mut PgConnection) -> AppResult<Vec<User>> {
    Ok(users::table
        .filter(users::role.ge(Role::Trainer))
        .filter(users::anonymised_at.is_null())
        .order(users::name)
        .select(User::as_select())
        .load(conn)?)
}

/// What the profile page shows: the account and its live login sessions.
pub fn profile(conn: &mut PgConnection, user: UserId, idle: Duration) -> AppResult<(User, Vec<LoginSession>)> {
    Ok((get(conn, user)?, sessions(conn, user, idle)?))
}
