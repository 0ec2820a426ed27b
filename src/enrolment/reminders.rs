use std::sync::Arc;

pub async fn run(
    _db: crate::db::Db,
    _config: Arc<crate::config::Config>,
    _stop: tokio::sync::watch::Receiver<bool>,
) {
}
