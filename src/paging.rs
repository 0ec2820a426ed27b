//! Paging of lists: `page` counts from 1, `per_page` defaults to 50 (at most 200), and a
//! list answers `{items, total, page, per_page}`. Services page in SQL with `offset()`.

use serde::Serialize;
use utoipa::ToSchema;

use crate::error::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub page: i64,
    pub per_page: i64,
}

impl Paging {
    pub const DEFAULT_PER_PAGE: i64 = 50;
    pub const MAX_PER_PAGE: i64 = 200;

    pub fn parse(page: Option<&str>, per_page: Option<&str>, errors: &mut Vec<FieldError>) -> Paging {
        let mut number = |field: &str, raw: Option<&str>, default: i64, max: i64| match raw.map(str::trim) {
            None | Some("") => default,
            Some(raw) => match raw.parse::<i64>() {
                Ok(n) if (1..=max).contains(&n) => n,
                _ => {
                    errors.push(FieldError::new(field, "range").with_arg("min", 1).with_arg("max", max));
                    default
                }
            },
        };
        let page = number("page", page, 1, 1_000_000);
        let per_page = number("per_page", per_page, Self::DEFAULT_PER_PAGE, Self::MAX_PER_PAGE);
        Paging { page, per_page }
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.per_page
    }
}

/// A page of a list: `{items, total, page, per_page}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct List<T: ToSchema> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

impl<T: ToSchema> List<T> {
    pub fn new(items: Vec<T>, total: i64, paging: Paging) -> Self {
        List { items, total, page: paging.page, per_page: paging.per_page }
    }
}
