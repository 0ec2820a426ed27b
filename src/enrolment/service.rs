//! The rules of enrolment. Every change to the seats of a course runs in one transaction
//! that first locks the course row (`SELECT … FOR UPDATE`): seats are counted under that
//! lock, so there are never more people enrolled than the capacity, whatever the
//! concurrency; the waiting list moves in the same transaction; and the emails that tell
//! people what happened are queued in it too.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{CurrentUser, Role};

use crate::accounts::model::{ParticipantKind, User};

use crate::catalogue::model::{Course, CourseDetail, CourseStatus, Seats, Session};
use crate::config::Site;
use crate::db::schema::{courses, enrolment_events, enrolments, users};
use crate::enrolment::model::{Enrolment, EnrolmentAction, EnrolmentEvent, EnrolmentStatus, EnrolmentView};
use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use crate::ids::{CourseId, EnrolmentId, UserId};
use crate::mail::ics::{self, Method};
use crate::mail::{self, Email, Recipient};
use crate::paging::Paging;

fn active(course: CourseId, user: UserId) -> enrolments::BoxedQuery<'static, diesel::pg::Pg> {
    enrolments::table
        .filter(enrolments::course_id.eq(course))
        .filter(enrolments::user_id.eq(user))
        .filter(enrolments::status.ne(EnrolmentStatus::Cancelled))
        .into_boxed()
}

/// Lock the course row: everything that changes its seats waits here, one at a time.
fn lock_course(conn: &mut PgConnection, id: CourseId) -> AppResult<Course> {
    Ok(courses::table.find(id).select(Course::as_select()).for_update().first(conn)?)
}

pub fn seats(conn: &mut PgConnection, course: CourseId) -> AppResult<Seats> {
    let rows: Vec<(EnrolmentStatus, i64)> = enrolments::table
        .filter(enrolments::course_id.eq(course))
        .filter(enrolments::status.ne(EnrolmentStatus::Cancelled))
        .group_by(enrolments::status)
        .select((enrolments::status, diesel::dsl::count_star()))
        .load(conn)?;
    let count = |status| rows.iter().find(|(s, _)| *s == status).map_or(0, |(_, n)| *n);
    Ok(Seats { enrolled: count(EnrolmentStatus::Enrolled), waitlisted: count(EnrolmentStatus::Waitlisted) })
}

/// 1 for the first in line: the waiting list is first come, first served.
pub fn waitlist_position(conn: &mut PgConnection, e: &Enrolment) -> AppResult<Option<i64>> {
    if e.status != EnrolmentStatus::Waitlisted {
        return Ok(None);
    }
    let ahead: i64 = enrolments::table
        .filter(enrolments::course_id.eq(e.course_id))
        .filter(enrolments::status.eq(EnrolmentStatus::Waitlisted))
        .filter(
            enrolments::queued_at
                .lt(e.queued_at)
                .or(enrolments::queued_at.eq(e.queued_at).and(enrolments::id.lt(e.id))),
        )
        .count()
        .get_result(conn)?;
    Ok(Some(ahead + 1))
}

fn view(conn: &mut PgConnection, e: &Enrolment) -> AppResult<EnrolmentView> {
    let position = waitlist_position(conn, e)?;
    Ok(EnrolmentView::new(e, position))
}

fn record(
    conn: &mut PgConnection,
    enrolment: EnrolmentId,
    action: EnrolmentAction,
    actor: Option<UserId>,
    note: Option<&str>,
) -> AppResult<i64> {
    Ok(diesel::insert_into(enrolment_events::table)
        .values((
            enrolment_events::enrolment_id.eq(enrolment),
            enrolment_events::action.eq(action),
            enrolment_events::actor_id.eq(actor),
            enrolment_events::note.eq(note),
        ))
        .returning(enrolment_events::id)
        .get_result(conn)?)
}

/// Whether someone may still cancel their own seat: until the deadline before the first session.
pub fn cancellation_deadline(detail: &CourseDetail) -> Option<DateTime<Utc>> {
    detail.first_session().map(|s| s.starts_at - Duration::hours(detail.course.cancellation_deadline_hours.into()))
}

/// Why enrolling is not possible right now, if it is not; `None` when it is.
pub fn closed_reason(detail: &CourseDetail, now: DateTime<Utc>) -> Option<&'static str> {
    let c = &detail.course;
    if c.status != CourseStatus::Published {
        return Some("conflict-course-not-open");
    }
    if c.enrolment_opens_at.is_some_and(|opens| now < opens) {
        return Some("conflict-enrolment-not-yet-open");
    }
    if c.enrolment_closes_at.is_some_and(|closes| now >= closes) {
        return Some("conflict-enrolment-closed");
    }
    if !detail.sessions.iter().any(|s| !s.is_cancelled() && s.ends_at > now) {
        return Some("conflict-course-over");
    }
    if detail.seats_left() == 0 && !c.waitlist_enabled {
        return Some("conflict-course-full");
    }
    None
}

// ---------------------------------------------------------------------------------------
// enrolling

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
        let enrolment = place(conn, site, &detail, actor.id, Some(actor.id), false)?;
        Ok(Enrolled { enrolment, created: true })
    })
}

/// Give `user` a seat, or a place on the waiting list, in a course whose row is locked.
fn place(
    conn: &mut PgConnection,
    site: &Site,
    detail: &CourseDetail,
    user: UserId,
    actor: Option<UserId>,
    over_capacity: bool,
) -> AppResult<EnrolmentView> {
    let course = &detail.course;
    // the detail was read under the course lock, so its seat count is current
    let free = detail.seats.enrolled < i64::from(course.capacity);
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
    let (action, note) = match status {
        EnrolmentStatus::Enrolled if over_capacity && !free => (EnrolmentAction::Enrolled, Some("over capacity")),
        EnrolmentStatus::Enrolled => (EnrolmentAction::Enrolled, None),
        _ => (EnrolmentAction::Waitlisted, None),
    };
    let event = record(conn, enrolment.id, action, actor, note)?;
    let view = view(conn, &enrolment)?;
    let person = recipient(conn, user)?;
    let email = match status {
        EnrolmentStatus::Enrolled => confirmation(site, detail, &person, &format!("enrolled:{event}"), "mail-enrolled"),
        _ => waitlisted_email(site, detail, &person, event, view.waitlist_position.unwrap_or(1)),
    };
    mail::enqueue(conn, &site.base, email)?;
    Ok(view)
}

fn recipient(conn: &mut PgConnection, user: UserId) -> AppResult<Recipient> {
    let u: User = users::table.find(user).select(User::as_select()).first(conn)?;
    Ok(Recipient { email: u.email.clone(), name: u.name.clone(), user_id: Some(u.id), locale: u.locale() })
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
            (Some(id), _) => {
                let u: Option<User> = users::table.find(id).select(User::as_select()).first(conn).optional()?;
                match u {
                    Some(u) if u.anonymised_at.is_none() => u.id,
                    _ => return Err(AppError::validation("user_id", "user-unknown")),
                }
            }
            (None, Some(email)) => match crate::accounts::service::find_by_email(conn, email)? {
                Some(u) if u.anonymised_at.is_none() => u.id,
                Some(_) => return Err(AppError::validation("email", "email-taken")),
                None => {
                    let name = who.name.clone().unwrap_or_default();
                    crate::accounts::service::invite(conn, &site.base, actor, email, &name, Role::Participant)?.id
                }
            },
            (None, None) => return Err(AppError::validation("user_id", "required")),
        };
        if let Some(existing) = active(course_id, user).select(Enrolment::as_select()).first(conn).optional()? {
            return Ok(Enrolled { enrolment: view(conn, &existing)?, created: false });
        }
        if matches!(course.status, CourseStatus::Cancelled | CourseStatus::Archived) {
            return Err(AppError::Conflict("conflict-course-not-open"));
        }
        let detail = crate::catalogue::service::detail(conn, course_id)?;
        let enrolment = place(conn, site, &detail, user, Some(actor.id), who.override_capacity)?;
        Ok(Enrolled { enrolment, created: true })
    })
}

// ---------------------------------------------------------------------------------------
// cancelling and the waiting list

/// A participant cancels their own enrolment in a course: a seat until the deadline, a
/// place on the waiting list at any time. A freed seat goes to the first in line.
pub fn cancel_own(
    conn: &mut PgConnection,
    site: &Site,
    actor: &CurrentUser,
    course_id: CourseId,
) -> AppResult<EnrolmentView> {
    conn.transaction(|conn| {
        lock_course(conn, course_id)?;
        let enrolment = active(course_id, actor.id)
            .select(Enrolment::as_select())
            .first(conn)
            .optional()?
            .ok_or(AppError::NotFound)?;
        let detail = crate::catalogue::service::detail(conn, course_id)?;
        if enrolment.status == EnrolmentStatus::Enrolled
            && cancellation_deadline(&detail).is_some_and(|deadline| Utc::now() >= deadline)
        {
            return Err(AppError::Conflict("conflict-deadline-passed"));
        }
        cancel(conn, site, &detail, enrolment, Some(actor.id))
    })
}

/// A coordinator cancels anyone's enrolment, at any time.
pub fn cancel_by_coordinator(
    conn: &mut PgConnection,
    site: &Site,
    actor: &CurrentUser,
    id: EnrolmentId,
) -> AppResult<EnrolmentView> {
    actor.require(Role::Coordinator)?;
    conn.transaction(|conn| {
        let course_id: CourseId = enrolments::table.find(id).select(enrolments::course_id).first(conn)?;
        lock_course(conn, course_id)?;
        let enrolment: Enrolment = enrolments::table.find(id).select(Enrolment::as_select()).first(conn)?;
        if enrolment.status == EnrolmentStatus::Cancelled {
            return view(conn, &enrolment);
        }
        let detail = crate::catalogue::service::detail(conn, course_id)?;
        cancel(conn, site, &detail, enrolment, Some(actor.id))
    })
}

/// Cancel an active enrolment of a locked course, tell the person, move the list.
fn cancel(
    conn: &mut PgConnection,
    site: &Site,
    detail: &CourseDetail,
    enrolment: Enrolment,
    actor: Option<UserId>,
) -> AppResult<EnrolmentView> {
    let was_enrolled = enrolment.status == EnrolmentStatus::Enrolled;
    let cancelled: Enrolment = diesel::update(enrolments::table.find(enrolment.id))
        .set((
            enrolments::status.eq(EnrolmentStatus::Cancelled),
            enrolments::cancelled_at.eq(Utc::now()),
            enrolments::updated_at.eq(Utc::now()),
        ))
        .returning(Enrolment::as_returning())
        .get_result(conn)?;
    let action = if was_enrolled { EnrolmentAction::Cancelled } else { EnrolmentAction::LeftWaitlist };
    let event = record(conn, enrolment.id, action, actor, None)?;
    let person = recipient(conn, enrolment.user_id)?;
    let email = if was_enrolled {
        cancellation_email(
            site,
            detail,
            &person,
            &format!("cancelled:{event}"),
            "mail-cancelled",
            &detail.sessions.iter().collect::<Vec<_>>(),
        )
    } else {
        left_waitlist_email(site, detail, &person, event)
    };
    mail::enqueue(conn, &site.base, email)?;
    if was_enrolled {
        fill_free_seats(conn, site, detail.course.id, actor)?;
    }
    view(conn, &cancelled)
}

/// Give free seats to the people waiting longest, as many as fit, and tell them. The
/// caller holds the course row lock (or this takes it, in the caller's transaction).
pub fn fill_free_seats(
    conn: &mut PgConnection,
    site: &Site,
    course_id: CourseId,
    actor: Option<UserId>,
) -> AppResult<usize> {
    let course = lock_course(conn, course_id)?;
    if course.status != CourseStatus::Published {
        return Ok(0);
    }
    let free = i64::from(course.capacity) - seats(conn, course_id)?.enrolled;
    if free <= 0 {
        return Ok(0);
    }
    let next: Vec<Enrolment> = enrolments::table
        .filter(enrolments::course_id.eq(course_id))
        .filter(enrolments::status.eq(EnrolmentStatus::Waitlisted))
        .order((enrolments::queued_at, enrolments::id))
        .limit(free)
        .select(Enrolment::as_select())
        .load(conn)?;
    if next.is_empty() {
        return Ok(0);
    }
    let detail = crate::catalogue::service::detail(conn, course_id)?;
    for waiting in &next {
        promote_one(conn, site, &detail, waiting, actor, false)?;
    }
    Ok(next.len())
}

fn promote_one(
    conn: &mut PgConnection,
    site: &Site,
    detail: &CourseDetail,
    waiting: &Enrolment,
    actor: Option<UserId>,
    over_capacity: bool,
) -> AppResult<EnrolmentView> {
    let promoted: Enrolment = diesel::update(enrolments::table.find(waiting.id))
        .set((
            enrolments::status.eq(EnrolmentStatus::Enrolled),
            enrolments::enrolled_at.eq(Utc::now()),
            enrolments::over_capacity.eq(over_capacity),
            enrolments::updated_at.eq(Utc::now()),
        ))
        .returning(Enrolment::as_returning())
        .get_result(conn)?;
    let event = record(conn, waiting.id, EnrolmentAction::Promoted, actor, over_capacity.then_some("over capacity"))?;
    let person = recipient(conn, waiting.user_id)?;
    mail::enqueue(
        conn,
        &site.base,
        confirmation(site, detail, &person, &format!("promoted:{event}"), "mail-promoted"),
    )?;
    view(conn, &promoted)
}

/// A coordinator gives a seat to someone on the waiting list: when a seat is free, or
/// beyond the capacity with an explicit, recorded override. The order of the list itself
/// never changes by hand.
pub fn promote(
    conn: &mut PgConnection,
    site: &Site,
    actor: &CurrentUser,
    id: EnrolmentId,
    override_capacity: bool,
) -> AppResult<EnrolmentView> {
    actor.require(Role::Coordinator)?;
    conn.transaction(|conn| {
        let course_id: CourseId = enrolments::table.find(id).select(enrolments::course_id).first(conn)?;
        let course = lock_course(conn, course_id)?;
        let waiting: Enrolment = enrolments::table.find(id).select(Enrolment::as_select()).first(conn)?;
        if waiting.status != EnrolmentStatus::Waitlisted {
            return Err(AppError::Conflict("conflict-not-waiting"));
        }
        let full = seats(conn, course_id)?.enrolled >= i64::from(course.capacity);
        if full && !override_capacity {
            return Err(AppError::Conflict("conflict-course-full-override"));
        }
        let detail = crate::catalogue::service::detail(conn, course_id)?;
        promote_one(conn, site, &detail, &waiting, Some(actor.id), full)
    })
}

/// Someone leaves the platform: their seats and places in courses still to come are
/// given up (so the waiting lists move); what lies in the past stays, for the counts.
pub fn withdraw_everywhere(conn: &mut PgConnection, site: &Site, user: UserId, actor: Option<UserId>) -> AppResult<()> {
    // courses are locked in id order, like everywhere, so two of these never deadlock
    let mine: Vec<Enrolment> = enrolments::table
        .filter(enrolments::user_id.eq(user))
        .filter(enrolments::status.ne(EnrolmentStatus::Cancelled))
        .order(enrolments::course_id)
        .select(Enrolment::as_select())
        .load(conn)?;
    for enrolment in mine {
        let course = lock_course(conn, enrolment.course_id)?;
        let detail = crate::catalogue::service::detail(conn, course.id)?;
        let still_to_come = detail.sessions.iter().any(|s| !s.is_cancelled() && s.starts_at > Utc::now());
        if !still_to_come && enrolment.status == EnrolmentStatus::Enrolled {
            continue;
        }
        let was_enrolled = enrolment.status == EnrolmentStatus::Enrolled;
        diesel::update(enrolments::table.find(enrolment.id))
            .set((enrolments::status.eq(EnrolmentStatus::Cancelled), enrolments::cancelled_at.eq(Utc::now())))
            .execute(conn)?;
        let action = if was_enrolled { EnrolmentAction::Cancelled } else { EnrolmentAction::LeftWaitlist };
        record(conn, enrolment.id, action, actor, Some("account deleted"))?;
        if was_enrolled {
            fill_free_seats(conn, site, course.id, actor)?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// what the catalogue tells enrolled people

/// The course is cancelled: every active enrolment ends and everyone hears it.
pub fn course_cancelled(conn: &mut PgConnection, site: &Site, detail: &CourseDetail, actor: UserId) -> AppResult<()> {
    let cancelled: Vec<Enrolment> = diesel::update(
        enrolments::table
            .filter(enrolments::course_id.eq(detail.course.id))
            .filter(enrolments::status.ne(EnrolmentStatus::Cancelled)),
    )
    .set((enrolments::status.eq(EnrolmentStatus::Cancelled), enrolments::cancelled_at.eq(Utc::now())))
    .returning(Enrolment::as_returning())
    .get_results(conn)?;
    let rows: Vec<_> = cancelled
        .iter()
        .map(|e| {
            (
                enrolment_events::enrolment_id.eq(e.id),
                enrolment_events::action.eq(EnrolmentAction::Cancelled),
                enrolment_events::actor_id.eq(Some(actor)),
                enrolment_events::note.eq(Some("course cancelled")),
            )
        })
        .collect();
    let events: Vec<(i64, EnrolmentId)> = diesel::insert_into(enrolment_events::table)
        .values(&rows)
        .returning((enrolment_events::id, enrolment_events::enrolment_id))
        .get_results(conn)?;
    let people = recipients(conn, &cancelled.iter().map(|e| e.user_id).collect::<Vec<_>>())?;
    let sessions: Vec<&Session> = detail.sessions.iter().collect();
    for (event, enrolment) in events {
        let Some(user) = cancelled.iter().find(|e| e.id == enrolment).map(|e| e.user_id) else { continue };
        let Some(person) = people.iter().find(|p| p.user_id == Some(user)) else { continue };
        let key = format!("course-cancelled:{event}");
        let email = cancellation_email(site, detail, person, &key, "mail-course-cancelled", &sessions);
        mail::enqueue(conn, &site.base, email)?;
    }
    Ok(())
}

/// The people behind some accounts, as email recipients, in one query; anonymised accounts
/// (whose address is gone) are left out.
fn recipients(conn: &mut PgConnection, ids: &[UserId]) -> AppResult<Vec<Recipient>> {
    let found: Vec<User> = users::table
        .filter(users::id.eq_any(ids))
        .filter(users::anonymised_at.is_null())
        .select(User::as_select())
        .load(conn)?;
    Ok(found
        .iter()
        .map(|u| Recipient { email: u.email.clone(), name: u.name.clone(), user_id: Some(u.id), locale: u.locale() })
        .collect())
}

/// Everyone with one of `statuses` in a course, as email recipients (two queries).
fn active_people(conn: &mut PgConnection, course: CourseId, statuses: &[EnrolmentStatus]) -> AppResult<Vec<Recipient>> {
    let ids: Vec<UserId> = enrolments::table
        .filter(enrolments::course_id.eq(course))
        .filter(enrolments::status.eq_any(statuses.to_vec()))
        .select(enrolments::user_id)
        .load(conn)?;
    recipients(conn, &ids)
}

/// A session is cancelled: everyone enrolled or waiting hears it, with an .ics CANCEL.
pub fn session_cancelled(
    conn: &mut PgConnection,
    site: &Site,
    detail: &CourseDetail,
    session: &Session,
) -> AppResult<()> {
    for person in active_people(conn, detail.course.id, &[EnrolmentStatus::Enrolled, EnrolmentStatus::Waitlisted])? {
        let key = format!("session-cancelled:{}:{}", session.id, person.user_id.map_or(0, |u| u.0));
        let email = cancellation_email(site, detail, &person, &key, "mail-session-cancelled", &[session]);
        mail::enqueue(conn, &site.base, email)?;
    }
    Ok(())
}

/// A session was added or moved: enrolled people get the new details and an .ics that
/// updates their calendar.
pub fn session_changed(
    conn: &mut PgConnection,
    site: &Site,
    detail: &CourseDetail,
    session: &Session,
) -> AppResult<()> {
    for person in active_people(conn, detail.course.id, &[EnrolmentStatus::Enrolled])? {
        let user = person.user_id.map_or(0, |u| u.0);
        let t = person.locale;
        let key = format!("session-changed:{}:{}:{}", session.id, session.sequence, user);
        let events = crate::catalogue::service::ics_events(site, &[session], &detail.course.title, &detail.course.slug);
        let email = Email::new(
            person.clone(),
            key,
            t.t_args("mail-session-changed-subject", [("course", detail.course.title.as_str().into())]),
        )
        .paragraph(t.t_args("mail-session-changed-intro", [("course", detail.course.title.as_str().into())]))
        .detail(t.t("mail-label-when"), t.time_range(session.starts_at, session.ends_at))
        .detail(t.t("mail-label-where"), session.location())
        .action(t.t("mail-my-courses"), format!("{}/mijn-cursussen", site.base))
        .attach(ics::attachment_for(
            Method::Request,
            &detail.course.title,
            &site.mail_from,
            Some(attendee(&person)),
            &events,
        ));
        mail::enqueue(conn, &site.base, email)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// emails

fn session_details(t: Locale, mut email: Email, sessions: &[&Session]) -> Email {
    let scheduled: Vec<&&Session> = sessions.iter().filter(|s| !s.is_cancelled()).collect();
    for (n, s) in scheduled.iter().enumerate() {
        let label = if scheduled.len() == 1 {
            t.t("mail-label-when")
        } else {
            t.t_args("mail-label-session", [("number", (n + 1).into())])
        };
        email = email.detail(label, format!("{} · {}", t.time_range(s.starts_at, s.ends_at), s.location()));
    }
    email
}

/// "Je bent ingeschreven" (or "er is een plek voor je vrijgekomen") with every session
/// in an .ics invitation.
fn confirmation(site: &Site, detail: &CourseDetail, person: &Recipient, key: &str, kind: &str) -> Email {
    let t = person.locale;
    let course = &detail.course;
    let title = course.title.as_str();
    let sessions: Vec<&Session> = detail.sessions.iter().filter(|s| !s.is_cancelled()).collect();
    let events = crate::catalogue::service::ics_events(site, &sessions, title, &course.slug);
    let mut email = Email::new(person.clone(), key, t.t_args(&format!("{kind}-subject"), [("course", title.into())]))
        .paragraph(t.t_args(&format!("{kind}-intro"), [("course", title.into())]));
    email = session_details(t, email, &sessions);
    email = email.action(t.t("mail-my-courses"), format!("{}/mijn-cursussen", site.base));
    if let Some(deadline) = cancellation_deadline(detail).filter(|d| *d > Utc::now()) {
        email = email.closing(t.t_args("mail-cancel-until", [("deadline", t.datetime(deadline).into())]));
    }
    email.closing(t.t("mail-calendar-attached")).attach(ics::attachment_for(
        Method::Request,
        title,
        &site.mail_from,
        Some(attendee(person)),
        &events,
    ))
}

fn attendee(person: &Recipient) -> ics::Attendee<'_> {
    ics::Attendee { email: &person.email, name: &person.name }
}

fn waitlisted_email(site: &Site, detail: &CourseDetail, person: &Recipient, event: i64, position: i64) -> Email {
    let t = person.locale;
    let title = detail.course.title.as_str();
    Email::new(
        person.clone(),
        format!("waitlisted:{event}"),
        t.t_args("mail-waitlisted-subject", [("course", title.into())]),
    )
    .paragraph(t.t_args("mail-waitlisted-intro", [("course", title.into()), ("position", position.into())]))
    .paragraph(t.t("mail-waitlisted-next"))
    .action(t.t("mail-my-courses"), format!("{}/mijn-cursussen", site.base))
}

fn left_waitlist_email(site: &Site, detail: &CourseDetail, person: &Recipient, event: i64) -> Email {
    let t = person.locale;
    let title = detail.course.title.as_str();
    Email::new(
        person.clone(),
        format!("left-waitlist:{event}"),
        t.t_args("mail-left-waitlist-subject", [("course", title.into())]),
    )
    .paragraph(t.t_args("mail-left-waitlist-intro", [("course", title.into())]))
    .action(t.t("mail-see-courses"), format!("{}/cursussen", site.base))
}

/// A cancellation with an .ics CANCEL for `sessions`.
fn cancellation_email(
    site: &Site,
    detail: &CourseDetail,
    person: &Recipient,
    key: &str,
    kind: &str,
    sessions: &[&Session],
) -> Email {
    let t = person.locale;
    let title = detail.course.title.as_str();
    let mut events = crate::catalogue::service::ics_events(site, sessions, title, &detail.course.slug);
    for e in &mut events {
        e.sequence += 1;
        e.cancelled = true;
    }
    let date = sessions.first().map(|s| t.time_range(s.starts_at, s.ends_at)).unwrap_or_default();
    let mut email = Email::new(
        person.clone(),
        key,
        t.t_args(&format!("{kind}-subject"), [("course", title.into()), ("date", date.clone().into())]),
    )
    .paragraph(t.t_args(&format!("{kind}-intro"), [("course", title.into()), ("date", date.into())]));
    if kind == "mail-session-cancelled"
        && let Some(s) = sessions.first()
    {
        email = email.detail(t.t("mail-label-where"), s.location());
    }
    email
        .action(t.t("mail-see-courses"), format!("{}/cursussen", site.base))
        .closing(t.t("mail-calendar-cancel-attached"))
        .attach(ics::attachment_for(Method::Cancel, title, &site.mail_from, Some(attendee(person)), &events))
}

// ---------------------------------------------------------------------------------------
// reading

/// One of my enrolments, with its course, for "Mijn cursussen".
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyEnrolment {
    #[serde(flatten)]
    pub enrolment: EnrolmentView,
    pub course: MyCourse,
    /// When I can no longer cancel myself; `null` when there is no deadline.
    pub cancel_until: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyCourse {
    pub id: CourseId,
    pub slug: String,
    pub title: String,
    pub status: CourseStatus,
    pub sessions: Vec<crate::catalogue::model::SessionView>,
}

impl MyEnrolment {
    /// Every session has ended (or the course will not take place).
    pub fn is_past(&self) -> bool {
        let now = Utc::now();
        self.course.status != CourseStatus::Published
            || !self
                .course
                .sessions
                .iter()
                .any(|s| s.status == crate::catalogue::model::SessionStatus::Scheduled && s.ends_at > now)
    }

    pub fn may_cancel(&self) -> bool {
        match self.enrolment.status {
            EnrolmentStatus::Waitlisted => !self.is_past(),
            EnrolmentStatus::Enrolled => !self.is_past() && self.cancel_until.is_none_or(|d| Utc::now() < d),
            EnrolmentStatus::Cancelled => false,
        }
    }
}

/// My active enrolments (and, with `include_cancelled`, the cancelled ones), with their
/// courses and sessions: three queries whatever their number.
pub fn mine(conn: &mut PgConnection, user: UserId, include_cancelled: bool) -> AppResult<Vec<MyEnrolment>> {
    use crate::catalogue::model::Session as CatalogueSession;
    use crate::db::schema::course_sessions;
    let mut query = enrolments::table
        .inner_join(courses::table)
        .filter(enrolments::user_id.eq(user))
        .select((Enrolment::as_select(), Course::as_select()))
        .order(enrolments::created_at.desc())
        .into_boxed();
    if !include_cancelled {
        query = query.filter(enrolments::status.ne(EnrolmentStatus::Cancelled));
    }
    let rows: Vec<(Enrolment, Course)> = query.load(conn)?;
    let ids: Vec<CourseId> = rows.iter().map(|(_, c)| c.id).collect();
    let sessions: Vec<CatalogueSession> = course_sessions::table
        .filter(course_sessions::course_id.eq_any(&ids))
        .order(course_sessions::starts_at)
        .select(CatalogueSession::as_select())
        .load(conn)?;
    let positions = waitlist_positions(conn, user)?;
    Ok(rows
        .into_iter()
        .map(|(e, c)| {
            let own: Vec<&CatalogueSession> = sessions.iter().filter(|s| s.course_id == c.id).collect();
            let first = own.iter().filter(|s| !s.is_cancelled()).map(|s| s.starts_at).min();
            let position = positions.iter().find(|(id, _)| *id == e.id).map(|(_, p)| *p);
            MyEnrolment {
                enrolment: EnrolmentView::new(&e, position),
                cancel_until: first.map(|f| f - Duration::hours(c.cancellation_deadline_hours.into())),
                course: MyCourse {
                    id: c.id,
                    slug: c.slug,
                    title: c.title,
                    status: c.status,
                    sessions: own.into_iter().cloned().collect(),
                },
            }
        })
        .collect())
}

/// Positions of all my waiting-list places at once (one query with a window function).
fn waitlist_positions(conn: &mut PgConnection, user: UserId) -> AppResult<Vec<(EnrolmentId, i64)>> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        id: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        position: i64,
    }
    let rows: Vec<Row> = diesel::sql_query(
        "SELECT id, position FROM (
             SELECT e.id, e.user_id, row_number() OVER (PARTITION BY e.course_id ORDER BY e.queued_at, e.id) AS position
             FROM enrolments e
             WHERE e.status = 'waitlisted'
               AND e.course_id IN (SELECT course_id FROM enrolments WHERE user_id = $1 AND status = 'waitlisted')) ranked
         WHERE user_id = $1",
    )
    .bind::<diesel::sql_types::BigInt, _>(user.0)
    .load(conn)?;
    Ok(rows.into_iter().map(|r| (EnrolmentId(r.id), r.position)).collect())
}

/// The enrolment of `user` in a course, if active (for the course page's button).
pub fn current(conn: &mut PgConnection, user: UserId, course: CourseId) -> AppResult<Option<EnrolmentView>> {
    match active(course, user).select(Enrolment::as_select()).first(conn).optional()? {
        Some(e) => Ok(Some(view(conn, &e)?)),
        None => Ok(None),
    }
}

/// A row of the coordinator's list of a course.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Participant {
    #[serde(flatten)]
    pub enrolment: EnrolmentView,
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub wijk: Option<String>,
    pub organisation: Option<String>,
    pub participant_kind: Option<ParticipantKind>,
    pub email_verified: bool,
}

/// Everyone enrolled and waiting (and, on request, cancelled) in a course, the waiting
/// list in order; for coordinators and the course's trainers. Two queries.
pub fn participants(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    course_id: CourseId,
    include_cancelled: bool,
) -> AppResult<Vec<Participant>> {
    let allowed = actor.has(Role::Coordinator) || crate::catalogue::service::is_trainer_of(conn, actor.id, course_id)?;
    if !allowed {
        return Err(AppError::Forbidden("error-forbidden-detail"));
    }
    crate::catalogue::service::course(conn, course_id)?;
    let mut query = enrolments::table
        .inner_join(users::table.on(users::id.eq(enrolments::user_id)))
        .filter(enrolments::course_id.eq(course_id))
        .select((Enrolment::as_select(), User::as_select()))
        .order((enrolments::status, enrolments::queued_at, enrolments::id))
        .into_boxed();
    if !include_cancelled {
        query = query.filter(enrolments::status.ne(EnrolmentStatus::Cancelled));
    }
    let rows: Vec<(Enrolment, User)> = query.load(conn)?;
    let mut position = 0;
    Ok(rows
        .into_iter()
        .map(|(e, u)| {
            let place = (e.status == EnrolmentStatus::Waitlisted).then(|| {
                position += 1;
                position
            });
            Participant {
                enrolment: EnrolmentView::new(&e, place),
                user_id: u.id,
                name: u.name.clone(),
                email: u.email.clone(),
                wijk: u.wijk.clone(),
                organisation: u.organisation.clone(),
                participant_kind: u.participant_kind,
                email_verified: u.email_verified_at.is_some(),
            }
        })
        .collect())
}

/// The latest changes to the enrolments of a course, newest first, with who made them.
pub fn history(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    course_id: CourseId,
    limit: i64,
) -> AppResult<Vec<(EnrolmentEvent, String)>> {
    actor.require(Role::Coordinator)?;
    Ok(enrolment_events::table
        .inner_join(enrolments::table.inner_join(users::table.on(users::id.eq(enrolments::user_id))))
        .filter(enrolments::course_id.eq(course_id))
        .order(enrolment_events::id.desc())
        .limit(limit)
        .select((EnrolmentEvent::as_select(), users::name))
        .load(conn)?)
}

/// My enrolments for the API list.
pub fn mine_page(conn: &mut PgConnection, user: UserId, paging: Paging) -> AppResult<(Vec<MyEnrolment>, i64)> {
    let all = mine(conn, user, true)?;
    let total = all.len() as i64;
    let items = all.into_iter().skip(paging.offset() as usize).take(paging.per_page as usize).collect();
    Ok((items, total))
}

/// For "download my data": every enrolment with its course and history.
pub fn personal_data(conn: &mut PgConnection, user: UserId) -> AppResult<Vec<serde_json::Value>> {
    let mine = mine(conn, user, true)?;
    let ids: Vec<EnrolmentId> = mine.iter().map(|m| m.enrolment.id).collect();
    let events: Vec<EnrolmentEvent> = enrolment_events::table
        .filter(enrolment_events::enrolment_id.eq_any(&ids))
        .order(enrolment_events::id)
        .select(EnrolmentEvent::as_select())
        .load(conn)?;
    Ok(mine
        .into_iter()
        .map(|m| {
            let history: Vec<&EnrolmentEvent> = events.iter().filter(|e| e.enrolment_id == m.enrolment.id).collect();
            serde_json::json!({
                "enrolment": m.enrolment,
                "course": {"id": m.course.id, "slug": m.course.slug, "title": m.course.title},
                "history": history,
            })
        })
        .collect())
}

/// What the course page needs: the course, my enrolment and whether I may enrol or cancel.
pub struct CoursePage {
    pub detail: CourseDetail,
    pub enrolment: Option<EnrolmentView>,
    /// Why enrolling is not possible now (a Fluent key), if it is not.
    pub closed: Option<&'static str>,
    pub cancel_until: Option<DateTime<Utc>>,
    pub may_cancel: bool,
}

pub fn course_page(conn: &mut PgConnection, viewer: Option<&CurrentUser>, slug: &str) -> AppResult<CoursePage> {
    let detail = crate::catalogue::service::visible_detail_by_slug(conn, viewer, slug)?;
    let enrolment = match viewer {
        Some(user) => current(conn, user.id, detail.course.id)?,
        None => None,
    };
    let now = Utc::now();
    let cancel_until = cancellation_deadline(&detail);
    let may_cancel = match enrolment.as_ref().map(|e| e.status) {
        Some(EnrolmentStatus::Waitlisted) => true,
        Some(EnrolmentStatus::Enrolled) => cancel_until.is_none_or(|d| now < d),
        _ => false,
    };
    Ok(CoursePage { closed: closed_reason(&detail, now), detail, enrolment, cancel_until, may_cancel })
}

/// Sessions of the courses someone has a seat in, for their personal calendar feed.
pub fn feed_sessions(conn: &mut PgConnection, user: UserId) -> AppResult<Vec<MyEnrolment>> {
    Ok(mine(conn, user, false)?.into_iter().filter(|m| m.enrolment.status == EnrolmentStatus::Enrolled).collect())
}
