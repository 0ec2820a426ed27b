//! Hostile HTML forms: every form of the site (each `#[post]` page route outside /api, with
//! real ids filled in) fed oversize values, malformed UTF-8, NUL bytes, and SQL and script
//! payloads with a wrong, missing or cross-site CSRF token. Each answer is 403, 413 or a
//! form error (422), and `pg_dump --data-only` of the database is the same before and after.

use std::collections::BTreeMap;
use std::process::Command;

use crate::common::{CourseSpec, TestApp, Visitor, spawn_app};

/// Every HTML form's action (the `#[post("…")]` routes of the `pages` modules).
const FORMS: &[&str] = &[
    "/beheer/cursussen",
    "/beheer/cursussen/{course}/bewerken",
    "/beheer/cursussen/{course}/inschrijvingen",
    "/beheer/cursussen/{course}/sessies",
    "/beheer/cursussen/{course}/status",
    "/beheer/cursussen/{course}/trainers",
    "/beheer/cursussen/{course}/trainers/{trainer}/verwijderen",
    "/beheer/e-mails/{mail}/opnieuw",
    "/beheer/gebruikers",
    "/beheer/gebruikers/{participant}/rol",
    "/beheer/gebruikers/{participant}/verwijderen",
    "/beheer/inschrijvingen/{enrolment}/annuleren",
    "/beheer/inschrijvingen/{enrolment}/plaatsen",
    "/beheer/sessies/{session}/annuleren",
    "/beheer/sessies/{session}/bewerken",
    "/beheer/themas",
    "/beheer/themas/energietransitie",
    "/cursussen/{slug}/inschrijven",
    "/cursussen/{slug}/uitschrijven",
    "/e-mail-bevestigen",
    "/e-mail-opnieuw",
    "/inchecken",
    "/inchecken/ABCD1234",
    "/inloggen",
    "/mijn-cursussen/sessies/{session}/afmelden",
    "/mijn-cursussen/sessies/{session}/afmelden/intrekken",
    "/mijn-trainingen/sessies/{session}",
    "/mijn-trainingen/sessies/{session}/afwezig",
    "/mijn-trainingen/sessies/{session}/inchecken",
    "/mijn-trainingen/sessies/{session}/inloop",
    "/profiel",
    "/profiel/agenda-link",
    "/profiel/sessies/1/beeindigen",
    "/profiel/uitloggen-overal",
    "/profiel/verwijderen",
    "/profiel/wachtwoord",
    "/registreren",
    "/taal",
    "/uitloggen",
    "/uitnodiging",
    "/wachtwoord-herstellen",
    "/wachtwoord-vergeten",
];

/// Field names the forms use, so that a payload reaches what a handler would read.
const FIELDS: &[&str] = &[
    "name",
    "email",
    "password",
    "new_password",
    "current_password",
    "title",
    "summary",
    "description",
    "theme",
    "capacity",
    "status",
    "role",
    "reason",
    "note",
    "code",
    "token",
    "lang",
    "terug",
    "starts_at",
    "ends_at",
    "date",
    "start",
    "end",
    "place",
    "address",
    "wijk",
    "slug",
    "label",
    "user_id",
    "trainer",
    "confirm",
    "privacy_consent",
];

const SQL: &str = "'; DROP TABLE users; --\" OR 1=1; UPDATE courses SET capacity = 0; --";
const SCRIPT: &str = "<script>alert(document.cookie)</script><img src=x onerror=alert(1)>\"'><svg onload=alert(1)>";

/// `pg_dump --data-only` of the test database, per table (`COPY <table>` blocks) and
/// sequence. Every table is compared: refused requests touch none, not even
/// `login_sessions.last_seen_at` or `throttles`.
fn dump(app: &TestApp) -> BTreeMap<String, String> {
    let output = Command::new("pg_dump")
        .args(["--data-only", "--no-owner", "--no-privileges"])
        .arg(app.db.url())
        .output()
        .expect("run pg_dump");
    assert!(output.status.success(), "pg_dump: {}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).expect("pg_dump writes UTF-8");
    let mut tables = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("COPY ") {
            let table = rest.split_whitespace().next().unwrap_or("?").to_owned();
            tables.insert(table.clone(), String::new());
            current = Some(table);
        } else if line == "\\." {
            current = None;
        } else if let Some(table) = &current {
            let rows: &mut String = tables.get_mut(table).expect("inserted above");
            rows.push_str(line);
            rows.push('\n');
        } else if line.starts_with("SELECT pg_catalog.setval") {
            tables.insert(line.to_owned(), line.to_owned());
        }
    }
    tables
}

/// Raw `application/x-www-form-urlencoded` body: every field set to `value` (already
/// encoded), plus the CSRF token when given.
fn body(value: &str, token: Option<&str>) -> String {
    let mut parts: Vec<String> = FIELDS.iter().map(|f| format!("{f}={value}")).collect();
    if let Some(token) = token {
        parts.push(format!("csrf_token={token}"));
    }
    parts.join("&")
}

fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[tokio::test]
async fn hostile_input_to_every_form_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let coordinator = app.coordinator().await;
    let trainer = app.trainer("Tom").await;
    let ann = app.participant("Ann").await;
    let course = coordinator.create_course(&app, CourseSpec::new("Energiecoöperatie", 12)).await;
    coordinator.assign_trainer(&app, &course, &trainer).await;
    ann.enrols_in(&app, &course).await;
    app.settle_outbox().await;
    let enrolment = app.int(&format!("SELECT id AS v FROM enrolments WHERE user_id = {}", ann.id)).await;
    let mail = app.int("SELECT max(id) AS v FROM outbox").await;
    let fill = |path: &str| {
        path.replace("{course}", &course.id.to_string())
            .replace("{session}", &course.session_ids[0].to_string())
            .replace("{trainer}", &trainer.id.to_string())
            .replace("{participant}", &ann.id.to_string())
            .replace("{enrolment}", &enrolment.to_string())
            .replace("{mail}", &mail.to_string())
            .replace("{slug}", &course.slug)
    };
    let admin_browser = Visitor::logged_in(&app, &admin);
    let anonymous = Visitor::new(&app);
    let token_of = async |visitor: &Visitor| visitor.csrf_token("/").await;
    let (admin_token, anonymous_token) = (token_of(&admin_browser).await, token_of(&anonymous).await);

    let before = dump(&app);

    let oversize = encode(&"Lange tekst in een veld. ".repeat(4_000));
    let wrong = "f".repeat(64);
    let mut answers = BTreeMap::<String, usize>::new();
    let mut bad = Vec::new();
    for form in FORMS {
        let path = fill(form);
        for (visitor, token) in [(&admin_browser, &admin_token), (&anonymous, &anonymous_token)] {
            let cases: Vec<(&str, String, &str, &[u16])> = vec![
                ("SQL, wrong token", body(&encode(SQL), Some(&wrong)), &visitor.address, &[403]),
                ("script, no token", body(&encode(SCRIPT), None), &visitor.address, &[403]),
                ("script, cross-site", body(&encode(SCRIPT), Some(token)), "https://evil.example", &[403]),
                ("NUL byte", body("Ann%00Jansen", Some(token)), &visitor.address, &[422]),
                ("malformed UTF-8", body("Ann%FF%FEJ%C3%28ansen", Some(token)), &visitor.address, &[422]),
                ("oversize", body(&oversize, Some(token)), &visitor.address, &[413]),
            ];
            for (case, payload, origin, expected) in cases {
                let response = visitor
                    .client
                    .post(visitor.url(&path))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("origin", origin)
                    .body(payload)
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("POST {path}: {e}"));
                let status = response.status().as_u16();
                let text = response.text().await.unwrap_or_default();
                *answers.entry(format!("{case} → {status}")).or_default() += 1;
                if !expected.contains(&status) {
                    bad.push(format!("{case}: POST {path} answered {status}"));
                } else if text.contains("<script>alert") || text.contains("onerror=alert") {
                    bad.push(format!("{case}: POST {path} echoed the script unescaped"));
                }
            }
        }
    }
    let after = dump(&app);
    let changed: Vec<&String> = before.keys().chain(after.keys()).filter(|t| before.get(*t) != after.get(*t)).collect();
    assert!(bad.is_empty(), "{} hostile request(s) not refused as expected:\n{}", bad.len(), bad.join("\n"));
    assert!(changed.is_empty(), "tables changed by refused requests: {changed:?}");
    eprintln!(
        "hostile forms: {} forms × 2 visitors × 6 cases = {} requests: {answers:?}; pg_dump --data-only equal \
         before and after ({} tables and sequences compared, none left out)",
        FORMS.len(),
        FORMS.len() * 12,
        before.len()
    );
}
