//! Users, roles and the rows behind login sessions and emailed tokens.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Role;
use crate::db::schema::{login_sessions, user_tokens, users};
use crate::db::views::people;
use crate::i18n::Locale;
use crate::ids::UserId;

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
#[ExistingTypePath = "crate::db::schema::sql_types::ParticipantKind"]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "snake_case", ascii_case_insensitive)]
pub enum ParticipantKind {
    Bewoner,
    Vrijwilliger,
    Professional,
    Student,
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    diesel_derive_enum::DbEnum,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[ExistingTypePath = "crate::db::schema::sql_types::TokenPurpose"]
#[strum(serialize_all = "snake_case", ascii_case_insensitive)]
pub enum TokenPurpose {
    VerifyEmail,
    PasswordReset,
    Invitation,
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    ToSchema,
    diesel_derive_enum::DbEnum,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[ExistingTypePath = "crate::db::schema::sql_types::SessionKind"]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "snake_case", ascii_case_insensitive)]
pub enum SessionKind {
    Browser,
    Api,
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub password_hash: Option<String>,
    pub role: Role,
    pub email_verified_at: Option<DateTime<Utc>>,
    pub wijk: Option<String>,
    pub organisation: Option<String>,
    pub participant_kind: Option<ParticipantKind>,
    pub locale: String,
    pub privacy_consent_at: Option<DateTime<Utc>>,
    pub calendar_token: String,
    pub anonymised_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl User {
    pub fn locale(&self) -> Locale {
        Locale::from_code(&self.locale).unwrap_or_default()
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: Option<&'a str>,
    pub role: Role,
    pub email_verified_at: Option<DateTime<Utc>>,
    pub wijk: Option<&'a str>,
    pub organisation: Option<&'a str>,
    pub participant_kind: Option<ParticipantKind>,
    pub locale: &'a str,
    pub privacy_consent_at: Option<DateTime<Utc>>,
    pub calendar_token: &'a str,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = login_sessions)]
pub struct LoginSession {
    pub id: i64,
    #[serde(skip)]
    pub user_id: UserId,
    pub kind: SessionKind,
    pub user_agent: Option<String>,
    pub ip: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = user_tokens)]
pub struct UserToken {
    pub id: i64,
    pub user_id: UserId,
    pub purpose: TokenPurpose,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

/// A user as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserView {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub email_verified: bool,
    pub wijk: Option<String>,
    pub organisation: Option<String>,
    pub participant_kind: Option<ParticipantKind>,
    pub locale: Locale,
    pub created_at: DateTime<Utc>,
}

impl From<&User> for UserView {
    fn from(user: &User) -> Self {
        UserView {
            id: user.id,
            email: user.email.clone(),
            name: user.name.clone(),
            role: user.role,
            email_verified: user.email_verified_at.is_some(),
            wijk: user.wijk.clone(),
            organisation: user.organisation.clone(),
            participant_kind: user.participant_kind,
            locale: user.locale(),
            created_at: user.created_at,
        }
    }
}

/// A person as other features see them: accounts' read model `people` (no password, tokens
/// or consent), to join with their own rows.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = people)]
pub struct Person {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub locale: String,
    pub wijk: Option<String>,
    pub organisation: Option<String>,
    pub participant_kind: Option<ParticipantKind>,
    pub role: Role,
    pub email_verified: bool,
    pub anonymised: bool,
}
