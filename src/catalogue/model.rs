//! Themes, courses, sessions and the trainers of a course.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::schema::{course_sessions, courses, themes};
use crate::ids::{CourseId, SessionId};

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
#[ExistingTypePath = "crate::db::schema::sql_types::CourseFormat"]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "snake_case", ascii_case_insensitive)]
pub enum CourseFormat {
    Cursus,
    Werkplaats,
    Bijeenkomst,
}

/// `draft → published → (cancelled | archived)`, and a cancelled course can be archived.
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
#[ExistingTypePath = "crate::db::schema::sql_types::CourseStatus"]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "snake_case", ascii_case_insensitive)]
pub enum CourseStatus {
    Draft,
    Published,
    Cancelled,
    Archived,
}

impl CourseStatus {
    pub fn can_become(self, next: CourseStatus) -> bool {
        use CourseStatus::*;
        matches!(
            (self, next),
            (Draft, Published) | (Published, Cancelled) | (Published, Archived) | (Cancelled, Archived)
        )
    }

    /// Who may see the course: the public sees published and (read-only) archived ones.
    pub fn is_public(self) -> bool {
        matches!(self, CourseStatus::Published | CourseStatus::Archived)
    }
}

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
#[ExistingTypePath = "crate::db::schema::sql_types::SessionStatus"]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "snake_case", ascii_case_insensitive)]
pub enum SessionStatus {
    Scheduled,
    Cancelled,
}

/// How a freed seat goes to the waiting list (issue 18): at once to the first in line, or
/// as an offer that they accept within `offer_hours`.
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
#[ExistingTypePath = "crate::db::schema::sql_types::WaitlistMode"]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "snake_case", ascii_case_insensitive)]
pub enum WaitlistMode {
    Automatic,
    Offer,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = themes)]
pub struct Theme {
    #[serde(skip)]
    pub id: i64,
    pub slug: String,
    pub name_nl: String,
    pub name_en: String,
    pub description_nl: String,
    pub description_en: String,
    pub retired_at: Option<DateTime<Utc>>,
}

impl Theme {
    pub fn name(&self, locale: &crate::i18n::Locale) -> &str {
        match locale {
            crate::i18n::Locale::Nl => &self.name_nl,
            crate::i18n::Locale::En => &self.name_en,
        }
    }

    pub fn description(&self, locale: &crate::i18n::Locale) -> &str {
        match locale {
            crate::i18n::Locale::Nl => &self.description_nl,
            crate::i18n::Locale::En => &self.description_en,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = courses)]
pub struct Course {
    pub id: CourseId,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub description: String,
    pub description_html: String,
    pub theme_id: i64,
    pub format: CourseFormat,
    pub audience: String,
    pub capacity: i32,
    pub enrolment_opens_at: Option<DateTime<Utc>>,
    pub enrolment_closes_at: Option<DateTime<Utc>>,
    pub cancellation_deadline_hours: i32,
    pub completion_threshold: i32,
    pub waitlist_enabled: bool,
    pub status: CourseStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub waitlist_mode: WaitlistMode,
    pub offer_hours: i32,
}

/// A session of a course; the API shows it as `SessionView`.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Serialize, ToSchema)]
#[diesel(table_name = course_sessions)]
#[schema(as = SessionView)]
pub struct Session {
    pub id: SessionId,
    pub course_id: CourseId,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: String,
    pub address: String,
    pub wijk: Option<String>,
    pub online_url: Option<String>,
    pub status: SessionStatus,
    /// Raised on every change; calendar files carry it as SEQUENCE. Not shown.
    #[serde(skip)]
    #[schema(ignore)]
    pub sequence: i32,
    /// The DTSTAMP of the session's event in a feed. Not shown.
    #[serde(skip)]
    #[schema(ignore)]
    pub updated_at: DateTime<Utc>,
}

impl Session {
    pub fn is_cancelled(&self) -> bool {
        self.status == SessionStatus::Cancelled
    }

    /// "Buurtcentrum De Oosterpoort, Voorbeeldstraat 1 (Oosterpoort)".
    pub fn location(&self) -> String {
        let mut parts: Vec<&str> =
            [self.place.as_str(), self.address.as_str()].into_iter().filter(|p| !p.is_empty()).collect();
        if parts.is_empty() {
            parts.push(self.online_url.as_deref().unwrap_or(""));
        }
        let mut text = parts.join(", ");
        if let Some(wijk) = &self.wijk {
            text = format!("{text} ({})", crate::places::name(wijk));
        }
        text
    }
}

/// A session as the API shows it (the same struct; the name is the schema's).
pub type SessionView = Session;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ThemeView {
    pub slug: String,
    pub name_nl: String,
    pub name_en: String,
    pub description_nl: String,
    pub description_en: String,
    pub retired: bool,
}

impl From<&Theme> for ThemeView {
    fn from(t: &Theme) -> Self {
        ThemeView {
            slug: t.slug.clone(),
            name_nl: t.name_nl.clone(),
            name_en: t.name_en.clone(),
            description_nl: t.description_nl.clone(),
            description_en: t.description_en.clone(),
            retired: t.retired_at.is_some(),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrainerView {
    pub id: crate::ids::UserId,
    pub name: String,
}

/// Seats of a course: how many are taken, how many wait, and how many of those waiting
/// hold an open offer (a seat kept for them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Seats {
    pub enrolled: i64,
    pub waitlisted: i64,
    pub offered: i64,
}

impl Seats {
    /// capacity − enrolled − open offers.
    pub fn left(&self, capacity: i32) -> i64 {
        (i64::from(capacity) - self.enrolled - self.offered).max(0)
    }
}

/// A course in a list: what a card on `/cursussen` and `GET /api/v1/courses` show.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CourseSummary {
    pub id: CourseId,
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// The theme's slug.
    pub theme: String,
    #[serde(skip)]
    pub theme_name_nl: String,
    #[serde(skip)]
    pub theme_name_en: String,
    pub format: CourseFormat,
    pub status: CourseStatus,
    pub capacity: i32,
    pub seats_left: i64,
    pub enrolled_count: i64,
    pub waitlist_length: i64,
    pub waitlist_enabled: bool,
    pub next_session_at: Option<DateTime<Utc>>,
    /// Place and wijk of the next session.
    pub next_place: Option<String>,
    pub next_wijk: Option<String>,
    pub session_count: i64,
}

impl CourseSummary {
    pub fn theme_name(&self, locale: &crate::i18n::Locale) -> &str {
        match locale {
            crate::i18n::Locale::Nl => &self.theme_name_nl,
            crate::i18n::Locale::En => &self.theme_name_en,
        }
    }
}

/// Everything about one course: `GET /api/v1/courses/{id}` and the course page.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CourseView {
    pub id: CourseId,
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// Markdown as written.
    pub description: String,
    /// Sanitised HTML rendered from the Markdown.
    pub description_html: String,
    pub theme: String,
    pub format: CourseFormat,
    pub audience: String,
    pub capacity: i32,
    pub enrolment_opens_at: Option<DateTime<Utc>>,
    pub enrolment_closes_at: Option<DateTime<Utc>>,
    pub cancellation_deadline_hours: i32,
    pub completion_threshold: i32,
    pub waitlist_enabled: bool,
    /// `automatic` (a freed seat goes at once to the first in line) or `offer`.
    pub waitlist_mode: WaitlistMode,
    /// How long an offer runs in `offer` mode (1–168 hours).
    pub offer_hours: i32,
    pub status: CourseStatus,
    /// capacity − enrolled − open offers.
    pub seats_left: i64,
    pub enrolled_count: i64,
    pub waitlist_length: i64,
    /// Seats held by open offers.
    pub offered_count: i64,
    pub next_session_at: Option<DateTime<Utc>>,
    pub session_count: i64,
    pub sessions: Vec<SessionView>,
    pub trainers: Vec<TrainerView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A course with its theme, sessions, trainers and seats, as read for a page.
#[derive(Debug, Clone)]
pub struct CourseDetail {
    pub course: Course,
    pub theme: Theme,
    pub sessions: Vec<Session>,
    pub trainers: Vec<TrainerView>,
    pub seats: Seats,
}

impl CourseDetail {
    pub fn seats_left(&self) -> i64 {
        self.seats.left(self.course.capacity)
    }

    /// The first scheduled session that has not started.
    pub fn next_session(&self) -> Option<&Session> {
        let now = Utc::now();
        self.sessions.iter().filter(|s| !s.is_cancelled() && s.starts_at > now).min_by_key(|s| s.starts_at)
    }

    /// The first scheduled session, past or not: the cancellation deadline counts from it.
    pub fn first_session(&self) -> Option<&Session> {
        self.sessions.iter().filter(|s| !s.is_cancelled()).min_by_key(|s| s.starts_at)
    }

    pub fn view(&self) -> CourseView {
        let c = &self.course;
        CourseView {
            id: c.id,
            slug: c.slug.clone(),
            title: c.title.clone(),
            summary: c.summary.clone(),
            description: c.description.clone(),
            description_html: c.description_html.clone(),
            theme: self.theme.slug.clone(),
            format: c.format,
            audience: c.audience.clone(),
            capacity: c.capacity,
            enrolment_opens_at: c.enrolment_opens_at,
            enrolment_closes_at: c.enrolment_closes_at,
            cancellation_deadline_hours: c.cancellation_deadline_hours,
            completion_threshold: c.completion_threshold,
            waitlist_enabled: c.waitlist_enabled,
            waitlist_mode: c.waitlist_mode,
            offer_hours: c.offer_hours,
            status: c.status,
            seats_left: self.seats_left(),
            enrolled_count: self.seats.enrolled,
            waitlist_length: self.seats.waitlisted,
            offered_count: self.seats.offered,
            next_session_at: self.next_session().map(|s| s.starts_at),
            session_count: self.sessions.iter().filter(|s| !s.is_cancelled()).count() as i64,
            sessions: self.sessions.clone(),
            trainers: self.trainers.clone(),
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}
