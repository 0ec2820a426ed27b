//! Enrolment's part of a person's data: every enrolment with its history and every offer of
//! a seat made to them; forgetting gives up the seats still to come and withdraws an open
//! offer (the seat goes to the next in line).

use super::*;
use crate::db::schema::waitlist_offers;
use crate::enrolment::model::WaitlistOffer;
use crate::personal::{Export, Part, Subject, value};

pub const PRIVACY: Part = Part { feature: "enrolment", export, forget };

/// For "download my data": every enrolment with its course and history.
fn export(conn: &mut PgConnection, subject: &Subject) -> AppResult<Export> {
    let mine = mine(conn, subject.user, true)?;
    let ids: Vec<EnrolmentId> = mine.iter().map(|m| m.enrolment.id).collect();
    let events: Vec<EnrolmentEvent> = enrolment_events::table
        .filter(enrolment_events::enrolment_id.eq_any(&ids))
        .order(enrolment_events::id)
        .select(EnrolmentEvent::as_select())
        .load(conn)?;
    let enrolments: Vec<serde_json::Value> = mine
        .into_iter()
        .map(|m| {
            let history: Vec<&EnrolmentEvent> = events.iter().filter(|e| e.enrolment_id == m.enrolment.id).collect();
            serde_json::json!({
                "enrolment": m.enrolment,
                "course": {"id": m.course.id, "slug": m.course.slug, "title": m.course.title},
                "history": history,
            })
        })
        .collect();
    // every offer to them, open or not; the link's token hash is a secret, not their data
    let offers: Vec<WaitlistOffer> = waitlist_offers::table
        .inner_join(enrolments::table)
        .filter(enrolments::user_id.eq(subject.user))
        .order(waitlist_offers::id)
        .select(WaitlistOffer::as_select())
        .load(conn)?;
    let offers: Vec<serde_json::Value> = offers
        .into_iter()
        .map(|o| {
            serde_json::json!({
                "enrolment_id": o.enrolment_id,
                "course_id": o.course_id,
                "offered_at": o.offered_at,
                "expires_at": o.expires_at,
                "status": o.status,
                "decided_at": o.decided_at,
            })
        })
        .collect();
    let mut out = Export::new();
    out.insert("enrolments".into(), value(&enrolments)?);
    out.insert("waitlist_offers".into(), value(&offers)?);
    Ok(out)
}

fn forget(conn: &mut PgConnection, subject: &Subject) -> AppResult<()> {
    withdraw_everywhere(conn, subject.site, subject.user, subject.actor)
}
