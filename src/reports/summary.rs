//! The summary of a period: the figures a funder asks for, per theme, wijk/dorp, participant
//! kind, course or month. One set-based query per grouping (groups and the total together,
//! through `GROUPING SETS`), over the same read models and filters as the exports.
//!
//! Every figure is defined once, in [`FIGURES`]: its SQL and the key of the sentence that the
//! dashboard shows as its help text. The rules of "expected", "held", the rates and completion
//! are those of the attendance ledger (`src/attendance/service/ledger.rs`), as the view
//! `attendance_cells` and the participation export apply them.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Double, Nullable, Text};
use serde::{Serialize, Serializer};
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::choice::Choice;
use crate::error::AppResult;
use crate::reports::model::Report;
use crate::reports::rollup;
use crate::reports::service::may_report;

/// Fewer people than this in a cell single someone out: a pseudonymous summary shows "<5".
pub const K_ANONYMITY: i64 = 5;

/// What the summary is grouped by.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::EnumString, strum::VariantArray, Serialize,
)]
#[strum(serialize_all = "snake_case", ascii_case_insensitive)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// The theme's slug.
    Theme,
    /// The participant's own wijk or dorp (slug; `null`: not filled in).
    Wijk,
    /// The participant's kind (`null`: not filled in).
    ParticipantKind,
    /// The course (its title).
    Course,
    /// The local (Europe/Amsterdam) month of the session date, `YYYY-MM`.
    Month,
}

impl GroupBy {
    /// Groups of people rather than of sessions: sessions count only where someone of the
    /// group was expected.
    pub(crate) fn of_people(self) -> bool {
        matches!(self, GroupBy::Wijk | GroupBy::ParticipantKind)
    }
}

/// A figure: its name in the API and exports, its SQL over the rows of `cells` (see
/// [`summary_sql`]), and the Fluent key of its definition on the dashboard.
pub struct Figure {
    pub name: &'static str,
    pub sql: &'static str,
    pub help: &'static str,
}

/// The summary's figures, each defined once, over the rows of `facts` (see [`summary_sql`]):
/// one row per group × place (a person × course, with their counts there) and one per group ×
/// session held. Per place: `place` = they had a place in the course (not waiting) and were
/// enrolled, expected at a session held, or marked; `expected` = expected sessions held
/// (started, not cancelled); `attended`/`committed`/`absent` = of those, present or late /
/// also excused / absent; `waiting` = on the waiting list, never given a place; `place_key` = the
/// place (course × person) as one number.
pub const FIGURES: [Figure; 9] = [
    // Unique people with a place in a course of the group in the period.
    Figure {
        name: "participants",
        sql: "count(DISTINCT user_id) FILTER (WHERE place)",
        help: "dashboard-def-participants",
    },
    // Places (person × course), as the rows of the participation export.
    Figure {
        name: "enrolments",
        sql: "count(DISTINCT place_key) FILTER (WHERE place)",
        help: "dashboard-def-enrolments",
    },
    // Sessions held (started, not cancelled); per wijk or kind: those where someone of the
    // group was expected.
    Figure { name: "sessions_held", sql: "count(DISTINCT session_id)", help: "dashboard-def-sessions-held" },
    // (present + late) / expected sessions held, pooled over everyone in the group.
    Figure {
        name: "attendance_rate",
        sql: "sum(attended)::float8 / NULLIF(sum(expected), 0)",
        help: "dashboard-def-attendance-rate",
    },
    // (present + late + excused) / expected sessions held.
    Figure {
        name: "commitment_rate",
        sql: "sum(committed)::float8 / NULLIF(sum(expected), 0)",
        help: "dashboard-def-commitment-rate",
    },
    // Absent without apology (mark `absent`) / expected sessions held.
    Figure {
        name: "no_show_rate",
        sql: "sum(absent)::float8 / NULLIF(sum(expected), 0)",
        help: "dashboard-def-no-show-rate",
    },
    // Places that completed the course (over, attendance over all of it at least the
    // threshold); per month: in the month of the course's last session.
    Figure {
        name: "completions",
        sql: "count(DISTINCT place_key) FILTER (WHERE place AND completed)",
        help: "dashboard-def-completions",
    },
    // The sum over attendees (present or late) of the session's hours.
    Figure { name: "training_hours", sql: "COALESCE(sum(hours), 0)::float8", help: "dashboard-def-training-hours" },
    // People on the waiting list of a course of the group who never got a place in it.
    Figure {
        name: "waiting_demand",
        sql: "count(DISTINCT user_id) FILTER (WHERE waiting)",
        help: "dashboard-def-waiting-demand",
    },
];

/// The rows the figures are computed over: every non-cancelled session in the period and
/// filters, with each person who had (or waited for) a place in its course. Parameters: $1,
/// $2 the period; $3 theme, $4 course, $5 session wijk, $6 participant kind, $7 organisation.
/// Each CTE is read once (so PostgreSQL streams it instead of writing it down), except the
/// sessions of the period, which are few.
/// Whether a course is over (every session cancelled or ended, and one held), its completion
/// threshold and the month of its last session: one rule for the summary over the cells and
/// from the rollup (`rollup::facts_sql`), followed by the courses' `WHERE` and `GROUP BY`.
macro_rules! course_state {
    () => {
        "SELECT s.course_id,
           bool_and(s.cancelled OR s.ends_at <= now()) AND bool_or(NOT s.cancelled) AS over,
           min(s.completion_threshold) AS threshold,
           to_char(max(s.starts_at) FILTER (WHERE NOT s.cancelled) AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM')
               AS last_month
    FROM session_facts s"
    };
}
pub(crate) use course_state;

/// The sessions of the period (local dates `$1` to `$2`, inclusive) of a theme `$3` and a
/// course `$4` when given: one rule for the summary over the cells and from the rollup
/// (`rollup::facts_sql`), as conditions after a `WHERE` on `session_facts`.
macro_rules! chosen_sessions {
    () => {
        "      AND starts_at >= ($1::date::timestamp AT TIME ZONE 'Europe/Amsterdam')
      AND starts_at < (($2::date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam')
      AND ($3::text IS NULL OR theme = $3)
      AND ($4::bigint IS NULL OR course_id = $4)
"
    };
}
pub(crate) use chosen_sessions;

const CELLS_SQL: &str = concat!(
    "
WITH chosen AS MATERIALIZED (
    SELECT session_id, course_id
    FROM session_facts
    WHERE NOT cancelled
",
    chosen_sessions!(),
    "      AND ($5::text IS NULL OR wijk = $5)
), base AS (
    SELECT f.session_id, f.course_id, f.course_title, f.theme, f.starts_at, f.hours::float8 AS hours,
           f.starts_at <= now() AS held,
           c.user_id, c.enrolment_status, c.joined_at, c.mark, c.expected,
           u.wijk AS person_wijk, u.participant_kind::text AS kind
    FROM session_facts f
    LEFT JOIN (attendance_cells c
               JOIN people u ON u.id = c.user_id
                            AND ($6::text IS NULL OR u.participant_kind::text = $6)
                            AND ($7::text IS NULL OR lower(u.organisation) = lower($7)))
           ON c.session_id = f.session_id
    WHERE f.session_id IN (SELECT session_id FROM chosen)
), course_state AS (
    ",
    course_state!(),
    "
    WHERE s.course_id IN (SELECT course_id FROM chosen)
    GROUP BY s.course_id
), whole AS (
    SELECT a.course_id, a.user_id,
           count(*) FILTER (WHERE a.expected AND s.starts_at <= now()) AS expected,
           count(*) FILTER (WHERE a.expected AND s.starts_at <= now() AND a.mark IN ('present', 'late')) AS attended
    FROM attendance_cells a JOIN session_facts s ON s.session_id = a.session_id
    WHERE a.course_id IN (SELECT course_id FROM chosen) AND a.enrolment_status <> 'waitlisted'
    GROUP BY a.course_id, a.user_id
), cells AS (
    SELECT b.*, k.last_month,
           b.held AND b.expected AND b.enrolment_status <> 'waitlisted' AS counted,
           b.user_id IS NOT NULL AND b.enrolment_status <> 'waitlisted'
               AND (b.enrolment_status = 'enrolled' OR (b.held AND b.expected) OR b.mark IS NOT NULL) AS place,
           COALESCE(k.over AND w.expected > 0 AND w.attended * 100 >= k.threshold * w.expected, false) AS completed,
           to_char(b.starts_at AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM') AS month
    FROM base b
    JOIN course_state k ON k.course_id = b.course_id
    LEFT JOIN whole w ON w.course_id = b.course_id AND w.user_id = b.user_id
)"
);

impl GroupBy {
    /// The grouping's columns in `cells`: the group, and (for courses) the id that keeps two
    /// courses with one title apart.
    fn columns(self) -> &'static str {
        match self {
            GroupBy::Theme => "theme",
            GroupBy::Wijk => "person_wijk",
            GroupBy::ParticipantKind => "kind",
            GroupBy::Course => "course_title, course_id",
            GroupBy::Month => "month",
        }
    }

    /// The column whose `GROUPING()` tells that a row of `gathered` belongs to this grouping.
    fn marker(self) -> &'static str {
        match self {
            GroupBy::Course => "course_title",
            other => other.columns(),
        }
    }
}

/// The `facts` over the cells: per group × place (a person × course, with their counts
/// there) and per group × session held, for every grouping at once. In one pass the cells are
/// gathered per group × place and per group × session for each grouping (grouping sets,
/// hashed; `which` says whose row it is), so that the figures count distinct values over
/// thousands of rows, not over a million cells, and the cells are read once however many
/// groupings are asked. The rollup builds the same facts from fewer rows
/// ([`crate::reports::rollup::facts_sql`]).
fn live_facts_sql(groupings: &[GroupBy]) -> String {
    let sets: Vec<String> = groupings
        .iter()
        .flat_map(|g| [format!("({}, course_id, user_id)", g.columns()), format!("({}, session_id)", g.columns())])
        .collect();
    let which: Vec<String> =
        groupings.iter().map(|g| format!("WHEN GROUPING({}) = 0 THEN '{}'", g.marker(), g.as_str())).collect();
    let group: Vec<String> = groupings.iter().map(|g| format!("WHEN '{}' THEN {}", g.as_str(), g.marker())).collect();
    let people: Vec<String> = groupings.iter().filter(|g| g.of_people()).map(|g| format!("'{}'", g.as_str())).collect();
    let people = if people.is_empty() { "NULL".to_owned() } else { people.join(", ") };
    let mut columns: Vec<&str> = Vec::new();
    for column in groupings.iter().flat_map(|g| g.columns().split(", ")).chain(["course_id", "user_id", "session_id"]) {
        if !columns.contains(&column) {
            columns.push(column);
        }
    }
    format!(
        "{CELLS_SQL}, gathered AS (
    SELECT CASE {which} END AS which,
           {columns},
           GROUPING(session_id) = 0 AS per_session,
           bool_or(held) AS was_held,
           bool_or(held AND counted) AS was_counted,
           bool_or(place) AS place,
           bool_or(place AND completed) AS completed,
           bool_or(place AND completed AND month = last_month) AS completed_here,
           bool_or(joined_at IS NULL) AS waiting,
           count(*) FILTER (WHERE counted) AS expected,
           count(*) FILTER (WHERE counted AND mark IN ('present', 'late')) AS attended,
           count(*) FILTER (WHERE counted AND mark IN ('present', 'late', 'excused')) AS committed,
           count(*) FILTER (WHERE counted AND mark = 'absent') AS absent,
           sum(hours) FILTER (WHERE counted AND mark IN ('present', 'late')) AS hours
    FROM cells
    GROUP BY GROUPING SETS ({sets})
), labelled AS (
    SELECT g.*, which IN ({people}) AS of_people,
           CASE which {group} END AS grp,
           CASE WHEN which = 'course' THEN course_id END AS grp_id
    FROM gathered g
), facts AS (
    -- per place; a grouping of people counts only those with a place or waiting
    SELECT which, grp, grp_id, course_id, user_id, place,
           CASE WHEN which = 'month' THEN completed_here ELSE completed END AS completed,
           waiting, expected, attended, committed, absent, hours, NULL::bigint AS session_id
    FROM labelled
    WHERE NOT per_session AND user_id IS NOT NULL AND (NOT of_people OR place OR waiting)
    UNION ALL
    -- per session held; in a grouping of people, where someone of the group was expected
    SELECT which, grp, grp_id, NULL, NULL, false, false, false, 0, 0, 0, 0, NULL, session_id
    FROM labelled
    WHERE per_session AND CASE WHEN of_people THEN was_counted ELSE was_held END
)",
        which = which.join(" "),
        group = group.join(" "),
        sets = sets.join(", "),
        columns = columns.join(", "),
    )
}

/// A place (a course × a person) as one number, `course_id * PLACE_KEY + user_id`: counting
/// distinct numbers sorts three times faster than counting distinct pairs (a million cells: 1.8
/// s instead of 5.4 s). Ids stay far below 2^32.
const PLACE_KEY: i64 = 1 << 32;

/// The query: `facts` (over the cells, or from the rollup), then the figures per group for
/// each grouping, and once more over everything (`total`, over the first grouping).
fn summary_sql(facts: &str, groupings: &[GroupBy]) -> String {
    let figures: Vec<String> = FIGURES.iter().map(|f| format!("{} AS {}", f.sql, f.name)).collect();
    let first = groupings.first().copied().unwrap_or(GroupBy::Theme).as_str();
    format!(
        "{facts}
SELECT which, grp, GROUPING(grp, grp_id) > 0 AS total, {}
FROM (SELECT *, course_id * {PLACE_KEY} + user_id AS place_key FROM facts) facts
GROUP BY GROUPING SETS ((which, grp, grp_id), (which))
HAVING GROUPING(grp, grp_id) = 0 OR which = '{first}'
ORDER BY which, GROUPING(grp, grp_id), grp NULLS LAST, grp_id",
        figures.join(",\n       "),
    )
}

#[derive(Debug, Clone, QueryableByName)]
struct Raw {
    #[diesel(sql_type = Text)]
    which: String,
    #[diesel(sql_type = Nullable<Text>)]
    grp: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    total: bool,
    #[diesel(sql_type = BigInt)]
    participants: i64,
    #[diesel(sql_type = BigInt)]
    enrolments: i64,
    #[diesel(sql_type = BigInt)]
    sessions_held: i64,
    #[diesel(sql_type = Nullable<Double>)]
    attendance_rate: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    commitment_rate: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    no_show_rate: Option<f64>,
    #[diesel(sql_type = BigInt)]
    completions: i64,
    #[diesel(sql_type = Double)]
    training_hours: f64,
    #[diesel(sql_type = BigInt)]
    waiting_demand: i64,
}

/// A count, or "<5" in a pseudonymous summary when it would single out 1 to 4 people.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Count {
    Value(i64),
    FewerThanFive,
}

/// A number (a rate between 0 and 1, or hours), `None` (no expected session held), or "<5"
/// in a pseudonymous summary when the group has 1 to 4 participants.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Amount {
    Value(Option<f64>),
    FewerThanFive,
}

/// The JSON of a hidden figure.
pub const HIDDEN: &str = "<5";

impl Serialize for Count {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Count::Value(n) => s.serialize_i64(*n),
            Count::FewerThanFive => s.serialize_str(HIDDEN),
        }
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Amount::Value(Some(n)) => s.serialize_f64((n * 10_000.0).round() / 10_000.0),
            Amount::Value(None) => s.serialize_none(),
            Amount::FewerThanFive => s.serialize_str(HIDDEN),
        }
    }
}

impl Count {
    fn of(n: i64, hide: bool) -> Count {
        if hide && (1..K_ANONYMITY).contains(&n) { Count::FewerThanFive } else { Count::Value(n) }
    }

    /// The number, when shown.
    pub fn value(&self) -> Option<i64> {
        match self {
            Count::Value(n) => Some(*n),
            Count::FewerThanFive => None,
        }
    }
}

impl Amount {
    /// The number, when shown and defined.
    pub fn value(&self) -> Option<f64> {
        match self {
            Amount::Value(n) => *n,
            Amount::FewerThanFive => None,
        }
    }
}

fn count_schema() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
    utoipa::openapi::schema::Schema::OneOf(
        OneOfBuilder::new()
            .item(ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(0)))
            .item(ObjectBuilder::new().schema_type(Type::String).enum_values(Some([HIDDEN])))
            .description(Some("a count, or \"<5\" in a pseudonymous summary when it would single out 1 to 4 people"))
            .build(),
    )
}

fn amount_schema() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
    utoipa::openapi::schema::Schema::OneOf(OneOfBuilder::new()
        .item(ObjectBuilder::new().schema_type(Type::Number))
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .item(ObjectBuilder::new().schema_type(Type::String).enum_values(Some([HIDDEN])))
        .description(Some(
            "a number (null: no expected session held yet), or \"<5\" in a pseudonymous summary of a group of 1 to 4 participants",
        ))
        .build())
}

/// One group's figures (see [`FIGURES`] for each definition).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SummaryRow {
    /// The theme's slug, the wijk's slug, the participant kind, the course's title or the
    /// month (`YYYY-MM`); `null`: not filled in (wijk, participant kind).
    pub group: Option<String>,
    /// Unique people with a place in a course of the group in the period.
    #[schema(schema_with = count_schema)]
    pub participants: Count,
    /// Places (person × course), as the rows of the participation export.
    #[schema(schema_with = count_schema)]
    pub enrolments: Count,
    /// Sessions held (started, not cancelled); per wijk or kind: where someone of it was expected.
    pub sessions_held: i64,
    /// (present + late) / expected sessions held.
    #[schema(schema_with = amount_schema)]
    pub attendance_rate: Amount,
    /// (present + late + excused) / expected sessions held.
    #[schema(schema_with = amount_schema)]
    pub commitment_rate: Amount,
    /// Absent without apology / expected sessions held.
    #[schema(schema_with = amount_schema)]
    pub no_show_rate: Amount,
    /// Places whose course is over with an attendance rate of at least its threshold.
    #[schema(schema_with = count_schema)]
    pub completions: Count,
    /// The sum over attendees (present or late) of the session hours.
    #[schema(schema_with = amount_schema)]
    pub training_hours: Amount,
    /// People waitlisted for a course of the group and never given a place in it.
    #[schema(schema_with = count_schema)]
    pub waiting_demand: Count,
}

impl SummaryRow {
    /// The figures as shown: in a pseudonymous summary (`hide`), counts of 1 to 4 become "<5",
    /// and so do the rates and hours of a group of 1 to 4 participants (they describe them).
    fn from_raw(raw: Raw, hide: bool) -> SummaryRow {
        let small = hide && (1..K_ANONYMITY).contains(&raw.participants);
        let amount = |v: Option<f64>| if small { Amount::FewerThanFive } else { Amount::Value(v) };
        SummaryRow {
            group: raw.grp,
            participants: Count::of(raw.participants, hide),
            enrolments: Count::of(raw.enrolments, hide),
            sessions_held: raw.sessions_held,
            attendance_rate: amount(raw.attendance_rate),
            commitment_rate: amount(raw.commitment_rate),
            no_show_rate: amount(raw.no_show_rate),
            completions: Count::of(raw.completions, hide),
            training_hours: amount(Some(raw.training_hours)),
            waiting_demand: Count::of(raw.waiting_demand, hide),
        }
    }
}

/// The groups' figures and the figures over all of them (unique people are not a sum).
#[derive(Debug, Clone)]
pub struct Summary {
    pub groups: Vec<SummaryRow>,
    pub total: SummaryRow,
}

/// The summary of the period and filters, grouped by `group_by` (coordinators and admins).
pub fn summary(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    report: &Report,
    group_by: GroupBy,
) -> AppResult<Vec<SummaryRow>> {
    Ok(summary_with_total(conn, actor, report, group_by)?.groups)
}

/// The summary with its total row: one query.
pub fn summary_with_total(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    report: &Report,
    group_by: GroupBy,
) -> AppResult<Summary> {
    may_report(actor)?;
    compute(conn, report, group_by)
}

/// The one query of the summary, for whoever may see it.
fn compute(conn: &mut PgConnection, report: &Report, group_by: GroupBy) -> AppResult<Summary> {
    let (total, mut groupings) = compute_all(conn, report, &[group_by])?;
    Ok(Summary { groups: groupings.pop().unwrap_or_default(), total })
}

/// The summary query's settings, for its transaction: memory to hash its grouping sets, and no
/// JIT (as the exports' transactions).
const SUMMARY_SETTINGS: &str = "SET LOCAL work_mem = '256MB'; SET LOCAL jit = off";

/// Where the summary's facts come from: the rollup when it holds the question, else the cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// `attendance_cells` and `session_facts`, as the exports read them: seconds at a million cells.
    Cells,
    /// The tables of [`crate::reports::rollup`], computed again where marked: milliseconds.
    Rollup,
}

impl Source {
    /// The rollup when it holds every filter of `report`.
    pub fn for_report(report: &Report) -> Source {
        if rollup::answers(report) { Source::Rollup } else { Source::Cells }
    }
}

/// The figures for each of `groupings` (in their order) and the total, in one query.
fn compute_all(
    conn: &mut PgConnection,
    report: &Report,
    groupings: &[GroupBy],
) -> AppResult<(SummaryRow, Vec<Vec<SummaryRow>>)> {
    compute_from(conn, report, groupings, Source::for_report(report))
}

/// The figures of `report` for each of `groupings` and the total, from `source`, without a
/// person to check: for the test that holds the rollup to the cells. Over the cells this is
/// seconds at a million cells.
pub fn summary_from(
    conn: &mut PgConnection,
    report: &Report,
    groupings: &[GroupBy],
    source: Source,
) -> AppResult<(SummaryRow, Vec<Vec<SummaryRow>>)> {
    compute_from(conn, report, groupings, source)
}

fn compute_from(
    conn: &mut PgConnection,
    report: &Report,
    groupings: &[GroupBy],
    source: Source,
) -> AppResult<(SummaryRow, Vec<Vec<SummaryRow>>)> {
    use diesel::connection::SimpleConnection;
    let f = &report.filters;
    let facts = match source {
        Source::Rollup if rollup::answers(report) => {
            rollup::refresh(conn)?;
            rollup::facts_sql(groupings)
        }
        _ => live_facts_sql(groupings),
    };
    let sql = summary_sql(&facts, groupings);
    let rows: Vec<Raw> = conn.transaction::<_, diesel::result::Error, _>(|conn| {
        // The grouping sets gather up to a million cells at once. In the default work_mem
        // PostgreSQL sorts them to disk once per grouping instead of hashing them (at a
        // million cells, with the settings: 60 s instead of 97 s, load 12). Only for this query.
        conn.batch_execute(SUMMARY_SETTINGS)?;
        diesel::sql_query(sql)
            .bind::<Date, _>(report.from)
            .bind::<Date, _>(report.to)
            .bind::<Nullable<Text>, _>(f.theme.as_deref())
            .bind::<Nullable<BigInt>, _>(f.course.map(|c| c.0))
            .bind::<Nullable<Text>, _>(f.wijk.as_deref())
            .bind::<Nullable<Text>, _>(f.participant_kind.map(|k| k.as_str()))
            .bind::<Nullable<Text>, _>(f.organisation.as_deref())
            .load(conn)
    })?;
    let hide = report.pseudonymous.is_some();
    let mut groups: Vec<Vec<SummaryRow>> = vec![Vec::new(); groupings.len()];
    let mut total = None;
    for raw in rows {
        if raw.total {
            total = Some(SummaryRow::from_raw(raw, hide));
        } else if let Some(i) = groupings.iter().position(|g| g.as_str() == raw.which) {
            groups[i].push(SummaryRow::from_raw(raw, hide));
        }
    }
    let total = total.unwrap_or_else(|| SummaryRow::from_raw(Raw::empty(), hide));
    Ok((total, groups))
}

impl Raw {
    fn empty() -> Raw {
        Raw {
            which: String::new(),
            grp: None,
            total: true,
            participants: 0,
            enrolments: 0,
            sessions_held: 0,
            attendance_rate: None,
            commitment_rate: None,
            no_show_rate: None,
            completions: 0,
            training_hours: 0.0,
            waiting_demand: 0,
        }
    }
}

/// What the dashboard shows: the figures over everything, per theme, per wijk, per month,
/// and per the chosen grouping. One query, whatever the size of the database.
#[derive(Debug, Clone)]
pub struct Dashboard {
    pub total: SummaryRow,
    pub by_theme: Vec<SummaryRow>,
    pub by_wijk: Vec<SummaryRow>,
    pub by_month: Vec<SummaryRow>,
    pub groups: Vec<SummaryRow>,
    /// When the figures were read: the start of their query, so that nothing newer than this
    /// is in them and nothing older is missing (they may come from [`DashboardCache`]).
    pub computed_at: chrono::DateTime<chrono::Utc>,
    /// The figures were computed over the cells (a filter the rollup does not hold) and are
    /// kept a minute in [`DashboardCache`]; those of the rollup are kept only while nothing
    /// changed.
    pub kept: bool,
}

pub fn dashboard(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    report: &Report,
    group_by: GroupBy,
) -> AppResult<Dashboard> {
    may_report(actor)?;
    compute_dashboard(conn, report, group_by)
}

/// The dashboard's figures, without a person to check (the role is checked by the callers).
fn compute_dashboard(conn: &mut PgConnection, report: &Report, group_by: GroupBy) -> AppResult<Dashboard> {
    let mut groupings = vec![GroupBy::Theme, GroupBy::Wijk, GroupBy::Month];
    if !groupings.contains(&group_by) {
        groupings.push(group_by);
    }
    let computed_at = chrono::Utc::now();
    let (total, mut found) = compute_all(conn, report, &groupings)?;
    let chosen = groupings.iter().position(|g| *g == group_by).unwrap_or(0);
    let groups = found.get(chosen).cloned().unwrap_or_default();
    let mut found = found.drain(..);
    let (by_theme, by_wijk, by_month) =
        (found.next().unwrap_or_default(), found.next().unwrap_or_default(), found.next().unwrap_or_default());
    let kept = Source::for_report(report) == Source::Cells;
    Ok(Dashboard { total, by_theme, by_wijk, by_month, groups, computed_at, kept })
}

/// The dashboard's figures per database and question (see [`dashboard_cached`]): from the
/// rollup while nothing they are made of changed, over the cells for a minute. Exports and the
/// API are never served from here.
pub struct DashboardCache {
    entries: std::sync::Mutex<std::collections::HashMap<String, (std::time::Instant, Dashboard)>>,
}

impl DashboardCache {
    /// How long figures over the cells are shown without computing them again.
    pub const FRESH_FOR: std::time::Duration = std::time::Duration::from_secs(60);
    /// Questions kept at most (the oldest go first).
    const ENTRIES: usize = 64;

    pub fn new() -> DashboardCache {
        DashboardCache { entries: std::sync::Mutex::new(std::collections::HashMap::new()) }
    }

    /// One process shares one cache; `scope` (the database) keeps two apps in one process apart.
    pub fn shared() -> &'static DashboardCache {
        static SHARED: std::sync::OnceLock<DashboardCache> = std::sync::OnceLock::new();
        SHARED.get_or_init(DashboardCache::new)
    }

    fn get(&self, key: &str) -> Option<Dashboard> {
        let entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        entries.get(key).filter(|(until, _)| std::time::Instant::now() < *until).map(|(_, figures)| figures.clone())
    }

    /// Keep `figures` until `fresh_for` has passed. Figures read before those kept already
    /// (a slow computation that ends after a faster one) do not replace them.
    fn put(&self, key: String, figures: Dashboard, fresh_for: std::time::Duration) {
        let now = std::time::Instant::now();
        let mut entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        entries.retain(|_, (until, _)| now < *until);
        if entries.get(&key).is_some_and(|(_, kept)| kept.computed_at > figures.computed_at) {
            return;
        }
        if entries.len() >= Self::ENTRIES
            && !entries.contains_key(&key)
            && let Some(first) = entries.iter().min_by_key(|(_, (until, _))| *until).map(|(k, _)| k.clone())
        {
            entries.remove(&first);
        }
        entries.insert(key, (now + fresh_for, figures));
    }
}

impl Default for DashboardCache {
    fn default() -> Self {
        Self::new()
    }
}

fn cache_key(scope: &str, report: &Report, group_by: GroupBy) -> String {
    format!("{scope}\n{report:?}\n{group_by:?}")
}

/// The dashboard's figures, kept in `cache` so that a coordinator who reloads, goes back or
/// returns to a question gets them at once. From the rollup they are kept while its version
/// stays the same and no session starts or ends (so they are never older than the data); over
/// the cells (a filter the rollup does not hold), a minute, unless asked `again`. Only for
/// those who may see them: the role is checked first.
pub fn dashboard_cached(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    report: &Report,
    group_by: GroupBy,
    cache: (&DashboardCache, &str),
    again: bool,
) -> AppResult<Dashboard> {
    may_report(actor)?;
    kept_dashboard(conn, report, group_by, cache, again)
}

fn kept_dashboard(
    conn: &mut PgConnection,
    report: &Report,
    group_by: GroupBy,
    (cache, scope): (&DashboardCache, &str),
    again: bool,
) -> AppResult<Dashboard> {
    let (key, fresh_for) = match Source::for_report(report) {
        Source::Rollup => {
            let version = rollup::refreshed_version(conn)?;
            let until = crate::catalogue::service::valid_until(conn)? - chrono::Utc::now();
            (format!("{}\nrollup {version}", cache_key(scope, report, group_by)), until.to_std().unwrap_or_default())
        }
        Source::Cells => (cache_key(scope, report, group_by), DashboardCache::FRESH_FOR),
    };
    if !again && let Some(figures) = cache.get(&key) {
        return Ok(figures);
    }
    let figures = compute_dashboard(conn, report, group_by)?;
    cache.put(key, figures.clone(), fresh_for);
    Ok(figures)
}

/// The question the dashboard opens on: this year so far, no filters, per theme.
fn opening_question(today: chrono::NaiveDate) -> AppResult<(Report, GroupBy)> {
    let (query, group) = DashboardForm::default().with_defaults(today).query();
    parse(&query, &group)
}

/// One turn of the scheduler: compute the courses marked since the last turn again, and the
/// figures of the question the dashboard opens on when they changed, so that the page opens at
/// once however large the database. Answers whether the figures were computed.
pub fn keep_opening(conn: &mut PgConnection, scope: &str) -> AppResult<usize> {
    let today = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Amsterdam).date_naive();
    let (report, group_by) = opening_question(today)?;
    let started = chrono::Utc::now();
    let figures = kept_dashboard(conn, &report, group_by, (DashboardCache::shared(), scope), false)?;
    Ok(usize::from(figures.computed_at >= started))
}

/// The scheduler's task: [`keep_opening`] every [`rollup::REFRESH_EVERY`], until shutdown
/// (the first turn at start computes what a migration or a restore marked).
pub async fn run(db: crate::db::Db, scope: String, shutdown: tokio::sync::watch::Receiver<bool>) {
    let turn = move |conn: &mut PgConnection| keep_opening(conn, &scope);
    db.every(rollup::REFRESH_EVERY, shutdown, "dashboard figures computed", turn).await;
}

/// The summary as an export table (the columns in the order of the API's fields).
pub const SUMMARY_COLUMNS: [crate::export::Column; 10] = [
    crate::export::Column { key: "group", label: "dashboard-col-group" },
    crate::export::Column { key: "participants", label: "dashboard-col-participants" },
    crate::export::Column { key: "enrolments", label: "dashboard-col-enrolments" },
    crate::export::Column { key: "sessions_held", label: "dashboard-col-sessions-held" },
    crate::export::Column { key: "attendance_rate", label: "dashboard-col-attendance-rate" },
    crate::export::Column { key: "commitment_rate", label: "dashboard-col-commitment-rate" },
    crate::export::Column { key: "no_show_rate", label: "dashboard-col-no-show-rate" },
    crate::export::Column { key: "completions", label: "dashboard-col-completions" },
    crate::export::Column { key: "training_hours", label: "dashboard-col-training-hours" },
    crate::export::Column { key: "waiting_demand", label: "dashboard-col-waiting-demand" },
];

/// A summary row as the cells of an export ("<5" stays text).
pub fn summary_cells(row: &SummaryRow) -> Vec<crate::export::Cell> {
    use crate::export::Cell;
    let count = |c: &Count| match c {
        Count::Value(n) => Cell::Int(*n),
        Count::FewerThanFive => Cell::Text(HIDDEN.to_owned()),
    };
    let rate = |a: &Amount| match a {
        Amount::Value(v) => Cell::Percent(*v),
        Amount::FewerThanFive => Cell::Text(HIDDEN.to_owned()),
    };
    vec![
        row.group.clone().map_or(Cell::Empty, Cell::Text),
        count(&row.participants),
        count(&row.enrolments),
        Cell::Int(row.sessions_held),
        rate(&row.attendance_rate),
        rate(&row.commitment_rate),
        rate(&row.no_show_rate),
        count(&row.completions),
        match row.training_hours {
            Amount::Value(v) => Cell::Number(v.unwrap_or(0.0), 2),
            Amount::FewerThanFive => Cell::Text(HIDDEN.to_owned()),
        },
        count(&row.waiting_demand),
    ]
}

/// Write the summary as a table in the report's format (the file download and the CLI).
pub fn summary_table(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    report: &Report,
    group_by: GroupBy,
    locale: crate::i18n::Locale,
) -> AppResult<Vec<u8>> {
    may_report(actor)?;
    Ok(write_table(conn, report, group_by, locale)?.0)
}

/// The summary as a table, without a person to check: for the operator of the server
/// (`wijkmakers export summary`), through `service::export_as_operator` only. Answers the
/// bytes and the number of groups.
pub(crate) fn write_table(
    conn: &mut PgConnection,
    report: &Report,
    group_by: GroupBy,
    locale: crate::i18n::Locale,
) -> AppResult<(Vec<u8>, usize)> {
    let rows = compute(conn, report, group_by)?.groups;
    let mut table = crate::export::Table::new(report.format, &SUMMARY_COLUMNS, locale)?;
    for row in &rows {
        table.row(summary_cells(row))?;
    }
    Ok((table.finish()?, rows.len()))
}

/// The grouping asked for, as text (its own query part, so the exports' query stays theirs).
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GroupQuery {
    /// `theme` (default), `wijk` (the participant's), `participant_kind`, `course` or `month`.
    #[param(schema_with = group_by_schema)]
    pub group_by: Option<String>,
}

fn group_by_schema() -> utoipa::openapi::Object {
    crate::choice::schema::<GroupBy>(&[])
}

/// Check a summary request: the report's checks and the grouping, every fault named
/// together (422 naming `group_by` for an unknown group).
pub fn parse(query: &crate::reports::model::ReportQuery, group: &GroupQuery) -> AppResult<(Report, GroupBy)> {
    let group_by = match group.group_by.as_deref().map(str::trim).filter(|g| !g.is_empty()) {
        None => Ok(GroupBy::Theme),
        Some(text) => GroupBy::parse(text).ok_or_else(|| crate::error::AppError::validation("group_by", "choice")),
    };
    match (query.parse(), group_by) {
        (Ok(report), Ok(group_by)) => Ok((report, group_by)),
        (Err(crate::error::AppError::Validation(mut fields)), Err(crate::error::AppError::Validation(more))) => {
            fields.extend(more);
            Err(crate::error::AppError::Validation(fields))
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    }
}

/// The dashboard's form, as text: a bookmarkable GET. Without a period it shows the current
/// calendar year so far.
#[derive(Debug, Clone, Default, serde::Deserialize, Serialize)]
pub struct DashboardForm {
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub theme: String,
    #[serde(default)]
    pub course: String,
    #[serde(default)]
    pub wijk: String,
    #[serde(default)]
    pub participant_kind: String,
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub group_by: String,
    /// Set by the "compute again" button: figures fresh from the database, not the cache.
    #[serde(default)]
    pub again: String,
}

impl DashboardForm {
    /// The form with the default period filled in (1 January of this year to today, local).
    pub fn with_defaults(mut self, today: chrono::NaiveDate) -> DashboardForm {
        use chrono::Datelike;
        if self.from.trim().is_empty() && self.to.trim().is_empty() {
            self.from = chrono::NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today).to_string();
            self.to = today.to_string();
        }
        if self.group_by.trim().is_empty() {
            self.group_by = GroupBy::Theme.as_str().to_owned();
        }
        self
    }

    fn query(&self) -> (crate::reports::model::ReportQuery, GroupQuery) {
        let some = |s: &String| Some(s.clone()).filter(|s| !s.trim().is_empty());
        (
            crate::reports::model::ReportQuery {
                from: some(&self.from),
                to: some(&self.to),
                theme: some(&self.theme),
                course: some(&self.course),
                wijk: some(&self.wijk),
                participant_kind: some(&self.participant_kind),
                organisation: some(&self.organisation),
                ..Default::default()
            },
            GroupQuery { group_by: some(&self.group_by) },
        )
    }

    /// The filters as a query string for the export links (without `format`).
    pub fn export_query(&self) -> String {
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("from", &self.from),
            ("to", &self.to),
            ("theme", &self.theme),
            ("course", &self.course),
            ("wijk", &self.wijk),
            ("participant_kind", &self.participant_kind),
            ("organisation", &self.organisation),
        ] {
            if !value.trim().is_empty() {
                out.append_pair(name, value.trim());
            }
        }
        out.finish()
    }
}

/// A course to choose in the form.
#[derive(Debug, Clone, QueryableByName)]
pub struct CourseChoice {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub title: String,
}

/// Everything the dashboard page shows: the form (with its faults), what it offers to
/// choose, and the figures when the form is right.
#[derive(Debug)]
pub struct DashboardPage {
    pub form: DashboardForm,
    pub errors: Vec<crate::error::FieldError>,
    pub themes: Vec<crate::catalogue::model::Theme>,
    pub courses: Vec<CourseChoice>,
    pub figures: Option<Dashboard>,
}

/// The dashboard for `form` (coordinators and admins): a fixed number of queries (themes,
/// courses of the period, four summaries). Wrong input comes back as field errors with the
/// form, not as an error.
pub fn dashboard_page(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    form: DashboardForm,
    today: chrono::NaiveDate,
    cache: (&DashboardCache, &str),
) -> AppResult<DashboardPage> {
    may_report(actor)?;
    let again = !form.again.trim().is_empty();
    let form = form.with_defaults(today);
    let (query, group) = form.query();
    let themes = crate::catalogue::service::themes(conn, true)?;
    let (errors, figures, period) = match parse(&query, &group) {
        Ok((report, group_by)) => {
            let period = (report.from, report.to);
            (Vec::new(), Some(dashboard_cached(conn, actor, &report, group_by, cache, again)?), period)
        }
        Err(crate::error::AppError::Validation(errors)) => {
            use chrono::Datelike;
            let start = chrono::NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
            (errors, None, (start, today))
        }
        Err(other) => return Err(other),
    };
    let courses = diesel::sql_query(
        "SELECT DISTINCT course_id AS id, course_title AS title FROM session_facts
         WHERE starts_at >= ($1::date::timestamp AT TIME ZONE 'Europe/Amsterdam')
      AND starts_at < (($2::date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam')
         ORDER BY course_title, course_id",
    )
    .bind::<Date, _>(period.0)
    .bind::<Date, _>(period.1)
    .load(conn)?;
    Ok(DashboardPage { form, errors, themes, courses, figures })
}
