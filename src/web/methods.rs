//! HTTP methods as monitors, link checkers and calendar clients expect them: HEAD is
//! answered wherever GET is (the server sends the headers, not the body), and a known path
//! asked with a method it does not take answers 405 with `Allow`, not 404.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header::{ALLOW, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpRequest, HttpResponse, ResponseError};

use crate::error::AppError;

include!(concat!(env!("OUT_DIR"), "/routes.rs"));

/// The methods a route pattern takes (HEAD wherever GET), or `None` for an unknown pattern.
pub fn allowed(pattern: &str) -> Option<Vec<&'static str>> {
    let (_, methods) = ROUTES.iter().find(|(p, _)| *p == pattern)?;
    let mut all = methods.to_vec();
    if all.contains(&"GET") {
        all.push("HEAD");
    }
    Some(all)
}

/// HEAD is routed as GET; actix-http knows the request was HEAD and leaves the body out.
pub async fn head_as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    next.call(req).await
}

/// What no route answers: 405 with `Allow` for a known path, else 404.
pub async fn fallback(req: HttpRequest) -> HttpResponse {
    let methods = req.match_pattern().and_then(|pattern| allowed(&pattern));
    match methods {
        Some(methods) => {
            let mut response = AppError::MethodNotAllowed.error_response();
            if let Ok(value) = HeaderValue::from_str(&methods.join(", ")) {
                response.headers_mut().insert(ALLOW, value);
            }
            response
        }
        None => AppError::NotFound.error_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_route_table_knows_the_handlers() {
        assert_eq!(allowed("/cursussen"), Some(vec!["GET", "HEAD"]));
        let login = allowed("/inloggen").expect("a known path");
        assert!(login.contains(&"GET") && login.contains(&"POST"), "{login:?}");
        assert_eq!(allowed("/static/{name}"), Some(vec!["GET", "HEAD"]));
        assert_eq!(allowed("/bestaat-niet"), None);
    }
}
