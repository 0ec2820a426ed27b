//! JSON API of reports: the exports, streamed in the format asked for.

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpRequest, HttpResponse, get, web};

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::ids::UserId;
use crate::reports::model::ReportQuery;
use crate::reports::service::{self, Sink};
use crate::web::AppState;
use crate::web::errors::Problem;

/// Sends each batch to the HTTP body; the first message tells the handler whether the
/// export started at all (so an error before the first row is still a proper problem).
struct Channel(tokio::sync::mpsc::Sender<AppResult<Vec<u8>>>);

impl Sink for Channel {
    fn send(&mut self, bytes: Vec<u8>) -> bool {
        self.0.blocking_send(Ok(bytes)).is_ok()
    }
}

/// Run an export on its own connection and stream what it writes. Errors before the first
/// bytes are answered as problems; a later one ends the body early (and is logged).
async fn stream<F>(
    state: &AppState,
    file_name: String,
    content_type: &'static str,
    export: F,
) -> AppResult<HttpResponse>
where
    F: FnOnce(&mut diesel::PgConnection, &mut dyn Sink) -> AppResult<usize> + Send + 'static,
{
    let (tx, mut rx) = tokio::sync::mpsc::channel::<AppResult<Vec<u8>>>(4);
    let held = state.db.hold().await?;
    let errors = tx.clone();
    tokio::spawn(async move {
        let outcome = held.run(move |conn| export(conn, &mut Channel(tx))).await;
        if let Err(error) = outcome {
            tracing::warn!(%error, "an export stopped");
            let _ = errors.send(Err(error)).await;
        }
    });
    let first = match rx.recv().await {
        Some(Ok(bytes)) => bytes,
        Some(Err(error)) => return Err(error),
        None => return Err(AppError::internal("the export ended before it began")),
    };
    let rest = futures_util::stream::unfold(rx, |mut rx| async move {
        match rx.recv().await {
            Some(Ok(bytes)) => Some((Ok::<_, actix_web::Error>(web::Bytes::from(bytes)), rx)),
            Some(Err(_)) | None => None,
        }
    });
    let body = futures_util::StreamExt::chain(
        futures_util::stream::once(async move { Ok::<_, actix_web::Error>(web::Bytes::from(first)) }),
        rest,
    );
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(file_name)],
        })
        .insert_header(("Cache-Control", "no-store"))
        .streaming(body))
}

/// One row per participant × session in the period (session dates, inclusive): the session
/// (date, start, end, hours, place, wijk, trainers), the participant and the record
/// (enrolment status, expected, mark). People who withdrew keep the rows of the sessions
/// held while they were enrolled. Coordinators and admins only.
#[utoipa::path(tag = "reports", params(ReportQuery),
    responses((status = 200, description = "the table in the format asked for",
               content(("text/csv"), ("application/json"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
              (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[get("/api/v1/reports/sessions")]
async fn sessions(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    query: web::Query<ReportQuery>,
) -> AppResult<HttpResponse> {
    service::may_report(&user)?;
    let report = query.parse()?;
    let locale = crate::web::ctx::locale_of(&req);
    let secret = state.config.secret_key.clone();
    let name = report.file_name("sessies");
    let content_type = report.format.content_type();
    stream(&state, name, content_type, move |conn, sink| service::sessions(conn, &user, &secret, &report, locale, sink))
        .await
}

/// One row per participant × course over the sessions in the period: the counts by the
/// attendance ledger's rules (expected, attended = present or late, excused, absent), both
/// rates, the hours attended and completion. People who withdrew keep their row.
/// Coordinators and admins only.
#[utoipa::path(tag = "reports", params(ReportQuery),
    responses((status = 200, description = "the table in the format asked for",
               content(("text/csv"), ("application/json"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
              (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[get("/api/v1/reports/participation")]
async fn participation(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    query: web::Query<ReportQuery>,
) -> AppResult<HttpResponse> {
    service::may_report(&user)?;
    let report = query.parse()?;
    let locale = crate::web::ctx::locale_of(&req);
    let secret = state.config.secret_key.clone();
    let name = report.file_name("deelname");
    let content_type = report.format.content_type();
    stream(&state, name, content_type, move |conn, sink| {
        service::participation(conn, &user, &secret, &report, locale, sink)
    })
    .await
}

/// The period and format of one person's report (their record across all courses).
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ParticipantQuery {
    /// First session date (inclusive), `YYYY-MM-DD`.
    #[param(required = true, value_type = String, format = Date)]
    pub from: Option<String>,
    /// Last session date (inclusive), `YYYY-MM-DD`.
    #[param(required = true, value_type = String, format = Date)]
    pub to: Option<String>,
    /// `csv` (default), `csv-nl`, `xlsx` or `json`.
    #[param(pattern = "^(csv|csv-nl|xlsx|json)$")]
    pub format: Option<String>,
}

/// One person's record across all courses in the period: the columns of the participation
/// export. Coordinators and admins, and the person about themselves.
#[utoipa::path(tag = "reports", params(("user_id" = i64, Path), ParticipantQuery),
    responses((status = 200, description = "the table in the format asked for",
               content(("text/csv"), ("application/json"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
              (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[get("/api/v1/reports/participants/{user_id}")]
async fn participant(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    person: web::Path<UserId>,
    query: web::Query<ParticipantQuery>,
) -> AppResult<HttpResponse> {
    let person = person.into_inner();
    if user.id != person {
        service::may_report(&user)?;
    }
    let query = query.into_inner();
    let report =
        ReportQuery { from: query.from, to: query.to, format: query.format, ..ReportQuery::default() }.parse()?;
    let locale = crate::web::ctx::locale_of(&req);
    let secret = state.config.secret_key.clone();
    let name = report.file_name(&format!("deelnemer-{}", person.0));
    let content_type = report.format.content_type();
    stream(&state, name, content_type, move |conn, sink| {
        service::participant(conn, &user, &secret, person, &report, locale, sink)
    })
    .await
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(sessions).service(participation).service(participant).service(summary);
}

/// The summary's figures per group, with `{items}`; with `format=` the same table as a file
/// (csv, csv-nl, xlsx, json). In a pseudonymous summary (`anonymise=true&purpose=…`) a count
/// of 1 to 4 people, and the rates and hours of a group of 1 to 4 participants, are the
/// string `"<5"`. Coordinators and admins only.
#[utoipa::path(tag = "reports", params(ReportQuery, crate::reports::summary::GroupQuery),
    responses((status = 200, description = "the figures per group", body = SummaryItems,
               content(("application/json"), ("text/csv"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
              (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[get("/api/v1/reports/summary")]
async fn summary(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    query: web::Query<ReportQuery>,
    group: web::Query<crate::reports::summary::GroupQuery>,
) -> AppResult<HttpResponse> {
    use crate::choice::Choice;
    use crate::reports::summary as s;
    service::may_report(&user)?;
    let (report, group_by) = s::parse(&query, &group)?;
    let as_file = query.format.as_deref().is_some_and(|f| !f.trim().is_empty());
    if !as_file {
        let items = state.db.run(move |conn| s::summary(conn, &user, &report, group_by)).await?;
        return Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(SummaryItems { items }));
    }
    let locale = crate::web::ctx::locale_of(&req);
    let name = report.file_name(&format!("samenvatting-{}", group_by.as_str().replace('_', "-")));
    let content_type = report.format.content_type();
    let bytes = state.db.run(move |conn| s::summary_table(conn, &user, &report, group_by, locale)).await?;
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(name)],
        })
        .insert_header(("Cache-Control", "no-store"))
        .body(bytes))
}

/// `{items: [summary row]}`.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct SummaryItems {
    pub items: Vec<crate::reports::summary::SummaryRow>,
}
