//! Reading times people type. Input with an offset is taken as it is; input without one
//! (`2027-03-28T10:00`, or a date and a time from a form) is Europe/Amsterdam local time,
//! so a session entered for a date after a DST change is stored right.

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;

/// Why a time could not be read; the `field-…` message code.
pub type TimeError = &'static str;

fn amsterdam(local: NaiveDateTime) -> Result<DateTime<Utc>, TimeError> {
    match Amsterdam.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        // the hour that happens twice in October: the first one
        LocalResult::Ambiguous(first, _) => Ok(first.with_timezone(&Utc)),
        // the hour that does not exist in March
        LocalResult::None => Err("time-nonexistent"),
    }
}

/// RFC 3339, or local Amsterdam time without an offset.
pub fn parse_instant(text: &str) -> Result<DateTime<Utc>, TimeError> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(local) = NaiveDateTime::parse_from_str(text, format) {
            return amsterdam(local);
        }
    }
    Err("time-invalid")
}

/// What [`parse_instant`] takes, as an OpenAPI pattern: RFC 3339, or a local time without
/// an offset (`2027-03-28T19:30`, seconds optional; `T` or a space). Days run to 28 and
/// there is no offset beyond ±13:59, so that whatever matches is a real moment.
pub const INSTANT_PATTERN: &str = concat!(
    r"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])[T ]([01][0-9]|2[0-3]):[0-5][0-9]",
    r"(:[0-5][0-9](\.[0-9]{1,9})?(Z|[+-](0[0-9]|1[0-3]):[0-5][0-9])?)?"
);

/// An instant field: [`INSTANT_PATTERN`], or also a date (`2027-03-28`, for list filters)
/// and `""` (no value) where the field takes them.
pub fn instant_schema(date: bool, empty: bool) -> utoipa::openapi::Object {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    let mut pattern = format!("({INSTANT_PATTERN})");
    if date {
        pattern.push_str(r"|[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])");
    }
    if empty {
        pattern.push('|');
    }
    ObjectBuilder::new().schema_type(Type::String).pattern(Some(format!("^ *({pattern}) *$"))).build()
}

/// A date (`2027-03-28`) and a time (`19:30`) from a form, in Amsterdam.
pub fn parse_local(date: &str, time: &str) -> Result<DateTime<Utc>, TimeError> {
    let date = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").map_err(|_| "date-invalid")?;
    let time = NaiveTime::parse_from_str(time.trim(), "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(time.trim(), "%H:%M:%S"))
        .map_err(|_| "time-invalid")?;
    amsterdam(date.and_time(time))
}

/// `(date, time)` in Amsterdam, as a form shows them (`2027-03-28`, `19:30`).
pub fn form_parts(at: DateTime<Utc>) -> (String, String) {
    let local = at.with_timezone(&Amsterdam);
    (local.format("%Y-%m-%d").to_string(), local.format("%H:%M").to_string())
}

/// `2027-03-28T19:30` in Amsterdam, for a `datetime-local` input.
pub fn form_datetime(at: DateTime<Utc>) -> String {
    at.with_timezone(&Amsterdam).format("%Y-%m-%dT%H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_follow_dst() {
        // winter time (UTC+1) before 28 March 2027, summer time (UTC+2) after
        assert_eq!(parse_instant("2027-03-27T10:00").unwrap().to_rfc3339(), "2027-03-27T09:00:00+00:00");
        assert_eq!(parse_instant("2027-03-28T10:00").unwrap().to_rfc3339(), "2027-03-28T08:00:00+00:00");
        assert_eq!(parse_local("2027-10-31", "19:30").unwrap().to_rfc3339(), "2027-10-31T18:30:00+00:00");
        assert_eq!(parse_local("2027-03-28", "02:30"), Err("time-nonexistent"));
    }

    #[test]
    fn offsets_are_kept() {
        assert_eq!(parse_instant("2027-03-28T10:00:00+02:00").unwrap().to_rfc3339(), "2027-03-28T08:00:00+00:00");
        assert_eq!(parse_instant("2027-03-28T08:00:00Z").unwrap().to_rfc3339(), "2027-03-28T08:00:00+00:00");
        assert_eq!(parse_instant("morgen"), Err("time-invalid"));
    }

    #[test]
    fn form_parts_round_trip() {
        let t = parse_local("2027-06-01", "19:30").unwrap();
        assert_eq!(form_parts(t), ("2027-06-01".to_owned(), "19:30".to_owned()));
        assert_eq!(form_datetime(t), "2027-06-01T19:30");
    }
}
