//! Enrolments (a seat or a place on the waiting list) and their history.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::schema::{enrolment_events, enrolments, waitlist_offers};
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
    /// A freed seat is held for them until a deadline (issue 18).
    Offered,
    OfferAccepted,
    OfferDeclined,
    OfferExpired,
    /// A coordinator took the offer back.
    OfferWithdrawn,
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
            EnrolmentAction::Offered => "offered",
            EnrolmentAction::OfferAccepted => "offer_accepted",
            EnrolmentAction::OfferDeclined => "offer_declined",
            EnrolmentAction::OfferExpired => "offer_expired",
            EnrolmentAction::OfferWithdrawn => "offer_withdrawn",
        }
    }
}

/// Where an offer of a seat stands: `open` holds the seat; every other status is final.
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
#[ExistingTypePath = "crate::db::schema::sql_types::OfferStatus"]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "snake_case", ascii_case_insensitive)]
pub enum OfferStatus {
    Open,
    Accepted,
    Declined,
    Expired,
    Withdrawn,
}

/// A seat held for someone on the waiting list until `expires_at`.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = waitlist_offers)]
pub struct WaitlistOffer {
    pub id: i64,
    pub enrolment_id: EnrolmentId,
    pub course_id: CourseId,
    pub offered_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub status: OfferStatus,
    pub decided_at: Option<DateTime<Utc>>,
}

/// An enrolment as people see it: someone waiting who holds an open offer is `offered`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum EnrolmentState {
    Enrolled,
    Waitlisted,
    Offered,
    Cancelled,
}

impl EnrolmentState {
    pub fn as_str(self) -> &'static str {
        match self {
            EnrolmentState::Enrolled => "enrolled",
            EnrolmentState::Waitlisted => "waitlisted",
            EnrolmentState::Offered => "offered",
            EnrolmentState::Cancelled => "cancelled",
        }
    }

    /// Waiting, with or without an offer.
    pub fn is_waiting(self) -> bool {
        matches!(self, EnrolmentState::Waitlisted | EnrolmentState::Offered)
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
    /// `offered`: waiting, with a seat held until `offer_expires_at`.
    pub status: EnrolmentState,
    /// The deadline of an open offer; `null` otherwise.
    pub offer_expires_at: Option<DateTime<Utc>>,
    /// 1 for the first person waiting; `null` unless waitlisted.
    pub waitlist_position: Option<i64>,
    pub over_capacity: bool,
    pub queued_at: DateTime<Utc>,
    pub enrolled_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
}

impl EnrolmentView {
    pub fn new(e: &Enrolment, position: Option<i64>, offer_expires_at: Option<DateTime<Utc>>) -> Self {
        let status = match e.status {
            EnrolmentStatus::Enrolled => EnrolmentState::Enrolled,
            EnrolmentStatus::Waitlisted if offer_expires_at.is_some() => EnrolmentState::Offered,
            EnrolmentStatus::Waitlisted => EnrolmentState::Waitlisted,
            EnrolmentStatus::Cancelled => EnrolmentState::Cancelled,
        };
        EnrolmentView {
            id: e.id,
            course_id: e.course_id,
            status,
            offer_expires_at: offer_expires_at.filter(|_| e.status == EnrolmentStatus::Waitlisted),
            waitlist_position: position,
            over_capacity: e.over_capacity,
            queued_at: e.queued_at,
            enrolled_at: e.enrolled_at,
            cancelled_at: e.cancelled_at,
        }
    }
}
