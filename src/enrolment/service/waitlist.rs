//! Cancelling and the waiting list.

use super::*;

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

/// Cancel one's own enrolment in the course a page shows, by its slug.
pub fn cancel_own_by_slug(
    conn: &mut PgConnection,
    site: &Site,
    actor: &CurrentUser,
    slug: &str,
) -> AppResult<EnrolmentView> {
    let id = crate::catalogue::service::visible_id_by_slug(conn, Some(actor), slug)?;
    cancel_own(conn, site, actor, id)
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
    // leaving the list while holding an offer declines it: the seat moves on below
    let had_offer = !was_enrolled && close_open_offer(conn, enrolment.id, OfferStatus::Declined)?;
    if had_offer {
        record(conn, enrolment.id, EnrolmentAction::OfferDeclined, actor, Some("leaves the waiting list"))?;
    }
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
    let person = accounts::service::recipient_of(conn, enrolment.user_id)?;
    let email = if was_enrolled {
        // the sessions that were in their calendar: a cancelled one was taken out already
        let sessions: Vec<&Session> = detail.sessions.iter().filter(|s| !s.is_cancelled()).collect();
        let sequence = mail::next_calendar_sequence(conn)?;
        cancellation_email(
            site,
            detail,
            &person,
            &format!("cancelled:{event}"),
            "mail-cancelled",
            &sessions,
            Some(sequence),
        )
    } else {
        left_waitlist_email(site, detail, &person, event)
    };
    mail::enqueue(conn, &site.base, email)?;
    if was_enrolled {
        new_round(conn, detail.course.id)?;
    }
    if was_enrolled || had_offer {
        fill_free_seats(conn, site, detail.course.id, actor)?;
    }
    view(conn, &cancelled)
}

/// Give free seats to the people waiting longest, as many as fit, and tell them: at once,
/// or (a course in `offer` mode, more than two hours before its next session) as offers
/// that hold the seat until a deadline. Seats held by open offers are not free, and those
/// who hold one are not asked again; nor are those passed over (their offer ended without
/// a yes since the last `new_round`): when only they wait, the seat stays free for anyone,
/// them included, to take. The caller holds the course row lock (or this takes
/// it, in the caller's transaction).
pub fn fill_free_seats(
    conn: &mut PgConnection,
    site: &Site,
    course_id: CourseId,
    actor: Option<UserId>,
) -> AppResult<usize> {
    use crate::db::schema::waitlist_offers;
    let course = lock_course(conn, course_id)?;
    if course.status != CourseStatus::Published {
        return Ok(0);
    }
    let free = seats(conn, course_id)?.left(course.capacity);
    if free <= 0 {
        return Ok(0);
    }
    let holds_offer = waitlist_offers::table
        .filter(waitlist_offers::enrolment_id.eq(enrolments::id))
        .filter(waitlist_offers::status.eq(OfferStatus::Open));
    let next: Vec<Enrolment> = enrolments::table
        .filter(enrolments::course_id.eq(course_id))
        .filter(enrolments::status.eq(EnrolmentStatus::Waitlisted))
        .filter(diesel::dsl::not(diesel::dsl::exists(holds_offer)))
        .filter(enrolments::offer_passed_at.is_null())
        .order((enrolments::queued_at, enrolments::id))
        .limit(free)
        .select(Enrolment::as_select())
        .load(conn)?;
    if next.is_empty() {
        return Ok(0);
    }
    let detail = crate::catalogue::service::detail(conn, course_id)?;
    match offer_deadline(&detail, Utc::now()) {
        Some(deadline) => {
            for waiting in &next {
                make_offer(conn, site, &detail, waiting, deadline, actor)?;
            }
        }
        None => {
            for waiting in &next {
                promote_one(conn, site, &detail, waiting, actor, false, false)?;
            }
        }
    }
    Ok(next.len())
}

/// Give a waiting person a seat and tell them. A walk-in (`walk_in`) is recorded as such,
/// noting that they came from the waiting list.
pub(super) fn promote_one(
    conn: &mut PgConnection,
    site: &Site,
    detail: &CourseDetail,
    waiting: &Enrolment,
    actor: Option<UserId>,
    over_capacity: bool,
    walk_in: bool,
) -> AppResult<EnrolmentView> {
    // an offer they held is taken up by the seat they now get
    close_open_offer(conn, waiting.id, OfferStatus::Accepted)?;
    let promoted: Enrolment = diesel::update(enrolments::table.find(waiting.id))
        .set((
            enrolments::status.eq(EnrolmentStatus::Enrolled),
            enrolments::enrolled_at.eq(Utc::now()),
            enrolments::over_capacity.eq(over_capacity),
            enrolments::updated_at.eq(Utc::now()),
        ))
        .returning(Enrolment::as_returning())
        .get_result(conn)?;
    let (action, note) = match (walk_in, over_capacity) {
        (true, true) => (EnrolmentAction::WalkIn, Some("from the waiting list, over capacity")),
        (true, false) => (EnrolmentAction::WalkIn, Some("from the waiting list")),
        (false, over) => (EnrolmentAction::Promoted, over.then_some("over capacity")),
    };
    let event = record(conn, waiting.id, action, actor, note)?;
    let person = accounts::service::recipient_of(conn, waiting.user_id)?;
    let sequence = mail::next_calendar_sequence(conn)?;
    mail::enqueue(
        conn,
        &site.base,
        confirmation(
            site,
            &detail.course,
            &detail.sessions,
            &person,
            &format!("promoted:{event}"),
            "mail-promoted",
            sequence,
        ),
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
        // the seat their own open offer holds is theirs to take
        let own_offer = i64::try_from(open_offers(conn, &[id])?.len()).unwrap_or(0);
        let seats = seats(conn, course_id)?;
        let full = seats.enrolled + seats.offered - own_offer >= i64::from(course.capacity);
        if full && !override_capacity {
            return Err(AppError::Conflict("conflict-course-full-override"));
        }
        let detail = crate::catalogue::service::detail(conn, course_id)?;
        promote_one(conn, site, &detail, &waiting, Some(actor.id), full, false)
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
        let had_offer = !was_enrolled && close_open_offer(conn, enrolment.id, OfferStatus::Withdrawn)?;
        if had_offer {
            record(conn, enrolment.id, EnrolmentAction::OfferWithdrawn, actor, Some("account deleted"))?;
        }
        diesel::update(enrolments::table.find(enrolment.id))
            .set((enrolments::status.eq(EnrolmentStatus::Cancelled), enrolments::cancelled_at.eq(Utc::now())))
            .execute(conn)?;
        let action = if was_enrolled { EnrolmentAction::Cancelled } else { EnrolmentAction::LeftWaitlist };
        record(conn, enrolment.id, action, actor, Some("account deleted"))?;
        if was_enrolled {
            new_round(conn, course.id)?;
        }
        if was_enrolled || had_offer {
            fill_free_seats(conn, site, course.id, actor)?;
        }
    }
    // the links in their offer emails stop working, whatever their offers' state
    diesel::update(
        crate::db::schema::waitlist_offers::table.filter(
            crate::db::schema::waitlist_offers::enrolment_id
                .eq_any(enrolments::table.filter(enrolments::user_id.eq(user)).select(enrolments::id)),
        ),
    )
    .set(crate::db::schema::waitlist_offers::token_hash.eq(None::<Vec<u8>>))
    .execute(conn)?;
    Ok(())
}
