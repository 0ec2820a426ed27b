//! The four formats of an export hold the same table: csv (RFC 4180), csv-nl (BOM, `;`,
//! decimal commas, Dutch headers, dd-mm-jjjj), xlsx (real cells) and json.

use calamine::{Data, Reader};
use chrono::NaiveDate;
use serde_json::Value;

use super::{History, day, export};
use crate::common::{Person, TestApp, spawn_app};

async fn body(app: &TestApp, who: &Person, format: &str) -> Vec<u8> {
    let path = format!("/api/v1/reports/participation?from={}&to={}&format={format}", day(-10), day(5));
    let (status, headers, body) = export(app, who, &path).await;
    assert_eq!(status, 200, "{format}: {}", String::from_utf8_lossy(&body));
    let disposition = headers["content-disposition"].to_str().unwrap();
    let extension = if format == "csv-nl" { "csv" } else { format };
    assert!(disposition.ends_with(&format!(".{extension}\"")), "{disposition}");
    body
}

/// The csv table as rows of text (header first).
fn csv_table(body: &[u8], delimiter: u8) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).from_reader(body);
    reader.records().map(|r| r.expect("a record").iter().map(str::to_owned).collect()).collect()
}

const RATES: [&str; 2] = ["attendance_rate", "commitment_rate"];

/// What csv-nl writes for a csv value of the column `key`.
fn dutch(key: &str, value: &str) -> String {
    if value.is_empty() {
        return String::new();
    }
    if RATES.contains(&key) {
        let fraction: f64 = value.parse().expect("a rate");
        return format!("{:.1}%", fraction * 100.0).replace('.', ",");
    }
    if let Ok(date) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        return date.format("%d-%m-%Y").to_string();
    }
    match value {
        "true" => "ja".to_owned(),
        "false" => "nee".to_owned(),
        _ if key == "hours_attended" => value.replace('.', ","),
        _ => value.to_owned(),
    }
}

/// The value of an xlsx cell as csv writes it for column `key`.
fn as_csv(key: &str, cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.clone(),
        Data::Bool(b) => b.to_string(),
        Data::Float(n) if RATES.contains(&key) => format!("{n:.4}"),
        Data::Float(n) if key == "hours_attended" => format!("{n:.2}"),
        Data::Float(n) => format!("{n}"),
        Data::Int(n) => n.to_string(),
        Data::DateTime(at) => {
            let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
            (epoch + chrono::Duration::days(at.as_f64() as i64)).to_string()
        }
        other => panic!("{key}: an unexpected cell {other:?}"),
    }
}

#[tokio::test]
async fn the_four_formats_hold_the_same_numbers_and_escape_formulas() {
    let app = &spawn_app().await;
    let history = History::new(app).await;
    let coordinator = &history.energy.coordinator;

    let csv = csv_table(&body(app, coordinator, "csv").await, b',');
    let keys = csv[0].clone();
    assert_eq!(keys[0], "course_id");
    assert_eq!(keys.len(), 19);
    assert_eq!(csv.len(), 6, "a header and five records: {csv:?}");
    let organisation = keys.iter().position(|k| k == "organisation").unwrap();
    assert!(csv.iter().any(|r| r[organisation] == "'+31 6 1234;'=1+1"), "{csv:?}");

    // csv-nl: BOM, `;`, Dutch headers, the same values in Dutch notation
    let nl = body(app, coordinator, "csv-nl").await;
    assert_eq!(&nl[..3], b"\xEF\xBB\xBF", "a BOM for Excel");
    let nl = csv_table(&nl[3..], b';');
    assert_eq!(nl.len(), csv.len());
    assert!(nl[0].iter().any(|h| h == "Cursus-id" || h.contains("Cursus")), "Dutch headers: {:?}", nl[0]);
    assert_ne!(nl[0], keys);
    for (row, nl_row) in csv[1..].iter().zip(&nl[1..]) {
        for ((key, value), nl_value) in keys.iter().zip(row).zip(nl_row) {
            assert_eq!(nl_value, &dutch(key, value), "{key}");
        }
    }
    assert!(nl[1..].iter().any(|r| r.iter().any(|v| v == "50,0%")), "{nl:?}");

    // xlsx: real numbers, dates and booleans, the same values
    let bytes = body(app, coordinator, "xlsx").await;
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let sheet = workbook.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(sheet.height(), csv.len());
    for (r, row) in csv.iter().enumerate().skip(1) {
        for (c, (key, value)) in keys.iter().zip(row).enumerate() {
            let cell = sheet.get((r, c)).unwrap_or(&Data::Empty);
            assert_eq!(&as_csv(key, cell), value, "row {r}, {key}: {cell:?}");
        }
    }
    let expected = keys.iter().position(|k| k == "sessions_expected").unwrap();
    assert!(matches!(sheet.get((1, expected)), Some(Data::Float(_))), "a number cell");
    let enrolled = keys.iter().position(|k| k == "enrolled_at").unwrap();
    assert!(matches!(sheet.get((1, enrolled)), Some(Data::DateTime(_))), "a date cell");

    // json: a list of objects with the same values; text as it is (no escaping)
    let json: Value = serde_json::from_slice(&body(app, coordinator, "json").await).unwrap();
    let items = json.as_array().unwrap();
    assert_eq!(items.len(), csv.len() - 1);
    for (item, row) in items.iter().zip(&csv[1..]) {
        for (key, value) in keys.iter().zip(row) {
            let shown = match &item[key] {
                Value::Null => String::new(),
                Value::String(s) if key == "organisation" || key == "name" => escaped(s),
                Value::String(s) => s.clone(),
                Value::Number(n) if RATES.contains(&key.as_str()) => format!("{:.4}", n.as_f64().unwrap()),
                Value::Number(n) if key == "hours_attended" => format!("{:.2}", n.as_f64().unwrap()),
                other => other.to_string(),
            };
            assert_eq!(&shown, value, "{key}");
        }
    }
    assert!(items.iter().any(|i| i["organisation"] == "+31 6 1234;=1+1"), "json keeps the text: {json}");
}

/// How the spreadsheet formats write a text (a `'` where a formula could start).
pub fn escaped(text: &str) -> String {
    wijkmakers::export::neutralise(text)
}
