//! The privacy interface. Every feature that keeps data about a person offers a `Part`:
//! its share of the person's data download, and what it does when the account is deleted.
//! `privacy` (above all features) asks each part in turn, so no feature needs to know the
//! tables of another, and a new feature joins by adding its part there.

use chrono::Duration;
use diesel::PgConnection;

use crate::config::Site;
use crate::error::AppResult;
use crate::ids::UserId;

/// Whose data, and who asks.
pub struct Subject<'a> {
    pub site: &'a Site,
    pub user: UserId,
    /// The person themselves or an admin; `None` for the system.
    pub actor: Option<UserId>,
    /// Login sessions unused this long have ended (the download lists the live ones).
    pub session_idle: Duration,
}

/// Top-level keys and values a part adds to the download.
pub type Export = serde_json::Map<String, serde_json::Value>;

/// One feature's share.
pub struct Part {
    pub feature: &'static str,
    pub export: fn(&mut PgConnection, &Subject) -> AppResult<Export>,
    /// Forget who the person was and keep what happened, as anonymous counts: give up what
    /// is still to come, remove what identifies them.
    pub forget: fn(&mut PgConnection, &Subject) -> AppResult<()>,
}

/// The address an anonymised account and its old messages keep: unique, and undeliverable.
pub fn anonymous_address(user: UserId) -> String {
    format!("verwijderd-{user}@verwijderd.invalid")
}

/// A value for an `Export`.
pub fn value<T: serde::Serialize>(value: &T) -> AppResult<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| crate::error::AppError::Internal(e.into()))
}
