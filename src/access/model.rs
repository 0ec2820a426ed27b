//! Access needs as stored: one row per person and course, and the audit of reads outside
//! the pages.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::schema::{access_needs, access_needs_audit};
use crate::ids::{CourseId, UserId};

/// The fixed list of needs. Stored as these words (a CHECK in the migration keeps the
/// table to them); each has a one-line explanation of who sees it and why
/// (`access-need-<word>-why`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    ToSchema,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case", ascii_case_insensitive)]
pub enum Need {
    Rolstoel,
    Tolk,
    Kinderopvang,
    LezenSchrijven,
    Prikkelarm,
    Anders,
}

/// A row of `access_needs`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = access_needs)]
pub struct AccessNeedsRow {
    pub course_id: CourseId,
    pub user_id: UserId,
    pub needs: Vec<String>,
    pub language: Option<String>,
    pub note: Option<String>,
    pub consent_at: DateTime<Utc>,
    pub wording_version: i32,
    pub updated_at: DateTime<Utc>,
}

/// A read of a course's needs outside the pages: who, when, which course, how many people.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = access_needs_audit)]
pub struct NewAuditEntry {
    pub actor_id: UserId,
    pub course_id: CourseId,
    pub at: DateTime<Utc>,
    pub people: i32,
}

impl Need {
    /// A sign shown next to the words (hidden from screen readers, which read the words).
    pub fn icon(self) -> &'static str {
        match self {
            Need::Rolstoel => "♿",
            Need::Tolk => "💬",
            Need::Kinderopvang => "🧸",
            Need::LezenSchrijven => "📖",
            Need::Prikkelarm => "🤫",
            Need::Anders => "➕",
        }
    }

    /// The Fluent key of its name on the form and on the roster.
    pub fn label_key(self) -> String {
        format!("access-need-{}", <&'static str>::from(self))
    }

    /// The Fluent key of its short name in a count ("3 × tolk").
    pub fn short_key(self) -> String {
        format!("access-short-{}", <&'static str>::from(self))
    }

    /// The Fluent key of the one line that says who sees it and why.
    pub fn why_key(self) -> String {
        format!("access-why-{}", <&'static str>::from(self))
    }

    /// The word in forms and JSON.
    pub fn word(self) -> &'static str {
        self.into()
    }
}
