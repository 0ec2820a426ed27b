//! The summary (issue 17, point 4 and 7) and the dashboard (point 5), with a known history
//! whose every figure is computed by hand below.

use chrono::{Datelike, Months, NaiveDate};
use serde_json::Value;

use super::day;
use crate::attendance::{Class, mark};
use crate::common::{Answer, Course, CourseSpec, Person, TestApp, Visitor, local_at, session_at, spawn_app};

/// The local moment `time` on `date` (a date in the past or future).
fn at(date: NaiveDate, time: &str) -> chrono::DateTime<chrono::Utc> {
    local_at((date - day(0)).num_days(), time)
}

/// Day `d` of the month `back` months before this one.
fn month_day(back: u32, d: u32) -> NaiveDate {
    let first = day(0).with_day(1).expect("the first") - Months::new(back);
    first.with_day(d).expect("a day")
}

fn month_key(date: NaiveDate) -> String {
    date.format("%Y-%m").to_string()
}

/// The known history:
/// - course A "Energiecoach worden" (theme energietransitie), capacity 30, sessions on the
///   3rd, 10th, 17th and 24th of last month; the 17th was cancelled. Ann: present ×3. Bob
///   joined after the 3rd: present at the 10th and 24th. Cas was absent on the 3rd and
///   withdrew before the 10th. Dirk: excused (an apology), present, absent. Eva: present ×3.
/// - course B "Moestuin in de wijk" (theme democratisering), capacity 1, sessions on the 5th
///   and 12th of the month before: Fay present at both; Gus waited and was never promoted.
///
/// Every session lasts two hours; A's threshold is 80%.
struct History {
    coordinator: Person,
    a: Class,
    b: Course,
    people: Vec<Person>,
}

async fn history(app: &TestApp) -> History {
    let a_days = [3, 10, 17, 24].map(|d| at(month_day(1, d), "19:30"));
    let a = Class::new(app, &["Ann Jansen", "Bob Bakker", "Cas Smit", "Dirk de Vries", "Eva Visser"], &a_days).await;
    let coordinator = a.coordinator.clone();
    let (ann, bob, cas, dirk, eva) = (&a.people[0], &a.people[1], &a.people[2], &a.people[3], &a.people[4]);
    let long_ago = local_at(-150, "12:00").to_rfc3339();
    app.execute(&format!("UPDATE enrolments SET enrolled_at = '{long_ago}' WHERE course_id = {}", a.course.id)).await;
    let late = at(month_day(1, 4), "12:00").to_rfc3339();
    app.execute(&format!("UPDATE enrolments SET enrolled_at = '{late}' WHERE user_id = {}", bob.id)).await;
    let (s3, s10, s17, s24) = (a.session(0), a.session(1), a.session(2), a.session(3));
    mark(app, &coordinator, s3, &[(ann, "present"), (cas, "absent"), (dirk, "excused"), (eva, "present")])
        .await
        .expect_status(200);
    let left = at(month_day(1, 5), "12:00").to_rfc3339();
    app.execute(&format!(
        "UPDATE enrolments SET status = 'cancelled', cancelled_at = '{left}' WHERE user_id = {}",
        cas.id
    ))
    .await;
    mark(app, &coordinator, s10, &[(ann, "present"), (bob, "present"), (dirk, "present"), (eva, "present")])
        .await
        .expect_status(200);
    mark(app, &coordinator, s24, &[(ann, "late"), (bob, "present"), (dirk, "absent"), (eva, "present")])
        .await
        .expect_status(200);
    app.execute(&format!("UPDATE course_sessions SET status = 'cancelled' WHERE id = {s17}")).await;

    let future: Vec<_> = (0..2).map(|i| session_at(local_at(30 + i, "10:00"))).collect();
    let b = coordinator.create_course(app, CourseSpec::new("Moestuin in de wijk", 1).sessions(future)).await;
    app.execute(&format!(
        "UPDATE courses SET theme_id = (SELECT id FROM themes WHERE slug = 'democratisering') WHERE id = {}",
        b.id
    ))
    .await;
    let fay = app.participant("Fay Dijkstra").await;
    let gus = app.participant("Gus Mulder").await;
    assert_eq!(fay.enrols_in(app, &b).await, "enrolled");
    assert_eq!(gus.enrols_in(app, &b).await, "waitlisted");
    for (id, d) in b.session_ids.iter().zip([5, 12]) {
        let (from, to) = session_at(at(month_day(2, d), "10:00"));
        app.execute(&format!("UPDATE course_sessions SET starts_at = '{from}', ends_at = '{to}' WHERE id = {id}"))
            .await;
    }
    app.execute(&format!("UPDATE enrolments SET enrolled_at = '{long_ago}' WHERE user_id = {}", fay.id)).await;
    for id in &b.session_ids {
        mark(app, &coordinator, *id, &[(&fay, "present")]).await.expect_status(200);
    }
    // wijken of the people: A's five in the Oosterpoort, Fay and Gus in Beijum
    let ids = |people: &[&Person]| people.iter().map(|p| p.id.to_string()).collect::<Vec<_>>().join(",");
    app.execute(&format!("UPDATE users SET wijk = 'oosterpoort' WHERE id IN ({})", ids(&[ann, bob, cas, dirk, eva])))
        .await;
    app.execute(&format!("UPDATE users SET wijk = 'beijum' WHERE id IN ({})", ids(&[&fay, &gus]))).await;
    let people = vec![fay, gus];
    History { coordinator, a, b, people }
}

fn period() -> String {
    format!("from={}&to={}", month_day(2, 1), day(0))
}

async fn items(app: &TestApp, who: &Person, query: &str) -> Vec<Value> {
    let (status, body) = who.get(app, &format!("/api/v1/reports/summary?{query}")).await;
    assert_eq!(status, 200, "{query}: {body}");
    body["items"].as_array().expect("items").clone()
}

fn close(value: &Value, expected: f64) -> bool {
    value.as_f64().is_some_and(|v| (v - expected).abs() < 0.001)
}

/// Check every figure of a row against the hand-computed ones.
#[allow(clippy::too_many_arguments)]
fn assert_row(
    row: &Value,
    participants: i64,
    enrolments: i64,
    sessions_held: i64,
    rates: (f64, f64, f64),
    completions: i64,
    hours: f64,
    waiting: i64,
) {
    assert_eq!(row["participants"], participants, "participants: {row}");
    assert_eq!(row["enrolments"], enrolments, "enrolments: {row}");
    assert_eq!(row["sessions_held"], sessions_held, "sessions_held: {row}");
    assert!(close(&row["attendance_rate"], rates.0), "attendance_rate {}: {row}", rates.0);
    assert!(close(&row["commitment_rate"], rates.1), "commitment_rate {}: {row}", rates.1);
    assert!(close(&row["no_show_rate"], rates.2), "no_show_rate {}: {row}", rates.2);
    assert_eq!(row["completions"], completions, "completions: {row}");
    assert!(close(&row["training_hours"], hours), "training_hours {hours}: {row}");
    assert_eq!(row["waiting_demand"], waiting, "waiting_demand: {row}");
}

#[tokio::test]
async fn every_figure_of_the_summary_matches_the_hand_computed_history() {
    let app = &spawn_app().await;
    let h = history(app).await;
    // A: expected at sessions held: Ann 3, Bob 2, Cas 1, Dirk 3, Eva 3 = 12; attended
    // 3 + 2 + 0 + 1 + 3 = 9; excused 1 (Dirk); absent 2 (Cas, Dirk). Completed: Ann, Bob, Eva
    // (100% ≥ 80%); Dirk 33%, Cas 0%. Hours: 9 attendances × 2.
    let a = (5, 5, 3, (9.0 / 12.0, 10.0 / 12.0, 2.0 / 12.0), 3, 18.0, 0);
    // B: Fay 2 of 2; Gus waited and never got a place.
    let b = (1, 1, 2, (1.0, 1.0, 0.0), 1, 4.0, 1);

    let rows = items(app, &h.coordinator, &format!("{}&group_by=theme", period())).await;
    let groups: Vec<&str> = rows.iter().map(|r| r["group"].as_str().unwrap_or("-")).collect();
    assert_eq!(groups, ["democratisering", "energietransitie"], "{rows:?}");
    let check = |row: &Value, f: (i64, i64, i64, (f64, f64, f64), i64, f64, i64)| {
        assert_row(row, f.0, f.1, f.2, f.3, f.4, f.5, f.6)
    };
    check(&rows[0], b);
    check(&rows[1], a);

    // per month: A's sessions were last month, B's the month before
    let rows = items(app, &h.coordinator, &format!("{}&group_by=month", period())).await;
    let groups: Vec<&str> = rows.iter().map(|r| r["group"].as_str().unwrap_or("-")).collect();
    assert_eq!(groups, [month_key(month_day(2, 1)), month_key(month_day(1, 1))], "{rows:?}");
    check(&rows[0], b);
    check(&rows[1], a);

    // per course: the course's title
    let rows = items(app, &h.coordinator, &format!("{}&group_by=course", period())).await;
    let groups: Vec<&str> = rows.iter().map(|r| r["group"].as_str().unwrap_or("-")).collect();
    assert_eq!(groups, [h.a.course.title.as_str(), h.b.title.as_str()]);

    // per wijk of the participant: Gus (waiting, Beijum) counts only as demand
    let rows = items(app, &h.coordinator, &format!("{}&group_by=wijk", period())).await;
    let groups: Vec<&str> = rows.iter().map(|r| r["group"].as_str().unwrap_or("-")).collect();
    assert_eq!(groups, ["beijum", "oosterpoort"], "{rows:?}");
    check(&rows[0], b);
    check(&rows[1], a);

    // a filter narrows every figure: theme democratisering only
    let rows = items(app, &h.coordinator, &format!("{}&group_by=month&theme=democratisering", period())).await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    check(&rows[0], b);

    // the period's edges are inclusive: the 24th of last month alone holds one session of A
    let edge = month_day(1, 24);
    let rows = items(app, &h.coordinator, &format!("from={edge}&to={edge}&group_by=theme")).await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    // expected there: Ann, Bob, Dirk, Eva (Cas had left); attended 3, absent 1 (Dirk)
    assert_row(&rows[0], 4, 4, 1, (0.75, 0.75, 0.25), 3, 6.0, 0);

    // the summary as a file, in each format
    let (status, headers, body) =
        super::export(app, &h.coordinator, &format!("/api/v1/reports/summary?{}&group_by=theme&format=csv", period()))
            .await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    assert!(headers["content-disposition"].to_str().unwrap().contains("samenvatting-theme-"));
    let records = super::csv_records(&body);
    assert_eq!(records.len(), 2);
    assert_eq!(records[1]["group"], "energietransitie");
    assert_eq!(records[1]["participants"], "5");
    assert_eq!(records[1]["waiting_demand"], "0");
    let (status, headers, _) =
        super::export(app, &h.coordinator, &format!("/api/v1/reports/summary?{}&format=xlsx", period())).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assert_eq!(h.people.len(), 2);
}

#[tokio::test]
async fn a_pseudonymous_summary_shows_fewer_than_five_people_as_lt5() {
    let app = &spawn_app().await;
    let h = history(app).await;
    let query = format!("{}&group_by=theme&anonymise=true&purpose=gemeente", period());
    let rows = items(app, &h.coordinator, &query).await;
    // B has one participant: every figure about people is hidden; sessions are not people
    let b = &rows[0];
    for field in [
        "participants",
        "enrolments",
        "completions",
        "waiting_demand",
        "attendance_rate",
        "commitment_rate",
        "no_show_rate",
        "training_hours",
    ] {
        assert_eq!(b[field], "<5", "{field}: {b}");
    }
    assert_eq!(b["sessions_held"], 2);
    // A has five: shown, except the completions of three people; zero singles out nobody
    let a = &rows[1];
    assert_eq!(a["participants"], 5, "{a}");
    assert_eq!(a["enrolments"], 5);
    assert_eq!(a["completions"], "<5");
    assert_eq!(a["waiting_demand"], 0);
    assert!(close(&a["attendance_rate"], 0.75), "{a}");
    assert!(close(&a["training_hours"], 18.0), "{a}");
    // without anonymise, the same figures are numbers
    let rows = items(app, &h.coordinator, &format!("{}&group_by=theme", period())).await;
    assert_eq!(rows[0]["participants"], 1);
    assert_eq!(rows[1]["completions"], 3);
    // anonymise needs a purpose
    let (status, body) = h.coordinator.get(app, &format!("/api/v1/reports/summary?{}&anonymise=true", period())).await;
    assert_eq!(status, 422, "{body}");
    assert!(body["errors"].as_array().unwrap().iter().any(|e| e["field"] == "purpose"), "{body}");
}

#[tokio::test]
async fn only_coordinators_and_admins_see_the_summary_and_a_bad_group_is_named() {
    let app = &spawn_app().await;
    let class = Class::new(app, &["Ann Jansen"], &[local_at(-1, "19:30")]).await;
    let good = format!("/api/v1/reports/summary?from={}&to={}", day(-7), day(0));
    assert_eq!(class.trainer.get(app, &good).await.0, 403);
    assert_eq!(class.people[0].get(app, &good).await.0, 403);
    assert_eq!(app.api(reqwest::Method::GET, &good, None, None).await.status(), 401);
    let admin = app.admin().await;
    let (status, body) = admin.get(app, &good).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["items"][0]["participants"], 1, "{body}");

    for (query, fields) in [
        (format!("from={}&to={}&group_by=postcode", day(-7), day(0)), vec!["group_by"]),
        (format!("from={}&to={}&group_by=wijken", day(0), day(-7)), vec!["to", "group_by"]),
        ("from=2026-02-30&to=2027-01-01".to_owned(), vec!["from"]),
        (format!("from={}&to={}&format=pdf", day(-7), day(0)), vec!["format"]),
    ] {
        let (status, body) = class.coordinator.get(app, &format!("/api/v1/reports/summary?{query}")).await;
        assert_eq!(status, 422, "{query}: {body}");
        let named: Vec<&str> = body["errors"].as_array().unwrap().iter().filter_map(|e| e["field"].as_str()).collect();
        for field in fields {
            assert!(named.contains(&field), "{query}: {field} in {body}");
        }
    }
}

#[tokio::test]
async fn the_dashboard_shows_the_key_figures_the_charts_with_their_tables_and_the_downloads() {
    let app = &spawn_app().await;
    let h = history(app).await;
    let visitor = Visitor::logged_in(app, &h.coordinator);
    let path = format!("/beheer/rapportage?{}&group_by=month", period());
    let html = visitor.page(&path).await;
    let text = crate::common::visible_text(&html);
    // key figures over everything: 6 people, 6 places, 5 sessions, 22 hours, 11/14 = 79%
    // attendance, 12/14 = 86% commitment, 4 completions, 1 waiting
    let key = crate::common::section(&html, "key-figures-title");
    for (label, value) in [
        ("Deelnemers", "6"),
        ("Inschrijvingen", "6"),
        ("Bijeenkomsten gehouden", "5"),
        ("Uren training", "22,0"),
        ("Aanwezigheid", "79%"),
        ("Betrokkenheid", "86%"),
        ("Afgerond", "4"),
        ("Op de wachtlijst gebleven", "1"),
    ] {
        let figure = format!("<dt>{label}</dt>\n    <dd class=\"key-value\">{value}</dd>");
        assert!(key.contains(&figure), "{label} = {value} in {key}");
    }
    assert!(text.contains("Aanwezig of te laat, gedeeld door"), "the definitions are on the page");
    // three charts, each an image with a title and a description, and a table beside it
    assert_eq!(html.matches("<svg class=\"chart\" role=\"img\"").count(), 3, "{html}");
    for id in ["per-theme", "per-wijk", "per-month"] {
        assert!(html.contains(&format!("aria-labelledby=\"{id}-svg-title {id}-svg-desc\"")), "{id}");
        let section = crate::common::section(&html, &format!("{id}-title"));
        assert!(section.contains("<table"), "{id} has its table");
    }
    assert!(html.contains("<desc id=\"per-theme-svg-desc\">Democratisering: 1; Energietransitie: 5</desc>"), "{html}");
    let month = crate::common::section(&html, "per-month-title");
    assert!(month.contains(&format!("{}: 75%", month_key(month_day(1, 1)))), "{month}");
    assert!(month.contains(&format!("{}: 100%", month_key(month_day(2, 1)))), "{month}");
    // the summary per month, every figure: A's month has 83% commitment (10/12) and 17%
    // no-shows (2/12)
    let groups = crate::common::section(&html, "per-group-title");
    assert!(
        groups.contains(&month_key(month_day(1, 1))) && groups.contains(">83%<") && groups.contains(">17%<"),
        "{groups}"
    );
    // every export in every format, with the filters
    let plain = html.replace("&#38;", "&").replace("&amp;", "&");
    for export in ["sessions", "participation", "summary"] {
        for format in ["csv", "csv-nl", "xlsx", "json"] {
            let href = format!("/api/v1/reports/{export}?from={}&to={}", month_day(2, 1), day(0));
            assert!(plain.contains(&href), "{export} link");
            assert!(plain.contains(&format!("format={format}\"")), "{format}");
        }
    }
    // the summary link works with the session cookie
    let response = visitor.get(&format!("/api/v1/reports/summary?{}&group_by=month&format=xlsx", period())).await;
    assert_eq!(response.status(), 200);
    // the navigation links the dashboard
    assert!(html.contains("href=\"/beheer/rapportage\""));
}

#[tokio::test]
async fn the_dashboard_opens_on_this_year_and_names_wrong_filters() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let visitor = Visitor::logged_in(app, &coordinator);
    let html = visitor.page("/beheer/rapportage").await;
    let first = NaiveDate::from_ymd_opt(day(0).year(), 1, 1).unwrap();
    assert!(html.contains(&format!("value=\"{first}\"")), "the year so far by default");
    assert!(html.contains(&format!("value=\"{}\"", day(0))));
    assert!(html.contains("id=\"key-figures-title\""));

    let response = visitor.get(&format!("/beheer/rapportage?from={}&to={}&group_by=postcode", day(0), day(-3))).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("class=\"error-summary\""), "{html}");
    assert!(html.contains("href=\"#to\"") && html.contains("href=\"#group_by\""), "{html}");
    assert!(!html.contains("id=\"key-figures-title\""), "no figures for a wrong form");

    let participant = app.participant("Ann Jansen").await;
    let response = Visitor::logged_in(app, &participant).get("/beheer/rapportage").await;
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn the_dashboard_shows_a_change_at_once_and_keeps_figures_over_the_cells_for_a_minute() {
    let app = &spawn_app().await;
    let h = history(app).await;
    let team = h.a.people.iter().map(|p| p.id.to_string()).collect::<Vec<_>>().join(",");
    app.execute(&format!("UPDATE users SET organisation = 'Buurtteam Oost' WHERE id IN ({team})")).await;
    let visitor = Visitor::logged_in(app, &h.coordinator);
    let path = format!("/beheer/rapportage?{}&group_by=month", period());
    let key = |html: &str| crate::common::section(html, "key-figures-title").replace("&#38;", "&");
    let rollup = key(&visitor.page(&path).await);
    assert!(rollup.contains("Berekend om ") && rollup.contains("sindsdien is er niets veranderd"), "{rollup}");
    assert!(rollup.contains("<dd class=\"key-value\">79%</dd>"), "{rollup}");
    assert!(!rollup.contains("again=1"), "nothing to compute again: {rollup}");
    // an organisation is not in the rollup: those figures come from the cells and are kept
    let team_path = format!("{path}&organisation=buurtteam+oost");
    let kept = key(&visitor.page(&team_path).await);
    assert!(kept.contains("<dd class=\"key-value\">75%</dd>") && kept.contains("een minuut"), "9 of A's 12: {kept}");
    assert!(kept.contains(&format!("href=\"/beheer/rapportage?{}", period())) && kept.contains("again=1"), "{kept}");

    // everyone absent turns out to have been there
    assert!(app.execute("UPDATE attendance_marks SET status = 'present' WHERE status = 'absent'").await > 0);
    let now = key(&visitor.page(&path).await);
    assert!(now.contains("<dd class=\"key-value\">93%</dd>"), "13 of 14 attended, shown at once: {now}");
    assert_eq!(
        key(&visitor.page(&team_path).await),
        kept,
        "within the minute the same figures, computed at the same time"
    );
    let again = key(&visitor.page(&format!("{team_path}&again=1")).await);
    assert!(again.contains("<dd class=\"key-value\">92%</dd>"), "computed again, 11 of 12: {again}");
}

#[tokio::test]
async fn the_scheduler_computes_marked_courses_again_and_unmarks_only_what_it_read() {
    let app = &spawn_app().await;
    // one session, at midnight today: always held, always in the year so far
    let class = Class::new(app, &["Ann Jansen"], &[local_at(0, "00:00")]).await;
    let ann = &class.people[0];
    let refresh = || app.pool.run(wijkmakers::reports::rollup::refresh);
    let marked = || app.int("SELECT count(*) AS v FROM report_dirty");
    assert!(marked().await >= 1, "a new course is marked");
    assert!(refresh().await.expect("a turn") >= 1);
    assert_eq!(marked().await, 0, "nothing left to compute");
    assert_eq!(refresh().await.expect("a turn with nothing to do"), 0);

    mark(app, &class.coordinator, class.session(0), &[(ann, "absent")]).await.expect_status(200);
    assert_eq!(marked().await, 1, "a mark marks its course");
    let visitor = Visitor::logged_in(app, &class.coordinator);
    let key = crate::common::section(&visitor.page("/beheer/rapportage").await, "key-figures-title").to_owned();
    assert!(key.contains("<dd class=\"key-value\">0%</dd>"), "Ann was absent: {key}");
    assert_eq!(marked().await, 0, "the dashboard computed it before it read");

    // a person's wijk groups their counts: changing it marks their courses
    assert_eq!(app.execute(&format!("UPDATE users SET wijk = 'beijum' WHERE id = {}", ann.id)).await, 1);
    assert_eq!(marked().await, 1);
    assert_eq!(app.execute("UPDATE attendance_marks SET status = 'present'").await, 1);
    let fresh = crate::common::section(&visitor.page("/beheer/rapportage").await, "key-figures-title").to_owned();
    assert!(fresh.contains("<dd class=\"key-value\">100%</dd>"), "{fresh}");

    // the scheduler keeps the opening question's figures while nothing changes
    let scope = app.config.database_url.clone().expect("a database");
    let turn = |scope: String| app.pool.run(move |conn| wijkmakers::reports::summary::keep_opening(conn, &scope));
    assert_eq!(turn(scope.clone()).await.expect("a turn"), 0, "the page above computed and kept them");
    assert_eq!(app.execute("UPDATE attendance_marks SET status = 'late'").await, 1);
    assert_eq!(turn(scope.clone()).await.expect("a turn"), 1, "computed after a change");
    assert_eq!(turn(scope.clone()).await.expect("a turn"), 0, "nothing changed: kept");
    let opened = crate::common::section(&visitor.page("/beheer/rapportage").await, "key-figures-title").to_owned();
    assert_eq!(visitor.page("/beheer/rapportage").await.matches(&opened).count(), 1, "the same figures, kept");
    // a course's new title is a change too
    let title = format!("UPDATE courses SET title = 'Buurtkracht in Beijum' WHERE id = {}", class.course.id);
    assert_eq!(app.execute(&title).await, 1);
    assert_eq!(turn(scope).await.expect("a turn"), 1, "computed again");
    let per_course = visitor.page("/beheer/rapportage?group_by=course").await;
    assert!(per_course.contains("Buurtkracht in Beijum"), "{per_course}");
}

/// Every figure of every grouping from the rollup, compared with the same figures over the
/// cells, for periods that cut months and sessions and for each filter the rollup holds.
#[tokio::test]
async fn the_rollup_answers_every_question_as_the_cells_do() {
    use wijkmakers::reports::summary::{GroupBy, Source, summary_from};
    let app = &spawn_app().await;
    let h = history(app).await;
    let (ann, cas, fay) = (&h.a.people[0], &h.a.people[2], &h.people[0]);
    app.execute(&format!("UPDATE users SET participant_kind = 'bewoner' WHERE id IN ({}, {})", ann.id, fay.id)).await;
    app.execute(&format!("UPDATE users SET participant_kind = 'student' WHERE id = {}", cas.id)).await;
    // Cas comes back to A after the 17th and is marked present on the 24th
    let back = at(month_day(1, 20), "12:00").to_rfc3339();
    app.execute(&format!(
        "INSERT INTO enrolments (course_id, user_id, status, enrolled_at) VALUES ({}, {}, 'enrolled', '{back}')",
        h.a.course.id, cas.id
    ))
    .await;
    mark(app, &h.coordinator, h.a.session(3), &[(cas, "present")]).await.expect_status(200);
    // Eva withdraws after the 10th, and her mark of the 24th turns out to be a mistake
    let eva = &h.a.people[4];
    let left = at(month_day(1, 12), "12:00").to_rfc3339();
    app.execute(&format!(
        "UPDATE enrolments SET status = 'cancelled', cancelled_at = '{left}' WHERE user_id = {}",
        eva.id
    ))
    .await;
    app.execute(&format!(
        "DELETE FROM attendance_marks WHERE user_id = {} AND session_id = {}",
        eva.id,
        h.a.session(3)
    ))
    .await;
    let periods = [
        (month_day(2, 1), day(0)),
        (month_day(1, 10), month_day(1, 10)),
        (month_day(1, 4), month_day(1, 24)),
        (month_day(2, 12), month_day(1, 3)),
        (month_day(1, 11), month_day(1, 23)),
        (month_day(1, 11), month_day(1, 24)),
    ];
    let a = h.a.course.id.to_string();
    let filters: [(Option<&str>, Option<&str>, Option<&str>); 5] = [
        (None, None, None),
        (Some("energietransitie"), None, None),
        (Some("democratisering"), None, Some("bewoner")),
        (None, Some(&a), None),
        (None, None, Some("student")),
    ];
    let groupings = [GroupBy::Theme, GroupBy::Wijk, GroupBy::ParticipantKind, GroupBy::Course, GroupBy::Month];
    let mut compared = 0;
    for (from, to) in periods {
        for (theme, course, kind) in filters {
            let report = wijkmakers::reports::model::ReportQuery {
                from: Some(from.to_string()),
                to: Some(to.to_string()),
                theme: theme.map(str::to_owned),
                course: course.map(str::to_owned),
                participant_kind: kind.map(str::to_owned),
                ..Default::default()
            }
            .parse()
            .expect("a question");
            for first in 0..groupings.len() {
                let mut order = groupings.to_vec();
                order.rotate_left(first);
                let (r, o) = (report.clone(), order.clone());
                let rollup =
                    app.pool.run(move |conn| summary_from(conn, &r, &o, Source::Rollup)).await.expect("rollup");
                let (r, o) = (report.clone(), order.clone());
                let cells = app.pool.run(move |conn| summary_from(conn, &r, &o, Source::Cells)).await.expect("cells");
                let json = |(total, groups): &(_, Vec<Vec<_>>)| serde_json::json!({"total": total, "groups": groups});
                assert_eq!(json(&rollup), json(&cells), "{from} – {to}, {theme:?} {course:?} {kind:?}, {order:?}");
                compared += 1;
            }
        }
    }
    assert_eq!(compared, 150);
}
