//! What a report is asked for: a period of session dates, filters, a format, and whether
//! it is pseudonymous. Parsed from text once, at the edge, with every fault named.

use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::accounts::model::ParticipantKind;
use crate::choice::Choice;
use crate::error::{AppResult, FieldErrors};
use crate::export::Format;
use crate::ids::CourseId;

/// The query of every export, as text (so that each fault gets its own field error).
#[derive(Debug, Clone, Default, Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// First session date (inclusive), `YYYY-MM-DD`.
    #[param(required = true, value_type = String, format = Date)]
    pub from: Option<String>,
    /// Last session date (inclusive), `YYYY-MM-DD`.
    #[param(required = true, value_type = String, format = Date)]
    pub to: Option<String>,
    /// A theme's slug.
    pub theme: Option<String>,
    /// A course's id.
    #[param(value_type = Option<i64>, minimum = 1)]
    pub course: Option<String>,
    /// A wijk or dorp (slug or name) of the session.
    #[param(schema_with = wijk_schema)]
    pub wijk: Option<String>,
    /// `bewoner`, `vrijwilliger`, `professional` or `student`.
    #[param(schema_with = kind_schema)]
    pub participant_kind: Option<String>,
    /// The participant's organisation (exactly, ignoring case).
    pub organisation: Option<String>,
    /// `csv` (default), `csv-nl`, `xlsx` or `json`.
    #[param(schema_with = format_schema)]
    pub format: Option<String>,
    /// `true`: no name, email or organisation; a pseudonymous `participant_id` per `purpose`.
    #[param(value_type = Option<bool>)]
    pub anonymise: Option<String>,
    /// What the pseudonymous export is for (required with `anonymise=true`): the same person
    /// gets the same id in every export with the same purpose.
    pub purpose: Option<String>,
}

fn wijk_schema() -> utoipa::openapi::Object {
    crate::places::schema_with(&[serde_json::Value::from("")])
}

fn kind_schema() -> utoipa::openapi::Object {
    crate::choice::schema::<ParticipantKind>(&[serde_json::Value::from("")])
}

fn format_schema() -> utoipa::openapi::Object {
    crate::choice::schema::<Format>(&[serde_json::Value::from("")])
}

/// A report request, checked.
#[derive(Debug, Clone)]
pub struct Report {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub filters: Filters,
    pub format: Format,
    /// `Some(purpose)`: pseudonymous.
    pub pseudonymous: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub theme: Option<String>,
    pub course: Option<CourseId>,
    pub wijk: Option<String>,
    pub participant_kind: Option<ParticipantKind>,
    pub organisation: Option<String>,
}

const PURPOSE_MAX: usize = 100;

fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl ReportQuery {
    /// Check the query: 422 naming `from`, `to`, `format`, `purpose`, … for each fault.
    pub fn parse(&self) -> AppResult<Report> {
        let mut errors = FieldErrors::default();
        let mut date = |field: &str, value: &Option<String>| match given(value) {
            None => {
                errors.add(field, "required");
                None
            }
            Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().or_else(|| {
                errors.add(field, "date-invalid");
                None
            }),
        };
        let from = date("from", &self.from);
        let to = date("to", &self.to);
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            errors.add("to", "before-from");
        }
        let format = match given(&self.format) {
            None => Some(Format::Csv),
            Some(text) => Format::parse(text).or_else(|| {
                errors.add("format", "choice");
                None
            }),
        };
        let course = given(&self.course).and_then(|text| {
            text.parse::<i64>().ok().filter(|id| *id > 0).map(CourseId).or_else(|| {
                errors.add("course", "number");
                None
            })
        });
        let wijk = given(&self.wijk).and_then(|text| {
            crate::places::find(text).map(str::to_owned).or_else(|| {
                errors.add("wijk", "wijk-unknown");
                None
            })
        });
        let participant_kind = given(&self.participant_kind).and_then(|text| {
            ParticipantKind::parse(text).or_else(|| {
                errors.add("participant_kind", "kind-unknown");
                None
            })
        });
        let anonymise = match given(&self.anonymise) {
            None | Some("false") => false,
            Some("true") => true,
            Some(_) => {
                errors.add("anonymise", "boolean");
                false
            }
        };
        let purpose = given(&self.purpose).map(str::to_owned);
        if anonymise && purpose.is_none() {
            errors.add("purpose", "required");
        }
        if purpose.as_ref().is_some_and(|p| p.chars().count() > PURPOSE_MAX) {
            errors.add("purpose", "too-long").arg("max", PURPOSE_MAX);
        }
        errors.into_result()?;
        let (Some(from), Some(to), Some(format)) = (from, to, format) else {
            return Err(crate::error::AppError::validation("from", "required"));
        };
        Ok(Report {
            from,
            to,
            filters: Filters {
                theme: given(&self.theme).map(str::to_lowercase),
                course,
                wijk,
                participant_kind,
                organisation: given(&self.organisation).map(str::to_owned),
            },
            format,
            pseudonymous: if anonymise { purpose } else { None },
        })
    }
}

impl Report {
    /// `deelname-2026-01-01-tot-2026-06-30.xlsx`: what is in it, by its name.
    pub fn file_name(&self, what: &str) -> String {
        let pseudo = if self.pseudonymous.is_some() { "-pseudoniem" } else { "" };
        format!("{what}{pseudo}-{}-tot-{}.{}", self.from, self.to, self.format.extension())
    }
}
