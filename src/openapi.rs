//! The OpenAPI 3 document of `/api/v1`, generated from the handlers' annotations, then
//! completed with what holds for every operation alike (see [`document_json`]).

use std::sync::OnceLock;

use actix_web::{HttpResponse, get, web};
use serde_json::{Value, json};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::{access, accounts, attendance, catalogue, enrolment, reports};

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("opaque").build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Wijkmakers Academie API",
        description = "Courses for neighbourhood and village development in the municipality of Groningen. \
            Errors are application/problem+json (RFC 9457); 422 answers list every offending field. \
            Lists answer {items, total, page, per_page}. Times are RFC 3339; input without an offset \
            means Europe/Amsterdam. Authenticate with `Authorization: Bearer <token>` from \
            POST /api/v1/auth/login, or with the browser session plus the `X-CSRF-Token` header."
    ),
    paths(
        accounts::api::register,
        accounts::api::verify_email,
        accounts::api::resend_verification,
        accounts::api::login,
        accounts::api::logout,
        accounts::api::password_reset,
        accounts::api::password_reset_confirm,
        accounts::api::me,
        accounts::api::update_me,
        accounts::api::change_password,
        accounts::api::my_data,
        accounts::api::delete_me,
        accounts::api::list_users,
        accounts::api::invite,
        accounts::api::update_user,
        accounts::api::delete_user,
        catalogue::api::list_themes,
        catalogue::api::create_theme,
        catalogue::api::update_theme,
        catalogue::api::list,
        catalogue::api::get_course,
        catalogue::api::create_course,
        catalogue::api::update_course,
        catalogue::api::add_session,
        catalogue::api::update_session,
        catalogue::api::cancel_session,
        catalogue::api::assign_trainer,
        catalogue::api::remove_trainer,
        enrolment::api::enrol,
        enrolment::api::cancel,
        enrolment::api::mine,
        enrolment::api::participants,
        enrolment::api::enrol_on_behalf,
        enrolment::api::cancel_enrolment,
        enrolment::api::promote,
        enrolment::api::accept,
        enrolment::api::decline,
        enrolment::api::extend_offer,
        enrolment::api::withdraw_offer,
        attendance::api::get_roster,
        attendance::api::set_marks,
        attendance::api::absent_unmarked,
        attendance::api::history,
        attendance::api::course_attendance,
        attendance::api::check_in_code,
        attendance::api::check_in,
        attendance::api::give_apology,
        attendance::api::take_back_apology,
        attendance::api::my_attendance,
        attendance::api::walk_in,
        attendance::api::my_certificates,
        attendance::api::public_certificate,
        reports::api::sessions,
        reports::api::summary,
        reports::api::participation,
        reports::api::participant,
        access::api::get_own,
        access::api::put_own,
        access::api::delete_own,
        access::api::course_list,
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Register, verify, log in and out, reset a password"),
        (name = "me", description = "The logged-in user and their privacy rights"),
        (name = "users", description = "Accounts and roles (admins)"),
        (name = "catalogue", description = "Themes, courses, sessions and trainers"),
        (name = "enrolment", description = "Seats, the waiting list and cancelling"),
        (name = "attendance", description = "Rosters, marks and their history, apologies, walk-ins, self check-in, one's own attendance, the course overview, certificates of participation"),
        (name = "reports", description = "Exports for partners and funders (coordinators)"),
        (name = "access", description = "Access needs: one's own per course, with consent; a course's for its trainers and coordinators"),
    )
)]
pub struct ApiDoc;

/// Text no field may hold: C0 control characters other than tab, CR and LF, and DEL
/// (`web::api::parse` refuses them with 422).
const PLAIN_TEXT: &str = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]*$";
/// A query parameter holds no control character at all (`web::middleware::plain_input`).
const PLAIN_QUERY: &str = "^[^\\u0000-\\u001F\\u007F]*$";

/// Fields a create operation needs, while its update (same body type) needs none.
const REQUIRED_ON_CREATE: &[(&str, &[&str])] = &[
    ("create_course", &["title", "theme", "capacity"]),
    ("create_theme", &["name_nl", "name_en"]),
    ("add_session", &["starts_at", "ends_at"]),
];

/// Operations whose body may be left out (`web::api::OptionalJson`).
const OPTIONAL_BODY: &[&str] = &["promote"];

/// Bodies that need one of several sets of fields: a change needs at least one field (an
/// empty change is refused with 422); enrolling on someone's behalf needs an account or a
/// new person's email and name.
const ONE_OF: &[(&str, &[&[&str]])] = &[
    ("update_me", &[&["name"], &["wijk"], &["organisation"], &["participant_kind"], &["locale"]]),
    ("enrol_on_behalf", &[&["user_id"], &["email", "name"]]),
    ("walk_in", &[&["user_id"], &["email", "name"]]),
];

/// The document as served: the annotations, plus the answers every operation shares.
pub fn document_json() -> &'static Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
        complete(&mut doc);
        doc
    })
}

/// What the extractors and middleware answer for every operation alike, so the
/// annotations need only name what is particular to an operation:
/// - a JSON body: 400 (broken JSON), 413 (too large), 415 (not JSON), 422 (a wrong field);
/// - query parameters: 422; path parameters: 404 (also when they do not parse);
/// - a bearer token: 401 without a live session, 403 on a change without the CSRF header
///   (browser sessions);
/// - text: no control characters (a `pattern` on every free-text field and parameter).
fn complete(doc: &mut Value) {
    let mut body_schemas = Vec::new();
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else { return };
    for (_, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else { continue };
        for (method, op) in item.iter_mut() {
            let Some(op) = op.as_object_mut() else { continue };
            let unsafe_method = method != "get" && method != "head";
            let id = op.get("operationId").and_then(Value::as_str).unwrap_or_default().to_owned();
            let params: Vec<Value> = op.get("parameters").and_then(Value::as_array).cloned().unwrap_or_default();
            let in_path = params.iter().any(|p| p["in"] == "path");
            let in_query = params.iter().any(|p| p["in"] == "query");
            let secured = op.get("security").is_some();
            let mut add = Vec::new();
            if let Some(body) = op.get_mut("requestBody") {
                // `ApiJson` refuses a missing body; `OptionalJson` (these) takes it as `{}`
                body["required"] = json!(!OPTIONAL_BODY.contains(&id.as_str()));
                if let Some(schema) = body.pointer_mut("/content/application~1json/schema") {
                    if let Some(name) = schema["$ref"].as_str().and_then(|r| r.rsplit('/').next()) {
                        body_schemas.push(name.to_owned());
                    }
                    if let Some((_, fields)) = REQUIRED_ON_CREATE.iter().find(|(op, _)| *op == id) {
                        *schema = json!({"allOf": [schema.clone(), given(fields)]});
                    }
                    if let Some((_, sets)) = ONE_OF.iter().find(|(op, _)| *op == id) {
                        let any: Vec<Value> = sets.iter().map(|fields| given(fields)).collect();
                        *schema = json!({"allOf": [schema.clone(), {"anyOf": any}]});
                    }
                }
                add.extend([
                    ("400", "The body is not JSON"),
                    ("413", "The body is too large"),
                    ("415", "The body is not application/json"),
                    ("422", "A field is missing or wrong; `errors` names each one"),
                ]);
            }
            if in_query {
                add.push(("422", "A parameter is wrong; `errors` names it"));
            }
            if in_path {
                add.push(("404", "Nothing with this id"));
            }
            if secured {
                add.push(("401", "Not logged in"));
                if unsafe_method {
                    add.push(("403", "Not allowed (also: a browser session without the X-CSRF-Token header)"));
                }
            }
            for p in op.get_mut("parameters").and_then(Value::as_array_mut).into_iter().flatten() {
                if p["in"] == "query" {
                    plain_text(&mut p["schema"], PLAIN_QUERY);
                }
            }
            let responses = op.entry("responses").or_insert_with(|| json!({}));
            for (_, status, target, param, value) in LINKS.iter().filter(|(from, ..)| *from == id) {
                if let Some(response) = responses.get_mut(*status) {
                    response["links"][*target] = json!({"operationId": target, "parameters": {*param: value}});
                }
            }
            for (status, description) in add {
                if responses.get(status).is_none() {
                    responses[status] = json!({
                        "description": description,
                        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
                    });
                }
            }
        }
    }
    let Some(schemas) = doc.pointer_mut("/components/schemas").and_then(Value::as_object_mut) else { return };
    for name in body_schemas {
        if let Some(properties) = schemas.get_mut(&name).and_then(|s| s.get_mut("properties")) {
            for (_, property) in properties.as_object_mut().into_iter().flatten() {
                plain_text(property, PLAIN_TEXT);
            }
        }
    }
}

/// OpenAPI links from what an operation creates to the operations on it (clients and
/// schemathesis follow them). A theme's slug comes from the answer: the one asked for may be
/// empty or be slugified.
const LINKS: &[(&str, &str, &str, &str, &str)] =
    &[("create_theme", "201", "update_theme", "slug", "$response.body#/slug")];

/// The fields are there and not `null` (a `null` counts as left out).
fn given(fields: &[&str]) -> Value {
    let not_null: serde_json::Map<String, Value> =
        fields.iter().map(|f| ((*f).to_owned(), json!({"not": {"type": "null"}}))).collect();
    json!({"required": fields, "properties": not_null})
}

/// Give a free-text string schema (no enum, no format, no reference) the pattern.
fn plain_text(schema: &mut Value, pattern: &str) {
    let Some(schema) = schema.as_object_mut() else { return };
    let is_string = match schema.get("type") {
        Some(Value::String(t)) => t == "string",
        Some(Value::Array(types)) => types.iter().any(|t| t == "string"),
        _ => false,
    };
    if is_string && !["enum", "format", "pattern", "$ref"].iter().any(|k| schema.contains_key(*k)) {
        schema.insert("pattern".into(), Value::String(pattern.into()));
    }
}

#[get("/api/v1/openapi.json")]
async fn document() -> HttpResponse {
    HttpResponse::Ok().json(document_json())
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(document);
}
