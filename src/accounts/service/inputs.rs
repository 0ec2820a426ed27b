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
    #[schema(required, format = Email, max_length = 254)]
    pub email: String,
    #[serde(default)]
    #[validate(custom(function = "not_blank"), custom(function = "one_line"), length(max = 100, code = "too-long"))]
    #[schema(
        required,
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F]*[^\s\u0000-\u001F\u007F-\u009F][^\u0000-\u001F\u007F-\u009F]*$"
    )]
    pub name: String,
    /// At least 10 characters; not a common password, nor the email address or name.
    #[serde(default)]
    #[schema(required, min_length = 10)]
    pub password: String,
    /// Must be `true`.
    #[serde(default)]
    #[schema(required, schema_with = must_be_true)]
    pub privacy_consent: Option<bool>,
    /// A wijk or dorp: slug (listed) or display name.
    #[validate(custom(function = "known_place"))]
    #[schema(schema_with = wijk_or_none)]
    pub wijk: Option<String>,
    #[validate(custom(function = "one_line"), length(max = 150, code = "too-long"))]
    #[schema(max_length = 150, pattern = r"^[^\u0000-\u001F\u007F-\u009F]*$")]
    pub organisation: Option<String>,
    #[validate(custom(function = "known_kind"))]
    #[schema(schema_with = kind_or_none)]
    pub participant_kind: Option<String>,
    /// Language for emails; defaults to the language of the page or request.
    #[validate(custom(function = "known_locale"))]
    #[schema(value_type = Option<Locale>)]
    pub locale: Option<String>,
    /// Where the registration page was opened from (a course page): the verification link
    /// carries it, so the person continues there. A local path only; anything else is dropped.
    #[serde(skip)]
    pub next: Option<String>,
}

// What a field of a wijk or participant kind takes: `""` for none, `null` as if left out.
fn wijk_or_none() -> utoipa::openapi::Object {
    places::schema_with(&[serde_json::Value::from(""), serde_json::Value::Null])
}

fn kind_or_none() -> utoipa::openapi::Object {
    crate::choice::schema::<ParticipantKind>(&[serde_json::Value::from(""), serde_json::Value::Null])
}

fn locale_word() -> utoipa::openapi::Object {
    use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
    let words = Locale::ALL.map(|l| serde_json::Value::from(l.code()));
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .enum_values(Some(words.into_iter().chain([serde_json::Value::Null])))
        .build()
}

/// `true`, the one value a consent may have.
fn must_be_true() -> utoipa::openapi::Object {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new().schema_type(Type::Boolean).enum_values(Some([true])).build()
}

/// What may change on one's own profile.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
pub struct ProfileChange {
    #[validate(custom(function = "not_blank"), custom(function = "one_line"), length(max = 100, code = "too-long"))]
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F]*[^\s\u0000-\u001F\u007F-\u009F][^\u0000-\u001F\u007F-\u009F]*$"
    )]
    pub name: Option<String>,
    /// A wijk or dorp: slug (listed) or display name.
    #[validate(custom(function = "known_place"))]
    #[schema(schema_with = wijk_or_none)]
    pub wijk: Option<String>,
    #[validate(custom(function = "one_line"), length(max = 150, code = "too-long"))]
    #[schema(max_length = 150, pattern = r"^[^\u0000-\u001F\u007F-\u009F]*$")]
    pub organisation: Option<String>,
    #[validate(custom(function = "known_kind"))]
    #[schema(schema_with = kind_or_none)]
    pub participant_kind: Option<String>,
    #[validate(custom(function = "known_locale"))]
    #[schema(schema_with = locale_word)]
    pub locale: Option<String>,
}

impl ProfileChange {
    /// Whether the change names no field at all (refused: there is nothing to do).
    pub fn is_empty(&self) -> bool {
        let ProfileChange { name, wijk, organisation, participant_kind, locale } = self;
        [name, wijk, organisation, participant_kind, locale].iter().all(|f| f.is_none())
    }
}

pub(super) fn validation(input: &impl Validate) -> FieldErrors {
    match input.validate() {
        Ok(()) => FieldErrors::default(),
        Err(errors) => FieldErrors::from(errors),
    }
}
