//! HTML pages of the catalogue: the public list and course pages, the calendar feed,
//! "mijn trainingen", and the coordinator's pages to set up courses, sessions, trainers
//! and themes. Forms work without JavaScript (native date and time inputs) and keep what
//! was typed when something is wrong.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use crate::accounts::model::User;
use crate::auth::{CurrentUser, Role};
use crate::catalogue::input::{CourseChanges, CourseInput, SessionChanges, SessionInput};
use crate::catalogue::model::{CourseDetail, CourseFormat, CourseStatus, CourseSummary, Session, Theme};
use crate::catalogue::service::{self, CourseQuery, ThemeInput};
use crate::choice::Choice;
use crate::enrolment::service::programme;
use crate::error::{AppError, AppResult, FieldError, Parsed};
use crate::ids::{CourseId, SessionId, UserId};
use crate::mail::ics::{self, Method};
use crate::paging::Paging;
use crate::places::PLACES;
use crate::time::{form_datetime, form_parts};
use crate::web::ctx::{Ctx, MaybeUser};
use crate::web::form::{finish, go};
use crate::web::kept::CSRF_MARKER;
use crate::web::{AppState, html, render, render_with_status, see_other};

const PER_PAGE: i64 = 20;

/// The fields of the session forms in the order they are shown, with their labels: the
/// order of the error summary.
pub(crate) const SESSION_FIELDS: &[(&str, &str)] = &[
    ("date", "label-date"),
    ("start_time", "label-start-time"),
    ("end_time", "label-end-time"),
    ("allow_past", "label-allow-past"),
    ("place", "label-place"),
    ("address", "label-address"),
    ("wijk", "label-wijk"),
    ("online_url", "label-online-url"),
];

/// The fields of the theme forms, in order.
pub(crate) const THEME_FIELDS: &[(&str, &str)] = &[
    ("name_nl", "label-name-nl"),
    ("name_en", "label-name-en"),
    ("description_nl", "label-description-nl"),
    ("description_en", "label-description-en"),
];

// ---------------------------------------------------------------------------------------
// the public catalogue

#[derive(Debug, Default, Clone, Deserialize)]
struct ListParams {
    #[serde(default)]
    thema: String,
    #[serde(default)]
    wijk: String,
    #[serde(default)]
    maand: String,
    #[serde(default)]
    plaats: String,
    #[serde(default)]
    q: String,
    page: Option<String>,
}

impl ListParams {
    fn query(&self) -> CourseQuery {
        let opt = |s: &str| Some(s.to_owned()).filter(|s| !s.trim().is_empty());
        CourseQuery {
            theme: opt(&self.thema),
            wijk: opt(&self.wijk),
            q: opt(&self.q),
            month: opt(&self.maand),
            available: opt(&self.plaats).map(|_| "true".to_owned()),
            page: self.page.clone(),
            per_page: Some(PER_PAGE.to_string()),
            ..CourseQuery::default()
        }
    }

    /// The same filters as a bookmarkable link, on another page.
    fn link(&self, page: i64) -> String {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("thema", &self.thema),
            ("wijk", &self.wijk),
            ("maand", &self.maand),
            ("plaats", &self.plaats),
            ("q", &self.q),
        ] {
            if !value.is_empty() {
                s.append_pair(name, value);
            }
        }
        if page > 1 {
            s.append_pair("page", &page.to_string());
        }
        match s.finish() {
            query if query.is_empty() => "/cursussen".to_owned(),
            query => format!("/cursussen?{query}"),
        }
    }
}

/// A page in the list of pages, or the gap before it ("…").
struct PageItem {
    page: i64,
    gap: bool,
}

#[derive(Template)]
#[template(path = "catalogue/list.html")]
struct ListPage {
    ctx: Ctx,
    params: ListParams,
    themes: Vec<Theme>,
    months: Vec<(String, String)>,
    courses: Vec<CourseSummary>,
    total: i64,
    paging: Paging,
    errors: Vec<FieldError>,
    places: &'static [(&'static str, &'static str)],
}

impl ListPage {
    fn pages(&self) -> i64 {
        (self.total + self.paging.per_page - 1) / self.paging.per_page
    }
    fn page_link(&self, page: &i64) -> String {
        self.params.link(*page)
    }
    /// The pages to link: the first, the last, and two on either side of this one, with a gap
    /// between them. A link for every page made the list of 10,000 courses a page of 41 KB
    /// with 500 links, rendered at every request (issue 20).
    fn page_items(&self) -> Vec<PageItem> {
        let (last, here) = (self.pages(), self.paging.page);
        let mut items: Vec<PageItem> = Vec::new();
        for page in 1..=last {
            if page == 1 || page == last || (page - here).abs() <= 2 {
                items.push(PageItem { page, gap: false });
            } else if items.last().is_some_and(|item| !item.gap) {
                items.push(PageItem { page, gap: true });
            }
        }
        items
    }
    fn place_name(&self, slug: &str) -> String {
        crate::places::name(slug).to_owned()
    }
    fn theme_link(&self, slug: &str) -> String {
        ListParams { thema: slug.to_owned(), ..ListParams::default() }.link(1)
    }
    /// When nothing is found: each filter in use, named, with a link to the same search
    /// without it.
    fn fewer_filters(&self) -> Vec<(String, String)> {
        let p = &self.params;
        let t = |key: &str, value: &str| self.ctx.locale.t_args(key, [("value", value.to_owned().into())]);
        let mut tries = Vec::new();
        if !p.q.trim().is_empty() {
            tries.push((
                t("catalogue-without-search", p.q.trim()),
                ListParams { q: String::new(), ..p.clone() }.link(1),
            ));
        }
        if let Some(theme) = self.themes.iter().find(|th| th.slug == p.thema) {
            let name = theme.name(&self.ctx.locale).to_owned();
            tries.push((t("catalogue-without-theme", &name), ListParams { thema: String::new(), ..p.clone() }.link(1)));
        }
        if !p.wijk.is_empty() && crate::places::find(&p.wijk).is_some() {
            let name = crate::places::name(&p.wijk);
            tries.push((t("catalogue-without-wijk", name), ListParams { wijk: String::new(), ..p.clone() }.link(1)));
        }
        if let Some((_, month)) = self.months.iter().find(|(value, _)| *value == p.maand) {
            tries.push((t("catalogue-without-month", month), ListParams { maand: String::new(), ..p.clone() }.link(1)));
        }
        if !p.plaats.is_empty() {
            tries.push((
                self.ctx.t("catalogue-without-available"),
                ListParams { plaats: String::new(), ..p.clone() }.link(1),
            ));
        }
        tries
    }
}

/// The month filter's choices: the months that have courses, and the one chosen (so the
/// choice stays visible even when nothing is left in it).
fn month_choices(locale: crate::i18n::Locale, months: &[(i32, u32)], chosen: &str) -> Vec<(String, String)> {
    let mut choices: Vec<(String, String)> =
        months.iter().map(|&(year, month)| (format!("{year}-{month:02}"), locale.month(year, month))).collect();
    if let Some((year, month)) = chosen.split_once('-').and_then(|(y, m)| Some((y.parse().ok()?, m.parse().ok()?)))
        && !choices.iter().any(|(value, _)| value == chosen)
        && (1..=12).contains(&month)
    {
        choices.push((chosen.to_owned(), locale.month(year, month)));
        choices.sort();
    }
    choices
}

#[get("/cursussen")]
async fn catalogue(
    state: web::Data<AppState>,
    mut ctx: Ctx,
    params: web::Query<ListParams>,
) -> AppResult<HttpResponse> {
    let params = params.into_inner();
    let viewer = ctx.user.clone();
    let parsed = params.query().parse(viewer.as_ref(), PER_PAGE);
    let (filter, paging, errors) = match parsed {
        Ok((filter, paging)) => (Some(filter), paging, Vec::new()),
        Err(AppError::Validation(errors)) => (None, Paging { page: 1, per_page: PER_PAGE }, page_fields(errors)),
        Err(e) => return Err(e),
    };
    let answer = service::kept_browse(&state.db, filter, paging).await?;
    let ((_, found), _) = answer.as_ref();
    let status = if errors.is_empty() && found.is_ok() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    // made once per answer and question (the address holds the filters); the token per visitor
    let question = ctx.page_question("catalogue");
    let csrf = std::mem::replace(&mut ctx.csrf, CSRF_MARKER.clone());
    let body = state.bodies.get_or_make(question, &answer, &csrf, || {
        let ((themes, found), months) = answer.as_ref().clone();
        let (courses, total, errors) = match found {
            Ok((courses, total)) => (courses, total, errors),
            Err(more) => (Vec::new(), 0, page_fields(more)),
        };
        let months = month_choices(ctx.locale, &months, &params.maand);
        let page = ListPage { ctx, params, themes, months, courses, total, paging, errors, places: PLACES };
        page.render().map_err(AppError::internal)
    })?;
    Ok(html(status, body))
}

/// The service names the API's parameters; the page's filters have Dutch names, and an
/// error must point at the filter it is about.
fn page_fields(errors: Vec<FieldError>) -> Vec<FieldError> {
    errors
        .into_iter()
        .map(|mut e| {
            e.field = match e.field.as_str() {
                "month" => "maand".into(),
                "theme" => "thema".into(),
                "available" => "plaats".into(),
                other => other.into(),
            };
            e
        })
        .collect()
}

fn ics_response(req: &HttpRequest, body: String, filename: &str) -> HttpResponse {
    crate::web::assets::calendar_file(req, body, filename, "public, max-age=300")
}

/// Every session of every public course, to subscribe to.
#[get("/cursussen/agenda.ics")]
async fn feed(state: web::Data<AppState>, req: HttpRequest) -> AppResult<HttpResponse> {
    let site = state.config.site();
    let sessions = state.db.run(service::public_feed).await?;
    let events: Vec<_> = sessions
        .iter()
        .flat_map(|f| service::ics_events(&site, &[&f.session], &f.course_title, &f.course_slug))
        .collect();
    Ok(ics_response(
        &req,
        ics::calendar(Method::Publish, "Wijkmakers Academie", &site.mail_from, &events),
        "agenda.ics",
    ))
}

/// One course's sessions as a calendar file.
#[get("/cursussen/{slug}/agenda.ics")]
async fn course_feed(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: MaybeUser,
    slug: web::Path<String>,
) -> AppResult<HttpResponse> {
    let site = state.config.site();
    let detail = state.db.run(move |conn| service::visible_detail_by_slug(conn, user.0.as_ref(), &slug)).await?;
    let sessions: Vec<&Session> = detail.sessions.iter().collect();
    let events = service::ics_events(&site, &sessions, &detail.course.title, &detail.course.slug);
    let body = ics::calendar(Method::Publish, &detail.course.title, &site.mail_from, &events);
    Ok(ics_response(&req, body, &format!("{}.ics", detail.course.slug)))
}

// ---------------------------------------------------------------------------------------
// coordinator: courses

#[derive(Template)]
#[template(path = "catalogue/manage_list.html")]
struct ManageListPage {
    ctx: Ctx,
    courses: Vec<CourseSummary>,
}

#[get("/beheer/cursussen")]
async fn manage_list(state: web::Data<AppState>, ctx: Ctx, user: CurrentUser) -> AppResult<HttpResponse> {
    user.require(Role::Coordinator)?;
    let query = CourseQuery { status: Some("all".into()), per_page: Some("200".into()), ..CourseQuery::default() };
    let (filter, paging) = query.parse(Some(&user), 200)?;
    let (courses, _) = state.db.run(move |conn| service::list(conn, &filter, paging)).await?;
    render(&ManageListPage { ctx, courses })
}

/// The course form as typed: every field text, so nothing is lost on an error.
#[derive(Debug, Default, Clone, Deserialize)]
struct CourseForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    theme: String,
    #[serde(default)]
    format: String,
    #[serde(default)]
    audience: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    enrolment_opens_at: String,
    #[serde(default)]
    enrolment_closes_at: String,
    #[serde(default)]
    cancellation_deadline_hours: String,
    #[serde(default)]
    completion_threshold: String,
    waitlist_enabled: Option<String>,
    /// `automatic` or `offer` (issue 18).
    #[serde(default)]
    waitlist_mode: String,
    #[serde(default)]
    offer_hours: String,
}

impl CourseForm {
    fn defaults() -> Self {
        CourseForm {
            format: "cursus".into(),
            capacity: "12".into(),
            cancellation_deadline_hours: "24".into(),
            completion_threshold: "80".into(),
            waitlist_enabled: Some("ja".into()),
            waitlist_mode: "automatic".into(),
            offer_hours: "48".into(),
            ..CourseForm::default()
        }
    }

    fn from_detail(d: &CourseDetail) -> Self {
        let c = &d.course;
        CourseForm {
            title: c.title.clone(),
            summary: c.summary.clone(),
            description: c.description.clone(),
            theme: d.theme.slug.clone(),
            format: c.format.as_str().into(),
            audience: c.audience.clone(),
            capacity: c.capacity.to_string(),
            enrolment_opens_at: c.enrolment_opens_at.map(form_datetime).unwrap_or_default(),
            enrolment_closes_at: c.enrolment_closes_at.map(form_datetime).unwrap_or_default(),
            cancellation_deadline_hours: c.cancellation_deadline_hours.to_string(),
            completion_threshold: c.completion_threshold.to_string(),
            waitlist_enabled: c.waitlist_enabled.then(|| "ja".into()),
            waitlist_mode: c.waitlist_mode.as_str().into(),
            offer_hours: c.offer_hours.to_string(),
        }
    }

    /// The typed changes; fields that are not even numbers are named with the rest.
    fn parse(&self) -> Parsed<CourseChanges> {
        let mut errors = Vec::new();
        let mut number = |field: &str, text: &str| {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            text.parse::<i32>().map_err(|_| errors.push(FieldError::new(field, "number"))).ok()
        };
        let capacity = number("capacity", &self.capacity);
        let deadline = number("cancellation_deadline_hours", &self.cancellation_deadline_hours);
        let threshold = number("completion_threshold", &self.completion_threshold);
        let offer_hours = number("offer_hours", &self.offer_hours);
        let input = CourseInput {
            title: Some(self.title.clone()),
            summary: Some(self.summary.clone()),
            description: Some(self.description.clone()),
            theme: Some(self.theme.clone()),
            format: Some(self.format.clone()),
            audience: Some(self.audience.clone()),
            capacity,
            enrolment_opens_at: Some(Some(self.enrolment_opens_at.clone())),
            enrolment_closes_at: Some(Some(self.enrolment_closes_at.clone())),
            cancellation_deadline_hours: deadline,
            completion_threshold: threshold,
            waitlist_enabled: Some(self.waitlist_enabled.is_some()),
            waitlist_mode: Some(self.waitlist_mode.clone()),
            offer_hours,
            status: None,
        };
        let mut parsed = input.parse();
        errors.append(&mut parsed.errors);
        parsed.errors = errors;
        parsed
    }
}

#[derive(Template)]
#[template(path = "catalogue/course_form.html")]
struct CourseFormPage {
    ctx: Ctx,
    form: CourseForm,
    errors: Vec<FieldError>,
    themes: Vec<Theme>,
    formats: &'static [CourseFormat],
    /// `None` for a new course.
    course_id: Option<CourseId>,
}

async fn course_form_page(
    state: &AppState,
    ctx: Ctx,
    form: CourseForm,
    errors: Vec<FieldError>,
    course_id: Option<CourseId>,
) -> AppResult<HttpResponse> {
    // a retired theme is offered only to the course that already has it
    let themes = state.db.run(|conn| service::themes(conn, true)).await?;
    let themes = themes.into_iter().filter(|t| t.retired_at.is_none() || t.slug == form.theme).collect();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    render_with_status(status, &CourseFormPage { ctx, form, errors, themes, formats: CourseFormat::all(), course_id })
}

#[get("/beheer/cursussen/nieuw")]
async fn new_course(state: web::Data<AppState>, ctx: Ctx, user: CurrentUser) -> AppResult<HttpResponse> {
    user.require(Role::Coordinator)?;
    course_form_page(&state, ctx, CourseForm::defaults(), Vec::new(), None).await
}

#[post("/beheer/cursussen")]
async fn create_course(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    form: web::Form<CourseForm>,
) -> AppResult<HttpResponse> {
    user.require(Role::Coordinator)?;
    let form = form.into_inner();
    let input = form.parse();
    let result = state.db.run(move |conn| service::create_course(conn, &user, &input)).await;
    finish(
        result,
        |detail| go(format!("/beheer/cursussen/{}?melding=course-created", detail.course.id)),
        |errors| course_form_page(&state, ctx, form, errors, None),
    )
    .await
}

#[get("/beheer/cursussen/{id}/bewerken")]
async fn edit_course(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    id: web::Path<CourseId>,
) -> AppResult<HttpResponse> {
    user.require(Role::Coordinator)?;
    let id = id.into_inner();
    let detail = state.db.run(move |conn| service::detail(conn, id)).await?;
    course_form_page(&state, ctx, CourseForm::from_detail(&detail), Vec::new(), Some(id)).await
}

#[post("/beheer/cursussen/{id}/bewerken")]
async fn update_course(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    id: web::Path<CourseId>,
    form: web::Form<CourseForm>,
) -> AppResult<HttpResponse> {
    user.require(Role::Coordinator)?;
    let (id, site, form) = (id.into_inner(), state.config.site(), form.into_inner());
    let input = form.parse();
    let result = state.db.run(move |conn| programme::update_course(conn, &site, &user, id, &input)).await;
    // fewer seats than people enrolled: said by the capacity field
    let result = result.map_err(|e| match e {
        AppError::ConflictWith("conflict-capacity-below-enrolled", args) => {
            let mut error = FieldError::new("capacity", "capacity-below-enrolled");
            error.args = args;
            AppError::Validation(vec![error])
        }
        other => other,
    });
    finish(
        result,
        |_| go(format!("/beheer/cursussen/{id}?melding=course-saved")),
        |errors| course_form_page(&state, ctx, form, errors, Some(id)),
    )
    .await
}

/// The session form as typed.
#[derive(Debug, Default, Clone, Deserialize)]
struct SessionForm {
    #[serde(default)]
    date: String,
    #[serde(default)]
    start_time: String,
    #[serde(default)]
    end_time: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    wijk: String,
    #[serde(default)]
    online_url: String,
    /// "ja, deze bijeenkomst was al": shown once a date in the past came back.
    allow_past: Option<String>,
}

impl SessionForm {
    fn from_session(s: &Session) -> Self {
        let (date, start_time) = form_parts(s.starts_at);
        let (_, end_time) = form_parts(s.ends_at);
        SessionForm {
            date,
            start_time,
            end_time,
            place: s.place.clone(),
            address: s.address.clone(),
            wijk: s.wijk.clone().unwrap_or_default(),
            online_url: s.online_url.clone().unwrap_or_default(),
            allow_past: None,
        }
    }

    /// Date and times become local Amsterdam times. Without a date and both times there is
    /// no session to speak of: those are named before anything else.
    fn parse(&self) -> AppResult<Parsed<SessionChanges>> {
        let mut errors = Vec::new();
        for (field, value) in [("date", &self.date), ("start_time", &self.start_time), ("end_time", &self.end_time)] {
            if value.trim().is_empty() {
                errors.push(FieldError::new(field, "required"));
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let at = |time: &str| Some(format!("{}T{}", self.date.trim(), time.trim()));
        let input = SessionInput {
            starts_at: at(&self.start_time),
            ends_at: at(&self.end_time),
            place: Some(self.place.clone()),
            address: Some(self.address.clone()),
            wijk: Some(Some(self.wijk.clone())),
            online_url: Some(Some(self.online_url.clone())),
            allow_past: Some(self.allow_past.is_some()),
        };
        Ok(input.parse())
    }
}

/// The service speaks of `starts_at`/`ends_at`; the form of a date and two times.
fn session_form_errors(errors: Vec<FieldError>) -> Vec<FieldError> {
    let mut errors: Vec<FieldError> = errors
        .into_iter()
        .map(|mut e| {
            e.field = match e.field.as_str() {
                "starts_at" if e.code == "time-nonexistent" => "start_time".into(),
                "starts_at" => "date".into(),
                "ends_at" => "end_time".into(),
                other => other.into(),
            };
            e
        })
        .collect();
    errors.dedup_by(|a, b| a.field == b.field);
    errors
}

#[derive(Template)]
#[template(path = "catalogue/manage_course.html")]
struct ManageCoursePage {
    ctx: Ctx,
    detail: CourseDetail,
    session_form: SessionForm,
    session_errors: Vec<FieldError>,
    trainer_errors: Vec<FieldError>,
    candidates: Vec<User>,
    clashes: Vec<service::Clash>,
    next_statuses: Vec<CourseStatus>,
    places: &'static [(&'static str, &'static str)],
    /// How many need what, to plan rooms and interpreters (access adds it).
    needs: crate::access::service::CourseNeeds,
}

impl ManageCoursePage {
    fn theme_name(&self) -> &str {
        self.detail.theme.name(&self.ctx.locale)
    }
    fn clash_text(&self, c: &service::Clash) -> String {
        let when = self.ctx.time_range(&c.other_starts_at, &c.other_ends_at);
        let args = [
            ("trainer", c.trainer_name.as_str().into()),
            ("course", c.other_course_title.as_str().into()),
            ("when", when.into()),
        ];
        self.ctx.locale.t_args("clash-warning", args)
    }
    /// The clashes of one session, for the warning under it.
    fn clashes_of(&self, session: &SessionId) -> Vec<&service::Clash> {
        self.clashes.iter().filter(|c| c.session_id == session.0).collect()
    }
}

async fn manage_page(
    state: &AppState,
    ctx: Ctx,
    user: CurrentUser,
    id: CourseId,
    session_form: SessionForm,
    session_errors: Vec<FieldError>,
    trainer_errors: Vec<FieldError>,
) -> AppResult<HttpResponse> {
    let (service::CourseAdmin { detail, candidates, clashes }, needs) =
        state.db.run(move |conn| crate::access::service::course_admin(conn, &user, id)).await?;
    let next_statuses = CourseStatus::all().iter().copied().filter(|s| detail.course.status.can_become(*s)).collect();
    let status = if session_errors.is_empty() && trainer_errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = ManageCoursePage {
        ctx,
        detail,
        session_form,
        session_errors,
        trainer_errors,
        candidates,
        clashes,
        next_statuses,
        places: PLACES,
        needs,
    };
    render_with_status(status, &page)
}

#[get("/beheer/cursussen/{id}")]
async fn manage_course(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    id: web::Path<CourseId>,
) -> AppResult<HttpResponse> {
    manage_page(&state, ctx, user, id.into_inner(), SessionForm::default(), Vec::new(), Vec::new()).await
}

#[derive(Debug, Deserialize)]
struct StatusForm {
    #[serde(default)]
    status: String,
}

#[post("/beheer/cursussen/{id}/status")]
async fn change_status(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<CourseId>,
    form: web::Form<StatusForm>,
) -> AppResult<HttpResponse> {
    let (id, site) = (id.into_inner(), state.config.site());
    // a button sends one of the words; anything else changes nothing
    let status = CourseStatus::parse(&form.status).ok_or_else(|| AppError::validation("status", "choice"))?;
    let input = Parsed::ok(CourseChanges { status: Some(status), ..CourseChanges::default() });
    match state.db.run(move |conn| programme::update_course(conn, &site, &user, id, &input)).await {
        Ok(_) => Ok(see_other(format!("/beheer/cursussen/{id}?melding=status-{}", status.as_str()))),
        // the one refusal a button can meet: publishing before there is a session
        Err(AppError::Validation(errors)) if errors.iter().any(|e| e.code == "publish-without-sessions") => {
            Ok(see_other(format!("/beheer/cursussen/{id}?melding=publish-without-sessions#sessies")))
        }
        Err(e) => Err(e),
    }
}

#[post("/beheer/cursussen/{id}/sessies")]
async fn add_session(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    id: web::Path<CourseId>,
    form: web::Form<SessionForm>,
) -> AppResult<HttpResponse> {
    let (id, site, form) = (id.into_inner(), state.config.site(), form.into_inner());
    let result = match form.parse() {
        Ok(input) => {
            let actor = user.clone();
            state.db.run(move |conn| programme::add_session(conn, &site, &actor, id, &input)).await
        }
        Err(e) => Err(e),
    };
    finish(
        result,
        |_| go(format!("/beheer/cursussen/{id}?melding=session-added#sessies")),
        |errors| manage_page(&state, ctx, user, id, form, session_form_errors(errors), Vec::new()),
    )
    .await
}

#[derive(Template)]
#[template(path = "catalogue/session_form.html")]
struct SessionFormPage {
    ctx: Ctx,
    session: Session,
    course_title: String,
    form: SessionForm,
    errors: Vec<FieldError>,
    places: &'static [(&'static str, &'static str)],
}

async fn session_page(
    state: &AppState,
    ctx: Ctx,
    id: SessionId,
    form: Option<SessionForm>,
    errors: Vec<FieldError>,
) -> AppResult<HttpResponse> {
    let (session, course) = state.db.run(move |conn| service::session_with_course(conn, id)).await?;
    let form = form.unwrap_or_else(|| SessionForm::from_session(&session));
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    render_with_status(
        status,
        &SessionFormPage { ctx, session, course_title: course.title, form, errors, places: PLACES },
    )
}

#[get("/beheer/sessies/{id}/bewerken")]
async fn edit_session(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    id: web::Path<SessionId>,
) -> AppResult<HttpResponse> {
    user.require(Role::Coordinator)?;
    session_page(&state, ctx, id.into_inner(), None, Vec::new()).await
}

#[post("/beheer/sessies/{id}/bewerken")]
async fn update_session(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    id: web::Path<SessionId>,
    form: web::Form<SessionForm>,
) -> AppResult<HttpResponse> {
    user.require(Role::Coordinator)?;
    let (id, site, form) = (id.into_inner(), state.config.site(), form.into_inner());
    let result = match form.parse() {
        Ok(input) => state.db.run(move |conn| programme::update_session(conn, &site, &user, id, &input)).await,
        Err(e) => Err(e),
    };
    finish(
        result,
        |s| go(format!("/beheer/cursussen/{}?melding=session-saved#sessies", s.course_id)),
        |errors| session_page(&state, ctx, id, Some(form), session_form_errors(errors)),
    )
    .await
}

#[post("/beheer/sessies/{id}/annuleren")]
async fn cancel_session(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<SessionId>,
) -> AppResult<HttpResponse> {
    let (id, site) = (id.into_inner(), state.config.site());
    let session = state.db.run(move |conn| programme::cancel_session(conn, &site, &user, id)).await?;
    Ok(see_other(format!("/beheer/cursussen/{}?melding=session-cancelled#sessies", session.course_id)))
}

#[derive(Debug, Deserialize)]
struct TrainerForm {
    #[serde(default)]
    user_id: String,
}

#[post("/beheer/cursussen/{id}/trainers")]
async fn assign_trainer(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    id: web::Path<CourseId>,
    form: web::Form<TrainerForm>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let result = match form.user_id.trim().parse::<i64>() {
        Ok(trainer) => {
            let actor = user.clone();
            state.db.run(move |conn| service::assign_trainer(conn, &actor, id, UserId(trainer))).await
        }
        Err(_) if form.user_id.trim().is_empty() => Err(AppError::validation("user_id", "trainer-required")),
        Err(_) => Err(AppError::validation("user_id", "choice")),
    };
    finish(
        result,
        |_| go(format!("/beheer/cursussen/{id}?melding=trainer-assigned#trainers")),
        |errors| manage_page(&state, ctx, user, id, SessionForm::default(), Vec::new(), errors),
    )
    .await
}

#[post("/beheer/cursussen/{id}/trainers/{user_id}/verwijderen")]
async fn remove_trainer(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(CourseId, UserId)>,
) -> AppResult<HttpResponse> {
    let (id, trainer) = path.into_inner();
    state.db.run(move |conn| service::remove_trainer(conn, &user, id, trainer)).await?;
    Ok(see_other(format!("/beheer/cursussen/{id}?melding=trainer-removed#trainers")))
}

// ---------------------------------------------------------------------------------------
// coordinator: themes

#[derive(Debug, Default, Clone, Deserialize)]
struct ThemeForm {
    #[serde(default)]
    name_nl: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    description_nl: String,
    #[serde(default)]
    description_en: String,
    retired: Option<String>,
}

impl ThemeForm {
    fn input(&self, with_retired: bool) -> ThemeInput {
        ThemeInput {
            slug: None,
            name_nl: Some(self.name_nl.clone()),
            name_en: Some(self.name_en.clone()),
            description_nl: Some(self.description_nl.clone()),
            description_en: Some(self.description_en.clone()),
            retired: with_retired.then_some(self.retired.is_some()),
        }
    }
}

#[derive(Template)]
#[template(path = "catalogue/themes.html")]
struct ThemesPage {
    ctx: Ctx,
    themes: Vec<Theme>,
    form: ThemeForm,
    errors: Vec<FieldError>,
    /// The theme whose edit form shows `errors`, if not the new one.
    failed: Option<String>,
}

async fn themes_page(
    state: &AppState,
    ctx: Ctx,
    form: ThemeForm,
    errors: Vec<FieldError>,
    failed: Option<String>,
) -> AppResult<HttpResponse> {
    let themes = state.db.run(|conn| service::themes(conn, true)).await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    render_with_status(status, &ThemesPage { ctx, themes, form, errors, failed })
}

#[get("/beheer/themas")]
async fn manage_themes(state: web::Data<AppState>, ctx: Ctx, user: CurrentUser) -> AppResult<HttpResponse> {
    user.require(Role::Coordinator)?;
    themes_page(&state, ctx, ThemeForm::default(), Vec::new(), None).await
}

#[post("/beheer/themas")]
async fn create_theme(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    form: web::Form<ThemeForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let input = form.input(false);
    let result = state.db.run(move |conn| service::create_theme(conn, &user, &input)).await;
    finish(result, |_| go("/beheer/themas?melding=theme-saved"), |errors| themes_page(&state, ctx, form, errors, None))
        .await
}

#[post("/beheer/themas/{slug}")]
async fn update_theme(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    slug: web::Path<String>,
    form: web::Form<ThemeForm>,
) -> AppResult<HttpResponse> {
    let (slug, form) = (slug.into_inner(), form.into_inner());
    let (input, target) = (form.input(true), slug.clone());
    let result = state.db.run(move |conn| service::update_theme(conn, &user, &target, &input)).await;
    finish(
        result,
        |_| go("/beheer/themas?melding=theme-saved"),
        |errors| themes_page(&state, ctx, ThemeForm::default(), errors, Some(slug)),
    )
    .await
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(catalogue)
        .service(feed)
        .service(course_feed)
        .service(manage_list)
        .service(new_course)
        .service(create_course)
        .service(edit_course)
        .service(update_course)
        .service(manage_course)
        .service(change_status)
        .service(add_session)
        .service(edit_session)
        .service(update_session)
        .service(cancel_session)
        .service(assign_trainer)
        .service(remove_trainer)
        .service(manage_themes)
        .service(create_theme)
        .service(update_theme);
}
