//! HTML of access needs: the optional step "Heb je iets nodig om mee te kunnen doen?" for
//! one course (from Mijn cursussen), and the coordinator's and trainer's page of a course's
//! needs with the summary.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use askama::Template;

use crate::access::model::Need;
use crate::access::service::{self, CourseNeeds, MyNeeds, NeedsInput, NeedsPage};
use crate::auth::CurrentUser;
use crate::catalogue::model::Course;
use crate::error::{AppResult, FieldError};
use crate::ids::CourseId;
use crate::web::ctx::Ctx;
use crate::web::form::{finish, go};
use crate::web::{AppState, render, render_with_status, see_other};

/// The form's fields in the order of the page, with their labels (for the error summary).
const FIELDS: &[(&str, &str)] = &[
    ("needs", "access-needs-legend"),
    ("language", "access-language"),
    ("note", "access-note"),
    ("consent", "access-consent-short"),
];

#[derive(Template)]
#[template(path = "access/form.html")]
struct FormPage {
    ctx: Ctx,
    page: NeedsPage,
    chosen: Vec<Need>,
    language: String,
    note: String,
    consent: bool,
    errors: Vec<FieldError>,
}

impl FormPage {
    fn all(&self) -> &'static [Need] {
        <Need as crate::choice::Choice>::all()
    }
    fn fields(&self) -> &'static [(&'static str, &'static str)] {
        FIELDS
    }
    fn note_max(&self) -> usize {
        service::NOTE_MAX
    }
    fn wording_version(&self) -> i32 {
        service::WORDING_VERSION
    }
    fn kept_days(&self) -> String {
        service::KEPT_DAYS.to_string()
    }
    /// "Je hebt dit doorgegeven op … (tekst versie 1)."
    fn stored_text(&self, current: &MyNeeds) -> String {
        let at = self.ctx.datetime(&current.consent_at);
        let version = current.wording_version.to_string();
        self.ctx.locale.t_args("access-stored", [("at", at.into()), ("version", version.into())])
    }
}

/// The form as posted: a `needs` field per ticked box, `language`, `note`, `consent`.
#[derive(Debug, Default, Clone)]
struct Posted {
    needs: Vec<String>,
    language: String,
    note: String,
    consent: bool,
}

impl Posted {
    fn from_pairs(pairs: Vec<(String, String)>) -> Posted {
        let mut posted = Posted::default();
        for (name, value) in pairs {
            match name.as_str() {
                "needs" => posted.needs.push(value),
                "language" => posted.language = value,
                "note" => posted.note = value,
                "consent" => posted.consent = !value.is_empty(),
                _ => {}
            }
        }
        posted
    }

    fn input(&self) -> NeedsInput {
        NeedsInput {
            needs: self.needs.clone(),
            language: Some(self.language.clone()),
            note: Some(self.note.clone()),
            consent: self.consent,
        }
    }
}

#[get("/cursussen/{slug}/toegankelijkheid")]
async fn show_form(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    slug: web::Path<String>,
) -> AppResult<HttpResponse> {
    let page = state.db.run(move |conn| service::page(conn, &user, &slug)).await?;
    let (chosen, language, note) = match &page.current {
        Some(c) => (c.needs.clone(), c.language.clone().unwrap_or_default(), c.note.clone().unwrap_or_default()),
        None => (Vec::new(), String::new(), String::new()),
    };
    render(&FormPage { ctx, page, chosen, language, note, consent: false, errors: Vec::new() })
}

#[post("/cursussen/{slug}/toegankelijkheid")]
async fn save(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    slug: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let (slug, posted) = (slug.into_inner(), Posted::from_pairs(form.into_inner()));
    let (asker, at, input) = (user.clone(), slug.clone(), posted.input());
    let notify = service::Notify::from_config(&state.config);
    let next = format!("/cursussen/{slug}/toegankelijkheid?melding=access-saved");
    let result = state.db.run(move |conn| service::save_by_slug(conn, &notify, &asker, &at, &input)).await;
    finish(
        result,
        |_| go(next),
        |errors| async move {
            let page = state.db.run(move |conn| service::page(conn, &user, &slug)).await?;
            let chosen = posted.needs.iter().filter_map(|w| <Need as crate::choice::Choice>::parse(w)).collect();
            let form = FormPage {
                ctx,
                page,
                chosen,
                language: posted.language,
                note: posted.note,
                consent: posted.consent,
                errors,
            };
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &form)
        },
    )
    .await
}

#[post("/cursussen/{slug}/toegankelijkheid/verwijderen")]
async fn remove(state: web::Data<AppState>, user: CurrentUser, slug: web::Path<String>) -> AppResult<HttpResponse> {
    let slug = slug.into_inner();
    let at = slug.clone();
    state.db.run(move |conn| service::remove_by_slug(conn, &user, &at)).await?;
    Ok(see_other(format!("/cursussen/{slug}/toegankelijkheid?melding=access-removed")))
}

#[derive(Template)]
#[template(path = "access/course.html")]
struct CoursePage {
    ctx: Ctx,
    course: Course,
    needs: CourseNeeds,
}

/// Everyone's needs in a course with the summary: for its trainers and coordinators.
#[get("/beheer/cursussen/{id}/toegankelijkheid")]
async fn course_page(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    id: web::Path<CourseId>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let (course, needs) = state.db.run(move |conn| service::course_page(conn, &user, id)).await?;
    render(&CoursePage { ctx, course, needs })
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(show_form).service(save).service(remove).service(course_page);
}
