//! The coordinator's changes to the programme, as they affect the people in a course. The
//! catalogue makes the change and says what it means (`ProgrammeChange`); here, in the same
//! transaction, everyone enrolled hears it and freed seats go to the waiting list.

use super::*;
use crate::catalogue::input::{CourseChanges, SessionChanges};
use crate::catalogue::service::{self as catalogue, Changed, ProgrammeChange};
use crate::error::Parsed;

/// Change a course; cancelling it cancels every enrolment, more seats move the waiting list.
pub fn update_course(
    conn: &mut PgConnection,
    site: &Site,
    actor: &CurrentUser,
    id: CourseId,
    input: &Parsed<CourseChanges>,
) -> AppResult<CourseDetail> {
    conn.transaction(|conn| {
        let changed = catalogue::update_course(conn, actor, id, input)?;
        if changed.change.is_none() {
            return Ok(changed.value);
        }
        apply(conn, site, actor, &changed.value, changed.change)?;
        catalogue::detail(conn, id)
    })
}

/// Add a session; people enrolled in a published course get it in their calendar.
pub fn add_session(
    conn: &mut PgConnection,
    site: &Site,
    actor: &CurrentUser,
    course: CourseId,
    input: &Parsed<SessionChanges>,
) -> AppResult<Session> {
    conn.transaction(|conn| {
        let changed = catalogue::add_session(conn, actor, course, input)?;
        session_outcome(conn, site, actor, changed)
    })
}

/// Change a session; when its time or place moves, enrolled people hear it.
pub fn update_session(
    conn: &mut PgConnection,
    site: &Site,
    actor: &CurrentUser,
    id: SessionId,
    input: &Parsed<SessionChanges>,
) -> AppResult<Session> {
    conn.transaction(|conn| {
        let changed = catalogue::update_session(conn, actor, id, input)?;
        session_outcome(conn, site, actor, changed)
    })
}

/// Cancel a session: everyone enrolled or waiting hears it, with an .ics CANCEL.
pub fn cancel_session(conn: &mut PgConnection, site: &Site, actor: &CurrentUser, id: SessionId) -> AppResult<Session> {
    conn.transaction(|conn| {
        let changed = catalogue::cancel_session(conn, actor, id)?;
        session_outcome(conn, site, actor, changed)
    })
}

fn session_outcome(
    conn: &mut PgConnection,
    site: &Site,
    actor: &CurrentUser,
    changed: Changed<Session>,
) -> AppResult<Session> {
    if changed.change.is_some() {
        let detail = catalogue::detail(conn, changed.value.course_id)?;
        apply(conn, site, actor, &detail, changed.change)?;
    }
    Ok(changed.value)
}

/// Act on what a change means for the people in the course.
fn apply(
    conn: &mut PgConnection,
    site: &Site,
    actor: &CurrentUser,
    detail: &CourseDetail,
    change: Option<ProgrammeChange>,
) -> AppResult<()> {
    match change {
        None => Ok(()),
        Some(ProgrammeChange::CourseCancelled) => course_cancelled(conn, site, detail, actor.id),
        Some(ProgrammeChange::CapacityRaised) => {
            new_round(conn, detail.course.id)?;
            fill_free_seats(conn, site, detail.course.id, Some(actor.id)).map(drop)
        }
        Some(ProgrammeChange::SessionChanged(session)) => session_changed(conn, site, detail, &session),
        Some(ProgrammeChange::SessionCancelled(session)) => session_cancelled(conn, site, detail, &session),
    }
}

/// The course is cancelled: every active enrolment ends and everyone hears it; those with
/// a seat get an .ics CANCEL of the sessions in their calendar.
fn course_cancelled(conn: &mut PgConnection, site: &Site, detail: &CourseDetail, actor: UserId) -> AppResult<()> {
    let seated: Vec<UserId> = enrolments::table
        .filter(enrolments::course_id.eq(detail.course.id))
        .filter(enrolments::status.eq(EnrolmentStatus::Enrolled))
        .select(enrolments::user_id)
        .load(conn)?;
    close_course_offers(conn, detail.course.id)?;
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
    let people = accounts::service::recipients(conn, &cancelled.iter().map(|e| e.user_id).collect::<Vec<_>>())?;
    let sessions: Vec<&Session> = detail.sessions.iter().filter(|s| !s.is_cancelled()).collect();
    let sequence = mail::next_calendar_sequence(conn)?;
    for (event, enrolment) in events {
        let Some(user) = cancelled.iter().find(|e| e.id == enrolment).map(|e| e.user_id) else { continue };
        let Some(person) = people.iter().find(|p| p.user_id == Some(user)) else { continue };
        let key = format!("course-cancelled:{event}");
        let calendar = seated.contains(&user).then_some(sequence);
        let email = cancellation_email(site, detail, person, &key, "mail-course-cancelled", &sessions, calendar);
        mail::enqueue(conn, &site.base, email)?;
    }
    Ok(())
}

/// Everyone with one of `statuses` in a course, as email recipients (two queries).
fn active_people(conn: &mut PgConnection, course: CourseId, statuses: &[EnrolmentStatus]) -> AppResult<Vec<Recipient>> {
    let ids: Vec<UserId> = enrolments::table
        .filter(enrolments::course_id.eq(course))
        .filter(enrolments::status.eq_any(statuses.to_vec()))
        .select(enrolments::user_id)
        .load(conn)?;
    accounts::service::recipients(conn, &ids)
}

/// A session is cancelled: everyone enrolled or waiting hears it; those with a seat get an
/// .ics CANCEL (the waiting were never sent the event).
fn session_cancelled(conn: &mut PgConnection, site: &Site, detail: &CourseDetail, session: &Session) -> AppResult<()> {
    let sequence = mail::next_calendar_sequence(conn)?;
    for (status, calendar) in [(EnrolmentStatus::Enrolled, Some(sequence)), (EnrolmentStatus::Waitlisted, None)] {
        for person in active_people(conn, detail.course.id, &[status])? {
            let key = format!("session-cancelled:{}:{}", session.id, person.user_id.map_or(0, |u| u.0));
            let email = cancellation_email(site, detail, &person, &key, "mail-session-cancelled", &[session], calendar);
            mail::enqueue(conn, &site.base, email)?;
        }
    }
    Ok(())
}

/// A session was added or moved: enrolled people get the new details and an .ics that
/// updates their calendar.
fn session_changed(conn: &mut PgConnection, site: &Site, detail: &CourseDetail, session: &Session) -> AppResult<()> {
    let sequence = mail::next_calendar_sequence(conn)?;
    for person in active_people(conn, detail.course.id, &[EnrolmentStatus::Enrolled])? {
        let user = person.user_id.map_or(0, |u| u.0);
        let t = person.locale;
        let key = format!("session-changed:{}:{}:{}", session.id, session.sequence, user);
        let events = numbered(
            crate::catalogue::service::ics_events(site, &[session], &detail.course.title, &detail.course.slug),
            sequence,
        );
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
