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
}

/// "Mijn trainingen": the trainer's sessions from today on, in order (one query).
pub fn trainer_sessions(conn: &mut PgConnection, actor: &CurrentUser) -> AppResult<Vec<TrainerSession>> {
    if !actor.has(Role::Trainer) {
        return Err(AppError::Forbidden("error-forbidden-detail"));
    }
    let trainer = actor.id;
    let today = Utc::now() - Duration::hours(12);
    let rows: Vec<(Session, String, String, CourseId)> = course_sessions::table
        .inner_join(courses::table.inner_join(course_trainers::table))
        .filter(course_trainers::user_id.eq(trainer))
        .filter(course_sessions::ends_at.ge(today))
        .filter(courses::status.eq_any([CourseStatus::Draft, CourseStatus::Published]))
        .order((course_sessions::starts_at, course_sessions::id))
        .select((Session::as_select(), courses::title, courses::slug, courses::id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(session, course_title, course_slug, course_id)| TrainerSession {
            session,
            course_title,
            course_slug,
            course_id,
        })
        .collect())
}
