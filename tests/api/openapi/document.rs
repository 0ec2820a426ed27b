//! The document says what the API does: one test per kind of mismatch schemathesis found
//! (undocumented answers, missing `required` lists, paging as text, incomplete enums, an
//! empty change accepted, unknown fields refused, wrong answers to undeclared methods).

use reqwest::Method;
use serde_json::{Value, json};
use wijkmakers::accounts::model::ParticipantKind;
use wijkmakers::auth::Role;
use wijkmakers::catalogue::model::{CourseFormat, CourseStatus};
use wijkmakers::choice::Choice;
use wijkmakers::places::PLACES;

use crate::common::{assert_invalid, header, spawn_app};

async fn document(app: &crate::common::TestApp) -> Value {
    let (status, doc) = app.get_json("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    doc
}

/// Every (path, method, operation) of the document.
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut all = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("a path item") {
            all.push((path.clone(), method.clone(), op.clone()));
        }
    }
    all
}

fn operation<'a>(doc: &'a Value, path: &str, method: &str) -> &'a Value {
    let op = &doc["paths"][path][method];
    assert!(op.is_object(), "{method} {path} is in the document");
    op
}

/// A component schema by name.
fn component<'a>(doc: &'a Value, name: &str) -> &'a Value {
    &doc["components"]["schemas"][name]
}

/// The request body schema of an operation: `(component, the constraints added on top)`.
fn body<'a>(doc: &'a Value, path: &str, method: &str) -> (&'a Value, Vec<&'a Value>) {
    let schema = &operation(doc, path, method)["requestBody"]["content"]["application/json"]["schema"];
    let (reference, extra) = match schema["allOf"].as_array() {
        Some(parts) => (&parts[0], parts[1..].iter().collect()),
        None => (schema, Vec::new()),
    };
    let name = reference["$ref"].as_str().expect("a $ref").rsplit('/').next().expect("a name");
    (component(doc, name), extra)
}

fn strings(value: &Value) -> Vec<String> {
    value.as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_owned)).collect()
}

/// The `enum` of a property, following a `$ref` or a `oneOf` with `null`.
fn enum_of(doc: &Value, property: &Value) -> Vec<String> {
    if let Some(values) = property.get("enum") {
        return strings(values);
    }
    if let Some(reference) = property["$ref"].as_str() {
        return enum_of(doc, component(doc, reference.rsplit('/').next().unwrap()));
    }
    for part in property["oneOf"].as_array().into_iter().flatten() {
        let found = enum_of(doc, part);
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

#[tokio::test]
async fn every_operation_documents_the_answers_every_operation_can_give() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    for (path, method, op) in operations(&doc) {
        let responses = &op["responses"];
        let has = |status: &str| responses.get(status).is_some();
        let problem = |status: &str| {
            responses[status]["content"]["application/problem+json"]["schema"]["$ref"] == "#/components/schemas/Problem"
        };
        if op.get("requestBody").is_some() {
            for status in ["400", "413", "415", "422"] {
                assert!(has(status) && problem(status), "{method} {path} documents {status} as a problem");
            }
        }
        if op.get("security").is_some() {
            assert!(has("401") && problem("401"), "{method} {path} documents 401");
        }
        let parameters = op["parameters"].as_array().cloned().unwrap_or_default();
        if parameters.iter().any(|p| p["in"] == "path") {
            assert!(has("404"), "{method} {path} documents 404");
        }
        if parameters.iter().any(|p| p["in"] == "query") {
            assert!(has("422"), "{method} {path} documents 422");
        }
    }
    // what the review saw: broken JSON answered 400 where only 200/403/404/422 were declared
    let coordinator = app.coordinator().await;
    let answer = app
        .api_client
        .patch(app.url("/api/v1/me"))
        .bearer_auth(&coordinator.token)
        .header("content-type", "application/json")
        .body("\0")
        .send()
        .await
        .expect("PATCH /api/v1/me");
    assert_eq!(answer.status(), 400);
    assert!(operation(&doc, "/api/v1/me", "patch")["responses"].get("400").is_some());
    // login and registration may answer 429 (throttling)
    for path in ["/api/v1/auth/login", "/api/v1/auth/register", "/api/v1/auth/password-reset"] {
        assert!(operation(&doc, path, "post")["responses"].get("429").is_some(), "{path} documents 429");
    }
}

#[tokio::test]
async fn bodies_list_the_fields_they_need() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    let required = |path: &str, method: &str| {
        let (schema, extra) = body(&doc, path, method);
        let mut names = strings(&schema["required"]);
        for part in extra {
            names.extend(strings(&part["required"]));
        }
        names.sort();
        names
    };
    assert_eq!(required("/api/v1/auth/login", "post"), ["email", "password"]);
    assert_eq!(required("/api/v1/auth/register", "post"), ["email", "name", "password", "privacy_consent"]);
    assert_eq!(required("/api/v1/auth/verify-email", "post"), ["token"]);
    assert_eq!(required("/api/v1/me/password", "post"), ["current_password", "new_password"]);
    assert_eq!(required("/api/v1/users", "post"), ["email", "name", "role"]);
    // one body type for create and change: only the create needs the fields
    assert_eq!(required("/api/v1/courses", "post"), ["capacity", "theme", "title"]);
    assert_eq!(required("/api/v1/courses/{id}", "patch"), Vec::<String>::new());
    assert_eq!(required("/api/v1/courses/{id}/sessions", "post"), ["ends_at", "starts_at"]);
    assert_eq!(required("/api/v1/themes", "post"), ["name_en", "name_nl"]);
    // and the server agrees: a body without them is 422 naming each
    let coordinator = app.coordinator().await;
    let (status, problem) = coordinator.post_json(&app, "/api/v1/courses", &json!({})).await;
    assert_eq!(status, 422);
    let mut named = crate::common::fields(&problem);
    named.sort();
    assert_eq!(named, ["capacity", "theme", "title"]);
    // a body is required unless the operation says otherwise
    assert_eq!(operation(&doc, "/api/v1/auth/login", "post")["requestBody"]["required"], true);
    assert_eq!(operation(&doc, "/api/v1/enrolments/{id}/promote", "post")["requestBody"]["required"], false);
}

#[tokio::test]
async fn paging_parameters_are_integers_within_their_range() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    for (path, method, op) in operations(&doc) {
        for parameter in op["parameters"].as_array().into_iter().flatten() {
            let name = parameter["name"].as_str().unwrap_or_default();
            if name == "page" || name == "per_page" {
                let schema = &parameter["schema"];
                let kind =
                    if schema["type"].is_array() { strings(&schema["type"]) } else { vec![schema["type"].to_string()] };
                assert!(kind.iter().any(|t| t.contains("integer")), "{method} {path} {name}: {schema}");
                assert_eq!(schema["minimum"], 1, "{method} {path} {name}");
                if name == "per_page" {
                    assert_eq!(schema["maximum"], 200, "{method} {path} {name}");
                }
            }
        }
    }
    let (status, list) = app.get_json("/api/v1/courses?page=1&per_page=200").await;
    assert_eq!((status, list["per_page"].clone()), (200, json!(200)));
    assert_invalid(&app.get_json("/api/v1/courses?per_page=201").await, "per_page");
}

#[tokio::test]
async fn enums_list_every_word_the_api_takes() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v.dedup();
        v
    };
    let words = |all: Vec<&str>, extra: &[&str]| {
        sorted(all.into_iter().chain(extra.iter().copied()).map(String::from).collect())
    };
    let slugs: Vec<&str> = PLACES.iter().map(|(slug, _)| *slug).collect();
    let (registration, _) = body(&doc, "/api/v1/auth/register", "post");
    let property = |name: &str| registration["properties"][name].clone();
    assert_eq!(sorted(enum_of(&doc, &property("wijk"))), words(slugs.clone(), &[""]), "every wijk and dorp");
    let kinds: Vec<&str> = ParticipantKind::all().iter().map(|k| k.as_str()).collect();
    assert_eq!(sorted(enum_of(&doc, &property("participant_kind"))), words(kinds, &[""]));
    let (course, _) = body(&doc, "/api/v1/courses", "post");
    let formats: Vec<&str> = CourseFormat::all().iter().map(|f| f.as_str()).collect();
    assert_eq!(sorted(enum_of(&doc, &course["properties"]["format"])), words(formats, &[""]));
    let statuses: Vec<&str> = CourseStatus::all().iter().map(|s| s.as_str()).collect();
    assert_eq!(sorted(enum_of(&doc, &course["properties"]["status"])), words(statuses, &[""]));
    let (invitation, _) = body(&doc, "/api/v1/users", "post");
    let roles: Vec<&str> = Role::all().iter().map(|r| r.as_str()).collect();
    assert_eq!(sorted(enum_of(&doc, &invitation["properties"]["role"])), words(roles, &[]));
    let list = operation(&doc, "/api/v1/courses", "get");
    let wijk = list["parameters"].as_array().unwrap().iter().find(|p| p["name"] == "wijk").expect("a wijk filter");
    assert_eq!(sorted(enum_of(&doc, &wijk["schema"])), words(slugs, &[""]));
    // the last one of the list is taken too (the review's `wijk` enum stopped short)
    let (status, _) = app.get_json("/api/v1/courses?wijk=leegkerk").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn an_empty_profile_change_is_refused() {
    let app = spawn_app().await;
    let ann = app.participant("Ann").await;
    let no_body = app.api(Method::PATCH, "/api/v1/me", None, Some(&ann.token)).await;
    assert_eq!(no_body.status(), 422, "PATCH /api/v1/me without a body");
    assert_invalid(&ann.patch_json(&app, "/api/v1/me", &json!({})).await, "body");
    assert_invalid(&ann.patch_json(&app, "/api/v1/me", &json!({"wijk": null})).await, "body");
    let (status, me) = ann.patch_json(&app, "/api/v1/me", &json!({"name": "Ann B."})).await;
    assert_eq!((status, me["name"].as_str()), (200, Some("Ann B.")));
    // the document says so: one of the fields, not null
    let doc = document(&app).await;
    let (_, extra) = body(&doc, "/api/v1/me", "patch");
    let alternatives = extra.iter().find_map(|part| part["anyOf"].as_array()).expect("anyOf");
    assert_eq!(alternatives.len(), 5);
    assert_eq!(operation(&doc, "/api/v1/me", "patch")["requestBody"]["required"], true);
}

#[tokio::test]
async fn unknown_fields_are_ignored_whatever_they_hold() {
    let app = spawn_app().await;
    let ann = app.participant("Ann").await;
    let body = json!({"email": ann.email, "password": "wrong but long enough", "x\u{0}": "\u{1}", "y": {"z": "\u{0}"}});
    let (status, _) = app.call(Method::POST, "/api/v1/auth/login", Some(&body), None).await;
    assert_eq!(status, 401, "the unknown fields change nothing: a wrong password");
    // a body of another shape than an object is refused, not read as "every field left out"
    assert_invalid(&app.call(Method::POST, "/api/v1/auth/password-reset", Some(&json!([])), None).await, "body");
    // a known field with a control character is still refused
    assert_invalid(&ann.patch_json(&app, "/api/v1/me", &json!({"name": "A\u{0}nn"})).await, "name");
}

#[tokio::test]
async fn an_undeclared_method_on_an_api_path_is_405_with_allow() {
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    let answer = app.api(Method::PUT, "/api/v1/me", Some(&json!({})), Some(&coordinator.token)).await;
    assert_eq!(answer.status(), 405);
    let allow = header(&answer, "allow");
    for method in ["GET", "PATCH", "DELETE"] {
        assert!(allow.contains(method), "Allow names {method}: {allow}");
    }
    let doc = document(&app).await;
    assert!(doc["paths"]["/api/v1/me"].get("put").is_none(), "PUT is not in the document either");
}
