//! Sessions.

use super::*;

/// The columns a coordinator sets, as they will be stored (insert and update alike).
#[derive(Insertable, AsChangeset, PartialEq)]
#[diesel(table_name = course_sessions, treat_none_as_null = true)]
struct SessionFields {
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    place: String,
    address: String,
    wijk: Option<String>,
    online_url: Option<String>,
}

impl SessionFields {
    /// Whether people need to hear of the change: the time or the place moved.
    fn moves(&self, current: &Session) -> bool {
        self.starts_at != current.starts_at
            || self.ends_at != current.ends_at
            || self.place != current.place
            || self.address != current.address
            || self.online_url != current.online_url
    }
}

/// What a session would be after `input`, checked; `None` fields stay as they are.
fn session_fields(input: &Parsed<SessionChanges>, current: Option<&Session>) -> AppResult<SessionFields> {
    let (changes, mut errors) = (&input.value, FieldErrors(input.errors.clone()));
    let mut moment = |field: &str, new: Option<DateTime<Utc>>, old: Option<DateTime<Utc>>| {
        let value = new.or(old);
        if value.is_none() && !errors.has(field) {
            errors.add(field, "required");
        }
        value
    };
    let starts = moment("starts_at", changes.starts_at, current.map(|s| s.starts_at));
    let ends = moment("ends_at", changes.ends_at, current.map(|s| s.ends_at));
    if let (Some(s), Some(e)) = (starts, ends) {
        if e <= s {
            errors.add("ends_at", "ends-before-start");
        } else if e - s > Duration::hours(24) {
            errors.add("ends_at", "session-too-long");
        }
    }
    let place = changes.place.clone().or(current.map(|s| s.place.clone())).unwrap_or_default();
    check_text(&mut errors, "place", &place, 200, true);
    let address = changes.address.clone().or(current.map(|s| s.address.clone())).unwrap_or_default();
    check_text(&mut errors, "address", &address, 300, true);
    let wijk = changes.wijk.clone().unwrap_or(current.and_then(|s| s.wijk.clone()));
    let online_url = changes.online_url.clone().unwrap_or(current.and_then(|s| s.online_url.clone()));
    if place.is_empty() && online_url.is_none() && !errors.has("online_url") {
        errors.add("place", "place-required");
    }
    errors.into_result()?;
    Ok(SessionFields {
        starts_at: starts.unwrap_or_default(),
        ends_at: ends.unwrap_or_default(),
        place,
        address,
        wijk,
        online_url,
    })
}

/// Add a session. One that already began may be added to a published course only when the
/// coordinator says so on purpose (`allow_past`): people enrolled would get an invitation
/// for something over, and a typo in the year is more likely than a late record.
pub fn add_session(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    course_id: CourseId,
    input: &Parsed<SessionChanges>,
) -> AppResult<Changed<Session>> {
    actor.require(Role::Coordinator)?;
    conn.transaction(|conn| {
        let course = lock_course(conn, course_id)?;
        if matches!(course.status, CourseStatus::Cancelled | CourseStatus::Archived) {
            return Err(AppError::Conflict("conflict-course-closed"));
        }
        let fields = session_fields(input, None)?;
        if course.status == CourseStatus::Published && fields.starts_at < Utc::now() && !input.value.allow_past {
            return Err(AppError::validation("starts_at", "session-in-past"));
        }
        let session: Session = diesel::insert_into(course_sessions::table)
            .values((&fields, course_sessions::course_id.eq(course_id)))
            .returning(Session::as_returning())
            .get_result(conn)?;
        let change =
            (course.status == CourseStatus::Published).then(|| ProgrammeChange::SessionChanged(session.clone()));
        Ok(Changed { value: session, change })
    })
}

pub fn session(conn: &mut PgConnection, id: SessionId) -> AppResult<Session> {
    Ok(course_sessions::table.find(id).select(Session::as_select()).first(conn)?)
}

/// A session and its course, for the session's edit form.
pub fn session_with_course(conn: &mut PgConnection, id: SessionId) -> AppResult<(Session, Course)> {
    let session = session(conn, id)?;
    let course = course(conn, session.course_id)?;
    Ok((session, course))
}

/// Change a session; when the time or place changes, enrolled people get the new details
/// (with an .ics that replaces the event in their calendar).
pub fn update_session(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    id: SessionId,
    input: &Parsed<SessionChanges>,
) -> AppResult<Changed<Session>> {
    actor.require(Role::Coordinator)?;
    conn.transaction(|conn| {
        let current = session(conn, id)?;
        let course = lock_course(conn, current.course_id)?;
        if current.is_cancelled() {
            return Err(AppError::Conflict("conflict-session-cancelled"));
        }
        let fields = session_fields(input, Some(&current))?;
        let moved = fields.moves(&current);
        let updated: Session = diesel::update(course_sessions::table.find(id))
            .set((
                &fields,
                course_sessions::sequence.eq(current.sequence + i32::from(moved)),
                course_sessions::updated_at.eq(Utc::now()),
            ))
            .returning(Session::as_returning())
            .get_result(conn)?;
        let change = (moved && course.status == CourseStatus::Published)
            .then(|| ProgrammeChange::SessionChanged(updated.clone()));
        Ok(Changed { value: updated, change })
    })
}

/// Cancel a session: everyone enrolled or waiting hears it, with an .ics CANCEL.
pub fn cancel_session(conn: &mut PgConnection, actor: &CurrentUser, id: SessionId) -> AppResult<Changed<Session>> {
    actor.require(Role::Coordinator)?;
    conn.transaction(|conn| {
        let current = session(conn, id)?;
        let course = lock_course(conn, current.course_id)?;
        if current.is_cancelled() {
            return Ok(Changed { value: current, change: None });
        }
        let updated: Session = diesel::update(course_sessions::table.find(id))
            .set((
                course_sessions::status.eq(SessionStatus::Cancelled),
                course_sessions::sequence.eq(current.sequence + 1),
                course_sessions::updated_at.eq(Utc::now()),
            ))
            .returning(Session::as_returning())
            .get_result(conn)?;
        let change =
            (course.status == CourseStatus::Published).then(|| ProgrammeChange::SessionCancelled(updated.clone()));
        Ok(Changed { value: updated, change })
    })
}
