//! Who acts: the roles and the person behind a request. Accounts makes a `CurrentUser`;
//! every layer checks rights with it, so it lives on the ground.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use crate::ids::UserId;

/// Roles in order of rights: each has the rights of the one before.
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
    diesel_derive_enum::DbEnum,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[ExistingTypePath = "crate::db::schema::sql_types::UserRole"]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "snake_case", ascii_case_insensitive)]
pub enum Role {
    Participant,
    Trainer,
    Coordinator,
    Admin,
}

/// The person behind a request, as the identity middleware found them.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub email_verified: bool,
    pub locale: Locale,
    pub session_id: i64,
}

impl CurrentUser {
    pub fn has(&self, role: Role) -> bool {
        self.role >= role
    }

    /// `Ok` when the actor has at least `role`, else 403.
    pub fn require(&self, role: Role) -> AppResult<()> {
        if self.has(role) { Ok(()) } else { Err(AppError::Forbidden("error-forbidden-detail")) }
    }
}
