//! The course list: filters as typed, and the one query behind every list of courses.

use super::*;

/// Filters of a course list; all optional.
#[derive(Debug, Clone, Default)]
pub struct CourseFilter {
    pub theme: Option<String>,
    /// A wijk or dorp slug: a session takes place there.
    pub wijk: Option<String>,
    /// Full-text search (Dutch stemming: "wijken" finds "wijk"; accents do not matter;
    /// every word is also a prefix, so "energie" finds "energiecoach").
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
    /// Wijk or dorp: slug (listed) or name.
    #[param(schema_with = wijk_schema)]
    pub wijk: Option<String>,
    /// Search words.
    pub q: Option<String>,
    /// Sessions from this moment (RFC 3339, local time, or a date: the start of that day).
    #[param(schema_with = filter_instant_schema)]
    pub from: Option<String>,
    /// Sessions before this moment (or before the start of this date).
    #[param(schema_with = filter_instant_schema)]
    pub to: Option<String>,
    /// A month, `2027-03`.
    #[param(pattern = r"^ *([0-9]{4}-(0[1-9]|1[0-2]))? *$")]
    pub month: Option<String>,
    /// `true`: only courses with seats left.
    #[param(schema_with = available_schema)]
    pub available: Option<String>,
    /// Coordinators: a status, or `all`.
    #[param(schema_with = status_schema)]
    pub status: Option<String>,
    /// From 1.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000000)]
    pub page: Option<String>,
    /// 50 unless given; at most 200.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 200)]
    pub per_page: Option<String>,
}

/// A moment or a date; `""` is no filter.
fn filter_instant_schema() -> utoipa::openapi::Object {
    crate::time::instant_schema(true, true)
}

/// A wijk or dorp slug; `""` is no filter.
fn wijk_schema() -> utoipa::openapi::Object {
    crate::places::schema_with(&[serde_json::Value::from("")])
}

/// The words `available` takes.
fn available_schema() -> utoipa::openapi::Object {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(["true", "false", "1", "0", "on", "ja", ""]))
        .build()
}

/// A course status or `all`.
fn status_schema() -> utoipa::openapi::Object {
    crate::choice::schema::<CourseStatus>(&[serde_json::Value::from("all"), serde_json::Value::from("")])
}

/// A bound of a list filter: a moment, or a date (`2027-04-01`) for the start of that day in
/// Amsterdam.
pub(super) fn filter_instant(text: &str) -> Result<DateTime<Utc>, crate::time::TimeError> {
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
                CourseStatus::all().to_vec()
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
    #[diesel(sql_type = BigInt)]
    offered: i64,
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
/// session is looked up for the page's rows only. Seats come from enrolment's read model
/// `course_seats`, joined here so that "only with seats left" pages right.
const LIST_SQL: &str = "
SELECT page.*, n.place AS next_place, n.wijk AS next_wijk FROM (
    SELECT c.id, c.slug, c.title, c.summary, t.slug AS theme, t.name_nl AS theme_name_nl, t.name_en AS theme_name_en,
           c.format, c.status, c.capacity, c.waitlist_enabled,
           coalesce(e.enrolled, 0) AS enrolled, coalesce(e.waitlisted, 0) AS waitlisted,
           coalesce(e.offered, 0) AS offered,
           s.next_at AS next_session_at, coalesce(s.n, 0) AS session_count,
           count(*) OVER () AS total
    FROM courses c
    JOIN themes t ON t.id = c.theme_id
    LEFT JOIN (SELECT course_id, count(*) AS n, min(starts_at) FILTER (WHERE starts_at >= $1) AS next_at,
                      bool_or(starts_at >= coalesce($7, $1) AND ($8::timestamptz IS NULL OR starts_at < $8)
                              AND ($9::text IS NULL OR wijk = $9)) AS matches
               FROM course_sessions WHERE status = 'scheduled' GROUP BY course_id) s ON s.course_id = c.id
    LEFT JOIN course_seats e ON e.course_id = c.id
    WHERE c.status = ANY($2::course_status[])
      AND ($3::text IS NULL OR t.slug = $3)
      AND ($4::text[] IS NULL OR c.search @@ catalogue_search_query($4))
      AND ($5 = false OR c.capacity > coalesce(e.enrolled, 0) + coalesce(e.offered, 0))
      AND (NOT $6 OR coalesce(s.matches, false))
    ORDER BY s.next_at NULLS LAST, c.title, c.id
    LIMIT $10 OFFSET $11) page
LEFT JOIN LATERAL (
    SELECT place, wijk FROM course_sessions
    WHERE course_id = page.id AND status = 'scheduled' AND starts_at = page.next_session_at
    ORDER BY id LIMIT 1) n ON true
ORDER BY page.next_session_at NULLS LAST, page.title, page.id";

/// The words of a search: letters and digits only, so nothing in them is query syntax
/// (`catalogue_search_query` in SQL makes the query). `None` when there is no word at all.
fn search_words(q: &str) -> Option<Vec<String>> {
    let words: Vec<String> =
        q.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).take(8).map(str::to_owned).collect();
    (!words.is_empty()).then_some(words)
}

/// `LIST_SQL` (after `prefix`, such as `EXPLAIN `) with the binds of `filter` and `paging`.
fn list_query(
    prefix: &str,
    filter: &CourseFilter,
    paging: Paging,
) -> diesel::query_builder::BoxedSqlQuery<'static, diesel::pg::Pg, diesel::query_builder::SqlQuery> {
    let now = Utc::now();
    let statuses: Vec<String> = filter.statuses.iter().map(|s| s.as_str().to_owned()).collect();
    let sessions_matter = filter.upcoming || filter.from.is_some() || filter.to.is_some() || filter.wijk.is_some();
    let from = if filter.upcoming {
        Some(filter.from.map_or(now, |f| f.max(now)))
    } else {
        filter.from.or(DateTime::from_timestamp(0, 0))
    };
    diesel::sql_query(format!("{prefix}{LIST_SQL}"))
        .into_boxed()
        .bind::<Timestamptz, _>(now)
        .bind::<Array<Text>, _>(statuses)
        .bind::<Nullable<Text>, _>(filter.theme.clone())
        .bind::<Nullable<Array<Text>>, _>(filter.q.as_deref().and_then(search_words))
        .bind::<Bool, _>(filter.available)
        .bind::<Bool, _>(sessions_matter)
        .bind::<Nullable<Timestamptz>, _>(from)
        .bind::<Nullable<Timestamptz>, _>(filter.to)
        .bind::<Nullable<Text>, _>(filter.wijk.clone())
        .bind::<BigInt, _>(paging.per_page)
        .bind::<BigInt, _>(paging.offset())
}

#[derive(QueryableByName)]
struct PlanLine {
    #[diesel(sql_type = Text, column_name = "QUERY PLAN")]
    line: String,
}

/// The plan PostgreSQL makes for the list query of `filter`, for checking that a search
/// uses the GIN index `courses_search_idx`.
pub fn explain_list(conn: &mut PgConnection, filter: &CourseFilter) -> AppResult<String> {
    let lines: Vec<PlanLine> = list_query("EXPLAIN ", filter, Paging { page: 1, per_page: 20 }).load(conn)?;
    Ok(lines.into_iter().map(|l| l.line).collect::<Vec<_>>().join("\n"))
}

pub fn list(conn: &mut PgConnection, filter: &CourseFilter, paging: Paging) -> AppResult<(Vec<CourseSummary>, i64)> {
    if let Some(slug) = &filter.theme {
        // a theme that does not exist is a mistake in the request, not an empty result
        let known: bool =
            diesel::select(diesel::dsl::exists(themes::table.filter(themes::slug.eq(slug)))).get_result(conn)?;
        if !known {
            return Err(AppError::validation("theme", "theme-unknown"));
        }
    }
    let rows: Vec<SummaryRow> = list_query("", filter, paging).load(conn)?;
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
            seats_left: Seats { enrolled: r.enrolled, waitlisted: r.waitlisted, offered: r.offered }.left(r.capacity),
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

/// A page of courses and the total, or the filter fields that are wrong.
pub type Found = Result<(Vec<CourseSummary>, i64), Vec<FieldError>>;

/// What the public catalogue page shows: the themes to filter by, and the courses found —
/// or the filter fields that are wrong (a theme that does not exist), to show by the form.
/// No filter (its text did not parse): the themes only.
pub fn browse(
    conn: &mut PgConnection,
    filter: Option<&CourseFilter>,
    paging: Paging,
) -> AppResult<(Vec<Theme>, Found)> {
    let themes = themes(conn, false)?;
    let found = match filter.map(|filter| list(conn, filter, paging)) {
        Some(Ok(found)) => Ok(found),
        Some(Err(AppError::Validation(errors))) => Err(errors),
        Some(Err(e)) => return Err(e),
        None => Ok((Vec::new(), 0)),
    };
    Ok((themes, found))
}
