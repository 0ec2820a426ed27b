//! Enrolments (a seat or a place on the waiting list) and their history.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::schema::{enrolment_events, enrolments};
use crate::ids::{CourseId, EnrolmentId, UserId};

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
#[ExistingTypePath = "crate::db::schema::sql_types::EnrolmentStatus"]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "snake_case", ascii_case_insensitive)]
pub enum EnrolmentStatus {
    Enrolled,
    Waitlisted,
    Cancelled,
}

impl EnrolmentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            EnrolmentStatus::Enrolled => "enrolled",
            EnrolmentStatus::Waitlisted => "waitlisted",
            EnrolmentStatus::Cancelled => "cancelled",
        }
    }
}

/// What happened to an enrolment; kept for reports and disputes.
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
#[ExistingTypePath = "crate::db::schema::sql_types::EnrolmentAction"]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case", ascii_case_insensitive)]
pub enum EnrolmentAction {
    Enrolled,
    Waitlisted,
    Promoted,
    Cancelled,
    LeftWaitlist,
    /// Added by a trainer at a session they came to without enrolling (issue 16).
    WalkIn,
}

impl EnrolmentAction {
    pub fn as_str(self) -> &'static str {
        match self {
            EnrolmentAction::Enrolled => "enrolled",
            EnrolmentAction::Waitlisted => "waitlisted",
            EnrolmentAction::Promoted => "promoted",
            EnrolmentAction::Cancelled => "cancelled",
            EnrolmentAction::LeftWaitlist => "left_waitlist",
            EnrolmentAction::WalkIn => "walk_in",
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = enrolments)]
pub struct Enrolment {
    pub id: EnrolmentId,
    pub course_id: CourseId,
    pub user_id: UserId,
    pub status: EnrolmentStatus,
    pub queued_at: DateTime<Utc>,
    pub enrolled_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub over_capacity: bool,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = enrolment_events)]
pub struct EnrolmentEvent {
    #[serde(skip)]
    pub id: i64,
    pub enrolment_id: EnrolmentId,
    pub action: EnrolmentAction,
    pub actor_id: Option<UserId>,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
}

/// The answer to enrolling: `{id, status, waitlist_position}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EnrolmentView {
    pub id: EnrolmentId,
    pub course_id: CourseId,
    pub status: EnrolmentStatus,
    /// 1 for the first person waiting; `null` unless waitlisted.
    pub waitlist_position: Option<i64>,
    pub over_capacity: bool,
    pub queued_at: DateTime<Utc>,
    pub enrolled_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
}

impl EnrolmentView {
    pub fn new(e: &Enrolment, position: Option<i64>) -> Self {
        EnrolmentView {
            id: e.id,
            course_id: e.course_id,
            status: e.status,
            waitlist_position: position,
            over_capacity: e.over_capacity,
            queued_at: e.queued_at,
            enrolled_at: e.enrolled_at,
            cancelled_at: e.cancelled_at,
        }
    }
}
