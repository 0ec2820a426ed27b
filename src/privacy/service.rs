//! The data download and the deletion of an account, over the parts of every feature.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{CurrentUser, Role};
use crate::config::Site;
use crate::db::Db;
use crate::error::AppResult;
use crate::ids::UserId;
use crate::personal::{Export, Part, Subject};
use crate::{access, accounts, attendance, catalogue, enrolment, mail};

/// Every feature's part, from the top down: that is the order in which an account is
/// forgotten (seats are given up while the account still exists; the account row last).
const PARTS: &[Part] = &[
    access::service::PRIVACY,
    attendance::service::CERTIFICATES_PRIVACY,
    attendance::service::PRIVACY,
    enrolment::service::PRIVACY,
    catalogue::service::PRIVACY,
    mail::privacy::PRIVACY,
    accounts::service::PRIVACY,
];

/// Everything the platform keeps about a person: `profile`, `privacy_consent_at`,
/// `sessions`, `enrolments`, `trainer_of`, `attendance`, `certificates`, `access_needs`, `emails`,
/// `exported_at`.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonalData {
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub parts: Export,
    pub exported_at: DateTime<Utc>,
}

pub fn personal_data(conn: &mut PgConnection, site: &Site, user: UserId, idle: Duration) -> AppResult<PersonalData> {
    let subject = Subject { site, user, actor: Some(user), session_idle: idle };
    let mut parts = Export::new();
    for part in PARTS {
        parts.extend((part.export)(conn, &subject)?);
    }
    Ok(PersonalData { parts, exported_at: Utc::now() })
}

/// Delete one's own account; asks the password (checked before the transaction, off the
/// pool).
pub async fn delete_own_account(db: &Db, site: &Site, actor: &CurrentUser, current_password: &str) -> AppResult<()> {
    accounts::service::check_password(db, actor, current_password).await?;
    let (site, id) = (site.clone(), actor.id);
    db.tx(move |conn| {
        let user = accounts::service::get(conn, id)?;
        accounts::service::prepare_deletion(conn, &user)?;
        forget(conn, &site, id, Some(id))
    })
    .await
}

/// An admin deletes an account on request (no password needed).
pub fn delete_account_by_admin(
    conn: &mut PgConnection,
    site: &Site,
    actor: &CurrentUser,
    user: UserId,
) -> AppResult<()> {
    actor.require(Role::Admin)?;
    conn.transaction(|conn| {
        let target = accounts::service::get(conn, user)?;
        accounts::service::prepare_deletion(conn, &target)?;
        forget(conn, site, user, Some(actor.id))
    })
}

/// Forget who the person was, keep what happened: every part in turn, in one transaction.
fn forget(conn: &mut PgConnection, site: &Site, user: UserId, actor: Option<UserId>) -> AppResult<()> {
    let subject = Subject { site, user, actor, session_idle: Duration::zero() };
    for part in PARTS {
        (part.forget)(conn, &subject)?;
    }
    Ok(())
}
