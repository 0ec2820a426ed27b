//! What the catalogue tells enrolled people.

use super::*;

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
