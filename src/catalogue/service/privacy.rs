//! The catalogue's part of a person's data: the courses they train.

use super::*;
use crate::personal::{Export, Part, Subject, value};

pub const PRIVACY: Part = Part { feature: "catalogue", export, forget };

fn export(conn: &mut PgConnection, subject: &Subject) -> AppResult<Export> {
    let rows: Vec<(CourseId, String, DateTime<Utc>)> = course_trainers::table
        .inner_join(courses::table)
        .filter(course_trainers::user_id.eq(subject.user))
        .select((courses::id, courses::title, course_trainers::assigned_at))
        .load(conn)?;
    let courses: Vec<serde_json::Value> = rows
        .into_iter()
        .map(
            |(id, title, assigned_at)| serde_json::json!({"course_id": id, "title": title, "assigned_at": assigned_at}),
        )
        .collect();
    let mut out = Export::new();
    out.insert("trainer_of".into(), value(&courses)?);
    Ok(out)
}

/// A deleted account trains nothing any more.
fn forget(conn: &mut PgConnection, subject: &Subject) -> AppResult<()> {
    diesel::delete(course_trainers::table.filter(course_trainers::user_id.eq(subject.user))).execute(conn)?;
    Ok(())
}
