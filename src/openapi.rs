//! The OpenAPI 3 document of `/api/v1`, generated from the handlers' annotations.

use actix_web::{HttpResponse, get, web};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::{accounts, catalogue, enrolment};

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
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Register, verify, log in and out, reset a password"),
        (name = "me", description = "The logged-in user and their privacy rights"),
        (name = "users", description = "Accounts and roles (admins)"),
        (name = "catalogue", description = "Themes, courses, sessions and trainers"),
        (name = "enrolment", description = "Seats, the waiting list and cancelling"),
    )
)]
pub struct ApiDoc;

#[get("/api/v1/openapi.json")]
async fn document() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(document);
}
