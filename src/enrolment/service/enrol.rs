//! Enrolling.

use super::*;

/// The answer to an enrolment request; `created` is false when it already existed.
#[derive(Debug, Clone)]
pub struct Enrolled {
    pub enrolment: EnrolmentView,
    pub created: bool,
}

/// A verified participant enrols: a seat when one is free, else the waiting list.
/// Enrolling again answers the existing enrolment.
pub fn enrol(conn: &mut PgConnection, site: &Site, actor: &CurrentUser, course_id: CourseId) -> AppResult<Enrolled> {
    conn.transaction(|conn| {
        let course = lock_course(conn, course_id)?;
        if !course.status.is_public() && !actor.has(Role::Coordinator) {
            return Err(AppError::NotFound);
        }
        if let Some(existing) = active(course_id, actor.id).select(Enrolment::as_select()).first(conn).optional()? {
            return Ok(Enrolled { enrolment: view(conn, &existing)?, created: false });
        }
        if !actor.email_verified {
            return Err(AppError::Forbidden("error-unverified-detail"));
        }
        let detail = crate::catalogue::service::detail(conn, course_id)?;
        if let Some(reason) = closed_reason(&detail, Utc::now()) {
            return Err(AppError::Conflict(reason));
        }
        let enrolment = place(conn, site, &detail, actor.id, Some(actor.id), false, false)?;
        Ok(Enrolled { enrolment, created: true })
    })
}

/// Enrol in the course a page shows, by its slug.
pub fn enrol_by_slug(conn: &mut PgConnection, site: &Site, actor: &CurrentUser, slug: &str) -> AppResult<Enrolled> {
    let id = crate::catalogue::service::visible_id_by_slug(conn, Some(actor), slug)?;
    enrol(conn, site, actor, id)
}

/// Give `user` a seat, or a place on the waiting list, in a course whose row is locked.
/// A walk-in always gets a seat, and the history says it was a walk-in.
fn place(
    conn: &mut PgConnection,
    site: &Site,
    detail: &CourseDetail,
    user: UserId,
    actor: Option<UserId>,
    over_capacity: bool,
    walk_in: bool,
) -> AppResult<EnrolmentView> {
    let over_capacity = over_capacity || walk_in;
    let course = &detail.course;
    // the detail was read under the course lock, so its seat count is current; a seat held
    // by an open offer is not free
    let free = detail.seats_left() > 0;
    let status = if free || over_capacity {
        EnrolmentStatus::Enrolled
    } else if course.waitlist_enabled {
        EnrolmentStatus::Waitlisted
    } else {
        return Err(AppError::Conflict("conflict-course-full"));
    };
    let now = Utc::now();
    let enrolment: Enrolment = diesel::insert_into(enrolments::table)
        .values((
            enrolments::course_id.eq(course.id),
            enrolments::user_id.eq(user),
            enrolments::status.eq(status),
            enrolments::enrolled_at.eq((status == EnrolmentStatus::Enrolled).then_some(now)),
            enrolments::over_capacity.eq(over_capacity && !free),
            enrolments::created_by.eq(actor),
        ))
        .returning(Enrolment::as_returning())
        .get_result(conn)?;
    let enrolled = if walk_in { EnrolmentAction::WalkIn } else { EnrolmentAction::Enrolled };
    let (action, note) = match status {
        EnrolmentStatus::Enrolled if over_capacity && !free => (enrolled, Some("over capacity")),
        EnrolmentStatus::Enrolled => (enrolled, None),
        _ => (EnrolmentAction::Waitlisted, None),
    };
    let event = record(conn, enrolment.id, action, actor, note)?;
    let view = view(conn, &enrolment)?;
    let person = accounts::service::recipient_of(conn, user)?;
    let email = match status {
        EnrolmentStatus::Enrolled => {
            let sequence = mail::next_calendar_sequence(conn)?;
            confirmation(site, detail, &person, &format!("enrolled:{event}"), "mail-enrolled", sequence)
        }
        _ => waitlisted_email(site, detail, &person, event, view.waitlist_position.unwrap_or(1)),
    };
    mail::enqueue(conn, &site.base, email)?;
    Ok(view)
}

/// Who to enrol on someone's behalf: an existing account, or a new person.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct OnBehalf {
    pub user_id: Option<UserId>,
    pub email: Option<String>,
    pub name: Option<String>,
    /// Give a seat even when the course is full; the override is recorded.
    #[serde(default)]
    pub override_capacity: bool,
}

/// A coordinator enrols someone: an existing user, or a new person (an account is made
/// and an invitation to set a password is sent). The enrolment window does not apply;
/// the capacity does, unless `override_capacity` is set.
pub fn enrol_on_behalf(
    conn: &mut PgConnection,
    site: &Site,
    actor: &CurrentUser,
    course_id: CourseId,
    who: &OnBehalf,
) -> AppResult<Enrolled> {
    actor.require(Role::Coordinator)?;
    conn.transaction(|conn| {
        let course = lock_course(conn, course_id)?;
        let user = match (who.user_id, who.email.as_deref().map(str::trim).filter(|e| !e.is_empty())) {
            (Some(id), _) => match accounts::service::get(conn, id) {
                Ok(u) if u.anonymised_at.is_none() => u.id,
                Ok(_) | Err(AppError::NotFound) => return Err(AppError::validation("user_id", "user-unknown")),
                Err(e) => return Err(e),
            },
            (None, Some(email)) => {
                let name = who.name.clone().unwrap_or_default();
                let user = accounts::service::find_or_invite(conn, &site.base, actor, email, &name)?;
                if user.anonymised_at.is_some() {
                    return Err(AppError::validation("email", "email-taken"));
                }
                user.id
            }
            (None, None) => return Err(AppError::validation("user_id", "required")),
        };
        if let Some(existing) = active(course_id, user).select(Enrolment::as_select()).first(conn).optional()? {
            return Ok(Enrolled { enrolment: view(conn, &existing)?, created: false });
        }
        if matches!(course.status, CourseStatus::Cancelled | CourseStatus::Archived) {
            return Err(AppError::Conflict("conflict-course-not-open"));
        }
        let detail = crate::catalogue::service::detail(conn, course_id)?;
        let enrolment = place(conn, site, &detail, user, Some(actor.id), who.override_capacity, false)?;
        Ok(Enrolled { enrolment, created: true })
    })
}

/// Who walked in: an existing account (`user_id`), or a new person (`email` and `name`),
/// who gets an account and an invitation. An address that has an account is that person.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct WalkIn {
    pub user_id: Option<UserId>,
    pub email: Option<String>,
    pub name: Option<String>,
}

/// The person who walked in, with their enrolment as it now is.
#[derive(Debug, Clone)]
pub struct WalkedIn {
    pub user_id: UserId,
    pub name: String,
    pub enrolment: EnrolmentView,
    /// Their enrolment before: `None` when they had none (or a cancelled one).
    pub was: Option<EnrolmentStatus>,
}

/// Someone came to a session without enrolling (attendance has checked that the actor
/// trains the course or coordinates): they get a seat, over the capacity if need be and
/// never the waiting list; someone waiting is promoted; someone enrolled stays as they
/// are. Recorded as `walk_in` in the history; the usual emails are sent. Runs in the
/// caller's transaction, under the course lock.
pub fn enrol_walk_in(
    conn: &mut PgConnection,
    site: &Site,
    actor: &CurrentUser,
    course_id: CourseId,
    who: &WalkIn,
) -> AppResult<WalkedIn> {
    conn.transaction(|conn| {
        let course = lock_course(conn, course_id)?;
        let user = match (who.user_id, who.email.as_deref().map(str::trim).filter(|e| !e.is_empty())) {
            (Some(id), _) => match accounts::service::get(conn, id) {
                Ok(u) if u.anonymised_at.is_none() => u,
                Ok(_) | Err(AppError::NotFound) => return Err(AppError::validation("user_id", "user-unknown")),
                Err(e) => return Err(e),
            },
            (None, Some(email)) => {
                let name = who.name.clone().unwrap_or_default();
                let user = accounts::service::find_or_invite_walk_in(conn, &site.base, actor, email, &name)?;
                if user.anonymised_at.is_some() {
                    return Err(AppError::validation("email", "email-taken"));
                }
                user
            }
            (None, None) => return Err(AppError::validation("user_id", "required")),
        };
        if matches!(course.status, CourseStatus::Cancelled | CourseStatus::Archived) {
            return Err(AppError::Conflict("conflict-course-not-open"));
        }
        let existing = active(course_id, user.id).select(Enrolment::as_select()).first(conn).optional()?;
        let was = existing.as_ref().map(|e| e.status);
        let enrolment = match existing {
            Some(e) if e.status == EnrolmentStatus::Enrolled => view(conn, &e)?,
            Some(waiting) => {
                let detail = crate::catalogue::service::detail(conn, course_id)?;
                // seats held by offers are taken, except the one held for this person
                let own_offer = i64::try_from(open_offers(conn, &[waiting.id])?.len()).unwrap_or(0);
                let full = detail.seats.enrolled + detail.seats.offered - own_offer >= i64::from(course.capacity);
                promote_one(conn, site, &detail, &waiting, Some(actor.id), full, true)?
            }
            None => {
                let detail = crate::catalogue::service::detail(conn, course_id)?;
                place(conn, site, &detail, user.id, Some(actor.id), false, true)?
            }
        };
        Ok(WalkedIn { user_id: user.id, name: user.name, enrolment, was })
    })
}
