//! `wijkmakers export`: the same tables as the API, on standard output or in a file, run by
//! the operator of the server against the database.

use std::process::{Command, Output, Stdio};

use super::{History, csv_records, day, export};
use crate::common::{TempDir, TestApp, spawn_app};

/// Run `wijkmakers export ARGS` against the test app's database, with its secret key.
async fn run(app: &TestApp, dir: &TempDir, args: Vec<String>) -> Output {
    let url = app.db.url().to_owned();
    let secret = app.config.secret_key.clone();
    let path = dir.path().to_owned();
    tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_wijkmakers"))
            .arg("export")
            .args(args)
            .current_dir(path)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("DATABASE_URL", url)
            .env("SECRET_KEY", secret)
            .stdin(Stdio::null())
            .output()
            .expect("run wijkmakers export")
    })
    .await
    .expect("the command ran")
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|a| a.to_string()).collect()
}

#[tokio::test]
async fn the_command_line_writes_the_same_exports_as_the_api() {
    let app = &spawn_app().await;
    let history = History::new(app).await;
    let coordinator = &history.energy.coordinator;
    let dir = TempDir::new("export");
    let (from, to) = (day(-10).to_string(), day(5).to_string());

    // participation to standard output, byte for byte the API's csv
    let output = run(app, &dir, args(&["participation", "--from", &from, "--to", &to])).await;
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(
        output.stderr.is_empty() || !String::from_utf8_lossy(&output.stderr).contains("rows written ("),
        "no progress bar when stderr is not a terminal"
    );
    let api = export(app, coordinator, &format!("/api/v1/reports/participation?from={from}&to={to}")).await.2;
    assert_eq!(String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&api));
    assert_eq!(csv_records(&output.stdout).len(), 5);

    // sessions, pseudonymous, filtered by theme, into a file: the ids of the API with that purpose
    let file = dir.path().join("sessies.csv");
    let output = run(
        app,
        &dir,
        args(&[
            "sessions",
            "--from",
            &from,
            "--to",
            &to,
            "--theme",
            "democratisering",
            "--anonymise",
            "--purpose",
            "gemeente",
            "--output",
            file.to_str().unwrap(),
        ]),
    )
    .await;
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.stdout.is_empty());
    let written = std::fs::read(&file).expect("the file");
    let rows = csv_records(&written);
    assert_eq!(rows.len(), 2, "Ann at the two talks: {rows:?}");
    assert!(rows.iter().all(|r| r["theme"] == "democratisering" && !r.contains_key("name")), "{rows:?}");
    let path =
        format!("/api/v1/reports/sessions?from={from}&to={to}&theme=democratisering&anonymise=true&purpose=gemeente");
    let api = csv_records(&export(app, coordinator, &path).await.2);
    assert_eq!(rows, api);

    // xlsx into a file opens as a workbook
    let file = dir.path().join("deelname.xlsx");
    let output = run(
        app,
        &dir,
        args(&["participation", "--from", &from, "--to", &to, "--format", "xlsx", "--output", file.to_str().unwrap()]),
    )
    .await;
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&file).expect("an xlsx file");
    assert_eq!(workbook.worksheet_range_at(0).unwrap().unwrap().height(), 6);

    // faults are named by their flag, and nothing is written
    let output = run(app, &dir, args(&["participation", "--from", &to, "--to", &from, "--format", "pdf"])).await;
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--to") && stderr.contains("--format"), "{stderr}");
    assert!(output.stdout.is_empty());
    let output = run(app, &dir, args(&["sessions", "--from", &from, "--to", &to, "--anonymise"])).await;
    assert!(String::from_utf8_lossy(&output.stderr).contains("--purpose"), "{:?}", output);

    // the summary: the same figures as the API's file, grouped as asked
    let output = run(app, &dir, args(&["summary", "--from", &from, "--to", &to, "--group-by", "month"])).await;
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let path = format!("/api/v1/reports/summary?from={from}&to={to}&group_by=month&format=csv");
    let api = csv_records(&export(app, coordinator, &path).await.2);
    let cli = csv_records(&output.stdout);
    assert!(!cli.is_empty() && cli == api, "{cli:?} vs {api:?}");
    let output = run(app, &dir, args(&["summary", "--from", &from, "--to", &to, "--group-by", "planet"])).await;
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--group-by"), "{output:?}");
}
