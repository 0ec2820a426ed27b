//! The public catalogue from the answers each instance keeps until the catalogue or its seats
//! change (`Db::cached`, issue 20): lists, course pages and their API are read thousands of
//! times for each change. Each answer is kept until the next session starts or ends at the
//! latest, because time alone moves a course's next session and takes finished courses out.

use std::sync::Arc;

use super::*;
use crate::db::Db;

/// Kept at most this long even when nothing changes (a safety net, not a rule).
const AT_MOST: chrono::Duration = chrono::Duration::minutes(10);

/// The next moment at which a session starts or ends (or `AT_MOST` from now). One query, by
/// the indexes on `starts_at` and `ends_at`.
pub fn valid_until(conn: &mut PgConnection) -> AppResult<DateTime<Utc>> {
    let now = Utc::now();
    let next: Option<DateTime<Utc>> = diesel::select(diesel::dsl::sql::<Nullable<Timestamptz>>(
        "least((SELECT min(starts_at) FROM course_sessions WHERE starts_at > now()),
               (SELECT min(ends_at) FROM course_sessions WHERE ends_at > now()))",
    ))
    .get_result(conn)?;
    Ok(next.map_or(now + AT_MOST, |t| t.min(now + AT_MOST)))
}

/// What `/cursussen` shows: [`browse`] and the months to filter by.
pub async fn kept_browse(
    db: &Db,
    filter: Option<CourseFilter>,
    paging: Paging,
) -> AppResult<Arc<((Vec<Theme>, Found), Vec<(i32, u32)>)>> {
    let key = format!("catalogue/browse {filter:?} {paging:?}");
    db.cached(key, move |conn| {
        let answer = (browse(conn, filter.as_ref(), paging)?, course_months(conn)?);
        Ok((answer, valid_until(conn)?))
    })
    .await
}

/// A page of [`list`]. The filter was checked for the viewer when it was parsed.
pub async fn kept_list(db: &Db, filter: CourseFilter, paging: Paging) -> AppResult<Arc<(Vec<CourseSummary>, i64)>> {
    let key = format!("catalogue/list {filter:?} {paging:?}");
    db.cached(key, move |conn| Ok((list(conn, &filter, paging)?, valid_until(conn)?))).await
}

/// A course as `viewer` may see it, by id ([`visible_detail`]).
pub async fn kept_detail(db: &Db, viewer: Option<&CurrentUser>, id: CourseId) -> AppResult<Arc<CourseDetail>> {
    let detail =
        db.cached(format!("catalogue/course {id:?}"), move |conn| Ok((detail(conn, id)?, valid_until(conn)?))).await?;
    if can_see(viewer, &detail.course) { Ok(detail) } else { Err(AppError::NotFound) }
}

/// A course as `viewer` may see it, by slug ([`visible_detail_by_slug`]).
pub async fn kept_detail_by_slug(db: &Db, viewer: Option<&CurrentUser>, slug: &str) -> AppResult<Arc<CourseDetail>> {
    let key = format!("catalogue/slug {slug}");
    let slug = slug.to_owned();
    let detail = db
        .cached(key, move |conn| {
            let id: CourseId = courses::table.filter(courses::slug.eq(&slug)).select(courses::id).first(conn)?;
            Ok((detail(conn, id)?, valid_until(conn)?))
        })
        .await?;
    if can_see(viewer, &detail.course) { Ok(detail) } else { Err(AppError::NotFound) }
}
