//! Courses.

use super::*;
use crate::catalogue::model::WaitlistMode;

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

/// The columns a coordinator sets, as they will be stored: one struct for the insert and
/// the update, so the column list is written once.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = courses, treat_none_as_null = true)]
struct CourseFields {
    title: String,
    summary: String,
    description: String,
    description_html: String,
    theme_id: i64,
    format: CourseFormat,
    audience: String,
    capacity: i32,
    enrolment_opens_at: Option<DateTime<Utc>>,
    enrolment_closes_at: Option<DateTime<Utc>>,
    cancellation_deadline_hours: i32,
    completion_threshold: i32,
    waitlist_enabled: bool,
    waitlist_mode: WaitlistMode,
    offer_hours: i32,
    status: CourseStatus,
}

/// What a course would be after `input`, checked against the rules; `None` fields stay as
/// they are (on create: the defaults). Every wrong field is named, with those that did not
/// parse at the edge.
fn course_fields(
    conn: &mut PgConnection,
    input: &Parsed<CourseChanges>,
    current: Option<&Course>,
) -> AppResult<CourseFields> {
    let (changes, mut errors) = (&input.value, FieldErrors(input.errors.clone()));
    let keep = |new: &Option<String>, old: Option<&String>| new.clone().or(old.cloned()).unwrap_or_default();
    let title = keep(&changes.title, current.map(|c| &c.title));
    if title.is_empty() && !errors.has("title") {
        errors.add("title", "required");
    }
    check_text(&mut errors, "title", &title, 200, true);
    let summary = keep(&changes.summary, current.map(|c| &c.summary));
    check_text(&mut errors, "summary", &summary, 500, false);
    let description = keep(&changes.description, current.map(|c| &c.description));
    check_text(&mut errors, "description", &description, 20_000, false);
    let audience = keep(&changes.audience, current.map(|c| &c.audience));
    check_text(&mut errors, "audience", &audience, 500, false);

    let theme_id = match (&changes.theme, current) {
        (Some(slug), current) => {
            let found: Option<(i64, Option<DateTime<Utc>>)> = themes::table
                .filter(themes::slug.eq(slug))
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
            if !errors.has("theme") {
                errors.add("theme", "required");
            }
            0
        }
    };
    let format = changes.format.or(current.map(|c| c.format)).unwrap_or(CourseFormat::Cursus);
    let capacity = match (changes.capacity, current) {
        (Some(n), _) => n,
        (None, Some(c)) => c.capacity,
        (None, None) => {
            if !errors.has("capacity") {
                errors.add("capacity", "required");
            }
            1
        }
    };
    if !(1..=10_000).contains(&capacity) && !errors.has("capacity") {
        errors.add("capacity", "range").arg("min", 1).arg("max", 10_000);
    }
    let opens = changes.enrolment_opens_at.unwrap_or(current.and_then(|c| c.enrolment_opens_at));
    let closes = changes.enrolment_closes_at.unwrap_or(current.and_then(|c| c.enrolment_closes_at));
    if let (Some(o), Some(c)) = (opens, closes)
        && c <= o
    {
        errors.add("enrolment_closes_at", "closes-before-opens");
    }
    let deadline = changes.cancellation_deadline_hours.or(current.map(|c| c.cancellation_deadline_hours)).unwrap_or(24);
    if !(0..=24 * 60).contains(&deadline) {
        errors.add("cancellation_deadline_hours", "range").arg("min", 0).arg("max", 24 * 60);
    }
    let threshold = changes.completion_threshold.or(current.map(|c| c.completion_threshold)).unwrap_or(80);
    if !(1..=100).contains(&threshold) {
        errors.add("completion_threshold", "range").arg("min", 1).arg("max", 100);
    }
    let waitlist = changes.waitlist_enabled.or(current.map(|c| c.waitlist_enabled)).unwrap_or(true);
    let waitlist_mode = changes.waitlist_mode.or(current.map(|c| c.waitlist_mode)).unwrap_or(WaitlistMode::Automatic);
    let offer_hours = changes.offer_hours.or(current.map(|c| c.offer_hours)).unwrap_or(48);
    if !(1..=168).contains(&offer_hours) && !errors.has("offer_hours") {
        errors.add("offer_hours", "range").arg("min", 1).arg("max", 168);
    }
    let from = current.map_or(CourseStatus::Draft, |c| c.status);
    if let Some(next) = changes.status {
        if next != from && !from.can_become(next) {
            errors.add("status", "status-transition").arg("from", from.as_str()).arg("to", next.as_str());
        }
        // a new course starts as a draft; it is published once it has sessions
        if current.is_none() && next != CourseStatus::Draft {
            errors.add("status", "status-new-course");
        }
    }
    errors.into_result()?;
    let description_html = match current {
        Some(c) if c.description == description => c.description_html.clone(),
        _ => render_markdown(&description),
    };
    Ok(CourseFields {
        title,
        summary,
        description,
        description_html,
        theme_id,
        format,
        audience,
        capacity,
        enrolment_opens_at: opens,
        enrolment_closes_at: closes,
        cancellation_deadline_hours: deadline,
        completion_threshold: threshold,
        waitlist_enabled: waitlist,
        waitlist_mode,
        offer_hours,
        status: changes.status.unwrap_or(from),
    })
}

/// Insert with a slug made from the title, unique by a number suffix when needed.
pub fn create_course(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    input: &Parsed<CourseChanges>,
) -> AppResult<CourseDetail> {
    actor.require(Role::Coordinator)?;
    conn.transaction(|conn| {
        let fields = course_fields(conn, input, None)?;
        let base: String =
            slug::slugify(&fields.title).chars().take(80).collect::<String>().trim_end_matches('-').to_owned();
        let base = if base.is_empty() { "cursus".to_owned() } else { base };
        // a course made at the same moment may take the slug chosen here: then look again
        for _ in 0..10 {
            let slug = free_slug(conn, &base)?;
            let inserted: Option<CourseId> = diesel::insert_into(courses::table)
                .values((&fields, courses::slug.eq(&slug), courses::created_by.eq(actor.id)))
                .on_conflict(courses::slug)
                .do_nothing()
                .returning(courses::id)
                .get_result(conn)
                .optional()?;
            if let Some(id) = inserted {
                return detail(conn, id);
            }
        }
        Err(AppError::internal("no free slug after 10 tries"))
    })
}

/// `base` when no course has it, else `base-N` with the first N from 2 that is free.
fn free_slug(conn: &mut PgConnection, base: &str) -> AppResult<String> {
    let taken: Vec<String> = courses::table
        .filter(courses::slug.eq(base).or(courses::slug.like(format!("{base}-%"))))
        .select(courses::slug)
        .load(conn)?;
    if !taken.iter().any(|t| t == base) {
        return Ok(base.to_owned());
    }
    let numbers: std::collections::HashSet<u64> =
        taken.iter().filter_map(|t| t.strip_prefix(base)?.strip_prefix('-')?.parse().ok()).collect();
    let n = (2..).find(|n| !numbers.contains(n)).unwrap_or(2);
    Ok(format!("{base}-{n}"))
}

/// Change a course (including its status). What that means for the people in it (a
/// cancelled course, more seats) is answered as a `ProgrammeChange` for the features above.
pub fn update_course(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    id: CourseId,
    input: &Parsed<CourseChanges>,
) -> AppResult<Changed<CourseDetail>> {
    actor.require(Role::Coordinator)?;
    conn.transaction(|conn| {
        // the row lock orders this change with enrolments counting seats
        let current = lock_course(conn, id)?;
        let fields = course_fields(conn, input, Some(&current))?;
        if fields.capacity < current.capacity {
            // a seat held by an open offer is taken too
            let enrolled: i64 = course_seats::table
                .find(id)
                .select(course_seats::enrolled + course_seats::offered)
                .first(conn)
                .optional()?
                .unwrap_or(0);
            if i64::from(fields.capacity) < enrolled {
                return Err(AppError::ConflictWith(
                    "conflict-capacity-below-enrolled",
                    vec![("enrolled", enrolled.to_string()), ("capacity", fields.capacity.to_string())],
                ));
            }
        }
        if fields.status == CourseStatus::Published && current.status == CourseStatus::Draft {
            let sessions: i64 = course_sessions::table
                .filter(course_sessions::course_id.eq(id))
                .filter(course_sessions::status.eq(SessionStatus::Scheduled))
                .count()
                .get_result(conn)?;
            if sessions == 0 {
                return Err(AppError::validation("status", "publish-without-sessions"));
            }
        }
        diesel::update(courses::table.find(id)).set((&fields, courses::updated_at.eq(Utc::now()))).execute(conn)?;
        let change = if fields.status == CourseStatus::Cancelled && current.status != CourseStatus::Cancelled {
            Some(ProgrammeChange::CourseCancelled)
        } else if fields.capacity > current.capacity && fields.status == CourseStatus::Published {
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
        .select((course_seats::enrolled, course_seats::waitlisted, course_seats::offered))
        .first::<(i64, i64, i64)>(conn)
        .optional()?
        .map_or(Seats::default(), |(enrolled, waitlisted, offered)| Seats { enrolled, waitlisted, offered });
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

/// What the coordinator's page of a course shows: the course, and who could train it.
pub fn course_admin(conn: &mut PgConnection, actor: &CurrentUser, id: CourseId) -> AppResult<CourseAdmin> {
    actor.require(Role::Coordinator)?;
    Ok(CourseAdmin {
        detail: detail(conn, id)?,
        candidates: crate::accounts::service::trainers(conn)?,
        clashes: super::clashes_in_course(conn, id)?,
    })
}

/// The coordinator's page of a course: the course, who could train it, and the sessions
/// whose trainer is elsewhere at the same time.
pub struct CourseAdmin {
    pub detail: CourseDetail,
    pub candidates: Vec<crate::accounts::model::User>,
    pub clashes: Vec<super::Clash>,
}

pub(super) fn can_see(viewer: Option<&CurrentUser>, course: &Course) -> bool {
    course.status.is_public() || viewer.is_some_and(|u| u.has(Role::Coordinator))
}

/// A course as `viewer` may see it: drafts and cancelled courses only for coordinators.
pub fn visible_detail(conn: &mut PgConnection, viewer: Option<&CurrentUser>, id: CourseId) -> AppResult<CourseDetail> {
    let detail = detail(conn, id)?;
    if can_see(viewer, &detail.course) { Ok(detail) } else { Err(AppError::NotFound) }
}

/// The id of a course `viewer` may see, by its slug (one query).
pub fn visible_id_by_slug(conn: &mut PgConnection, viewer: Option<&CurrentUser>, slug: &str) -> AppResult<CourseId> {
    let (id, status): (CourseId, CourseStatus) =
        courses::table.filter(courses::slug.eq(slug)).select((courses::id, courses::status)).first(conn)?;
    if status.is_public() || viewer.is_some_and(|u| u.has(Role::Coordinator)) {
        Ok(id)
    } else {
        Err(AppError::NotFound)
    }
}

pub fn visible_detail_by_slug(
    conn: &mut PgConnection,
    viewer: Option<&CurrentUser>,
    slug: &str,
) -> AppResult<CourseDetail> {
    let id: CourseId = courses::table.filter(courses::slug.eq(slug)).select(courses::id).first(conn)?;
    visible_detail(conn, viewer, id)
}

/// The months (in Amsterdam) in which a published course has a session still to come:
/// the month filter offers only these. One query.
pub fn course_months(conn: &mut PgConnection) -> AppResult<Vec<(i32, u32)>> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = Integer)]
        year: i32,
        #[diesel(sql_type = Integer)]
        month: i32,
    }
    let rows: Vec<Row> = diesel::sql_query(
        "SELECT DISTINCT extract(year FROM s.starts_at AT TIME ZONE 'Europe/Amsterdam')::int AS year,
                         extract(month FROM s.starts_at AT TIME ZONE 'Europe/Amsterdam')::int AS month
         FROM course_sessions s JOIN courses c ON c.id = s.course_id
         WHERE c.status = 'published' AND s.status = 'scheduled' AND s.ends_at > now()
         ORDER BY 1, 2 LIMIT 36",
    )
    .load(conn)?;
    Ok(rows.into_iter().filter_map(|r| u32::try_from(r.month).ok().map(|m| (r.year, m))).collect())
}

/// A course's sessions in order: what enrolling needs besides the course row it has locked
/// (one query, where `detail` takes four).
pub fn sessions_of(conn: &mut PgConnection, id: CourseId) -> AppResult<Vec<Session>> {
    Ok(course_sessions::table
        .filter(course_sessions::course_id.eq(id))
        .order((course_sessions::starts_at, course_sessions::id))
        .select(Session::as_select())
        .load(conn)?)
}
