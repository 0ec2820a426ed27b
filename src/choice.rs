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
