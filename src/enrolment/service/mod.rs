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

use crate::accounts::model::{ParticipantKind, Person};

use crate::accounts;
use crate::catalogue::model::{Course, CourseDetail, CourseStatus, Seats, Session};
use crate::config::Site;
use crate::db::schema::{enrolment_events, enrolments};
use crate::db::views::{course_seats, people};
use crate::enrolment::model::{
    Enrolment, EnrolmentAction, EnrolmentEvent, EnrolmentState, EnrolmentStatus, EnrolmentView, OfferStatus,
};
use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use crate::ids::{CourseId, EnrolmentId, SessionId, UserId};
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
    crate::catalogue::service::lock_course(conn, id)
}

/// Enrolled, waiting and held by open offers, from enrolment's own read model.
pub fn seats(conn: &mut PgConnection, course: CourseId) -> AppResult<Seats> {
    Ok(course_seats::table
        .find(course)
        .select((course_seats::enrolled, course_seats::waitlisted, course_seats::offered))
        .first::<(i64, i64, i64)>(conn)
        .optional()?
        .map_or(Seats::default(), |(enrolled, waitlisted, offered)| Seats { enrolled, waitlisted, offered }))
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
    let offer = if e.status == EnrolmentStatus::Waitlisted { open_offers(conn, &[e.id])? } else { Vec::new() };
    Ok(EnrolmentView::new(e, position, offer.first().map(|(_, until)| *until)))
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
    deadline_of(&detail.course, &detail.sessions)
}

/// The cancellation deadline from the course row and its sessions alone.
fn deadline_of(course: &Course, sessions: &[Session]) -> Option<DateTime<Utc>> {
    let first = sessions.iter().filter(|s| !s.is_cancelled()).min_by_key(|s| s.starts_at)?;
    Some(first.starts_at - Duration::hours(course.cancellation_deadline_hours.into()))
}

/// Why enrolling is not possible right now, if it is not; `None` when it is.
pub fn closed_reason(detail: &CourseDetail, now: DateTime<Utc>) -> Option<&'static str> {
    let c = &detail.course;
    if let Some(reason) = closed_by_dates(c, &detail.sessions, now) {
        return Some(reason);
    }
    if detail.seats_left() == 0 && !c.waitlist_enabled {
        return Some("conflict-course-full");
    }
    None
}

/// Why enrolling is not possible right now for reasons other than the seats: the status,
/// the enrolment window, the sessions. Enrolling itself counts the seats under the lock.
fn closed_by_dates(c: &Course, sessions: &[Session], now: DateTime<Utc>) -> Option<&'static str> {
    if c.status != CourseStatus::Published {
        return Some("conflict-course-not-open");
    }
    if c.enrolment_opens_at.is_some_and(|opens| now < opens) {
        return Some("conflict-enrolment-not-yet-open");
    }
    if c.enrolment_closes_at.is_some_and(|closes| now >= closes) {
        return Some("conflict-enrolment-closed");
    }
    if !sessions.iter().any(|s| !s.is_cancelled() && s.ends_at > now) {
        return Some("conflict-course-over");
    }
    None
}

mod emails;
mod enrol;
mod offers;
mod past;
mod privacy;
pub mod programme;
mod reading;
mod waitlist;
use emails::*;
pub use enrol::*;
pub use offers::{
    OfferPage, accept_offer, decline_offer, expire_due, extend_offer, offer_deadline, offer_of, take_free_seat,
    withdraw_offer,
};
use offers::{close_course_offers, close_open_offer, make_offer, new_round, open_offers};
pub use past::date_back;
pub use privacy::PRIVACY;
pub use reading::*;
pub use waitlist::*;
