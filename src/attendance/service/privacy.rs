//! Attendance's part of the privacy interface.

use diesel::prelude::*;

use crate::attendance::model::{Apology, Change, Mark};
use crate::db::schema::{apologies, attendance_history, attendance_marks};
use crate::error::AppResult;
use crate::ids::SessionId;
use crate::personal::{Export, Part, Subject, value};

/// Attendance's part of a person's data: their marks, each with its history, and their
/// apologies. Forgetting keeps the marks (counted, but nameless once the account is
/// anonymised) and clears the notes, which may say something about the person; apologies
/// (with their reasons) go, as the marks they set already carry the count.
pub const PRIVACY: Part = Part { feature: "attendance", export, forget };

fn export(conn: &mut PgConnection, subject: &Subject) -> AppResult<Export> {
    let marks: Vec<Mark> = attendance_marks::table
        .filter(attendance_marks::user_id.eq(subject.user))
        .order((attendance_marks::marked_at, attendance_marks::session_id))
        .select(Mark::as_select())
        .load(conn)?;
    let changes: Vec<(SessionId, Change)> = attendance_history::table
        .filter(attendance_history::user_id.eq(subject.user))
        .order(attendance_history::id)
        .select((attendance_history::session_id, Change::as_select()))
        .load(conn)?;
    let items: Vec<serde_json::Value> = marks
        .iter()
        .map(|m| {
            let history: Vec<&Change> = changes.iter().filter(|(s, _)| *s == m.session_id).map(|(_, c)| c).collect();
            serde_json::json!({
                "session_id": m.session_id,
                "status": m.status,
                "note": m.note,
                "marked_at": m.marked_at,
                "history": history,
            })
        })
        .collect();
    let apologies: Vec<serde_json::Value> = apologies::table
        .filter(apologies::user_id.eq(subject.user))
        .order((apologies::created_at, apologies::session_id))
        .select(Apology::as_select())
        .load(conn)?
        .into_iter()
        .map(|a| serde_json::json!({"session_id": a.session_id, "reason": a.reason, "at": a.created_at}))
        .collect();
    let mut out = Export::new();
    out.insert("attendance".into(), value(&items)?);
    out.insert("apologies".into(), value(&apologies)?);
    Ok(out)
}

fn forget(conn: &mut PgConnection, subject: &Subject) -> AppResult<()> {
    diesel::delete(apologies::table.filter(apologies::user_id.eq(subject.user))).execute(conn)?;
    diesel::update(attendance_marks::table.filter(attendance_marks::user_id.eq(subject.user)))
        .set(attendance_marks::note.eq(None::<String>))
        .execute(conn)?;
    diesel::update(attendance_history::table.filter(attendance_history::user_id.eq(subject.user)))
        .set(attendance_history::note.eq(None::<String>))
        .execute(conn)?;
    Ok(())
}
