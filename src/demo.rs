//! Demo data.
use crate::accounts::model::Role;

pub struct DemoLogin {
    pub role: Role,
    pub email: String,
    pub password: String,
}

pub enum DemoOutcome {
    Created(Vec<DemoLogin>),
    AlreadyHasUsers,
}

pub async fn run(_db: &crate::db::Db, _config: &crate::config::Config) -> anyhow::Result<DemoOutcome> {
    Ok(DemoOutcome::AlreadyHasUsers)
}
