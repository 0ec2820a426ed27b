//! schemathesis (installed by scripts/test into tests/schemathesis/.venv) generates
//! requests from `/api/v1/openapi.json` and checks every answer against the document.

use std::path::PathBuf;

use crate::common::{CourseSpec, spawn_app};

/// Generated requests per operation: enough to find a missing status or a wrong type,
/// few enough that the run takes about a minute.
const EXAMPLES_PER_OPERATION: &str = "20";

/// `SCHEMATHESIS_SEED` picks other examples (the default seed keeps runs alike).
/// The schemathesis program: `SCHEMATHESIS`, else the project's virtualenv.
fn program() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("SCHEMATHESIS") {
        return Some(PathBuf::from(path));
    }
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/schemathesis/.venv/bin/schemathesis");
    path.is_file().then_some(path)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_no_failure_as_a_coordinator() {
    let Some(program) = program() else {
        if std::env::var_os("CI").is_some() {
            panic!("schemathesis is not installed (CI is set, so this is a failure): run scripts/test");
        }
        eprintln!("skipped: schemathesis is not installed; scripts/test installs it into tests/schemathesis/.venv");
        return;
    };
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    coordinator.create_course(&app, CourseSpec::new("Energiecafé", 12)).await;
    let config = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/schemathesis/schemathesis.toml");
    let output = tokio::process::Command::new(&program)
        .arg("--no-color")
        .arg("--config-file")
        .arg(&config)
        .arg("run")
        .arg(format!("{}/api/v1/openapi.json", app.address))
        .args(["--checks", "all", "--max-examples", EXAMPLES_PER_OPERATION, "--workers", "1"])
        .args(["--seed", &std::env::var("SCHEMATHESIS_SEED").unwrap_or_else(|_| "14".into())])
        .arg("--header")
        .arg(format!("Authorization: Bearer {}", coordinator.token))
        // These end the coordinator's session or account; their own tests cover them.
        .args(["--exclude-operation-id-regex", "^(logout|delete_me)$"])
        .env("SCHEMATHESIS_TELEMETRY", "false")
        .kill_on_drop(true)
        .output()
        .await
        .expect("run schemathesis");
    let report = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "schemathesis found failures:\n{report}");
    app.expect_failed_mail();
}
