//! Trainers.

use super::*;

/// Assign a trainer (a user with role trainer or above) to a course; idempotent.
pub fn assign_trainer(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    course_id: CourseId,
    user: UserId,
) -> AppResult<CourseDetail> {
    actor.require(Role::Coordinator)?;
    conn.transaction(|conn| {
        course(conn, course_id)?;
        let role: Option<(Role, bool)> =
            people::table.find(user).select((people::role, people::anonymised)).first(conn).optional()?;
        match role {
            None | Some((_, true)) => return Err(AppError::NotFound),
            Some((role, false)) if role < Role::Trainer => {
                return Err(AppError::validation("user_id", "not-a-trainer"));
            }
            Some(_) => {}
        }
        diesel::insert_into(course_trainers::table)
            .values((course_trainers::course_id.eq(course_id), course_trainers::user_id.eq(user)))
            .on_conflict_do_nothing()
            .execute(conn)?;
        detail(conn, course_id)
    })
}

pub fn remove_trainer(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    course_id: CourseId,
    user: UserId,
) -> AppResult<()> {
    actor.require(Role::Coordinator)?;
    course(conn, course_id)?;
    let removed = diesel::delete(
        course_trainers::table
            .filter(course_trainers::course_id.eq(course_id))
            .filter(course_trainers::user_id.eq(user)),
    )
    .execute(conn)?;
    if removed == 0 { Err(AppError::NotFound) } else { Ok(()) }
}

pub fn is_trainer_of(conn: &mut PgConnection, user: UserId, course_id: CourseId) -> AppResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(
        course_trainers::table
            .filter(course_trainers::course_id.eq(course_id))
            .filter(course_trainers::user_id.eq(user)),
    ))
    .get_result(conn)?)
}

/// A session a trainer gives, with its course.
#[derive(Debug, Clone)]
pub struct TrainerSession {
    pub session: Session,
    pub course_title: String,
    pub course_slug: String,
    pub course_id: CourseId,
    /// Other sessions of this trainer that overlap this one in time.
    pub overlaps: Vec<(String, DateTime<Utc>, DateTime<Utc>)>,
}

/// "Mijn trainingen": the trainer's sessions that end at `from` or later (the start of
/// their day), in order (one query).
pub fn trainer_sessions(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    from: DateTime<Utc>,
) -> AppResult<Vec<TrainerSession>> {
    if !actor.has(Role::Trainer) {
        return Err(AppError::Forbidden("error-forbidden-detail"));
    }
    let trainer = actor.id;
    let today = from;
    let rows: Vec<(Session, String, String, CourseId)> = course_sessions::table
        .inner_join(courses::table.inner_join(course_trainers::table))
        .filter(course_trainers::user_id.eq(trainer))
        .filter(course_sessions::ends_at.ge(today))
        .filter(courses::status.eq_any([CourseStatus::Draft, CourseStatus::Published]))
        .order((course_sessions::starts_at, course_sessions::id))
        .select((Session::as_select(), courses::title, courses::slug, courses::id))
        .load(conn)?;
    let overlaps = |s: &Session| {
        rows.iter()
            .filter(|(o, ..)| o.id != s.id && !s.is_cancelled() && !o.is_cancelled())
            .filter(|(o, ..)| o.starts_at < s.ends_at && s.starts_at < o.ends_at)
            .map(|(o, title, ..)| (title.clone(), o.starts_at, o.ends_at))
            .collect()
    };
    Ok(rows
        .iter()
        .map(|(session, course_title, course_slug, course_id)| TrainerSession {
            overlaps: overlaps(session),
            session: session.clone(),
            course_title: course_title.clone(),
            course_slug: course_slug.clone(),
            course_id: *course_id,
        })
        .collect())
}

/// A session of a course whose trainer gives another session at the same time. Shown as a
/// warning, not refused: the coordinator may be about to move one of them.
#[derive(Debug, Clone, QueryableByName)]
pub struct Clash {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub session_id: i64,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub trainer_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub other_course_title: String,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    pub other_starts_at: DateTime<Utc>,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    pub other_ends_at: DateTime<Utc>,
}

/// Every clash of the scheduled sessions of a course with other scheduled sessions of the
/// same trainers (in any live course, this one included): one query.
pub fn clashes_in_course(conn: &mut PgConnection, course_id: CourseId) -> AppResult<Vec<Clash>> {
    Ok(diesel::sql_query(
        "SELECT s.id AS session_id, p.name AS trainer_name, oc.title AS other_course_title,
                o.starts_at AS other_starts_at, o.ends_at AS other_ends_at
         FROM course_sessions s
         JOIN course_trainers t ON t.course_id = s.course_id
         JOIN course_trainers ot ON ot.user_id = t.user_id
         JOIN course_sessions o ON o.course_id = ot.course_id AND o.id <> s.id AND o.status = 'scheduled'
              AND o.starts_at < s.ends_at AND s.starts_at < o.ends_at
         JOIN courses oc ON oc.id = o.course_id AND oc.status IN ('draft', 'published')
         JOIN people p ON p.id = t.user_id
         WHERE s.course_id = $1 AND s.status = 'scheduled'
         ORDER BY s.starts_at, p.name, o.starts_at",
    )
    .bind::<diesel::sql_types::BigInt, _>(course_id.0)
    .load(conn)?)
}
