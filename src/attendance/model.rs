//! Marks (one per session and participant) and the history of their changes.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::schema::{apologies, attendance_history, attendance_marks};
use crate::ids::{SessionId, UserId};

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    ToSchema,
    diesel_derive_enum::DbEnum,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[ExistingTypePath = "crate::db::schema::sql_types::AttendanceStatus"]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "snake_case", ascii_case_insensitive)]
pub enum AttendanceStatus {
    Present,
    Late,
    Excused,
    Absent,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = attendance_marks)]
pub struct Mark {
    pub session_id: SessionId,
    pub user_id: UserId,
    pub status: AttendanceStatus,
    pub note: Option<String>,
    pub marked_by: Option<UserId>,
    pub marked_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = attendance_history)]
pub struct NewChange {
    pub session_id: SessionId,
    pub user_id: UserId,
    pub old_status: Option<AttendanceStatus>,
    /// `None`: the mark was removed (an apology taken back).
    pub new_status: Option<AttendanceStatus>,
    pub changed_by: Option<UserId>,
    pub changed_at: DateTime<Utc>,
    pub note: Option<String>,
}

/// One change of a mark, as the history shows it: `{user_id, old, new, by, at, note}`.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = attendance_history)]
pub struct Change {
    pub user_id: UserId,
    /// `null` for the first mark.
    #[diesel(column_name = old_status)]
    pub old: Option<AttendanceStatus>,
    /// `null` when the mark was removed (an apology taken back before the session).
    #[diesel(column_name = new_status)]
    pub new: Option<AttendanceStatus>,
    /// Who made the change.
    #[diesel(column_name = changed_by)]
    pub by: Option<UserId>,
    #[diesel(column_name = changed_at)]
    pub at: DateTime<Utc>,
    pub note: Option<String>,
}

/// One mark as a trainer gives it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct MarkInput {
    pub user_id: UserId,
    pub status: AttendanceStatus,
    /// Why, for the history (at most 500 characters).
    #[serde(default)]
    pub note: Option<String>,
}

/// An apology in advance: "ik kan er niet bij zijn", with an optional reason.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = apologies)]
pub struct Apology {
    pub session_id: SessionId,
    pub user_id: UserId,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// An apology as the roster and the participant see it: `{reason, at}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ApologyView {
    /// Why, in the participant's words; `null` when they gave none.
    pub reason: Option<String>,
    /// When the apology was first given.
    pub at: DateTime<Utc>,
}

impl From<&Apology> for ApologyView {
    fn from(a: &Apology) -> Self {
        ApologyView { reason: a.reason.clone(), at: a.created_at }
    }
}
