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
)]
#[ExistingTypePath = "crate::db::schema::sql_types::UserRole"]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Participant,
    Trainer,
    Coordinator,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Participant, Role::Trainer, Role::Coordinator, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Participant => "participant",
            Role::Trainer => "trainer",
            Role::Coordinator => "coordinator",
            Role::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == text.trim().to_ascii_lowercase())
    }
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
