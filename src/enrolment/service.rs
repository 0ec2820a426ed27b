use diesel::PgConnection;

use crate::accounts::model::UserId;
use crate::error::AppResult;

pub fn personal_data(_conn: &mut PgConnection, _user: UserId) -> AppResult<Vec<serde_json::Value>> {
    Ok(Vec::new())
}

pub fn withdraw_everywhere(
    _conn: &mut PgConnection,
    _base: &str,
    _user: UserId,
    _actor: Option<UserId>,
) -> AppResult<()> {
    Ok(())
}
