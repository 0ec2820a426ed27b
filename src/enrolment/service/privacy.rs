//! Enrolment's part of a person's data: every enrolment with its history; forgetting gives
//! up the seats still to come.

use super::*;
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
    let mut out = Export::new();
    out.insert("enrolments".into(), value(&enrolments)?);
    Ok(out)
}

fn forget(conn: &mut PgConnection, subject: &Subject) -> AppResult<()> {
    withdraw_everywhere(conn, subject.site, subject.user, subject.actor)
}
