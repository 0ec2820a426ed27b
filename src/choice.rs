//! Enums that travel as fixed words: in the database, JSON, forms, URLs and CSV files. strum
//! derives the words (`#[strum(serialize_all = "snake_case", ascii_case_insensitive)]`);
//! this trait gives every such enum the same `as_str`, `parse` and `all`.

use std::str::FromStr;

pub trait Choice: Copy + 'static + strum::VariantArray + Into<&'static str> + FromStr {
    fn as_str(self) -> &'static str {
        self.into()
    }

    /// The value a word names, whatever its case and surrounding spaces.
    fn parse(text: &str) -> Option<Self> {
        text.trim().parse().ok()
    }

    /// Every value, in declaration order.
    fn all() -> &'static [Self] {
        Self::VARIANTS
    }
}

impl<T: Copy + 'static + strum::VariantArray + Into<&'static str> + FromStr> Choice for T {}

/// An OpenAPI string enum of every word of `T`, plus the `extra` values a field also
/// accepts (`""` or `null` for "none"), so the document lists exactly what the parser takes.
pub fn schema<T: Choice>(extra: &[serde_json::Value]) -> utoipa::openapi::Object {
    use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
    let mut types = vec![Type::String];
    if extra.iter().any(serde_json::Value::is_null) {
        types.push(Type::Null);
    }
    let words = T::all().iter().map(|v| serde_json::Value::from(v.as_str()));
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter(types))
        .enum_values(Some(words.chain(extra.iter().cloned())))
        .build()
}
