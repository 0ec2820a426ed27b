//! Input.

use super::*;

pub(super) fn not_blank(value: &str) -> Result<(), ValidationError> {
    if value.trim().is_empty() { Err(ValidationError::new("required")) } else { Ok(()) }
}

pub(super) fn one_line(value: &str) -> Result<(), ValidationError> {
    if value.chars().any(char::is_control) { Err(ValidationError::new("control-chars")) } else { Ok(()) }
}

fn known_place(value: &str) -> Result<(), ValidationError> {
    if value.trim().is_empty() || places::find(value).is_some() {
        Ok(())
    } else {
        Err(ValidationError::new("wijk-unknown"))
    }
}

fn known_kind(value: &str) -> Result<(), ValidationError> {
    if value.trim().is_empty() || ParticipantKind::parse(value).is_some() {
        Ok(())
    } else {
        Err(ValidationError::new("kind-unknown"))
    }
}

fn known_locale(value: &str) -> Result<(), ValidationError> {
    if Locale::from_code(value).is_some() { Ok(()) } else { Err(ValidationError::new("choice")) }
}

/// Empty text means "not given".
pub(super) fn optional(value: &Option<String>) -> Option<String> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned)
}

/// The address as it is compared: trimmed, lower case.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
pub struct Registration {
    #[serde(default)]
    #[validate(email(code = "email-invalid"), length(max = 254, code = "too-long"))]
    pub email: String,
    #[serde(default)]
    #[validate(custom(function = "not_blank"), custom(function = "one_line"), length(max = 100, code = "too-long"))]
    pub name: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub privacy_consent: Option<bool>,
    #[validate(custom(function = "known_place"))]
    pub wijk: Option<String>,
    #[validate(custom(function = "one_line"), length(max = 150, code = "too-long"))]
    pub organisation: Option<String>,
    #[validate(custom(function = "known_kind"))]
    pub participant_kind: Option<String>,
    /// Language for emails; defaults to the language of the page or request.
    #[validate(custom(function = "known_locale"))]
    pub locale: Option<String>,
    /// Where the registration page was opened from (a course page): the verification link
    /// carries it, so the person continues there. A local path only; anything else is dropped.
    #[serde(skip)]
    pub next: Option<String>,
}

/// What may change on one's own profile.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
pub struct ProfileChange {
    #[validate(custom(function = "not_blank"), custom(function = "one_line"), length(max = 100, code = "too-long"))]
    pub name: Option<String>,
    #[validate(custom(function = "known_place"))]
    pub wijk: Option<String>,
    #[validate(custom(function = "one_line"), length(max = 150, code = "too-long"))]
    pub organisation: Option<String>,
    #[validate(custom(function = "known_kind"))]
    pub participant_kind: Option<String>,
    #[validate(custom(function = "known_locale"))]
    pub locale: Option<String>,
}

pub(super) fn validation(input: &impl Validate) -> FieldErrors {
    match input.validate() {
        Ok(()) => FieldErrors::default(),
        Err(errors) => FieldErrors::from(errors),
    }
}
