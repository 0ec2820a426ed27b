//! The coordinator's view of the outbox: what was sent, what waits, what failed and why,
//! with a button to try a failed message again.

use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::choice::Choice;
use crate::error::AppResult;
use crate::mail::model::{MailStatus, OutboxMessage};
use crate::mail::service;
use crate::web::ctx::Ctx;
use crate::web::{AppState, render, see_other};

#[derive(Template)]
#[template(path = "mail/outbox.html")]
struct OutboxPage {
    ctx: Ctx,
    messages: Vec<OutboxMessage>,
    counts: Vec<(MailStatus, i64)>,
    status: String,
}

#[derive(Debug, Default, Deserialize)]
struct OutboxFilter {
    #[serde(default)]
    status: String,
}

fn parse_status(text: &str) -> Option<MailStatus> {
    MailStatus::all().iter().copied().find(|s| s.as_str() == text)
}

#[get("/beheer/e-mails")]
async fn outbox(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    filter: web::Query<OutboxFilter>,
) -> AppResult<HttpResponse> {
    let status = parse_status(&filter.status);
    let (messages, counts) = state.db.run(move |conn| service::overview(conn, &user, status, 200)).await?;
    render(&OutboxPage { ctx, messages, counts, status: filter.into_inner().status })
}

#[post("/beheer/e-mails/{id}/opnieuw")]
async fn retry(state: web::Data<AppState>, user: CurrentUser, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    state.db.run(move |conn| service::retry(conn, &user, id)).await?;
    Ok(see_other("/beheer/e-mails?melding=mail-retried"))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(outbox).service(retry);
}
