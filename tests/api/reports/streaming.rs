//! The exports in many small batches: the thread that fetches and the thread that writes
//! hand over every row, in the query's order, and stop cleanly when the reader goes away.

use wijkmakers::i18n::Locale;
use wijkmakers::reports::model::ReportQuery;
use wijkmakers::reports::service::{Export, Sink, export_in_batches};

use super::{History, day, export};
use crate::common::{TestApp, spawn_app};

/// Keeps what it is sent; refuses more once it has `stop_after` parts (a reader going away).
#[derive(Default)]
struct Parts {
    parts: Vec<Vec<u8>>,
    progress: Vec<usize>,
    stop_after: Option<usize>,
}

impl Sink for Parts {
    fn send(&mut self, bytes: Vec<u8>) -> bool {
        if self.stop_after.is_some_and(|n| self.parts.len() >= n) {
            return false;
        }
        self.parts.push(bytes);
        self.stop_after.is_none_or(|n| self.parts.len() < n)
    }

    fn progress(&mut self, rows: usize) {
        self.progress.push(rows);
    }
}

/// Run `what` in `format` on a connection of the app's pool, `batch` rows at a time.
async fn in_batches(app: &TestApp, what: Export, format: &str, batch: usize, mut sink: Parts) -> (usize, Parts) {
    let report = ReportQuery {
        from: Some(day(-30).to_string()),
        to: Some(day(30).to_string()),
        format: Some(format.to_owned()),
        ..ReportQuery::default()
    }
    .parse()
    .expect("a good report");
    let secret = app.config.secret_key.clone();
    app.pool
        .run(move |conn| {
            let rows = export_in_batches(conn, what, &secret, &report, Locale::En, &mut sink, batch)?;
            Ok((rows, sink))
        })
        .await
        .expect("the export runs")
}

#[tokio::test]
async fn an_export_in_many_batches_is_the_same_file_with_every_row_in_order() {
    let app = &spawn_app().await;
    let history = History::new(app).await;
    let coordinator = &history.energy.coordinator;
    for (what, path) in [(Export::Sessions, "sessions"), (Export::Participation, "participation")] {
        for format in ["csv", "csv-nl", "json"] {
            let query = format!("/api/v1/reports/{path}?from={}&to={}&format={format}", day(-30), day(30));
            let (status, _, whole) = export(app, coordinator, &query).await;
            assert_eq!(status, 200, "{}", String::from_utf8_lossy(&whole));

            let (rows, sink) = in_batches(app, what, format, 2, Parts::default()).await;
            assert!(rows >= 5, "{path}: a history of {rows} rows runs through several batches");
            assert_eq!(
                String::from_utf8_lossy(&sink.parts.concat()),
                String::from_utf8_lossy(&whole),
                "{path} as {format}: the same bytes in batches of 2 as in one"
            );
            // one part per batch, and one to finish the table
            assert_eq!(sink.parts.len(), rows.div_ceil(2) + 1, "{path} as {format}");
            let counted: Vec<usize> = (1..=rows.div_ceil(2)).map(|n| (2 * n).min(rows)).collect();
            assert_eq!(sink.progress, counted, "{path} as {format}: the progress bar counts every batch");
        }
    }
}

#[tokio::test]
async fn an_export_whose_reader_goes_away_stops_and_leaves_the_connection_ready() {
    let app = &spawn_app().await;
    let history = History::new(app).await;
    let coordinator = &history.energy.coordinator;
    let query = format!("/api/v1/reports/sessions?from={}&to={}&format=csv", day(-30), day(30));
    let (status, _, whole) = export(app, coordinator, &query).await;
    assert_eq!(status, 200);

    let gone = Parts { stop_after: Some(1), ..Parts::default() };
    let (rows, sink) = in_batches(app, Export::Sessions, "csv", 2, gone).await;
    assert_eq!(rows, 2, "the export stops after the batch that found nobody reading");
    assert_eq!(sink.parts.len(), 1);
    assert!(whole.starts_with(&sink.parts[0]), "what was sent is the start of the file");

    // the pool has one connection per test app or more: run every export again until the
    // connection of the stopped one has come round, its cursor closed and transaction ended
    for _ in 0..app.config.db_pool_size.max(1) * 2 {
        let (_, again) = in_batches(app, Export::Sessions, "csv", 2, Parts::default()).await;
        assert_eq!(again.parts.concat(), whole);
    }
}
