//! Courses.

use super::*;

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

/// Change a course (including its status). What that means for the people in it (a
/// cancelled course, more seats) is answered as a `ProgrammeChange` for the features above.
pub fn update_course(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    id: CourseId,
    input: &CourseInput,
) -> AppResult<Changed<CourseDetail>> {
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
        let change = if status == CourseStatus::Cancelled && current.status != CourseStatus::Cancelled {
            Some(ProgrammeChange::CourseCancelled)
        } else if v.capacity > current.capacity && status == CourseStatus::Published {
            Some(ProgrammeChange::CapacityRaised)
        } else {
            None
        };
        Ok(Changed { value: detail(conn, id)?, change })
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
        .inner_join(people::table)
        .filter(course_trainers::course_id.eq(id))
        .order(people::name)
        .select((people::id, people::name))
        .load::<(UserId, String)>(conn)?
        .into_iter()
        .map(|(id, name)| TrainerView { id, name })
        .collect();
    let seats = course_seats::table
        .find(id)
        .select((course_seats::enrolled, course_seats::waitlisted))
        .first::<(i64, i64)>(conn)
        .optional()?
        .map_or(Seats::default(), |(enrolled, waitlisted)| Seats { enrolled, waitlisted });
    Ok(CourseDetail { course, theme, sessions, trainers, seats })
}

/// Courses with their sessions (in order), for lists that start from other rows: two
/// queries whatever the number.
pub fn with_sessions(conn: &mut PgConnection, ids: &[CourseId]) -> AppResult<Vec<(Course, Vec<Session>)>> {
    let found: Vec<Course> = courses::table.filter(courses::id.eq_any(ids)).select(Course::as_select()).load(conn)?;
    let sessions: Vec<Session> = course_sessions::table
        .filter(course_sessions::course_id.eq_any(ids))
        .order((course_sessions::starts_at, course_sessions::id))
        .select(Session::as_select())
        .load(conn)?;
    Ok(found
        .into_iter()
        .map(|c| {
            let own = sessions.iter().filter(|s| s.course_id == c.id).cloned().collect();
            (c, own)
        })
        .collect())
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
