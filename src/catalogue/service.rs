//! The rules of the catalogue: what a course and a session must be, who may change them,
//! which status may follow which, and the one query behind every course list.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Bool, Integer, Nullable, Text, Timestamptz};
use serde::{Deserialize, Deserializer};
use utoipa::ToSchema;

use crate::auth::{CurrentUser, Role};

use crate::catalogue::model::{
    Course, CourseDetail, CourseFormat, CourseStatus, CourseSummary, Seats, Session, SessionStatus, Theme, TrainerView,
};
use crate::config::Site;
use crate::db::schema::{course_sessions, course_trainers, courses, themes, users};
use crate::error::{AppError, AppResult, FieldError, FieldErrors};
use crate::ids::{CourseId, SessionId, UserId};
use crate::paging::Paging;
use crate::places;
use crate::time::parse_instant;

/// Reads `null` as `Some(None)` and a missing field as `None`, so PATCH can clear a value.
pub fn double_option<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// Non-empty trimmed text, or `None`.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn check_text(errors: &mut FieldErrors, field: &str, value: &str, max: usize, one_line: bool) {
    if value.chars().count() > max {
        errors.add(field, "too-long").arg("max", max);
    } else if one_line && value.chars().any(char::is_control) {
        errors.add(field, "control-chars");
    }
}

// ---------------------------------------------------------------------------------------
// themes

pub fn themes(conn: &mut PgConnection, include_retired: bool) -> AppResult<Vec<Theme>> {
    let mut query = themes::table
        .select(Theme::as_select())
        .order((themes::retired_at.is_not_null(), themes::name_nl))
        .into_boxed();
    if !include_retired {
        query = query.filter(themes::retired_at.is_null());
    }
    Ok(query.load(conn)?)
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ThemeInput {
    pub slug: Option<String>,
    pub name_nl: Option<String>,
    pub name_en: Option<String>,
    pub description_nl: Option<String>,
    pub description_en: Option<String>,
    /// `true` retires the theme: it stays on its courses but new courses cannot use it.
    pub retired: Option<bool>,
}

fn check_theme(input: &ThemeInput, creating: bool) -> AppResult<()> {
    let mut errors = FieldErrors::default();
    for (field, value, max) in [
        ("name_nl", &input.name_nl, 80),
        ("name_en", &input.name_en, 80),
        ("description_nl", &input.description_nl, 500),
        ("description_en", &input.description_en, 500),
    ] {
        if let Some(v) = value {
            check_text(&mut errors, field, v.trim(), max, max <= 80)
        }
        if creating && field.starts_with("name") && given(value).is_none() {
            errors.add(field, "required");
        }
        if !creating && field.starts_with("name") && value.is_some() && given(value).is_none() {
            errors.add(field, "required");
        }
    }
    errors.into_result()
}

pub fn create_theme(conn: &mut PgConnection, actor: &CurrentUser, input: &ThemeInput) -> AppResult<Theme> {
    actor.require(Role::Coordinator)?;
    check_theme(input, true)?;
    let name_nl = given(&input.name_nl).unwrap_or_default();
    let slug = slug::slugify(given(&input.slug).unwrap_or(name_nl));
    if slug.is_empty() {
        return Err(AppError::validation("slug", "required"));
    }
    let inserted = diesel::insert_into(themes::table)
        .values((
            themes::slug.eq(&slug),
            themes::name_nl.eq(name_nl),
            themes::name_en.eq(given(&input.name_en).unwrap_or_default()),
            themes::description_nl.eq(given(&input.description_nl).unwrap_or_default()),
            themes::description_en.eq(given(&input.description_en).unwrap_or_default()),
        ))
        .on_conflict(themes::slug)
        .do_nothing()
        .returning(Theme::as_returning())
        .get_result(conn)
        .optional()?;
    inserted.ok_or_else(|| AppError::validation("slug", "slug-taken"))
}

/// Rename or retire a theme; its slug never changes.
pub fn update_theme(conn: &mut PgConnection, actor: &CurrentUser, slug: &str, input: &ThemeInput) -> AppResult<Theme> {
    actor.require(Role::Coordinator)?;
    check_theme(input, false)?;
    #[derive(AsChangeset)]
    #[diesel(table_name = themes)]
    struct Changes {
        name_nl: Option<String>,
        name_en: Option<String>,
        description_nl: Option<String>,
        description_en: Option<String>,
        retired_at: Option<Option<DateTime<Utc>>>,
    }
    let changes = Changes {
        name_nl: given(&input.name_nl).map(str::to_owned),
        name_en: given(&input.name_en).map(str::to_owned),
        description_nl: input.description_nl.as_deref().map(|d| d.trim().to_owned()),
        description_en: input.description_en.as_deref().map(|d| d.trim().to_owned()),
        retired_at: input.retired.map(|r| r.then(Utc::now)),
    };
    let target = themes::table.filter(themes::slug.eq(slug));
    let updated = if changes.name_nl.is_none()
        && changes.name_en.is_none()
        && changes.description_nl.is_none()
        && changes.description_en.is_none()
        && changes.retired_at.is_none()
    {
        target.select(Theme::as_select()).first(conn).optional()?
    } else {
        diesel::update(target).set(&changes).returning(Theme::as_returning()).get_result(conn).optional()?
    };
    updated.ok_or(AppError::NotFound)
}

// ---------------------------------------------------------------------------------------
// courses

/// A course as written by a coordinator; on create, missing fields take the defaults.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct CourseInput {
    pub title: Option<String>,
    pub summary: Option<String>,
    /// Markdown.
    pub description: Option<String>,
    /// Theme slug.
    pub theme: Option<String>,
    /// `cursus` (default), `werkplaats` or `bijeenkomst`.
    pub format: Option<String>,
    pub audience: Option<String>,
    pub capacity: Option<i32>,
    /// RFC 3339, or Amsterdam local time without an offset; `null` clears it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub enrolment_opens_at: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub enrolment_closes_at: Option<Option<String>>,
    /// Hours before the first session until which participants may cancel (default 24).
    pub cancellation_deadline_hours: Option<i32>,
    /// Percentage of sessions to attend to complete the course (default 80).
    pub completion_threshold: Option<i32>,
    /// Whether people may join a waiting list when the course is full (default true).
    pub waitlist_enabled: Option<bool>,
    /// `draft`, `published`, `cancelled` or `archived`; only allowed transitions.
    pub status: Option<String>,
}

/// Markdown → HTML without scripts, event handlers or unsafe links.
pub fn render_markdown(markdown: &str) -> String {
    use pulldown_cmark::{Options, Parser, html};
    let parser = Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH);
    let mut unsafe_html = String::new();
    html::push_html(&mut unsafe_html, parser);
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
        .clean(&unsafe_html)
        .to_string()
}

/// What a course would be after `input`, checked; `None` fields stay as they are.
struct CourseValues {
    title: String,
    summary: String,
    description: String,
    theme_id: i64,
    format: CourseFormat,
    audience: String,
    capacity: i32,
    opens: Option<DateTime<Utc>>,
    closes: Option<DateTime<Utc>>,
    deadline: i32,
    threshold: i32,
    waitlist: bool,
    status: Option<CourseStatus>,
}

fn course_values(conn: &mut PgConnection, input: &CourseInput, current: Option<&Course>) -> AppResult<CourseValues> {
    let mut errors = FieldErrors::default();
    let title = match (&input.title, current) {
        (Some(t), _) => t.trim().to_owned(),
        (None, Some(c)) => c.title.clone(),
        (None, None) => String::new(),
    };
    if title.is_empty() {
        errors.add("title", "required");
    }
    check_text(&mut errors, "title", &title, 200, true);
    let summary = input
        .summary
        .as_deref()
        .map(str::trim)
        .map(str::to_owned)
        .or(current.map(|c| c.summary.clone()))
        .unwrap_or_default();
    check_text(&mut errors, "summary", &summary, 500, false);
    let description = input.description.clone().or(current.map(|c| c.description.clone())).unwrap_or_default();
    check_text(&mut errors, "description", &description, 20_000, false);
    let audience = input
        .audience
        .as_deref()
        .map(str::trim)
        .map(str::to_owned)
        .or(current.map(|c| c.audience.clone()))
        .unwrap_or_default();
    check_text(&mut errors, "audience", &audience, 500, false);

    let theme_id = match (given(&input.theme), current) {
        (Some(slug), current) => {
            let found: Option<(i64, Option<DateTime<Utc>>)> = themes::table
                .filter(themes::slug.eq(slug.to_lowercase()))
                .select((themes::id, themes::retired_at))
                .first(conn)
                .optional()?;
            match found {
                // a retired theme stays on the courses that have it, but no course gets it anew
                Some((id, retired)) if retired.is_none() || current.is_some_and(|c| c.theme_id == id) => id,
                Some(_) => {
                    errors.add("theme", "theme-retired");
                    0
                }
                None => {
                    errors.add("theme", "theme-unknown");
                    0
                }
            }
        }
        (None, Some(c)) => c.theme_id,
        (None, None) => {
            errors.add("theme", "required");
            0
        }
    };
    let format = match given(&input.format) {
        Some(text) => CourseFormat::parse(text).unwrap_or_else(|| {
            errors.add("format", "choice");
            CourseFormat::Cursus
        }),
        None => current.map_or(CourseFormat::Cursus, |c| c.format),
    };
    let capacity = match (input.capacity, current) {
        (Some(n), _) => n,
        (None, Some(c)) => c.capacity,
        (None, None) => {
            errors.add("capacity", "required");
            1
        }
    };
    if !(1..=10_000).contains(&capacity) {
        errors.add("capacity", "range").arg("min", 1).arg("max", 10_000);
    }
    let mut instant = |field: &str, value: &Option<Option<String>>, old: Option<DateTime<Utc>>| match value {
        None => old,
        Some(None) => None,
        Some(Some(text)) if text.trim().is_empty() => None,
        Some(Some(text)) => match parse_instant(text) {
            Ok(t) => Some(t),
            Err(code) => {
                errors.add(field, code);
                None
            }
        },
    };
    let opens = instant("enrolment_opens_at", &input.enrolment_opens_at, current.and_then(|c| c.enrolment_opens_at));
    let closes =
        instant("enrolment_closes_at", &input.enrolment_closes_at, current.and_then(|c| c.enrolment_closes_at));
    if let (Some(o), Some(c)) = (opens, closes)
        && c <= o
    {
        errors.add("enrolment_closes_at", "closes-before-opens");
    }
    let deadline = input.cancellation_deadline_hours.or(current.map(|c| c.cancellation_deadline_hours)).unwrap_or(24);
    if !(0..=24 * 60).contains(&deadline) {
        errors.add("cancellation_deadline_hours", "range").arg("min", 0).arg("max", 24 * 60);
    }
    let threshold = input.completion_threshold.or(current.map(|c| c.completion_threshold)).unwrap_or(80);
    if !(1..=100).contains(&threshold) {
        errors.add("completion_threshold", "range").arg("min", 1).arg("max", 100);
    }
    let waitlist = input.waitlist_enabled.or(current.map(|c| c.waitlist_enabled)).unwrap_or(true);
    let status = match given(&input.status) {
        Some(text) => match CourseStatus::parse(text) {
            Some(next) => {
                let from = current.map_or(CourseStatus::Draft, |c| c.status);
                if next != from && !from.can_become(next) {
                    errors.add("status", "status-transition").arg("from", from.as_str()).arg("to", next.as_str());
                }
                // a new course starts as a draft; it is published once it has sessions
                if current.is_none() && next != CourseStatus::Draft {
                    errors.add("status", "status-new-course");
                }
                Some(next)
            }
            None => {
                errors.add("status", "choice");
                None
            }
        },
        None => None,
    };
    errors.into_result()?;
    Ok(CourseValues {
        title,
        summary,
        description,
        theme_id,
        format,
        audience,
        capacity,
        opens,
        closes,
        deadline,
        threshold,
        waitlist,
        status,
    })
}

/// Insert with a slug made from the title, unique by a number suffix when needed.
pub fn create_course(conn: &mut PgConnection, actor: &CurrentUser, input: &CourseInput) -> AppResult<CourseDetail> {
    actor.require(Role::Coordinator)?;
    conn.transaction(|conn| {
        let v = course_values(conn, input, None)?;
        let base: String =
            slug::slugify(&v.title).chars().take(80).collect::<String>().trim_end_matches('-').to_owned();
        let base = if base.is_empty() { "cursus".to_owned() } else { base };
        let description_html = render_markdown(&v.description);
        for attempt in 1..=50 {
            let slug = if attempt == 1 { base.clone() } else { format!("{base}-{attempt}") };
            let inserted: Option<CourseId> = diesel::insert_into(courses::table)
                .values((
                    courses::slug.eq(&slug),
                    courses::title.eq(&v.title),
                    courses::summary.eq(&v.summary),
                    courses::description.eq(&v.description),
                    courses::description_html.eq(&description_html),
                    courses::theme_id.eq(v.theme_id),
                    courses::format.eq(v.format),
                    courses::audience.eq(&v.audience),
                    courses::capacity.eq(v.capacity),
                    courses::enrolment_opens_at.eq(v.opens),
                    courses::enrolment_closes_at.eq(v.closes),
                    courses::cancellation_deadline_hours.eq(v.deadline),
                    courses::completion_threshold.eq(v.threshold),
                    courses::waitlist_enabled.eq(v.waitlist),
                    courses::status.eq(CourseStatus::Draft),
                    courses::created_by.eq(actor.id),
                ))
                .on_conflict(courses::slug)
                .do_nothing()
                .returning(courses::id)
                .get_result(conn)
                .optional()?;
            if let Some(id) = inserted {
                return detail(conn, id);
            }
        }
        Err(AppError::internal("no free slug"))
    })
}

/// Change a course (including its status). Raising the capacity fills seats from the
/// waiting list; cancelling tells everyone enrolled or waiting.
pub fn update_course(
    conn: &mut PgConnection,
    site: &Site,
    actor: &CurrentUser,
    id: CourseId,
    input: &CourseInput,
) -> AppResult<CourseDetail> {
    actor.require(Role::Coordinator)?;
    conn.transaction(|conn| {
        // the row lock orders this change with enrolments counting seats
        let current: Course = courses::table.find(id).select(Course::as_select()).for_update().first(conn)?;
        let v = course_values(conn, input, Some(&current))?;
        let status = v.status.unwrap_or(current.status);
        if status == CourseStatus::Published && current.status == CourseStatus::Draft {
            let sessions: i64 = course_sessions::table
                .filter(course_sessions::course_id.eq(id))
                .filter(course_sessions::status.eq(SessionStatus::Scheduled))
                .count()
                .get_result(conn)?;
            if sessions == 0 {
                return Err(AppError::validation("status", "publish-without-sessions"));
            }
        }
        let description_html = if v.description == current.description {
            current.description_html.clone()
        } else {
            render_markdown(&v.description)
        };
        diesel::update(courses::table.find(id))
            .set((
                courses::title.eq(&v.title),
                courses::summary.eq(&v.summary),
                courses::description.eq(&v.description),
                courses::description_html.eq(&description_html),
                courses::theme_id.eq(v.theme_id),
                courses::format.eq(v.format),
                courses::audience.eq(&v.audience),
                courses::capacity.eq(v.capacity),
                courses::enrolment_opens_at.eq(v.opens),
                courses::enrolment_closes_at.eq(v.closes),
                courses::cancellation_deadline_hours.eq(v.deadline),
                courses::completion_threshold.eq(v.threshold),
                courses::waitlist_enabled.eq(v.waitlist),
                courses::status.eq(status),
                courses::updated_at.eq(Utc::now()),
            ))
            .execute(conn)?;
        if status == CourseStatus::Cancelled && current.status != CourseStatus::Cancelled {
            let detail = detail(conn, id)?;
            crate::enrolment::service::course_cancelled(conn, site, &detail, actor.id)?;
        } else if v.capacity > current.capacity && status == CourseStatus::Published {
            crate::enrolment::service::fill_free_seats(conn, site, id, Some(actor.id))?;
        }
        detail(conn, id)
    })
}

pub fn course(conn: &mut PgConnection, id: CourseId) -> AppResult<Course> {
    Ok(courses::table.find(id).select(Course::as_select()).first(conn)?)
}

/// A course with its theme, sessions, trainers and seats: four queries.
pub fn detail(conn: &mut PgConnection, id: CourseId) -> AppResult<CourseDetail> {
    let (course, theme): (Course, Theme) = courses::table
        .inner_join(themes::table)
        .filter(courses::id.eq(id))
        .select((Course::as_select(), Theme::as_select()))
        .first(conn)?;
    let sessions = course_sessions::table
        .filter(course_sessions::course_id.eq(id))
        .order((course_sessions::starts_at, course_sessions::id))
        .select(Session::as_select())
        .load(conn)?;
    let trainers = course_trainers::table
        .inner_join(users::table)
        .filter(course_trainers::course_id.eq(id))
        .order(users::name)
        .select((users::id, users::name))
        .load::<(UserId, String)>(conn)?
        .into_iter()
        .map(|(id, name)| TrainerView { id, name })
        .collect();
    let seats = crate::enrolment::service::seats(conn, id)?;
    Ok(CourseDetail { course, theme, sessions, trainers, seats })
}

fn can_see(viewer: Option<&CurrentUser>, course: &Course) -> bool {
    course.status.is_public() || viewer.is_some_and(|u| u.has(Role::Coordinator))
}

/// A course as `viewer` may see it: drafts and cancelled courses only for coordinators.
pub fn visible_detail(conn: &mut PgConnection, viewer: Option<&CurrentUser>, id: CourseId) -> AppResult<CourseDetail> {
    let detail = detail(conn, id)?;
    if can_see(viewer, &detail.course) { Ok(detail) } else { Err(AppError::NotFound) }
}

pub fn visible_detail_by_slug(
    conn: &mut PgConnection,
    viewer: Option<&CurrentUser>,
    slug: &str,
) -> AppResult<CourseDetail> {
    let id: CourseId = courses::table.filter(courses::slug.eq(slug)).select(courses::id).first(conn)?;
    visible_detail(conn, viewer, id)
}

/// Filters of a course list; all optional.
#[derive(Debug, Clone, Default)]
pub struct CourseFilter {
    pub theme: Option<String>,
    /// A wijk or dorp slug: a session takes place there.
    pub wijk: Option<String>,
    /// Full-text search (Dutch stemming: "wijken" finds "wijk").
    pub q: Option<String>,
    /// Sessions in `[from, to)`.
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// Only courses with seats left.
    pub available: bool,
    /// Only courses with a session still to come (the public catalogue).
    pub upcoming: bool,
    pub statuses: Vec<CourseStatus>,
}

/// Read list filters as typed; every wrong one is named.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct CourseQuery {
    /// Theme slug.
    pub theme: Option<String>,
    /// Wijk or dorp: slug or name.
    pub wijk: Option<String>,
    /// Search words.
    pub q: Option<String>,
    /// Sessions from this moment (RFC 3339, local time, or a date: the start of that day).
    pub from: Option<String>,
    /// Sessions before this moment (or before the start of this date).
    pub to: Option<String>,
    /// A month, `2027-03`.
    pub month: Option<String>,
    /// `true`: only courses with seats left.
    pub available: Option<String>,
    /// Coordinators: `draft`, `published`, `cancelled`, `archived` or `all`.
    pub status: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

/// A bound of a list filter: a moment, or a date (`2027-04-01`) for the start of that day in
/// Amsterdam.
fn filter_instant(text: &str) -> Result<DateTime<Utc>, crate::time::TimeError> {
    parse_instant(text).or_else(|code| {
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .ok()
            .and_then(|d| Amsterdam.from_local_datetime(&d.and_hms_opt(0, 0, 0)?).earliest())
            .map(|t| t.with_timezone(&Utc))
            .ok_or(code)
    })
}

/// The first moment of a month in Amsterdam, and of the next month.
pub fn month_range(text: &str) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let first = NaiveDate::parse_from_str(&format!("{}-01", text.trim()), "%Y-%m-%d").ok()?;
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)?
    };
    let start = Amsterdam.from_local_datetime(&first.and_hms_opt(0, 0, 0)?).earliest()?;
    let end = Amsterdam.from_local_datetime(&next.and_hms_opt(0, 0, 0)?).earliest()?;
    Some((start.with_timezone(&Utc), end.with_timezone(&Utc)))
}

impl CourseQuery {
    pub fn parse(&self, viewer: Option<&CurrentUser>, default_per_page: i64) -> AppResult<(CourseFilter, Paging)> {
        let mut errors = Vec::new();
        let paging = Paging::parse(
            self.page.as_deref(),
            Some(self.per_page.as_deref().unwrap_or(&default_per_page.to_string())),
            &mut errors,
        );
        let mut filter =
            CourseFilter { upcoming: true, statuses: vec![CourseStatus::Published], ..CourseFilter::default() };
        filter.theme = given(&self.theme).map(str::to_lowercase);
        if let Some(w) = given(&self.wijk) {
            match places::find(w) {
                Some(slug) => filter.wijk = Some(slug.to_owned()),
                None => errors.push(FieldError::new("wijk", "wijk-unknown")),
            }
        }
        filter.q = given(&self.q).map(|q| q.chars().take(200).collect());
        for (field, value, target) in [("from", &self.from, &mut filter.from), ("to", &self.to, &mut filter.to)] {
            if let Some(text) = given(value) {
                match filter_instant(text) {
                    Ok(t) => *target = Some(t),
                    Err(code) => errors.push(FieldError::new(field, code)),
                }
            }
        }
        if let Some(text) = given(&self.month) {
            match month_range(text) {
                Some((start, end)) => {
                    filter.from = Some(filter.from.map_or(start, |f| f.max(start)));
                    filter.to = Some(filter.to.map_or(end, |t| t.min(end)));
                }
                None => errors.push(FieldError::new("month", "month-invalid")),
            }
        }
        filter.available = match given(&self.available) {
            None | Some("false") | Some("0") => false,
            Some("true") | Some("1") | Some("on") | Some("ja") => true,
            Some(_) => {
                errors.push(FieldError::new("available", "type"));
                false
            }
        };
        if let Some(text) = given(&self.status) {
            match viewer {
                None => return Err(AppError::Unauthorized),
                Some(u) if !u.has(Role::Coordinator) => return Err(AppError::Forbidden("error-forbidden-detail")),
                Some(_) => {}
            }
            filter.upcoming = false;
            filter.statuses = if text == "all" {
                CourseStatus::ALL.to_vec()
            } else {
                match CourseStatus::parse(text) {
                    Some(s) => vec![s],
                    None => {
                        errors.push(FieldError::new("status", "choice"));
                        Vec::new()
                    }
                }
            };
        }
        if errors.is_empty() { Ok((filter, paging)) } else { Err(AppError::Validation(errors)) }
    }
}

#[derive(QueryableByName)]
struct SummaryRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    slug: String,
    #[diesel(sql_type = Text)]
    title: String,
    #[diesel(sql_type = Text)]
    summary: String,
    #[diesel(sql_type = Text)]
    theme: String,
    #[diesel(sql_type = Text)]
    theme_name_nl: String,
    #[diesel(sql_type = Text)]
    theme_name_en: String,
    #[diesel(sql_type = crate::db::schema::sql_types::CourseFormat)]
    format: CourseFormat,
    #[diesel(sql_type = crate::db::schema::sql_types::CourseStatus)]
    status: CourseStatus,
    #[diesel(sql_type = Integer)]
    capacity: i32,
    #[diesel(sql_type = Bool)]
    waitlist_enabled: bool,
    #[diesel(sql_type = BigInt)]
    enrolled: i64,
    #[diesel(sql_type = BigInt)]
    waitlisted: i64,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    next_session_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Text>)]
    next_place: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    next_wijk: Option<String>,
    #[diesel(sql_type = BigInt)]
    session_count: i64,
    #[diesel(sql_type = BigInt)]
    total: i64,
}

/// The one query behind `/cursussen` and `GET /api/v1/courses`: courses with their theme,
/// next session and seat counts, filtered, sorted by the next session and paged in SQL.
/// Sessions and enrolments are each read in one pass (hash aggregates, not a subquery per
/// course; the session filters are a `bool_or` of that same pass); the place of the next
/// session is looked up for the page's rows only. It
/// reads the enrolment counts itself (a read model), so "only with seats left" pages right.
const LIST_SQL: &str = "
SELECT page.*, n.place AS next_place, n.wijk AS next_wijk FROM (
    SELECT c.id, c.slug, c.title, c.summary, t.slug AS theme, t.name_nl AS theme_name_nl, t.name_en AS theme_name_en,
           c.format, c.status, c.capacity, c.waitlist_enabled,
           coalesce(e.enrolled, 0) AS enrolled, coalesce(e.waitlisted, 0) AS waitlisted,
           s.next_at AS next_session_at, coalesce(s.n, 0) AS session_count,
           count(*) OVER () AS total
    FROM courses c
    JOIN themes t ON t.id = c.theme_id
    LEFT JOIN (SELECT course_id, count(*) AS n, min(starts_at) FILTER (WHERE starts_at >= $1) AS next_at,
                      bool_or(starts_at >= coalesce($7, $1) AND ($8::timestamptz IS NULL OR starts_at < $8)
                              AND ($9::text IS NULL OR wijk = $9)) AS matches
               FROM course_sessions WHERE status = 'scheduled' GROUP BY course_id) s ON s.course_id = c.id
    LEFT JOIN (SELECT course_id, count(*) FILTER (WHERE status = 'enrolled') AS enrolled,
                      count(*) FILTER (WHERE status = 'waitlisted') AS waitlisted
               FROM enrolments WHERE status <> 'cancelled' GROUP BY course_id) e ON e.course_id = c.id
    WHERE c.status = ANY($2::course_status[])
      AND ($3::text IS NULL OR t.slug = $3)
      AND ($4::text IS NULL OR c.search @@ websearch_to_tsquery('dutch', $4))
      AND ($5 = false OR c.capacity > coalesce(e.enrolled, 0))
      AND (NOT $6 OR coalesce(s.matches, false))
    ORDER BY s.next_at NULLS LAST, c.title, c.id
    LIMIT $10 OFFSET $11) page
LEFT JOIN LATERAL (
    SELECT place, wijk FROM course_sessions
    WHERE course_id = page.id AND status = 'scheduled' AND starts_at = page.next_session_at
    ORDER BY id LIMIT 1) n ON true
ORDER BY page.next_session_at NULLS LAST, page.title, page.id";

pub fn list(conn: &mut PgConnection, filter: &CourseFilter, paging: Paging) -> AppResult<(Vec<CourseSummary>, i64)> {
    if let Some(slug) = &filter.theme {
        // a theme that does not exist is a mistake in the request, not an empty result
        let known: bool =
            diesel::select(diesel::dsl::exists(themes::table.filter(themes::slug.eq(slug)))).get_result(conn)?;
        if !known {
            return Err(AppError::validation("theme", "theme-unknown"));
        }
    }
    let now = Utc::now();
    let statuses: Vec<String> = filter.statuses.iter().map(|s| s.as_str().to_owned()).collect();
    let sessions_matter = filter.upcoming || filter.from.is_some() || filter.to.is_some() || filter.wijk.is_some();
    let from = if filter.upcoming {
        Some(filter.from.map_or(now, |f| f.max(now)))
    } else {
        filter.from.or(DateTime::from_timestamp(0, 0))
    };
    let rows: Vec<SummaryRow> = diesel::sql_query(LIST_SQL)
        .bind::<Timestamptz, _>(now)
        .bind::<Array<Text>, _>(&statuses)
        .bind::<Nullable<Text>, _>(filter.theme.as_deref())
        .bind::<Nullable<Text>, _>(filter.q.as_deref())
        .bind::<Bool, _>(filter.available)
        .bind::<Bool, _>(sessions_matter)
        .bind::<Nullable<Timestamptz>, _>(from)
        .bind::<Nullable<Timestamptz>, _>(filter.to)
        .bind::<Nullable<Text>, _>(filter.wijk.as_deref())
        .bind::<BigInt, _>(paging.per_page)
        .bind::<BigInt, _>(paging.offset())
        .load(conn)?;
    let total = match rows.first() {
        Some(row) => row.total,
        // past the last page: the window count is not there, so count once more
        None if paging.page > 1 => list(conn, filter, Paging { page: 1, per_page: 1 })?.1,
        None => 0,
    };
    let items = rows
        .into_iter()
        .map(|r| CourseSummary {
            id: CourseId(r.id),
            slug: r.slug,
            title: r.title,
            summary: r.summary,
            theme: r.theme,
            theme_name_nl: r.theme_name_nl,
            theme_name_en: r.theme_name_en,
            format: r.format,
            status: r.status,
            capacity: r.capacity,
            seats_left: Seats { enrolled: r.enrolled, waitlisted: r.waitlisted }.left(r.capacity),
            enrolled_count: r.enrolled,
            waitlist_length: r.waitlisted,
            waitlist_enabled: r.waitlist_enabled,
            next_session_at: r.next_session_at,
            next_place: r.next_place,
            next_wijk: r.next_wijk,
            session_count: r.session_count,
        })
        .collect();
    Ok((items, total))
}

// ---------------------------------------------------------------------------------------
// sessions

/// A session as written by a coordinator.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct SessionInput {
    /// RFC 3339, or Amsterdam local time without an offset.
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub place: Option<String>,
    pub address: Option<String>,
    /// Wijk or dorp: slug or name.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub wijk: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub online_url: Option<Option<String>>,
}

struct SessionValues {
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    place: String,
    address: String,
    wijk: Option<String>,
    online_url: Option<String>,
}

fn session_values(input: &SessionInput, current: Option<&Session>) -> AppResult<SessionValues> {
    let mut errors = FieldErrors::default();
    let mut instant = |field: &str, value: &Option<String>, old: Option<DateTime<Utc>>| match (given(value), old) {
        (Some(text), _) => match parse_instant(text) {
            Ok(t) => Some(t),
            Err(code) => {
                errors.add(field, code);
                None
            }
        },
        (None, Some(old)) => Some(old),
        (None, None) => {
            errors.add(field, "required");
            None
        }
    };
    let starts = instant("starts_at", &input.starts_at, current.map(|s| s.starts_at));
    let ends = instant("ends_at", &input.ends_at, current.map(|s| s.ends_at));
    if let (Some(s), Some(e)) = (starts, ends) {
        if e <= s {
            errors.add("ends_at", "ends-before-start");
        } else if e - s > Duration::hours(24) {
            errors.add("ends_at", "session-too-long");
        }
    }
    let place = input
        .place
        .as_deref()
        .map(str::trim)
        .map(str::to_owned)
        .or(current.map(|s| s.place.clone()))
        .unwrap_or_default();
    check_text(&mut errors, "place", &place, 200, true);
    let address = input
        .address
        .as_deref()
        .map(str::trim)
        .map(str::to_owned)
        .or(current.map(|s| s.address.clone()))
        .unwrap_or_default();
    check_text(&mut errors, "address", &address, 300, true);
    let wijk = match &input.wijk {
        None => current.and_then(|s| s.wijk.clone()),
        Some(None) => None,
        Some(Some(text)) if text.trim().is_empty() => None,
        Some(Some(text)) => match places::find(text) {
            Some(slug) => Some(slug.to_owned()),
            None => {
                errors.add("wijk", "wijk-unknown");
                None
            }
        },
    };
    let online_url = match &input.online_url {
        None => current.and_then(|s| s.online_url.clone()),
        Some(None) => None,
        Some(Some(text)) if text.trim().is_empty() => None,
        Some(Some(text)) => match url::Url::parse(text.trim()) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && text.len() <= 500 => Some(u.to_string()),
            _ => {
                errors.add("online_url", "url-invalid");
                None
            }
        },
    };
    if place.is_empty() && online_url.is_none() {
        errors.add("place", "place-required");
    }
    errors.into_result()?;
    Ok(SessionValues {
        starts_at: starts.unwrap_or_default(),
        ends_at: ends.unwrap_or_default(),
        place,
        address,
        wijk,
        online_url,
    })
}

/// Add a session; it may lie in the past (a programme recorded after the fact).
pub fn add_session(
    conn: &mut PgConnection,
    site: &Site,
    actor: &CurrentUser,
    course_id: CourseId,
    input: &SessionInput,
) -> AppResult<Session> {
    actor.require(Role::Coordinator)?;
    conn.transaction(|conn| {
        let course: Course = courses::table.find(course_id).select(Course::as_select()).for_update().first(conn)?;
        if matches!(course.status, CourseStatus::Cancelled | CourseStatus::Archived) {
            return Err(AppError::Conflict("conflict-course-closed"));
        }
        let v = session_values(input, None)?;
        let session: Session = diesel::insert_into(course_sessions::table)
            .values((
                course_sessions::course_id.eq(course_id),
                course_sessions::starts_at.eq(v.starts_at),
                course_sessions::ends_at.eq(v.ends_at),
                course_sessions::place.eq(&v.place),
                course_sessions::address.eq(&v.address),
                course_sessions::wijk.eq(&v.wijk),
                course_sessions::online_url.eq(&v.online_url),
            ))
            .returning(Session::as_returning())
            .get_result(conn)?;
        if course.status == CourseStatus::Published {
            let detail = detail(conn, course_id)?;
            crate::enrolment::service::session_changed(conn, site, &detail, &session)?;
        }
        Ok(session)
    })
}

pub fn session(conn: &mut PgConnection, id: SessionId) -> AppResult<Session> {
    Ok(course_sessions::table.find(id).select(Session::as_select()).first(conn)?)
}

/// Change a session; when the time or place changes, enrolled people get the new details
/// (with an .ics that replaces the event in their calendar).
pub fn update_session(
    conn: &mut PgConnection,
    site: &Site,
    actor: &CurrentUser,
    id: SessionId,
    input: &SessionInput,
) -> AppResult<Session> {
    actor.require(Role::Coordinator)?;
    conn.transaction(|conn| {
        let current = session(conn, id)?;
        let course: Course =
            courses::table.find(current.course_id).select(Course::as_select()).for_update().first(conn)?;
        if current.is_cancelled() {
            return Err(AppError::Conflict("conflict-session-cancelled"));
        }
        let v = session_values(input, Some(&current))?;
        let moved = v.starts_at != current.starts_at
            || v.ends_at != current.ends_at
            || v.place != current.place
            || v.address != current.address
            || v.online_url != current.online_url;
        let updated: Session = diesel::update(course_sessions::table.find(id))
            .set((
                course_sessions::starts_at.eq(v.starts_at),
                course_sessions::ends_at.eq(v.ends_at),
                course_sessions::place.eq(&v.place),
                course_sessions::address.eq(&v.address),
                course_sessions::wijk.eq(&v.wijk),
                course_sessions::online_url.eq(&v.online_url),
                course_sessions::sequence.eq(current.sequence + i32::from(moved)),
                course_sessions::updated_at.eq(Utc::now()),
            ))
            .returning(Session::as_returning())
            .get_result(conn)?;
        if moved && course.status == CourseStatus::Published {
            let detail = detail(conn, course.id)?;
            crate::enrolment::service::session_changed(conn, site, &detail, &updated)?;
        }
        Ok(updated)
    })
}

/// Cancel a session: everyone enrolled or waiting hears it, with an .ics CANCEL.
pub fn cancel_session(conn: &mut PgConnection, site: &Site, actor: &CurrentUser, id: SessionId) -> AppResult<Session> {
    actor.require(Role::Coordinator)?;
    conn.transaction(|conn| {
        let current = session(conn, id)?;
        let course: Course =
            courses::table.find(current.course_id).select(Course::as_select()).for_update().first(conn)?;
        if current.is_cancelled() {
            return Ok(current);
        }
        let updated: Session = diesel::update(course_sessions::table.find(id))
            .set((
                course_sessions::status.eq(SessionStatus::Cancelled),
                course_sessions::sequence.eq(current.sequence + 1),
                course_sessions::updated_at.eq(Utc::now()),
            ))
            .returning(Session::as_returning())
            .get_result(conn)?;
        if course.status == CourseStatus::Published {
            let detail = detail(conn, course.id)?;
            crate::enrolment::service::session_cancelled(conn, site, &detail, &updated)?;
        }
        Ok(updated)
    })
}

// ---------------------------------------------------------------------------------------
// trainers

/// Assign a trainer (a user with role trainer or above) to a course; idempotent.
pub fn assign_trainer(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    course_id: CourseId,
    user: UserId,
) -> AppResult<CourseDetail> {
    actor.require(Role::Coordinator)?;
    conn.transaction(|conn| {
        course(conn, course_id)?;
        let role: Option<(Role, Option<DateTime<Utc>>)> =
            users::table.find(user).select((users::role, users::anonymised_at)).first(conn).optional()?;
        match role {
            None | Some((_, Some(_))) => return Err(AppError::NotFound),
            Some((role, None)) if role < Role::Trainer => return Err(AppError::validation("user_id", "not-a-trainer")),
            Some(_) => {}
        }
        diesel::insert_into(course_trainers::table)
            .values((course_trainers::course_id.eq(course_id), course_trainers::user_id.eq(user)))
            .on_conflict_do_nothing()
            .execute(conn)?;
        detail(conn, course_id)
    })
}

pub fn remove_trainer(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    course_id: CourseId,
    user: UserId,
) -> AppResult<()> {
    actor.require(Role::Coordinator)?;
    course(conn, course_id)?;
    let removed = diesel::delete(
        course_trainers::table
            .filter(course_trainers::course_id.eq(course_id))
            .filter(course_trainers::user_id.eq(user)),
    )
    .execute(conn)?;
    if removed == 0 { Err(AppError::NotFound) } else { Ok(()) }
}

pub fn is_trainer_of(conn: &mut PgConnection, user: UserId, course_id: CourseId) -> AppResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(
        course_trainers::table
            .filter(course_trainers::course_id.eq(course_id))
            .filter(course_trainers::user_id.eq(user)),
    ))
    .get_result(conn)?)
}

/// A session a trainer gives, with its course.
#[derive(Debug, Clone)]
pub struct TrainerSession {
    pub session: Session,
    pub course_title: String,
    pub course_slug: String,
    pub course_id: CourseId,
}

/// "Mijn trainingen": the trainer's sessions from today on, in order (one query).
pub fn trainer_sessions(conn: &mut PgConnection, actor: &CurrentUser) -> AppResult<Vec<TrainerSession>> {
    if !actor.has(Role::Trainer) {
        return Err(AppError::Forbidden("error-forbidden-detail"));
    }
    let trainer = actor.id;
    let today = Utc::now() - Duration::hours(12);
    let rows: Vec<(Session, String, String, CourseId)> = course_sessions::table
        .inner_join(courses::table.inner_join(course_trainers::table))
        .filter(course_trainers::user_id.eq(trainer))
        .filter(course_sessions::ends_at.ge(today))
        .filter(courses::status.eq_any([CourseStatus::Draft, CourseStatus::Published]))
        .order((course_sessions::starts_at, course_sessions::id))
        .select((Session::as_select(), courses::title, courses::slug, courses::id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(session, course_title, course_slug, course_id)| TrainerSession {
            session,
            course_title,
            course_slug,
            course_id,
        })
        .collect())
}

/// The courses someone trains, for their data download.
pub fn trainer_courses_data(conn: &mut PgConnection, user: UserId) -> AppResult<Vec<serde_json::Value>> {
    let rows: Vec<(CourseId, String, DateTime<Utc>)> = course_trainers::table
        .inner_join(courses::table)
        .filter(course_trainers::user_id.eq(user))
        .select((courses::id, courses::title, course_trainers::assigned_at))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, title, assigned_at)| serde_json::json!({"course_id": id, "title": title, "assigned_at": assigned_at}),
        )
        .collect())
}

pub fn unassign_trainer_everywhere(conn: &mut PgConnection, user: UserId) -> AppResult<()> {
    diesel::delete(course_trainers::table.filter(course_trainers::user_id.eq(user))).execute(conn)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// feeds

/// A session with what a calendar needs to know of its course.
#[derive(Debug, Clone)]
pub struct FeedSession {
    pub session: Session,
    pub course_title: String,
    pub course_slug: String,
    pub course_cancelled: bool,
}

/// Sessions of public courses from a month ago on, for `/cursussen/agenda.ics` (one query).
pub fn public_feed(conn: &mut PgConnection) -> AppResult<Vec<FeedSession>> {
    let rows: Vec<(Session, String, String, CourseStatus)> = course_sessions::table
        .inner_join(courses::table)
        .filter(courses::status.eq_any([CourseStatus::Published, CourseStatus::Archived]))
        .filter(course_sessions::starts_at.ge(Utc::now() - Duration::days(31)))
        .order(course_sessions::starts_at)
        .select((Session::as_select(), courses::title, courses::slug, courses::status))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(session, course_title, course_slug, status)| FeedSession {
            session,
            course_title,
            course_slug,
            course_cancelled: status == CourseStatus::Cancelled,
        })
        .collect())
}

/// Calendar events for sessions; cancelled ones stay in, marked cancelled.
pub fn ics_events(
    site: &Site,
    sessions: &[&Session],
    course_title: &str,
    course_slug: &str,
) -> Vec<crate::mail::ics::IcsEvent> {
    let host = site.host();
    let total = sessions.iter().filter(|s| !s.is_cancelled()).count();
    let mut number = 0;
    sessions
        .iter()
        .map(|s| {
            if !s.is_cancelled() {
                number += 1;
            }
            crate::mail::ics::IcsEvent {
                uid: crate::mail::ics::session_uid(s.id.0, &host),
                sequence: u32::try_from(s.sequence).unwrap_or(0),
                starts_at: s.starts_at,
                ends_at: s.ends_at,
                summary: if total > 1 { format!("{course_title} ({number}/{total})") } else { course_title.to_owned() },
                description: format!("{}/cursussen/{course_slug}", site.base),
                location: s.location(),
                url: Some(format!("{}/cursussen/{course_slug}", site.base)),
                cancelled: s.is_cancelled(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_sanitised() {
        let html = render_markdown(
            "**Hallo** <script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) [ok](https://example.org)",
        );
        assert!(html.contains("<strong>Hallo</strong>"));
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("href=\"https://example.org\""), "{html}");
        assert!(html.contains("rel=\"noopener noreferrer nofollow\""), "{html}");
    }

    #[test]
    fn transitions_follow_the_lifecycle() {
        use CourseStatus::*;
        assert!(Draft.can_become(Published));
        assert!(Published.can_become(Cancelled));
        assert!(Published.can_become(Archived));
        assert!(Cancelled.can_become(Archived));
        assert!(!Draft.can_become(Archived));
        assert!(!Archived.can_become(Published));
        assert!(!Cancelled.can_become(Published));
    }

    #[test]
    fn months_are_amsterdam_months() {
        let (start, end) = month_range("2027-03").unwrap();
        assert_eq!(start.to_rfc3339(), "2027-02-28T23:00:00+00:00");
        assert_eq!(end.to_rfc3339(), "2027-03-31T22:00:00+00:00");
        assert!(month_range("2027-13").is_none());
        assert!(month_range("maart").is_none());
    }

    #[test]
    fn filter_dates_are_amsterdam_midnight() {
        assert_eq!(filter_instant("2027-04-01").unwrap().to_rfc3339(), "2027-03-31T22:00:00+00:00");
        assert_eq!(filter_instant("2027-01-01").unwrap().to_rfc3339(), "2026-12-31T23:00:00+00:00");
        assert_eq!(filter_instant("2027-04-01T10:00").unwrap().to_rfc3339(), "2027-04-01T08:00:00+00:00");
        assert_eq!(filter_instant("2027-13-01"), Err("time-invalid"));
    }
}
