//! The summary's figures from a rollup, so that the dashboard answers in milliseconds at a
//! million attendance cells (issue 17). Reports keep three small tables from the read models
//! below them (migration 2026-12-01-000021): `report_places` (a person × course: the dates
//! with a place, waiting, the counts for completion), `report_place_months` (the same per
//! month) and `report_session_groups` (a session × the wijk and kind of its people: the
//! counts of expected sessions and marks). Triggers on the tables they are made of mark the
//! course in `report_dirty`; [`refresh`] computes the marked courses again, before every
//! summary that reads them and every [`REFRESH_EVERY`] in the scheduler (`summary::run`), so
//! the figures are never older than the question.
//!
//! The query builds the same `facts` as the computation over the cells
//! (`summary::live_facts_sql`), and the figures over them are the same SQL
//! ([`super::summary::FIGURES`]); a test compares the two over every grouping and filter. The
//! two filters the rollup does not hold (the session's wijk, the organisation) are answered
//! over the cells.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::result::DatabaseErrorKind;
use diesel::sql_types::{Array, BigInt};

use crate::choice::Choice;
use crate::error::AppResult;
use crate::reports::model::Report;
use crate::reports::summary::{GroupBy, chosen_sessions, course_state};

/// How often the scheduler computes the marked courses again (`summary::run`), so that a
/// summary rarely has work to do first.
pub const REFRESH_EVERY: Duration = Duration::from_secs(30);

/// The advisory lock that lets one refresh run at a time (its number: "rollup" in ASCII).
const REFRESH_LOCK: i64 = 0x726f_6c6c_7570;

/// Whether the rollup holds what `report` asks: every filter but the session's wijk and the
/// organisation, which are not kept in it.
pub fn answers(report: &Report) -> bool {
    report.filters.wijk.is_none() && report.filters.organisation.is_none()
}

#[derive(QueryableByName)]
struct Marked {
    #[diesel(sql_type = BigInt)]
    course_id: i64,
    #[diesel(sql_type = BigInt)]
    changes: i64,
}

/// The cells of the marked courses, once, for the three tables (`$1`: the courses).
const RECOMPUTE_SQL: &str = "
WITH cells AS MATERIALIZED (
    SELECT c.course_id, c.session_id, c.user_id, c.mark, c.joined_at,
           (s.starts_at AT TIME ZONE 'Europe/Amsterdam')::date AS day,
           -- a place: not waiting, and enrolled, expected or marked (a person who left was
           -- expected only at sessions that started before they left: the place needs no clock)
           c.enrolment_status <> 'waitlisted'
               AND (c.enrolment_status = 'enrolled' OR c.expected OR c.mark IS NOT NULL) AS place,
           c.expected AND c.enrolment_status <> 'waitlisted' AS counted,
           u.wijk, u.participant_kind AS kind
    FROM attendance_cells c
    JOIN session_facts s ON s.session_id = c.session_id
    JOIN people u ON u.id = c.user_id
    WHERE c.course_id = ANY($1)
), places AS (
    INSERT INTO report_places (course_id, user_id, place_days, never_joined, whole_expected, whole_attended)
    SELECT course_id, user_id,
           COALESCE(range_agg(daterange(day, day, '[]')) FILTER (WHERE place), '{}'),
           bool_and(joined_at IS NULL),
           count(*) FILTER (WHERE counted),
           count(*) FILTER (WHERE counted AND mark IN ('present', 'late'))
    FROM cells
    GROUP BY course_id, user_id
), months AS (
    INSERT INTO report_place_months (course_id, user_id, month, place_days)
    SELECT course_id, user_id, date_trunc('month', day)::date, range_agg(daterange(day, day, '[]'))
    FROM cells
    WHERE place
    GROUP BY course_id, user_id, date_trunc('month', day)
)
INSERT INTO report_session_groups (session_id, course_id, wijk, kind, expected, attended, committed, absent)
SELECT session_id, course_id, wijk, kind, count(*),
       count(*) FILTER (WHERE mark IN ('present', 'late')),
       count(*) FILTER (WHERE mark IN ('present', 'late', 'excused')),
       count(*) FILTER (WHERE mark = 'absent')
FROM cells
WHERE counted
GROUP BY session_id, course_id, wijk, kind";

/// Compute the marked courses again; answers how many there were. One refresh runs at a time
/// (a second waits, then finds nothing left to do). It reads one snapshot, so the three tables
/// agree; a course changed meanwhile stays marked for the next refresh.
pub fn refresh(conn: &mut PgConnection) -> AppResult<usize> {
    // a lock of the session, taken before the transaction's snapshot (a lock taken inside it
    // would leave the snapshot older than the refresh that ran while this one waited)
    conn.batch_execute(&format!("SELECT pg_advisory_lock({REFRESH_LOCK})"))?;
    let done = conn.build_transaction().repeatable_read().run(recompute);
    let unlocked = conn.batch_execute(&format!("SELECT pg_advisory_unlock({REFRESH_LOCK})"));
    let done = done?;
    unlocked?;
    Ok(done)
}

fn recompute(conn: &mut PgConnection) -> AppResult<usize> {
    let marked: Vec<Marked> = diesel::sql_query("SELECT course_id, changes FROM report_dirty").load(conn)?;
    if marked.is_empty() {
        return Ok(0);
    }
    let courses: Vec<i64> = marked.iter().map(|m| m.course_id).collect();
    let changes: Vec<i64> = marked.iter().map(|m| m.changes).collect();
    conn.batch_execute("SET LOCAL work_mem = '256MB'; SET LOCAL jit = off")?;
    for table in ["report_places", "report_place_months", "report_session_groups"] {
        diesel::sql_query(format!("DELETE FROM {table} WHERE course_id = ANY($1)"))
            .bind::<Array<BigInt>, _>(&courses)
            .execute(conn)?;
    }
    diesel::sql_query(RECOMPUTE_SQL).bind::<Array<BigInt>, _>(&courses).execute(conn)?;
    diesel::sql_query("UPDATE report_rollup_version SET version = version + 1").execute(conn)?;
    // Unmark what was read, unless it changed since: a change that commits after this
    // snapshot updates its mark, and the delete then fails to serialise; the savepoint keeps
    // the work done and the course marked.
    let unmarked = conn.transaction::<_, diesel::result::Error, _>(|conn| {
        diesel::sql_query(
            "DELETE FROM report_dirty d USING unnest($1::bigint[], $2::bigint[]) AS m(course_id, changes)
             WHERE d.course_id = m.course_id AND d.changes = m.changes",
        )
        .bind::<Array<BigInt>, _>(&courses)
        .bind::<Array<BigInt>, _>(&changes)
        .execute(conn)
    });
    match unmarked {
        Ok(_) | Err(diesel::result::Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _)) => {}
        Err(other) => return Err(other.into()),
    }
    Ok(marked.len())
}

#[derive(QueryableByName)]
struct Version {
    #[diesel(sql_type = BigInt)]
    version: i64,
}

/// [`refresh`], then the rollup's version: it moves on with every refresh that computed a
/// course again, whichever instance ran it. An answer read after this call is at least as new
/// as the version, so it may be kept under it.
pub fn refreshed_version(conn: &mut PgConnection) -> AppResult<i64> {
    refresh(conn)?;
    let row: Version = diesel::sql_query("SELECT version FROM report_rollup_version").get_result(conn)?;
    Ok(row.version)
}

/// The `facts` of the summary (see `summary::live_facts_sql`) from the rollup, for each of
/// `groupings`. Parameters as the summary's: $1, $2 the period; $3 theme, $4 course, $6
/// participant kind; $5 and $7 (session wijk, organisation) must be empty ([`answers`]).
pub fn facts_sql(groupings: &[GroupBy]) -> String {
    let parts: Vec<String> = groupings.iter().map(|g| grouping_facts(*g)).collect();
    format!(
        "{ROLLUP_SQL}, facts (which, grp, grp_id, course_id, user_id, place, completed, waiting, expected, attended,
                   committed, absent, hours, session_id) AS (\n{}\n)",
        parts.join("\n    UNION ALL\n")
    )
}

/// What every grouping reads: the chosen sessions, their courses, the places and the counts.
const ROLLUP_SQL: &str = concat!(
    "
WITH chosen AS MATERIALIZED (
    SELECT session_id, course_id, course_title, theme, hours::float8 AS hours,
           starts_at <= now() AS held,
           to_char(starts_at AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM') AS month
    FROM session_facts
    WHERE NOT cancelled
",
    chosen_sessions!(),
    "      AND $5::text IS NULL AND $7::text IS NULL
), chosen_courses AS MATERIALIZED (
    SELECT course_id, min(course_title) AS course_title, min(theme) AS theme
    FROM chosen
    GROUP BY course_id
), course_state AS MATERIALIZED (
    ",
    course_state!(),
    "
    WHERE s.course_id IN (SELECT course_id FROM chosen_courses)
    GROUP BY s.course_id
), places AS MATERIALIZED (
    SELECT p.course_id, p.user_id, k.theme, k.course_title, u.wijk AS person_wijk,
           u.participant_kind::text AS kind, k.last_month,
           p.place_days && daterange($1::date, $2::date, '[]') AS place,
           p.never_joined AS waiting,
           COALESCE(k.over AND p.whole_expected > 0 AND p.whole_attended * 100 >= k.threshold * p.whole_expected, false)
               AS completed
    FROM report_places p
    JOIN (chosen_courses JOIN course_state USING (course_id)) k ON k.course_id = p.course_id
    JOIN people u ON u.id = p.user_id AND ($6::text IS NULL OR u.participant_kind::text = $6)
), sums AS MATERIALIZED (
    SELECT c.session_id, c.course_id, c.course_title, c.theme, c.month, g.wijk AS person_wijk,
           g.kind::text AS kind, g.expected, g.attended, g.committed, g.absent, g.attended * c.hours AS hours
    FROM chosen c
    JOIN report_session_groups g ON g.session_id = c.session_id AND ($6::text IS NULL OR g.kind::text = $6)
    WHERE c.held
)"
);

/// One grouping's facts: per place (person × course, with place or waiting), the group's sums
/// of counts, and per session held (of a grouping of people: where someone of the group was
/// expected). A grouping of courses, themes or months also has a group for each course (and
/// month of its sessions) with anyone in it, as over the cells, where a course whose people
/// all left before its sessions shows with zeros.
fn grouping_facts(g: GroupBy) -> String {
    let which = g.as_str();
    let (grp, grp_id, by) = match g {
        GroupBy::Course => ("course_title", "course_id", "course_title, course_id"),
        GroupBy::Theme => ("theme", "NULL::bigint", "theme"),
        GroupBy::Wijk => ("person_wijk", "NULL::bigint", "person_wijk"),
        GroupBy::ParticipantKind => ("kind", "NULL::bigint", "kind"),
        GroupBy::Month => ("month", "NULL::bigint", "month"),
    };
    let none = "0::bigint, 0::bigint, 0::bigint, 0::bigint, NULL::float8";
    let places = match g {
        // a place counts in each month in which the person had one; waiting, in each month with
        // a session of the course; a completion, in the month of the course's last session
        GroupBy::Month => format!(
            "SELECT '{which}', to_char(m.month, 'YYYY-MM'), NULL::bigint, p.course_id, p.user_id, true,
           p.completed AND to_char(m.month, 'YYYY-MM') = p.last_month, false, {none}, NULL::bigint
    FROM places p
    JOIN report_place_months m ON m.course_id = p.course_id AND m.user_id = p.user_id
                              AND m.place_days && daterange($1::date, $2::date, '[]')
    UNION ALL
    SELECT '{which}', cm.month, NULL::bigint, p.course_id, p.user_id, false, false, true, {none}, NULL::bigint
    FROM places p JOIN (SELECT DISTINCT course_id, month FROM chosen) cm ON cm.course_id = p.course_id
    WHERE p.waiting
    UNION ALL
    SELECT DISTINCT '{which}', month, NULL::bigint, NULL::bigint, NULL::bigint, false, false, false, {none}, NULL::bigint
    FROM chosen
    WHERE course_id IN (SELECT course_id FROM places)"
        ),
        _ if g.of_people() => format!(
            "SELECT '{which}', {grp}, {grp_id}, course_id, user_id, place, place AND completed, waiting, {none}, NULL::bigint
    FROM places
    WHERE place OR waiting"
        ),
        _ => format!(
            "SELECT '{which}', {grp}, {grp_id}, course_id, user_id, place, place AND completed, waiting, {none}, NULL::bigint
    FROM places
    WHERE place OR waiting
    UNION ALL
    SELECT DISTINCT '{which}', {grp}, {grp_id}, NULL::bigint, NULL::bigint, false, false, false, {none}, NULL::bigint
    FROM places"
        ),
    };
    let sessions = if g.of_people() {
        format!("SELECT DISTINCT '{which}', {grp}, NULL::bigint, NULL::bigint, NULL::bigint, false, false, false, {none}, session_id
    FROM sums")
    } else {
        format!(
            "SELECT '{which}', {grp}, {grp_id}, NULL::bigint, NULL::bigint, false, false, false, {none}, session_id
    FROM chosen
    WHERE held"
        )
    };
    format!(
        "    {places}
    UNION ALL
    SELECT '{which}', {grp}, {grp_id}, NULL::bigint, NULL::bigint, false, false, false,
           sum(expected)::bigint, sum(attended)::bigint, sum(committed)::bigint, sum(absent)::bigint, sum(hours), NULL::bigint
    FROM sums
    GROUP BY {by}
    UNION ALL
    {sessions}"
    )
}
