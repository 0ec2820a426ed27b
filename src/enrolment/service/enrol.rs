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
///
/// The hot path of the platform (issue 20): six statements in the transaction — lock the
/// course, read its sessions, count + insert + history in one statement, queue the email —
/// and the email goes to the address of the session that asks (no read of `users`).
pub fn enrol(conn: &mut PgConnection, site: &Site, actor: &CurrentUser, course_id: CourseId) -> AppResult<Enrolled> {
    let person = Recipient {
        email: actor.email.clone(),
        name: actor.name.clone(),
        user_id: Some(actor.id),
        locale: actor.locale,
    };
    conn.transaction(|conn| {
        let course = lock_course(conn, course_id)?;
        if !course.status.is_public() && !actor.has(Role::Coordinator) {
            return Err(AppError::NotFound);
        }
        let sessions = crate::catalogue::service::sessions_of(conn, course_id)?;
        let refusal = if actor.email_verified {
            closed_by_dates(&course, &sessions, Utc::now()).map(AppError::Conflict)
        } else {
            Some(AppError::Forbidden("error-unverified-detail"))
        };
        if let Some(refusal) = refusal {
            // whoever is in already gets their enrolment, whatever stops others now
            return match active_view(conn, course_id, actor.id)? {
                Some(enrolment) => Ok(Enrolled { enrolment, created: false }),
                None => Err(refusal),
            };
        }
        match place(conn, site, &course, &sessions, &person, Some(actor.id), false, false)? {
            Some(enrolment) => Ok(Enrolled { enrolment, created: true }),
            None => {
                let enrolment = active_view(conn, course_id, actor.id)?.ok_or(AppError::NotFound)?;
                Ok(Enrolled { enrolment, created: false })
            }
        }
    })
}

/// Someone's active enrolment in a course, as the API shows it.
fn active_view(conn: &mut PgConnection, course: CourseId, user: UserId) -> AppResult<Option<EnrolmentView>> {
    match active(course, user).select(Enrolment::as_select()).first(conn).optional()? {
        Some(existing) => Ok(Some(view(conn, &existing)?)),
        None => Ok(None),
    }
}

/// Enrol in the course a page shows, by its slug.
pub fn enrol_by_slug(conn: &mut PgConnection, site: &Site, actor: &CurrentUser, slug: &str) -> AppResult<Enrolled> {
    let id = crate::catalogue::service::visible_id_by_slug(conn, Some(actor), slug)?;
    enrol(conn, site, actor, id)
}

/// Give `person` a seat, or a place on the waiting list, in a course whose row is locked,
/// and queue the email that says which. A walk-in always gets a seat, and the history says
/// it was a walk-in. `None` when they have an active enrolment already; 409 when the
/// course is full and has no waiting list.
#[allow(clippy::too_many_arguments)]
fn place(
    conn: &mut PgConnection,
    site: &Site,
    course: &Course,
    sessions: &[Session],
    person: &Recipient,
    actor: Option<UserId>,
    over_capacity: bool,
    walk_in: bool,
) -> AppResult<Option<EnrolmentView>> {
    let user = person.user_id.ok_or_else(|| AppError::internal("an enrolment needs an account"))?;
    let placed: Placed = Placing {
        course: course.id,
        user,
        actor,
        now: Utc::now(),
        capacity: course.capacity,
        waitlist: course.waitlist_enabled,
        over_capacity: over_capacity || walk_in,
        walk_in,
    }
    .get_result(conn)?;
    if placed.mine {
        return Ok(None);
    }
    let (Some(id), Some(status), Some(queued_at), Some(over_capacity), Some(created_at), Some(event)) =
        (placed.id, placed.status, placed.queued_at, placed.over_capacity, placed.created_at, placed.event)
    else {
        return Err(AppError::Conflict("conflict-course-full"));
    };
    let enrolment = Enrolment {
        id,
        course_id: course.id,
        user_id: user,
        status,
        queued_at,
        enrolled_at: placed.enrolled_at,
        cancelled_at: None,
        over_capacity,
        created_by: actor,
        created_at,
    };
    let view = EnrolmentView::new(&enrolment, placed.position, None);
    let email = match placed.sequence {
        Some(sequence) => {
            let sequence = u32::try_from(sequence).unwrap_or(u32::MAX);
            confirmation(site, course, sessions, person, &format!("enrolled:{event}"), "mail-enrolled", sequence)
        }
        None => waitlisted_email(site, course, person, event, placed.position.unwrap_or(1)),
    };
    mail::enqueue(conn, &site.base, email)?;
    Ok(Some(view))
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
        let sessions = crate::catalogue::service::sessions_of(conn, course_id)?;
        let person = accounts::service::recipient_of(conn, user)?;
        let enrolment = place(conn, site, &course, &sessions, &person, Some(actor.id), who.override_capacity, false)?
            .ok_or_else(|| AppError::internal("an active enrolment appeared under the course lock"))?;
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
                let sessions = crate::catalogue::service::sessions_of(conn, course_id)?;
                let person = accounts::service::recipient_of(conn, user.id)?;
                place(conn, site, &course, &sessions, &person, Some(actor.id), false, true)?
                    .ok_or_else(|| AppError::internal("an active enrolment appeared under the course lock"))?
            }
        };
        Ok(WalkedIn { user_id: user.id, name: user.name, enrolment, was })
    })
}

/// Count the seats, insert the enrolment and its history row: one statement, run after the
/// course row is locked. It must be a statement of its own: a statement's snapshot is taken
/// when it starts, so counting in the locking statement would miss the enrolments committed
/// while it waited for the lock. The rules are those of `course_seats` and `place`: a seat
/// is free when enrolled + open offers < capacity; else the waiting list, if the course has
/// one; a walk-in or an override gets a seat beyond the capacity, recorded as such.
/// A static query (not `sql_query`), so diesel prepares it once per connection.
struct Placing {
    course: CourseId,
    user: UserId,
    actor: Option<UserId>,
    now: DateTime<Utc>,
    capacity: i32,
    waitlist: bool,
    over_capacity: bool,
    walk_in: bool,
}

/// `$1`…`$8` are bound in this order by `Placing::walk_ast` (the `input` line).
const PLACING: &str = "
seats AS (
    SELECT count(*) FILTER (WHERE e.status = 'enrolled') + count(o.id) < $5 AS free,
           coalesce(bool_or(e.user_id = $2), false) AS mine
    FROM enrolments e
    LEFT JOIN waitlist_offers o ON o.enrolment_id = e.id AND o.status = 'open'
    WHERE e.course_id = $1 AND e.status <> 'cancelled'
),
decided AS (
    SELECT free, mine,
           CASE WHEN free OR $7 THEN 'enrolled'::enrolment_status
                WHEN $6 THEN 'waitlisted'::enrolment_status END AS status
    FROM seats
),
placed AS (
    INSERT INTO enrolments (course_id, user_id, status, enrolled_at, over_capacity, created_by)
    SELECT $1, $2, d.status, CASE WHEN d.status = 'enrolled' THEN $4 END, d.status = 'enrolled' AND NOT d.free, $3
    FROM decided d
    WHERE NOT d.mine AND d.status IS NOT NULL
    RETURNING id, status, queued_at, enrolled_at, over_capacity, created_at
),
recorded AS (
    INSERT INTO enrolment_events (enrolment_id, action, actor_id, note)
    SELECT p.id,
           CASE WHEN p.status = 'waitlisted' THEN 'waitlisted'::enrolment_action
                WHEN $8 THEN 'walk_in'::enrolment_action
                ELSE 'enrolled'::enrolment_action END,
           $3,
           CASE WHEN p.over_capacity THEN 'over capacity' END
    FROM placed p
    RETURNING id
)
SELECT d.mine, p.id, p.status, p.queued_at, p.enrolled_at, p.over_capacity, p.created_at, r.id AS event,
       CASE WHEN p.status = 'waitlisted' THEN 1 + (
           SELECT count(*) FROM enrolments w
           WHERE w.course_id = $1 AND w.status = 'waitlisted' AND (w.queued_at, w.id) < (p.queued_at, p.id)
       ) END AS position,
       CASE WHEN p.status = 'enrolled' THEN nextval('calendar_sequence') END AS sequence
FROM decided d
LEFT JOIN placed p ON true
LEFT JOIN recorded r ON true";

impl diesel::query_builder::QueryId for Placing {
    type QueryId = Placing;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl diesel::query_builder::Query for Placing {
    type SqlType = diesel::sql_types::Untyped;
}

impl RunQueryDsl<PgConnection> for Placing {}

impl diesel::query_builder::QueryFragment<diesel::pg::Pg> for Placing {
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, diesel::pg::Pg>) -> QueryResult<()> {
        use diesel::sql_types::{BigInt, Bool, Integer, Nullable, Timestamptz};
        // the parameters once, in order, with their types; the statement names them by number
        out.push_sql("WITH input AS (SELECT ");
        out.push_bind_param::<BigInt, _>(&self.course)?;
        out.push_sql("::bigint, ");
        out.push_bind_param::<BigInt, _>(&self.user)?;
        out.push_sql("::bigint, ");
        out.push_bind_param::<Nullable<BigInt>, _>(&self.actor)?;
        out.push_sql("::bigint, ");
        out.push_bind_param::<Timestamptz, _>(&self.now)?;
        out.push_sql("::timestamptz, ");
        out.push_bind_param::<Integer, _>(&self.capacity)?;
        out.push_sql("::int, ");
        out.push_bind_param::<Bool, _>(&self.waitlist)?;
        out.push_sql("::bool, ");
        out.push_bind_param::<Bool, _>(&self.over_capacity)?;
        out.push_sql("::bool, ");
        out.push_bind_param::<Bool, _>(&self.walk_in)?;
        out.push_sql("::bool),");
        out.push_sql(PLACING);
        Ok(())
    }
}

/// What `Placing` found and did: `mine` when the person has an active enrolment already;
/// the new enrolment (all `None` when the course is full without a waiting list).
#[derive(QueryableByName)]
struct Placed {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    mine: bool,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    id: Option<EnrolmentId>,
    #[diesel(sql_type = diesel::sql_types::Nullable<crate::db::schema::sql_types::EnrolmentStatus>)]
    status: Option<EnrolmentStatus>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>)]
    queued_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>)]
    enrolled_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Bool>)]
    over_capacity: Option<bool>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>)]
    created_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    event: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    position: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    sequence: Option<i64>,
}
