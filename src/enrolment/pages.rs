//! HTML pages of enrolment: enrol and cancel from the course page, a personal calendar
//! feed, and the coordinator's list of a course with the waiting list, enrolling on
//! someone's behalf and a CSV export. ("Mijn cursussen" is attendance's page: it adds
//! one's own marks to enrolment's `my_courses`.)

use actix_web::http::StatusCode;
use actix_web::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use crate::access::service::CourseNeeds;
use crate::auth::CurrentUser;
use crate::catalogue::model::{CourseDetail, CourseStatus};
use crate::choice::Choice;
use crate::enrolment::model::{EnrolmentEvent, EnrolmentState, EnrolmentView};
use crate::enrolment::service::{self, CourseEnrolments, OnBehalf, Participant};
use crate::error::{AppError, AppResult, FieldError};
use crate::export::{Cell, Column, Format, Table};
use crate::ids::{CourseId, EnrolmentId};
use crate::mail::ics::{self, Method};
use crate::web::ctx::Ctx;
use crate::web::form::{finish, go};
use crate::web::{AppState, render, render_with_status, see_other};
use chrono_tz::Europe::Amsterdam;

// ---------------------------------------------------------------------------------------
// the course page: a course as the visitor sees it, with their enrolment

#[derive(Template)]
#[template(path = "enrolment/course.html")]
struct CoursePage {
    ctx: Ctx,
    detail: CourseDetail,
    enrolment: Option<EnrolmentView>,
    closed: Option<&'static str>,
    cancel_until: Option<chrono::DateTime<chrono::Utc>>,
    may_cancel: bool,
    /// Whom to write when one can no longer cancel oneself.
    contact: String,
}

impl CoursePage {
    fn theme_name(&self) -> &str {
        self.detail.theme.name(&self.ctx.locale)
    }
    fn is_enrolled(&self) -> bool {
        self.enrolment.as_ref().is_some_and(|e| e.status == EnrolmentState::Enrolled)
    }
    fn is_waitlisted(&self) -> bool {
        self.enrolment.as_ref().is_some_and(|e| e.status.is_waiting())
    }
    fn offer_until(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.enrolment.as_ref().and_then(|e| e.offer_expires_at)
    }
    fn position(&self) -> i64 {
        self.enrolment.as_ref().and_then(|e| e.waitlist_position).unwrap_or(0)
    }
    fn full(&self) -> bool {
        self.detail.seats_left() == 0
    }
    fn description_html(&self) -> &str {
        &self.detail.course.description_html
    }
}

#[get("/cursussen/{slug}")]
async fn course_page(state: web::Data<AppState>, ctx: Ctx, slug: web::Path<String>) -> AppResult<HttpResponse> {
    let viewer = ctx.user.clone();
    let page = service::kept_course_page(&state.db, viewer, &slug).await?;
    render(&CoursePage {
        ctx,
        closed: page.closed,
        cancel_until: page.cancel_until,
        may_cancel: page.may_cancel,
        contact: state.config.mail_from.email.to_string(),
        enrolment: page.enrolment,
        detail: page.detail,
    })
}

// ---------------------------------------------------------------------------------------
// enrolling and cancelling

#[post("/cursussen/{slug}/inschrijven")]
async fn enrol(state: web::Data<AppState>, user: CurrentUser, slug: web::Path<String>) -> AppResult<HttpResponse> {
    let site = state.config.site();
    let enrolled = state.db.run(move |conn| service::enrol_by_slug(conn, &site, &user, &slug)).await?;
    let note = match (enrolled.created, enrolled.enrolment.status) {
        (false, _) => "already-enrolled",
        (true, EnrolmentState::Waitlisted) => "waitlisted",
        _ => "enrolled",
    };
    Ok(see_other(format!("/mijn-cursussen?melding={note}")))
}

/// "Are you sure?" before giving up a seat or a place in line: a page of its own, so it
/// works without JavaScript; its form posts the real cancel.
#[derive(Template)]
#[template(path = "enrolment/cancel_confirm.html")]
struct CancelConfirmPage {
    ctx: Ctx,
    title: String,
    question: String,
    button: String,
    action: String,
    back: String,
    /// Why it cannot be done (the deadline passed), instead of the form.
    refused: Option<String>,
}

#[get("/cursussen/{slug}/uitschrijven")]
async fn cancel_form(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    slug: web::Path<String>,
) -> AppResult<HttpResponse> {
    let page = state.db.run(move |conn| service::course_page(conn, Some(&user), &slug)).await?;
    let course = &page.detail.course;
    let back = format!("/cursussen/{}", course.slug);
    let Some(enrolment) = page.enrolment else {
        return Ok(see_other(back));
    };
    let waitlisted = enrolment.status.is_waiting();
    let refused =
        (!page.may_cancel).then(|| ctx.t1("course-deadline-passed", "email", state.config.mail_from.email.to_string()));
    let render_page = CancelConfirmPage {
        title: ctx.t1(
            if waitlisted { "confirm-leave-title" } else { "confirm-cancel-title" },
            "course",
            course.title.clone(),
        ),
        question: ctx.t(if waitlisted { "confirm-leave-question" } else { "confirm-cancel-question" }),
        button: ctx.t(if waitlisted { "confirm-leave-button" } else { "confirm-cancel-button" }),
        action: format!("/cursussen/{}/uitschrijven", course.slug),
        back,
        refused,
        ctx,
    };
    render(&render_page)
}

#[post("/cursussen/{slug}/uitschrijven")]
async fn cancel(state: web::Data<AppState>, user: CurrentUser, slug: web::Path<String>) -> AppResult<HttpResponse> {
    let site = state.config.site();
    state.db.run(move |conn| service::cancel_own_by_slug(conn, &site, &user, &slug)).await?;
    Ok(see_other("/mijn-cursussen?melding=cancelled"))
}

/// A personal calendar feed: the secret in the URL stands for the person.
#[get("/agenda/{token}.ics")]
async fn personal_feed(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    token: web::Path<String>,
) -> AppResult<HttpResponse> {
    let site = state.config.site();
    let feed_site = site.clone();
    let secret = state.config.secret_key.clone();
    let events = state.db.run(move |conn| service::personal_feed(conn, &feed_site, &secret, &token)).await?;
    let body = ics::calendar(Method::Publish, "Wijkmakers Academie", &site.mail_from, &events);
    Ok(crate::web::assets::calendar_file(&req, body, "agenda.ics", "private, max-age=300"))
}

// ---------------------------------------------------------------------------------------
// coordinator

#[derive(Debug, Default, Clone, Deserialize)]
struct OnBehalfForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    override_capacity: Option<String>,
}

#[derive(Template)]
#[template(path = "enrolment/manage.html")]
struct ManagePage {
    ctx: Ctx,
    detail: CourseDetail,
    enrolled: Vec<Participant>,
    waiting: Vec<Participant>,
    history: Vec<(EnrolmentEvent, String)>,
    form: OnBehalfForm,
    errors: Vec<FieldError>,
    /// The offer whose "more time" form came back with `extend_errors`.
    extend_for: Option<EnrolmentId>,
    extend_errors: Vec<FieldError>,
}

impl ManagePage {
    /// The error of the "more time" form of `id`'s offer, if that form came back.
    fn extend_error(&self, id: &EnrolmentId) -> Option<String> {
        (self.extend_for == Some(*id)).then(|| self.ctx.err(&self.extend_errors, "hours")).flatten()
    }
    fn extend_prefix(&self) -> String {
        self.extend_for.map(|id| format!("aanbod-{id}")).unwrap_or_default()
    }
    fn place_name(&self, slug: &Option<String>) -> String {
        slug.as_deref().map(crate::places::name).unwrap_or("").to_owned()
    }
    /// The history's notes are stored as fixed words; they are shown in the reader's language.
    fn note_text(&self, note: &str) -> String {
        match note {
            "over capacity" => self.ctx.t("note-over-capacity"),
            "account deleted" => self.ctx.t("note-account-deleted"),
            "stays on the waiting list" => self.ctx.t("offer-note-stays"),
            "leaves the waiting list" => self.ctx.t("offer-note-leaves"),
            other if other.starts_with("deadline extended to ") => self.ctx.t("offer-note-extended"),
            other => other.to_owned(),
        }
    }
    fn is_open(&self) -> bool {
        self.detail.course.status == CourseStatus::Published || self.detail.course.status == CourseStatus::Draft
    }
}

async fn manage_page(
    state: &AppState,
    ctx: Ctx,
    user: CurrentUser,
    id: CourseId,
    form: OnBehalfForm,
    errors: Vec<FieldError>,
    extend: Option<(EnrolmentId, Vec<FieldError>)>,
) -> AppResult<HttpResponse> {
    let CourseEnrolments { detail, enrolled, waiting, history } =
        state.db.run(move |conn| service::course_enrolments(conn, &user, id)).await?;
    let (extend_for, extend_errors) = extend.map_or((None, Vec::new()), |(id, errors)| (Some(id), errors));
    let status =
        if errors.is_empty() && extend_errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = ManagePage { ctx, detail, enrolled, waiting, history, form, errors, extend_for, extend_errors };
    render_with_status(status, &page)
}

#[get("/beheer/cursussen/{id}/inschrijvingen")]
async fn manage(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    id: web::Path<CourseId>,
) -> AppResult<HttpResponse> {
    manage_page(&state, ctx, user, id.into_inner(), OnBehalfForm::default(), Vec::new(), None).await
}

#[post("/beheer/cursussen/{id}/inschrijvingen")]
async fn enrol_on_behalf(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    id: web::Path<CourseId>,
    form: web::Form<OnBehalfForm>,
) -> AppResult<HttpResponse> {
    let (id, site, form) = (id.into_inner(), state.config.site(), form.into_inner());
    let who = OnBehalf {
        user_id: None,
        email: Some(form.email.clone()),
        name: Some(form.name.clone()),
        override_capacity: form.override_capacity.is_some(),
    };
    let actor = user.clone();
    let result = state.db.run(move |conn| service::enrol_on_behalf(conn, &site, &actor, id, &who)).await;
    let next = |enrolled: service::Enrolled| {
        let note = match (enrolled.created, enrolled.enrolment.status) {
            (false, _) => "already-enrolled-other",
            (true, EnrolmentState::Waitlisted) => "waitlisted-other",
            _ => "enrolled-other",
        };
        go(format!("/beheer/cursussen/{id}/inschrijvingen?melding={note}"))
    };
    finish(result, next, |errors| {
        // the form asks for an address; a wrong person is a wrong address
        let errors = errors
            .into_iter()
            .map(|mut e| {
                if e.field == "user_id" {
                    e.field = "email".into();
                }
                e
            })
            .collect();
        manage_page(&state, ctx, user, id, form, errors, None)
    })
    .await
}

#[get("/beheer/inschrijvingen/{id}/annuleren")]
async fn cancel_enrolment_form(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    id: web::Path<EnrolmentId>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let preview = state.db.run(move |conn| service::cancel_preview(conn, &user, id)).await?;
    let back = format!("/beheer/cursussen/{}/inschrijvingen", preview.course.id);
    if preview.enrolment.status == EnrolmentState::Cancelled {
        return Ok(see_other(back));
    }
    let waitlisted = preview.enrolment.status.is_waiting();
    let args = [("name", preview.name.clone().into()), ("course", preview.course.title.clone().into())];
    let page = CancelConfirmPage {
        title: ctx.locale.t_args(if waitlisted { "confirm-remove-title" } else { "confirm-unenrol-title" }, args),
        question: ctx.t1(
            if waitlisted { "confirm-remove-question" } else { "confirm-unenrol-question" },
            "name",
            preview.name.clone(),
        ),
        button: ctx.t1(
            if waitlisted { "confirm-remove-button" } else { "confirm-unenrol-button" },
            "name",
            preview.name,
        ),
        action: format!("/beheer/inschrijvingen/{id}/annuleren"),
        back,
        refused: None,
        ctx,
    };
    render(&page)
}

#[post("/beheer/inschrijvingen/{id}/annuleren")]
async fn cancel_enrolment(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<EnrolmentId>,
) -> AppResult<HttpResponse> {
    let (id, site) = (id.into_inner(), state.config.site());
    let cancelled = state.db.run(move |conn| service::cancel_by_coordinator(conn, &site, &user, id)).await?;
    Ok(see_other(format!("/beheer/cursussen/{}/inschrijvingen?melding=enrolment-cancelled", cancelled.course_id)))
}

#[derive(Debug, Default, Deserialize)]
struct PromoteForm {
    override_capacity: Option<String>,
}

#[post("/beheer/inschrijvingen/{id}/plaatsen")]
async fn promote(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<EnrolmentId>,
    form: web::Form<PromoteForm>,
) -> AppResult<HttpResponse> {
    let (id, site, over) = (id.into_inner(), state.config.site(), form.override_capacity.is_some());
    let promoted = state.db.run(move |conn| service::promote(conn, &site, &user, id, over)).await?;
    Ok(see_other(format!("/beheer/cursussen/{}/inschrijvingen?melding=promoted", promoted.course_id)))
}

#[derive(Debug, Deserialize)]
struct ExtendForm {
    #[serde(default)]
    hours: String,
    /// The course whose list the form is on: where a wrong value is shown again.
    cursus: CourseId,
}

#[post("/beheer/inschrijvingen/{id}/aanbod/verlengen")]
async fn extend_offer(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    id: web::Path<EnrolmentId>,
    form: web::Form<ExtendForm>,
) -> AppResult<HttpResponse> {
    let (id, course) = (id.into_inner(), form.cursus);
    // a value that is not a number is out of range: the service names the field
    let hours = form.hours.trim().parse::<i64>().unwrap_or(0);
    let actor = user.clone();
    let result = state.db.run(move |conn| service::extend_offer(conn, &actor, id, hours)).await;
    let next = |extended: EnrolmentView| {
        go(format!("/beheer/cursussen/{}/inschrijvingen?melding=offer-extended", extended.course_id))
    };
    finish(result, next, |errors| {
        manage_page(&state, ctx, user, course, OnBehalfForm::default(), Vec::new(), Some((id, errors)))
    })
    .await
}

#[post("/beheer/inschrijvingen/{id}/aanbod/intrekken")]
async fn withdraw_offer(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<EnrolmentId>,
) -> AppResult<HttpResponse> {
    let (id, site) = (id.into_inner(), state.config.site());
    let withdrawn = state.db.run(move |conn| service::withdraw_offer(conn, &site, &user, id)).await?;
    Ok(see_other(format!("/beheer/cursussen/{}/inschrijvingen?melding=offer-withdrawn", withdrawn.course_id)))
}

// ---------------------------------------------------------------------------------------
// the offer of a seat, from the email or "Mijn cursussen": accept, or decline and choose
// whether to stay on the list

#[derive(Template)]
#[template(path = "enrolment/offer.html")]
struct OfferPageView {
    ctx: Ctx,
    enrolment: EnrolmentView,
    detail: CourseDetail,
    /// The email link's token, posted again by the buttons.
    token: Option<String>,
}

impl OfferPageView {
    fn is_enrolled(&self) -> bool {
        self.enrolment.status == EnrolmentState::Enrolled
    }
}

/// A link from an offer email that no longer works (another offer's, used, or past its
/// deadline): said kindly, and nothing changed.
#[derive(Template)]
#[template(path = "enrolment/offer_link.html")]
struct OfferLinkPage {
    ctx: Ctx,
    message: &'static str,
}

/// `result`, or the kind page when the service refused the link.
fn or_link_page(ctx: Ctx, result: AppResult<HttpResponse>) -> AppResult<HttpResponse> {
    match result {
        Err(AppError::Conflict(message)) if message.starts_with("offer-link-") => {
            let status = if message == "offer-link-wrong" { StatusCode::NOT_FOUND } else { StatusCode::GONE };
            render_with_status(status, &OfferLinkPage { ctx, message })
        }
        other => other,
    }
}

#[derive(Debug, Default, Deserialize)]
struct OfferLink {
    token: Option<String>,
}

/// The offer's page, from the email link (its token: no login needed) or logged in.
/// Only shows: the buttons post.
#[get("/aanbod/{id}")]
async fn offer_page(
    state: web::Data<AppState>,
    ctx: Ctx,
    id: web::Path<EnrolmentId>,
    link: web::Query<OfferLink>,
) -> AppResult<HttpResponse> {
    let (id, user, token) = (id.into_inner(), ctx.user.clone(), link.into_inner().token);
    let result = state.db.run(move |conn| service::offer_of(conn, user.as_ref(), token.as_deref(), id)).await;
    match result {
        Ok(page) => render(&OfferPageView { ctx, enrolment: page.enrolment, detail: page.detail, token: page.token }),
        Err(e) => or_link_page(ctx, Err(e)),
    }
}

/// Where to go after answering: "Mijn cursussen" when logged in, else the catalogue.
fn after_answer(ctx: &Ctx, note: &str) -> AppResult<HttpResponse> {
    let page = if ctx.user.is_some() { "/mijn-cursussen" } else { "/cursussen" };
    Ok(see_other(format!("{page}?melding={note}")))
}

#[post("/aanbod/{id}/accepteren")]
async fn accept_offer(
    state: web::Data<AppState>,
    ctx: Ctx,
    id: web::Path<EnrolmentId>,
    form: web::Form<OfferLink>,
) -> AppResult<HttpResponse> {
    let (id, site, user, token) = (id.into_inner(), state.config.site(), ctx.user.clone(), form.into_inner().token);
    let result =
        state.db.run(move |conn| service::accept_offer(conn, &site, user.as_ref(), token.as_deref(), id)).await;
    let result = result.and_then(|_| after_answer(&ctx, "offer-accepted"));
    or_link_page(ctx, result)
}

#[derive(Debug, Default, Deserialize)]
struct DeclineForm {
    /// "ja": stay on the waiting list, at its end.
    blijven: Option<String>,
    token: Option<String>,
}

#[post("/aanbod/{id}/afwijzen")]
async fn decline_offer(
    state: web::Data<AppState>,
    ctx: Ctx,
    id: web::Path<EnrolmentId>,
    form: web::Form<DeclineForm>,
) -> AppResult<HttpResponse> {
    let (id, site, user, form) = (id.into_inner(), state.config.site(), ctx.user.clone(), form.into_inner());
    let stay = form.blijven.as_deref() == Some("ja");
    let token = form.token;
    let result =
        state.db.run(move |conn| service::decline_offer(conn, &site, user.as_ref(), token.as_deref(), id, stay)).await;
    let result = result.and_then(|_| after_answer(&ctx, if stay { "offer-declined-stay" } else { "offer-declined" }));
    or_link_page(ctx, result)
}

/// Someone waiting takes a seat that stayed free (see `service::take_free_seat`).
#[post("/cursussen/{slug}/vrije-plek")]
async fn take_free_seat(
    state: web::Data<AppState>,
    user: CurrentUser,
    slug: web::Path<String>,
) -> AppResult<HttpResponse> {
    let site = state.config.site();
    state.db.run(move |conn| service::take_free_seat(conn, &site, &user, &slug)).await?;
    Ok(see_other("/mijn-cursussen?melding=offer-free-seat-taken"))
}

// ---------------------------------------------------------------------------------------
// trainers: who is coming

#[derive(Template)]
#[template(path = "enrolment/roster.html")]
struct RosterPage {
    ctx: Ctx,
    detail: CourseDetail,
    enrolled: Vec<Participant>,
    waiting: Vec<Participant>,
    /// What people need to take part (access sits above enrolment and adds them).
    needs: CourseNeeds,
}

impl RosterPage {
    fn place_name(&self, slug: &Option<String>) -> String {
        slug.as_deref().map(crate::places::name).unwrap_or("").to_owned()
    }
}

/// The participants of a course, for its trainers (and coordinators); anyone else 403.
#[get("/mijn-trainingen/cursussen/{id}/deelnemers")]
async fn roster(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    id: web::Path<CourseId>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let (service::Roster { detail, enrolled, waiting }, needs) =
        state.db.run(move |conn| crate::access::service::participants(conn, &user, id)).await?;
    render(&RosterPage { ctx, detail, enrolled, waiting, needs })
}

/// The columns of a course's list, for people.
const LIST_COLUMNS: [Column; 10] = [
    Column { key: "status", label: "csv-status" },
    Column { key: "waitlist_position", label: "csv-position" },
    Column { key: "name", label: "csv-name" },
    Column { key: "email", label: "csv-email" },
    Column { key: "wijk", label: "csv-wijk" },
    Column { key: "participant_kind", label: "csv-kind" },
    Column { key: "organisation", label: "csv-organisation" },
    Column { key: "enrolled_on", label: "csv-enrolled-at" },
    Column { key: "enrolled_time", label: "csv-enrolled-time" },
    Column { key: "over_capacity", label: "csv-over-capacity" },
];

/// The list of a course in `format`: who has a seat and who waits, in order.
async fn export(
    state: &AppState,
    ctx: Ctx,
    user: CurrentUser,
    id: CourseId,
    format: Format,
) -> AppResult<HttpResponse> {
    let (course, people) = state.db.run(move |conn| service::export_list(conn, &user, id)).await?;
    let t = ctx.locale;
    let mut table = Table::for_people(format, &LIST_COLUMNS, t)?;
    for p in &people {
        let at = p.enrolment.enrolled_at.unwrap_or(p.enrolment.queued_at).with_timezone(&Amsterdam);
        table.row(vec![
            t.t(&format!("enrolment-status-{}", p.enrolment.status.as_str())).into(),
            p.enrolment.waitlist_position.into(),
            p.name.clone().into(),
            p.email.clone().into(),
            p.wijk.as_deref().map(|w| crate::places::name(w).to_owned()).into(),
            p.participant_kind.map(|k| t.t(&format!("kind-{}", k.as_str()))).into(),
            p.organisation.clone().into(),
            Cell::Date(at.date_naive()),
            Cell::Time(at.time()),
            Cell::Bool(p.enrolment.over_capacity),
        ])?;
    }
    let body = table.finish()?;
    let name = match format {
        Format::CsvNl => format!("inschrijvingen-{}-excel-nl.csv", course.slug),
        other => format!("inschrijvingen-{}.{}", course.slug, other.extension()),
    };
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, format.content_type()))
        .insert_header((CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")))
        .body(body))
}

/// CSV (comma, UTF-8), for any spreadsheet.
#[get("/beheer/cursussen/{id}/inschrijvingen.csv")]
async fn export_csv(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    id: web::Path<CourseId>,
) -> AppResult<HttpResponse> {
    export(&state, ctx, user, id.into_inner(), Format::Csv).await
}

/// CSV as Dutch Excel opens it by double-click (`;`, decimal commas, dd-mm-jjjj).
#[get("/beheer/cursussen/{id}/inschrijvingen-excel-nl.csv")]
async fn export_csv_nl(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    id: web::Path<CourseId>,
) -> AppResult<HttpResponse> {
    export(&state, ctx, user, id.into_inner(), Format::CsvNl).await
}

/// An Excel workbook with real date cells.
#[get("/beheer/cursussen/{id}/inschrijvingen.xlsx")]
async fn export_xlsx(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    id: web::Path<CourseId>,
) -> AppResult<HttpResponse> {
    export(&state, ctx, user, id.into_inner(), Format::Xlsx).await
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(course_page)
        .service(enrol)
        .service(cancel_form)
        .service(cancel)
        .service(personal_feed)
        .service(export_csv)
        .service(export_csv_nl)
        .service(export_xlsx)
        .service(manage)
        .service(enrol_on_behalf)
        .service(cancel_enrolment_form)
        .service(cancel_enrolment)
        .service(roster)
        .service(promote)
        .service(extend_offer)
        .service(withdraw_offer)
        .service(offer_page)
        .service(accept_offer)
        .service(decline_offer)
        .service(take_free_seat);
}
