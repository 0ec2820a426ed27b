use diesel::PgConnection;

use crate::accounts::model::UserId;
use crate::error::AppResult;

pub fn trainer_courses_data(
    _conn: &mut PgConnection,
    _user: UserId,
) -> AppResult<Vec<serde_json::Value>> {
    Ok(Vec::new())
}

pub fn unassign_trainer_everywhere(_conn: &mut PgConnection, _user: UserId) -> AppResult<()> {
    Ok(())
}
