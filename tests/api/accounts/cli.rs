//! The command line: `wijkmakers user add --email E --name N --role R --password-stdin`
//! (the account counts as verified) and `wijkmakers user role --email E --role R`; errors
//! exit non-zero with one line.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use reqwest::Method;
use serde_json::Value;
use wijkmakers::auth::Role;

use crate::common::{PASSWORD, TempDir, TestApp, spawn_app};

/// Run the built binary against the test's database, with `stdin` as its input, in an
/// empty directory (so that no `.env` is read).
async fn wijkmakers(app: &TestApp, args: &[&str], stdin: &str) -> Output {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let (database_url, stdin) = (app.db.url().to_owned(), stdin.to_owned());
    tokio::task::spawn_blocking(move || {
        let dir = TempDir::new("cli");
        let mut child = Command::new(env!("CARGO_BIN_EXE_wijkmakers"))
            .args(&args)
            .current_dir(dir.path())
            .env_clear()
            .env("DATABASE_URL", database_url)
            .env("SECRET_KEY", "s".repeat(40))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run wijkmakers");
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test]
async fn the_cli_adds_a_verified_account_with_a_role_and_changes_roles() {
    let app = spawn_app().await;
    let output = wijkmakers(
        &app,
        &[
            "user",
            "add",
            "--email",
            "Carla@Example.org",
            "--name",
            "Carla Coördinator",
            "--role",
            "coordinator",
            "--password-stdin",
        ],
        &format!("{PASSWORD}\r\n"),
    )
    .await;
    assert!(output.status.success(), "{}{}", stdout(&output), stderr(&output));
    assert!(stdout(&output).to_lowercase().contains("carla@example.org"), "{}", stdout(&output));

    // the line ending is not part of the password; the account is verified
    let token = app.login_api("carla@example.org", PASSWORD).await;
    let me: Value = app.api(Method::GET, "/api/v1/me", None, Some(&token)).await.json().await.unwrap();
    assert_eq!(me["role"], "coordinator");
    assert_eq!(me["email_verified"], true);
    assert_eq!(me["name"], "Carla Coördinator");

    let output = wijkmakers(&app, &["user", "role", "--email", "CARLA@example.org", "--role", "admin"], "").await;
    assert!(output.status.success(), "{}", stderr(&output));
    let me: Value = app.api(Method::GET, "/api/v1/me", None, Some(&token)).await.json().await.unwrap();
    assert_eq!(me["role"], "admin");

    // --help explains the command
    let output = wijkmakers(&app, &["user", "add", "--help"], "").await;
    assert!(output.status.success());
    assert!(stdout(&output).contains("--password-stdin"), "{}", stdout(&output));
}

#[tokio::test]
async fn cli_errors_exit_non_zero_with_one_line_and_change_nothing() {
    let app = spawn_app().await;
    app.add_user("ada@example.org", "Ada Admin", Role::Admin, PASSWORD).await;
    let pw = format!("{PASSWORD}\n");
    let add = |email: &'static str, role: &'static str| {
        vec!["user", "add", "--email", email, "--name", "Iemand", "--role", role, "--password-stdin"]
    };
    let cases: Vec<(&str, Vec<&str>, String, &str)> = vec![
        ("a known address", add("ADA@example.org", "trainer"), pw.clone(), "already"),
        ("an unknown role", add("nieuw@example.org", "keizer"), pw.clone(), "--role"),
        ("a common password", add("nieuw@example.org", "trainer"), "wachtwoord123\n".into(), "password"),
        ("a short password", add("nieuw@example.org", "trainer"), "kort\n".into(), "password"),
        ("a bad address", add("geen-adres", "trainer"), pw.clone(), "email"),
        (
            "no password on stdin",
            vec!["user", "add", "--email", "nieuw@example.org", "--name", "Iemand", "--role", "trainer"],
            String::new(),
            "password-stdin",
        ),
        (
            "an unknown account",
            vec!["user", "role", "--email", "niemand@example.org", "--role", "admin"],
            String::new(),
            "",
        ),
        (
            "the last admin",
            vec!["user", "role", "--email", "ada@example.org", "--role", "participant"],
            String::new(),
            "admin",
        ),
    ];
    for (what, args, input, mentions) in cases {
        let output = wijkmakers(&app, &args, &input).await;
        assert!(!output.status.success(), "{what}: exit 0");
        let message = stderr(&output);
        assert_eq!(message.trim_end().lines().count(), 1, "{what}: one line: {message}");
        assert!(message.starts_with("wijkmakers: "), "{what}: {message}");
        assert!(message.to_lowercase().contains(mentions), "{what}: says what is wrong: {message}");
    }
    assert_eq!(app.int("SELECT count(*) AS v FROM users").await, 1);
    assert_eq!(app.text("SELECT role::text AS v FROM users").await.as_deref(), Some("admin"));
}
