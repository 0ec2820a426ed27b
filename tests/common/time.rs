//! Times in tests. The academy lives in Amsterdam time; a test that builds a moment from
//! "now" plus a number of hours gets another clock time, and sometimes another date, at
//! every hour of the day it runs. So tests pin the time of day: [`local_at`] is a local
//! date (today, in Amsterdam, plus whole days) at a fixed local time. Only a test whose
//! point is the distance to the present (a deadline just passed, the moment a reminder is
//! due) adds an offset to `Utc::now()`, and then asserts nothing about clock times.

use chrono::{DateTime, Datelike, Duration, DurationRound, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;
use serde_json::Value;

/// `time` (`"HH:MM"`, Amsterdam time) on the day `days_from_today` calendar days after
/// today in Amsterdam (before, when negative), as a UTC instant.
///
/// Days are added to the local date, not as 24-hour periods, so the local time is the
/// same before and after a change to or from summer time. Panics for a local time that
/// does not exist or exists twice on that day (02:00–03:00 on the last Sunday of March and
/// October): tests use daytime and evening times.
pub fn local_at(days_from_today: i64, time: &str) -> DateTime<Utc> {
    let today = Utc::now().with_timezone(&Amsterdam).date_naive();
    let day = today.checked_add_signed(Duration::days(days_from_today)).expect("a date in range");
    let clock = NaiveTime::parse_from_str(time, "%H:%M").unwrap_or_else(|e| panic!("not a time HH:MM ({e}): {time}"));
    Amsterdam
        .from_local_datetime(&day.and_time(clock))
        .single()
        .unwrap_or_else(|| panic!("{time} on {day} does not exist, or exists twice, in Amsterdam"))
        .to_utc()
}

/// A session of two hours from `start` (in whole minutes), as `(starts_at, ends_at)` in RFC
/// 3339, the way the API takes them.
pub fn session_at(start: DateTime<Utc>) -> (String, String) {
    let start = start.duration_trunc(Duration::minutes(1)).expect("a time in range");
    (start.to_rfc3339(), (start + Duration::hours(2)).to_rfc3339())
}

/// Tests that need dates still to come write them in 2027; `ahead` moves them to next year
/// (of Amsterdam), so they stay ahead whenever the tests run. Those dates avoid the weeks
/// of a DST change, and the tests do not name weekdays, which move with the year.
pub fn ahead(text: &str) -> String {
    text.replace("2027", &(Utc::now().with_timezone(&Amsterdam).year() + 1).to_string())
}

/// A UTC instant written in RFC 3339 (`"2027-03-28T17:30:00Z"`).
pub fn utc(text: &str) -> DateTime<Utc> {
    text.parse().unwrap_or_else(|e| panic!("not an RFC 3339 time ({e}): {text}"))
}

/// An RFC 3339 time with an offset, as the API must answer them.
pub fn instant(value: &Value) -> DateTime<Utc> {
    let text = value.as_str().unwrap_or_else(|| panic!("not a time: {value}"));
    DateTime::parse_from_rfc3339(text).unwrap_or_else(|e| panic!("not RFC 3339 ({e}): {text}")).to_utc()
}
