//! Pages that belong to no feature: home, health checks, the language switch.

use actix_web::{HttpResponse, get, web};
use askama::Template;
use askama_web::WebTemplate;

use crate::error::AppError;
use crate::web::AppState;
use crate::web::ctx::Ctx;

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
struct Home {
    ctx: Ctx,
}

#[get("/")]
async fn home(ctx: Ctx) -> Home {
    Home { ctx }
}

/// The process is up.
#[get("/healthz")]
async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain; charset=utf-8").body("ok")
}

/// The database answers.
#[get("/readyz")]
async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    use diesel::RunQueryDsl;
    let probe = state.db.run(|conn| Ok(diesel::sql_query("SELECT 1").execute(conn)?));
    // a load balancer wants a quick answer, not the pool's 30 s wait
    match tokio::time::timeout(std::time::Duration::from_secs(3), probe)
        .await
        .unwrap_or(Err(AppError::Unavailable("timeout".into())))
    {
        Ok(_) => HttpResponse::Ok().content_type("text/plain; charset=utf-8").body("ready"),
        Err(e) => {
            tracing::warn!(error = %e, "not ready");
            HttpResponse::ServiceUnavailable().content_type("text/plain; charset=utf-8").body("database unavailable")
        }
    }
}

/// Only a path on this site: never send the reader elsewhere.
pub fn safe_return(path: &str) -> String {
    let ok =
        path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') && !path.chars().any(char::is_control);
    if ok { path.to_owned() } else { "/".to_owned() }
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(home)
        .service(healthz)
        .service(readyz)
        .route("/static/{name}", web::get().to(crate::web::assets::serve));
}

#[cfg(test)]
mod tests {
    use super::safe_return;

    #[test]
    fn return_paths_stay_on_the_site() {
        assert_eq!(safe_return("/cursussen?thema=x"), "/cursussen?thema=x");
        assert_eq!(safe_return("//evil.example"), "/");
        assert_eq!(safe_return("https://evil.example"), "/");
        assert_eq!(safe_return("/\\evil.example"), "/");
        assert_eq!(safe_return(""), "/");
    }
}
