//! Reports (issue 17): tidy exports for partners and funders.

mod sessions;
mod summary;

use chrono::{Datelike, NaiveDate};
use chrono_tz::Europe::Amsterdam;
use reqwest::Method;

use crate::common::{Person, TestApp, local_at};

/// The local date `days` from today, as `YYYY-MM-DD`.
pub fn day(days: i64) -> NaiveDate {
    let at = local_at(days, "12:00").with_timezone(&Amsterdam);
    NaiveDate::from_ymd_opt(at.year(), at.month(), at.day()).expect("a date")
}

/// GET an export as `who`: status, headers and body.
pub async fn export(app: &TestApp, who: &Person, path: &str) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let response = app.api(Method::GET, path, None, Some(&who.token)).await;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.bytes().await.expect("a body").to_vec())
}

/// The records of a `csv` export, as maps from column to value.
pub fn csv_records(body: &[u8]) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_reader(body);
    let headers = reader.headers().expect("a header row").clone();
    reader
        .records()
        .map(|r| headers.iter().zip(r.expect("a record").iter()).map(|(h, v)| (h.to_owned(), v.to_owned())).collect())
        .collect()
}
