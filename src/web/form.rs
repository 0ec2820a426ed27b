//! How a form post ends, the same on every page: when the service accepts it, go on with a
//! 303 (so a reload does not post again); when it names wrong fields, show the form again
//! with them (422); any other error is an error page.

use std::future::Future;

use actix_web::HttpResponse;

use crate::error::{AppError, AppResult, FieldError};
use crate::web::see_other;

/// `result` of the one service call a form post makes: `next` answers a success (usually
/// `see_other`), `again` renders the form with the field errors.
pub async fn finish<T, Again, Fut>(
    result: AppResult<T>,
    next: impl FnOnce(T) -> AppResult<HttpResponse>,
    again: Again,
) -> AppResult<HttpResponse>
where
    Again: FnOnce(Vec<FieldError>) -> Fut,
    Fut: Future<Output = AppResult<HttpResponse>>,
{
    match result {
        Ok(value) => next(value),
        Err(AppError::Validation(errors)) => again(errors).await,
        Err(e) => Err(e),
    }
}

/// A success that goes to `to`.
pub fn go(to: impl Into<String>) -> AppResult<HttpResponse> {
    Ok(see_other(to))
}
