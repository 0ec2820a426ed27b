//! Waiting-list offers (issue 18). In a course in `offer` mode a freed seat is not given
//! at once: it is held for the first in line until a deadline. The offer is a row of its
//! own (`waitlist_offers`); the person stays `waitlisted` while it is open, and the seat
//! counts as taken (seats left = capacity − enrolled − open offers). Every change to an
//! offer runs under the course row lock, like every other change to the seats, so the
//! sum never passes the capacity; a partial unique index keeps one open offer per
//! enrolment. Deciding, expiring or withdrawing an offer passes the seat on in the same
//! transaction (`fill_free_seats`).

use super::*;
use crate::catalogue::model::WaitlistMode;
use crate::db::schema::waitlist_offers;
use crate::enrolment::model::{OfferStatus, WaitlistOffer};
use crate::tokens::{hash_token, random_token};

/// No offer runs into the last hours before a session: a late offer is worse than none,
/// so within this time a free seat goes at once to the first in line.
const LAST_CALL_HOURS: i64 = 2;

/// The open offers among `ids`, with their deadlines: one query.
pub(super) fn open_offers(
    conn: &mut PgConnection,
    ids: &[EnrolmentId],
) -> AppResult<Vec<(EnrolmentId, DateTime<Utc>)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(waitlist_offers::table
        .filter(waitlist_offers::enrolment_id.eq_any(ids))
        .filter(waitlist_offers::status.eq(OfferStatus::Open))
        .select((waitlist_offers::enrolment_id, waitlist_offers::expires_at))
        .load(conn)?)
}

fn open_offer(conn: &mut PgConnection, id: EnrolmentId) -> AppResult<Option<WaitlistOffer>> {
    Ok(waitlist_offers::table
        .filter(waitlist_offers::enrolment_id.eq(id))
        .filter(waitlist_offers::status.eq(OfferStatus::Open))
        .select(WaitlistOffer::as_select())
        .first(conn)
        .optional()?)
}

/// Close the open offer of an enrolment, if it has one; answers whether it had one.
pub(super) fn close_open_offer(conn: &mut PgConnection, id: EnrolmentId, status: OfferStatus) -> AppResult<bool> {
    let closed = diesel::update(
        waitlist_offers::table
            .filter(waitlist_offers::enrolment_id.eq(id))
            .filter(waitlist_offers::status.eq(OfferStatus::Open)),
    )
    .set((waitlist_offers::status.eq(status), waitlist_offers::decided_at.eq(Utc::now())))
    .execute(conn)?;
    Ok(closed > 0)
}

/// Every open offer of a course ends (the course is cancelled).
pub(super) fn close_course_offers(conn: &mut PgConnection, course: CourseId) -> AppResult<usize> {
    Ok(diesel::update(
        waitlist_offers::table
            .filter(waitlist_offers::course_id.eq(course))
            .filter(waitlist_offers::status.eq(OfferStatus::Open)),
    )
    .set((waitlist_offers::status.eq(OfferStatus::Withdrawn), waitlist_offers::decided_at.eq(Utc::now())))
    .execute(conn)?)
}

/// The start of the first session that has not started at `now`.
fn next_start(detail: &CourseDetail, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    detail.sessions.iter().filter(|s| !s.is_cancelled() && s.starts_at > now).map(|s| s.starts_at).min()
}

/// The latest moment an offer may run to: two hours before the next session.
fn last_call(detail: &CourseDetail, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    next_start(detail, now).map(|start| start - Duration::hours(LAST_CALL_HOURS))
}

/// The deadline of an offer made at `now`: `offer_hours` later, but never past two hours
/// before the next session. `None`: the seat goes at once to the first in line (the course
/// is in `automatic` mode, no session is ahead, or the next one starts within two hours).
pub fn offer_deadline(detail: &CourseDetail, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    if detail.course.waitlist_mode != WaitlistMode::Offer {
        return None;
    }
    let cutoff = last_call(detail, now)?;
    if now >= cutoff {
        return None;
    }
    Some((now + Duration::hours(detail.course.offer_hours.into())).min(cutoff))
}

/// Hold a seat for someone waiting, in a course whose row is locked, and tell them. The
/// email's link carries a single-use token of this offer (only its hash is kept), so the
/// offer can be answered without logging in.
pub(super) fn make_offer(
    conn: &mut PgConnection,
    site: &Site,
    detail: &CourseDetail,
    waiting: &Enrolment,
    expires_at: DateTime<Utc>,
    actor: Option<UserId>,
) -> AppResult<()> {
    let token = random_token();
    diesel::insert_into(waitlist_offers::table)
        .values((
            waitlist_offers::enrolment_id.eq(waiting.id),
            waitlist_offers::course_id.eq(waiting.course_id),
            waitlist_offers::expires_at.eq(expires_at),
            waitlist_offers::token_hash.eq(hash_token(&token)),
        ))
        .execute(conn)?;
    let event = record(conn, waiting.id, EnrolmentAction::Offered, actor, None)?;
    let person = accounts::service::recipient_of(conn, waiting.user_id)?;
    let link = format!("{}/aanbod/{}?token={token}", site.base, waiting.id.0);
    mail::enqueue(conn, &site.base, offer_email(detail, &person, &link, event, expires_at))?;
    Ok(())
}

/// Someone whose offer ended without a yes (declined, expired, withdrawn) goes to the end
/// of the waiting list and is passed over: `fill_free_seats` does not offer them a seat
/// again until a seat is freed by something else (`new_round`).
fn pass_over(conn: &mut PgConnection, id: EnrolmentId) -> AppResult<()> {
    let now = Utc::now();
    diesel::update(enrolments::table.find(id))
        .set((enrolments::queued_at.eq(now), enrolments::offer_passed_at.eq(now), enrolments::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

/// A seat was freed by a cancellation, a removal or a raised capacity: everyone waiting may
/// be offered a seat again, those passed over before included.
pub(super) fn new_round(conn: &mut PgConnection, course: CourseId) -> AppResult<()> {
    diesel::update(
        enrolments::table.filter(enrolments::course_id.eq(course)).filter(enrolments::offer_passed_at.is_not_null()),
    )
    .set(enrolments::offer_passed_at.eq(None::<DateTime<Utc>>))
    .execute(conn)?;
    Ok(())
}

/// Lock the course of an enrolment and read the enrolment under that lock.
fn locked_enrolment(conn: &mut PgConnection, id: EnrolmentId) -> AppResult<Enrolment> {
    let course_id: CourseId = enrolments::table.find(id).select(enrolments::course_id).first(conn)?;
    lock_course(conn, course_id)?;
    Ok(enrolments::table.find(id).select(Enrolment::as_select()).first(conn)?)
}

/// Whose hand is on an offer, under the course lock: the holder of the email link's token
/// (no login needed), or else a logged-in person for their own enrolment (a coordinator
/// for anyone's). Answers the enrolment and who acts. A token that is wrong, used or past
/// its deadline is a conflict (`offer-link-*`), and nothing changes.
fn holder(
    conn: &mut PgConnection,
    actor: Option<&CurrentUser>,
    token: Option<&str>,
    id: EnrolmentId,
) -> AppResult<(Enrolment, UserId)> {
    match token.map(str::trim).filter(|t| !t.is_empty()) {
        Some(token) => {
            let enrolment = locked_enrolment(conn, id)?;
            check_link(conn, id, token)?;
            let user = enrolment.user_id;
            Ok((enrolment, user))
        }
        None => {
            let actor = actor.ok_or(AppError::Unauthorized)?;
            Ok((own_enrolment(conn, actor, id)?, actor.id))
        }
    }
}

/// The open offer of enrolment `id` whose link carries `token`.
fn check_link(conn: &mut PgConnection, id: EnrolmentId, token: &str) -> AppResult<WaitlistOffer> {
    let offer = waitlist_offers::table
        .filter(waitlist_offers::token_hash.eq(hash_token(token)))
        .select(WaitlistOffer::as_select())
        .first(conn)
        .optional()?
        .filter(|o| o.enrolment_id == id)
        .ok_or(AppError::Conflict("offer-link-wrong"))?;
    match offer.status {
        OfferStatus::Open if offer.expires_at > Utc::now() => Ok(offer),
        OfferStatus::Open | OfferStatus::Expired => Err(AppError::Conflict("offer-link-expired")),
        _ => Err(AppError::Conflict("offer-link-used")),
    }
}

/// One's own enrolment (a coordinator may act for anyone); others get 404.
fn own_enrolment(conn: &mut PgConnection, actor: &CurrentUser, id: EnrolmentId) -> AppResult<Enrolment> {
    let enrolment = locked_enrolment(conn, id)?;
    if enrolment.user_id != actor.id && !actor.has(Role::Coordinator) {
        return Err(AppError::NotFound);
    }
    Ok(enrolment)
}

/// Accept an offer before its deadline: the held seat becomes theirs, with the usual
/// confirmation and calendar file. Accepting again answers the enrolment as it is.
pub fn accept_offer(
    conn: &mut PgConnection,
    site: &Site,
    actor: Option<&CurrentUser>,
    token: Option<&str>,
    id: EnrolmentId,
) -> AppResult<EnrolmentView> {
    conn.transaction(|conn| {
        let (enrolment, by) = holder(conn, actor, token, id)?;
        if enrolment.status == EnrolmentStatus::Enrolled {
            return view(conn, &enrolment);
        }
        let offer = open_offer(conn, id)?.ok_or(AppError::Conflict("offer-conflict-no-offer"))?;
        if offer.expires_at <= Utc::now() {
            return Err(AppError::Conflict("offer-conflict-expired"));
        }
        close_open_offer(conn, id, OfferStatus::Accepted)?;
        let now = Utc::now();
        let enrolled: Enrolment = diesel::update(enrolments::table.find(id))
            .set((
                enrolments::status.eq(EnrolmentStatus::Enrolled),
                enrolments::enrolled_at.eq(now),
                enrolments::updated_at.eq(now),
            ))
            .returning(Enrolment::as_returning())
            .get_result(conn)?;
        let event = record(conn, id, EnrolmentAction::OfferAccepted, Some(by), None)?;
        let detail = crate::catalogue::service::detail(conn, enrolment.course_id)?;
        let person = accounts::service::recipient_of(conn, enrolment.user_id)?;
        let sequence = mail::next_calendar_sequence(conn)?;
        mail::enqueue(
            conn,
            &site.base,
            confirmation(
                site,
                &detail.course,
                &detail.sessions,
                &person,
                &format!("offer-accepted:{event}"),
                "mail-enrolled",
                sequence,
            ),
        )?;
        view(conn, &enrolled)
    })
}

/// Decline an offer: the seat goes to the next in line in this same transaction; the
/// person stays on the list at its end (`stay`) or leaves it.
pub fn decline_offer(
    conn: &mut PgConnection,
    site: &Site,
    actor: Option<&CurrentUser>,
    token: Option<&str>,
    id: EnrolmentId,
    stay: bool,
) -> AppResult<EnrolmentView> {
    conn.transaction(|conn| {
        let (enrolment, by) = holder(conn, actor, token, id)?;
        if !close_open_offer(conn, id, OfferStatus::Declined)? {
            return Err(AppError::Conflict("offer-conflict-no-offer"));
        }
        let note = if stay { "stays on the waiting list" } else { "leaves the waiting list" };
        record(conn, id, EnrolmentAction::OfferDeclined, Some(by), Some(note))?;
        let detail = crate::catalogue::service::detail(conn, enrolment.course_id)?;
        if stay {
            pass_over(conn, id)?;
        } else {
            let now = Utc::now();
            diesel::update(enrolments::table.find(id))
                .set((
                    enrolments::status.eq(EnrolmentStatus::Cancelled),
                    enrolments::cancelled_at.eq(now),
                    enrolments::updated_at.eq(now),
                ))
                .execute(conn)?;
            let event = record(conn, id, EnrolmentAction::LeftWaitlist, Some(by), None)?;
            let person = accounts::service::recipient_of(conn, enrolment.user_id)?;
            mail::enqueue(conn, &site.base, left_waitlist_email(site, &detail, &person, event))?;
        }
        fill_free_seats(conn, site, enrolment.course_id, Some(by))?;
        let after: Enrolment = enrolments::table.find(id).select(Enrolment::as_select()).first(conn)?;
        view(conn, &after)
    })
}

/// A coordinator takes an offer back: the person goes to the end of the list and the seat
/// to the next in line.
pub fn withdraw_offer(
    conn: &mut PgConnection,
    site: &Site,
    actor: &CurrentUser,
    id: EnrolmentId,
) -> AppResult<EnrolmentView> {
    actor.require(Role::Coordinator)?;
    conn.transaction(|conn| {
        let enrolment = locked_enrolment(conn, id)?;
        if !close_open_offer(conn, id, OfferStatus::Withdrawn)? {
            return Err(AppError::Conflict("offer-conflict-no-offer"));
        }
        let event = record(conn, id, EnrolmentAction::OfferWithdrawn, Some(actor.id), None)?;
        pass_over(conn, id)?;
        let detail = crate::catalogue::service::detail(conn, enrolment.course_id)?;
        let person = accounts::service::recipient_of(conn, enrolment.user_id)?;
        mail::enqueue(conn, &site.base, offer_ended_email(site, &detail, &person, "withdrawn", event))?;
        fill_free_seats(conn, site, enrolment.course_id, Some(actor.id))?;
        let after: Enrolment = enrolments::table.find(id).select(Enrolment::as_select()).first(conn)?;
        view(conn, &after)
    })
}

/// A coordinator gives someone more time: `hours` (1–168) more, but never past two hours
/// before the next session.
pub fn extend_offer(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    id: EnrolmentId,
    hours: i64,
) -> AppResult<EnrolmentView> {
    actor.require(Role::Coordinator)?;
    if !(1..=168).contains(&hours) {
        let mut errors = crate::error::FieldErrors::default();
        errors.add("hours", "range").arg("min", 1).arg("max", 168);
        errors.into_result()?;
    }
    conn.transaction(|conn| {
        let enrolment = locked_enrolment(conn, id)?;
        let offer = open_offer(conn, id)?.ok_or(AppError::Conflict("offer-conflict-no-offer"))?;
        let detail = crate::catalogue::service::detail(conn, enrolment.course_id)?;
        let now = Utc::now();
        let wanted = offer.expires_at.max(now) + Duration::hours(hours);
        let until = last_call(&detail, now).map_or(wanted, |cutoff| wanted.min(cutoff));
        if until <= offer.expires_at {
            return Err(AppError::Conflict("offer-conflict-cannot-extend"));
        }
        diesel::update(waitlist_offers::table.find(offer.id))
            .set(waitlist_offers::expires_at.eq(until))
            .execute(conn)?;
        let note = format!("deadline extended to {}", until.to_rfc3339());
        record(conn, id, EnrolmentAction::Offered, Some(actor.id), Some(&note))?;
        view(conn, &enrolment)
    })
}

/// The scheduler's round: every offer whose deadline passed at `now` expires, exactly once
/// however many instances run. Per course, under its lock, the due offers are taken with
/// `FOR UPDATE SKIP LOCKED`; the status moves from `open` only once, so an instance that
/// comes second finds nothing left. The person goes to the end of the list and hears it;
/// the seat goes to the next in line. Answers how many offers expired.
pub fn expire_due(conn: &mut PgConnection, site: &Site, now: DateTime<Utc>) -> AppResult<usize> {
    let courses: Vec<CourseId> = waitlist_offers::table
        .filter(waitlist_offers::status.eq(OfferStatus::Open))
        .filter(waitlist_offers::expires_at.le(now))
        .select(waitlist_offers::course_id)
        .distinct()
        .order(waitlist_offers::course_id)
        .limit(100)
        .load(conn)?;
    let mut expired = 0;
    for course in courses {
        expired += conn.transaction(|conn| {
            lock_course(conn, course)?;
            let due: Vec<WaitlistOffer> = waitlist_offers::table
                .filter(waitlist_offers::course_id.eq(course))
                .filter(waitlist_offers::status.eq(OfferStatus::Open))
                .filter(waitlist_offers::expires_at.le(now))
                .select(WaitlistOffer::as_select())
                .for_update()
                .skip_locked()
                .load(conn)?;
            if due.is_empty() {
                return Ok::<usize, AppError>(0);
            }
            let detail = crate::catalogue::service::detail(conn, course)?;
            let ids: Vec<EnrolmentId> = due.iter().map(|o| o.enrolment_id).collect();
            let people: Vec<(EnrolmentId, UserId)> = enrolments::table
                .filter(enrolments::id.eq_any(&ids))
                .select((enrolments::id, enrolments::user_id))
                .load(conn)?;
            let recipients = accounts::service::recipients(conn, &people.iter().map(|(_, u)| *u).collect::<Vec<_>>())?;
            for offer in &due {
                diesel::update(waitlist_offers::table.find(offer.id))
                    .set((waitlist_offers::status.eq(OfferStatus::Expired), waitlist_offers::decided_at.eq(now)))
                    .execute(conn)?;
                let event = record(conn, offer.enrolment_id, EnrolmentAction::OfferExpired, None, None)?;
                pass_over(conn, offer.enrolment_id)?;
                let user = people.iter().find(|(e, _)| *e == offer.enrolment_id).map(|(_, u)| *u);
                if let Some(person) = recipients.iter().find(|r| r.user_id.is_some() && r.user_id == user) {
                    mail::enqueue(conn, &site.base, offer_ended_email(site, &detail, person, "expired", event))?;
                }
            }
            fill_free_seats(conn, site, course, None)?;
            Ok(due.len())
        })?;
    }
    Ok(expired)
}

/// Where an enrolment stands for the one who opens its offer page: from the email link
/// (its token, no login needed) or logged in as its owner. Only reads: a mail scanner
/// following the link changes nothing.
pub fn offer_of(
    conn: &mut PgConnection,
    actor: Option<&CurrentUser>,
    token: Option<&str>,
    id: EnrolmentId,
) -> AppResult<OfferPage> {
    let token = token.map(str::trim).filter(|t| !t.is_empty());
    let enrolment: Enrolment = enrolments::table.find(id).select(Enrolment::as_select()).first(conn)?;
    match (token, actor) {
        (Some(token), _) => {
            check_link(conn, id, token)?;
        }
        (None, Some(actor)) if enrolment.user_id == actor.id => {}
        (None, Some(_)) => return Err(AppError::NotFound),
        (None, None) => return Err(AppError::Unauthorized),
    }
    let detail = crate::catalogue::service::detail(conn, enrolment.course_id)?;
    let enrolment = view(conn, &enrolment)?;
    Ok(OfferPage { enrolment, detail, token: token.map(str::to_owned) })
}

/// What the page of an offer shows: the enrolment and its course, and the link's token
/// for its buttons to post.
pub struct OfferPage {
    pub enrolment: EnrolmentView,
    pub detail: CourseDetail,
    pub token: Option<String>,
}

fn offer_email(detail: &CourseDetail, person: &Recipient, link: &str, event: i64, expires_at: DateTime<Utc>) -> Email {
    let t = person.locale;
    let title = detail.course.title.as_str();
    let deadline = t.datetime(expires_at);
    Email::new(person.clone(), format!("offered:{event}"), t.t_args("offer-mail-subject", [("course", title.into())]))
        .paragraph(t.t_args("offer-mail-intro", [("course", title.into()), ("deadline", deadline.clone().into())]))
        .detail(t.t("offer-mail-deadline"), deadline)
        .paragraph(t.t("offer-mail-choose"))
        .action(t.t("offer-mail-action"), link)
        .closing(t.t("offer-mail-no-answer"))
}

/// "Your offer expired" or "the coordinator took the offer back"; you stay on the list.
fn offer_ended_email(site: &Site, detail: &CourseDetail, person: &Recipient, why: &str, event: i64) -> Email {
    let t = person.locale;
    let title = detail.course.title.as_str();
    Email::new(
        person.clone(),
        format!("offer-{why}:{event}"),
        t.t_args(&format!("offer-mail-{why}-subject"), [("course", title.into())]),
    )
    .paragraph(t.t_args(&format!("offer-mail-{why}-intro"), [("course", title.into())]))
    .action(t.t("mail-my-courses"), format!("{}/mijn-cursussen", site.base))
}

/// Someone waiting takes a free seat themselves, with one button: a seat that nobody else
/// waiting could be offered (those passed over are not offered again, see
/// `fill_free_seats`), so it stayed free. A seat held by their own open offer is theirs too.
pub fn take_free_seat(
    conn: &mut PgConnection,
    site: &Site,
    actor: &CurrentUser,
    slug: &str,
) -> AppResult<EnrolmentView> {
    let course_id = crate::catalogue::service::visible_id_by_slug(conn, Some(actor), slug)?;
    conn.transaction(|conn| {
        lock_course(conn, course_id)?;
        let waiting = active(course_id, actor.id)
            .select(Enrolment::as_select())
            .first(conn)
            .optional()?
            .ok_or(AppError::NotFound)?;
        if waiting.status == EnrolmentStatus::Enrolled {
            return view(conn, &waiting);
        }
        let detail = crate::catalogue::service::detail(conn, course_id)?;
        if let Some(reason) = closed_reason(&detail, Utc::now()) {
            return Err(AppError::Conflict(reason));
        }
        let own_offer = !open_offers(conn, &[waiting.id])?.is_empty();
        if detail.seats_left() == 0 && !own_offer {
            return Err(AppError::Conflict("offer-conflict-no-free-seat"));
        }
        promote_one(conn, site, &detail, &waiting, Some(actor.id), false, false)
    })
}
