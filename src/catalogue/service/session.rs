//! Sessions.

use super::*;

/// A session as written by a coordinator.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct SessionInput {
    /// RFC 3339, or Amsterdam local time without an offset.
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub place: Option<String>,
    pub address: Option<String>,
    /// Wijk or dorp: slug or name.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub wijk: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub online_url: Option<Option<String>>,
}

struct SessionValues {
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    place: String,
    address: String,
    wijk: Option<String>,
    online_url: Option<String>,
}

fn session_values(input: &SessionInput, current: Option<&Session>) -> AppResult<SessionValues> {
    let mut errors = FieldErrors::default();
    let mut instant = |field: &str, value: &Option<String>, old: Option<DateTime<Utc>>| match (given(value), old) {
        (Some(text), _) => match parse_instant(text) {
            Ok(t) => Some(t),
            Err(code) => {
                errors.add(field, code);
                None
            }
        },
        (None, Some(old)) => Some(old),
        (None, None) => {
            errors.add(field, "required");
            None
        }
    };
    let starts = instant("starts_at", &input.starts_at, current.map(|s| s.starts_at));
    let ends = instant("ends_at", &input.ends_at, current.map(|s| s.ends_at));
    if let (Some(s), Some(e)) = (starts, ends) {
        if e <= s {
            errors.add("ends_at", "ends-before-start");
        } else if e - s > Duration::hours(24) {
            errors.add("ends_at", "session-too-long");
        }
    }
    let place = input
        .place
        .as_deref()
        .map(str::trim)
        .map(str::to_owned)
        .or(current.map(|s| s.place.clone()))
        .unwrap_or_default();
    check_text(&mut errors, "place", &place, 200, true);
    let address = input
        .address
        .as_deref()
        .map(str::trim)
        .map(str::to_owned)
        .or(current.map(|s| s.address.clone()))
        .unwrap_or_default();
    check_text(&mut errors, "address", &address, 300, true);
    let wijk = match &input.wijk {
        None => current.and_then(|s| s.wijk.clone()),
        Some(None) => None,
        Some(Some(text)) if text.trim().is_empty() => None,
        Some(Some(text)) => match places::find(text) {
            Some(slug) => Some(slug.to_owned()),
            None => {
                errors.add("wijk", "wijk-unknown");
                None
            }
        },
    };
    let online_url = match &input.online_url {
        None => current.and_then(|s| s.online_url.clone()),
        Some(None) => None,
        Some(Some(text)) if text.trim().is_empty() => None,
        Some(Some(text)) => match url::Url::parse(text.trim()) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && text.len() <= 500 => Some(u.to_string()),
            _ => {
                errors.add("online_url", "url-invalid");
                None
            }
        },
    };
    if place.is_empty() && online_url.is_none() {
        errors.add("place", "place-required");
    }
    errors.into_result()?;
    Ok(SessionValues {
        starts_at: starts.unwrap_or_default(),
        ends_at: ends.unwrap_or_default(),
        place,
        address,
        wijk,
        online_url,
    })
}

/// Add a session; it may lie in the past (a programme recorded after the fact).
pub fn add_session(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    course_id: CourseId,
    input: &SessionInput,
) -> AppResult<Changed<Session>> {
    actor.require(Role::Coordinator)?;
    conn.transaction(|conn| {
        let course: Course = courses::table.find(course_id).select(Course::as_select()).for_update().first(conn)?;
        if matches!(course.status, CourseStatus::Cancelled | CourseStatus::Archived) {
            return Err(AppError::Conflict("conflict-course-closed"));
        }
        let v = session_values(input, None)?;
        let session: Session = diesel::insert_into(course_sessions::table)
            .values((
                course_sessions::course_id.eq(course_id),
                course_sessions::starts_at.eq(v.starts_at),
                course_sessions::ends_at.eq(v.ends_at),
                course_sessions::place.eq(&v.place),
                course_sessions::address.eq(&v.address),
                course_sessions::wijk.eq(&v.wijk),
                course_sessions::online_url.eq(&v.online_url),
            ))
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

/// Change a session; when the time or place changes, enrolled people get the new details
/// (with an .ics that replaces the event in their calendar).
pub fn update_session(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    id: SessionId,
    input: &SessionInput,
) -> AppResult<Changed<Session>> {
    actor.require(Role::Coordinator)?;
    conn.transaction(|conn| {
        let current = session(conn, id)?;
        let course: Course =
            courses::table.find(current.course_id).select(Course::as_select()).for_update().first(conn)?;
        if current.is_cancelled() {
            return Err(AppError::Conflict("conflict-session-cancelled"));
        }
        let v = session_values(input, Some(&current))?;
        let moved = v.starts_at != current.starts_at
            || v.ends_at != current.ends_at
            || v.place != current.place
            || v.address != current.address
            || v.online_url != current.online_url;
        let updated: Session = diesel::update(course_sessions::table.find(id))
            .set((
                course_sessions::starts_at.eq(v.starts_at),
                course_sessions::ends_at.eq(v.ends_at),
                course_sessions::place.eq(&v.place),
                course_sessions::address.eq(&v.address),
                course_sessions::wijk.eq(&v.wijk),
                course_sessions::online_url.eq(&v.online_url),
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
        let course: Course =
            courses::table.find(current.course_id).select(Course::as_select()).for_update().first(conn)?;
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
