//! The exports for partners and funders. Each is one tidy table, read through the read
//! models `session_facts` (catalogue), `attendance_cells` (attendance: who was expected at
//! which session, and their mark) and `people` (accounts), with a server-side cursor, so
//! that rows go out in batches while the query runs and memory stays flat.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::Amsterdam;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Date, Double, Nullable, Text, Timestamptz};

use crate::accounts::model::ParticipantKind;
use crate::attendance::model::AttendanceStatus;
use crate::auth::{CurrentUser, Role};
use crate::choice::Choice;
use crate::enrolment::model::EnrolmentStatus;
use crate::error::{AppError, AppResult};
use crate::export::{Cell, Column, Table};
use crate::i18n::Locale;
use crate::ids::UserId;
use crate::reports::model::Report;

/// Rows fetched from the cursor at a time.
pub const BATCH: usize = 2_000;

/// Batches fetched ahead of the one being written (see `stream_rows`).
const AHEAD: usize = 2;

/// Only coordinators and admins see reports (trainers see their own courses' attendance).
pub fn may_report(actor: &CurrentUser) -> AppResult<()> {
    if actor.has(Role::Coordinator) || actor.has(Role::Admin) {
        Ok(())
    } else {
        Err(AppError::Forbidden("reports-forbidden"))
    }
}

const fn col(key: &'static str, label: &'static str) -> Column {
    Column { key, label }
}

/// The columns of the sessions export: one row per participant × session.
pub const SESSION_COLUMNS: [Column; 20] = [
    col("session_id", "report-col-session-id"),
    col("course_id", "report-col-course-id"),
    col("course_title", "report-col-course-title"),
    col("theme", "report-col-theme"),
    col("session_date", "report-col-session-date"),
    col("start", "report-col-start"),
    col("end", "report-col-end"),
    col("hours", "report-col-hours"),
    col("place", "report-col-place"),
    col("wijk", "report-col-wijk"),
    col("trainers", "report-col-trainers"),
    col("participant_id", "report-col-participant-id"),
    col("name", "report-col-name"),
    col("email", "report-col-email"),
    col("participant_wijk", "report-col-participant-wijk"),
    col("organisation", "report-col-organisation"),
    col("participant_kind", "report-col-participant-kind"),
    col("enrolment_status", "report-col-enrolment-status"),
    col("expected", "report-col-expected"),
    col("mark", "report-col-mark"),
];

/// The columns that name a person: left out of a pseudonymous export.
const PERSONAL: [&str; 3] = ["name", "email", "organisation"];

pub fn columns(all: &[Column], pseudonymous: bool) -> Vec<Column> {
    all.iter().copied().filter(|c| !(pseudonymous && PERSONAL.contains(&c.key))).collect()
}

/// The person's id in an export: their own id, or for a pseudonymous export (and always for
/// an anonymised account) a keyed hash of it that is stable per purpose.
fn participant_id(secret: &str, pseudonymous: Option<&str>, anonymised: bool, user: UserId) -> Cell {
    match (pseudonymous, anonymised) {
        (None, false) => Cell::Int(user.0),
        (purpose, _) => {
            let purpose = purpose.unwrap_or("anonymised");
            Cell::Text(format!("p-{}", &crate::tokens::mac(secret, &format!("report:{purpose}:{}", user.0))[..16]))
        }
    }
}

#[derive(Debug, QueryableByName)]
struct SessionRow {
    #[diesel(sql_type = BigInt)]
    session_id: i64,
    #[diesel(sql_type = BigInt)]
    course_id: i64,
    #[diesel(sql_type = Text)]
    course_title: String,
    #[diesel(sql_type = Text)]
    theme: String,
    #[diesel(sql_type = Timestamptz)]
    starts_at: DateTime<Utc>,
    #[diesel(sql_type = Timestamptz)]
    ends_at: DateTime<Utc>,
    #[diesel(sql_type = Double)]
    hours: f64,
    #[diesel(sql_type = Text)]
    place: String,
    #[diesel(sql_type = Nullable<Text>)]
    wijk: Option<String>,
    #[diesel(sql_type = Text)]
    trainers: String,
    #[diesel(sql_type = BigInt)]
    user_id: i64,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    email: String,
    #[diesel(sql_type = Nullable<Text>)]
    participant_wijk: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    organisation: Option<String>,
    #[diesel(sql_type = Nullable<crate::db::schema::sql_types::ParticipantKind>)]
    participant_kind: Option<ParticipantKind>,
    #[diesel(sql_type = Bool)]
    anonymised: bool,
    #[diesel(sql_type = crate::db::schema::sql_types::EnrolmentStatus)]
    enrolment_status: EnrolmentStatus,
    #[diesel(sql_type = Bool)]
    expected: bool,
    #[diesel(sql_type = Nullable<crate::db::schema::sql_types::AttendanceStatus>)]
    mark: Option<AttendanceStatus>,
}

/// The rows of the sessions export, in the period and filters: everyone who had a place at
/// a session that was not cancelled. People who left keep the rows of the sessions held
/// while they were in (expected there, or marked); waiting people have none.
///
/// The sessions of the period are ordered first (a few thousand rows), then each session's
/// people are read by index and ordered by name. The order comes from that nested loop, not
/// from a last ORDER BY: with one, the plan for a cursor with parameters sorts the whole
/// export before its first row (10 s at a million rows); without, the first rows leave at
/// once. The sessions tests check the order.
pub const SESSIONS_SQL: &str = "
SELECT f.session_id, f.course_id, f.course_title, f.theme, f.starts_at, f.ends_at, f.hours::float8 AS hours,
       f.place, f.wijk, f.trainers,
       x.user_id, x.name, x.email, x.participant_wijk, x.organisation, x.participant_kind, x.anonymised,
       x.enrolment_status, x.expected, x.mark
FROM (SELECT * FROM session_facts
      WHERE starts_at >= ($1::date::timestamp AT TIME ZONE 'Europe/Amsterdam')
        AND starts_at < (($2::date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam')
        AND NOT cancelled
        AND ($3::text IS NULL OR theme = $3)
        AND ($4::bigint IS NULL OR course_id = $4)
        AND ($5::text IS NULL OR wijk = $5)
      ORDER BY starts_at, session_id
      OFFSET 0) f
CROSS JOIN LATERAL (
    SELECT c.user_id, u.name, u.email, u.wijk AS participant_wijk, u.organisation, u.participant_kind, u.anonymised,
           c.enrolment_status, c.expected, c.mark
    FROM attendance_cells c
    JOIN people u ON u.id = c.user_id
    WHERE c.session_id = f.session_id
      AND ($6::text IS NULL OR u.participant_kind::text = $6)
      AND ($7::text IS NULL OR lower(u.organisation) = lower($7))
      AND ($8::bigint IS NULL OR c.user_id = $8)
      AND c.enrolment_status <> 'waitlisted'
      AND (c.enrolment_status = 'enrolled' OR c.expected OR c.mark IS NOT NULL)
    ORDER BY u.name, c.user_id
) x";

/// The columns of the participation export: one row per participant × course.
pub const PARTICIPATION_COLUMNS: [Column; 19] = [
    col("course_id", "report-col-course-id"),
    col("course_title", "report-col-course-title"),
    col("theme", "report-col-theme"),
    col("participant_id", "report-col-participant-id"),
    col("name", "report-col-name"),
    col("email", "report-col-email"),
    col("participant_wijk", "report-col-participant-wijk"),
    col("organisation", "report-col-organisation"),
    col("participant_kind", "report-col-participant-kind"),
    col("enrolment_status", "report-col-enrolment-status"),
    col("enrolled_at", "report-col-enrolled-at"),
    col("sessions_expected", "report-col-sessions-expected"),
    col("sessions_attended", "report-col-sessions-attended"),
    col("sessions_excused", "report-col-sessions-excused"),
    col("sessions_absent", "report-col-sessions-absent"),
    col("attendance_rate", "report-col-attendance-rate"),
    col("commitment_rate", "report-col-commitment-rate"),
    col("hours_attended", "report-col-hours-attended"),
    col("completed", "report-col-completed"),
];

/// Per participant × course, over the sessions in the period that have been held: the
/// counts by the ledger's rules (expected sessions held; attended = present or late), both
/// rates, the hours attended, and completion of the whole course (over, and the attendance
/// rate over all its sessions at least the threshold).
const PARTICIPATION_SQL: &str = "
WITH cells AS (
    SELECT c.course_id, c.user_id, c.enrolment_status, c.joined_at, c.mark, f.hours,
           c.expected AND f.starts_at <= now() AS counted,
           f.course_title, f.theme
    FROM attendance_cells c
    JOIN session_facts f ON f.session_id = c.session_id
    WHERE f.starts_at >= ($1::date::timestamp AT TIME ZONE 'Europe/Amsterdam')
      AND f.starts_at < (($2::date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam')
      AND ($3::text IS NULL OR f.theme = $3)
      AND ($4::bigint IS NULL OR f.course_id = $4)
      AND ($5::text IS NULL OR f.wijk = $5)
      AND ($8::bigint IS NULL OR c.user_id = $8)
      AND c.enrolment_status <> 'waitlisted'
), per AS (
    SELECT course_id, user_id, enrolment_status, joined_at, course_title, theme,
           count(*) FILTER (WHERE counted) AS expected,
           count(*) FILTER (WHERE counted AND mark IN ('present', 'late')) AS attended,
           count(*) FILTER (WHERE counted AND mark = 'excused') AS excused,
           count(*) FILTER (WHERE counted AND mark = 'absent') AS absent,
           COALESCE(sum(hours) FILTER (WHERE counted AND mark IN ('present', 'late')), 0)::float8 AS hours,
           bool_or(mark IS NOT NULL) AS marked
    FROM cells
    GROUP BY course_id, user_id, enrolment_status, joined_at, course_title, theme
)
SELECT per.course_id, per.course_title, per.theme, per.user_id,
       u.name, u.email, u.wijk AS participant_wijk, u.organisation, u.participant_kind, u.anonymised,
       per.enrolment_status, per.joined_at AS enrolled_at,
       per.expected, per.attended, per.excused, per.absent, per.hours,
       COALESCE(whole.over AND whole.expected > 0 AND whole.attended * 100 >= whole.threshold * whole.expected, false)
           AS completed
FROM per
JOIN people u ON u.id = per.user_id
CROSS JOIN LATERAL (
    SELECT NOT EXISTS (SELECT 1 FROM session_facts s
                       WHERE s.course_id = per.course_id AND NOT s.cancelled AND s.ends_at > now()) AS over,
           (SELECT min(s.completion_threshold) FROM session_facts s WHERE s.course_id = per.course_id) AS threshold,
           count(*) FILTER (WHERE a.expected AND s.starts_at <= now()) AS expected,
           count(*) FILTER (WHERE a.expected AND s.starts_at <= now() AND a.mark IN ('present', 'late')) AS attended
    FROM attendance_cells a JOIN session_facts s ON s.session_id = a.session_id
    WHERE a.course_id = per.course_id AND a.user_id = per.user_id
) whole
WHERE ($6::text IS NULL OR u.participant_kind::text = $6)
  AND ($7::text IS NULL OR lower(u.organisation) = lower($7))
  AND (per.enrolment_status = 'enrolled' OR per.expected > 0 OR per.marked)
ORDER BY per.course_title, per.course_id, u.name, per.user_id";

#[derive(Debug, QueryableByName)]
struct ParticipationRow {
    #[diesel(sql_type = BigInt)]
    course_id: i64,
    #[diesel(sql_type = Text)]
    course_title: String,
    #[diesel(sql_type = Text)]
    theme: String,
    #[diesel(sql_type = BigInt)]
    user_id: i64,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    email: String,
    #[diesel(sql_type = Nullable<Text>)]
    participant_wijk: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    organisation: Option<String>,
    #[diesel(sql_type = Nullable<crate::db::schema::sql_types::ParticipantKind>)]
    participant_kind: Option<ParticipantKind>,
    #[diesel(sql_type = Bool)]
    anonymised: bool,
    #[diesel(sql_type = crate::db::schema::sql_types::EnrolmentStatus)]
    enrolment_status: EnrolmentStatus,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    enrolled_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = BigInt)]
    expected: i64,
    #[diesel(sql_type = BigInt)]
    attended: i64,
    #[diesel(sql_type = BigInt)]
    excused: i64,
    #[diesel(sql_type = BigInt)]
    absent: i64,
    #[diesel(sql_type = Double)]
    hours: f64,
    #[diesel(sql_type = Bool)]
    completed: bool,
}

fn rate(part: i64, whole: i64) -> Cell {
    Cell::Percent((whole > 0).then(|| part as f64 / whole as f64))
}

fn participation_cells(secret: &str, pseudonymous: Option<&str>, row: ParticipationRow) -> Vec<Cell> {
    let hide = row.anonymised;
    let mut cells = Vec::with_capacity(PARTICIPATION_COLUMNS.len());
    cells.extend([
        Cell::Int(row.course_id),
        Cell::Text(row.course_title),
        Cell::Text(row.theme),
        participant_id(secret, pseudonymous, hide, UserId(row.user_id)),
    ]);
    if pseudonymous.is_none() {
        cells.push(if hide { Cell::Empty } else { Cell::Text(row.name) });
        cells.push(if hide { Cell::Empty } else { Cell::Text(row.email) });
    }
    cells.push(row.participant_wijk.into());
    if pseudonymous.is_none() {
        cells.push(if hide { Cell::Empty } else { row.organisation.into() });
    }
    cells.extend([
        row.participant_kind.map_or(Cell::Empty, |k| Cell::Text(k.as_str().to_owned())),
        Cell::Text(row.enrolment_status.as_str().to_owned()),
        row.enrolled_at.map_or(Cell::Empty, |at| Cell::Date(local_date(at))),
        Cell::Int(row.expected),
        Cell::Int(row.attended),
        Cell::Int(row.excused),
        Cell::Int(row.absent),
        rate(row.attended, row.expected),
        rate(row.attended + row.excused, row.expected),
        Cell::Number(row.hours, 2),
        Cell::Bool(row.completed),
    ]);
    cells
}

/// Where the bytes of an export go, batch by batch (an HTTP body, a file, stdout). Answers
/// `false` when the reader went away, which stops the export.
pub trait Sink {
    fn send(&mut self, bytes: Vec<u8>) -> bool;

    /// `rows` records have been written so far (a progress bar counts them).
    fn progress(&mut self, _rows: usize) {}
}

/// The exports a coordinator can take as a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    Sessions,
    Participation,
    /// The summary, grouped so.
    Summary(crate::reports::summary::GroupBy),
}

impl Export {
    /// The start of the file name: `sessies-…`, `deelname-…`.
    pub fn file_stem(self) -> &'static str {
        match self {
            Export::Sessions => "sessies",
            Export::Participation => "deelname",
            Export::Summary(_) => "samenvatting",
        }
    }
}

/// An export run by the operator of the server (`wijkmakers export`), who can read the
/// database anyway: there is no person to check. HTTP handlers never call this; they go
/// through `sessions`/`participation`, which check the role of the person asking.
pub fn export_as_operator(
    conn: &mut PgConnection,
    what: Export,
    secret: &str,
    report: &Report,
    locale: Locale,
    sink: &mut dyn Sink,
) -> AppResult<usize> {
    export_in_batches(conn, what, secret, report, locale, sink, BATCH)
}

/// `export_as_operator` fetching `batch` rows at a time: the tests take a small one, so that
/// a small history runs through many batches.
pub fn export_in_batches(
    conn: &mut PgConnection,
    what: Export,
    secret: &str,
    report: &Report,
    locale: Locale,
    sink: &mut dyn Sink,
    batch: usize,
) -> AppResult<usize> {
    match what {
        Export::Sessions => write_sessions(conn, secret, report, locale, sink, batch),
        Export::Participation => write_participation(conn, secret, report, locale, sink, None, batch),
        Export::Summary(group_by) => {
            let (table, rows) = crate::reports::summary::write_table(conn, report, group_by, locale)?;
            sink.send(table);
            Ok(rows)
        }
    }
}

/// Write the sessions export to `sink`, batch by batch. Answers the number of rows.
pub fn sessions(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    secret: &str,
    report: &Report,
    locale: Locale,
    sink: &mut dyn Sink,
) -> AppResult<usize> {
    may_report(actor)?;
    write_sessions(conn, secret, report, locale, sink, BATCH)
}

fn write_sessions(
    conn: &mut PgConnection,
    secret: &str,
    report: &Report,
    locale: Locale,
    sink: &mut dyn Sink,
    batch: usize,
) -> AppResult<usize> {
    let pseudonymous = report.pseudonymous.as_deref();
    let table = Table::new(report.format, &columns(&SESSION_COLUMNS, pseudonymous.is_some()), locale)?;
    stream_rows(conn, Rows { sql: SESSIONS_SQL, report, person: None, batch }, table, sink, |row: SessionRow| {
        session_cells(secret, pseudonymous, row)
    })
}

/// Write the participation export (one row per participant × course) to `sink`.
pub fn participation(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    secret: &str,
    report: &Report,
    locale: Locale,
    sink: &mut dyn Sink,
) -> AppResult<usize> {
    may_report(actor)?;
    write_participation(conn, secret, report, locale, sink, None, BATCH)
}

fn write_participation(
    conn: &mut PgConnection,
    secret: &str,
    report: &Report,
    locale: Locale,
    sink: &mut dyn Sink,
    person: Option<UserId>,
    batch: usize,
) -> AppResult<usize> {
    let pseudonymous = report.pseudonymous.as_deref();
    let table = Table::new(report.format, &columns(&PARTICIPATION_COLUMNS, pseudonymous.is_some()), locale)?;
    stream_rows(conn, Rows { sql: PARTICIPATION_SQL, report, person, batch }, table, sink, |row: ParticipationRow| {
        participation_cells(secret, pseudonymous, row)
    })
}

/// One person's record across all courses in the period: the participation columns. Open to
/// coordinators and to the person about themselves (404 for an unknown person).
pub fn participant(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    secret: &str,
    person: UserId,
    report: &Report,
    locale: Locale,
    sink: &mut dyn Sink,
) -> AppResult<usize> {
    if actor.id != person {
        may_report(actor)?;
    }
    let exists: i64 =
        crate::db::views::people::table.filter(crate::db::views::people::id.eq(person)).count().get_result(conn)?;
    if exists == 0 {
        return Err(AppError::NotFound);
    }
    write_participation(conn, secret, report, locale, sink, Some(person), BATCH)
}

/// Run `sql` (parameters: period, the filters, one person) through a server-side cursor and
/// write every row into `table`, sending the bytes on after each batch of `batch` rows: the
/// first rows leave before the query has read the last. Answers the rows written.
///
/// Two threads share the work, as `COPY` keeps PostgreSQL busy: this one writes and sends
/// while a second one holds the connection and fetches the next batches. Between them is a
/// channel of `AHEAD` batches, so memory holds at most a few batches. When the reader goes
/// away or writing fails, the channel closes and the fetching stops; when fetching fails,
/// the table is not finished (the reader sees a cut-off body, never a complete-looking one).
fn stream_rows<R: QueryableByName<diesel::pg::Pg> + Send + 'static>(
    conn: &mut PgConnection,
    query: Rows<'_>,
    table: Table,
    sink: &mut dyn Sink,
    cells: impl FnMut(R) -> Vec<Cell>,
) -> AppResult<usize> {
    let (batches, fetched) = std::sync::mpsc::sync_channel::<Vec<R>>(AHEAD);
    let (written, fetching) = std::thread::scope(|scope| {
        let fetcher = std::thread::Builder::new()
            .name("export-fetch".into())
            .spawn_scoped(scope, move || fetch_rows(conn, query, batches))
            .map_err(AppError::internal)?;
        let written = write_rows(fetched, table, sink, cells);
        let fetching = fetcher.join().map_err(|_| AppError::internal("the export's fetching thread panicked"))?;
        Ok::<_, AppError>((written, fetching))
    })?;
    fetching?;
    let (rows, table) = written?;
    sink.send(table.finish()?);
    Ok(rows)
}

/// What `stream_rows` reads: `sql` with its parameters (the period and filters of `report`,
/// one person), `batch` rows at a time.
#[derive(Clone, Copy)]
struct Rows<'a> {
    sql: &'a str,
    report: &'a Report,
    person: Option<UserId>,
    batch: usize,
}

/// Declare the cursor and send its rows on, `batch` at a time, until they are all read or
/// nobody takes them any more (then the transaction ends and closes the cursor).
fn fetch_rows<R: QueryableByName<diesel::pg::Pg> + 'static>(
    conn: &mut PgConnection,
    Rows { sql, report, person, batch }: Rows<'_>,
    batches: std::sync::mpsc::SyncSender<Vec<R>>,
) -> AppResult<()> {
    let f = &report.filters;
    conn.transaction(|conn| {
        // Compiling the plan costs more than it saves on queries that read row by row.
        diesel::sql_query("SET LOCAL jit = off").execute(conn)?;
        diesel::sql_query(format!("DECLARE report_rows NO SCROLL CURSOR FOR {sql}"))
            .bind::<Date, _>(report.from)
            .bind::<Date, _>(report.to)
            .bind::<Nullable<Text>, _>(f.theme.as_deref())
            .bind::<Nullable<BigInt>, _>(f.course.map(|c| c.0))
            .bind::<Nullable<Text>, _>(f.wijk.as_deref())
            .bind::<Nullable<Text>, _>(f.participant_kind.map(|k| k.as_str()))
            .bind::<Nullable<Text>, _>(f.organisation.as_deref())
            .bind::<Nullable<BigInt>, _>(person.map(|p| p.0))
            .execute(conn)?;
        let fetch = format!("FETCH {batch} FROM report_rows");
        loop {
            let rows: Vec<R> = diesel::sql_query(&fetch).load(conn)?;
            if rows.is_empty() || batches.send(rows).is_err() {
                break;
            }
        }
        diesel::sql_query("CLOSE report_rows").execute(conn)?;
        Ok(())
    })
}

/// Write the batches as they come and send the bytes on. Answers the rows written and the
/// table to finish; stops early (dropping the channel) when the reader went away.
fn write_rows<R>(
    fetched: std::sync::mpsc::Receiver<Vec<R>>,
    mut table: Table,
    sink: &mut dyn Sink,
    mut cells: impl FnMut(R) -> Vec<Cell>,
) -> AppResult<(usize, Table)> {
    let mut rows = 0;
    for batch in fetched {
        rows += batch.len();
        for row in batch {
            table.row(cells(row))?;
        }
        sink.progress(rows);
        if !sink.send(table.take()?) {
            break;
        }
    }
    Ok((rows, table))
}

fn local_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Amsterdam).date_naive()
}

fn session_cells(secret: &str, pseudonymous: Option<&str>, row: SessionRow) -> Vec<Cell> {
    let starts_at = row.starts_at.with_timezone(&Amsterdam);
    let mut cells = Vec::with_capacity(SESSION_COLUMNS.len());
    cells.extend([
        Cell::Int(row.session_id),
        Cell::Int(row.course_id),
        Cell::Text(row.course_title),
        Cell::Text(row.theme),
        Cell::Date(starts_at.date_naive()),
        Cell::Time(starts_at.time()),
        Cell::Time(row.ends_at.with_timezone(&Amsterdam).time()),
        Cell::Number(row.hours, 2),
        Cell::Text(row.place),
        row.wijk.into(),
        Cell::Text(row.trainers),
        participant_id(secret, pseudonymous, row.anonymised, UserId(row.user_id)),
    ]);
    if pseudonymous.is_none() {
        let hide = row.anonymised;
        cells.push(if hide { Cell::Empty } else { Cell::Text(row.name) });
        cells.push(if hide { Cell::Empty } else { Cell::Text(row.email) });
    }
    cells.push(row.participant_wijk.into());
    if pseudonymous.is_none() {
        cells.push(if row.anonymised { Cell::Empty } else { row.organisation.into() });
    }
    cells.push(row.participant_kind.map_or(Cell::Empty, |k| Cell::Text(k.as_str().to_owned())));
    cells.push(Cell::Text(row.enrolment_status.as_str().to_owned()));
    cells.push(Cell::Bool(row.expected));
    cells.push(match (row.expected, row.mark) {
        (_, Some(mark)) => Cell::Text(mark.as_str().to_owned()),
        (false, None) => Cell::Text("not_expected".to_owned()),
        (true, None) => Cell::Empty,
    });
    cells
}
